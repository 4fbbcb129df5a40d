/**
 * Own-SKU ledgers and their reconciliation through the real pipeline: recordLedger over HTTP into a
 * running server, the alert evaluator's post-commit pass, then which RECONCILIATION_MISMATCH alerts
 * exist, what the reconciliation query answers and what a webhook receives. Every scenario lies on
 * whole UTC days before today, so the windows judged do not depend on the time the suite runs.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OutboxEntry } from '../../server/modules/webhook/webhook.entity';
import { receiver, until } from '../helpers/receiver';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** UTC midnight of today. */
const D0 = Math.floor(Date.now() / DAY) * DAY;
const at = (daysBack: number, hour: number) => new Date(D0 - daysBack * DAY + hour * HOUR).toISOString();

const RECORD = `mutation($input: RecordLedgerInput!) { recordLedger(input: $input) {
  stockMovements { inserted duplicates } orderSales { inserted duplicates } stockReadings { inserted duplicates } } }`;
const ALERTS = `query($subjectId: String, $kind: AlertKind) { alerts(subjectId: $subjectId, kind: $kind, first: 50) {
  totalCount edges { node { id kind level status subjectType subjectId title message explanation { formula steps { label value note } notes } } } } }`;
const RECONCILE = `query($sku: String!, $from: DateTime, $to: DateTime) { reconciliation(sku: $sku, from: $from, to: $to) {
  sku ok level toleranceAbsolute toleranceRelative
  findings { code level at expected actual difference tolerance detail }
  figures { from to openingStock closingStock recordedSalesUnits saleMovementUnits netMovementUnits expectedClosingStock }
  explanation { formula steps { label value } notes } } }`;

interface Reading {
  sku: string;
  at: string;
  stock: number | null;
  stockIsLowerBound?: boolean;
  dealType?: string;
  dealEndsAt?: string;
  source?: string;
}

/**
 * A two-hour own lightning deal on day `d` (days back): 100 units at 08:00, deal 10:00–12:00 with
 * two orders of 30, 40 left after it; the settled reading comes at 20:00. `over` replaces pieces.
 */
function dealDay(sku: string, d: number, over: { readings?: Reading[]; saleMoves?: number[]; orders?: number[] } = {}) {
  const ends = at(d, 12);
  const readings: Reading[] = over.readings ?? [
    { sku, at: at(d, 8), stock: 100, source: 'sp-api' },
    { sku, at: at(d, 10), stock: 100, dealType: 'LIGHTNING', dealEndsAt: ends, source: 'sp-api' },
    { sku, at: at(d, 11), stock: 70, dealType: 'LIGHTNING', dealEndsAt: ends, source: 'sp-api' },
    { sku, at: at(d, 12), stock: 40, source: 'sp-api' },
    { sku, at: at(d, 20), stock: 40, source: 'sp-api' },
  ];
  const moves = over.saleMoves ?? [-30, -30];
  const orders = over.orders ?? [30, 30];
  return {
    stockMovements: moves.map((q, i) => ({ sku, at: at(d, 10.5 + i * 0.75), quantity: q, type: 'SALE', reference: `${sku}-MV-${i}` })),
    orderSales: orders.map((u, i) => ({ sku, orderId: `${sku}-ORD-${i}`, at: at(d, 10.5 + i * 0.75), units: u })),
    stockReadings: readings,
  };
}

