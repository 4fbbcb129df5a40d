/**
 * Demand forecasting engine: one entry point, `forecast(y, opts)`, over the models of this folder.
 *
 * Routing in auto mode:
 *  1. Stockout periods (inStock = false) are censored: their sales are a lower bound on demand,
 *     never evidence of low demand. ETS and the intermittent methods handle them natively (left
 *     out of the likelihood / cost; the state moves with max(sales, one-step forecast)); other
 *     models see an imputed series (max(sales, model or neighbour estimate)).
 *  2. Demand class by ADI / CV² (SBC): series with ADI ≥ 1.32 go to the intermittent candidates
 *     (TSB, SBA, Croston, ADIDA), the others to the regular candidates (ETS+Theta combination,
 *     AutoETS, Theta, seasonal naive, naive).
 *  3. A rolling-origin backtest scores every candidate; the default (the equal-weight AutoETS +
 *     Theta combination for regular demand, TSB for intermittent) is kept unless another
 *     candidate beats it by a clear margin (SELECTION_MARGIN),
 *     because per-series selection on a few origins is noisy (measured on M3 / carparts, see
 *     bench/m3.ts and bench/carparts.ts).
 * Forecasts and interval bounds are clipped at 0 when the history is non-negative (demand).
 */
import { Explainer, type Explanation } from '../explain';
import { linearTrendForecast, naiveForecast, seasonalNaiveForecast, type IntervalForecast } from './baselines';
import { backtest, planBacktest, type BacktestScore } from './backtest';
import { type Calibration, INTERVAL_SCALE, scaleIntervals } from './calibrate';
import { countNoiseFloor, hasDegenerateInterval } from './countfloor';
import { arimaCandidate } from './arima-candidate';
import { autoEts, etsForecast, etsPointForecast, fitEts, parseEtsName, type EtsFit, type EtsSpec } from './ets';
import { adida, classifyDemand, croston, intermittentQuantile, tsb, type DemandClassification, type IntermittentFit } from './intermittent';
import { CALENDAR_FREQUENCIES, calendarPeriod, detectPeriod, type CalendarFrequency } from './seasonality';
import { thetaf } from './theta';

export type ForecastModelName =
  | 'SES'
  | 'HOLT'
  | 'DAMPED'
  | 'HW_ADD'
  | 'HW_MULT'
  | `ETS(${string})`
  | 'AUTO_ETS'
  | 'AUTO_ARIMA'
  | 'THETA'
  | 'ETS_THETA'
  | 'CROSTON'
  | 'SBA'
  | 'TSB'
  | 'ADIDA'
  | 'LINEAR_TREND'
  | 'SEASONAL_NAIVE'
  | 'NAIVE'
  | 'ZERO';

export interface ForecastOptions {
  /** Steps ahead (≥ 1). */
  horizon: number;
  /** Season length; from `frequency` when omitted, else detected from the autocorrelations (1 = none). */
  period?: number;
  /**
   * The series' sampling frequency: the season comes from its calendar (daily → 7, weekly → 52,
   * monthly → 12, quarterly → 4, hourly → 24), confirmed or rejected by the data (calendarPeriod).
   */
  frequency?: CalendarFrequency;
  /** Same length as y; false = stockout period: sales censored, must not drag demand down. */
  inStock?: boolean[];
  model?: 'auto' | 'ets' | 'intermittent' | ForecastModelName;
  /** Rolling-origin backtest accuracy (default true). */
  backtest?: boolean;
  /** Maximum backtest origins (default 3). */
  backtestOrigins?: number;
  /** Seed for simulated intervals (default 1): same inputs, same figures everywhere. */
  seed?: number;
  /** In auto mode, a candidate must beat the default's backtest error by this fraction
   *  (default SELECTION_MARGIN: 0.5 regular, 0.1 intermittent); 0 = plain arg-min,
   *  Infinity = always the default. */
  selectionMargin?: number;
  /**
   * y are counts of units (demand). A censored history, or one the model reproduces exactly
   * (zero-width intervals), then gets every interval bound widened to at least the Poisson(μ)
   * quantile of its point forecast (countfloor.ts). Default false: intervals as the model gives them.
   */
  counts?: boolean;
  /**
   * Scale the chosen model's interval half-widths by the empirical factors of calibrate.ts
   * (INTERVAL_SCALE) so that coverage is near nominal on held-out data. Default true.
   */
  calibrate?: boolean;
}

