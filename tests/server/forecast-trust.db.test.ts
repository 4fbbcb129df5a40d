/**
 * Forecasts a planner can trust (issue 14, items 11–13), through the real pipeline (HTTP → Apollo →
 * services → core → database), on SQLite and PostgreSQL:
 *  - the tracked run (AUTO, default horizon) is what forecast vs actual reads; an ad-hoc query
 *    (another model or horizon) is computed and served but never replaces it;
 *  - during a live deal a competitor's short-horizon forecast follows the deal's drain until the
 *    sell-out (or the deal's end), then the baseline outside the deal, and says so;
 *  - capped ("999+") and perfectly regular histories get honest intervals, never sentinels;
 *    explanations show ISO times and the real source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

/** The server's "now": 2026-10-15 12:00 UTC. */
const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const FORECAST_FIELDS = `model requestedModel params tracked runId
  points { step at value lower80 upper80 lower95 upper95 }
  censoredPeriods lowerBound
  explanation { inputs steps { label value note } notes text data { source newestAt } }`;
const RECORD_SALES = `mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted updated } }`;
const RECORD_SNAPSHOTS = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;

interface Point {
  step: number;
  at: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every number in an object tree (params, inputs, step values as text; ids left out). */
function numbersIn(x: unknown, out: number[] = []): number[] {
  if (typeof x === 'number') out.push(x);
  else if (typeof x === 'string') for (const m of x.replace(UUID, '').matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)) out.push(Number(m[0]));
  else if (Array.isArray(x)) for (const v of x) numbersIn(v, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) numbersIn(v, out);
  return out;
}

