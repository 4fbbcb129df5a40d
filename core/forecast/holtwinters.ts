/**
 * Classic fixed-parameter exponential smoothing exactly as R's stats::HoltWinters computes it
 * (the reference for SES / Holt / Holt-Winters golden vectors):
 *  - SES:  ℓ starts at x₁, fitting from t = 2;
 *  - Holt: ℓ = x₂, b = x₂ − x₁, fitting from t = 3;
 *  - seasonal: decompose() of the first 2 seasons gives the seasonal figure; the start level and
 *    trend are the intercept and slope of a regression on the centred moving average
 *    (index 1, 2, …); fitting from t = m + 1.
 * Forecast: ℓ_n + h·b_n, plus (or times) the last seasonal estimate for the matching position.
 */
import { decompose } from './seasonality';

export interface HoltWintersOptions {
  alpha: number;
  /** Trend weight; omit (or false) for no trend. */
  beta?: number | false;
  /** Seasonal weight; omit (or false) for no season. */
  gamma?: number | false;
  period?: number;
  seasonal?: 'additive' | 'multiplicative';
}

export interface HoltWintersResult {
  /** Final level a, trend b, seasonal indices s1..sm (R's coef()). */
  a: number;
  b: number;
  s: number[];
  SSE: number;
  /** One-step fitted values from the start of fitting (index 0 = observation `startTime`). */
  fitted: number[];
  startTime: number;
  forecast(h: number): number[];
}

function check01(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
}

/** Which components are on, their weights, the season length f (1 without a season) and the seasonal form. */
interface HwSpec {
  alpha: number;
  beta: number;
  gamma: number;
  doTrend: boolean;
  doSeason: boolean;
  mult: boolean;
  f: number;
}

/** Starting state: level ℓ, trend b, seasonal figure and the 1-based time fitting starts at (as in R). */
interface HwStart {
  lStart: number;
  bStart: number;
  sStart: number[];
  startTime: number;
}

/** Validates the weights (each in [0, 1]), the data (finite) and the period (integer ≥ 2 with a season). */
function hwSpec(x: readonly number[], opts: HoltWintersOptions): HwSpec {
  const { alpha } = opts;
  check01('alpha', alpha);
  const doTrend = opts.beta !== undefined && opts.beta !== false;
  const doSeason = opts.gamma !== undefined && opts.gamma !== false;
  const beta = doTrend ? (opts.beta as number) : 0;
  const gamma = doSeason ? (opts.gamma as number) : 0;
  if (doTrend) check01('beta', beta);
  if (doSeason) check01('gamma', gamma);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`x[${i}] must be finite, got ${x[i]}`);
  }
  const mult = opts.seasonal === 'multiplicative';
  const f = doSeason ? (opts.period ?? 0) : 1;
  if (doSeason && !(Number.isInteger(f) && f >= 2)) throw new RangeError(`period must be an integer ≥ 2, got ${opts.period}`);
  return { alpha, beta, gamma, doTrend, doSeason, mult, f };
}

/**
 * Intercept and slope of the least-squares line through (1, y₁), …, (k, y_k), R's
 * .lm.fit(cbind(1, seq_along(y)), y) as stats::HoltWinters uses it for the start level and trend:
 *
 *   slope = Σ (i − x̄)(y_i − ȳ) / Σ (i − x̄)²,  intercept = ȳ − slope·x̄,  x̄ = (k + 1)/2
 */
