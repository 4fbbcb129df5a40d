/**
 * The seller's own SKUs from Amazon reports (fixtures written from Seller Central's documented column
 * names, tests/fixtures/import/amazon-*), through the importOwnReport mutation of a real server on both
 * databases, read back through the API: orders → ledger order sales and daily sales; FBA inventory and
 * Restock Inventory → on hand and in transit.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const FIX = 'tests/fixtures/import';
const IMPORT = `mutation($text: String!, $capturedAt: DateTime) { importOwnReport(text: $text, capturedAt: $capturedAt) {
  report rows orderLinesInserted orderLinesDuplicate salesDays productsUpdated inboundOrders
  skipped { line reason } rejected { line reason } } }`;
const PRODUCT = `query($sku: String!) { product(sku: $sku) { name onHand price inTransit
  openPurchaseOrders { quantity reference expectedDate }
  sales(from: "2026-11-01", to: "2026-11-05") { date units }
  orderSales(first: 10) { totalCount } } }`;

describeDatabase('own SKUs from Amazon reports', (databaseUrl) => {
  let s: TestServer;
  const report = async (file: string, vars: Record<string, unknown> = {}) =>
    (await gqlOk(s.url, s.apiKey, IMPORT, { text: readFileSync(`${FIX}/${file}`, 'utf8'), ...vars })).importOwnReport;
  const product = async (sku: string) => (await gqlOk(s.url, s.apiKey, PRODUCT, { sku })).product;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => Date.parse('2026-11-05T12:00:00Z');
    for (const [sku, name] of [
      ['OWN-BOARD', 'Bamboo Cutting Board'],
      ['OWN-KNIFE', 'Steel Knife Set'],
    ])
      await gqlOk(s.url, s.apiKey, `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
        i: { sku, name, unitCost: 6, price: 19.99 },
      });
  }, 120_000);
  afterAll(() => s?.stop());

  it('All Orders: order lines into the ledger, cancelled orders skipped, daily units per UTC day', async () => {
    const r = await report('amazon-all-orders.txt');
    expect(r).toMatchObject({ report: 'ORDERS', rows: 6, orderLinesInserted: 4, orderLinesDuplicate: 0, salesDays: 2 });
    expect(r.skipped).toEqual([{ line: 5, reason: 'cancelled order' }]);
    expect(r.rejected).toEqual([{ line: 7, reason: 'quantity: "lots" is not a whole number ≥ 0' }]);
    const board = await product('OWN-BOARD');
    // 2 + 1 + 3 units on 2026-11-02 (the -05:00 order is 23:05 UTC the same day).
    expect(board.sales).toEqual([{ date: '2026-11-02', units: 6 }]);
    expect(board.orderSales.totalCount).toBe(3);
    expect((await product('OWN-KNIFE')).sales).toEqual([{ date: '2026-11-03', units: 1 }]);
  });

  it('a re-imported, overlapping orders report changes nothing twice: days are recomputed from every stored line', async () => {
    const r = await report('amazon-all-orders.txt');
    expect(r).toMatchObject({ orderLinesInserted: 0, orderLinesDuplicate: 4, salesDays: 2 });
    expect((await product('OWN-BOARD')).sales).toEqual([{ date: '2026-11-02', units: 6 }]);
  });

  it('Manage FBA Inventory: on hand = fulfillable + reserved, inbound working + shipped + receiving in transit, replaced on re-import', async () => {
    const at = '2026-11-05T06:00:00Z';
    const r = await report('amazon-fba-inventory.txt', { capturedAt: at });
    expect(r).toMatchObject({ report: 'FBA_INVENTORY', rows: 2, productsUpdated: 2, inboundOrders: 1, rejected: [] });
    const board = await product('OWN-BOARD');
    expect(board).toMatchObject({ onHand: 128, price: 19.99, inTransit: 45 });
    expect(board.openPurchaseOrders).toEqual([{ quantity: 45, reference: 'FBA inbound', expectedDate: '2026-11-15' }]);
    await report('amazon-fba-inventory.txt', { capturedAt: at });
    expect((await product('OWN-BOARD')).inTransit).toBe(45);
    expect((await product('OWN-KNIFE')).inTransit).toBe(0);
  });

  it('Restock Inventory: Available on hand, Inbound in transit; a SKU the workspace lacks is rejected, saying what to do', async () => {
    const r = await report('amazon-restock-inventory.csv');
    expect(r).toMatchObject({ report: 'RESTOCK', rows: 1, productsUpdated: 0, inboundOrders: 0 });
    expect(r.rejected).toEqual([
      {
        line: 2,
        reason:
          'no product with sku "OWN-SPATULA" in this workspace: create it with upsertProduct (its unit cost is not in Amazon\'s reports)',
      },
    ]);
    await gqlOk(
      s.url,
      s.apiKey,
      `mutation { upsertProduct(input: { sku: "OWN-SPATULA", name: "Silicone Spatula", unitCost: 3, price: 9.99 }) { id } }`,
    );
    expect(await report('amazon-restock-inventory.csv')).toMatchObject({ productsUpdated: 1, inboundOrders: 1, rejected: [] });
    expect(await product('OWN-SPATULA')).toMatchObject({ onHand: 60, inTransit: 24, price: 12.99 });
  });

  it('refuses a report it does not know, naming what it saw', async () => {
    const r = await gql(s.url, s.apiKey, IMPORT, { text: 'a\tb\n1\t2\n' });
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(r.errors![0].message).toMatch(/not an Amazon report this import knows/);
  });
});
