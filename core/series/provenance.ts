/**
 * Data provenance for competitor figures: which snapshot is the newest one used, how old it is at
 * `now`, where it came from, and whether captures look stopped.
 */
import type { DataProvenance } from '../explain';
import { HOUR_MS, type SnapshotPoint } from './types';

/** Median spacing of capture times in ms (null with fewer than 2 points). */
export function medianIntervalMs(points: readonly SnapshotPoint[]): number | null {
  if (points.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(points[i].at - points[i - 1].at);
  return quantileSorted(
    gaps.sort((a, b) => a - b),
    0.5,
  );
}

/** Linear-interpolated quantile of an ascending array (type 7, as R's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty array');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Default staleness limit: three typical capture intervals, at least 2 h (one missed capture is
 * normal) and at most 48 h. Callers that know the competitor's tier pass `staleAfterMs`.
 */
export function defaultStaleAfterMs(points: readonly SnapshotPoint[]): number {
  const med = medianIntervalMs(points);
  if (med === null) return 2 * HOUR_MS;
  return Math.min(48 * HOUR_MS, Math.max(2 * HOUR_MS, 3 * med));
}

export interface ProvenanceResult extends DataProvenance {
  newestAtMs: number | null;
  staleAfterHours: number;
}

/**
 * Provenance of the newest point at or before `upTo` (default: now). `ageHours` is measured from
 * now; `stale` compares the newest point with the end of the window (now, or `upTo` when earlier),
 * so a historical window with dense captures is not stale merely for being in the past.
 */
export function provenanceOf(points: readonly SnapshotPoint[], now: number, staleAfterMs?: number, upTo: number = now): ProvenanceResult {
  const limit = staleAfterMs ?? defaultStaleAfterMs(points);
  let newest: SnapshotPoint | null = null;
  for (let i = points.length - 1; i >= 0; i--) {
    if (points[i].at <= upTo && points[i].at <= now) {
      newest = points[i];
      break;
    }
  }
  if (newest === null) {
    return { source: null, newestAt: null, ageHours: null, stale: true, newestAtMs: null, staleAfterHours: limit / HOUR_MS };
  }
  const age = now - newest.at;
  // For a window that ends in the past, captures are stale when they stopped before its end.
  const lag = Math.min(now, upTo) - newest.at;
  return {
    source: newest.source,
    newestAt: isoOrNull(newest.at),
    ageHours: age / HOUR_MS,
    stale: lag > limit,
    newestAtMs: newest.at,
    staleAfterHours: limit / HOUR_MS,
  };
}

/** DataProvenance without the extra fields (what Explanation.data expects). */
export function toDataProvenance(p: ProvenanceResult): DataProvenance {
  return { source: p.source, newestAt: p.newestAt, ageHours: p.ageHours, stale: p.stale };
}

/** A sentence for explanations when captures look stopped. */
export function staleNote(p: ProvenanceResult): string | null {
  if (p.newestAtMs === null) return 'no snapshot at or before now: nothing to compute from';
  if (!p.stale) return null;
  return `captures look stopped: the newest snapshot (${p.newestAt}) is ${round(p.ageHours ?? 0, 1)} h old, more than the ${round(p.staleAfterHours, 1)} h expected; figures are as of that snapshot`;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
