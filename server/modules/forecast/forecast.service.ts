/**
 * Demand forecasts for products (daily) and competitors (hourly), stored runs and forecast vs
 * actual. Thin glue around core/forecast: build the series (forecast.series.ts), call
 * `forecast()`, date the points, store the run, explain.
 */
import { Explainer, type Explanation as CoreExplanation } from '../../../core/explain';
import type { ForecastOptions, ForecastResult } from '../../../core/forecast';
import { drainAwarePoints } from '../../../core/forecast/dealdrain';
import { type LiftEstimate, type PromotionPeriod, withoutPromotionDays, withPlannedLift } from '../../../core/forecast/promotions';
import { staleNote, toDataProvenance } from '../../../core/series/provenance';
import { HOUR_MS } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { badInput } from '../../graphql/errors';
import { toExplanation } from '../../graphql/explanation';
import * as v from '../../graphql/validate';
import { type DemandEstimate, type DemandEstimator, inStockMovingAverage } from '../planning/demand';
import type { Clock } from '../../clock';
import type { TaskRunner } from '../../workers/pool';
import { dateOfDay, epochDayOf, isoOfDay } from '../product/days';
import type { Product } from '../product/product.entity';
import type { ProductLoaders } from '../product/product.loaders';
import { type ForecastRun } from './forecast.entity';
import type { FitKey, ForecastLoaders, RunRow } from './forecast.loaders';
import {
  dailyDemandSeries,
  type DemandSeries,
  hourlyDemandSeries,
  matchActuals,
  maseScale,
  MAX_HISTORY_DAYS,
  MAX_HISTORY_HOURS,
  type MatchedPoint,
  sdFromInterval,
  type StoredPoint,
  summarize,
} from './forecast.series';
import { widenByLevel } from '../../../core/rank/forecast';
import type { StockNullReason } from './forecast.compute';
import { dealInputs, dealNotes } from './forecast.deal';
import { rankSeries, rankWindow } from './forecast.rank';
import {
  type CompetitorForecastArgs,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_HORIZON_HOURS,
  type Forecast,
  type ForecastAccuracyReport,
  ForecastGranularity,
  ForecastModel,
  type ForecastRunCheck,
  ForecastSource,
  type ForecastUnavailable,
  ForecastUnavailableReason,
  ForecastSubject,
  MAX_HORIZON_DAYS,
  MAX_HORIZON_HOURS,
  MAX_RUNS,
  type ProductForecastArgs,
} from './forecast.types';

const CORE_MODEL: Record<ForecastModel, ForecastOptions['model']> = {
  AUTO: 'auto',
  ETS: 'ets',
  INTERMITTENT: 'intermittent',
  SES: 'SES',
  HOLT: 'HOLT',
  DAMPED: 'DAMPED',
  HW_ADD: 'HW_ADD',
  HW_MULT: 'HW_MULT',
  THETA: 'THETA',
  ETS_THETA: 'ETS_THETA',
  ARIMA: 'AUTO_ARIMA',
  CROSTON: 'CROSTON',
  SBA: 'SBA',
  TSB: 'TSB',
  ADIDA: 'ADIDA',
  LINEAR_TREND: 'LINEAR_TREND',
  SEASONAL_NAIVE: 'SEASONAL_NAIVE',
  NAIVE: 'NAIVE',
};

const finiteOrNull = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

function reasonOf(r: ForecastResult): string {
  const step = r.explanation.steps.find((s) => s.label === 'chosen model');
  return step?.note ?? 'requested';
}

function accuracyOf(r: ForecastResult) {
  return r.accuracy
    ? {
        mase: finiteOrNull(r.accuracy.mase),
        rmsse: finiteOrNull(r.accuracy.rmsse),
        wape: finiteOrNull(r.accuracy.wape),
        bias: finiteOrNull(r.accuracy.bias),
        origins: r.accuracy.origins,
      }
    : null;
}

/**
 * The tracked configuration: AUTO at the default horizon. Only its runs are stored (one per subject
 * per day, the day's latest tracked query replacing the earlier one), so forecast vs actual always
 * scores the same configuration; any other model or horizon is an ad-hoc query, computed and served
 * but never stored.
 */
function isTracked(requested: ForecastModel, horizon: number, defaultHorizon: number): boolean {
  return requested === ForecastModel.AUTO && horizon === defaultHorizon;
}

/** The explanation's sentence on whether this forecast is today's stored run. */
function storageNote(tracked: boolean, requested: ForecastModel, horizon: string, defaultHorizon: string): string {
  return tracked
    ? `Tracked configuration (AUTO, ${defaultHorizon}): stored as today's run for forecast vs actual (one run per subject per day; a later tracked forecast the same day replaces it).`
    : `Ad-hoc configuration (${requested}, ${horizon}): computed and served, not stored; forecast vs actual keeps scoring the tracked configuration (AUTO, ${defaultHorizon}).`;
}