export interface ForecastPoint {
  step: number;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface ForecastAccuracy {
  mase: number | null;
  rmsse: number | null;
  wape: number | null;
  bias: number | null;
  origins: number;
}

export interface CandidateScore {
  model: string;
  accuracy: ForecastAccuracy | null;
  /** Why it was not run or failed, when it was not scored. */
  error?: string;
}

export interface ForecastResult {
  model: string;
  params: Record<string, number>;
  points: ForecastPoint[];
  accuracy: ForecastAccuracy | null;
  explanation: Explanation;
  period: number;
  demand: DemandClassification | null;
  candidates: CandidateScore[];
  intervalMethod: string;
  censoredCount: number;
  /** The interval calibration applied (calibrate.ts), null when off. */
  calibration: Calibration | null;
}

// Building blocks, for callers that need one method directly (all pure, validated).
export { classifyDemand, croston, tsb, adida, intermittentQuantile } from './intermittent';
export type { DemandClassification, DemandClass, IntermittentFit, IntermittentOptions, CrostonVariant } from './intermittent';
export { smape, mase, rmsse, wape, bias } from './metrics';
export { holtWinters } from './holtwinters';
export type { HoltWintersOptions, HoltWintersResult } from './holtwinters';
export { autoEts, fitEts, etsForecast, etsPointForecast, MAX_ETS_PERIOD } from './ets';
export type { EtsFit, AutoEtsOptions } from './ets';
export { thetaf } from './theta';
export { detectPeriod, seasonalityTest, calendarPeriod, calendarPeriods, CALENDAR_FREQUENCIES } from './seasonality';
export type { CalendarFrequency, CalendarPeriod } from './seasonality';
export { fitArima, arimaForecast } from './arima';
export type { ArimaFit, ArimaSpec, ArimaForecast } from './arima';
export { autoArima } from './arima-auto';
export { backtest, planBacktest } from './backtest';
export { scaleIntervals, INTERVAL_SCALE } from './calibrate';
export type { Calibration } from './calibrate';

/** Named shortcuts for single ETS models (parameters estimated by likelihood). */
const ALIASES: Record<string, EtsSpec> = {
  SES: { error: 'A', trend: 'N', season: 'N' },
  HOLT: { error: 'A', trend: 'A', season: 'N' },
  DAMPED: { error: 'A', trend: 'Ad', season: 'N' },
  HW_ADD: { error: 'A', trend: 'A', season: 'A' },
  HW_MULT: { error: 'M', trend: 'A', season: 'M' },
};

// Linear trend is left out: as a candidate it cost 0.02 sMAPE on M3 (13.66 → 13.68) and time;
// it stays available by name.
const REGULAR_CANDIDATES = ['ETS_THETA', 'AUTO_ETS', 'THETA', 'AUTO_ARIMA', 'SEASONAL_NAIVE', 'NAIVE'] as const;
const INTERMITTENT_CANDIDATES = ['TSB', 'SBA', 'CROSTON', 'ADIDA'] as const;

/**
 * A candidate must beat the default's backtest error by this fraction to replace it. Measured:
 * on M3 (regular) plain arg-min selection scored sMAPE 14.59 / MASE 0.908 against 13.54 / 0.822 for
 * always combining, margin 0.5 kept 13.31 / 0.826 (vs ∞ 13.31 / 0.825) while still catching series
 * where the combination fails badly; on carparts (intermittent) margin 0.1 gave RMSSE 0.594 against
 * 0.596 (always TSB) and 0.596 (arg-min).
 */
export const SELECTION_MARGIN = { regular: 0.5, intermittent: 0.1 } as const;

interface ModelRun extends IntervalForecast {
  model: string;
  /** One-step in-sample forecasts (ETS), used to impute censored periods for other models. */
  fitted?: number[];
  params: Record<string, number>;
  intervalMethod: string;
  notes: string[];
  /** Refit on a prefix (backtest origin) and return h point forecasts. */
  refit: (train: number[], h: number, cens: boolean[] | undefined) => number[];
}

interface Ctx {
  m: number;
  seed: number;
  /** Series with censored values replaced by max(sales, model estimate), set on first use. */
  imputed: number[] | null;
}

function isCensoredAt(cens: readonly boolean[] | undefined, i: number): boolean {
  return cens !== undefined && cens[i] === true;
}

/** Censored values lifted to max(sales, mean of up to two in-stock neighbours each side). */
function imputeCensored(y: readonly number[], cens: readonly boolean[] | undefined): number[] {
  if (!cens) return [...y];
  const out = [...y];
  for (let i = 0; i < y.length; i++) {
    if (!cens[i]) continue;
    const nb: number[] = [];
    for (let j = i - 1, k = 0; j >= 0 && k < 2; j--) {
      if (cens[j] || !Number.isFinite(y[j])) continue;
      nb.push(y[j]!);
      k++;
    }
    for (let j = i + 1, k = 0; j < y.length && k < 2; j++) {
      if (cens[j] || !Number.isFinite(y[j])) continue;
      nb.push(y[j]!);
      k++;
    }
    const est = nb.length ? nb.reduce((a, b) => a + b, 0) / nb.length : y[i]!;
    out[i] = Number.isFinite(y[i]) ? Math.max(y[i]!, est) : est;
  }
  return out;
}

/** Backtest refits are shared between a model and the combination that contains it. */
function memo(f: ModelRun['refit']): ModelRun['refit'] {
  const seen = new Map<string, number[]>();
  return (train, h, cens) => {
    const key = `${train.length}:${h}`;
    let v = seen.get(key);
    if (!v) seen.set(key, (v = f(train, h, cens)));
    return v;
  };
}

/**
 * An AICc as text: the number, or — for a fit that reproduces the history exactly (Σe² = 0, an
 * unbounded likelihood) — "AICc undefined", never the optimiser's −1e10 cap.
 */
function aiccText(aicc: number, exactFit: boolean, digits: number): string {
  if (exactFit) return 'AICc undefined (exact fit: Σe² = 0, the likelihood is unbounded)';
  return Number.isFinite(aicc) ? `AICc ${aicc.toFixed(digits)}` : 'AICc undefined (too few observations)';
}

function etsRun(fit: EtsFit, h: number, ctx: Ctx, model: string): ModelRun {
  const fc = etsForecast(fit, h, ctx.seed);
  const p = fit.params;
  const params: Record<string, number> = { alpha: p.alpha };
  if (fit.spec.trend !== 'N') params.beta = p.beta;
  if (fit.spec.trend === 'Ad') params.phi = p.phi;
  if (fit.spec.season !== 'N') params.gamma = p.gamma;
  params.l0 = fit.l0;
  if (fit.spec.trend !== 'N') params.b0 = fit.b0;
  // An exact fit's AICc is R's optimiser cap, not a figure: it is left out, and the note says why.
  if (!fit.exactFit) params.aicc = fit.aicc;
  params.sigma2 = fit.sigma2;
  const spec = fit.spec;
  const start = { params: fit.params, l0: fit.l0, b0: fit.b0, s0: fit.s0 };
  return {
    model,
    params,
    mean: fc.mean,
    lower80: fc.lower80,
    upper80: fc.upper80,
    lower95: fc.lower95,
    upper95: fc.upper95,
    intervalMethod: fc.method,
    fitted: fit.fitted,
    notes: [`${fit.name}: parameters by maximum likelihood (Nelder–Mead, admissible bounds), ${aiccText(fit.aicc, fit.exactFit, 2)}`],
    refit: memo((train, hh, cens) => {
      // Same model form, parameters re-estimated on the prefix (warm-started; seasonal start
      // indices kept from the full fit to stay within the time budget).
      const f = fitEts(train, spec, { m: fit.m, censored: cens, maxIter: 400, optimizeSeasonalStates: false, start });
      return f ? etsPointForecast(f, hh) : naiveForecast(train, hh).mean;
    }),
  };
}

function thetaRun(imputed: number[], h: number, m: number): ModelRun {
  const t = thetaf(imputed, h, m);
  return {
    model: 'THETA',
    params: { alpha: t.alpha, drift: t.drift, seasonal: t.seasonal ? 1 : 0 },
    mean: t.mean,
    lower80: t.lower80,
    upper80: t.upper80,
    lower95: t.lower95,
    upper95: t.upper95,
    intervalMethod: 'analytic SES variance σ²(1 + (h−1)α²), Gaussian, reseasonalised',
    notes: [
      `Theta: SES (α = ${t.alpha.toFixed(4)}) plus drift ${t.drift.toFixed(4)}/step${t.seasonal ? ', multiplicative seasonal adjustment' : ''}`,
    ],
    refit: memo((train, hh) => thetaf(imputed.slice(0, train.length), hh, m).mean),
  };
}

function intermittentRun(
  fit: IntermittentFit | ReturnType<typeof adida>,
  y: readonly number[],
  cens: boolean[] | undefined,
  h: number,
  refit: ModelRun['refit'],
): ModelRun {
  const sizes: number[] = [];
  let nz = 0;
  let nObs = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v) || (isCensoredAt(cens, i) && v === 0)) continue;
    nObs++;
    if (v > 0) {
      sizes.push(v);
      nz++;
    }
  }
  const rate = Math.max(0, fit.rate);
  const p = 'probability' in fit ? fit.probability : nObs > 0 ? nz / nObs : 0;
  const q = (lvl: number): number => intermittentQuantile(lvl, rate, Math.min(1, Math.max(p, rate > 0 ? 1e-9 : 0)), sizes);
  const params: Record<string, number> =
    'weights' in fit
      ? {
          alphaSize: fit.weights[0],
          [fit.method === 'TSB' ? 'alphaProbability' : 'alphaInterval']: fit.weights[1],
          size: fit.size,
          probability: fit.probability,
        }
      : { aggregation: fit.aggregation, alpha: fit.alpha };
  params.rate = rate;
  return {
    model: fit.method,
    params,
    mean: new Array<number>(h).fill(rate),
    lower80: new Array<number>(h).fill(q(0.1)),
    upper80: new Array<number>(h).fill(q(0.9)),
    lower95: new Array<number>(h).fill(q(0.025)),
    upper95: new Array<number>(h).fill(q(0.975)),
    intervalMethod: 'per-period demand distribution: 0 with probability 1−p, else an observed size rescaled to the forecast mean',
    notes: [],
    refit,
  };
}

