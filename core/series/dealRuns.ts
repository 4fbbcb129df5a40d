/**
 * Splitting a snapshot series into deal runs: the stretches where the listing showed one deal.
 * Velocity needs this to count claimed units as sales; core/deals builds its Deal objects on it.
 *
 * Rules (in order):
 *  - a run is a stretch of consecutive readings with the same dealType ≠ NONE;
 *  - readings of the same type whose (non-null) dealEndsAt agree within 1 min are the same deal even
 *    when NONE readings sit between them (a missed deal badge is not a new deal), up to `maxGapMs`
 *    after that scheduled end (a badge seen later than that is a new deal: so a run can be
 *    continued only by readings within `maxGapMs` of its last reading or of its scheduled end,
 *    which lets facts kept at ingest re-scan from the one run that may still be open);
 *  - the run splits when dealEndsAt changes by more than 1 min, or — when dealEndsAt is unknown —
 *    when % claimed falls back to ≤ 5 % from a higher value without the deal quantity growing
 *    (a new deal started; a quantity increase is a batch release and keeps the run), or when
 *    consecutive readings are more than `maxGapMs` apart.
 */
import { type DealType, HOUR_MS, type SnapshotPoint } from './types';

export interface DealRun {
  type: DealType;
  /** Indices into the points array of the readings that showed this deal, ascending. */
  indices: number[];
  /** Readings whose dealStartsAt lies after the capture: the deal was announced, not yet live. */
  upcomingIndices: number[];
  /** Readings of the live phase (indices minus upcoming ones). */
  liveIndices: number[];
  /** Last non-null dealEndsAt seen. */
  dealEndsAt: number | null;
  /** Last non-null dealStartsAt seen. */
  dealStartsAt: number | null;
}

const END_TOLERANCE_MS = 60_000;

export interface DealRunOptions {
  /** Consecutive deal readings further apart than this start a new run unless dealEndsAt ties them. Default 12 h. */
  maxGapMs?: number;
}

function isUpcomingReading(p: SnapshotPoint): boolean {
  return p.dealStartsAt !== undefined && p.dealStartsAt !== null && p.dealStartsAt > p.at;
}

function sameEnd(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && Math.abs(a - b) <= END_TOLERANCE_MS;
}

/** Deal runs in time order. `points` must already be validated (sorted). */
export function dealRuns(points: readonly SnapshotPoint[], opts: DealRunOptions = {}): DealRun[] {
  const maxGapMs = opts.maxGapMs ?? 12 * HOUR_MS;
  const runs: DealRun[] = [];
  let cur: DealRun | null = null;
  let lastIdx = -1;
  const close = () => {
    if (cur) runs.push(cur);
    cur = null;
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.dealType === 'NONE') continue;
    const endsAt = p.dealEndsAt ?? null;
    let continues = false;
    if (cur !== null) {
      const c: DealRun = cur;
      const prev = points[lastIdx];
      const adjacent = lastIdx === i - 1;
      if (c.type === p.dealType) {
        if (sameEnd(c.dealEndsAt, endsAt)) continues = p.at <= (c.dealEndsAt as number) + maxGapMs;
        else if (c.dealEndsAt !== null && endsAt !== null) continues = false;
        else if (adjacent && p.at - prev.at <= maxGapMs) {
          // dealEndsAt unknown on one side: only a reset of % claimed marks a new deal.
          const pc = prev.dealClaimedPercent;
          const nc = p.dealClaimedPercent;
          const quantityGrew = prev.dealQuantity !== null && p.dealQuantity !== null && p.dealQuantity > prev.dealQuantity;
          const reset = pc !== null && nc !== null && nc <= 5 && pc > nc + 1 && !quantityGrew;
          continues = !reset;
        }
      }
    }
    if (!continues) {
      close();
      cur = { type: p.dealType, indices: [], upcomingIndices: [], liveIndices: [], dealEndsAt: null, dealStartsAt: null };
    }
    const run = cur as unknown as DealRun;
    run.indices.push(i);
    if (isUpcomingReading(p)) run.upcomingIndices.push(i);
    else run.liveIndices.push(i);
    if (endsAt !== null) run.dealEndsAt = endsAt;
    if (p.dealStartsAt !== undefined && p.dealStartsAt !== null) run.dealStartsAt = p.dealStartsAt;
    lastIdx = i;
  }
  close();
  return runs;
}

/** Time ranges covered by deal runs (first to last reading of each run, extended to a known end). */
export function dealRanges(
  points: readonly SnapshotPoint[],
  runs: readonly DealRun[] = dealRuns(points),
): { start: number; end: number }[] {
  return runs
    .filter((r) => r.liveIndices.length > 0)
    .map((r) => {
      const first = points[r.liveIndices[0]];
      const last = points[r.liveIndices[r.liveIndices.length - 1]];
      const start = r.dealStartsAt !== null && r.dealStartsAt <= first.at ? r.dealStartsAt : first.at;
      // The deal lasts at least until its last reading; when the next capture no longer shows it,
      // the true end lies between, so extend to the scheduled end only if it is before that capture.
      const lastIdx = r.liveIndices[r.liveIndices.length - 1];
      const nextAt = lastIdx + 1 < points.length ? points[lastIdx + 1].at : last.at;
      let end = last.at;
      if (r.dealEndsAt !== null && r.dealEndsAt > last.at) end = Math.min(r.dealEndsAt, nextAt);
      return { start, end };
    });
}

/**
 * Cumulative units claimed at each live reading of a run whose deal quantity is known:
 * units = claimed% × quantity / 100. Units stay continuous across batch releases (the quantity grows
 * and % claimed drops, but claimed units do not). Readings without both figures are skipped.
 */
export function claimedUnitsCurve(points: readonly SnapshotPoint[], run: DealRun): { at: number; units: number; index: number }[] {
  const out: { at: number; units: number; index: number }[] = [];
  for (const i of run.liveIndices) {
    const p = points[i];
    if (p.dealClaimedPercent === null || p.dealQuantity === null) continue;
    out.push({ at: p.at, units: (p.dealClaimedPercent * p.dealQuantity) / 100, index: i });
  }
  return out;
}