function withExtra(e: CoreExplanation, inputs: Record<string, string | number | boolean | null>, notes: string[]): CoreExplanation {
  return { ...e, inputs: { ...e.inputs, ...inputs }, notes: [...e.notes, ...notes] };
}

/** The seller's promotions of a product (the promotion module's PromotionService). */
export interface ProductPromotionSource {
  /** Promotions of the product overlapping the epoch days [from, to]; `memoKey` batches one request's products. */
  periodsOf(productId: string, from: number, to: number, memoKey?: object): Promise<PromotionPeriod[]>;
  /** Lift estimate of a promotion of `sku` from the workspace's past promotions (null without any). */
  estimate(workspaceId: string, sku: string, p: PromotionPeriod, memoKey?: object): Promise<LiftEstimate | null>;
}

/** Whatever answers a model fit: the request's batched `fits` loader, or the pool directly. */
interface FitLoader {
  load(key: FitKey): Promise<ForecastResult>;
}

export class ForecastService {
  /** `promotions`: the seller's promotion periods (left out of the baseline fit) and planned lifts. */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly tasks: TaskRunner,
    private readonly promotions: ProductPromotionSource,
  ) {}

  /**
   * The daily series with the days of the product's past promotions left out (missing), so the
   * baseline does not learn their lift (core/forecast/promotions.ts withoutPromotionDays); the
   * series itself when none overlaps it or when no observed day would remain.
   */
  private async baselineSeries(
    productId: string,
    s: DemandSeries,
    memo: object,
  ): Promise<{ y: number[]; inStock: boolean[]; masked: number }> {
    const last = s.start + s.y.length - 1;
    const past = await this.promotions.periodsOf(productId, s.start, last, memo);
    const m = withoutPromotionDays(s.y, s.inStock, s.start, past);
    return m.masked > 0 && m.y.some((v) => Number.isFinite(v)) ? m : { y: s.y, inStock: s.inStock, masked: 0 };
  }

  /**
   * Step "forecast = baseline + planned lift": forecast days inside a planned (or running) promotion
   * of the product get its lift estimate (core withPlannedLift); notes say which and from what.
   */
  private async plannedLift(
    product: Product,
    r: ForecastResult,
    firstDay: number,
    memo: object,
  ): Promise<{ r: ForecastResult; notes: string[] }> {
    const lastDay = firstDay + r.points.length - 1;
    const periods = (await this.promotions.periodsOf(product.id, firstDay, lastDay, memo)).filter((p) => p.end >= firstDay);
    const planned = [];
    const notes: string[] = [];
    for (const p of periods) {
      const e = await this.promotions.estimate(product.workspaceId, product.sku, p, memo);
      const when = `${p.type} ${isoOfDay(p.start)} to ${isoOfDay(p.end)}${p.discountPct === null ? '' : ` (−${p.discountPct} %)`}`;
      if (!e) {
        notes.push(
          `Planned promotion ${when}: no past promotion in the workspace to estimate its lift from; the forecast is the baseline on its days.`,
        );
        continue;
      }
      planned.push({ start: p.start, end: p.end, estimate: e });
      notes.push(
        `Planned promotion ${when}: forecast = baseline × (1 + lift), lift +${(100 * e.lift).toFixed(1)} % (80 %: ${(100 * e.lower80).toFixed(1)} to ${(100 * e.upper80).toFixed(1)} %) estimated from ${e.sameSku} past promotion(s) of this sku and ${e.workspace + e.sameGroup} of other skus (Promotion.liftEstimate).`,
      );
    }
    return planned.length ? { r: { ...r, points: withPlannedLift(r.points, firstDay, planned) }, notes } : { r, notes };
  }

  /** Validates a horizon argument (BAD_USER_INPUT naming it). */
  private horizon(field: string, h: number, max: number): number {
    return v.finite(field, h, { min: 1, max, integer: true });
  }

  /**
   * Runs core/forecast in the worker pool through the request's `fits` loader (35–100 ms of model
   * fits and backtests per series, off the event loop, dropped past the request's time budget). A
   * failure of an explicitly requested model is the caller's input error.
   */
  private async run(fits: FitLoader, y: number[], opts: ForecastOptions, requested: ForecastModel): Promise<ForecastResult | string> {
    try {
      return await fits.load({ y, opts });
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
      if (requested !== ForecastModel.AUTO) throw badInput('model', `${requested} cannot forecast this history: ${e.message}`);
      return e.message;
    }
  }

  /** The instant a forecast is made as of: `asOf` (validated; later than now reads as now), else now. */
  private anchor(asOf: Date | null | undefined): { now: number; past: boolean } {
    const clock = this.clock.now();
    if (asOf === null || asOf === undefined) return { now: clock, past: false };
    const t = v.instant('asOf', asOf, clock).getTime();
    return t < clock ? { now: t, past: true } : { now: clock, past: false };
  }

  /** One computation per request and argument set, shared by `forecast` and `forecastUnavailable`. */
  private once(loaders: ForecastLoaders, key: string, fn: () => Promise<ForecastOutcome>): Promise<ForecastOutcome> {
    let p = loaders.outcomes.get(key) as Promise<ForecastOutcome> | undefined;
    if (!p) {
      p = fn();
      loaders.outcomes.set(key, p);
    }
    return p;
  }

  private toForecast(
    r: ForecastResult,
    s: DemandSeries,
    requested: ForecastModel,
    [granularity, source]: [ForecastGranularity, ForecastSource],
    at: (step: number) => string,
    historyAt: (index: number) => string,
    explanation: CoreExplanation,
    runId: string | null,
    tracked: boolean,
  ): Forecast {
    return {
      model: r.model,
      requestedModel: requested,
      reason: reasonOf(r),
      params: Object.fromEntries(Object.entries(r.params).map(([k, x]) => [k, finiteOrNull(x) as number])),
      granularity,
      source,
      period: r.period,
      demandClass: r.demand?.class ?? null,
      points: r.points.map((pt) => ({
        step: pt.step,
        at: at(pt.step),
        value: pt.value,
        lower80: pt.lower80,
        upper80: pt.upper80,
        lower95: pt.lower95,
        upper95: pt.upper95,
      })),
      accuracy: accuracyOf(r),
      candidates: r.candidates.map((c) => ({
        model: c.model,
        accuracy: c.accuracy
          ? {
              mase: finiteOrNull(c.accuracy.mase),
              rmsse: finiteOrNull(c.accuracy.rmsse),
              wape: finiteOrNull(c.accuracy.wape),
              bias: finiteOrNull(c.accuracy.bias),
              origins: c.accuracy.origins,
            }
          : null,
        error: c.error ?? null,
      })),
      intervalMethod: r.intervalMethod,
      historyFrom: historyAt(0),
      historyTo: historyAt(s.y.length - 1),
      exactPeriods: s.exact,
      censoredPeriods: s.censored,
      missingPeriods: s.missing,
      lowerBound: s.censored > 0,
      runId,
      tracked,
      explanation: toExplanation(explanation),
    };
  }

  private runRow(
    workspaceId: string,
    subjectType: ForecastSubject,
    subjectId: string,
    r: ForecastResult,
    s: DemandSeries,
    granularity: ForecastGranularity,
    originAt: Date,
  ): RunRow {
    const now = this.clock.now();
    return {
      workspaceId,
      subjectType,
      subjectId,
      runDay: epochDayOf(now),
      createdAt: new Date(now),
      model: r.model,
      horizon: r.points.length,
      granularity,
      originAt,
      period: r.period,
      maseScale: maseScale(s, r.period),
      accuracy: accuracyOf(r),
      points: r.points.map((pt) => [pt.value, pt.lower80, pt.upper80, pt.lower95, pt.upper95]),
    };
  }

  /** Product.forecast: daily demand from the day after the last recorded sale (up to asOf); null without sales. */
  async productForecast(product: Product, args: ProductForecastArgs, loaders: ForecastLoaders): Promise<Forecast | null> {
    return (await this.productOutcome(product, args, loaders)).forecast;
  }

  /** Product.forecastUnavailable: why productForecast with the same arguments is null (null when it is not). */
  async productUnavailable(product: Product, args: ProductForecastArgs, loaders: ForecastLoaders): Promise<ForecastUnavailable | null> {
    return (await this.productOutcome(product, args, loaders)).unavailable;
  }

  private productOutcome(product: Product, args: ProductForecastArgs, loaders: ForecastLoaders): Promise<ForecastOutcome> {
    const key = `P|${product.id}|${args.horizonDays}|${args.model}|${args.asOf?.getTime() ?? ''}`;
    return this.once(loaders, key, async () => {
      const done = loaders.inFlight();
      try {
        return await this.productForecastOf(product, args, loaders, done);
      } finally {
        done();
      }
    });
  }

  /** productForecast's steps; `done` is called before the run's write (see WriteBarrier). */
  private async productForecastOf(
    product: Product,
    args: ProductForecastArgs,
    loaders: ForecastLoaders,
    done: () => void,
  ): Promise<ForecastOutcome> {
    const horizon = this.horizon('horizonDays', args.horizonDays, MAX_HORIZON_DAYS);
    const requested = args.model ?? ForecastModel.AUTO;
    const { now, past } = this.anchor(args.asOf);
    // As of a past instant: the days that began before it (a database then held at most those).
    const until = past ? epochDayOf(now - 1) : null;
    const s = dailyDemandSeries(await loaders.history.load({ productId: product.id, until }));
    if (!s)
      return unavailable(ForecastUnavailableReason.NO_SALES, `no recorded sales${until === null ? '' : ` up to ${isoOfDay(until)}`}`, null);
    const base = await this.baselineSeries(product.id, s, loaders);
    const r0 = await this.run(
      loaders.fits,
      base.y,
      { horizon, inStock: base.inStock, model: CORE_MODEL[requested], counts: true, frequency: 'daily' },
      requested,
    );
    const last = s.start + s.y.length - 1;
    if (typeof r0 === 'string') return unavailable(ForecastUnavailableReason.MODEL_FAILED, r0, dateOfDay(last));
    const { r, notes: promoNotes } = await this.plannedLift(product, r0, last + 1, loaders);
    const tracked = !past && isTracked(requested, horizon, DEFAULT_HORIZON_DAYS);
    done();
    const id = tracked
      ? await loaders.store.load(
          this.runRow(product.workspaceId, ForecastSubject.PRODUCT, product.id, r, s, ForecastGranularity.DAY, dateOfDay(last + 1)),
        )
      : null;
    const ex = withExtra(
      r.explanation,
      { sku: product.sku, historyFrom: isoOfDay(s.start), lastRecordedDay: isoOfDay(last), firstForecastDay: isoOfDay(last + 1) },
      [
        `History: daily units from ${isoOfDay(s.start)} to ${isoOfDay(last)} (at most ${MAX_HISTORY_DAYS} days): ${s.exact} in-stock days, ${s.censored} stockout days; ${s.unrecorded ?? 0} day(s) had no record: 0 units in stock, or censored when inside a stockout run (out of stock on the recorded days either side).`,
        s.censored
          ? `${s.censored} day(s) flagged out of stock are censored: their sales are a lower bound on demand, so they do not drag the forecast down.`
          : 'No stockout days in the history.',
        `Step 1 is ${isoOfDay(last + 1)}, the day after the last recorded sale.`,
        ...(base.masked
          ? [
              `${base.masked} day(s) inside the seller's past promotions are left out of the fit (as missing, filled by the model's own in-sample estimate) so the baseline does not learn their lift.`,
            ]
          : []),
        ...promoNotes,
        past ? pastNote(now) : storageNote(tracked, requested, `${horizon} days`, `${DEFAULT_HORIZON_DAYS} days`),
      ],
    );
    return {
      forecast: this.toForecast(
        r,
        s,
        requested,
        [ForecastGranularity.DAY, ForecastSource.SALES],
        (k) => isoOfDay(last + k),
        (i) => isoOfDay(s.start + i),
        ex,
        id,
        tracked,
      ),
      unavailable: null,
    };
  }

  /**
   * Competitor.forecast: hourly demand from stock decreases; null without two known-stock readings.
   * During a live deal the baseline model is fitted without the deal's hours and the steps until
   * the sell-out or the deal's end follow its drain (core/forecast/dealdrain.ts). The readings are
   * read in chunks as columns and worked on in the pool (forecast.compute.ts), so the event loop
   * only reads, dates the points and explains.
   */
  async competitorForecast(
    workspaceId: string,
    competitor: CompetitorRef,
    args: CompetitorForecastArgs,
    loaders: ForecastLoaders,
  ): Promise<Forecast | null> {
    return (await this.competitorOutcome(workspaceId, competitor, args, loaders)).forecast;
  }

  /** Competitor.forecastUnavailable: why competitorForecast with the same arguments is null (null when it is not). */
  async competitorUnavailable(
    workspaceId: string,
    competitor: CompetitorRef,
    args: CompetitorForecastArgs,
    loaders: ForecastLoaders,
  ): Promise<ForecastUnavailable | null> {
    return (await this.competitorOutcome(workspaceId, competitor, args, loaders)).unavailable;
  }

  private competitorOutcome(
    workspaceId: string,
    competitor: CompetitorRef,
    args: CompetitorForecastArgs,
    loaders: ForecastLoaders,
  ): Promise<ForecastOutcome> {
    const key = `C|${competitor.id}|${args.horizonHours}|${args.model}|${args.asOf?.getTime() ?? ''}`;
    return this.once(loaders, key, async () => {
      const done = loaders.inFlight();
      try {
        return await this.competitorForecastOf(workspaceId, competitor, args, loaders, done);
      } finally {
        done();
      }
    });
  }

  /** competitorForecast's steps; `done` is called before the run's write (see WriteBarrier). */
  private async competitorForecastOf(
    workspaceId: string,
    competitor: CompetitorRef,
    args: CompetitorForecastArgs,
    loaders: ForecastLoaders,
    done: () => void,
  ): Promise<ForecastOutcome> {
    const competitorId = competitor.id;
    const horizon = this.horizon('horizonHours', args.horizonHours, MAX_HORIZON_HOURS);
    const requested = args.model ?? ForecastModel.AUTO;
    const { now, past } = this.anchor(args.asOf);
    const hourNow = Math.floor(now / HOUR_MS) * HOUR_MS;
    const from = hourNow - (MAX_HISTORY_HOURS + 1) * HOUR_MS;
    const columns = await loaders.readings.load({ competitorId, from, to: hourNow + HOUR_MS });
    const cs = await loaders.series(columns, now);
    const { s, live, baseline, prov, named } = cs;
    if (cs.why || !s || !prov || !named) {
      const newestAt = cs.newestAt ?? (await loaders.newestBefore.load({ competitorId, before: from }));
      const why = cs.why ?? { reason: 'NO_READINGS' as const, message: 'no reading in the history window' };
      return this.rankFallback(competitor, { ...why, newestAt, windowFrom: from }, { horizon, requested, now, past }, loaders);
    }
    const fitOn = baseline ?? s;
    const r0 = await this.run(
      loaders.fits,
      fitOn.y,
      { horizon, inStock: fitOn.inStock, model: CORE_MODEL[requested], counts: true, frequency: 'hourly' },
      requested,
    );
    if (typeof r0 === 'string') return unavailable(ForecastUnavailableReason.MODEL_FAILED, r0, new Date(cs.newestAt!));
    const n = s.y.length;
    const hourAt = (i: number) => new Date(s.start + i * HOUR_MS).toISOString();
    const overlay = live?.drain ? drainAwarePoints(r0.points, (i) => s.start + (n + i) * HOUR_MS, HOUR_MS, live.drain) : null;
    const r = overlay ? { ...r0, points: overlay.points } : r0;
    const tracked = !past && isTracked(requested, horizon, DEFAULT_HORIZON_HOURS);
    done();
    const id = tracked
      ? await loaders.store.load(
          this.runRow(
            workspaceId,
            ForecastSubject.COMPETITOR,
            competitorId,
            r,
            s,
            ForecastGranularity.HOUR,
            new Date(s.start + n * HOUR_MS),
          ),
        )
      : null;
    const stale = staleNote(prov);
    const masked = baseline ? baseline.missing - s.missing : 0;
    const ex = withExtra(
      r.explanation,
      {
        competitorId,
        historyFrom: hourAt(0),
        lastObservedHour: hourAt(n - 1),
        firstForecastHour: hourAt(n),
        ...(live ? dealInputs(live) : {}),
      },
      [
        `Hourly demand = stock decreases between consecutive exact readings (deal claims where stock cannot tell), spread over the hours each interval covers; a stock increase is a restock, not negative sales.`,
        `History: ${s.exact} exact hours, ${s.censored} censored hours, ${s.missing} missing hours (capture gaps and restock intervals: not observed, never counted as zero sales).`,
        s.censored
          ? `LOWER BOUND: ${s.censored} hour(s) rest on capped stock readings (e.g. "999+") or an empty shelf; their sales are only a lower bound on demand, passed to the model as censored (demand ≥ value), never as exact. Real demand may be higher than this forecast.`
          : 'No censored hours: every used hour was measured between exact stock readings.',
        `Step 1 is ${hourAt(n)}, the hour after the last whole hour observed.`,
        ...(live ? dealNotes(live, overlay?.stops ?? null, overlay?.drainUnits ?? 0, masked, r0.model) : []),
        past ? pastNote(now) : storageNote(tracked, requested, `${horizon} hours`, `${DEFAULT_HORIZON_HOURS} hours`),
        ...(named.note ? [named.note] : []),
        ...(stale ? [stale] : []),
      ],
    );
    ex.data = { ...toDataProvenance(prov), source: named.source };
    const forecast = this.toForecast(
      r,
      s,
      requested,
      [ForecastGranularity.HOUR, ForecastSource.STOCK],
      (k) => hourAt(n + k - 1),
      hourAt,
      ex,
      id,
      tracked,
    );
    return { forecast, unavailable: null };
  }

  /**
   * Where stock cannot give a forecast: a daily forecast from the listing's rank or monthly-sold
   * history (forecast.rank.ts), its intervals widened by the model's; else why there is none.
   * Never stored (forecast vs actual scores measured stock, which this listing lacks).
   */
  private async rankFallback(
    competitor: CompetitorRef,
    stock: { reason: StockNullReason; message: string; newestAt: number | null; windowFrom: number },
    o: { horizon: number; requested: ForecastModel; now: number; past: boolean },
    loaders: ForecastLoaders,
  ): Promise<ForecastOutcome> {
    const rows = await loaders.rankReadings.load({ competitorId: competitor.id, ...rankWindow(o.now) });
    const rs = await rankSeries(competitor, rows, o.now, loaders.rankModel(o.now));
    const newest = stock.newestAt === null ? null : new Date(stock.newestAt);
    if (rs.source === null) {
      const stale = stock.reason === 'NO_READINGS' && newest !== null;
      const reason = rs.reason ?? (stale ? ForecastUnavailableReason.STALE : ForecastUnavailableReason[stock.reason]);
      const first =
        stock.reason !== 'NO_READINGS'
          ? `stock: ${stock.message}`
          : stale
            ? `the newest reading (${newest!.toISOString()}) is older than the ${MAX_HISTORY_HOURS / 24}-day history window starting ${new Date(stock.windowFrom).toISOString()}`
            : 'no reading at or before asOf';
      return unavailable(reason, `${first}; rank: ${rs.message}`, newest);
    }
    const days = Math.ceil(o.horizon / 24);
    const r0 = await this.run(
      loaders.fits,
      rs.s.y,
      { horizon: days, inStock: rs.s.inStock, model: CORE_MODEL[o.requested], counts: false, frequency: 'daily' },
      o.requested,
    );
    const last = rs.s.start + rs.s.y.length - 1;
    if (typeof r0 === 'string') return unavailable(ForecastUnavailableReason.MODEL_FAILED, `${rs.source} history: ${r0}`, dateOfDay(last));
    const r = { ...r0, points: widenByLevel(r0.points, rs.ratios) };
    const ex = withExtra(
      r.explanation,
      { competitorId: competitor.id, source: rs.source, ...rs.inputs, firstForecastDay: isoOfDay(last + 1) },
      [
        `Stock is not observable (${stock.reason}: ${stock.message}): the forecast is daily (${days} day(s) for ${o.horizon} hours), from the listing's ${rs.inputs.signal}.`,
        ...rs.notes,
        `Step 1 is ${isoOfDay(last + 1)}, the day after the newest signal reading's day.`,
        'Not stored as a run: forecast vs actual scores measured stock, which this listing lacks.',
        ...(o.past ? [pastNote(o.now)] : []),
      ],
    );
    const forecast = this.toForecast(
      r,
      rs.s,
      o.requested,
      [ForecastGranularity.DAY, rs.source],
      (k) => isoOfDay(last + k),
      (i) => isoOfDay(rs.s.start + i),
      ex,
      null,
      false,
    );
    return { forecast, unavailable: null };
  }

  // ——— Forecast vs actual ———

  private runDays(days: number): number {
    return v.finite('days', days, { min: 1, max: MAX_RUNS, integer: true });
  }

  private async actualsFor(
    subjectType: ForecastSubject,
    subjectId: string,
    runs: ForecastRun[],
    loaders: ForecastLoaders,
  ): Promise<(run: ForecastRun, step: number) => number | undefined> {
    if (!runs.length) return () => undefined;
    if (subjectType === ForecastSubject.PRODUCT) {
      const from = Math.min(...runs.map((r) => epochDayOf(r.originAt.getTime())));
      const rows = await loaders.salesSince.load({ productId: subjectId, from });
      const byDay = new Map(rows.map((r) => [r.day, r]));
      const lastDay = rows.length ? rows[rows.length - 1].day : -Infinity;
      return (run, step) => {
        const day = epochDayOf(run.originAt.getTime()) + step - 1;
        if (day > lastDay) return undefined; // not arrived yet
        const r = byDay.get(day);
        if (!r) return 0; // unrecorded before the newest record: 0 units, as in the forecast's history
        return r.inStock ? r.units : undefined; // stockout day: censored, not an actual of demand
      };
    }
    const from = Math.min(...runs.map((r) => r.originAt.getTime()));
    const now = this.clock.now();
    const points = (
      await loaders.points.load({ competitorId: subjectId, from: from - HOUR_MS, to: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS })
    ).filter((pt) => pt.at <= now);
    const s = hourlyDemandSeries(points, Math.ceil((now - from) / HOUR_MS) + 2);
    if (!s) return () => undefined;
    return (run, step) => {
      const i = Math.round((run.originAt.getTime() + (step - 1) * HOUR_MS - s.start) / HOUR_MS);
      if (i < 0 || i >= s.y.length || !s.inStock[i] || !Number.isFinite(s.y[i])) return undefined;
      return s.y[i];
    };
  }

  /** Forecast vs actual over the runs of the last `days` days, newest first; null for an unknown subject. */
  async accuracy(
    workspaceId: string,
    subjectType: ForecastSubject,
    subjectId: string,
    days: number,
    loaders: ForecastLoaders,
  ): Promise<ForecastAccuracyReport> {
    const n = this.runDays(days);
    const today = epochDayOf(this.clock.now());
    const runs = await loaders.runs.load({ workspaceId, subjectType, subjectId, sinceDay: today - n + 1 });
    const actual = await this.actualsFor(subjectType, subjectId, runs, loaders);
    const checks: ForecastRunCheck[] = [];
    const all: MatchedPoint[] = [];
    const scales: (number | null)[] = [];
    for (const run of runs) {
      const stored: StoredPoint[] = run.points.map(([value, lower80, upper80, lower95, upper95]) => ({
        value,
        lower80,
        upper80,
        lower95,
        upper95,
      }));
      const matched = matchActuals(stored, (step) => actual(run, step));
      all.push(...matched);
      scales.push(...matched.map(() => run.maseScale));
      checks.push(runCheck(run, matched));
    }
    const overall = summarize(all, scales);
    const ex = explainAccuracy(subjectType, subjectId, n, runs.length, overall);
    return { subjectType, subjectId, runs: checks, overall, explanation: toExplanation(ex.build()) };
  }

  // ——— Demand for replenishment plans (demandSource FORECAST) ———

  /**
   * A DemandEstimate from the AUTO forecast: the forecast per day from today on, mean and sd over
   * the lead time (sd per day from the 95 % interval width, variances added over the lead-time days,
   * i.e. treating daily errors as independent). Window fields (in-stock days, stockouts excluded,
   * max) come from the in-stock moving average over the same sales, so the plan explains both.
   * Falls back to the moving average (with a warning) when no forecast can be made.
   */
  planningEstimator(loaders: { products: ProductLoaders; forecasts?: { fits: FitLoader } }, windowDays: number): DemandEstimator {
    // Without the request's fits loader (background alert evaluations) each fit goes to the pool alone.
    const fits: FitLoader = loaders.forecasts?.fits ?? { load: (k) => this.tasks.run('forecast', [k.y, k.opts]) };
    return {
      estimate: async (productId, today, leadTimeDays = 0) => {
        const [windowRows, hist] = await Promise.all([
          loaders.products.sales.load({ productId, from: today - windowDays, to: today - 1 }),
          loaders.products.sales.load({ productId, from: today - MAX_HISTORY_DAYS, to: today + 1 }),
        ]);
        const s0 = dailyDemandSeries(hist);
        const promos = s0 ? await this.promotions.periodsOf(productId, Math.min(s0.start, today - windowDays), today - 1, loaders) : [];
        const base = inStockMovingAverage(windowRows, today, windowDays, promos);
        const s = s0 && { ...s0, ...(await this.baselineSeries(productId, s0, loaders)) };
        const L = Math.max(0, leadTimeDays);
        const Lc = Math.max(1, Math.ceil(L - 1e-9));
        const fallback = (why: string): DemandEstimate => ({
          ...base,
          warnings: [...base.warnings, `demandSource FORECAST: ${why}; the in-stock moving average is used`],
        });
        if (!s) return fallback('no sales in the last year');
        const last = s.start + s.y.length - 1;
        const gap = today - (last + 1); // days between the forecast's first day and today
        const horizon = Math.min(MAX_HORIZON_DAYS, Math.max(0, gap) + Lc + 60);
        if (Math.max(0, gap) + Lc > MAX_HORIZON_DAYS)
          return fallback(`the newest sale is ${isoOfDay(last)}, too old to forecast the lead time`);
        const r = await this.run(
          fits,
          s.y,
          { horizon, inStock: s.inStock, model: 'auto', counts: true, frequency: 'daily' },
          ForecastModel.AUTO,
        );
        if (typeof r === 'string') return fallback(`the history cannot be forecast (${r})`);
        // Day today + k is forecast step k + gap + 1 (today's own record, if any, is not used as demand).
        const pts = r.points.slice(Math.max(0, gap));
        let w = 0;
        let mean = 0;
        let variance = 0;
        for (let k = 0; k < Lc && k < pts.length; k++) {
          const wk = L > 0 ? Math.min(1, L - k) : 1;
          w += wk;
          mean += wk * pts[k].value;
          variance += wk * sdFromInterval(pts[k]) ** 2;
        }
        mean /= w;
        const sd = Math.sqrt(variance / w);
        const maxFc = Math.max(...pts.slice(0, Lc).map((pt) => pt.value));
        const ex = new Explainer(
          'd̄ = mean forecast over the lead time; σ_d = √(Σ w_k σ_k² / Σ w_k), σ_k = 95 % interval width / (2·1.96)',
          {
            model: r.model,
            leadTimeDays: L,
            firstForecastDay: isoOfDay(last + 1),
            today: isoOfDay(today),
          },
        )
          .step('forecast days over the lead time', Lc)
          .step('mean daily demand d̄', mean)
          .step('sd of daily demand σ_d', sd)
          .step('backtest MASE of the model', r.accuracy?.mase ?? null)
          .note('Weights w_k = min(1, L − k): the last lead-time day counts by its fraction, as in the plan.')
          .note(
            'σ_k from the interval (upper half-width when the lower bound is clipped at 0); daily errors treated as independent, so L·σ_d² is Σ σ_k².',
          )
          .note(`Model ${r.model} (${reasonOf(r)}); ${s.censored} stockout day(s) censored, not counted as low demand.`);
        return {
          ...base,
          method: 'FORECAST',
          mean,
          sd,
          max: Math.max(base.max, maxFc),
          forecast: pts.map((pt) => pt.value),
          warnings:
            gap > 7
              ? [...base.warnings, `the forecast starts ${isoOfDay(last + 1)}, ${gap} days before today: the history is stale`]
              : base.warnings,
          explanation: ex.build(),
        };
      },
    };
  }
}