function safeRate(f: () => { rate: number }, train: number[]): number {
  try {
    return Math.max(0, f().rate);
  } catch {
    // Too few demands in the prefix to fit: fall back to the mean rate.
    const v = train.filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
  }
}

function combine(a: ModelRun, b: ModelRun): ModelRun {
  const avg = (x: number[], y: number[]): number[] => x.map((v, i) => (v + y[i]!) / 2);
  return {
    model: `${a.model}+THETA`,
    params: {
      ...Object.fromEntries(Object.entries(a.params).map(([k, v]) => [`ets.${k}`, v])),
      ...Object.fromEntries(Object.entries(b.params).map(([k, v]) => [`theta.${k}`, v])),
    },
    mean: avg(a.mean, b.mean),
    lower80: avg(a.lower80, b.lower80),
    upper80: avg(a.upper80, b.upper80),
    lower95: avg(a.lower95, b.lower95),
    upper95: avg(a.upper95, b.upper95),
    intervalMethod: `average of the two models' quantiles (ETS: ${a.intervalMethod}; Theta: ${b.intervalMethod})`,
    notes: [`equal-weight combination of ${a.model} and Theta`, ...a.notes, ...b.notes],
    refit: (train, h, cens) => avg(a.refit(train, h, cens), b.refit(train, h, cens)),
  };
}

