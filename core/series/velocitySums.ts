/**
 * Velocity from additive sums: the same figures as `velocity()` (velocity.ts) for a window without
 * excluded ranges, computed from per-interval sums that can be stored as running totals and
 * subtracted, so a window costs a few lookups instead of reading its readings.
 *
 * Every sum of velocity.ts's tally is additive over intervals, with each interval weighted by the
 * fraction f of it inside the window (interior intervals: f = 1). The dispersion index is too:
 *   φ·(m − 1) = Σ (x − v·h)² ÷ (v·h) = Σ(x²/h) ÷ v − 2·Σx + v·Σh
 * over the m measured intervals, where an interval kept at fraction f has x = sold·f, h = span·f,
 * so x²/h = sold²·f ÷ span. With v = Σx ÷ Σh the last two terms are −Σx.
 */
import type { IntervalKind, StockInterval } from './intervals';
import { overlapFraction } from './intervals';
import { HOUR_MS, type Estimate } from './types';
import { widenedRateInterval } from './velocity';

/** One stored interval: what `stockIntervals` classified, without point indices. */
export type IntervalFact = Pick<StockInterval, 'start' | 'end' | 'kind' | 'sold' | 'soldLower' | 'soldUpper' | 'increase' | 'inDeal'>;

/** Additive sums over intervals (each weighted by its kept fraction). */
export interface VelocitySums {
  counts: Record<IntervalKind, number>;
  units: number;
  dealUnits: number;
  measuredH: number;
  censoredH: number;
  unobservedH: number;
  censLower: number;
  censUpper: number;
  /** Censored intervals without an upper bound. */
  unbounded: number;
  restockUnits: number;
  /** Σ x²/h over measured intervals (for the dispersion index). */
  x2h: number;
}

export function emptySums(): VelocitySums {
  return {
    counts: { EXACT: 0, CLAIMS: 0, CENSORED: 0, RESTOCK: 0, GAP: 0 },
    units: 0,
    dealUnits: 0,
    measuredH: 0,
    censoredH: 0,
    unobservedH: 0,
    censLower: 0,
    censUpper: 0,
    unbounded: 0,
    restockUnits: 0,
    x2h: 0,
  };
}

/**
 * Adds interval `iv` to `t` at sign `sign` (−1 removes it), kept at the fraction of it inside
 * [from, to] (velocity.ts's tally without excluded ranges): EXACT and CLAIMS are measured, CENSORED
 * bound sales, RESTOCK and GAP are unobserved; a rise counts once, when its end lies in the window.
 * Pass from = −∞, to = +∞ for an interval counted whole.
 */
export function addInterval(t: VelocitySums, iv: IntervalFact, from: number, to: number, sign = 1): void {
  if (iv.end <= from || iv.start >= to) return;
  const f = overlapFraction(iv.start, iv.end, from, to);
  if (f <= 0) return;
  const spanH = (iv.end - iv.start) / HOUR_MS;
  const h = spanH * f;
  t.counts[iv.kind] += sign;
  if (iv.kind === 'EXACT' || iv.kind === 'CLAIMS') {
    const x = (iv.sold as number) * f;
    t.units += sign * x;
    t.measuredH += sign * h;
    if (iv.kind === 'CLAIMS' || iv.inDeal) t.dealUnits += sign * x;
    if (h > 0) t.x2h += (sign * (x * x)) / h;
  } else if (iv.kind === 'CENSORED') {
    t.censoredH += sign * h;
    t.censLower += sign * iv.soldLower * f;
    if (iv.soldUpper === null) t.unbounded += sign;
    else t.censUpper += sign * iv.soldUpper * f;
  } else {
    t.unobservedH += sign * h;
    if (iv.end <= to && iv.end >= from) t.restockUnits += sign * iv.increase;
  }
}

const REAL_SUMS = ['units', 'dealUnits', 'measuredH', 'censoredH', 'unobservedH', 'censLower', 'censUpper', 'restockUnits', 'x2h'] as const;