export function lineOnIndex(y: readonly number[]): { intercept: number; slope: number } {
  const k = y.length;
  const mx = (k + 1) / 2;
  const my = y.reduce((a, b) => a + b, 0) / k;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < k; i++) {
    sxy += (i + 1 - mx) * (y[i]! - my);
    sxx += (i + 1 - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/**
 * R's start values: with a season, decompose() of the first two seasons gives the seasonal figure and a line on
 * the centred moving average the level and trend (fitting from t = f + 1); Holt starts at ℓ = x₂, b = x₂ − x₁
 * (from t = 3); SES at ℓ = x₁ (from t = 2).
 */
function hwStart(x: readonly number[], spec: HwSpec): HwStart {
  const { f, doSeason, doTrend } = spec;
  if (doSeason) {
    if (x.length < 2 * f + 1) throw new RangeError(`seasonal Holt-Winters needs more than 2 periods (${2 * f} points), got ${x.length}`);
    const st = decompose(x.slice(0, 2 * f), f, spec.mult ? 'multiplicative' : 'additive');
    const line = lineOnIndex(st.trend.filter((v) => !Number.isNaN(v)));
    return { lStart: line.intercept, bStart: doTrend ? line.slope : 0, sStart: st.figure, startTime: f + 1 };
  }
  if (doTrend) {
    if (x.length < 3) throw new RangeError(`Holt needs at least 3 observations, got ${x.length}`);
    return { lStart: x[1]!, bStart: x[1]! - x[0]!, sStart: [], startTime: 3 };
  }
  if (x.length < 2) throw new RangeError(`SES needs at least 2 observations, got ${x.length}`);
  return { lStart: x[0]!, bStart: 0, sStart: [], startTime: 2 };
}

/**
 * The smoothing recursions, a direct transcription of R's C_HoltWinters (arrays indexed like the C code). With
 * x̂ = (ℓ + b)·s (multiplicative) or ℓ + b + s (additive), s the seasonal estimate one season back:
 *
 *   ℓ_t = α·(x_t / s or x_t − s) + (1 − α)·(ℓ_{t−1} + b_{t−1})
 *   b_t = β·(ℓ_t − ℓ_{t−1}) + (1 − β)·b_{t−1}
 *   s_t = γ·(x_t / ℓ_t or x_t − ℓ_t) + (1 − γ)·s
 */
function hwRecursions(x: readonly number[], spec: HwSpec, st: HwStart): Omit<HoltWintersResult, 'forecast'> {
  const { alpha, beta, gamma, doTrend, doSeason, mult, f } = spec;
  const { startTime } = st;
  const xl = x.length;
  const len = xl - startTime + 1;
  const level = new Float64Array(len + 1);
  const trend = new Float64Array(len + 1);
  const season = new Float64Array(len + f);
  level[0] = st.lStart;
  trend[0] = st.bStart;
  for (let i = 0; i < f && doSeason; i++) season[i] = st.sStart[i]!;
  let SSE = 0;
  const fitted: number[] = [];
  for (let i = startTime - 1; i < xl; i++) {
    const i0 = i - startTime + 2;
    const s0 = i0 + f - 1;
    let xhat = level[i0 - 1]! + (doTrend ? trend[i0 - 1]! : 0);
    const stmp = doSeason ? season[s0 - f]! : mult ? 1 : 0;
    if (mult) xhat *= stmp;
    else xhat += stmp;
    fitted.push(xhat);
    const res = x[i]! - xhat;
    SSE += res * res;
    level[i0] = mult
      ? alpha * (x[i]! / stmp) + (1 - alpha) * (level[i0 - 1]! + trend[i0 - 1]!)
      : alpha * (x[i]! - stmp) + (1 - alpha) * (level[i0 - 1]! + trend[i0 - 1]!);
    if (doTrend) trend[i0] = beta * (level[i0]! - level[i0 - 1]!) + (1 - beta) * trend[i0 - 1]!;
    if (doSeason) {
      season[s0] = mult ? gamma * (x[i]! / level[i0]!) + (1 - gamma) * stmp : gamma * (x[i]! - level[i0]!) + (1 - gamma) * stmp;
    }
  }
  const b = doTrend ? trend[len]! : 0;
  const s = doSeason ? Array.from(season.slice(len, len + f)) : [];
  return { a: level[len]!, b, s, SSE, fitted, startTime };
}

export function holtWinters(x: readonly number[], opts: HoltWintersOptions): HoltWintersResult {
  const spec = hwSpec(x, opts);
  const fit = hwRecursions(x, spec, hwStart(x, spec));
  const { a, b, s } = fit;
  const { doSeason, mult, f } = spec;
  return {
    ...fit,
    forecast(h: number): number[] {
      if (!(Number.isInteger(h) && h >= 1)) throw new RangeError(`h must be an integer ≥ 1, got ${h}`);
      const out: number[] = [];
      for (let k = 1; k <= h; k++) {
        let v = a + k * b;
        if (doSeason) v = mult ? v * s[(k - 1) % f]! : v + s[(k - 1) % f]!;
        out.push(v);
      }
      return out;
    },
  };
}