function baselineRun(
  model: string,
  f: IntervalForecast,
  params: Record<string, number>,
  refit: ModelRun['refit'],
  method: string,
): ModelRun {
  return { model, params, ...f, intervalMethod: method, notes: [], refit };
}

/**
 * The series other models see: censored (and missing) periods replaced by max(sales, AutoETS
 * one-step forecast), i.e. imputed from the model as ETS itself treats them; neighbour means when
 * no ETS model fits. Without censored or missing periods it is y itself.
 */
function imputedSeries(y: number[], cens: boolean[] | undefined, h: number, ctx: Ctx, cache: Map<string, ModelRun>): number[] {
  if (ctx.imputed) return ctx.imputed;
  const needs = y.some((v, i) => !Number.isFinite(v) || isCensoredAt(cens, i));
  if (!needs) return (ctx.imputed = y);
  let fitted: number[] | undefined;
  try {
    fitted = runModel('AUTO_ETS', y, cens, h, ctx, cache).fitted;
  } catch {
    fitted = undefined;
  }
  const nb = imputeCensored(y, cens);
  ctx.imputed = y.map((v, i) => {
    if (!isCensoredAt(cens, i) && Number.isFinite(v)) return v;
    const est = fitted && Number.isFinite(fitted[i]) ? fitted[i]! : nb[i]!;
    return Number.isFinite(v) ? Math.max(v, est) : est;
  });
  return ctx.imputed;
}

/**
 * An intermittent-demand model (Croston, its SBA bias correction, TSB, ADIDA) fitted to the full history; its
 * refit on a training prefix forecasts the flat fitted rate, or the prefix mean when the prefix cannot be fitted.
 */
function intermittentModel(name: 'CROSTON' | 'SBA' | 'TSB' | 'ADIDA', y: number[], cens: boolean[] | undefined, h: number): ModelRun {
  switch (name) {
    case 'CROSTON':
    case 'SBA': {
      const variant = name === 'SBA' ? 'sba' : 'croston';
      const fit = croston(y, variant, { censored: cens, init: 'mean', cost: 'mse', nop: 2 });
      return intermittentRun(fit, y, cens, h, (tr, hh, c) =>
        new Array<number>(hh).fill(safeRate(() => croston(tr, variant, { censored: c, init: 'mean', cost: 'mse' }), tr)),
      );
    }
    case 'TSB': {
      const fit = tsb(y, { censored: cens, init: 'mean', cost: 'mse' });
      return intermittentRun(fit, y, cens, h, (tr, hh, c) =>
        new Array<number>(hh).fill(safeRate(() => tsb(tr, { censored: c, init: 'mean', cost: 'mse' }), tr)),
      );
    }
    case 'ADIDA': {
      const fit = adida(y, { censored: cens });
      return intermittentRun(fit, y, cens, h, (tr, hh, c) => new Array<number>(hh).fill(safeRate(() => adida(tr, { censored: c }), tr)));
    }
  }
}

/**
 * A simple benchmark model on the imputed series (linear trend, seasonal naive, naive) or the all-zero forecast,
 * each with its Gaussian interval method named; the refit reruns it on the same-length prefix of the imputed series.
 */
