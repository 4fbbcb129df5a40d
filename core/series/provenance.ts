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
 * Default staleness limit of figures computed from a window of points (velocity, deals, forecasts):
 * three typical capture intervals, at least 2 h (one missed capture is normal) and at most 48 h.
 * Callers that know the competitor's tier pass `staleAfterMs`. Whether a listing's captures have
 * stopped (`dataStatus.stale`, the DATA_STALE alert) is `captureStaleness` below.
 */
export function defaultStaleAfterMs(points: readonly SnapshotPoint[]): number {
  const med = medianIntervalMs(points);
  if (med === null) return 2 * HOUR_MS;
  return Math.min(48 * HOUR_MS, Math.max(2 * HOUR_MS, 3 * med));
}

/** Captures stop counting as stopped before this long: one missed capture of an hourly listing is normal. */
export const MIN_STALE_AFTER_MS = 2 * HOUR_MS;
/** Stale after this many usual capture intervals (the STANDARD profile; a rule or tier may change it). */
export const DEFAULT_STALE_FACTOR = 3;
/** The capture interval is the median of the newest this-many gaps: the current rhythm, not last month's. */
export const INTERVAL_GAPS = 48;

/** Median of the newest INTERVAL_GAPS gaps between captures (null with fewer than 2 captures). */
export function captureIntervalMs(points: readonly SnapshotPoint[]): number | null {
  return medianIntervalMs(points.slice(-(INTERVAL_GAPS + 1)));
}

/** T = max(2 h, factor × interval): the silence after which captures count as stopped. */
export function staleAfterMs(intervalMs: number, factor: number = DEFAULT_STALE_FACTOR): number {
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${intervalMs}`);
  if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`factor must be ≥ 1, got ${factor}`);
  return Math.max(MIN_STALE_AFTER_MS, factor * intervalMs);
}

export interface StalenessInput {
  now: number;
  /** Capture time of the newest snapshot (null: nothing captured). */
  newestCaptureAt: number | null;
  /** When that snapshot arrived (its ingest time); null when unknown (taken as the capture time). */
  newestArrivedAt: number | null;
  /** The listing's usual capture interval (captureIntervalMs, or its tier's when unknown). */
  intervalMs: number;
  /** Stale after factor × interval (default 3). */
  factor?: number;
}

export interface Staleness {
  /** T = max(2 h, factor × interval). */
  staleAfterMs: number;
  /** now − arrival of the newest capture (null: nothing captured). */
  arrivalAgeMs: number | null;
  /** Arrival − capture time of the newest capture: how late it came in. */
  arrivalLagMs: number | null;
  /** The newest capture arrived within T of being taken: captures come in as they are taken. */
  live: boolean;
  /** Captures that were arriving live stopped: arrivalAge ≥ T. */
  stale: boolean;
  /** arrivalAge / T (0 unless live): the DATA_STALE alert is YELLOW at 1, ORANGE at 2, RED at 4. */
  multiple: number;
  note: string | null;
}

/**
 * The one staleness rule, for `dataStatus.stale` and the DATA_STALE alert alike:
 *
 *   T = max(2 h, factor × interval),  arrival = max(ingest time, capture time) of the newest capture,
 *   live = arrival − capture ≤ T,  stale = live ∧ (now − arrival ≥ T).
 *
 * Staleness is judged on when captures arrive, not on how old the history is: a backfill of old
 * history arrives long after it was captured (not live), so it never counts as stopped captures,
 * however old its newest reading. Once captures arrive as they are taken, a silence of T marks
 * them stopped. Nothing captured at all is stale.
 */
export function captureStaleness(input: StalenessInput): Staleness {
  const T = staleAfterMs(input.intervalMs, input.factor ?? DEFAULT_STALE_FACTOR);
  const captured = input.newestCaptureAt;
  if (captured === null) {
    return { staleAfterMs: T, arrivalAgeMs: null, arrivalLagMs: null, live: false, stale: true, multiple: 0, note: 'nothing captured yet' };
  }
  const arrived = Math.max(input.newestArrivedAt ?? captured, captured);
  const lag = arrived - captured;
  const age = Math.max(0, input.now - arrived);
  const live = lag <= T;
  const stale = live && age >= T;
  const hours = (ms: number) => round(ms / HOUR_MS, 1);
  let note: string | null = null;
  if (!live)
    note = `the newest capture arrived ${hours(lag)} h after it was captured (imported history): captures count as stopped only once they arrive as they are taken`;
  else if (stale)
    note = `captures look stopped: nothing arrived for ${hours(age)} h, more than the ${hours(T)} h expected; figures are as of the newest snapshot`;
  return { staleAfterMs: T, arrivalAgeMs: age, arrivalLagMs: lag, live, stale, multiple: live ? age / T : 0, note };
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
