/**
 * The alert evaluator's consumption kinds read the facts the API reads (server/modules/alert-eval/alert.facts.ts),
 * so an alert's figure equals the API's for the same window. Seeded histories (10-minute captures,
 * censored "999+" readings, null stock, stockouts, restocks, deals) go in through recordSnapshots;
 * then, for every capture of the last day:
 *   CONSUMPTION_RATE's window count N over (t − 1 h, t] == the API's velocity(from: t − 1 h, to: t)
 *   unitsLowerBound (measured units + censored lower bounds), within 1e-9 relative; N is left out
 *   (null) exactly when the API's measured + censored hours cover less than half the window; the
 *   count is a lower bound exactly when the API's figure is;
 * and for every completed day of a listing without deals or censored readings, CONSUMPTION_DEVIATION's units/day ==
 * the API's baseline(days: 1, to: day end).dailyConsumption (both leave out-of-stock time out).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import { DAY_MS, HOUR_MS } from '../../core/series/types';
import { FactObservations } from '../../server/modules/alert-eval/alert.facts';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.UTC(2026, 5, 30, 12, 5);
const TOL = 1e-9;

type Input = Record<string, unknown> & { asin: string; capturedAt: string };

function history(seed: number, asin: string, deals: boolean): Input[] {
  const rng = createRng(seed);
  const out: Input[] = [];
  let t = NOW - 5 * DAY_MS + rng.int(0, 600_000);
  let stock = 200 + rng.int(0, 300);
  let deal: { left: number; qty: number; claimed: number } | null = null;
  let outFor = 0;
  while (t <= NOW) {
    if (deals && !deal && rng.next() < 0.01) deal = { left: rng.int(6, 40), qty: 100 + rng.int(0, 200), claimed: 0 };
    const rate = deal ? 5 : 1 + (Math.floor(t / HOUR_MS) % 24 >= 12 ? 1 : 0);
    if (outFor > 0) {
      outFor--;
      stock = 0;
      if (outFor === 0) stock = 150 + rng.int(0, 300);
    } else {
      stock = Math.max(0, stock - Math.floor(rng.next() * rate * 2));
      if (stock < 10 && rng.next() < 0.2) outFor = rng.int(6, 40);
    }
    if (deal) deal.claimed = Math.min(100, deal.claimed + rng.next() * 5);
    const missing = rng.next() < 0.02;
    out.push({
      asin,
      capturedAt: new Date(t).toISOString(),
      stock: missing ? null : stock,
      stockIsLowerBound: !missing && stock > 0 && rng.next() < (deals ? 0.06 : 0),
      price: 20,
      dealType: deal ? 'LIGHTNING' : 'NONE',
      dealQuantity: deal ? deal.qty : null,
      dealClaimedPercent: deal ? Math.round(deal.claimed * 10) / 10 : null,
      source: 'facts-alerts',
    });
    if (deal && --deal.left <= 0) deal = null;
    t += 600_000 + rng.int(-60_000, 60_000);
  }
  return out;
}

const near = (a: number, b: number) => Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b));

describeDatabase('alerts from facts', (databaseUrl) => {
  let s: TestServer;
  const ids = new Map<string, string>();
  const q = (query: string, v?: Record<string, unknown>) => gqlOk(s.url, s.apiKey, query, v);
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    for (const [asin, seed, deals] of [
      ['B0ALFACT01', 11, true],
      ['B0ALFACT02', 12, true],
      ['B0ALFACT03', 13, false],
    ] as const) {
      const rows = history(seed, asin, deals);
      for (let i = 0; i < rows.length; i += 300)
        await q(`mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: rows.slice(i, i + 300) });
      ids.set(asin, (await q(`query($a: String!) { competitor(asin: $a, marketplace: "US") { id } }`, { a: asin })).competitor.id);
    }
    await s.app.services.alertEvaluator.idle();
  }, 120_000);
  afterAll(async () => s?.stop());

  const window = { historyFrom: NOW - 21 * DAY_MS, judgeFrom: NOW - DAY_MS - HOUR_MS, recentMs: DAY_MS };

  it("CONSUMPTION_RATE's window count is the API's velocity unitsLowerBound over the same window", async () => {
    let compared = 0;
    let lowerBounds = 0;
    for (const [asin, id] of ids) {
      const obs = await FactObservations.load(s.db, id, NOW, window);
      const list = await obs!.rate(null, HOUR_MS);
      expect(list.length, asin).toBeGreaterThan(100);
      for (let i = 0; i < list.length; i += 25) {
        const chunk = list.slice(i, i + 25);
        const fields = chunk
          .map(
            (o, k) =>
              `v${k}: velocity(from: "${new Date(o.at - HOUR_MS).toISOString()}", to: "${new Date(o.at).toISOString()}") { unitsLowerBound isLowerBoundOnly measuredHours censoredHours }`,
          )
          .join(' ');
        const api = (await q(`query($a: String!) { competitor(asin: $a, marketplace: "US") { ${fields} } }`, { a: asin })).competitor;
        chunk.forEach((o, k) => {
          const v = api[`v${k}`];
          const sig = o.signal as { type: string; observed: number | null; lowerBound: boolean };
          expect(sig.type).toBe('WINDOW_RATE');
          const covered = v.measuredHours + v.censoredHours >= 0.5;
          expect(sig.observed === null, `${asin} ${new Date(o.at).toISOString()} coverage`).toBe(!covered);
          if (sig.observed !== null) {
            expect(
              near(sig.observed, v.unitsLowerBound),
              `${asin} ${new Date(o.at).toISOString()}: ${sig.observed} vs ${v.unitsLowerBound}`,
            ).toBe(true);
            compared++;
          }
          expect(sig.lowerBound, `${asin} ${new Date(o.at).toISOString()} lower bound`).toBe(v.isLowerBoundOnly);
          if (sig.lowerBound) lowerBounds++;
        });
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(lowerBounds).toBeGreaterThan(10);
  }, 120_000);

  it("CONSUMPTION_DEVIATION's units/day is the API's one-day baseline consumption (out-of-stock time left out by both)", async () => {
    const id = ids.get('B0ALFACT03')!;
    const obs = await FactObservations.load(s.db, id, NOW, { ...window, judgeFrom: window.historyFrom });
    const days = await obs!.consumption(null);
    expect(days.length).toBe(4);
    const fields = days
      .map(
        (o, k) =>
          `b${k}: baseline(days: 1, to: "${new Date(o.at).toISOString()}") { dailyConsumption { value } consumptionIsLowerBound outOfStockHours }`,
      )
      .join(' ');
    const api = (await q(`query { competitor(asin: "B0ALFACT03", marketplace: "US") { ${fields} } }`)).competitor;
    let valued = 0;
    days.forEach((o, k) => {
      const b = api[`b${k}`];
      const sig = o.signal as { type: string; value: number | null; censored: boolean };
      expect(sig.type).toBe('RATE');
      expect(sig.censored, `day ${k}`).toBe(b.consumptionIsLowerBound);
      if (b.dailyConsumption.value === null) expect(sig.value, `day ${k}`).toBeNull();
      else {
        expect(near(sig.value!, b.dailyConsumption.value), `day ${k}: ${sig.value} vs ${b.dailyConsumption.value}`).toBe(true);
        valued++;
      }
    });
    expect(valued).toBeGreaterThan(0);
    expect(days.some((_, k) => api[`b${k}`].outOfStockHours > 0)).toBe(true);
  }, 60_000);
});
