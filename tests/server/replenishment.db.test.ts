/**
 * Replenishment planning through the real pipeline (HTTP → Apollo → services → core → database):
 * a planner enters a supplier, products, daily sales with stockout days and purchase orders, then
 * asks for plans, EOQ, scenarios, a supplier comparison and the priority matrix. Expected numbers
 * are worked out by hand in the comments. Run on SQLite and on
 * PostgreSQL (the database matrix, tests/helpers/database.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSuppliers, type CompareSuppliersInput } from '../../core/profitability';
import { eoq as coreEoq } from '../../core/replenishment';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

/** The server's "today" is pinned to 2026-10-15 (UTC). */
const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(NOW + offsetDays * DAY).toISOString().slice(0, 10);

const UPSERT_SUPPLIER = `mutation($input: UpsertSupplierInput!) { upsertSupplier(input: $input) {
  id name onTimeRate orderCost maxLeadTimeDays
  procurement { mean sd } shipping { mean sd } inbound { mean sd }
  leadTime { meanDays sdDays varianceDays explanation { formula steps { label value } } }
  tiers { minQuantity unitCost } } }`;
const UPSERT_PRODUCT = `mutation($input: UpsertProductInput!) { upsertProduct(input: $input) {
  id sku name unitCost price abcClass onHand moq casePack storageLimit supplier { id name } } }`;
const RECORD_SALES = `mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted updated } }`;
const RECORD_PO = `mutation($input: RecordPurchaseOrderInput!) { recordPurchaseOrder(input: $input) {
  id sku quantity expectedAt expectedDate status supplier { name } } }`;
const PLAN_FIELDS = `today safetyStock safetyStockMethod safetyStockReason abcMultiplier
  safetyStockOptions { maxMinusAverage { value raw maxDaily maxLeadTime avgDaily avgLeadTime } brief { value } serviceLevel { value raw serviceLevel z }
    fillRate { value raw fillRate k cycleQuantity } }
  reorderPoint onHand inTransit stockPosition orderQuantity quantityMethod
  quantityOptions { peakCoverage { raw quantity peakDemand coefficient raisedToMoq roundedToCasePack cappedByStorage notes } brief { quantity }
    eoq { raw quantity eoq unitCost tierMinQuantity roundedToCasePack } }
  storageHeadroom orderByDate orderNow daysUntilOrderBy expectedArrivalDate daysOfCover projectedStockoutDate
  expectedFillRate cycleServiceLevel expectedShortagePerCycle leadTimeDays leadTimeSdDays maxLeadTimeDays
  leadTimeDailyDemand leadTimeDemandMean leadTimeDemandSd
  demand { method mean sd max windowDays from to inStockDays stockoutDaysExcluded unrecordedDays lastRecordedDate warnings }
  warnings explanation { formula inputs steps { label value note } notes text }`;

/** z = Φ⁻¹(0.95) and the standard normal pdf, for the hand computations. */
const Z95 = 1.6448536269514722;
const pdf = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);

/**
 * SKU-A's sales: 20 days from 2026-09-25 to 2026-10-14; days 10 and 11 (10-05, 10-06) out of stock
 * (5 and 0 units). The 18 in-stock days alternate 40 / 60 units: d̄ = 50, Σ(x − d̄)² = 18 · 100 = 1800,
 * σ_d = √(1800 / 17) (sample sd), max = 60.
 */
function salesA() {
  return Array.from({ length: 20 }, (_, k) => ({
    sku: 'SKU-A',
    date: iso(-20 + k),
    units: k === 10 ? 5 : k === 11 ? 0 : k % 2 === 0 ? 40 : 60,
    inStock: k !== 10 && k !== 11,
  }));
}
const SD_A = Math.sqrt(1800 / 17);