function benchmarkModel(
  name: 'LINEAR_TREND' | 'SEASONAL_NAIVE' | 'NAIVE' | 'ZERO',
  y: number[],
  cens: boolean[] | undefined,
  h: number,
  ctx: Ctx,
  cache: Map<string, ModelRun>,
): ModelRun {
  const m = ctx.m;
  switch (name) {
    case 'LINEAR_TREND': {
      const yi = imputedSeries(y, cens, h, ctx, cache);
      const f = linearTrendForecast(yi, h);
      return baselineRun(
        'LINEAR_TREND',
        f,
        { intercept: f.intercept, slope: f.slope, sigma: f.sigma },
        (tr, hh) => linearTrendForecast(yi.slice(0, tr.length), hh).mean,
        'OLS prediction variance σ²(1 + 1/n + (t−t̄)²/Sxx), Gaussian',
      );
    }
    case 'SEASONAL_NAIVE': {
      if (m < 2) throw new RangeError('seasonal naive needs a period ≥ 2');
      const yi = imputedSeries(y, cens, h, ctx, cache);
      return baselineRun(
        'SEASONAL_NAIVE',
        seasonalNaiveForecast(yi, h, m),
        { period: m },
        (tr, hh) => seasonalNaiveForecast(yi.slice(0, tr.length), hh, m).mean,
        'σ²·(⌊(h−1)/m⌋+1) from seasonal differences, Gaussian',
      );
    }
    case 'NAIVE': {
      const yi = imputedSeries(y, cens, h, ctx, cache);
      return baselineRun(
        'NAIVE',
        naiveForecast(yi, h),
        {},
        (tr, hh) => naiveForecast(yi.slice(0, tr.length), hh).mean,
        'random walk σ²·h from first differences, Gaussian',
      );
    }
    case 'ZERO': {
      const zeros = (): number[] => new Array<number>(h).fill(0);
      return baselineRun(
        'ZERO',
        { mean: zeros(), lower80: zeros(), upper80: zeros(), lower95: zeros(), upper95: zeros() },
        {},
        (_tr, hh) => new Array<number>(hh).fill(0),
        'none: the history has no demand',
      );
    }
  }
}

/** Fits one named model (an ETS spec or alias, AUTO_ETS, THETA, ETS_THETA, an intermittent or a benchmark model). */
function buildModel(name: string, y: number[], cens: boolean[] | undefined, h: number, ctx: Ctx, cache: Map<string, ModelRun>): ModelRun {
  const m = ctx.m;
  const spec = ALIASES[name] ?? parseEtsName(name);
  if (spec) {
    const fit = fitEts(y, spec, { m, censored: cens });
    if (!fit) throw new RangeError(`${name} cannot be fitted to this series (needs positive data for multiplicative parts)`);
    return etsRun(fit, h, ctx, name);
  }
  switch (name) {
    case 'AUTO_ETS': {
      const a = autoEts(y, { m, censored: cens });
      if (!a) throw new RangeError('no ETS model could be fitted (series too short)');
      const run = etsRun(a.best, h, ctx, a.best.name);
      run.notes.push(`AICc of the candidates: ${a.candidates.map((c) => `${c.name} ${aiccText(c.aicc, c.exactFit, 1)}`).join(', ')}`);
      return run;
    }
    case 'THETA':
      return thetaRun(imputedSeries(y, cens, h, ctx, cache), h, m);
    case 'AUTO_ARIMA': {
      const yi = imputedSeries(y, cens, h, ctx, cache);
      const a = arimaCandidate(yi, h, m);
      return { ...a, model: a.name, refit: memo((tr, hh) => a.refit(yi.slice(0, tr.length), hh)) };
    }
    case 'ETS_THETA':
      return combine(runModel('AUTO_ETS', y, cens, h, ctx, cache), runModel('THETA', y, cens, h, ctx, cache));
    case 'CROSTON':
    case 'SBA':
    case 'TSB':
    case 'ADIDA':
      return intermittentModel(name, y, cens, h);
    case 'LINEAR_TREND':
    case 'SEASONAL_NAIVE':
    case 'NAIVE':
    case 'ZERO':
      return benchmarkModel(name, y, cens, h, ctx, cache);
    default:
      throw new RangeError(`unknown model "${name}"`);
  }
}

/** Build one named model on the full history, once per name (cached). Throws RangeError when the data cannot support it. */
function runModel(name: string, y: number[], cens: boolean[] | undefined, h: number, ctx: Ctx, cache: Map<string, ModelRun>): ModelRun {
  const hit = cache.get(name);
  if (hit) return hit;
  const run = buildModel(name, y, cens, h, ctx, cache);
  cache.set(name, run);
  return run;
}

function validateOptions(y: readonly number[], opts: ForecastOptions): void {
  if (!Array.isArray(y)) throw new TypeError('y must be an array of numbers');
  if (!opts || typeof opts !== 'object') throw new TypeError('opts must be an object');
  if (!Number.isInteger(opts.horizon) || opts.horizon < 1) throw new RangeError(`horizon must be an integer ≥ 1, got ${opts.horizon}`);
  if (opts.period !== undefined && (!Number.isInteger(opts.period) || opts.period < 1)) {
    throw new RangeError(`period must be an integer ≥ 1, got ${opts.period}`);
  }
  if (opts.frequency !== undefined && !CALENDAR_FREQUENCIES.includes(opts.frequency)) {
    throw new RangeError(`frequency must be one of ${CALENDAR_FREQUENCIES.join(', ')}, got ${String(opts.frequency)}`);
  }
  if (opts.inStock !== undefined && opts.inStock.length !== y.length) {
    throw new RangeError(`inStock must have the same length as y (${y.length}), got ${opts.inStock.length}`);
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== 'number' || (!Number.isFinite(v) && !Number.isNaN(v)))
      throw new RangeError(`y[${i}] must be a finite number or NaN (missing), got ${v}`);
  }
}

