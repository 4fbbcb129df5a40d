/**
 * Real-time consumption rate (alert kind CONSUMPTION_RATE), pure: units consumed in a rolling window
 * (default 1 h, down to 5 min) against the units expected in that window from the subject's
 * hour-of-day baseline. Small named steps:
 *
 *   1. unit series      own orders (point events) or a competitor's stock intervals (drains, deal
 *                       claims; censored intervals are lower bounds, restocks and gaps unobserved)
 *   2. windowCount      N = units in (t − W, t], intervals prorated by overlap
 *   3. hourOfDayRates   r_h = (U_h + m·r̄) / (H_h + m): units per measured hour at UTC hour h, shrunk
 *                       towards the overall rate r̄ by m pseudo-hours (additive smoothing)
 *   4. expectedCount    μ = ∫ r_hour(τ) dτ over the window
 *   5. poissonQuantile  Q_q(μ): the smallest k with P(X ≤ k) ≥ q, X ~ Poisson(μ)
 *   6. rateLevel        ratio = N / μ; ORANGE when ratio > orange (200 %), RED when > red (500 %),
 *                       but only when N ≥ minUnits and N > Q_q(μ) (q = 0.999): Poisson noise of a
 *                       slow seller (μ = 0.4 → 2 units in an hour is 500 %) never fires.
 */
import { stockIntervals } from '../series/intervals';
import type { SnapshotPoint } from '../series/types';

const HOUR_MS = 3_600_000;

/** Units consumed over (from, to]; from === to for a point event (one order). */
export interface UnitSpan {
  from: number;
  to: number;
  units: number;
  /** MEASURED: exact. LOWER_BOUND: at least `units` (censored stock). UNOBSERVED: unknown (restock, gap). */
  kind: 'MEASURED' | 'LOWER_BOUND' | 'UNOBSERVED';
}

/**
 * A subject's consumption as spans, sorted by `to`. An order stream is `continuous` over its
 * coverage (no order means no sale); a stock series is measured only where its intervals say so.
 */
export interface UnitSeries {
  spans: UnitSpan[];
  continuous: { from: number; to: number } | null;
}

export interface RateSettings {
  windowMs: number;
  /** Ratios of observed to expected: ORANGE above `orange` (2 = 200 %), RED above `red` (5 = 500 %). */
  orange: number;
  red: number;
  /** Fewest units in the window that can alert. */
  minUnits: number;
  /** Poisson quantile the count must exceed (0.999). */
  quantile: number;
  /** Measured hours of history the baseline needs before it judges (24). */
  minHistoryHours: number;
  /** Pseudo-hours of the overall rate each hour-of-day rate is shrunk with (3). */
  shrinkHours: number;
}

export const RATE_DEFAULTS: RateSettings = {
  windowMs: HOUR_MS,
  orange: 2,
  red: 5,
  minUnits: 5,
  quantile: 0.999,
  minHistoryHours: 24,
  shrinkHours: 3,
};

/** Shortest window a rule may ask for: 5 minutes. */
export const MIN_RATE_WINDOW_MS = 5 * 60_000;

/** Step 1a: own orders → point spans, continuous over [from, to] (the stream's coverage). */
export function orderSeries(sales: readonly { at: number; units: number }[], from: number, to: number): UnitSeries {
  const spans = sales
    .filter((s) => s.at >= from && s.at <= to && Number.isFinite(s.units) && s.units > 0)
    .map((s): UnitSpan => ({ from: s.at, to: s.at, units: s.units, kind: 'MEASURED' }))
    .sort((a, b) => a.to - b.to);
  return { spans, continuous: { from, to } };
}

/**
 * Step 1b: a competitor's snapshots → interval spans (core/series stockIntervals): EXACT and CLAIMS
 * are measured units (stock drain, or Δclaimed % × deal quantity where stock cannot say), CENSORED
 * gives its lower bound, RESTOCK and GAP are unobserved.
 */