describeDatabase('forecasts you can trust', (databaseUrl) => {
  let s: TestServer;
  const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => gqlOk<T>(s.url, s.apiKey, query, variables);

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
  });
  afterAll(async () => s?.stop());

  describe('the tracked run (item 11)', () => {
    const FIRST = Date.UTC(2026, 6, 19);
    const N = 84;
    beforeAll(async () => {
      await ok(`mutation { upsertProduct(input: { sku: "TRACK", name: "Tracked", unitCost: 5, price: 12 }) { id } }`);
      const sales = Array.from({ length: N }, (_, k) => ({
        sku: 'TRACK',
        date: iso(FIRST + k * DAY),
        units: 40 + ((k * 7) % 11),
        inStock: true,
      }));
      await ok(RECORD_SALES, { input: sales });
    });

    it('an ad-hoc NAIVE/2-day query leaves the tracked 28-day AUTO run in place', async () => {
      const tracked = (await ok(`{ product(sku: "TRACK") { id forecast { ${FORECAST_FIELDS} } } }`)).product;
      expect(tracked.forecast.tracked).toBe(true);
      expect(tracked.forecast.points).toHaveLength(28);
      expect(tracked.forecast.runId).toMatch(/^[0-9a-f-]{36}$/);

      const adhoc = (await ok(`{ product(sku: "TRACK") { forecast(model: NAIVE, horizonDays: 2) { ${FORECAST_FIELDS} } } }`)).product
        .forecast;
      expect(adhoc.model).toBe('NAIVE');
      expect(adhoc.points).toHaveLength(2);
      expect(adhoc.tracked).toBe(false);
      expect(adhoc.runId).toBeNull();
      expect(adhoc.explanation.notes.join(' ')).toContain('not stored');

      const vs = (await ok(`{ product(sku: "TRACK") { forecastVsActual { runs { id model horizon points { forecast } } } } }`)).product
        .forecastVsActual;
      expect(vs.runs).toHaveLength(1);
      expect(vs.runs[0].id).toBe(tracked.forecast.runId);
      expect(vs.runs[0].horizon).toBe(28);
      expect(vs.runs[0].model).toBe(tracked.forecast.model);
      // The stored points are the tracked forecast's, not the ad-hoc one's.
      const actuals = [45, 47, 41];
      await ok(RECORD_SALES, {
        input: actuals.map((units, i) => ({ sku: 'TRACK', date: iso(FIRST + (N + i) * DAY), units, inStock: true })),
      });
      const after = (
        await ok(
          `{ forecastAccuracy(subjectType: PRODUCT, subjectId: "${tracked.id}") { runs { horizon points { step forecast actual } } } }`,
        )
      ).forecastAccuracy;
      expect(after.runs[0].horizon).toBe(28);
      expect(after.runs[0].points.map((p: any) => p.actual)).toEqual(actuals);
      after.runs[0].points.forEach((p: any) => expect(p.forecast).toBeCloseTo(tracked.forecast.points[p.step - 1].value, 9));
    });

    it('the same holds for competitors: an ad-hoc horizon does not replace the tracked 48-hour run', async () => {
      const rows = Array.from({ length: 4 * 24 * 3 + 1 }, (_, i) => ({
        asin: 'TRACKC',
        capturedAt: new Date(NOW - 5 * MIN - 72 * HOUR + i * 15 * MIN).toISOString(),
        stock: 5000 - 3 * i - (i % 4 === 0 ? 1 : 0),
        price: 20,
        source: 'test',
      }));
      await ok(RECORD_SNAPSHOTS, { input: rows });
      const t = (await ok(`{ competitor(asin: "TRACKC") { id forecast { ${FORECAST_FIELDS} } } }`)).competitor;
      expect(t.forecast.tracked).toBe(true);
      expect(t.forecast.points).toHaveLength(48);
      const a = (await ok(`{ competitor(asin: "TRACKC") { forecast(horizonHours: 3, model: NAIVE) { ${FORECAST_FIELDS} } } }`)).competitor
        .forecast;
      expect(a.tracked).toBe(false);
      expect(a.runId).toBeNull();
      const r = (await ok(`{ forecastAccuracy(subjectType: COMPETITOR, subjectId: "${t.id}") { runs { id horizon model } } }`))
        .forecastAccuracy;
      expect(r.runs).toEqual([{ id: t.forecast.runId, horizon: 48, model: t.forecast.model }]);
    });
  });

  describe('a live deal (item 12)', () => {
    /** Deal start: 3 h before now. 7 days of ~1.2 u/h before it, hourly captures. */
    const START = NOW - 3 * HOUR;
    const QTY = 600;
    beforeAll(async () => {
      const rows: Record<string, unknown>[] = [];
      // Baseline: 6 units every 5 hours (1.2 u/h), hourly captures for 7 days before the deal.
      let stock = 2000;
      for (let k = 7 * 24; k >= 1; k--) {
        rows.push({ asin: 'DEAL', capturedAt: new Date(START - k * HOUR).toISOString(), stock, price: 30, listPrice: 30, source: 'keepa' });
        stock -= k % 5 === 0 ? 2 : 1;
      }
      // Live lightning deal: 60 u/h (10 units and 1⅔ % claimed every 10 minutes) for 3 hours.
      for (let j = 0; j <= 18; j++) {
        rows.push({
          asin: 'DEAL',
          capturedAt: new Date(START + j * 10 * MIN).toISOString(),
          stock: stock - 10 * j,
          price: 20,
          listPrice: 30,
          dealType: 'LIGHTNING',
          dealQuantity: QTY,
          dealClaimedPercent: (100 * 10 * j) / QTY,
          dealEndsAt: new Date(START + 12 * HOUR).toISOString(),
          source: 'keepa',
        });
      }
      await ok(RECORD_SNAPSHOTS, { input: rows });
      // ENDS: the same listing history, but a deal of 5,000 units that ends at 15:00, long before selling out.
      await ok(RECORD_SNAPSHOTS, {
        input: rows.map((r) => ({
          ...r,
          asin: 'ENDS',
          ...(r.dealType
            ? {
                dealQuantity: 5000,
                dealClaimedPercent: ((r.dealClaimedPercent as number) * QTY) / 5000,
                dealEndsAt: new Date(START + 6 * HOUR).toISOString(),
              }
            : {}),
        })),
      });
    });

    it('a deal that ends before selling out is followed until its end, then the baseline', async () => {
      const f = (await ok(`{ competitor(asin: "ENDS") { forecast(horizonHours: 12) { ${FORECAST_FIELDS} } } }`)).competitor.forecast;
      const pts: Point[] = f.points;
      // 12:00, 13:00, 14:00 drain at 60 u/h; the deal ends at 15:00.
      for (const p of pts.slice(0, 3)) {
        expect(p.value).toBeGreaterThan(50);
        expect(p.value).toBeLessThan(70);
      }
      for (const p of pts.slice(3)) expect(p.value).toBeLessThan(3);
      expect(f.explanation.notes.join(' ')).toContain('the deal ends (its scheduled end) before selling out');
    });

    it('follows the drain (60 u/h) until the sell-out, then the baseline (≈ 1.2 u/h), and says so', async () => {
      const c = (
        await ok(
          `{ competitor(asin: "DEAL") { activeDeal { startedAt sellOutEta { p50 } } forecast(horizonHours: 24) { ${FORECAST_FIELDS} } } }`,
        )
      ).competitor;
      const f = c.forecast;
      expect(c.activeDeal).not.toBeNull();
      const pts: Point[] = f.points;
      // The newest reading is at 12:00 (the last whole hour ends there): step 1 is 12:00–13:00.
      // 420 units are left at 12:00, selling at 60 u/h: sold out ≈ 19:00, the end of step 7.
      expect(pts[0].at).toBe(new Date(Date.UTC(2026, 9, 15, 12)).toISOString());
      for (const p of pts.slice(0, 6)) {
        expect(p.value).toBeGreaterThan(50);
        expect(p.value).toBeLessThan(70);
        expect(p.lower80).toBeLessThanOrEqual(p.value);
        expect(p.upper80).toBeGreaterThanOrEqual(p.value);
        expect(p.upper80 - p.lower80).toBeGreaterThan(0);
      }
      // After the sell-out: the listing's baseline outside the deal.
      for (const p of pts.slice(9)) {
        expect(p.value).toBeGreaterThan(0.3);
        expect(p.value).toBeLessThan(3);
      }
      // What the deal can still sell bounds the drain: ≈ 420 units over the first 9 hours (+ baseline).
      const drained = pts.slice(0, 9).reduce((a, p) => a + p.value, 0);
      expect(drained).toBeGreaterThan(400);
      expect(drained).toBeLessThan(420 + 15);
      const text = f.explanation.notes.join(' ');
      expect(text).toContain('live deal');
      expect(text).toMatch(/sells? out/);
      expect(text).toContain('baseline');
      // The same deal as Competitor.activeDeal: same start and sell-out ETA, as ISO times.
      expect(new Date(f.explanation.inputs.dealStartedAt).getTime()).toBe(new Date(c.activeDeal.startedAt).getTime());
      expect(new Date(f.explanation.inputs.dealSellOutP50).getTime()).toBe(new Date(c.activeDeal.sellOutEta.p50).getTime());
      expect(f.explanation.text).not.toMatch(/\b1\d{12}\b/);
    });
  });

  describe('censored and perfectly regular histories (item 13)', () => {
    beforeAll(async () => {
      // CAP: "999+" for the first day, then an exact drain of exactly 12 u/h (a perfect fit). The
      // newest two hours of readings came without a source; the ones before from "scraper-eu".
      const rows = Array.from({ length: 4 * 72 + 1 }, (_, i) => {
        const stock = 1287 - 3 * i;
        return {
          asin: 'CAP',
          capturedAt: new Date(NOW - 10 * MIN - 72 * HOUR + i * 15 * MIN).toISOString(),
          stock: stock > 999 ? 999 : stock,
          stockIsLowerBound: stock > 999,
          price: 20,
          ...(i < 4 * 70 ? { source: i < 100 ? 'keepa' : 'scraper-eu' } : {}),
        };
      });
      await ok(RECORD_SNAPSHOTS, { input: rows });
    });

    it('has intervals of real width and no sentinel number anywhere in the forecast', async () => {
      for (const model of ['AUTO', 'ETS', 'SES']) {
        const f = (await ok(`{ competitor(asin: "CAP") { forecast(horizonHours: 6, model: ${model}) { ${FORECAST_FIELDS} } } }`)).competitor
          .forecast;
        expect(f.lowerBound).toBe(true);
        for (const p of f.points as Point[]) {
          expect(p.upper80 - p.lower80, `${model} 80 % interval at step ${p.step}`).toBeGreaterThan(0.5);
          expect(p.upper95 - p.lower95).toBeGreaterThan(p.upper80 - p.lower80);
        }
        const nums = numbersIn([f.params, f.explanation.inputs, f.explanation.steps, f.explanation.notes, f.explanation.text]);
        for (const x of nums) expect(Math.abs(x), `${model}: sentinel-sized number in the output`).toBeLessThan(1e9);
        expect(f.explanation.text).not.toMatch(/-?9{6,}/);
      }
    });

    it('explanations show ISO times and the real source, never epoch ms or "source unknown"', async () => {
      const f = (await ok(`{ competitor(asin: "CAP") { forecast(horizonHours: 6) { ${FORECAST_FIELDS} } } }`)).competitor.forecast;
      // The newest readings name no source: the newest one that does is named, and said to be so.
      expect(f.explanation.data.source).toBe('scraper-eu');
      expect(f.explanation.text).toContain('scraper-eu');
      expect(f.explanation.notes.join(' ')).toContain('newest reading that names its source');
      expect(f.explanation.text).not.toContain('source unknown');
      // No 13-digit epoch milliseconds anywhere.
      expect(f.explanation.text).not.toMatch(/\b1\d{12}\b/);
    });
  });
});