describeDatabase('own-SKU ledgers and reconciliation', (databaseUrl) => {
  let s: TestServer;
  const ok = async (q: string, v?: Record<string, unknown>) => {
    const data = await gqlOk(s.url, s.apiKey, q, v);
    await s.app.services.alertEvaluator.idle();
    return data;
  };
  const alertsOf = async (sku: string) =>
    (await ok(ALERTS, { subjectId: sku, kind: 'RECONCILIATION_MISMATCH' })).alerts.edges.map(
      (e: { node: Record<string, unknown> }) => e.node,
    ) as Record<string, any>[];
  const product = (sku: string) =>
    ok(`mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
      i: { sku, name: `Ledger ${sku}`, unitCost: 5, price: 19.9, onHand: 40 },
    });
  const counts = async (sku: string) =>
    (
      await ok(
        `query($sku: String!) { product(sku: $sku) { stockMovements(first: 1) { totalCount } orderSales(first: 1) { totalCount } stockReadings(first: 1) { totalCount } } }`,
        { sku },
      )
    ).product;

  beforeAll(async () => {
    s = await startTestServer({
      databaseUrl,
      env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' },
      dispatcher: { pollMs: 25, backoffMs: () => 30 },
    });
    for (const sku of ['L-CLEAN', 'L-OVER', 'L-MISMATCH', 'L-CENSORED', 'L-EXACT']) await product(sku);
  });
  afterAll(async () => s?.stop());

  it('the default rules include a ledger rule; its tolerances are validated naming the field', async () => {
    const rules = await ok(
      `{ alertRules(first: 50, kind: RECONCILIATION_MISMATCH) { edges { node { kind enabled toleranceAbsolute toleranceRelative reconcileWindowHours settleHours } } } }`,
    );
    expect(rules.alertRules.edges.map((e: any) => e.node)).toEqual([
      {
        kind: 'RECONCILIATION_MISMATCH',
        enabled: true,
        toleranceAbsolute: null,
        toleranceRelative: null,
        reconcileWindowHours: null,
        settleHours: null,
      },
    ]);
    const CREATE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id toleranceRelative } }`;
    for (const [input, field] of [
      [{ name: 'x', kind: 'RECONCILIATION_MISMATCH', toleranceRelative: 1.5 }, 'input.toleranceRelative'],
      [{ name: 'x', kind: 'RECONCILIATION_MISMATCH', toleranceAbsolute: -1 }, 'input.toleranceAbsolute'],
      [{ name: 'x', kind: 'RECONCILIATION_MISMATCH', reconcileWindowHours: 0 }, 'input.reconcileWindowHours'],
      [{ name: 'x', kind: 'CONSUMPTION_DEVIATION', toleranceAbsolute: 3 }, 'input.toleranceAbsolute'],
      [{ name: 'x', kind: 'RECONCILIATION_MISMATCH', scope: { type: 'TIER', tier: 'CORE' } }, 'input.scope.type'],
    ] as const) {
      const r = await gql(s.url, s.apiKey, CREATE, { input });
      expect(r.errors?.[0].extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('a clean deal reconciles without an alert; re-sending is idempotent; pages and the reconciliation query answer', async () => {
    const batch = dealDay('L-CLEAN', 2);
    expect((await ok(RECORD, { input: batch })).recordLedger).toEqual({
      stockMovements: { inserted: 2, duplicates: 0 },
      orderSales: { inserted: 2, duplicates: 0 },
      stockReadings: { inserted: 5, duplicates: 0 },
    });
    expect((await ok(RECORD, { input: batch })).recordLedger).toEqual({
      stockMovements: { inserted: 0, duplicates: 2 },
      orderSales: { inserted: 0, duplicates: 2 },
      stockReadings: { inserted: 0, duplicates: 5 },
    });
    expect(await alertsOf('L-CLEAN')).toEqual([]);
    // The evaluator did judge the deal window (its state moved to the settled reading), and found it clean.
    const state = await ok(
      `{ alertSubjectStates(subjectType: PRODUCT, subjectId: "L-CLEAN", kind: RECONCILIATION_MISMATCH) { openLevel lastObservedAt } }`,
    );
    expect(state.alertSubjectStates).toEqual([{ openLevel: null, lastObservedAt: at(2, 20) }]);

    const p1 = await ok(
      `{ product(sku: "L-CLEAN") { stockReadings(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { at stock dealType dealEndsAt source } } } } }`,
    );
    const page = p1.product.stockReadings;
    expect(page.totalCount).toBe(5);
    expect(page.edges.map((e: any) => e.node)).toEqual([
      { at: at(2, 8), stock: 100, dealType: 'NONE', dealEndsAt: null, source: 'sp-api' },
      { at: at(2, 10), stock: 100, dealType: 'LIGHTNING', dealEndsAt: at(2, 12), source: 'sp-api' },
    ]);
    const p2 = await ok(
      `query($after: String) { product(sku: "L-CLEAN") { stockReadings(first: 10, after: $after, to: "${at(2, 20)}") { edges { node { stock } } } } }`,
      {
        after: page.pageInfo.endCursor,
      },
    );
    expect(p2.product.stockReadings.edges.map((e: any) => e.node.stock)).toEqual([70, 40]);
    const mv = await ok(
      `{ product(sku: "L-CLEAN") { stockMovements(first: 5) { edges { node { at quantity type reference } } } orderSales(first: 5) { edges { node { orderId units } } } } }`,
    );
    expect(mv.product.stockMovements.edges.map((e: any) => e.node)).toEqual([
      { at: at(2, 10.5), quantity: -30, type: 'SALE', reference: 'L-CLEAN-MV-0' },
      { at: at(2, 11.25), quantity: -30, type: 'SALE', reference: 'L-CLEAN-MV-1' },
    ]);
    expect(mv.product.orderSales.edges.map((e: any) => e.node)).toEqual([
      { orderId: 'L-CLEAN-ORD-0', units: 30 },
      { orderId: 'L-CLEAN-ORD-1', units: 30 },
    ]);

    // `from` between readings is moved back to the opening reading (08:00), so nothing in between is lost.
    const r = (await ok(RECONCILE, { sku: 'L-CLEAN', from: at(2, 9), to: at(2, 21) })).reconciliation;
    expect(r).toMatchObject({
      sku: 'L-CLEAN',
      ok: true,
      level: null,
      findings: [],
      toleranceAbsolute: 2,
      toleranceRelative: 0.01,
      figures: {
        from: at(2, 8),
        to: at(2, 21),
        openingStock: 100,
        closingStock: 40,
        recordedSalesUnits: 60,
        saleMovementUnits: 60,
        netMovementUnits: -60,
        expectedClosingStock: 40,
      },
    });
    expect(r.explanation.formula).toMatch(/three-way reconciliation/);
    expect((await ok(RECONCILE, { sku: 'NO-SUCH-SKU' })).reconciliation).toBeNull();
    const early = await gql(s.url, s.apiKey, RECONCILE, { sku: 'L-CLEAN', from: at(3, 0), to: at(2, 21) });
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('is all or nothing: one bad item names its field and stores nothing', async () => {
    const before = await counts('L-CLEAN');
    const good = dealDay('L-CLEAN', 1);
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...good, stockMovements: [good.stockMovements[0], { ...good.stockMovements[1], quantity: 5 }] },
        'input.stockMovements[1].quantity',
      ],
      [{ ...good, stockMovements: [{ sku: 'L-CLEAN', at: at(1, 9), quantity: -3, type: 'RECEIPT' }] }, 'input.stockMovements[0].quantity'],
      [{ ...good, orderSales: [good.orderSales[0], { ...good.orderSales[1], units: -2 }] }, 'input.orderSales[1].units'],
      [
        { ...good, orderSales: [good.orderSales[0], { ...good.orderSales[1], orderId: good.orderSales[0].orderId }] },
        'input.orderSales[1].orderId',
      ],
      [
        { ...good, stockReadings: [...good.stockReadings.slice(0, 4), { ...good.stockReadings[4], sku: 'NOT-OURS' }] },
        'input.stockReadings[4].sku',
      ],
      [
        { ...good, stockReadings: [{ sku: 'L-CLEAN', at: at(1, 3), stock: null, stockIsLowerBound: true }] },
        'input.stockReadings[0].stockIsLowerBound',
      ],
      [
        { ...good, stockReadings: [{ sku: 'L-CLEAN', at: new Date(Date.now() + 3 * DAY).toISOString(), stock: 4 }] },
        'input.stockReadings[0].at',
      ],
    ];
    for (const [input, field] of cases) {
      const r = await gql(s.url, s.apiKey, RECORD, { input });
      expect(r.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const tooMany = await gql(s.url, s.apiKey, RECORD, {
      input: {
        stockReadings: Array.from({ length: 10_001 }, (_, i) => ({
          sku: 'L-CLEAN',
          at: new Date(D0 - 20 * DAY + i * 60_000).toISOString(),
          stock: 1,
        })),
      },
    });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(await counts('L-CLEAN')).toEqual(before);
  });

  it('an oversold deal raises RED at once (negative stock after the deal), reaches the webhook, and resolves after a clean day', async () => {
    const hook = await receiver();
    try {
      const reg = await ok(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id secret } }`, {
        input: { url: hook.url, kinds: ['RECONCILIATION_MISMATCH'], minLevel: 'RED' },
      });
      // 20 units before the deal, 24 sold in it: the listing shows −4 when the deal ends.
      const ends = at(3, 12);
      const first = dealDay('L-OVER', 3, {
        readings: [
          { sku: 'L-OVER', at: at(3, 8), stock: 20 },
          { sku: 'L-OVER', at: at(3, 10), stock: 20, dealType: 'LIGHTNING', dealEndsAt: ends },
          { sku: 'L-OVER', at: at(3, 11), stock: 5, dealType: 'LIGHTNING', dealEndsAt: ends },
          { sku: 'L-OVER', at: at(3, 12), stock: -4 },
        ],
        saleMoves: [-15, -9],
        orders: [15, 9],
      });
      await ok(RECORD, { input: first });
      // No settled reading yet: the negative reading after the deal alone raises it.
      const raised = await alertsOf('L-OVER');
      expect(raised.map((a) => [a.kind, a.level, a.status])).toEqual([['RECONCILIATION_MISMATCH', 'RED', 'OPEN']]);
      expect(raised[0].message).toMatch(/NEGATIVE_STOCK: snapshot at .*Z shows stock -4 < 0/);
      expect(raised[0].message).toMatch(/own LIGHTNING deal/);
      expect(raised[0].explanation.steps.some((st: any) => st.label === 'NEGATIVE_STOCK' && st.value === '-4')).toBe(true);

      await until(() => hook.got.some((g) => JSON.parse(g.body).event === 'RAISED'));
      const got = hook.got.map((g) => ({ g, body: JSON.parse(g.body) })).filter((x) => x.body.event === 'RAISED');
      expect(got).toHaveLength(1);
      expect(got[0].body).toMatchObject({
        kind: 'RECONCILIATION_MISMATCH',
        level: 'RED',
        alert: { id: raised[0].id, subjectId: 'L-OVER' },
      });
      expect(got[0].g.headers['x-restockradar-signature']).toBe(
        `sha256=${createHmac('sha256', reg.registerWebhook.secret).update(got[0].g.body).digest('hex')}`,
      );
      expect(await s.db.manager.count(OutboxEntry, { where: { webhookId: reg.registerWebhook.id } })).toBeGreaterThanOrEqual(1);

      // The reconciliation query shows the same: negative stock, and the ledger went below zero too.
      const rec = (await ok(RECONCILE, { sku: 'L-OVER', from: at(3, 8), to: at(3, 12) })).reconciliation;
      expect(rec.findings.map((f: any) => f.code)).toEqual(['NEGATIVE_STOCK', 'NEGATIVE_LEDGER_BALANCE']);

      // A receipt of 50, the settled reading (the deal window still shows the oversell: stays RED),
      // then a clean next day closed by a reading the morning after: resolved.
      await ok(RECORD, {
        input: {
          stockMovements: [
            { sku: 'L-OVER', at: at(3, 14), quantity: 50, type: 'RECEIPT', reference: 'ASN-77' },
            { sku: 'L-OVER', at: at(2, 10), quantity: -6, type: 'SALE', reference: 'L-OVER-MV-9' },
          ],
          orderSales: [{ sku: 'L-OVER', orderId: 'L-OVER-ORD-9', at: at(2, 10), units: 6 }],
          stockReadings: [
            { sku: 'L-OVER', at: at(3, 16), stock: 46 },
            { sku: 'L-OVER', at: at(3, 20), stock: 46 },
            { sku: 'L-OVER', at: at(2, 12), stock: 40 },
            { sku: 'L-OVER', at: at(1, 8), stock: 40 },
          ],
        },
      });
      const after = await alertsOf('L-OVER');
      expect(after.map((a) => [a.level, a.status])).toEqual([['RED', 'RESOLVED']]);
      expect(after[0].id).toBe(raised[0].id);
      await until(() => hook.got.length >= 1 && hook.got.some((g) => JSON.parse(g.body).event === 'RESOLVED'));
      await ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: reg.registerWebhook.id });
    } finally {
      await hook.close();
    }
  });

  it('order sales that disagree with SALE movements raise RED SALES_VS_MOVEMENTS', async () => {
    // The order system sold 60, the warehouse booked 40 out; the listing agrees with the warehouse.
    const batch = dealDay('L-MISMATCH', 2, {
      saleMoves: [-30, -10],
      readings: [
        { sku: 'L-MISMATCH', at: at(2, 8), stock: 100 },
        { sku: 'L-MISMATCH', at: at(2, 10), stock: 100, dealType: 'LIGHTNING', dealEndsAt: at(2, 12) },
        { sku: 'L-MISMATCH', at: at(2, 11), stock: 70, dealType: 'LIGHTNING', dealEndsAt: at(2, 12) },
        { sku: 'L-MISMATCH', at: at(2, 12), stock: 60 },
        { sku: 'L-MISMATCH', at: at(2, 20), stock: 60 },
      ],
    });
    await ok(RECORD, { input: batch });
    const a = await alertsOf('L-MISMATCH');
    expect(a.map((x) => [x.level, x.status])).toEqual([['RED', 'OPEN']]);
    expect(a[0].message).toMatch(/SALES_VS_MOVEMENTS: order system recorded 60 units sold, the ledger moved 40 out/);
    expect(a[0].message).not.toMatch(/NEGATIVE_STOCK|LEDGER_VS_SNAPSHOT/);
  });

  it('censored readings ("10+") never contradict the ledger; the same figures read as exact do', async () => {
    const readings = (sku: string, lower: boolean): Reading[] => [
      { sku, at: at(2, 8), stock: 100 },
      { sku, at: at(2, 10), stock: 100, dealType: 'LIGHTNING', dealEndsAt: at(2, 12) },
      { sku, at: at(2, 11), stock: 10, stockIsLowerBound: lower, dealType: 'LIGHTNING', dealEndsAt: at(2, 12) },
      { sku, at: at(2, 12), stock: 10, stockIsLowerBound: lower },
      { sku, at: at(2, 19), stock: null },
      { sku, at: at(2, 20), stock: 40 },
    ];
    await ok(RECORD, { input: dealDay('L-CENSORED', 2, { readings: readings('L-CENSORED', true) }) });
    await ok(RECORD, { input: dealDay('L-EXACT', 2, { readings: readings('L-EXACT', false) }) });
    expect(await alertsOf('L-CENSORED')).toEqual([]);
    const exact = await alertsOf('L-EXACT');
    expect(exact.map((x) => x.level)).toEqual(['RED']);
    expect(exact[0].message).toMatch(/LEDGER_VS_SNAPSHOT/);
    const rec = (await ok(RECONCILE, { sku: 'L-CENSORED', from: at(2, 8), to: at(2, 20) })).reconciliation;
    expect(rec).toMatchObject({ ok: true, findings: [], figures: { openingStock: 100, closingStock: 40, expectedClosingStock: 40 } });
  });
});
