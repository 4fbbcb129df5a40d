/**
 * Benchmark forecasts with their textbook Gaussian prediction intervals (Hyndman & Athanasopoulos,
 * FPP3 §5.5): naive (random walk), seasonal naive, and a linear trend regression. Missing / censored
 * observations are skipped.
 */
import { PhiInv } from '../stats/normal';

export interface IntervalForecast {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

const Z80 = PhiInv(0.9);
const Z95 = PhiInv(0.975);

function withSd(mean: number[], sd: number[]): IntervalForecast {
  return {
    mean,
    lower80: mean.map((m, i) => m - Z80 * sd[i]!),
    upper80: mean.map((m, i) => m + Z80 * sd[i]!),
    lower95: mean.map((m, i) => m - Z95 * sd[i]!),
    upper95: mean.map((m, i) => m + Z95 * sd[i]!),
  };
}

function lastFinite(y: readonly number[]): number {
  for (let i = y.length - 1; i >= 0; i--) if (Number.isFinite(y[i])) return y[i]!;
  throw new RangeError('series has no finite observation');
}

/** Random walk: the last observation, variance σ²·h with σ² from first differences. */
export function naiveForecast(y: readonly number[], h: number): IntervalForecast {
  const last = lastFinite(y);
  let s = 0;
  let c = 0;
  for (let t = 1; t < y.length; t++) {
    const d = y[t]! - y[t - 1]!;
    if (Number.isFinite(d)) {
      s += d * d;
      c++;
    }
  }
  const sigma = c > 0 ? Math.sqrt(s / c) : 0;
  return withSd(
    new Array<number>(h).fill(last),
    Array.from({ length: h }, (_, i) => sigma * Math.sqrt(i + 1)),
  );
}

/** Seasonal naive: the value one season back, variance σ²·(⌊(h−1)/m⌋ + 1). */
export function seasonalNaiveForecast(y: readonly number[], h: number, m: number): IntervalForecast {
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`period must be an integer ≥ 1, got ${m}`);
  if (y.length < m) throw new RangeError(`seasonal naive needs at least one season (${m} points), got ${y.length}`);
  const n = y.length;
  const mean: number[] = [];
  for (let i = 0; i < h; i++) {
    // Latest finite value in the same season position.
    let t = n - m + (i % m);
    while (t >= 0 && !Number.isFinite(y[t])) t -= m;
    mean.push(t >= 0 ? y[t]! : lastFinite(y));
  }
  let s = 0;
  let c = 0;
  for (let t = m; t < n; t++) {
    const d = y[t]! - y[t - m]!;
    if (Number.isFinite(d)) {
      s += d * d;
      c++;
    }
  }
  const sigma = c > 0 ? Math.sqrt(s / c) : 0;
  return withSd(
    mean,
    Array.from({ length: h }, (_, i) => sigma * Math.sqrt(Math.floor(i / m) + 1)),
  );
}

export interface LinearTrendFit extends IntervalForecast {
  intercept: number;
  slope: number;
  sigma: number;
}

/** OLS line y = a + b·t (t = 1..n) extrapolated, with the regression prediction variance. */
export function linearTrendForecast(y: readonly number[], h: number): LinearTrendFit {
  const pts: [number, number][] = [];
  for (let t = 0; t < y.length; t++) if (Number.isFinite(y[t])) pts.push([t + 1, y[t]!]);
  const n = pts.length;
  if (n < 3) throw new RangeError(`linear trend needs at least 3 observations, got ${n}`);
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [t, v] of pts) {
    sxx += (t - mx) ** 2;
    sxy += (t - mx) * (v - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (const [t, v] of pts) sse += (v - intercept - slope * t) ** 2;
  const sigma = Math.sqrt(sse / (n - 2));
  const mean: number[] = [];
  const sd: number[] = [];
  for (let i = 1; i <= h; i++) {
    const t = y.length + i;
    mean.push(intercept + slope * t);
    sd.push(sigma * Math.sqrt(1 + 1 / n + (t - mx) ** 2 / sxx));
  }
  return { ...withSd(mean, sd), intercept, slope, sigma };
}