/**
 * Running totals a − b (the intervals after b up to a), field by field. A difference of two large
 * totals carries their rounding: one within 1e-12 of the larger total is the zero it stands for
 * (sums of non-negative terms), so an empty stretch reads as exactly 0.
 */
export function subtractSums(a: VelocitySums, b: VelocitySums): VelocitySums {
  const out = emptySums();
  for (const k of Object.keys(out.counts) as IntervalKind[]) out.counts[k] = a.counts[k] - b.counts[k];
  out.unbounded = a.unbounded - b.unbounded;
  for (const k of REAL_SUMS) {
    const d = a[k] - b[k];
    out[k] = Math.abs(d) <= 1e-12 * Math.max(1, Math.abs(a[k])) ? 0 : d;
  }
  return out;
}

/** a + b, field by field. */
export function addSums(a: VelocitySums, b: VelocitySums): VelocitySums {
  const out = emptySums();
  for (const k of Object.keys(out.counts) as IntervalKind[]) out.counts[k] = a.counts[k] + b.counts[k];
  out.unbounded = a.unbounded + b.unbounded;
  for (const k of REAL_SUMS) out[k] = a[k] + b[k];
  return out;
}

/** Dispersion index from sums (velocity.ts's dispersionIndex): φ = (Σx²/h ÷ v − Σx) ÷ (m − 1), clamped to [1, 100]. */
export function dispersionFromSums(t: VelocitySums, rate: number | null): number {
  const m = t.counts.EXACT + t.counts.CLAIMS;
  if (rate === null || !(rate > 0) || m < 2) return 1;
  const chi = t.x2h / rate - 2 * t.units + rate * t.measuredH;
  return Math.min(100, Math.max(1, chi / (m - 1)));
}

/** The figures of a VelocityResult from sums (perHour/perDay as velocity.ts's perHourEstimate). */
export function velocityFromSums(t: VelocitySums, confidence: number) {
  // Kinds are counted exactly: a measured (censored) interval kept at f > 0 has h > 0, so these are
  // velocity.ts's `measuredH > 0` and `censoredH > 0` without depending on rounding of differences.
  const measuredRate = t.counts.EXACT + t.counts.CLAIMS > 0 && t.measuredH > 0 ? t.units / t.measuredH : null;
  const dispersion = dispersionFromSums(t, measuredRate);
  const widen = Math.sqrt(dispersion);
  let perHour: Estimate;
  if (t.counts.CENSORED <= 0) {
    if (measuredRate === null) perHour = { value: null, lower: 0, upper: null };
    else {
      const w = widenedRateInterval(t.units, t.measuredH, confidence, widen);
      perHour = { value: measuredRate, lower: w.lower, upper: w.upper };
    }
  } else {
    const span = t.measuredH + t.censoredH;
    const lo = widenedRateInterval(t.units + t.censLower, span, confidence, widen).lower;
    const hi = t.unbounded > 0 ? null : widenedRateInterval(t.units + t.censUpper, span, confidence, widen).upper;
    perHour = { value: null, lower: lo, upper: hi };
  }
  const perDay: Estimate = {
    value: perHour.value === null ? null : perHour.value * 24,
    lower: perHour.lower * 24,
    upper: perHour.upper === null ? null : perHour.upper * 24,
  };
  return {
    perHour,
    perDay,
    confidence,
    isLowerBoundOnly: t.counts.CENSORED > 0,
    measuredPerHour: measuredRate,
    unitsMeasured: t.units,
    dealUnits: t.dealUnits,
    unitsLowerBound: t.units + t.censLower,
    measuredHours: t.measuredH,
    censoredHours: t.censoredH,
    unobservedHours: t.unobservedH,
    excludedHours: 0,
    restockUnits: t.restockUnits,
    dispersion,
    intervalCounts: { ...t.counts },
  };
}