describeDatabase('replenishment planning', (databaseUrl) => {
  let s: TestServer;
  let supplierId: string;
  const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => gqlOk<T>(s.url, s.apiKey, query, variables);
  const bad = async (query: string, variables: Record<string, unknown> | undefined, field: string, code = 'BAD_USER_INPUT') => {
    const r = await gql(s.url, s.apiKey, query, variables);
    expect(r.errors, `expected an error on ${field}`).toBeDefined();
    expect(r.errors![0].extensions).toMatchObject(code === 'BAD_USER_INPUT' ? { code, field } : { code });
    return r;
  };
  const salesRows = async () => Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM sales_day'))[0].n);
  const plan = async (sku: string, args = '') =>
    (await ok(`{ product(sku: "${sku}") { replenishmentPlan${args ? `(${args})` : ''} { ${PLAN_FIELDS} } } }`)).product.replenishmentPlan;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
  });
  afterAll(async () => s?.stop());

  describe('suppliers', () => {
    it('stores lead-time components, reliability, order cost and tiers; means and variances add', async () => {
      const r = await ok(UPSERT_SUPPLIER, {
        input: {
          name: 'Shenzhen Acme',
          procurement: { mean: 3, sd: 2 },
          shipping: { mean: 2, sd: 1 },
          inbound: { mean: 1, sd: 2 },
          maxLeadTimeDays: 12,
          onTimeRate: 0.95,
          orderCost: 50,
          tiers: [
            { minQuantity: 1000, unitCost: 9 },
            { minQuantity: 500, unitCost: 9.5 },
          ],
        },
      });
      const sup = r.upsertSupplier;
      supplierId = sup.id;
      expect(sup).toMatchObject({ name: 'Shenzhen Acme', onTimeRate: 0.95, orderCost: 50, maxLeadTimeDays: 12 });
      expect([sup.procurement, sup.shipping, sup.inbound]).toEqual([
        { mean: 3, sd: 2 },
        { mean: 2, sd: 1 },
        { mean: 1, sd: 2 },
      ]);
      // L̄ = 3 + 2 + 1 = 6 days; σ_L² = 2² + 1² + 2² = 9, σ_L = 3.
      expect(sup.leadTime).toMatchObject({ meanDays: 6, varianceDays: 9, sdDays: 3 });
      expect(sup.leadTime.explanation.formula).toMatch(/Σ stage means/);
      expect(sup.tiers).toEqual([
        { minQuantity: 500, unitCost: 9.5 },
        { minQuantity: 1000, unitCost: 9 },
      ]);
    });

    it('upserts by name case-insensitively and keeps omitted fields', async () => {
      const r = await ok(UPSERT_SUPPLIER, { input: { name: 'shenzhen acme ', onTimeRate: 0.9 } });
      expect(r.upsertSupplier).toMatchObject({ id: supplierId, name: 'shenzhen acme', onTimeRate: 0.9, orderCost: 50 });
      expect(r.upsertSupplier.tiers).toHaveLength(2);
      const back = await ok(UPSERT_SUPPLIER, { input: { id: supplierId, name: 'Shenzhen Acme', onTimeRate: 0.95 } });
      expect(back.upsertSupplier).toMatchObject({ id: supplierId, name: 'Shenzhen Acme', onTimeRate: 0.95 });
      const byName = await ok(`{ supplier(name: "SHENZHEN ACME") { id } }`);
      expect(byName.supplier.id).toBe(supplierId);
      const list = await ok(`{ suppliers(first: 10) { totalCount edges { node { name } } } }`);
      expect(list.suppliers.totalCount).toBe(1);
    });

    it('rejects bad supplier input naming the field, writing nothing', async () => {
      const base = { name: 'Bad Co', procurement: { mean: 1, sd: 0 }, shipping: { mean: 1, sd: 0 }, inbound: { mean: 1, sd: 0 } };
      await bad(UPSERT_SUPPLIER, { input: { name: 'Bad Co', procurement: { mean: 1 }, inbound: { mean: 1 } } }, 'input.shipping');
      await bad(UPSERT_SUPPLIER, { input: { ...base, shipping: { mean: -1, sd: 0 } } }, 'input.shipping.mean');
      await bad(UPSERT_SUPPLIER, { input: { ...base, onTimeRate: 1.5 } }, 'input.onTimeRate');
      await bad(UPSERT_SUPPLIER, { input: { ...base, maxLeadTimeDays: 2 } }, 'input.maxLeadTimeDays');
      await bad(
        UPSERT_SUPPLIER,
        {
          input: {
            ...base,
            tiers: [
              { minQuantity: 100, unitCost: 5 },
              { minQuantity: 200, unitCost: 6 },
            ],
          },
        },
        'input.tiers[1].unitCost',
      );
      await bad(
        UPSERT_SUPPLIER,
        {
          input: {
            ...base,
            tiers: [
              { minQuantity: 100, unitCost: 5 },
              { minQuantity: 100, unitCost: 4 },
            ],
          },
        },
        'input.tiers[1].minQuantity',
      );
      await bad(UPSERT_SUPPLIER, { input: { ...base, id: '00000000-0000-0000-0000-000000000000' } }, 'input.id');
      expect((await ok(`{ supplier(name: "Bad Co") { id } }`)).supplier).toBeNull();
    });
  });

  describe('products, sales and purchase orders', () => {
    it('creates products linked to the supplier and updates by sku', async () => {
      const a = await ok(UPSERT_PRODUCT, {
        input: {
          sku: 'SKU-A',
          name: 'Bamboo board',
          unitCost: 10,
          price: 25,
          abcClass: 'B',
          onHand: 800,
          moq: 200,
          casePack: 24,
          storageLimit: 5000,
          supplierId,
        },
      });
      expect(a.upsertProduct).toMatchObject({
        sku: 'SKU-A',
        unitCost: 10,
        price: 25,
        abcClass: 'B',
        onHand: 800,
        moq: 200,
        casePack: 24,
        storageLimit: 5000,
      });
      expect(a.upsertProduct.supplier).toEqual({ id: supplierId, name: 'Shenzhen Acme' });
      const again = await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-A', name: 'Bamboo cutting board' } });
      expect(again.upsertProduct).toMatchObject({ id: a.upsertProduct.id, name: 'Bamboo cutting board', onHand: 800, casePack: 24 });
      expect(again.upsertProduct.supplier.id).toBe(supplierId);
      await ok(UPSERT_PRODUCT, {
        input: { sku: 'SKU-LOW', name: 'Slow mover', unitCost: 4, price: 5, abcClass: 'C', onHand: 2000, supplier: 'shenzhen acme' },
      });
      await ok(UPSERT_PRODUCT, {
        input: { sku: 'SKU-HOT', name: 'Hot seller', unitCost: 8, price: 30, abcClass: 'A', onHand: 100, supplierId },
      });
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-NOSUP', name: 'No supplier yet', unitCost: 1, price: 2 } });
      const list = await ok(`{ products(first: 2) { totalCount edges { node { sku } } pageInfo { hasNextPage endCursor } } }`);
      expect(list.products.totalCount).toBe(4);
      expect(list.products.edges.map((e: any) => e.node.sku)).toEqual(['SKU-A', 'SKU-HOT']);
      const next = await ok(`query($a: String) { products(first: 5, after: $a) { edges { node { sku } } pageInfo { hasNextPage } } }`, {
        a: list.products.pageInfo.endCursor,
      });
      expect(next.products.edges.map((e: any) => e.node.sku)).toEqual(['SKU-LOW', 'SKU-NOSUP']);
      const filtered = await ok(`{ products(search: "hot", abcClass: A) { edges { node { sku } } } }`);
      expect(filtered.products.edges.map((e: any) => e.node.sku)).toEqual(['SKU-HOT']);
    });

    it('rejects bad product input naming the field', async () => {
      await bad(UPSERT_PRODUCT, { input: { sku: 'SKU-NEW', name: 'x', unitCost: 1 } }, 'input.price');
      await bad(UPSERT_PRODUCT, { input: { sku: 'SKU-A', casePack: 0 } }, 'input.casePack');
      await bad(UPSERT_PRODUCT, { input: { sku: 'SKU-A', onHand: -5 } }, 'input.onHand');
      await bad(UPSERT_PRODUCT, { input: { sku: '  ' } }, 'input.sku');
      await bad(UPSERT_PRODUCT, { input: { sku: 'SKU-A', supplier: 'Nobody Ltd' } }, 'input.supplier');
      expect((await ok(`{ product(sku: "SKU-NEW") { sku } }`)).product).toBeNull();
    });

    it('records daily sales idempotently: re-sending a day updates it', async () => {
      const first = await ok(RECORD_SALES, { input: salesA() });
      expect(first.recordSales).toEqual({ inserted: 20, updated: 0 });
      const again = await ok(RECORD_SALES, { input: salesA() });
      expect(again.recordSales).toEqual({ inserted: 0, updated: 20 });
      const p = await ok(`{ product(sku: "SKU-A") { sales(from: "${iso(-16)}", to: "${iso(-14)}") { date units inStock } } }`);
      expect(p.product.sales).toEqual([
        { date: iso(-16), units: 40, inStock: true },
        { date: iso(-15), units: 60, inStock: true },
        { date: iso(-14), units: 40, inStock: true },
      ]);
      // Other SKUs: SKU-LOW sells 10/day, SKU-HOT 30 and 50 alternately, over the same 20 days.
      const others = Array.from({ length: 20 }, (_, k) => [
        { sku: 'SKU-LOW', date: iso(-20 + k), units: 10 },
        { sku: 'SKU-HOT', date: iso(-20 + k), units: k % 2 === 0 ? 30 : 50, inStock: true },
      ]).flat();
      expect((await ok(RECORD_SALES, { input: others })).recordSales).toEqual({ inserted: 40, updated: 0 });
    });

    it('rejects a bad sales batch whole, naming input[i].field', async () => {
      const before = await salesRows();
      const good = { sku: 'SKU-A', date: iso(-30), units: 3 };
      await bad(RECORD_SALES, { input: [good, { sku: 'NOPE', date: iso(-30), units: 1 }] }, 'input[1].sku');
      await bad(RECORD_SALES, { input: [good, { sku: 'SKU-A', date: '2026-02-30', units: 1 }] }, 'input[1].date');
      await bad(RECORD_SALES, { input: [good, { sku: 'SKU-A', date: '15/10/2026', units: 1 }] }, 'input[1].date');
      await bad(RECORD_SALES, { input: [good, { sku: 'SKU-A', date: iso(+2), units: 1 }] }, 'input[1].date');
      await bad(RECORD_SALES, { input: [good, { sku: 'SKU-A', date: iso(-31), units: -1 }] }, 'input[1].units');
      // A fractional Int is refused by GraphQL's own coercion, which names the path in its message.
      const frac = await gql(s.url, s.apiKey, RECORD_SALES, { input: [good, { sku: 'SKU-A', date: iso(-31), units: 1.5 }] });
      expect(frac.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(frac.errors?.[0].message).toMatch(/input\[1\]\.units/);
      await bad(RECORD_SALES, { input: [good, { ...good, units: 4 }] }, 'input[1].date');
      expect(await salesRows()).toBe(before);
      // Tomorrow is accepted: a seller east of UTC may have closed its day already.
      const nosup = [
        { sku: 'SKU-NOSUP', date: iso(-1), units: 1 },
        { sku: 'SKU-NOSUP', date: iso(1), units: 1 },
      ];
      expect((await ok(RECORD_SALES, { input: nosup })).recordSales).toEqual({ inserted: 2, updated: 0 });
    });

    it('records purchase orders as in transit; receive and cancel close them', async () => {
      const po = await ok(RECORD_PO, {
        input: { sku: 'SKU-A', quantity: 240, expectedAt: new Date(NOW + 3 * DAY).toISOString(), reference: 'PO-1' },
      });
      expect(po.recordPurchaseOrder).toMatchObject({
        sku: 'SKU-A',
        quantity: 240,
        expectedDate: iso(3),
        status: 'OPEN',
        supplier: { name: 'Shenzhen Acme' },
      });
      const extra = await ok(RECORD_PO, { input: { sku: 'SKU-A', quantity: 100, expectedAt: new Date(NOW + 5 * DAY).toISOString() } });
      const late = await ok(RECORD_PO, {
        input: { sku: 'SKU-LOW', quantity: 50, expectedAt: new Date(NOW + DAY).toISOString(), supplier: 'Shenzhen Acme' },
      });
      let p = await ok(`{ product(sku: "SKU-A") { onHand inTransit openPurchaseOrders { quantity expectedDate } } }`);
      expect(p.product).toEqual({
        onHand: 800,
        inTransit: 340,
        openPurchaseOrders: [
          { quantity: 240, expectedDate: iso(3) },
          { quantity: 100, expectedDate: iso(5) },
        ],
      });

      const cancelled = await ok(`mutation($id: ID!) { cancelPurchaseOrder(id: $id) { status cancelledAt } }`, {
        id: extra.recordPurchaseOrder.id,
      });
      expect(cancelled.cancelPurchaseOrder.status).toBe('CANCELLED');
      await bad(`mutation($id: ID!) { cancelPurchaseOrder(id: $id) { status } }`, { id: extra.recordPurchaseOrder.id }, 'id');
      const received = await ok(`mutation($id: ID!) { receivePurchaseOrder(id: $id, quantity: 48) { status receivedQuantity } }`, {
        id: late.recordPurchaseOrder.id,
      });
      expect(received.receivePurchaseOrder).toEqual({ status: 'RECEIVED', receivedQuantity: 48 });
      const low = await ok(`{ product(sku: "SKU-LOW") { onHand inTransit } }`);
      expect(low.product).toEqual({ onHand: 2048, inTransit: 0 });
      p = await ok(`{ product(sku: "SKU-A") { inTransit } }`);
      expect(p.product.inTransit).toBe(240);
      const open = await ok(`{ purchaseOrders(status: OPEN) { totalCount edges { node { sku quantity } } } }`);
      expect(open.purchaseOrders).toEqual({ totalCount: 1, edges: [{ node: { sku: 'SKU-A', quantity: 240 } }] });
      // Put SKU-LOW back at 2000 on hand for the matrix below.
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-LOW', onHand: 2000 } });
    });

    it('rejects bad purchase orders and unknown ids', async () => {
      const at = new Date(NOW + DAY).toISOString();
      await bad(RECORD_PO, { input: { sku: 'NOPE', quantity: 1, expectedAt: at } }, 'input.sku');
      await bad(RECORD_PO, { input: { sku: 'SKU-A', quantity: 0, expectedAt: at } }, 'input.quantity');
      await bad(RECORD_PO, { input: { sku: 'SKU-A', quantity: 1, expectedAt: '2050-01-01T00:00:00Z' } }, 'input.expectedAt');
      await bad(
        RECORD_PO,
        { input: { sku: 'SKU-A', quantity: 1, expectedAt: at, supplierId: '00000000-0000-0000-0000-000000000000' } },
        'input.supplierId',
      );
      await bad(`mutation { receivePurchaseOrder(id: "00000000-0000-0000-0000-000000000000") { id } }`, undefined, '', 'NOT_FOUND');
      // All three orders, earliest expected first, paged one at a time through the cursor.
      const seen: string[] = [];
      let after: string | null = null;
      for (let k = 0; k < 4; k++) {
        const page: any = await ok(
          `query($a: String) { purchaseOrders(first: 1, after: $a) { totalCount edges { node { sku expectedDate status } } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        expect(page.purchaseOrders.totalCount).toBe(3);
        seen.push(...page.purchaseOrders.edges.map((e: any) => `${e.node.sku}@${e.node.expectedDate}:${e.node.status}`));
        after = page.purchaseOrders.pageInfo.endCursor;
        if (!page.purchaseOrders.pageInfo.hasNextPage) break;
      }
      expect(seen).toEqual([`SKU-LOW@${iso(1)}:RECEIVED`, `SKU-A@${iso(3)}:OPEN`, `SKU-A@${iso(5)}:CANCELLED`]);
      await bad(`{ purchaseOrders(after: "nonsense") { totalCount } }`, undefined, 'after');
      await bad(`{ product(sku: "SKU-A") { sales(from: "2020-01-01", to: "2026-01-01") { units } } }`, undefined, 'from');
    });
  });

  describe('replenishment plan', () => {
    it('matches the hand computation (lead time 3+2+1, SS both ways, ROP, quantities, dates)', async () => {
      const p = await plan('SKU-A');
      expect(p.today).toBe('2026-10-15');
      // Demand: 18 in-stock days of the 20 recorded (the two stockout days are left out).
      expect(p.demand).toMatchObject({
        method: 'IN_STOCK_MOVING_AVERAGE',
        mean: 50,
        max: 60,
        windowDays: 90,
        from: iso(-20),
        to: iso(-1),
        inStockDays: 18,
        stockoutDaysExcluded: 2,
        unrecordedDays: 0,
      });
      expect(p.demand.sd).toBeCloseTo(SD_A, 9);
      // Lead time: L̄ = 6, σ_L = 3.
      expect(p.leadTimeDays).toBe(6);
      expect(p.leadTimeSdDays).toBeCloseTo(3, 12);
      expect(p.maxLeadTimeDays).toBe(12);
      // σ_LTD = √(L̄σ_d² + d̄²σ_L²) = √(6·1800/17 + 2500·9).
      const sigma = Math.sqrt((6 * 1800) / 17 + 2500 * 9);
      expect(p.leadTimeDemandSd).toBeCloseTo(sigma, 9);
      expect(p.leadTimeDemandMean).toBeCloseTo(300, 9);
      // Service-level SS = z·σ_LTD (class B: × 1); max-minus-average SS = 60 × 12 − 50 × 6 = 420 (also as the deprecated `brief`).
      const ss = Z95 * sigma;
      expect(p.safetyStockMethod).toBe('SERVICE_LEVEL');
      expect(p.safetyStock).toBeCloseTo(ss, 6);
      expect(p.safetyStockOptions.serviceLevel).toMatchObject({ serviceLevel: 0.95 });
      expect(p.safetyStockOptions.serviceLevel.z).toBeCloseTo(Z95, 9);
      expect(p.safetyStockOptions.maxMinusAverage).toEqual({
        value: 420,
        raw: 420,
        maxDaily: 60,
        maxLeadTime: 12,
        avgDaily: 50,
        avgLeadTime: 6,
      });
      expect(p.safetyStockOptions.brief).toEqual({ value: 420 });
      expect(p.safetyStockOptions.fillRate).toBeNull();
      expect(p.abcMultiplier).toBe(1);
      // ROP = d̄·L̄ + SS = 300 + SS.
      expect(p.reorderPoint).toBeCloseTo(300 + ss, 6);
      // Position = 800 on hand + 240 in transit = 1040. It falls by 50 a day and first reaches ROP
      // after 10 days' demand (1040 − 500 = 540 ≤ 550.2): order-by = today + 9 = 2026-10-24.
      expect([p.onHand, p.inTransit, p.stockPosition]).toEqual([800, 240, 1040]);
      expect(p.orderByDate).toBe('2026-10-24');
      expect(p.daysUntilOrderBy).toBe(9);
      expect(p.orderNow).toBe(false);
      expect(p.expectedArrivalDate).toBe('2026-10-30'); // order-by + ⌈L̄⌉
      // Peak-coverage quantity (also as the deprecated `brief`): coverage ⌈6⌉ + 14 = 20 days × 50 = 1000 peak; CV 0.21 < 0.5 → coefficient 1.2;
      // 1000 × 1.2 − 1040 = 160 → MOQ 200 → ⌈200/24⌉ = 9 cases = 216.
      expect(p.quantityOptions.brief.quantity).toBe(p.quantityOptions.peakCoverage.quantity);
      expect(p.quantityOptions.peakCoverage).toMatchObject({
        raw: 160,
        quantity: 216,
        peakDemand: 1000,
        coefficient: 1.2,
        raisedToMoq: true,
        roundedToCasePack: true,
        cappedByStorage: false,
      });
      expect(p.quantityMethod).toBe('PEAK_COVERAGE');
      expect(p.orderQuantity).toBe(216);
      // EOQ, D = 50·365 = 18,250, K = 50, i = 0.25: the 1,000-unit break at 9 beats the realizable EOQ
      // at 9.5 (√(2·50·18250/(0.25·9.5)) = 876.6): 166,287.5 vs 175,456.9 per year. 1000 → 42 cases = 1008.
      expect(p.quantityOptions.eoq).toMatchObject({
        raw: 1000,
        quantity: 1008,
        eoq: 1000,
        unitCost: 9,
        tierMinQuantity: 1000,
        roundedToCasePack: true,
      });
      expect(p.storageHeadroom).toBeCloseTo(5000 - 540, 9);
      // Days of cover = 1040 / 50; projected on hand 800 − 50(k+1) (+240 from day 3) < 0 first at k = 20.
      expect(p.daysOfCover).toBeCloseTo(20.8, 12);
      expect(p.projectedStockoutDate).toBe('2026-11-04');
      // Fill rate = 1 − σ_LTD·G(z)/Q with G(z) = φ(z) − z(1 − Φ(z)) and Q = 216.
      const esc = sigma * (pdf(Z95) - Z95 * 0.05);
      expect(p.expectedShortagePerCycle).toBeCloseTo(esc, 6);
      expect(p.expectedFillRate).toBeCloseTo(1 - esc / 216, 6);
      expect(p.cycleServiceLevel).toBeCloseTo(0.95, 9);
      // Every input is in the explanation, and the stockout-day exclusion is said.
      expect(p.explanation.inputs).toMatchObject({
        sku: 'SKU-A',
        onHand: 800,
        'demand.mean': 50,
        'demand.stockoutDaysExcluded': 2,
        supplier: 'Shenzhen Acme',
        moq: 200,
        casePack: 24,
      });
      expect(p.explanation.notes.join(' ')).toMatch(/2 day\(s\) flagged out of stock excluded/);
      expect(p.explanation.text).toContain('ROP = d̄·L̄ + SS');
      expect(p.warnings).toEqual([]);
    });

    it('counts stockout days as demand only when they are flagged in stock (the re-sent days update)', async () => {
      const flipped = salesA().map((d) => ({ ...d, inStock: true }));
      expect((await ok(RECORD_SALES, { input: flipped.slice(10, 12) })).recordSales).toEqual({ inserted: 0, updated: 2 });
      const p = await plan('SKU-A');
      // (18 · 50 + 5 + 0) / 20 = 45.25: exactly what the in-stock flag protects against.
      expect(p.demand).toMatchObject({ mean: 45.25, inStockDays: 20, stockoutDaysExcluded: 0 });
      await ok(RECORD_SALES, { input: salesA().slice(10, 12) });
      expect((await plan('SKU-A')).demand.mean).toBe(50);
    });

    it('class A gets a 20 % larger safety stock; a promotion uplift raises the ROP in proportion', async () => {
      const base = await plan('SKU-A');
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-A', abcClass: 'A' } });
      const a = await plan('SKU-A');
      expect(a.abcMultiplier).toBe(1.2);
      expect(a.safetyStock).toBeCloseTo(base.safetyStock * 1.2, 6);
      expect(a.safetyStockOptions.maxMinusAverage.value).toBeCloseTo(420 * 1.2, 9);
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-A', abcClass: 'B' } });
      // +30 % over the whole lead time: d̄, σ_d and so SS and ROP all scale by 1.3.
      const promo = await plan('SKU-A', 'demandUplift: 0.3');
      expect(promo.reorderPoint).toBeCloseTo(base.reorderPoint * 1.3, 6);
      expect(promo.leadTimeDailyDemand).toBeCloseTo(65, 9);
      expect(promo.explanation.inputs['promotion.uplift']).toBe(0.3);
    });

    it('shows the max-minus-average and fill-rate methods side by side and switches the one used', async () => {
      const maxAvg = await plan('SKU-A', 'method: MAX_MINUS_AVERAGE');
      expect(maxAvg.safetyStockMethod).toBe('MAX_MINUS_AVERAGE');
      expect(maxAvg.safetyStock).toBe(420);
      expect(maxAvg.reorderPoint).toBeCloseTo(720, 9);
      const fr = await plan('SKU-A', 'method: FILL_RATE, fillRateTarget: 0.99');
      expect(fr.safetyStockOptions.fillRate.fillRate).toBe(0.99);
      expect(fr.safetyStock).toBeCloseTo(fr.safetyStockOptions.fillRate.value, 9);
      // EOQ quantity method: 1008 (whole EOQ batch, rounded to cases).
      const byEoq = await plan('SKU-A', 'quantityMethod: EOQ');
      expect(byEoq.orderQuantity).toBe(1008);
      const max = await plan('SKU-A', 'method: MAX');
      expect(max.safetyStock).toBe(Math.max(420, maxAvg.safetyStockOptions.serviceLevel.value));
    });

    it('the deprecated BRIEF values plan exactly like MAX_MINUS_AVERAGE and PEAK_COVERAGE and report the new names', async () => {
      const old = await plan('SKU-A', 'method: BRIEF, quantityMethod: BRIEF');
      const current = await plan('SKU-A', 'method: MAX_MINUS_AVERAGE, quantityMethod: PEAK_COVERAGE');
      expect(old).toEqual(current);
      expect([old.safetyStockMethod, old.quantityMethod]).toEqual(['MAX_MINUS_AVERAGE', 'PEAK_COVERAGE']);
      expect(await plan('SKU-A')).toEqual(await plan('SKU-A', 'quantityMethod: PEAK_COVERAGE'));
      const values = async (name: string) =>
        (await ok(`{ __type(name: "${name}") { enumValues(includeDeprecated: true) { name deprecationReason } } }`)).__type.enumValues;
      expect(await values('SafetyStockMethod')).toEqual([
        { name: 'SERVICE_LEVEL', deprecationReason: null },
        { name: 'BRIEF', deprecationReason: 'Use MAX_MINUS_AVERAGE' },
        { name: 'MAX_MINUS_AVERAGE', deprecationReason: null },
        { name: 'FILL_RATE', deprecationReason: null },
        { name: 'MAX', deprecationReason: null },
      ]);
      expect(await values('OrderQuantityMethod')).toEqual([
        { name: 'BRIEF', deprecationReason: 'Use PEAK_COVERAGE' },
        { name: 'PEAK_COVERAGE', deprecationReason: null },
        { name: 'EOQ', deprecationReason: null },
      ]);
      const deprecatedFields = async (name: string) =>
        (await ok(`{ __type(name: "${name}") { fields(includeDeprecated: true) { name deprecationReason } } }`)).__type.fields.filter(
          (f: { deprecationReason: string | null }) => f.deprecationReason,
        );
      expect(await deprecatedFields('SafetyStockOptions')).toEqual([{ name: 'brief', deprecationReason: 'Use maxMinusAverage' }]);
      expect(await deprecatedFields('QuantityOptions')).toEqual([{ name: 'brief', deprecationReason: 'Use peakCoverage' }]);
    });

    it('rejects bad plan arguments naming them; a product without lead time gets a null plan and an error', async () => {
      await bad(`{ product(sku: "SKU-A") { replenishmentPlan(serviceLevel: 1) { safetyStock } } }`, undefined, 'serviceLevel');
      await bad(`{ product(sku: "SKU-A") { replenishmentPlan(method: FILL_RATE) { safetyStock } } }`, undefined, 'fillRateTarget');
      await bad(`{ product(sku: "SKU-A") { replenishmentPlan(windowDays: 0) { safetyStock } } }`, undefined, 'windowDays');
      await bad(
        `{ product(sku: "SKU-A") { replenishmentPlan(upliftStart: "2026-13-01", demandUplift: 0.2) { safetyStock } } }`,
        undefined,
        'upliftStart',
      );
      const r = await bad(`{ product(sku: "SKU-NOSUP") { sku replenishmentPlan { safetyStock } } }`, undefined, 'leadTimeDays');
      expect(r.data).toEqual({ product: { sku: 'SKU-NOSUP', replenishmentPlan: null } });
      // With a lead time given, it plans (one in-stock day of 1 unit: sd 0 and a warning).
      const p = await plan('SKU-NOSUP', 'leadTimeDays: 4');
      expect(p.leadTimeDays).toBe(4);
      expect(p.demand.warnings.join(' ')).toMatch(/only one in-stock day/);
    });
  });

  describe('EOQ, scenarios, supplier comparison, priority matrix', () => {
    const EOQ = `query($input: EoqInput!) { eoq(input: $input) { quantity tier unitCost annualCost purchaseCost orderingCost holdingCost
      ordersPerYear cycleDays candidates { tier quantity unitCost annualCost kind } curve { quantity annualCost }
      explanation { formula inputs steps { label value note } notes } } }`;

    it('eoq equals the core function, tiers included', async () => {
      const input = {
        annualDemand: 18250,
        orderCost: 50,
        holdingRate: 0.25,
        unitCost: 10,
        tiers: [
          { minQuantity: 1000, unitCost: 9 },
          { minQuantity: 500, unitCost: 9.5 },
        ],
      };
      const r = (await ok(EOQ, { input })).eoq;
      const core = coreEoq(input);
      expect(r.quantity).toBe(1000);
      expect(r.tier).toBe(0); // index into the input tiers: the 1,000-unit break
      // Hand check: 9 · 18250 + 50 · 18250 / 1000 + 0.25 · 9 · 1000 / 2.
      expect(r.annualCost).toBeCloseTo(164250 + 912.5 + 1125, 9);
      expect(r).toMatchObject({
        quantity: core.quantity,
        tier: core.tier,
        unitCost: core.unitCost,
        annualCost: core.annualCost,
        cycleDays: core.cycleDays,
      });
      expect(r.curve).toEqual(core.curve);
      expect(r.candidates).toEqual(core.candidates);
      expect(r.explanation.steps.map((x: any) => x.label)).toEqual(core.explanation.steps.map((x) => x.label));
      // Plain EOQ without tiers: √(2 · 50 · 18250 / 2.5) = √730000.
      const plain = (await ok(EOQ, { input: { annualDemand: 18250, orderCost: 50, holdingRate: 0.25, unitCost: 10 } })).eoq;
      expect(plain.quantity).toBeCloseTo(Math.sqrt(730000), 9);
      expect(plain.tier).toBeNull();
    });

    it('eoq rejects bad input naming the field', async () => {
      await bad(EOQ, { input: { annualDemand: 100, orderCost: 5, holdingRate: 0, unitCost: 1 } }, 'input.holdingRate');
      await bad(EOQ, { input: { annualDemand: -1, orderCost: 5, holdingRate: 0.2, unitCost: 1 } }, 'input.annualDemand');
      await bad(
        EOQ,
        { input: { annualDemand: 100, orderCost: 5, holdingRate: 0.2, unitCost: 1, tiers: [{ minQuantity: 10, unitCost: 2 }] } },
        'input.tiers[0].unitCost',
      );
    });

    const SCENARIO = `query($input: ProfitabilityScenarioInput!) { profitabilityScenario(input: $input) { sku baseLandedUnitCost holdingPerUnitPerYear
      curve { quantity contribution marginalContributionPerUnit landedUnitCost expectedUnitsSold holdingCost overflowCost }
      best { quantity contribution expectedUnitsSold } noOrder { contribution } warnings explanation { inputs notes } } }`;
    const scenarioInput = {
      price: 25,
      landed: { unitCost: 10, freightPerUnit: 1, insuranceRate: 0.01, dutyRate: 0.05 },
      orderCost: 50,
      holding: { storagePerUnitPerYear: 2, capitalRate: 0.1, shrinkRate: 0.02 },
      storage: { capacity: 3000, overflowPerUnitPerDay: 0.2 },
      demand: { dailyMean: 30, dailySd: 8 },
      horizonDays: 90,
    };

    it('profitabilityScenario: landed cost by hand, a contribution curve that rises then falls, the best quantity', async () => {
      const r = (await ok(SCENARIO, { input: scenarioInput })).profitabilityScenario;
      // Landed = 10 + 1 freight + 1 % × 11 insurance + 5 % × 11.11 duty (CIF) = 11.6655.
      expect(r.baseLandedUnitCost).toBeCloseTo(10 + 1 + 0.11 + 0.05 * 11.11, 9);
      const q = r.curve.map((c: any) => c.quantity);
      expect(q).toEqual([...q].sort((a: number, b: number) => a - b));
      const best = r.curve.reduce((a: any, b: any) => (b.contribution > a.contribution ? b : a));
      expect(r.best.contribution).toBeGreaterThanOrEqual(best.contribution - 1e-9);
      // Rises, then falls: the best quantity is inside the curve and the largest order earns less.
      expect(r.best.quantity).toBeGreaterThan(0);
      expect(r.best.quantity).toBeLessThan(q[q.length - 1]);
      expect(r.curve[r.curve.length - 1].contribution).toBeLessThan(r.best.contribution);
      expect(r.curve[1].marginalContributionPerUnit).toBeGreaterThan(0);
      expect(r.curve[r.curve.length - 1].marginalContributionPerUnit).toBeLessThan(0);
      // Horizon demand 90 · 30 = 2700 units; the best order sells most of it.
      expect(r.best.expectedUnitsSold).toBeGreaterThan(2400);
      expect(r.noOrder.contribution).toBe(0);
    });

    it('profitabilityScenario by sku takes price, cost, tiers, order cost, stock and demand from the data', async () => {
      const r = (await ok(SCENARIO, { input: { sku: 'SKU-A', horizonDays: 60 } })).profitabilityScenario;
      expect(r.sku).toBe('SKU-A');
      expect(r.baseLandedUnitCost).toBe(10);
      expect(r.explanation.inputs).toMatchObject({ price: 25, 'demand.dailyMean': 50, onHand: 1040, orderCost: 50, horizonDays: 60 });
      expect(r.explanation.inputs['demand.dailySd']).toBeCloseTo(SD_A, 9);
      expect(r.explanation.notes.join(' ')).toMatch(/out-of-stock days excluded/);
      await bad(SCENARIO, { input: { horizonDays: 30, price: 10, landed: { unitCost: 5 } } }, 'input.demand');
      await bad(SCENARIO, { input: { ...scenarioInput, horizonDays: 0 } }, 'input.horizonDays');
      await bad(SCENARIO, { input: { ...scenarioInput, landed: { unitCost: 10, dutyBasis: 'XYZ' } } }, 'input.landed.dutyBasis');
      await bad(SCENARIO, { input: { sku: 'NOPE', horizonDays: 30 } }, 'input.sku');
    });

    it('saves named scenarios, replaces by name, lists and re-evaluates them', async () => {
      const SAVE = `mutation($input: SaveProfitabilityScenarioInput!) { saveProfitabilityScenario(input: $input) { id name input } }`;
      const a = (await ok(SAVE, { input: { name: 'Q4 board', scenario: { sku: 'SKU-A', horizonDays: 90 } } })).saveProfitabilityScenario;
      expect(a.input).toMatchObject({ sku: 'SKU-A', horizonDays: 90 });
      const b = (await ok(SAVE, { input: { name: 'q4 BOARD', scenario: scenarioInput } })).saveProfitabilityScenario;
      expect(b.id).toBe(a.id);
      await ok(SAVE, { input: { name: 'Another', scenario: { sku: 'SKU-HOT', horizonDays: 30 } } });
      await bad(SAVE, { input: { name: 'Broken', scenario: { ...scenarioInput, price: -1 } } }, 'input.scenario.price');
      const list = (
        await ok(
          `{ profitabilityScenarios(first: 10) { totalCount edges { node { name result { best { quantity } baseLandedUnitCost } } } } }`,
        )
      ).profitabilityScenarios;
      expect(list.totalCount).toBe(2);
      expect(list.edges.map((e: any) => e.node.name)).toEqual(['Another', 'q4 BOARD']);
      const direct = (await ok(SCENARIO, { input: scenarioInput })).profitabilityScenario;
      expect(list.edges[1].node.result.best.quantity).toBe(direct.best.quantity);
      expect((await ok(`mutation($id: ID!) { deleteProfitabilityScenario(id: $id) }`, { id: a.id })).deleteProfitabilityScenario).toBe(
        true,
      );
      await bad(`mutation($id: ID!) { deleteProfitabilityScenario(id: $id) }`, { id: a.id }, '', 'NOT_FOUND');
    });

    const COMPARE = `query($input: CompareSuppliersInput!) { compareSuppliers(input: $input) { recommended recommendedSupplierId reason seed runs horizonDays
      suppliers { name supplierId unitCost orderQuantity reorderPoint safetyStock leadTimeMean leadTimeSd effectiveLeadTimeMean effectiveLeadTimeSd
        expectedProfit profitP10 profitP90 profitMargin expectedStockoutDays stockoutDaysP90 fillRate expectedLostUnits lateShare ordersPerRun }
      explanation { formula inputs } } }`;

    it('compares a stored and an inline supplier by seeded Monte Carlo, deterministically, as core does', async () => {
      const input = {
        sku: 'SKU-A',
        seed: 42,
        runs: 200,
        horizonDays: 180,
        suppliers: [
          { supplierId, unitCost: 10 },
          {
            name: 'Cheap & late',
            unitCost: 9.5,
            procurement: { mean: 10, sd: 4 },
            shipping: { mean: 15, sd: 6 },
            inbound: { mean: 2, sd: 1 },
            onTimeRate: 0.6,
            orderCost: 50,
          },
        ],
      };
      const a = (await ok(COMPARE, { input })).compareSuppliers;
      const b = (await ok(COMPARE, { input })).compareSuppliers;
      expect(b).toEqual(a);
      // The same inputs straight into core: stored supplier and product defaults were passed through faithfully.
      const core = compareSuppliers({
        suppliers: [
          {
            name: 'Shenzhen Acme',
            unitCost: 10,
            tiers: [
              { minQuantity: 500, unitCost: 9.5 },
              { minQuantity: 1000, unitCost: 9 },
            ],
            leadTime: { procurement: { mean: 3, sd: 2 }, shipping: { mean: 2, sd: 1 }, inbound: { mean: 1, sd: 2 } },
            onTimeRate: 0.95,
            orderCost: 50,
          },
          {
            name: 'Cheap & late',
            unitCost: 9.5,
            leadTime: { procurement: { mean: 10, sd: 4 }, shipping: { mean: 15, sd: 6 }, inbound: { mean: 2, sd: 1 } },
            onTimeRate: 0.6,
            orderCost: 50,
          },
        ],
        demand: { dailyMean: 50, dailySd: SD_A },
        price: 25,
        holdingRate: 0.25,
        serviceLevel: 0.95,
        reorderPointBasis: 'EFFECTIVE',
        lostSalePenalty: 0,
        horizonDays: 180,
        seed: 42,
        runs: 200,
      } as CompareSuppliersInput);
      expect(a.recommended).toBe(core.recommended);
      expect(a.reason).toBe(core.reason);
      for (const [k, o] of core.suppliers.entries()) {
        expect(a.suppliers[k].expectedProfit).toBeCloseTo(o.expectedProfit, 6);
        expect(a.suppliers[k].expectedStockoutDays).toBeCloseTo(o.expectedStockoutDays, 9);
      }
      expect(a.suppliers[0]).toMatchObject({ supplierId, leadTimeMean: 6 });
      expect(a.suppliers[1].supplierId).toBeNull();
      expect(a.recommendedSupplierId).toBe(a.recommended === 'Shenzhen Acme' ? supplierId : null);
      expect(a.reason).toMatch(new RegExp(a.recommended.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      expect(a.explanation.inputs).toMatchObject({ seed: 42, runs: 200, sku: 'SKU-A', 'demand.dailyMean': 50 });
      const other = (await ok(COMPARE, { input: { ...input, seed: 43 } })).compareSuppliers;
      expect(other.suppliers[0].expectedProfit).not.toBe(a.suppliers[0].expectedProfit);
    });

    it('rejects bad comparisons naming the field', async () => {
      const inline = {
        name: 'X',
        unitCost: 9,
        procurement: { mean: 1, sd: 0 },
        shipping: { mean: 1, sd: 0 },
        inbound: { mean: 1, sd: 0 },
        orderCost: 10,
      };
      await bad(COMPARE, { input: { sku: 'SKU-A', suppliers: [{ supplierId }] } }, 'input.suppliers');
      await bad(
        COMPARE,
        { input: { sku: 'SKU-A', suppliers: [{ supplierId }, { ...inline, procurement: null }] } },
        'input.suppliers[1].procurement',
      );
      await bad(
        COMPARE,
        { input: { sku: 'SKU-A', suppliers: [{ supplierId }, { ...inline, name: 'shenzhen acme' }] } },
        'input.suppliers[1].name',
      );
      await bad(COMPARE, { input: { sku: 'SKU-A', runs: 10000, horizonDays: 1000, suppliers: [{ supplierId }, inline] } }, 'input.runs');
      await bad(COMPARE, { input: { suppliers: [{ supplierId }, inline], price: 20 } }, 'input.demand');
    });

    it('ranks the workspace SKUs by profit contribution × stockout risk', async () => {
      const r = (
        await ok(`{ skuPriorityMatrix { rows { sku rank quadrant profitContribution30d stockoutRisk daysOfCover unitMargin explanation { inputs } }
        reorderQueue pause contributionThreshold riskThreshold skipped { sku reason } explanation { notes } } }`)
      ).skuPriorityMatrix;
      const row = (sku: string) => r.rows.find((x: any) => x.sku === sku);
      expect(r.skipped).toEqual([{ sku: 'SKU-NOSUP', reason: 'no supplier linked: lead time unknown' }]);
      // Contributions per 30 days: A (25 − 10) · 50 · 30 = 22,500; HOT (30 − 8) · 40 · 30 = 26,400; LOW (5 − 4) · 10 · 30 = 300.
      expect(row('SKU-A').profitContribution30d).toBeCloseTo(22500, 9);
      expect(row('SKU-HOT').profitContribution30d).toBeCloseTo(26400, 9);
      expect(row('SKU-LOW').profitContribution30d).toBeCloseTo(300, 9);
      expect(r.contributionThreshold).toBeCloseTo(22500, 9); // median of the three
      // HOT: position 100 against lead-time demand 40 · 6 = 240: risk = Φ((240 − 100)/σ_LTD) with
      // σ_LTD = √(6 · σ_d² + 40² · 9) and σ_d = √(20 · 100 / 19) (alternating 30/50): high → REORDER_FIRST.
      const sdHot = Math.sqrt(2000 / 19);
      const zHot = (240 - 100) / Math.sqrt(6 * sdHot ** 2 + 1600 * 9);
      expect(row('SKU-HOT').stockoutRisk).toBeGreaterThan(0.5);
      expect(row('SKU-HOT').stockoutRisk).toBeCloseTo(normalCdf(zHot), 6);
      expect(row('SKU-HOT')).toMatchObject({ quadrant: 'REORDER_FIRST', rank: 1 });
      // A: position 1040 vs 300 → negligible risk, high contribution → MONITOR. LOW: 2000 on hand → PAUSE.
      expect(row('SKU-A').quadrant).toBe('MONITOR');
      expect(row('SKU-LOW')).toMatchObject({ quadrant: 'PAUSE', daysOfCover: 200 });
      expect(r.reorderQueue).toEqual(['SKU-HOT']);
      expect(r.pause).toEqual(['SKU-LOW']);
      const only = (await ok(`{ skuPriorityMatrix(abcClass: A) { rows { sku } } }`)).skuPriorityMatrix;
      expect(only.rows.map((x: any) => x.sku)).toEqual(['SKU-HOT']);
    });
  });

  describe('workspaces and limits', () => {
    it('keeps workspaces apart: foreign ids and skus behave as missing', async () => {
      const other = await s.newKey('other-planner');
      const o = <T = Record<string, any>>(q: string, vars?: Record<string, unknown>) => gql<T>(s.url, other, q, vars);
      expect((await o(`{ product(sku: "SKU-A") { sku } }`)).data).toEqual({ product: null });
      expect((await o(`{ supplier(id: "${supplierId}") { id } }`)).data).toEqual({ supplier: null });
      expect(
        (
          await o(
            `{ products { totalCount } suppliers { totalCount } purchaseOrders { totalCount } profitabilityScenarios { totalCount } }`,
          )
        ).data,
      ).toEqual({
        products: { totalCount: 0 },
        suppliers: { totalCount: 0 },
        purchaseOrders: { totalCount: 0 },
        profitabilityScenarios: { totalCount: 0 },
      });
      const p = await o(UPSERT_PRODUCT, { input: { sku: 'SKU-A', name: 'Their board', unitCost: 1, price: 2, supplierId } });
      expect(p.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.supplierId' });
      const sales = await o(RECORD_SALES, { input: [{ sku: 'SKU-A', date: iso(-1), units: 1 }] });
      expect(sales.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].sku' });
      const ours = await ok(`{ purchaseOrders(status: OPEN) { edges { node { id } } } }`);
      const cancel = await o(`mutation($id: ID!) { cancelPurchaseOrder(id: $id) { id } }`, { id: ours.purchaseOrders.edges[0].node.id });
      expect(cancel.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const cmp = await o(COMPARE_MIN, { input: { suppliers: [{ supplierId }, { supplierId }], demand: { dailyMean: 1 }, price: 2 } });
      expect(cmp.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.suppliers[0].supplierId' });
      expect((await ok(`{ product(sku: "SKU-A") { inTransit } }`)).product.inTransit).toBe(240);
    });

    it('accepts a full 10,000-day batch in one call and rejects 10,001', async () => {
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-BULK-1', name: 'Bulk 1', unitCost: 1, price: 2 } });
      await ok(UPSERT_PRODUCT, { input: { sku: 'SKU-BULK-2', name: 'Bulk 2', unitCost: 1, price: 2 } });
      const days = (sku: string) =>
        Array.from({ length: 5000 }, (_, k) => ({ sku, date: iso(-5000 + k), units: k % 7, inStock: k % 50 !== 0 }));
      const input = [...days('SKU-BULK-1'), ...days('SKU-BULK-2')];
      const r = await ok(RECORD_SALES, { input });
      expect(r.recordSales).toEqual({ inserted: 10000, updated: 0 });
      const before = await salesRows();
      await bad(RECORD_SALES, { input: [...input, { sku: 'SKU-BULK-1', date: iso(-1), units: 1 }] }, 'input');
      expect(await salesRows()).toBe(before);
      const again = await ok(RECORD_SALES, { input });
      expect(again.recordSales).toEqual({ inserted: 0, updated: 10000 });
    });
  });
});

const COMPARE_MIN = `query($input: CompareSuppliersInput!) { compareSuppliers(input: $input) { recommended } }`;

/** Φ by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7), independent of the server's. */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp((-x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
