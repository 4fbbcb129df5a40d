/**
 * The per-product fields (supplier, tiers, inTransit, openPurchaseOrders, sales, replenishmentPlan)
 * go through per-request DataLoaders: asking for 500 products costs the same number of SQL
 * statements as asking for 10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const NOW = Date.UTC(2026, 9, 15, 12);
const DAY = 86_400_000;
const iso = (offset: number) => new Date(NOW + offset * DAY).toISOString().slice(0, 10);
const sku = (c: number) => `LOAD-${String(c).padStart(4, '0')}`;

/** Seeds one supplier and `n` products, each with 30 days of sales (one of them out of stock) and one open PO. */
async function seed(s: TestServer, key: string, n: number) {
  const ok = (q: string, v?: Record<string, unknown>) => gqlOk(s.url, key, q, v);
  const sup = await ok(`mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id } }`, {
    i: {
      name: 'Loader Co',
      procurement: { mean: 3, sd: 1 },
      shipping: { mean: 2, sd: 1 },
      inbound: { mean: 1, sd: 0 },
      orderCost: 40,
      tiers: [{ minQuantity: 500, unitCost: 4.5 }],
    },
  });
  for (let start = 0; start < n; start += 100) {
    const ids = Array.from({ length: Math.min(100, n - start) }, (_, k) => start + k);
    // One request per 100 products: aliased mutations run in order inside it.
    await ok(
      `mutation { ${ids
        .map(
          (c) =>
            `p${c}: upsertProduct(input: { sku: "${sku(c)}", name: "Product ${c}", unitCost: 5, price: 12, onHand: ${100 + c}, moq: 50, casePack: 10, supplierId: "${sup.upsertSupplier.id}" }) { id }`,
        )
        .join('\n')} }`,
    );
    await ok(
      `mutation { ${ids
        .map(
          (c) =>
            `o${c}: recordPurchaseOrder(input: { sku: "${sku(c)}", quantity: ${10 + c}, expectedAt: "${new Date(NOW + 4 * DAY).toISOString()}" }) { id }`,
        )
        .join('\n')} }`,
    );
  }
  const sales = [];
  for (let c = 0; c < n; c++)
    for (let k = 1; k <= 30; k++) sales.push({ sku: sku(c), date: iso(-k), units: (c % 5) + (k % 4), inStock: k !== 7 });
  for (let i = 0; i < sales.length; i += 10_000)
    await ok(`mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted } }`, { i: sales.slice(i, i + 10_000) });
}

const QUERY = `query($n: Int!) { products(first: $n) { totalCount edges { node { sku onHand inTransit
  openPurchaseOrders { quantity expectedDate sku supplier { name } }
  sales(from: "${iso(-3)}", to: "${iso(-1)}") { date units inStock }
  supplier { name tiers { minQuantity unitCost } leadTime { meanDays } }
  replenishmentPlan { safetyStock reorderPoint orderQuantity orderByDate inTransit demand { mean inStockDays stockoutDaysExcluded } } } } } }`;

const MATRIX = `query($n: Int!) { skuPriorityMatrix(first: $n) { rows { sku quadrant } skipped { sku } } }`;

describeDatabase('batched replenishment fields', (databaseUrl) => {
  describe('replenishment fields are batched per request', () => {
    let s: TestServer;
    let small: string;
    let large: string;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
      s.app.clock.now = () => NOW;
      small = await s.newKey('plan-small');
      large = await s.newKey('plan-large');
      await seed(s, small, 10);
      await seed(s, large, 500);
      // Alert evaluation of those ingests runs after their responses: let it finish before counting.
      await s.app.services.alertEvaluator.idle();
    });
    afterAll(async () => s?.stop());

    const statements = async (key: string, query: string, n: number) => {
      const before = s.db.counter.count;
      const data = await gqlOk(s.url, key, query, { n });
      return { count: s.db.counter.count - before, data };
    };

    it('answers correctly for every product', async () => {
      const { data } = await statements(large, QUERY, 500);
      expect(data.products.edges).toHaveLength(500);
      for (const [c, e] of data.products.edges.entries()) {
        const p = e.node;
        expect(p.sku).toBe(sku(c));
        expect(p.inTransit).toBe(10 + c);
        expect(p.openPurchaseOrders).toEqual([{ quantity: 10 + c, expectedDate: iso(4), sku: sku(c), supplier: { name: 'Loader Co' } }]);
        expect(p.sales.map((d: any) => d.units)).toEqual([(c % 5) + 3, (c % 5) + 2, (c % 5) + 1]);
        expect(p.supplier).toEqual({ name: 'Loader Co', tiers: [{ minQuantity: 500, unitCost: 4.5 }], leadTime: { meanDays: 6 } });
        // 30 days, day 7 out of stock: 29 in-stock days of (c mod 5) + (k mod 4).
        const units = Array.from({ length: 30 }, (_, i) => i + 1)
          .filter((k) => k !== 7)
          .map((k) => (c % 5) + (k % 4));
        expect(p.replenishmentPlan.demand).toMatchObject({ inStockDays: 29, stockoutDaysExcluded: 1 });
        expect(p.replenishmentPlan.demand.mean).toBeCloseTo(units.reduce((a, b) => a + b, 0) / 29, 9);
        expect(p.replenishmentPlan.inTransit).toBe(10 + c);
        expect(p.replenishmentPlan.orderQuantity % 10).toBe(0);
      }
    });

    it('costs the same number of SQL statements for 10 and for 500 products', async () => {
      const a = await statements(small, QUERY, 10);
      const b = await statements(large, QUERY, 500);
      expect(a.data.products.edges).toHaveLength(10);
      expect(b.count).toBe(a.count);
      // auth + page + count + open POs + sales (2 windows) + suppliers + tiers + PO skus + promotions
      expect(b.count).toBeLessThanOrEqual(10);
    });

    it('the priority matrix over 500 products costs the same as over 10', async () => {
      const a = await statements(small, MATRIX, 10);
      const b = await statements(large, MATRIX, 500);
      expect(b.data.skuPriorityMatrix.rows).toHaveLength(500);
      expect(b.data.skuPriorityMatrix.skipped).toEqual([]);
      expect(b.count).toBe(a.count);
      // auth + products + suppliers + open POs + sales + promotions (left out of the moving average)
      expect(b.count).toBeLessThanOrEqual(6);
    });
  });
});
