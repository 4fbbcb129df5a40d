/**
 * Decomposition of a snapshot series into intervals between consecutive readings with known stock,
 * each classified by what it tells us about units sold. Everything that counts sales (velocity,
 * baselines, deal analysis) goes through here so that the rules hold everywhere:
 *
 *  EXACT     exact → exact, stock fell or held: sold = drop (exact).
 *  CLAIMS    a live deal with known quantity at both ends: sold = Δ(claimed% × quantity) — used when
 *            stock cannot give an exact figure (censored, rose because of a batch release, long gap).
 *  CENSORED  an end is a lower bound ("10+", "999+"): sold is only bounded, never exact.
 *              ≥A → B    sold ≥ max(0, A − B), no upper bound
 *              A → ≥B    (B ≤ A) 0 ≤ sold ≤ A − B;  (B > A) stock rose: RESTOCK
 *              ≥A → ≥B   nothing known
 *  RESTOCK   stock rose: a restock (not negative sales); sales during it are unknown (≥ 0).
 *  GAP       readings further apart than maxGapMs: a restock may hide inside; not counted, and not
 *            zero sales either — rates are computed over measured time only.
 */
import { claimedUnitsCurve, dealRuns, type DealRun } from './dealRuns';
import { HOUR_MS, type SnapshotPoint } from './types';

export type IntervalKind = 'EXACT' | 'CLAIMS' | 'CENSORED' | 'RESTOCK' | 'GAP';

export interface StockInterval {
  start: number;
  end: number;
  fromIndex: number;
  toIndex: number;
  kind: IntervalKind;
  /** Measured units sold (EXACT, CLAIMS); null otherwise. */
  sold: number | null;
  /** Units sold are at least this (0 when unknown). */
  soldLower: number;
  /** Units sold are at most this; null = unbounded. */
  soldUpper: number | null;
  /** Observed stock rise (≥ 0): a lower bound of what was restocked in the interval. */
  increase: number;
  /** Both ends lie in the same live deal. */
  inDeal: boolean;
}

export interface IntervalOptions {
  /** Readings further apart than this form a GAP. Default 12 h. */
  maxGapMs?: number;
  /** Pre-computed deal runs (saves work when the caller has them). */
  runs?: readonly DealRun[];
  /** Only intervals overlapping [from, to] (epoch ms) are classified and returned. */
  from?: number;
  to?: number;
}

export const DEFAULT_MAX_GAP_MS = 12 * HOUR_MS;

/** Intervals between consecutive known-stock readings, in time order. Points must be validated. */
export function stockIntervals(points: readonly SnapshotPoint[], opts: IntervalOptions = {}): StockInterval[] {
  const maxGapMs = opts.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  const runs = opts.runs ?? dealRuns(points);
  // Claimed units per point index, with the run it belongs to.
  const claims = new Map<number, { run: number; units: number }>();
  runs.forEach((run, r) => {
    for (const c of claimedUnitsCurve(points, run)) claims.set(c.index, { run: r, units: c.units });
  });

  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  const out: StockInterval[] = [];
  let prevIdx = -1;
  for (let i = 0; i < points.length; i++) {
    if (points[i].stock === null) continue;
    if (prevIdx >= 0 && points[i].at >= from && points[prevIdx].at <= to) out.push(classify(points, prevIdx, i, maxGapMs, claims));
    prevIdx = i;
  }
  return out;
}

function classify(
  points: readonly SnapshotPoint[],
  ia: number,
  ib: number,
  maxGapMs: number,
  claims: Map<number, { run: number; units: number }>,
): StockInterval {
  const a = points[ia];
  const b = points[ib];
  const A = a.stock as number;
  const B = b.stock as number;
  const ca = claims.get(ia);
  const cb = claims.get(ib);
  const inDeal = ca !== undefined && cb !== undefined && ca.run === cb.run;
  const dealSold = inDeal ? Math.max(0, cb.units - ca.units) : null;

  let kind: IntervalKind;
  let sold: number | null = null;
  let soldLower = 0;
  let soldUpper: number | null = null;
  let increase = 0;

  if (b.at - a.at > maxGapMs) {
    kind = 'GAP';
    if (!a.stockIsLowerBound && B > A) increase = B - A;
  } else if (!a.stockIsLowerBound && !b.stockIsLowerBound) {
    if (B <= A) {
      kind = 'EXACT';
      sold = A - B;
      soldLower = sold;
      soldUpper = sold;
    } else {
      kind = 'RESTOCK';
      increase = B - A;
    }
  } else if (a.stockIsLowerBound && !b.stockIsLowerBound) {
    kind = 'CENSORED';
    soldLower = Math.max(0, A - B);
  } else if (!a.stockIsLowerBound && b.stockIsLowerBound) {
    if (B > A) {
      kind = 'RESTOCK';
      increase = B - A;
    } else {
      kind = 'CENSORED';
      soldUpper = A - B;
    }
  } else {
    kind = 'CENSORED';
  }

  if (kind !== 'EXACT' && dealSold !== null) {
    // Claims measure deal sales directly; stock bounds can only raise that figure.
    const s = Math.max(dealSold, soldLower);
    kind = 'CLAIMS';
    sold = s;
    soldLower = s;
    soldUpper = soldUpper === null ? null : Math.max(s, soldUpper);
  }
  return { start: a.at, end: b.at, fromIndex: ia, toIndex: ib, kind, sold, soldLower, soldUpper, increase, inDeal };
}

/** Fraction of [start, end] that lies inside [from, to]. */
export function overlapFraction(start: number, end: number, from: number, to: number): number {
  if (end <= start) return start >= from && start <= to ? 1 : 0;
  const lo = Math.max(start, from);
  const hi = Math.min(end, to);
  return hi > lo ? (hi - lo) / (end - start) : 0;
}
