/**
 * The series the forecasting engine sees, built from stored data (pure functions, no I/O):
 *  - a product's daily demand from its sales days (stockout days censored, unrecorded days 0);
 *  - a competitor's hourly demand from its snapshots (stock decreases between exact readings;
 *    capped readings and out-of-stock hours censored; gaps and restocks missing, never zero);
 *  - forecast vs actual for a stored run.
 */
import { naiveScaleMae } from '../../../core/forecast/metrics';
import { overlapFraction, stockIntervals } from '../../../core/series/intervals';
import { HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import type { SalesPoint } from '../product/product.loaders';

/** Longest history a product forecast uses (days before and including the last recorded sale). */
export const MAX_HISTORY_DAYS = 365;
/** Longest history a competitor forecast uses. */
export const MAX_HISTORY_HOURS = 14 * 24;

export interface DemandSeries {
  /** Units per period; NaN = missing (not observed). */
  y: number[];
  /** false = censored period: the value is only a lower bound on demand. */
  inStock: boolean[];
  /** Index 0's period start: epoch day (daily) or epoch ms (hourly). */
  start: number;
  /** Periods observed exactly / censored / missing. */
  exact: number;
  censored: number;
  missing: number;
  /** Daily series: days without a record (counted as 0 units, or censored inside a stockout run). */
  unrecorded?: number;
}

/**
 * Daily demand from first to last recorded day (at most MAX_HISTORY_DAYS ending with the last).
 * Days flagged out of stock keep their units and are marked censored, so the model treats them as
 * "demand ≥ sales" instead of low demand. Unrecorded days count as 0 units in stock (as the
 * planning moving average does) — except inside a stockout run (the nearest recorded days on both
 * sides are out of stock), where the shelf was most likely still empty: 0 units, censored.
 * Rows must be one product's, any order.
 */
export function dailyDemandSeries(rows: readonly SalesPoint[], maxDays = MAX_HISTORY_DAYS): DemandSeries | null {
  if (rows.length === 0) return null;
  let last = -Infinity;
  for (const r of rows) last = Math.max(last, r.day);
  const from = Math.max(last - maxDays + 1, Math.min(...rows.map((r) => r.day)));
  const n = last - from + 1;
  const y = new Array<number>(n).fill(0);
  const inStock = new Array<boolean>(n).fill(true);
  const recordedAt = new Array<boolean>(n).fill(false);
  for (const r of rows) {
    if (r.day < from) continue;
    y[r.day - from] = r.units;
    inStock[r.day - from] = r.inStock;
    recordedAt[r.day - from] = true;
  }
  // Unrecorded days between two stockout days: censored at 0.
  let prevOut = false;
  for (let i = 0; i < n; i++) {
    if (recordedAt[i]) {
      prevOut = !inStock[i];
      continue;
    }
    if (!prevOut) continue;
    let j = i;
    while (j < n && !recordedAt[j]) j++;
    if (j < n && !inStock[j]) for (let k = i; k < j; k++) inStock[k] = false;
    i = j - 1;
  }
  const censored = inStock.filter((s) => !s).length;
  const recorded = recordedAt.filter(Boolean).length;
  return { y, inStock, start: from, exact: n - censored, censored, missing: 0, unrecorded: n - recorded };
}

interface HourAcc {
  sold: number;
  exactCov: number;
  censLower: number;
  censCov: number;
}

/**
 * Hourly demand of a competitor listing over whole hours between its first and last known-stock
 * readings (at most `maxHours` ending with the last). Per hour bucket, each interval between
 * consecutive readings contributes in proportion to its overlap (core/series stockIntervals):
 *   EXACT / CLAIMS  → measured units (a stock fall between exact readings, or deal claims);
 *   EXACT at stock 0 on both ends → censored at 0 (out of stock: demand not observable);
 *   CENSORED ("999+" caps) → the lower bound only, marked censored;
 *   RESTOCK, GAP, no reading → missing (NaN), never zero sales.
 * An hour is exact only when exact intervals cover all of it, censored when censored/out-of-stock
 * intervals fill the rest, and missing otherwise. Leading missing hours are dropped.
 */
export function hourlyDemandSeries(points: readonly SnapshotPoint[], maxHours = MAX_HISTORY_HOURS): DemandSeries | null {
  const known = points.filter((p) => p.stock !== null);
  if (known.length < 2) return null;
  const h0 = Math.max(Math.ceil(known[0].at / HOUR_MS), Math.floor(known[known.length - 1].at / HOUR_MS) - maxHours) * HOUR_MS;
  const h1 = Math.floor(known[known.length - 1].at / HOUR_MS) * HOUR_MS;
  const n = Math.round((h1 - h0) / HOUR_MS);
  if (n < 1) return null;
  const acc: HourAcc[] = Array.from({ length: n }, () => ({ sold: 0, exactCov: 0, censLower: 0, censCov: 0 }));
  for (const iv of stockIntervals(points, { from: h0, to: h1 })) {
    if (iv.kind === 'RESTOCK' || iv.kind === 'GAP') continue;
    const outOfStock = iv.kind === 'EXACT' && points[iv.fromIndex].stock === 0 && points[iv.toIndex].stock === 0;
    const first = Math.max(0, Math.floor((iv.start - h0) / HOUR_MS));
    const lastB = Math.min(n - 1, Math.ceil((iv.end - h0) / HOUR_MS) - 1);
    for (let b = first; b <= lastB; b++) {
      const bs = h0 + b * HOUR_MS;
      const frac = overlapFraction(iv.start, iv.end, bs, bs + HOUR_MS);
      if (frac <= 0) continue;
      const cov = (frac * (iv.end - iv.start)) / HOUR_MS;
      const a = acc[b];
      if ((iv.kind === 'EXACT' || iv.kind === 'CLAIMS') && !outOfStock) {
        a.sold += (iv.sold ?? 0) * frac;
        a.exactCov += cov;
      } else {
        a.censLower += iv.soldLower * frac;
        a.censCov += cov;
      }
    }
  }
  const y: number[] = [];
  const inStock: boolean[] = [];
  let exact = 0;
  let censored = 0;
  let missing = 0;
  let lead = 0;
  for (const a of acc) {
    const full = a.exactCov + a.censCov >= 1 - 1e-6;
    if (!full) {
      if (y.length === 0) {
        lead += 1;
        continue;
      }
      y.push(NaN);
      inStock.push(true);
      missing += 1;
    } else if (a.censCov > 1e-6) {
      y.push(a.sold + a.censLower);
      inStock.push(false);
      censored += 1;
    } else {
      y.push(a.sold);
      inStock.push(true);
      exact += 1;
    }
  }
  if (exact + censored === 0) return null;
  return { y, inStock, start: h0 + lead * HOUR_MS, exact, censored, missing };
}

/**
 * MASE scale of a run: in-sample mean |y_t − y_{t−m}| over exactly observed periods (censored and
 * missing ones left out), with m the season when the history holds two of them, else 1.
 */
export function maseScale(s: DemandSeries, period: number): number | null {
  const clean = s.y.map((v, i) => (s.inStock[i] && Number.isFinite(v) ? v : NaN));
  const m = period > 1 && clean.length > 2 * period ? period : 1;
  return naiveScaleMae(clean, m);
}

export interface StoredPoint {
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface MatchedPoint extends StoredPoint {
  step: number;
  actual: number;
  /** forecast − actual (positive = over-forecast). */
  error: number;
}

export interface AccuracySummary {
  matched: number;
  mae: number | null;
  /** Mean |error| / the run's in-sample naive MAE (pooled over runs: mean of scaled errors). */
  mase: number | null;
  /** Σ|error| / Σ actual. */
  wape: number | null;
  /** Mean (forecast − actual). */
  bias: number | null;
  /** Share of actuals inside the 80 % / 95 % intervals. */
  coverage80: number | null;
  coverage95: number | null;
}

/**
 * Forecast vs actual for one run: the steps whose period now has an exact actual (`actualAt(step)`
 * returns undefined while unknown or censored), with errors and accuracy.
 */
export function matchActuals(points: readonly StoredPoint[], actualAt: (step: number) => number | undefined): MatchedPoint[] {
  const out: MatchedPoint[] = [];
  points.forEach((p, i) => {
    const a = actualAt(i + 1);
    if (a === undefined || !Number.isFinite(a)) return;
    out.push({ ...p, step: i + 1, actual: a, error: p.value - a });
  });
  return out;
}

/** Accuracy of matched points; `scales[i]` is the MASE scale of point i's run (null = unscaled). */
export function summarize(points: readonly MatchedPoint[], scales: readonly (number | null)[]): AccuracySummary {
  const n = points.length;
  if (n === 0) return { matched: 0, mae: null, mase: null, wape: null, bias: null, coverage80: null, coverage95: null };
  let abs = 0;
  let err = 0;
  let act = 0;
  let in80 = 0;
  let in95 = 0;
  let scaled = 0;
  let scaledN = 0;
  points.forEach((p, i) => {
    abs += Math.abs(p.error);
    err += p.error;
    act += Math.abs(p.actual);
    if (p.actual >= p.lower80 && p.actual <= p.upper80) in80 += 1;
    if (p.actual >= p.lower95 && p.actual <= p.upper95) in95 += 1;
    const sc = scales[i];
    if (sc !== null && sc !== undefined && sc > 0) {
      scaled += Math.abs(p.error) / sc;
      scaledN += 1;
    }
  });
  return {
    matched: n,
    mae: abs / n,
    mase: scaledN === n ? scaled / n : null,
    wape: act > 0 ? abs / act : null,
    bias: err / n,
    coverage80: in80 / n,
    coverage95: in95 / n,
  };
}

/** z of the two-sided 95 % normal interval. */
const Z95 = 1.959963984540054;

/**
 * Sd of one forecast period from its 95 % interval: width / (2·1.96); when the lower bound was
 * clipped at 0 (demand cannot be negative) the upper half-width is used instead, so clipping does
 * not shrink the sd.
 */
export function sdFromInterval(p: StoredPoint): number {
  if (p.lower95 <= 0 && p.value > 0) return Math.max(0, (p.upper95 - p.value) / Z95);
  return Math.max(0, (p.upper95 - p.lower95) / (2 * Z95));
}

/**
 * The hourly series with every hour overlapping [from, to] (epoch ms) set missing (NaN): used to
 * leave a live deal's hours out of the baseline model, whose demand the deal's drain explains
 * instead. Null when no exact hour would remain (the caller then keeps the whole history).
 */
export function withoutHours(s: DemandSeries, from: number, to: number): DemandSeries | null {
  const y = [...s.y];
  const inStock = [...s.inStock];
  let { exact, censored, missing } = s;
  for (let i = 0; i < y.length; i++) {
    const a = s.start + i * HOUR_MS;
    if (a + HOUR_MS <= from || a > to || !Number.isFinite(y[i])) continue;
    if (inStock[i]) exact -= 1;
    else censored -= 1;
    y[i] = NaN;
    inStock[i] = true;
    missing += 1;
  }
  return exact > 0 ? { ...s, y, inStock, exact, censored, missing } : null;
}
