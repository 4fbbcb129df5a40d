/**
 * Old history is analysable (issue 15, item 7): every intelligence field takes `asOf` and anchors its
 * windows, defaults and 180-day bounds there, on both databases. A listing captured hourly two years
 * before now, with a lightning deal and a restock, answers as it did then; without `asOf` the same
 * windows are refused as older than 180 days, and a bad `asOf` names the argument.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12);
/** The old history ends here (two years before now): 20 days of hourly readings. */
const THEN = Date.UTC(2024, 11, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;

function history() {
  const rows: Record<string, unknown>[] = [];
  let stock = 1200;
  for (let t = THEN - 20 * 24 * H; t <= THEN; t += H) {
    const inDeal = t > THEN - 3 * H;
    stock -= inDeal ? 10 : 2;
    if (t === THEN - 10 * 24 * H) stock += 300; // a restock ten days before THEN
    // 10 of 200 units claimed per hour: 5 % at the first deal reading, 15 % at THEN.
    const claimed = inDeal ? 5 * ((t - (THEN - 3 * H)) / H) : null;
    rows.push({
      asin: 'B0OLDHIST1',
      capturedAt: iso(t),
      stock,
      price: inDeal ? 15 : 20,
      dealType: inDeal ? 'LIGHTNING' : 'NONE',
      dealQuantity: inDeal ? 200 : null,
      dealClaimedPercent: claimed,
      source: 'import',
    });
  }
  return rows;
}

describeDatabase('intelligence as of an earlier instant', (databaseUrl) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    await gqlOk(s.url, s.apiKey, RECORD, { input: history() });
  }, 120_000);
  afterAll(async () => s?.stop());

  const Q = `query($a: DateTime, $from: DateTime) { competitor(asin: "B0OLDHIST1") {
    velocity(asOf: $a) { perDay { value } from to }
    activeDeal(asOf: $a) { status dealQuantity }
    deals(asOf: $a, first: 5) { edges { node { status } } }
    restocks(asOf: $a, from: $from) { at quantity }
    baseline(asOf: $a) { dailyConsumption { value } }
    dataStatus(asOf: $a) { newestAt stale ageHours }
  } }`;

  it('answers every field as it stood two years ago', async () => {
    const c = (await gqlOk(s.url, s.apiKey, Q, { a: iso(THEN + H / 2), from: iso(THEN - 15 * 24 * H) })).competitor;
    expect(c.velocity.to).toBe(iso(THEN + H / 2));
    expect(c.velocity.from).toBe(iso(THEN + H / 2 - 30 * 24 * H));
    expect(c.velocity.perDay.value).toBeGreaterThan(40);
    expect(c.activeDeal).toEqual({ status: 'LIVE', dealQuantity: 200 });
    expect(c.deals.edges.map((e: { node: { status: string } }) => e.node.status)).toEqual(['LIVE']);
    expect(c.restocks).toHaveLength(1);
    expect(c.restocks[0].at).toBe(iso(THEN - 10 * 24 * H));
    // 2 units an hour before the deal (the interval into the first deal reading counts as before it).
    expect(c.baseline.dailyConsumption.value).toBeGreaterThan(48);
    expect(c.baseline.dailyConsumption.value).toBeLessThan(49);
    expect(c.dataStatus).toMatchObject({ newestAt: iso(THEN), stale: false, ageHours: 0.5 });
  });

  it('without asOf, now: no live deal, two-year-old data, and windows two years back refused by age', async () => {
    const c = (await gqlOk(s.url, s.apiKey, Q, { a: null, from: null })).competitor;
    expect(c.activeDeal).toBeNull();
    expect(c.velocity.perDay.value).toBeNull();
    // Staleness is judged on arrival (the import arrived just now); the age is the capture's.
    expect(c.dataStatus.ageHours).toBeGreaterThan(24 * 365);
    const r = await gql(s.url, s.apiKey, Q, { a: null, from: iso(THEN - 15 * 24 * H) });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('a bad asOf names the argument; a future one is refused', async () => {
    const r = await gql(s.url, s.apiKey, Q, { a: iso(NOW + 3 * 24 * H), from: null });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    expect(r.errors?.[0].message).toMatch(/asOf/);
  });
});