export function snapshotSeries(points: readonly SnapshotPoint[]): UnitSeries {
  const spans = stockIntervals(points).map((iv): UnitSpan => {
    if (iv.kind === 'EXACT' || iv.kind === 'CLAIMS') return { from: iv.start, to: iv.end, units: iv.sold ?? 0, kind: 'MEASURED' };
    if (iv.kind === 'CENSORED') return { from: iv.start, to: iv.end, units: iv.soldLower, kind: 'LOWER_BOUND' };
    return { from: iv.start, to: iv.end, units: 0, kind: 'UNOBSERVED' };
  });
  return { spans, continuous: null };
}

/** Share of span (a, b] inside (start, end]; a point counts whole when start < at ≤ end. */
function share(a: number, b: number, start: number, end: number): number {
  if (a === b) return a > start && a <= end ? 1 : 0;
  return Math.max(0, Math.min(b, end) - Math.max(a, start)) / (b - a);
}

export interface WindowCount {
  /** Units in the window (a lower bound when `lowerBound`). */
  units: number;
  lowerBound: boolean;
  /** Share of the window whose consumption is known (measured or bounded), 0–1. */
  coverage: number;
}

/** Step 2: N = Σ units × share of each span inside (start, end]. */
export function windowCount(series: UnitSeries, start: number, end: number): WindowCount {
  let units = 0;
  let lowerBound = false;
  let knownMs = 0;
  for (const sp of series.spans) {
    if (sp.to <= start) continue;
    if (sp.from > end) break;
    const f = share(sp.from, sp.to, start, end);
    if (f <= 0) continue;
    if (sp.kind !== 'UNOBSERVED') units += sp.units * f;
    if (sp.kind === 'LOWER_BOUND') lowerBound = true;
    if (sp.from !== sp.to && sp.kind !== 'UNOBSERVED') knownMs += (sp.to - sp.from) * f;
  }
  if (series.continuous) knownMs = Math.max(0, Math.min(end, series.continuous.to) - Math.max(start, series.continuous.from));
  return { units, lowerBound, coverage: end > start ? Math.min(1, knownMs / (end - start)) : 0 };
}

export interface HourOfDayRates {
  /** Expected units per hour at each UTC hour of day. */
  rates: number[];
  /** r̄: units per measured hour over the whole history. */
  overall: number;
  measuredHours: number;
}

/** Measured ms and units of the history per UTC hour of day (spans split at hour boundaries). */
function tallyByHour(series: UnitSeries, from: number, to: number): { units: number[]; ms: number[] } {
  const units = new Array<number>(24).fill(0);
  const ms = new Array<number>(24).fill(0);
  const hourOf = (t: number) => Math.floor(t / HOUR_MS) % 24;
  const spread = (a: number, b: number, perMs: number, addUnits: boolean) => {
    for (let h = Math.floor(a / HOUR_MS) * HOUR_MS; h < b; h += HOUR_MS) {
      const part = Math.min(b, h + HOUR_MS) - Math.max(a, h);
      if (part <= 0) continue;
      ms[hourOf(h)] += part;
      if (addUnits) units[hourOf(h)] += perMs * part;
    }
  };
  for (const sp of series.spans) {
    if (sp.from === sp.to) {
      if (sp.kind === 'MEASURED' && sp.to >= from && sp.to < to) units[hourOf(sp.to)] += sp.units;
      continue;
    }
    if (sp.kind !== 'MEASURED' || sp.to <= from || sp.from >= to) continue;
    const a = Math.max(sp.from, from);
    const b = Math.min(sp.to, to);
    spread(a, b, sp.units / (sp.to - sp.from), true);
  }
  if (series.continuous) {
    ms.fill(0);
    spread(Math.max(from, series.continuous.from), Math.min(to, series.continuous.to), 0, false);
  }
  return { units, ms };
}

/** Step 3: r_h = (U_h + m·r̄)/(H_h + m) from the history in [from, to). */
export function hourOfDayRates(series: UnitSeries, from: number, to: number, shrinkHours = RATE_DEFAULTS.shrinkHours): HourOfDayRates {
  const { units, ms } = tallyByHour(series, from, to);
  const totalH = ms.reduce((a, x) => a + x, 0) / HOUR_MS;
  const totalU = units.reduce((a, x) => a + x, 0);
  const overall = totalH > 0 ? totalU / totalH : 0;
  const rates = units.map((u, h) => (u + shrinkHours * overall) / (ms[h] / HOUR_MS + shrinkHours));
  return { rates, overall, measuredHours: totalH };
}

