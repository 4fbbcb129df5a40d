/**
 * Forecasts through the real pipeline (HTTP → Apollo → services → core/forecast → database): daily
 * product forecasts with stockout days, hourly competitor forecasts from snapshots, stored runs,
 * forecast vs actual as sales arrive, and argument validation. Run on SQLite
 * and PostgreSQL (the database matrix, tests/helpers/database.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

/** The server's "today" is pinned to 2026-10-15 (UTC). */
const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Day k of the history: 2026-07-19 + k; the last of the 84 days (k = 83) is 2026-10-10. */
const FIRST = Date.UTC(2026, 6, 19);
const N = 84;
/** Weekly profile (multiplier by day of the week of the history) and a gentle upward trend. */
const WEEK = [0.7, 0.8, 1.0, 1.1, 1.2, 1.4, 0.8];
const trueDemand = (k: number) => Math.round((60 + 0.25 * k) * WEEK[k % 7]);
/** Stockout days: demand was there but the shelf was empty most of the day. */
const STOCKOUT = new Set([20, 33, 47, 60, 74, 80]);

const FORECAST_FIELDS = `model requestedModel reason params granularity period demandClass
  points { step at value lower80 upper80 lower95 upper95 }
  accuracy { mase rmsse wape bias origins } candidates { model accuracy { mase } error }
  intervalMethod historyFrom historyTo exactPeriods censoredPeriods missingPeriods lowerBound runId
  explanation { formula inputs steps { label value note } notes text data { source newestAt ageHours stale } }`;
const VS_ACTUAL = `subjectType subjectId overall { matched mae mase wape bias coverage80 coverage95 }
  runs { id createdAt model horizon granularity originAt backtest { mase origins }
    points { step at forecast actual error lower80 upper80 lower95 upper95 }
    accuracy { matched mae mase wape bias coverage80 coverage95 } }
  explanation { formula notes }`;
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