const toAccuracy = (s: BacktestScore): ForecastAccuracy => ({
  mase: s.mase,
  rmsse: s.rmsse,
  wape: s.wape,
  bias: s.bias,
  origins: s.origins,
});

/**
 * Candidate models for the request and the default among them: ZERO when no in-stock period had
 * demand; auto = the intermittent list when ADI ≥ 1.32 (Syntetos–Boylan–Croston cut-off), else the
 * regular list; NAIVE with fewer than 3 usable observations.
 */
function candidateModels(
  requested: NonNullable<ForecastOptions['model']>,
  observed: readonly number[],
  demand: DemandClassification | null,
  ex: Explainer,
): { candidates: string[]; defaultModel: string } {
  const allZero = observed.length > 0 && observed.every((v) => v === 0);
  let candidates: string[];
  if (allZero) {
    candidates = ['ZERO'];
    ex.note('no demand recorded in any in-stock period: forecasting zero');
  } else if (requested === 'auto') {
    candidates = demand !== null && demand.adi >= 1.32 ? [...INTERMITTENT_CANDIDATES] : [...REGULAR_CANDIDATES];
  } else if (requested === 'intermittent') candidates = [...INTERMITTENT_CANDIDATES];
  else if (requested === 'ets') candidates = ['AUTO_ETS'];
  else candidates = [requested];
  if (observed.length < 3 && !allZero) {
    candidates = ['NAIVE'];
    ex.note(`only ${observed.length} usable observations: naive forecast`);
  }
  return { candidates, defaultModel: candidates[0]! };
}

/**
 * Fits every candidate (a failing one is recorded, unless it is the only one) and scores it by a
 * rolling-origin backtest on the plan's origins (seasonal scaling with period m when y spans more
 * than two seasons).
 */