/** A forecast, or why there is none. */
interface ForecastOutcome {
  forecast: Forecast | null;
  unavailable: ForecastUnavailable | null;
}

/** What a competitor forecast needs of the competitor. */
export interface CompetitorRef {
  id: string;
  workspaceId: string;
  marketplace: string;
}

const unavailable = (reason: ForecastUnavailableReason, message: string, newestAt: Date | null): ForecastOutcome => ({
  forecast: null,
  unavailable: { reason, message, newestAt },
});

/** The explanation's sentence for a forecast as of a past instant. */
const pastNote = (now: number) =>
  `As of ${new Date(now).toISOString()}: the history ends there and later data is not seen; an ad-hoc forecast, not stored as a run.`;

/** True for an hourly run (its steps are hours from originAt), false for a daily one. */
function isHourly(r: ForecastRun): boolean {
  return r.granularity === ForecastGranularity.HOUR;
}

/**
 * One run's check: its stored backtest, every step's forecast beside its actual (`matched`), each
 * stamped with the hour or day it forecast, and the run's own accuracy summary (MASE scaled by the
 * run's in-sample naive MAE).
 */
function runCheck(run: ForecastRun, matched: MatchedPoint[]): ForecastRunCheck {
  const at = (step: number) =>
    isHourly(run)
      ? new Date(run.originAt.getTime() + (step - 1) * HOUR_MS).toISOString()
      : isoOfDay(epochDayOf(run.originAt.getTime()) + step - 1);
  const sum = summarize(
    matched,
    matched.map(() => run.maseScale),
  );
  const bt = run.accuracy;
  return {
    id: run.id,
    createdAt: run.createdAt,
    model: run.model,
    horizon: run.horizon,
    granularity: run.granularity as ForecastGranularity,
    originAt: isHourly(run) ? run.originAt.toISOString() : isoOfDay(epochDayOf(run.originAt.getTime())),
    backtest: bt
      ? {
          mase: bt.mase ?? null,
          rmsse: bt.rmsse ?? null,
          wape: bt.wape ?? null,
          bias: bt.bias ?? null,
          origins: Number(bt.origins ?? 0),
        }
      : null,
    points: matched.map((m) => ({
      step: m.step,
      at: at(m.step),
      forecast: m.value,
      actual: m.actual,
      error: m.error,
      lower80: m.lower80,
      upper80: m.upper80,
      lower95: m.lower95,
      upper95: m.upper95,
    })),
    accuracy: sum,
  };
}