/** Step 4: μ = ∫ r_hour(τ) dτ over (start, end]. */
export function expectedCount(rates: readonly number[], start: number, end: number): number {
  let mu = 0;
  for (let h = Math.floor(start / HOUR_MS) * HOUR_MS; h < end; h += HOUR_MS) {
    const part = Math.min(end, h + HOUR_MS) - Math.max(start, h);
    if (part > 0) mu += (rates[Math.floor(h / HOUR_MS) % 24] * part) / HOUR_MS;
  }
  return mu;
}

/**
 * Step 5: Q_q(μ), the smallest k with P(X ≤ k) ≥ q for X ~ Poisson(μ), by summing the pmf
 * (p_0 = e^−μ, p_k = p_{k−1}·μ/k); above μ = 500 the normal approximation with continuity
 * correction, k = ⌈μ + z_q·√μ − 0.5⌉.
 */
export function poissonQuantile(mu: number, q: number): number {
  if (!(Number.isFinite(mu) && mu >= 0)) throw new RangeError(`mu must be a finite number ≥ 0, got ${mu}`);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  if (mu === 0) return 0;
  if (mu > 500) return Math.max(0, Math.ceil(mu + normalQuantile(q) * Math.sqrt(mu) - 0.5));
  let p = Math.exp(-mu);
  let cdf = p;
  let k = 0;
  while (cdf < q && k < 100_000) {
    k += 1;
    p *= mu / k;
    cdf += p;
  }
  return k;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e−9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

export type RateVerdict =
  | { status: 'BREACH'; level: 'ORANGE' | 'RED'; ratio: number; poissonLimit: number }
  | { status: 'CLEAR'; ratio: number; poissonLimit: number }
  /** Over a ratio edge, but too few units to tell from Poisson noise: neither breaches nor clears. */
  | { status: 'NEUTRAL'; ratio: number; poissonLimit: number; wouldBe: 'ORANGE' | 'RED' };

/**
 * Step 6: the level of N observed against μ expected. ratio = N / max(μ, 1e−9); a level needs the
 * ratio over its edge AND N ≥ minUnits AND N > Q_q(μ).
 */
export function rateLevel(
  observed: number,
  expected: number,
  s: Pick<RateSettings, 'orange' | 'red' | 'minUnits' | 'quantile'>,
): RateVerdict {
  if (!(Number.isFinite(observed) && observed >= 0)) throw new RangeError(`observed must be a finite number ≥ 0, got ${observed}`);
  if (!(Number.isFinite(expected) && expected >= 0)) throw new RangeError(`expected must be a finite number ≥ 0, got ${expected}`);
  const ratio = observed / Math.max(expected, 1e-9);
  const poissonLimit = poissonQuantile(expected, s.quantile);
  const level = ratio > s.red ? 'RED' : ratio > s.orange ? 'ORANGE' : null;
  if (!level) return { status: 'CLEAR', ratio, poissonLimit };
  if (observed >= s.minUnits && observed > poissonLimit) return { status: 'BREACH', level, ratio, poissonLimit };
  return { status: 'NEUTRAL', ratio, poissonLimit, wouldBe: level };
}

export function validateRateSettings(s: RateSettings): void {
  if (!(Number.isFinite(s.windowMs) && s.windowMs >= MIN_RATE_WINDOW_MS))
    throw new RangeError(`rate.windowMs must be ≥ ${MIN_RATE_WINDOW_MS} (5 min), got ${s.windowMs}`);
  if (!(Number.isFinite(s.orange) && s.orange >= 1)) throw new RangeError(`rate.orange must be ≥ 1 (100 %), got ${s.orange}`);
  if (!(Number.isFinite(s.red) && s.red > s.orange)) throw new RangeError(`rate.red must be > rate.orange (${s.orange}), got ${s.red}`);
  if (!(Number.isFinite(s.minUnits) && s.minUnits >= 1)) throw new RangeError(`rate.minUnits must be ≥ 1, got ${s.minUnits}`);
  if (!(s.quantile > 0.5 && s.quantile < 1)) throw new RangeError(`rate.quantile must be in (0.5, 1), got ${s.quantile}`);
}