function fitCandidates(
  candidates: readonly string[],
  y: number[],
  cens: boolean[] | undefined,
  h: number,
  ctx: Ctx,
  plan: ReturnType<typeof planBacktest>,
  doBacktest: boolean,
): { runs: Map<string, ModelRun>; scores: CandidateScore[] } {
  const cache = new Map<string, ModelRun>();
  const runs = new Map<string, ModelRun>();
  const scores: CandidateScore[] = [];
  const m = ctx.m;
  for (const c of candidates) {
    let run: ModelRun;
    try {
      run = runModel(c, y, cens, h, ctx, cache);
    } catch (e) {
      if (candidates.length === 1) throw e;
      scores.push({ model: c, accuracy: null, error: e instanceof Error ? e.message : String(e) });
      continue;
    }
    runs.set(c, run);
    let acc: ForecastAccuracy | null = null;
    let btError: string | undefined;
    if (doBacktest && plan.origins.length > 0 && c !== 'ZERO') {
      try {
        acc = toAccuracy(
          backtest(y, plan, (train, hh, T) => run.refit(train, hh, cens?.slice(0, T)), m > 1 && y.length > 2 * m ? m : 1, cens),
        );
      } catch (e) {
        // The prefix at an origin can be too short for the model (e.g. less than a season).
        btError = `not backtested: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    scores.push(btError ? { model: c, accuracy: null, error: btError } : { model: c, accuracy: acc });
  }
  if (runs.size === 0) {
    throw new RangeError(`no candidate model could be fitted to this series (${scores.map((s) => `${s.model}: ${s.error}`).join('; ')})`);
  }
  return { runs, scores };
}

/**
 * Selection: keep the default unless a candidate's backtest error (MASE for regular demand,
 * RMSSE for intermittent, where MASE rewards forecasting zero) is lower by more than the margin:
 * v < best × (1 − margin). When the default cannot be fitted, the first fitted candidate in list order
 * takes its place (THETA after ETS_THETA and AUTO_ETS on very short series). A backtest that scores fewer
 * forecasts than the planned number of origins (`fewPoints`: e.g. one origin of one step on 6–8 yearly
 * values) cannot rank models: the ranking is one forecast's luck (Tashman 2000 on single-origin
 * evaluation), so the default is kept. Measured on tuning windows only (bench/pool-tune.ts, every 2nd
 * series): on M3 monthly summed to years, backtest selection scored sMAPE 10.17 / MASE 1.242 against
 * 9.58 / 1.230 for the default alone.
 */
function chooseModel(
  runs: ReadonlyMap<string, ModelRun>,
  scores: readonly CandidateScore[],
  defaultModel: string,
  intermittentRoute: boolean,
  selectionMargin: number | undefined,
  fewPoints: boolean,
): { chosen: string; reason: string } {
  const metric = (s: CandidateScore): number | null => (intermittentRoute ? (s.accuracy?.rmsse ?? null) : (s.accuracy?.mase ?? null));
  const margin = selectionMargin ?? (intermittentRoute ? SELECTION_MARGIN.intermittent : SELECTION_MARGIN.regular);
  if (!(margin >= 0)) throw new RangeError(`selectionMargin must be ≥ 0, got ${margin}`);
  let chosen = runs.has(defaultModel) ? defaultModel : [...runs.keys()][0]!;
  const fallback = chosen;
  const defScore = scores.find((s) => s.model === chosen);
  let reason = runs.has(defaultModel)
    ? `default for ${intermittentRoute ? 'intermittent' : 'regular'} demand`
    : `${defaultModel} could not be fitted: ${chosen} is the next candidate`;
  if (runs.size > 1 && fewPoints) {
    reason += '; the backtest scores too few forecasts to rank the candidates, so none replaces it';
  } else if (runs.size > 1 && defScore && metric(defScore) !== null) {
    let best = metric(defScore)!;
    for (const s of scores) {
      const v = metric(s);
      if (v !== null && runs.has(s.model) && v < best * (1 - margin) && v < best) {
        best = v;
        chosen = s.model;
      }
    }
    if (chosen !== fallback)
      reason = `backtest ${intermittentRoute ? 'RMSSE' : 'MASE'} beat the default ${fallback} by more than ${margin * 100} %`;
  }
  return { chosen, reason };
}

/** Forecast points with nested intervals (95 % ⊇ 80 % ⊇ the mean), clipped at 0 for demand. */
function forecastPoints(run: ModelRun, nonNegative: boolean): ForecastPoint[] {
  const clip = nonNegative ? (v: number): number => Math.max(0, v) : (v: number): number => v;
  return run.mean.map((v, i) => ({
    step: i + 1,
    value: clip(v),
    lower80: clip(Math.min(run.lower80[i]!, v)),
    upper80: clip(Math.max(run.upper80[i]!, v)),
    lower95: clip(Math.min(run.lower95[i]!, run.lower80[i]!, v)),
    upper95: clip(Math.max(run.upper95[i]!, run.upper80[i]!, v)),
  }));
}

/** Explanation lines for the candidates' scores and the chosen model. */
function explainChoice(ex: Explainer, scores: readonly CandidateScore[], run: ModelRun, reason: string, intermittentRoute: boolean): void {
  for (const s of scores) {
    const a = s.accuracy;
    ex.step(
      `candidate ${s.model}`,
      a ? (intermittentRoute ? a.rmsse : a.mase) : null,
      s.error ??
        (a
          ? `backtest ${intermittentRoute ? 'RMSSE' : 'MASE'} over ${a.origins} origins, WAPE ${a.wape === null ? '—' : a.wape.toFixed(3)}`
          : 'not backtested'),
    );
  }
  ex.step('chosen model', run.model, reason);
  for (const [k, v] of Object.entries(run.params)) ex.step(`param ${k}`, v);
  ex.note(`intervals: ${run.intervalMethod}`);
}

/** Step "season length": given, else from the frequency's calendar (calendarPeriod), else detected (detectPeriod). */
function seasonOf(y: number[], cens: boolean[] | undefined, nObserved: number, opts: ForecastOptions): { m: number; source: string } {
  if (opts.period !== undefined) return { m: opts.period, source: 'given' };
  if (opts.frequency !== undefined) {
    const c = calendarPeriod(imputeCensored(y, cens), opts.frequency);
    const extra = c.periods.length > 1 ? `; also ${c.periods.slice(1).join(', ')} (calendar, not modelled)` : '';
    return { m: c.period, source: `calendar: ${c.reason}${extra}` };
  }
  return { m: nObserved >= 8 ? detectPeriod(imputeCensored(y, cens)) : 1, source: 'detected (ACF peak, 90 % seasonality test)' };
}

/**
 * Forecast a demand (or any) series `horizon` steps ahead with 80 % / 95 % intervals, the model
 * used and its parameters, rolling-origin accuracy and an explanation of the choice.
 * y may contain NaN for missing periods.
 */
export function forecast(y: number[], opts: ForecastOptions): ForecastResult {
  validateOptions(y, opts);
  const h = opts.horizon;
  const cens = opts.inStock ? opts.inStock.map((s) => !s) : undefined;
  const censoredCount = cens ? cens.filter(Boolean).length : 0;
  const observed = y.filter((v, i) => Number.isFinite(v) && !isCensoredAt(cens, i));
  const nonNegative = y.every((v) => !Number.isFinite(v) || v >= 0);
  const requested = opts.model ?? 'auto';
  const ex = new Explainer('forecast: model chosen per series, rolling-origin backtest', {
    n: y.length,
    horizon: h,
    requestedModel: requested,
    censoredPeriods: censoredCount,
  });
  if (observed.length === 0 && y.every((v) => !Number.isFinite(v) || v === 0)) {
    throw new RangeError('y has no usable observation (all missing, or all censored)');
  }
  const { m, source } = seasonOf(y, cens, observed.length, opts);
  ex.input('period', m).input('periodSource', source);
  const demand = nonNegative && observed.length > 0 ? classifyDemand(y, cens) : null;
  if (demand) {
    ex.step('ADI (mean periods per demand)', Number.isFinite(demand.adi) ? demand.adi : null, 'SBC cut-off 1.32');
    ex.step('CV² of demand sizes', demand.cv2, 'SBC cut-off 0.49');
    ex.step('demand class', demand.class);
  }

  const { candidates, defaultModel } = candidateModels(requested, observed, demand, ex);
  // Intermittent candidates are compared on RMSSE: MASE rewards forecasting zero.
  const intermittentRoute = candidates.every((c) => (INTERMITTENT_CANDIDATES as readonly string[]).includes(c));
  const doBacktest = opts.backtest ?? true;
  const minTrain = Math.max(8, 2 * m + 2);
  const plan = planBacktest(y.length, h, Math.min(minTrain, Math.max(3, y.length - 1)), opts.backtestOrigins ?? 3);
  const { runs, scores } = fitCandidates(candidates, y, cens, h, { m, seed: opts.seed ?? 1, imputed: null }, plan, doBacktest);
  const fewPoints = doBacktest && plan.origins.length * plan.horizon < (opts.backtestOrigins ?? 3);
  const { chosen, reason } = chooseModel(runs, scores, defaultModel, intermittentRoute, opts.selectionMargin, fewPoints);
  const fitted = runs.get(chosen)!;
  const { run, calibration } = calibratedRun(fitted, opts.calibrate ?? true);
  const chosenScore = scores.find((s) => s.model === chosen)?.accuracy ?? null;

  explainChoice(ex, scores, run, reason, intermittentRoute);
  if (calibration) explainCalibration(ex, calibration);
  if (plan.origins.length > 0 && doBacktest) {
    ex.note(`backtest: origins at t = ${plan.origins.join(', ')}, ${plan.horizon} steps each, parameters re-estimated at every origin`);
  }
  if (censoredCount > 0) ex.note(`${censoredCount} stockout periods treated as censored (demand ≥ recorded sales), not as low demand`);
  if (nonNegative) ex.note('forecasts and interval bounds clipped at 0 (demand)');
  for (const n of run.notes) ex.note(n);
  const { points, floored } = honestIntervals(forecastPoints(run, nonNegative), (opts.counts ?? false) && nonNegative, censoredCount, ex);

  return {
    model: run.model,
    params: run.params,
    points,
    accuracy: chosenScore,
    explanation: ex.build(),
    period: m,
    demand,
    candidates: scores,
    intervalMethod: floored ? `${run.intervalMethod}; widened to at least Poisson(μ) quantiles (count-noise floor)` : run.intervalMethod,
    censoredCount,
    calibration,
  };
}

function explainCalibration(ex: Explainer, c: Calibration): void {
  ex.step('interval half-width factor 80 %', c.factor80, 'empirical calibration (calibrate.ts)');
  ex.step('interval half-width factor 95 %', c.factor95, 'empirical calibration (calibrate.ts)');
}

/**
 * Step "calibrated intervals" (calibrate.ts): the chosen model's half-widths × INTERVAL_SCALE, the
 * factors that bring held-out coverage to nominal on public tuning windows. Unchanged when off or
 * for ZERO (no interval).
 */
function calibratedRun(run: ModelRun, enabled: boolean): { run: ModelRun; calibration: Calibration | null } {
  if (!enabled || run.model === 'ZERO') return { run, calibration: null };
  const c = { factor80: INTERVAL_SCALE.level80, factor95: INTERVAL_SCALE.level95 };
  const intervals = scaleIntervals(run, c.factor80, c.factor95);
  const method = `${run.intervalMethod}; half-widths × ${c.factor80} (80 %) and × ${c.factor95} (95 %), empirical calibration`;
  return { run: { ...run, ...intervals, intervalMethod: method }, calibration: c };
}

/**
 * Step "honest intervals" (countfloor.ts): a count series (opts.counts) whose history is censored,
 * or whose model interval collapsed to zero width (an exact fit), gets every bound widened to at
 * least the Poisson(μ) quantile of its point forecast; other series keep the model's intervals.
 */
function honestIntervals(
  points: ForecastPoint[],
  counts: boolean,
  censoredCount: number,
  ex: Explainer,
): { points: ForecastPoint[]; floored: boolean } {
  const degenerate = hasDegenerateInterval(points);
  if (!counts || (censoredCount === 0 && !degenerate)) return { points, floored: false };
  ex.note(
    `intervals widened to at least Poisson(μ) count noise around each forecast (lower_q = min(model, Q_Pois(q; μ)), upper_q = max(model, Q_Pois(1 − q; μ))): ${
      degenerate
        ? 'the model reproduces the history exactly, so its own interval had zero width'
        : `${censoredCount} censored period(s) hide the noise the model would measure`
    }`,
  );
  return { points: countNoiseFloor(points), floored: true };
}
