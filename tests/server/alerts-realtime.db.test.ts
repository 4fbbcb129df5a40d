/**
 * Alerts that must work in real time and stay quiet when nothing is wrong, through the real
 * pipeline (HTTP ingest into a running server, real database, evaluator after the response):
 * - restock alerts that open and resolve in one evaluation can still be acknowledged and labelled,
 *   and the labels reach the evaluator's feedback (issue 14, item 10).
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

  describe('instant restock alerts (opened and resolved in one evaluation)', () => {
    it('can be acknowledged with a cause label; the status stays RESOLVED and two DATA_ERROR labels reach the feedback', async () => {
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
