/**
 * The shared per-reading anomaly flags through the real API on both databases: a one-capture 0
 * between 506 and 505 is one anomaly, and restocks, stockoutWindows, velocity, Competitor.anomalies
 * and alerts all agree on it (before: a 505-unit FROM_ZERO restock at 0.95 and a 1 h stockout
 * while alerts stayed quiet). Also: an exact 0 → 800 restock is 800 units.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const HOUR = 3_600_000;
const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;
const FIELDS = `id
  anomalies { capturedAt kinds fields stockLeftOut explanation }
  restocks(includeFlaps: true) { at quantity kind confidence }
  stockoutWindows(minDurationHours: 0) { start end durationHours }
  velocity { unitsMeasured restockUnits perHour { value } explanation { notes } }`;

/** Hourly captures ending at t0, one per stock value, constant price and rank. */
function series(asin: string, t0: number, stocks: number[]) {
  const start = t0 - (stocks.length - 1) * HOUR;
  return stocks.map((stock, i) => ({ asin, capturedAt: new Date(start + i * HOUR).toISOString(), stock, price: 20, bsr: 4000 }));
}

describeDatabase('anomaly flags', (databaseUrl) => {
  let s: TestServer;
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const ok = async (q: string, v?: Record<string, unknown>) => {
    const data = await gqlOk(s.url, s.apiKey, q, v);
    await s.app.services.alertEvaluator.idle();
    return data;
  };
  const competitor = async (asin: string, fields = FIELDS) => (await ok(`{ competitor(asin: "${asin}") { ${fields} } }`)).competitor;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  });
  afterAll(async () => s?.stop());

  it('506 → 0 → 505: restocks, stockoutWindows, velocity, anomalies and alerts agree the 0 is a wrong reading', async () => {
    const stocks = [...Array.from({ length: 30 }, (_, i) => 536 - i), 0, 505, 504, 503, 502, 501];
    await ok(RECORD, { input: series('B0GLITCH06', t0, stocks) });
    const c = await competitor('B0GLITCH06');
    const glitchAt = new Date(t0 - 5 * HOUR).toISOString();
    expect(c.anomalies).toHaveLength(1);
    expect(c.anomalies[0]).toMatchObject({ capturedAt: glitchAt, fields: ['STOCK'], stockLeftOut: true });
    expect(c.anomalies[0].kinds).toContain('SPIKE');
    expect(c.anomalies[0].explanation).toContain('stock 507 → 0 → 505');
    expect(c.anomalies[0].explanation).toMatch(/±3σ/);
    expect(c.restocks).toEqual([]);
    expect(c.stockoutWindows).toEqual([]);
    // 536 → 501: 35 units in 35 h; neither 507 sold nor 505 restocked.
    expect(c.velocity.unitsMeasured).toBeCloseTo(35, 9);
    expect(c.velocity.restockUnits).toBe(0);
    expect(c.velocity.explanation.notes.join(' ')).toContain(glitchAt);
    const alerts = await ok(`query($id: String) { alerts(subjectId: $id, first: 50) { totalCount } }`, { id: c.id });
    expect(alerts.alerts.totalCount).toBe(0);
  });

  it('an exact 0 → 800 restock is 800 units', async () => {
    await ok(RECORD, { input: series('B0EXACT800', t0, [9, 7, 5, 3, 1, 0, 0, 0, 0, 800, 798, 796]) });
    const c = await competitor('B0EXACT800', 'anomalies { capturedAt } restocks { quantity quantityLowerBound kind }');
    expect(c.anomalies).toEqual([]);
    expect(c.restocks).toEqual([{ quantity: 800, quantityLowerBound: 800, kind: 'FROM_ZERO' }]);
  });

  it('anomalies is bounded: first 1–500, window at most 180 days', async () => {
    const bad = await gql(s.url, s.apiKey, `{ competitor(asin: "B0GLITCH06") { anomalies(first: 501) { capturedAt } } }`);
    expect(JSON.stringify(bad.errors)).toMatch(/first/);
    const old = new Date(Date.now() - 200 * 24 * HOUR).toISOString();
    const far = await gql(s.url, s.apiKey, `{ competitor(asin: "B0GLITCH06") { anomalies(from: "${old}") { capturedAt } } }`);
    expect(JSON.stringify(far.errors)).toMatch(/from/);
    const one = await competitor('B0GLITCH06', 'anomalies(first: 1) { capturedAt }');
    expect(one.anomalies).toHaveLength(1);
  });
});
