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

export function holtWinters(x: readonly number[], opts: HoltWintersOptions): HoltWintersResult {
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
  let lStart: number;
  let bStart = 0;
  let sStart: number[] = [];
  let startTime: number; // 1-based, as in R
  if (doSeason) {
    if (x.length < 2 * f + 1) throw new RangeError(`seasonal Holt-Winters needs more than 2 periods (${2 * f} points), got ${x.length}`);
    const st = decompose(x.slice(0, 2 * f), f, mult ? 'multiplicative' : 'additive');
    const dat = st.trend.filter((v) => !Number.isNaN(v));
    // .lm.fit(cbind(1, seq_along(dat)), dat)
    const k = dat.length;
    const mx = (k + 1) / 2;
    const my = dat.reduce((a, b) => a + b, 0) / k;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < k; i++) {
      sxy += (i + 1 - mx) * (dat[i]! - my);
      sxx += (i + 1 - mx) ** 2;
    }
    bStart = sxy / sxx;
    lStart = my - bStart * mx;
    sStart = st.figure;
    startTime = f + 1;
  } else if (doTrend) {
    if (x.length < 3) throw new RangeError(`Holt needs at least 3 observations, got ${x.length}`);
    lStart = x[1]!;
    bStart = x[1]! - x[0]!;
    startTime = 3;
  } else {
    if (x.length < 2) throw new RangeError(`SES needs at least 2 observations, got ${x.length}`);
    lStart = x[0]!;
    startTime = 2;
  }
  if (!doTrend) bStart = 0;
  // Direct transcription of C_HoltWinters (level/trend/season arrays indexed like the C code).
  const xl = x.length;
  const len = xl - startTime + 1;
  const level = new Float64Array(len + 1);
  const trend = new Float64Array(len + 1);
  const season = new Float64Array(len + f);
  level[0] = lStart;
  trend[0] = bStart;
  for (let i = 0; i < f && doSeason; i++) season[i] = sStart[i]!;
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
  const a = level[len]!;
  const b = doTrend ? trend[len]! : 0;
  const s = doSeason ? Array.from(season.slice(len, len + f)) : [];
  return {
    a,
    b,
    s,
    SSE,
    fitted,
    startTime,
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