function expectNested(points: Point[]) {
  for (const p of points) {
    expect(p.lower95).toBeLessThanOrEqual(p.lower80 + 1e-9);
    expect(p.lower80).toBeLessThanOrEqual(p.value + 1e-9);
    expect(p.value).toBeLessThanOrEqual(p.upper80 + 1e-9);
    expect(p.upper80).toBeLessThanOrEqual(p.upper95 + 1e-9);
    expect(p.lower95).toBeGreaterThanOrEqual(0);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describeDatabase('forecasts', (databaseUrl) => {
  let s: TestServer;
  const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => gqlOk<T>(s.url, s.apiKey, query, variables);
  const bad = async (query: string, field: string) => {
    const r = await gql(s.url, s.apiKey, query);
    expect(r.errors, `expected an error on ${field}`).toBeDefined();
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    return r;
  };
  const productForecast = async (sku: string, args = 'horizonDays: 14') =>
    (await ok(`{ product(sku: "${sku}") { id forecast(${args}) { ${FORECAST_FIELDS} } } }`)).product;
  const runRows = async () => Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM forecast_run'))[0].n);

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    // SEAS: stockout days flagged (sold 2 of ~60); NAIVE: the same sales, stockouts not flagged;
    // TRUE: the demand that was there. SPARSE: a product sold on few days (intermittent).
    for (const sku of ['SEAS', 'NAIVE', 'TRUE', 'SPARSE', 'EMPTY']) {
      await ok(`mutation { upsertProduct(input: { sku: "${sku}", name: "${sku}", unitCost: 5, price: 12 }) { id } }`);
    }
    const days = Array.from({ length: N }, (_, k) => k);
    const sales = [
      ...days.map((k) => ({
        sku: 'SEAS',
        date: iso(FIRST + k * DAY),
        units: STOCKOUT.has(k) ? 2 : trueDemand(k),
        inStock: !STOCKOUT.has(k),
      })),
      ...days.map((k) => ({ sku: 'NAIVE', date: iso(FIRST + k * DAY), units: STOCKOUT.has(k) ? 2 : trueDemand(k), inStock: true })),
      ...days.map((k) => ({ sku: 'TRUE', date: iso(FIRST + k * DAY), units: trueDemand(k), inStock: true })),
      ...days.filter((k) => k % 5 === 0).map((k) => ({ sku: 'SPARSE', date: iso(FIRST + k * DAY), units: 1 + (k % 3), inStock: true })),
    ];
    await ok(RECORD_SALES, { input: sales });
  });
  afterAll(async () => s?.stop());

  describe('Product.forecast', () => {
    it('dates points from the day after the last recorded sale, with nested intervals, the model and its backtest', async () => {
      const p = await productForecast('SEAS');
      const f = p.forecast;
      expect(f.points).toHaveLength(14);
      // Last sale 2026-10-10 (five days before today): step 1 is 2026-10-11, not today.
      expect(f.points.map((x: Point) => x.at)).toEqual(Array.from({ length: 14 }, (_, i) => iso(FIRST + (N + i) * DAY)));
      expect(f.points[0].at).toBe('2026-10-11');
      expect(f.points.map((x: Point) => x.step)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
      expectNested(f.points);
      expect(f.historyFrom).toBe('2026-07-19');
      expect(f.historyTo).toBe('2026-10-10');
      expect(f.granularity).toBe('DAY');
      expect(f.requestedModel).toBe('AUTO');
      expect(f.period).toBe(7);
      expect(f.model.length).toBeGreaterThan(0);
      expect(f.reason.length).toBeGreaterThan(0);
      expect(Object.keys(f.params).length).toBeGreaterThan(0);
      expect(f.accuracy.origins).toBeGreaterThan(0);
      expect(f.accuracy.mase).toBeGreaterThan(0);
      // A strong weekly profile is learnt: MASE well below the seasonal naive's 1.
      expect(f.accuracy.mase).toBeLessThan(1);
      expect(f.candidates.length).toBeGreaterThan(1);
      expect(f.exactPeriods).toBe(N - STOCKOUT.size);
      expect(f.censoredPeriods).toBe(STOCKOUT.size);
      expect(f.missingPeriods).toBe(0);
      expect(f.lowerBound).toBe(true);
      expect(f.explanation.notes.join(' ')).toContain('do not drag the forecast down');
      expect(f.explanation.inputs.firstForecastDay).toBe('2026-10-11');
      // The season comes from the daily calendar (7), confirmed by the data's weekly profile.
      expect(String(f.explanation.inputs.periodSource)).toMatch(/^calendar: daily calendar season 7, confirmed/);
      // The weekly shape carries into the forecast: the peak weekday (×1.4) above the trough (×0.7).
      const byPhase = (phase: number) => f.points.find((x: Point) => (N + x.step - 1) % 7 === phase).value;
      expect(byPhase(5)).toBeGreaterThan(1.5 * byPhase(0));
      // 14 days is an ad-hoc horizon (the tracked one is 28): served, not stored.
      expect(f.runId).toBeNull();
    });

    it('stockout days do not drag the forecast down: flagged ≈ true demand, unflagged lower', async () => {
      const [seas, naive, truth] = await Promise.all(['SEAS', 'NAIVE', 'TRUE'].map((sku) => productForecast(sku, 'horizonDays: 28')));
      const m = (p: { forecast: { points: Point[] } }) => mean(p.forecast.points.map((x) => x.value));
      // Flagged stockouts: within 5 % of the forecast from the true demand.
      expect(Math.abs(m(seas) / m(truth) - 1)).toBeLessThan(0.05);
      // The same low sales taken at face value pull the forecast down.
      expect(m(naive)).toBeLessThan(m(seas));
      expect(naive.forecast.censoredPeriods).toBe(0);
      expect(naive.forecast.lowerBound).toBe(false);
    });

    it('intermittent sales go to an intermittent model; a requested model is used as asked', async () => {
      const sparse = (await productForecast('SPARSE', 'horizonDays: 7')).forecast;
      expect(['TSB', 'SBA', 'CROSTON', 'ADIDA']).toContain(sparse.model);
      expect(sparse.demandClass).not.toBe('SMOOTH');
      expectNested(sparse.points);
      const ses = (await productForecast('TRUE', 'horizonDays: 3, model: SES')).forecast;
      expect(ses.requestedModel).toBe('SES');
      expect(ses.model).toBe('SES');
      expect(ses.params.alpha).toBeGreaterThanOrEqual(0);
      expect(ses.params.alpha).toBeLessThanOrEqual(1);
      // SES is flat: every step has the same point forecast.
      expect(new Set(ses.points.map((x: Point) => x.value.toFixed(9))).size).toBe(1);
    });

    it('ARIMA is selectable: an ARIMA model with its orders, fitted to the daily calendar season', async () => {
      const f = (await productForecast('TRUE', 'horizonDays: 14, model: ARIMA')).forecast;
      expect(f.requestedModel).toBe('ARIMA');
      expect(f.model).toMatch(/^ARIMA\(\d,\d,\d\)/);
      expect(f.period).toBe(7);
      for (const k of ['p', 'd', 'q', 'P', 'D', 'Q', 'sigma2']) expect(Number.isFinite(f.params[k])).toBe(true);
      expect(f.params.m).toBe(7);
      expect(f.candidates.map((c: { model: string }) => c.model)).toEqual(['AUTO_ARIMA']);
      expect(f.points).toHaveLength(14);
      expectNested(f.points);
      // The weekly profile carries into the forecast: the steps are not flat.
      expect(new Set(f.points.map((x: Point) => x.value.toFixed(6))).size).toBeGreaterThan(1);
    });

    it('a requested model that cannot fit the history is a BAD_USER_INPUT on model', async () => {
      // Multiplicative seasonality needs positive data; SPARSE is mostly zeros.
      const r = await bad(`{ product(sku: "SPARSE") { forecast(horizonDays: 7, model: HW_MULT) { model } } }`, 'model');
      expect(r.errors![0].message).toContain('HW_MULT');
    });

    it('is null without sales', async () => {
      expect((await productForecast('EMPTY')).forecast).toBeNull();
    });

    it('batches many products: one history read and one run write however many products', async () => {
      const q = `{ products(first: 10) { edges { node { sku forecast { points { at } } } } } }`;
      await s.app.services.alertEvaluator.idle(); // background alert evaluation of earlier ingests must not be counted
      const before = s.db.counter.count;
      const data = await ok(q);
      const statements = s.db.counter.count - before;
      const withForecast = data.products.edges.filter((e: any) => e.node.forecast !== null);
      expect(withForecast).toHaveLength(4);
      // products page (+ count not asked) + 2 history statements + 1 promotions statement + 1 upsert
      // (transaction begin/commit add a few).
      expect(statements).toBeLessThanOrEqual(9);
    });

    it('rejects bad horizons and bad run windows, naming the argument', async () => {
      await bad(`{ product(sku: "SEAS") { forecast(horizonDays: 0) { model } } }`, 'horizonDays');
      await bad(`{ product(sku: "SEAS") { forecast(horizonDays: 366) { model } } }`, 'horizonDays');
      await bad(`{ product(sku: "SEAS") { forecastVsActual(days: 0) { overall { matched } } } }`, 'days');
      await bad(`{ product(sku: "SEAS") { forecastVsActual(days: 101) { overall { matched } } } }`, 'days');
      const r = await gql(s.url, s.apiKey, `{ product(sku: "SEAS") { forecast(horizonDays: -5) { model } } }`);
      expect(r.errors![0].message).toContain('horizonDays');
    });
  });

  describe('replenishmentPlan(demandSource: FORECAST)', () => {
    const PLAN = `leadTimeDays leadTimeDemandMean leadTimeDemandSd leadTimeDailyDemand
      demand { method mean sd max inStockDays stockoutDaysExcluded warnings explanation { formula steps { label value } notes } }`;
    it('takes mean and sd over the lead time from the forecast; the moving average stays the default', async () => {
      const ma = (await ok(`{ product(sku: "SEAS") { replenishmentPlan(leadTimeDays: 7) { ${PLAN} } } }`)).product.replenishmentPlan;
      expect(ma.demand.method).toBe('IN_STOCK_MOVING_AVERAGE');
      const plan = (await ok(`{ product(sku: "SEAS") { replenishmentPlan(leadTimeDays: 7, demandSource: FORECAST) { ${PLAN} } } }`)).product
        .replenishmentPlan;
      expect(plan.demand.method).toBe('FORECAST');
      // Same history and horizon as the estimator: today 10-15 is step 5 of a forecast starting
      // 10-11 (gap 4); horizon = gap + ⌈L⌉ + 60 = 71. The lead time covers steps 5 … 11.
      const f = (await productForecast('SEAS', 'horizonDays: 71')).forecast;
      const lt: Point[] = f.points.slice(4, 11);
      expect(lt[0].at).toBe('2026-10-15');
      const sdOf = (p: Point) =>
        p.lower95 <= 0 && p.value > 0 ? (p.upper95 - p.value) / 1.959963984540054 : (p.upper95 - p.lower95) / (2 * 1.959963984540054);
      const m = mean(lt.map((p) => p.value));
      const sd = Math.sqrt(mean(lt.map((p) => sdOf(p) ** 2)));
      expect(plan.demand.mean).toBeCloseTo(m, 9);
      expect(plan.demand.sd).toBeCloseTo(sd, 9);
      expect(plan.leadTimeDemandMean).toBeCloseTo(7 * m, 6);
      // σ_LTD = √(L̄·σ_d²) with a fixed lead time: the daily variances added over the 7 days.
      expect(plan.leadTimeDemandSd).toBeCloseTo(Math.sqrt(lt.reduce((a, p) => a + sdOf(p) ** 2, 0)), 6);
      // Window statistics still come from the sales (stockouts excluded).
      expect(plan.demand.stockoutDaysExcluded).toBe(ma.demand.stockoutDaysExcluded);
      expect(plan.demand.explanation.formula).toContain('mean forecast over the lead time');
    });

    it('falls back to the moving average, with a warning, without sales', async () => {
      const plan = (await ok(`{ product(sku: "EMPTY") { replenishmentPlan(leadTimeDays: 3, demandSource: FORECAST) { ${PLAN} } } }`))
        .product.replenishmentPlan;
      expect(plan.demand.method).toBe('IN_STOCK_MOVING_AVERAGE');
      expect(plan.demand.warnings.join(' ')).toContain('demandSource FORECAST');
    });
  });

  describe('stored runs and forecast vs actual', () => {
    it('keeps one tracked run per product per day (the latest) and compares it with sales as they arrive', async () => {
      await productForecast('TRUE', 'horizonDays: 28');
      // An ad-hoc horizon is served but not stored; the latest tracked query replaces the earlier one.
      expect((await productForecast('TRUE', 'horizonDays: 10')).forecast.runId).toBeNull();
      const latest = (await productForecast('TRUE', 'horizonDays: 28, model: AUTO')).forecast;
      expect(latest.points).toHaveLength(28);
      const rows: { horizon: number | string }[] = await s.db.manager.query(
        `SELECT horizon FROM forecast_run WHERE subject_id = ${s.db.param(1)}`,
        [(await ok(`{ product(sku: "TRUE") { id } }`)).product.id],
      );
      expect(rows.map((r) => Number(r.horizon))).toEqual([28]);

      // Nothing has arrived yet.
      const before = (await ok(`{ product(sku: "TRUE") { forecastVsActual { ${VS_ACTUAL} } } }`)).product.forecastVsActual;
      expect(before.runs).toHaveLength(1);
      expect(before.runs[0].originAt).toBe('2026-10-11');
      expect(before.overall.matched).toBe(0);
      expect(before.overall.mase).toBeNull();

      // Sales for 10-11 … 10-14 arrive; 10-13 was a stockout (censored: not compared).
      const actual = [70, 95, 3, 120];
      await ok(RECORD_SALES, {
        input: actual.map((units, i) => ({ sku: 'TRUE', date: iso(FIRST + (N + i) * DAY), units, inStock: i !== 2 })),
      });
      const vs = (await ok(`{ product(sku: "TRUE") { forecastVsActual { ${VS_ACTUAL} } } }`)).product.forecastVsActual;
      const run = vs.runs[0];
      expect(run.id).toBe(latest.runId);
      expect(run.model).toBe(latest.model);
      expect(run.horizon).toBe(28);
      expect(run.points.map((x: any) => x.at)).toEqual(['2026-10-11', '2026-10-12', '2026-10-14']);
      expect(run.points.map((x: any) => x.actual)).toEqual([70, 95, 120]);
      const fc = [0, 1, 3].map((i) => latest.points[i].value);
      run.points.forEach((x: any, j: number) => {
        expect(x.forecast).toBeCloseTo(fc[j], 9);
        expect(x.error).toBeCloseTo(fc[j] - x.actual, 9);
        expect(x.step).toBe([1, 2, 4][j]);
      });
      const errs = run.points.map((x: any) => x.error);
      expect(run.accuracy.matched).toBe(3);
      expect(run.accuracy.bias).toBeCloseTo(mean(errs), 9);
      expect(run.accuracy.mae).toBeCloseTo(mean(errs.map(Math.abs)), 9);
      expect(run.accuracy.wape).toBeCloseTo(errs.reduce((a: number, e: number) => a + Math.abs(e), 0) / (70 + 95 + 120), 9);
      // MASE scale: in-sample seasonal-naive MAE (m = 7) of TRUE's history.
      let sc = 0;
      for (let k = 7; k < N; k++) sc += Math.abs(trueDemand(k) - trueDemand(k - 7));
      sc /= N - 7;
      expect(run.accuracy.mase).toBeCloseTo(mean(errs.map(Math.abs)) / sc, 9);
      expect(vs.overall).toEqual(run.accuracy);
      expect(vs.explanation.notes.join(' ')).toContain('stockout days are censored');

      // forecastAccuracy by id says the same; a new day makes a second run.
      const id = (await ok(`{ product(sku: "TRUE") { id } }`)).product.id;
      const q = await ok(`{ forecastAccuracy(subjectType: PRODUCT, subjectId: "${id}") { ${VS_ACTUAL} } }`);
      expect(q.forecastAccuracy.overall).toEqual(vs.overall);
      const n0 = await runRows();
      s.app.clock.now = () => NOW + DAY;
      try {
        const next = (await productForecast('TRUE', 'horizonDays: 28')).forecast;
        expect(next.points[0].at).toBe('2026-10-15'); // the day after the newest sale (10-14)
        expect(await runRows()).toBe(n0 + 1);
        const two = (await ok(`{ product(sku: "TRUE") { forecastVsActual { runs { originAt accuracy { matched } } } } }`)).product
          .forecastVsActual;
        expect(two.runs.map((r: any) => r.originAt)).toEqual(['2026-10-15', '2026-10-11']);
        expect(two.runs[0].accuracy.matched).toBe(0);
        // 101 days later the first run is past the longest window (100 days): pruned on write.
        s.app.clock.now = () => NOW + 101 * DAY;
        await productForecast('TRUE', 'horizonDays: 28');
        const days: { run_day: string | Date }[] = await s.db.manager.query(
          `SELECT run_day FROM forecast_run WHERE subject_id = ${s.db.param(1)} ORDER BY run_day`,
          [id],
        );
        expect(
          days.map((r) =>
            new Date(typeof r.run_day === 'string' ? `${r.run_day.replace(' ', 'T')}Z` : r.run_day).toISOString().slice(0, 10),
          ),
        ).toEqual(['2026-10-16', '2027-01-24']);
      } finally {
        s.app.clock.now = () => NOW;
      }
    });

    it('a foreign or unknown subject is null', async () => {
      const id = (await ok(`{ product(sku: "TRUE") { id } }`)).product.id;
      const other = await s.newKey('forecast-other');
      const r = await gqlOk(s.url, other, `{ forecastAccuracy(subjectType: PRODUCT, subjectId: "${id}") { subjectId } }`);
      expect(r.forecastAccuracy).toBeNull();
      expect((await ok(`{ forecastAccuracy(subjectType: COMPETITOR, subjectId: "${id}") { subjectId } }`)).forecastAccuracy).toBeNull();
    });
  });

  describe('Competitor.forecast', () => {
    /** Captures every 15 min from `from` (ms) for `hours`, draining 12 units/hour (3 per capture). */
    const drain = (asin: string, from: number, hours: number, start: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
      Array.from({ length: hours * 4 + 1 }, (_, i) => ({
        asin,
        capturedAt: new Date(from + i * 15 * 60_000).toISOString(),
        stock: start - 3 * i,
        price: 20,
        source: 'test',
        ...extra(i),
      }));
    const competitorForecast = async (asin: string, args = 'horizonHours: 24') =>
      (await ok(`{ competitor(asin: "${asin}") { id forecast(${args}) { ${FORECAST_FIELDS} } } }`)).competitor;

    beforeAll(async () => {
      // STEADY: 3 days of a steady drain ending 10 minutes before now, with a restock (+500)
      // mid-way and a 14-hour capture gap on day 1.
      const start = NOW - 10 * 60_000 - 72 * HOUR;
      const steady = drain('STEADY', start, 72, 5000).map((p, i) => ({ ...p, stock: (p.stock as number) + (i >= 160 ? 500 : 0) }));
      const withGap = steady.filter((_, i) => i < 20 || i > 20 + 14 * 4);
      // CAPPED: the source shows "999+" for the first day, exact afterwards.
      const capped = drain('CAPPED', start, 72, 1800).map((p) =>
        (p.stock as number) > 999 ? { ...p, stock: 999, stockIsLowerBound: true } : p,
      );
      await ok(RECORD_SNAPSHOTS, { input: [...withGap, ...capped] });
    });

    it('forecasts a steady drain per hour from the hour after the last whole hour, gaps missing not zero', async () => {
      const c = await competitorForecast('STEADY');
      const f = c.forecast;
      expect(f.granularity).toBe('HOUR');
      expect(f.points).toHaveLength(24);
      // Last capture 11:50 → last whole hour 10:00–11:00 → step 1 starts 11:00.
      const first = Date.UTC(2026, 9, 15, 11);
      expect(f.points.map((x: Point) => x.at)).toEqual(Array.from({ length: 24 }, (_, i) => new Date(first + i * HOUR).toISOString()));
      for (const x of f.points) expect(x.value).toBeCloseTo(12, 0);
      expectNested(f.points);
      // The 14-hour gap (13 whole hours) and the restock hour are missing, not zero sales.
      expect(f.missingPeriods).toBeGreaterThanOrEqual(14);
      expect(f.censoredPeriods).toBe(0);
      expect(f.lowerBound).toBe(false);
      expect(f.explanation.notes.join(' ')).toContain('never counted as zero sales');
      expect(f.explanation.data.source).toBe('test');
      expect(f.explanation.data.stale).toBe(false);
    });

    it('censored readings are lower bounds, said so, never exact', async () => {
      const f = (await competitorForecast('CAPPED', 'horizonHours: 6')).forecast;
      expect(f.censoredPeriods).toBeGreaterThan(0);
      expect(f.lowerBound).toBe(true);
      expect(f.explanation.notes.join(' ')).toContain('LOWER BOUND');
      for (const x of f.points) expect(x.value).toBeCloseTo(12, 0);
    });

    it('stores the tracked run and compares it with hours measured later', async () => {
      const c = await competitorForecast('STEADY', 'horizonHours: 48');
      // Three more hours of the same drain arrive (12:05 … 15:05).
      const last = 5000 + 500 - 3 * 288;
      const more = Array.from({ length: 13 }, (_, i) => ({
        asin: 'STEADY',
        capturedAt: new Date(NOW - 10 * 60_000 + (i + 1) * 15 * 60_000).toISOString(),
        stock: last - 3 * (i + 1),
        price: 20,
        source: 'test',
      }));
      await ok(RECORD_SNAPSHOTS, { input: more });
      s.app.clock.now = () => NOW + 4 * HOUR;
      try {
        const r = (await ok(`{ forecastAccuracy(subjectType: COMPETITOR, subjectId: "${c.id}") { ${VS_ACTUAL} } }`)).forecastAccuracy;
        expect(r.runs).toHaveLength(1);
        const run = r.runs[0];
        expect(run.granularity).toBe('HOUR');
        expect(run.originAt).toBe(new Date(Date.UTC(2026, 9, 15, 11)).toISOString());
        // Whole hours 11–12, 12–13, 13–14, 14–15 are measured now.
        expect(run.points.map((x: any) => x.at)).toEqual([11, 12, 13, 14].map((h) => new Date(Date.UTC(2026, 9, 15, h)).toISOString()));
        for (const x of run.points) expect(x.actual).toBeCloseTo(12, 9);
        expect(run.accuracy.wape).toBeLessThan(0.05);
        expect(Math.abs(run.accuracy.bias)).toBeLessThan(0.5);
      } finally {
        s.app.clock.now = () => NOW;
      }
    });

    it('batches many competitors: one snapshot read and one run write', async () => {
      await s.app.services.alertEvaluator.idle();
      const before = s.db.counter.count;
      const data = await ok(`{ competitors(first: 10) { edges { node { asin forecast { points { at value } } } } } }`);
      const statements = s.db.counter.count - before;
      const asins = data.competitors.edges
        .filter((e: any) => e.node.forecast !== null)
        .map((e: any) => e.node.asin)
        .sort();
      expect(asins).toEqual(['CAPPED', 'STEADY']);
      // competitors page + one points read + one upsert transaction (begin, insert, commit).
      expect(statements).toBeLessThanOrEqual(8);
    });

    it('rejects bad horizons, naming the argument', async () => {
      await bad(`{ competitor(asin: "STEADY") { forecast(horizonHours: 0) { model } } }`, 'horizonHours');
      await bad(`{ competitor(asin: "STEADY") { forecast(horizonHours: 337) { model } } }`, 'horizonHours');
    });
  });
});
