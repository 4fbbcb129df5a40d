/**
 * Alerts that must work in real time and stay quiet when nothing is wrong, through the real
 * pipeline (HTTP ingest into a running server, real database, evaluator after the response):
 * - restock alerts that open and resolve in one evaluation can still be acknowledged and labelled,
 *   and the labels reach the evaluator's feedback (issue 14, item 10);
 * - CONSUMPTION_RATE: an own SKU's order stream (recordLedger) or a competitor's drain rising to 6–7×
 *   its hour-of-day rate is raised within one window (1 h) of the rise, replayed with a pinned clock;
 *   a slow seller's Poisson noise is not (issue 14, item 8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const MIN = 60_000;
const HOUR = 60 * MIN;

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;
const ALERTS = `query($subjectId: String, $kind: AlertKind) { alerts(subjectId: $subjectId, kind: $kind, first: 50) {
  totalCount edges { node { id kind level status subjectId cause note acknowledgedAt openedAt resolvedAt message } } } }`;

/** Captures every `stepMs`, ending at `end`, one per stock value. */
function captures(asin: string, end: number, stepMs: number, stocks: number[]) {
  const start = end - (stocks.length - 1) * stepMs;
  return stocks.map((stock, i) => ({ asin, capturedAt: new Date(start + i * stepMs).toISOString(), stock, price: 20 }));
}