/**
 * The accuracy report's explanation. With e = forecast − actual over the points that have an
 * actual: MAE = mean |e|; MASE = mean |e| / the run’s in-sample naive MAE (mean absolute scaled error);
 * WAPE = Σ|e| / Σ actual; bias = mean e; coverage = share of actuals inside the 80 % / 95 % interval.
 */
function explainAccuracy(
  subjectType: ForecastSubject,
  subjectId: string,
  days: number,
  runs: number,
  overall: ReturnType<typeof summarize>,
): Explainer {
  return new Explainer(
    'forecast vs actual: e = forecast − actual; MASE = mean |e| / in-sample naive MAE of the run; WAPE = Σ|e| / Σ actual; bias = mean e',
    {
      subjectType,
      subjectId,
      days,
      runs,
    },
  )
    .step('points with an actual', overall.matched)
    .step('MAE', overall.mae)
    .step('MASE', overall.mase)
    .step('WAPE', overall.wape)
    .step('bias', overall.bias)
    .step('80 % interval coverage', overall.coverage80)
    .step('95 % interval coverage', overall.coverage95)
    .note(
      'One stored run per subject per day: the latest forecast of that day in the tracked configuration (AUTO at the default horizon); ad-hoc models and horizons are never stored. Runs older than `days` are not shown.',
    )
    .note(
      subjectType === ForecastSubject.PRODUCT
        ? 'Actuals are recorded in-stock sales days; stockout days are censored (sales capped by stock) and not compared; days after the newest record have not arrived yet.'
        : 'Actuals are hours measured between exact stock readings; censored hours (capped stock, empty shelf) and missing hours (gaps, restocks) are not compared.',
    );
}
