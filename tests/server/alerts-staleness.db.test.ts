/**
 * One staleness rule for `dataStatus.stale` and the DATA_STALE alert (issue 14, item 9), through the
 * real pipeline: CSV import over the API, live captures sent as they are taken (pinned clock), the
 * scheduled alert pass, and the demo data set. Staleness is judged on when captures arrive, not on
 * how old imported history is: a backfill never raises it, a fresh demo has no DATA_STALE alert, and
 * a live listing whose captures stop is stale in both places at the same moment.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const STATUS = `query($a: String!) { competitor(asin: $a, marketplace: "US") { id dataStatus { stale ageHours staleAfterHours explanation { notes } } } }`;
const STALE_ALERTS = `{ alerts(kind: DATA_STALE, first: 500) { totalCount edges { node { subjectId level status explanation { data { stale } } } } } }`;

describeDatabase('capture staleness', (databaseUrl) => {
  let s: TestServer;
  const NOW = Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY;
  const ok = async (q: string, v?: Record<string, unknown>) => {
    const data = await gqlOk(s.url, s.apiKey, q, v);
    await s.app.services.alertEvaluator.idle();
    return data;
  };
  /** The scheduled pass (DATA_STALE for every listing) at `t`, with the server's clock at `t`. */
  const pass = async (t: number) => {
    s.app.clock.now = () => t;
    await s.app.services.alertEvaluator.runOnce(t);
    await s.app.services.alertEvaluator.idle();
  };
  const staleAlerts = async () => (await ok(STALE_ALERTS)).alerts.edges.map((e: any) => e.node) as Record<string, any>[];

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
  });
  afterAll(async () => s?.stop());

  it('a CSV backfill of 30 listings (history ending 3 days ago) raises no DATA_STALE alert, now or later; dataStatus agrees', async () => {
    const lines = ['asin,capturedAt,stock,price,source'];
    for (let l = 0; l < 30; l++) {
      const asin = `B0BACK${String(l).padStart(4, '0')}`;
      for (let h = 47; h >= 0; h--) lines.push(`${asin},${new Date(NOW - 3 * DAY - h * HOUR).toISOString()},${200 + h},19.99,keepa`);
    }
    const r = await ok(
      `mutation($csv: String!) { importSnapshotsCsv(csv: $csv, format: LONG) { inserted competitorsCreated rejectedCount } }`,
      { csv: lines.join('\n') },
    );
    expect(r.importSnapshotsCsv).toEqual({ inserted: 30 * 48, competitorsCreated: 30, rejectedCount: 0 });
    expect(await staleAlerts()).toEqual([]);
    for (const t of [NOW, NOW + 6 * HOUR, NOW + 2 * DAY]) {
      await pass(t);
      expect(await staleAlerts(), new Date(t).toISOString()).toEqual([]);
    }
    for (const l of [0, 17, 29]) {
      const st = (await ok(STATUS, { a: `B0BACK${String(l).padStart(4, '0')}` })).competitor.dataStatus;
      expect(st.stale).toBe(false);
      expect(st.ageHours).toBeGreaterThan(3 * 24); // the history itself is old; that is not staleness
      expect(st.explanation.notes.join(' ')).toMatch(/arrived .* after it was captured/);
    }
  });

  it('a live listing whose captures stop is stale in dataStatus exactly when DATA_STALE opens', async () => {
    s.app.clock.now = () => NOW;
    // A GENERAL listing (stale factor 3; POTENTIAL, the default for listings first seen in a capture, has 4.5).
    await ok(`mutation { upsertCompetitor(input: { asin: "B0LIVE0001", marketplace: "US", tier: GENERAL }) { id } }`);
    // Hourly captures, each sent a minute after it was taken.
    for (let h = 24; h >= 0; h--) {
      const at = NOW - h * HOUR;
      s.app.clock.now = () => at + 60_000;
      await ok(`mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`, {
        input: [{ asin: 'B0LIVE0001', capturedAt: new Date(at).toISOString(), stock: 500 - h, price: 20 }],
      });
    }
    const id = (await ok(STATUS, { a: 'B0LIVE0001' })).competitor.id;
    const mine = async () => (await staleAlerts()).filter((a) => a.subjectId === id && a.status !== 'RESOLVED');
    // T = 3 × the 1 h interval, at least 2 h: stale once nothing arrived for 3 h.
    for (const [after, stale] of [
      [2.5 * HOUR, false],
      [3.5 * HOUR, true],
    ] as const) {
      await pass(NOW + 60_000 + after);
      const st = (await ok(STATUS, { a: 'B0LIVE0001' })).competitor.dataStatus;
      expect(st.staleAfterHours).toBe(3);
      expect(st.stale, `after ${after / HOUR} h`).toBe(stale);
      expect((await mine()).map((a) => a.level)).toEqual(stale ? ['YELLOW'] : []);
      // The alert's own provenance says stale by the same rule.
      for (const a of await mine()) expect(a.explanation.data.stale).toBe(true);
    }
    // A capture arrives again: fresh in both places.
    s.app.clock.now = () => NOW + 4 * HOUR;
    await ok(`mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`, {
      input: [{ asin: 'B0LIVE0001', capturedAt: new Date(NOW + 4 * HOUR - 60_000).toISOString(), stock: 470, price: 20 }],
    });
    await pass(NOW + 4 * HOUR + 60_000);
    expect((await ok(STATUS, { a: 'B0LIVE0001' })).competitor.dataStatus.stale).toBe(false);
    expect(await mine()).toEqual([]);
  });
});

describeDatabase('capture staleness of the demo', (databaseUrl) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl, demo: true });
  }, 300_000);
  afterAll(async () => s?.stop());

  it('a fresh demo opens no DATA_STALE alert, and every listing’s dataStatus.stale agrees with its alerts', async () => {
    await s.app.services.alertEvaluator.idle();
    await s.app.services.alertEvaluator.runOnce(s.app.clock.now());
    await s.app.services.alertEvaluator.idle();
    const alerts = await gqlOk(s.url, s.apiKey, STALE_ALERTS);
    expect(alerts.alerts.edges.map((e: any) => e.node)).toEqual([]);
    const list = await gqlOk(s.url, s.apiKey, `{ competitors(first: 100) { edges { node { id asin dataStatus { stale } } } } }`);
    const nodes = list.competitors.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(30);
    expect(nodes.filter((n: any) => n.dataStatus.stale).map((n: any) => n.asin)).toEqual([]);
  }, 120_000);
});