describeDatabase('real-time alerts', (databaseUrl) => {
  let s: TestServer;
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const ok = async (q: string, v?: Record<string, unknown>) => {
    const data = await gqlOk(s.url, s.apiKey, q, v);
    await s.app.services.alertEvaluator.idle();
    return data;
  };
  const alertsOf = async (subjectId: string, kind?: string) =>
    (await ok(ALERTS, { subjectId, kind })).alerts.edges.map((e: { node: Record<string, unknown> }) => e.node) as Record<string, any>[];
  const competitorId = async (asin: string): Promise<string> =>
    (await ok(`query($a: String!) { competitor(asin: $a, marketplace: "US") { id } }`, { a: asin })).competitor.id;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  });
  afterAll(async () => s?.stop());

  describe('real-time consumption rate (CONSUMPTION_RATE)', () => {
    const LEDGER = `mutation($input: RecordLedgerInput!) { recordLedger(input: $input) { orderSales { inserted } } }`;
    const RISE = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
    const orders = (sku: string, from: number, to: number, everyMs: number) => {
      const out = [];
      for (let t = from; t < to; t += everyMs) out.push({ sku, orderId: `${sku}-${t}`, at: new Date(t).toISOString(), units: 1 });
      return out;
    };
    const upsert = (sku: string) =>
      ok(`mutation($input: UpsertProductInput!) { upsertProduct(input: $input) { sku } }`, {
        input: { sku, name: sku, unitCost: 2, price: 5, onHand: 5000 },
      });

    it('own orders rising from 4/h to 30/h raise CONSUMPTION_RATE within one window of the rise; a slow seller’s noise does not', async () => {
      await upsert('RT-FAST');
      await upsert('RT-SLOW');
      s.app.clock.now = () => RISE;
      // Three days of history: one order every 15 min (4/h) and, for the slow seller, one every 4 h.
      await ok(LEDGER, {
        input: {
          orderSales: [
            ...orders('RT-FAST', RISE - 3 * 24 * HOUR, RISE, 15 * MIN),
            ...orders('RT-SLOW', RISE - 3 * 24 * HOUR, RISE, 4 * HOUR),
          ],
        },
      });
      expect(await alertsOf('RT-FAST', 'CONSUMPTION_RATE')).toEqual([]);

      // The rise: one order every 2 min (30/h, 7.5×), sent every 10 min as the order system does.
      let firstSeen: number | null = null;
      let redSeen: number | null = null;
      for (let t = RISE + 10 * MIN; t <= RISE + 90 * MIN; t += 10 * MIN) {
        s.app.clock.now = () => t;
        await ok(LEDGER, { input: { orderSales: orders('RT-FAST', t - 10 * MIN, t, 2 * MIN) } });
        const open = (await alertsOf('RT-FAST', 'CONSUMPTION_RATE')).filter((a) => a.status === 'OPEN');
        if (open.length && firstSeen === null) firstSeen = t - RISE;
        if (open.some((a) => a.level === 'RED') && redSeen === null) redSeen = t - RISE;
      }
      if (process.env.RR_VERBOSE) console.log(`first alert ${firstSeen! / MIN} min, RED ${redSeen! / MIN} min after the rise`);
      expect(firstSeen).not.toBeNull();
      expect(firstSeen!).toBeLessThanOrEqual(30 * MIN);
      expect(redSeen).not.toBeNull();
      expect(redSeen!).toBeLessThanOrEqual(60 * MIN);
      const [alert] = await alertsOf('RT-FAST', 'CONSUMPTION_RATE');
      expect(alert.level).toBe('RED');
      expect(alert.message).toMatch(/RED: .* % of the .* expected \(> 500 %\), above the Poisson limit/);

      // The slow seller (0.25/h) gets 3 orders in one hour: 12× its rate, but within Poisson noise.
      s.app.clock.now = () => RISE + 100 * MIN;
      await ok(LEDGER, { input: { orderSales: orders('RT-SLOW', RISE + 30 * MIN, RISE + 60 * MIN, 10 * MIN) } });
      expect(await alertsOf('RT-SLOW', 'CONSUMPTION_RATE')).toEqual([]);
    });

    it('a GENERAL competitor draining 4/h that starts draining 30/h is RED at the first capture after the rise', async () => {
      await ok(`mutation { upsertCompetitor(input: { asin: "B0RATE0001", marketplace: "US", tier: GENERAL }) { id } }`);
      const id = await competitorId('B0RATE0001');
      const start = RISE - 3 * 24 * HOUR;
      const history = Array.from({ length: 73 }, (_, h) => ({
        asin: 'B0RATE0001',
        capturedAt: new Date(start + h * HOUR).toISOString(),
        stock: 2000 - 4 * h,
        price: 20,
      }));
      s.app.clock.now = () => RISE + MIN;
      await ok(RECORD, { input: history });
      expect(await alertsOf(id, 'CONSUMPTION_RATE')).toEqual([]);
      const last = 2000 - 4 * 72;
      for (let h = 1; h <= 2; h++) {
        s.app.clock.now = () => RISE + h * HOUR + MIN;
        await ok(RECORD, {
          input: [{ asin: 'B0RATE0001', capturedAt: new Date(RISE + h * HOUR).toISOString(), stock: last - 30 * h, price: 20 }],
        });
        const open = (await alertsOf(id, 'CONSUMPTION_RATE')).filter((a) => a.status === 'OPEN');
        expect(
          open.map((a) => a.level),
          `capture ${h} h after the rise`,
        ).toEqual(['RED']);
      }
    });

    it('rule settings are validated with input paths', async () => {
      const CREATE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id rateWindowMinutes rateOrangePercent rateRedPercent rateMinUnits } }`;
      const made = await ok(CREATE, {
        input: {
          name: 'fast window',
          kind: 'CONSUMPTION_RATE',
          rateWindowMinutes: 5,
          rateOrangePercent: 150,
          rateRedPercent: 300,
          rateMinUnits: 3,
        },
      });
      expect(made.createAlertRule).toMatchObject({ rateWindowMinutes: 5, rateOrangePercent: 150, rateRedPercent: 300, rateMinUnits: 3 });
      await ok(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: made.createAlertRule.id });
      for (const [input, field] of [
        [{ name: 'x', kind: 'CONSUMPTION_RATE', rateWindowMinutes: 4 }, 'input.rateWindowMinutes'],
        [{ name: 'x', kind: 'CONSUMPTION_RATE', rateOrangePercent: 50 }, 'input.rateOrangePercent'],
        [{ name: 'x', kind: 'CONSUMPTION_RATE', rateOrangePercent: 600 }, 'input.rateOrangePercent'],
        [{ name: 'x', kind: 'CONSUMPTION_RATE', rateOrangePercent: 300, rateRedPercent: 250 }, 'input.rateRedPercent'],
        [{ name: 'x', kind: 'CONSUMPTION_RATE', rateMinUnits: 0 }, 'input.rateMinUnits'],
        [{ name: 'x', kind: 'DATA_STALE', rateWindowMinutes: 30 }, 'input.rateWindowMinutes'],
      ] as const) {
        const res = await gql(s.url, s.apiKey, CREATE, { input });
        expect(res.errors?.[0].extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });
  });

  describe('instant restock alerts (opened and resolved in one evaluation)', () => {
    it('can be acknowledged with a cause label; the status stays RESOLVED and two DATA_ERROR labels reach the feedback', async () => {
      s.app.clock.now = () => Date.now();
      // Two restocks on one listing, sent in one batch: each is raised at its first raised capture
      // and resolved 6 h later within the same evaluation, so no alert is ever seen OPEN.
      const stocks = [
        ...[40, 30, 20, 10, 5, 0],
        ...[0, 0, 0, 0, 0],
        ...Array.from({ length: 14 }, (_, i) => 300 - 2 * i),
        ...[150, 40, 0],
        ...[0, 0, 0, 0, 0],
        ...Array.from({ length: 14 }, (_, i) => 500 - 2 * i),
      ];
      await ok(RECORD, { input: captures('B0INSTANT', t0, 30 * MIN, stocks) });
      const id = await competitorId('B0INSTANT');
      const restocks = await alertsOf(id, 'COMPETITOR_RESTOCK');
      expect(restocks).toHaveLength(2);
      expect(restocks.every((a) => a.status === 'RESOLVED')).toBe(true);

      const ACK = `mutation($id: ID!, $note: String) { acknowledgeAlert(id: $id, cause: DATA_ERROR, note: $note) {
        id status cause note acknowledgedAt resolvedAt } }`;
      for (const a of restocks) {
        const r = (await ok(ACK, { id: a.id, note: 'scraper read the wrong offer' })).acknowledgeAlert;
        expect(r).toMatchObject({ id: a.id, status: 'RESOLVED', cause: 'DATA_ERROR', note: 'scraper read the wrong offer' });
        expect(r.acknowledgedAt).not.toBeNull();
        expect(r.resolvedAt).toBe(a.resolvedAt);
      }
      // Relabelling replaces the label (the feedback counts each alert once).
      const re = await ok(`mutation($id: ID!) { acknowledgeAlert(id: $id, cause: OTHER) { status cause } }`, { id: restocks[0].id });
      expect(re.acknowledgeAlert).toEqual({ status: 'RESOLVED', cause: 'OTHER' });
      await ok(ACK, { id: restocks[0].id });

      // Two DATA_ERROR labels on the subject: one more debounce period for its restock alerts.
      const st = await ok(
        `query($id: String!) { alertSubjectStates(subjectType: COMPETITOR, subjectId: $id, kind: COMPETITOR_RESTOCK) {
        debounceBoost debouncePeriods adjustments { parameter before after alertIds } } }`,
        { id },
      );
      expect(st.alertSubjectStates[0]).toMatchObject({ debounceBoost: 1, debouncePeriods: 2 });
      expect(st.alertSubjectStates[0].adjustments).toHaveLength(1);
      expect(st.alertSubjectStates[0].adjustments[0]).toMatchObject({ parameter: 'debouncePeriods', before: 1, after: 2 });
      expect(st.alertSubjectStates[0].adjustments[0].alertIds).toHaveLength(2);

      // An unknown id is still NOT_FOUND; a bad cause names the argument.
      const missing = await gql(s.url, s.apiKey, `mutation { acknowledgeAlert(id: "nope", cause: OTHER) { id } }`);
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
