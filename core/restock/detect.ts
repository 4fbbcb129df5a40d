/**
 * Restock detection: a restock is stock going from 0 to available, or a rise of at least a dynamic
 * threshold learned from the listing's own history.
 *
 * Threshold  T = max(minJumpUnits, jumpFactor × q90 of |Δstock| over the falls between consecutive
 *            exact, non-deal readings): a rise several times larger than 90 % of ordinary
 *            capture-to-capture moves (sales, cart reservations coming and going) is not noise.
 *            With `thresholdWindowMs` (what the API, the alerts and the stored facts use, 14 days)
 *            T at a rise is learned from the falls of that window BEFORE the rise only (the
 *            pre-restock baseline), so later readings never move an event and the events can be
 *            kept at ingest; without it, from the whole input (deal analysis on its slice).
 * Censoring  a censored reading ("≥ v") never serves as the level a rise is measured from; it can
 *            only confirm availability (0 → ≥ v) or a rise (≥ v with v − last exact ≥ T). Readings
 *            that are lower bounds consistent with the exact ones therefore never add or move an
 *            event.
 * Flapping   0 → x with x ≤ flapMaxUnits (default 3) that returns to 0 within `flapWindowMs` is a
 *            flap (a returned unit, a released cart). A run of flaps, each starting within the
 *            window of the previous one, is ONE event of kind FLAP with low confidence; when a real
 *            restock follows within the window it absorbs the flaps. A from-zero rise of at most
 *            flapMaxUnits that stays up is held the same way (a trickle of returns, or the first
 *            units of a delivery) and becomes a low-confidence FROM_ZERO if nothing follows.
 * Confidence FROM_ZERO 0.95 (0.9 to a censored level) at ≥ T; between flapMaxUnits and T it rises
 *            from 0.6; JUMP 0.5 at T to 0.95 at 2T (×0.9 to a censored level); FLAP 0.2; a held
 *            trickle 0.3.
 * Tranches   rises (not from 0) within `mergeWindowMs` of the previous restock's last rise are
 *            one restock delivered in parts.
 * Anomalies  readings the shared per-reading flags (core/anomalies/flags.ts) call wrong are
 *            left out before anything else, as if not captured (a one-capture 0 is no FROM_ZERO).
 * Deals      a live deal's quantity rising between readings is a batch of that size even when stock
 *            (net of the deal's sales, or censored) does not show it (confidence ≥ 0.9).
 * Quantity   the observed rise: exact when both readings are exact (0 → 800 is 800 units), a lower
 *            bound when the new level is censored. Units sold between the arrival and the first
 *            raised reading are invisible; their expectation (ordinary rate × interval ÷ 2, arrival
 *            on average mid-interval) is stated in the explanation and NOT added, so a reported
 *            quantity never mixes a guess into exact readings.
 */
import type { SnapshotFlag } from '../anomalies/detect';
import { anomalyNote, checkFlags, stockReadingFlags, withoutAnomalousValues } from '../anomalies/flags';
import { Explainer, type Explanation } from '../explain';
import { dealRanges, dealRuns } from '../series/dealRuns';
import { isoOrNull, provenanceOf, quantileSorted, round, toDataProvenance } from '../series/provenance';
import { HOUR_MS, type SnapshotPoint } from '../series/types';
import { validatePoints, validatePositive } from '../series/validate';

export type RestockKind = 'FROM_ZERO' | 'JUMP' | 'FLAP';

export interface RestockEvent {
  /** First reading that showed the restock, epoch ms. */
  at: number;
  /** Previous known reading: the restock happened in (earliestAt, at]. */
  earliestAt: number;
  /** Units added as the readings show them: the observed rise (tranches summed; a live deal's batch
   *  when larger); a lower bound when toLevelIsLowerBound. FLAP: the highest level reached. */
  quantity: number;
  /** Observed rise only (a lower bound when toLevelIsLowerBound). */
  observedIncrease: number;
  fromLevel: number;
  toLevel: number;
  toLevelIsLowerBound: boolean;
  kind: RestockKind;
  /** 0–1. */
  confidence: number;
  /** Readings with a rise merged into this event (tranches, flaps). */
  transitions: number;
  explanation: Explanation;
}

export interface RestockOptions {
  /** Floor of the jump threshold in units. Default 5. */
  minJumpUnits?: number;
  /** Threshold multiple of the 90th percentile of |Δstock|. Default 3. */
  jumpFactor?: number;
  /** A 0 → small → 0 excursion shorter than this is a flap. Default 6 h. */
  flapWindowMs?: number;
  /** Largest level of a flap (0 ↔ 1 returns, released carts). Default 3 units. */
  flapMaxUnits?: number;
  /** Rises this close to the previous one are the same restock (a delivery received in parts). Default 4 h. */
  mergeWindowMs?: number;
  /**
   * Learn T at each rise from the falls whose readings both lie in [rise − thresholdWindowMs, rise)
   * (a pre-restock baseline: causal, so events never change with later readings). Default: T from
   * the whole input.
   */
  thresholdWindowMs?: number;
  /** Only events at or before now are reported (snapshots after now are ignored). */
  now?: number;
  /**
   * The shared per-reading anomaly flags of `points` (core/anomalies/flags.ts), one per reading;
   * default: stockReadingFlags, computed here. A stock reading flagged as wrong (READING scope, e.g. a one-capture 0
   * between 506 and 505) is left out, as if not captured: it can neither end a stockout nor start
   * a restock.
   */
  anomalies?: readonly SnapshotFlag[];
}

export interface JumpThreshold {
  threshold: number;
  q90AbsChange: number;
  intervals: number;
  /** Ordinary sales rate (units/h) over exact non-deal intervals without rises. */
  ordinaryRatePerHour: number;
  explanation: Explanation;
}

interface Resolved {
  minJumpUnits: number;
  jumpFactor: number;
  flapWindowMs: number;
  flapMaxUnits: number;
  mergeWindowMs: number;
}

function resolve(opts: RestockOptions): Resolved {
  const r = {
    minJumpUnits: opts.minJumpUnits ?? 5,
    jumpFactor: opts.jumpFactor ?? 3,
    flapWindowMs: opts.flapWindowMs ?? 6 * HOUR_MS,
    flapMaxUnits: opts.flapMaxUnits ?? 3,
    mergeWindowMs: opts.mergeWindowMs ?? 4 * HOUR_MS,
  };
  validatePositive(r.minJumpUnits, 'minJumpUnits');
  validatePositive(r.jumpFactor, 'jumpFactor');
  validatePositive(r.flapWindowMs, 'flapWindowMs', true);
  validatePositive(r.flapMaxUnits, 'flapMaxUnits', true);
  validatePositive(r.mergeWindowMs, 'mergeWindowMs', true);
  return r;
}

function inRanges(t0: number, t1: number, ranges: readonly { start: number; end: number }[]): boolean {
  for (const r of ranges) if (t1 >= r.start && t0 <= r.end) return true;
  return false;
}

/** Index of the first point at or after `t` (binary search; points in time order). */
function firstAtOrAfter(points: readonly SnapshotPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The threshold in force at reading i: one for the whole input, or the pre-restock window's (memoized). */
type ThresholdAt = (i: number) => JumpThreshold;

function thresholds(pts: readonly SnapshotPoint[], opts: RestockOptions): ThresholdAt {
  const w = opts.thresholdWindowMs;
  if (w === undefined) {
    const th = learnJumpThreshold(pts, opts);
    return () => th;
  }
  validatePositive(w, 'thresholdWindowMs');
  const deals = dealRanges(pts);
  const memo = new Map<number, JumpThreshold>();
  return (i) => {
    let th = memo.get(i);
    if (!th) memo.set(i, (th = learnJumpThreshold(pts, opts, { from: pts[i].at - w, to: pts[i].at }, deals)));
    return th;
  };
}

/** The dynamic jump threshold learned from the listing's exact, non-deal capture-to-capture moves. */
export function learnJumpThreshold(
  points: readonly SnapshotPoint[],
  opts: RestockOptions = {},
  window?: { from: number; to: number },
  deals: readonly { start: number; end: number }[] = dealRanges(points),
): JumpThreshold {
  if (!window) validatePoints(points);
  const o = resolve(opts);
  const abs: number[] = [];
  let sold = 0;
  let hours = 0;
  // Consecutive EXACT readings (censored ones are skipped, so adding them cannot move T).
  let prev: SnapshotPoint | null = null;
  for (let i = window ? firstAtOrAfter(points, window.from) : 0; i < points.length; i++) {
    const p = points[i];
    if (p.stock === null || p.stockIsLowerBound) continue;
    if (window && p.at >= window.to) break;
    if (prev && prev.at >= (window?.from ?? -Infinity) && !inRanges(prev.at, p.at, deals)) {
      const d = (p.stock as number) - (prev.stock as number);
      // Moves down only: rises include the restocks being detected, and with a short history a
      // single restock would otherwise dominate the quantile. Cart releases wobble both ways, so
      // the downward moves already carry that noise.
      if (d <= 0) abs.push(-d);
      if (d <= 0 && p.at - prev.at <= 12 * HOUR_MS && !(prev.stock === 0 && p.stock === 0)) {
        sold -= d;
        hours += (p.at - prev.at) / HOUR_MS;
      }
    }
    prev = p;
  }
  abs.sort((a, b) => a - b);
  const q90 = abs.length ? quantileSorted(abs, 0.9) : 0;
  const threshold = Math.max(o.minJumpUnits, o.jumpFactor * q90);
  const ex = new Explainer('T = max(minJumpUnits, jumpFactor × q90(|Δstock| of falls))', {
    minJumpUnits: o.minJumpUnits,
    jumpFactor: o.jumpFactor,
    intervals: abs.length,
  })
    .step('q90 of |Δstock| over falls between exact non-deal readings', round(q90, 3))
    .step('threshold T (units)', round(threshold, 3));
  if (window) ex.note(`learned over the ${round((window.to - window.from) / (24 * HOUR_MS), 1)} days before the rise`);
  if (abs.length < 20) ex.note(`only ${abs.length} exact intervals of history: the floor minJumpUnits dominates`);
  return {
    threshold,
    q90AbsChange: q90,
    intervals: abs.length,
    ordinaryRatePerHour: hours > 0 ? sold / hours : 0,
    explanation: ex.build(),
  };
}

interface Candidate {
  idx: number;
  prevIdx: number;
  kind: 'FROM_ZERO' | 'JUMP';
  from: number;
  to: number;
  toLB: boolean;
  /** Units added to a live deal's quantity at this reading. */
  dealBatch?: number;
}

/**
 * Candidates: rises measured from the last exact level (never from a censored one). FROM_ZERO from
 * an exact 0 to any positive level; JUMP for a rise ≥ T. A censored reading only moves the
 * reference when it confirms such a rise.
 */
function riseCandidates(pts: readonly SnapshotPoint[], thr: ThresholdAt, minJumpUnits: number): Candidate[] {
  const cands: Candidate[] = [];
  // T ≥ minJumpUnits: the threshold is only looked up for rises that could reach it.
  const jump = (i: number, rise: number) => rise >= minJumpUnits && rise >= thr(i).threshold;
  let ref: number | null = null;
  let refExact = false;
  // Index of the reading that set `ref`: a restock happened after it (censored readings in
  // between are consistent with either level, so they do not narrow the time).
  let refIdx = -1;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    if (p.stock === null) continue;
    const s = p.stock;
    if (!p.stockIsLowerBound) {
      if (ref !== null) {
        if (refExact && ref === 0 && s > 0) cands.push({ idx: i, prevIdx: refIdx, kind: 'FROM_ZERO', from: 0, to: s, toLB: false });
        else if (jump(i, s - ref)) cands.push({ idx: i, prevIdx: refIdx, kind: 'JUMP', from: ref, to: s, toLB: false });
      }
      ref = s;
      refExact = true;
      refIdx = i;
    } else if (ref !== null && s > 0) {
      const fromZero = refExact && ref === 0;
      if (!fromZero && !jump(i, s - ref)) continue;
      cands.push(
        fromZero
          ? { idx: i, prevIdx: refIdx, kind: 'FROM_ZERO', from: 0, to: s, toLB: true }
          : { idx: i, prevIdx: refIdx, kind: 'JUMP', from: ref, to: s, toLB: true },
      );
      ref = s;
      refExact = false;
      refIdx = i;
    }
  }
  return cands;
}

/**
 * A live deal whose quantity grows received a batch of that size, whether or not stock (net of the
 * deal's own sales in the interval, or censored) shows the rise: the batch is marked on the
 * candidate at that reading, or added as a JUMP from max(0, stock − Δq). Keeps `cands` in time order.
 */
function addDealBatches(pts: readonly SnapshotPoint[], cands: Candidate[]): void {
  const byIdx = new Map<number, Candidate>();
  for (const c of cands) byIdx.set(c.idx, c);
  let added = false;
  for (const run of dealRuns(pts)) {
    let prevQ: number | null = null;
    let prevI = -1;
    for (const i of run.liveIndices) {
      const q = pts[i].dealQuantity;
      if (q === null) continue;
      if (prevQ !== null && q > prevQ) {
        const dq = q - prevQ;
        const existing = byIdx.get(i);
        if (existing) existing.dealBatch = dq;
        else {
          const st = pts[i].stock;
          const from = st === null ? 0 : Math.max(0, st - dq);
          const c: Candidate = { idx: i, prevIdx: prevI, kind: 'JUMP', from, to: st ?? dq, toLB: pts[i].stockIsLowerBound, dealBatch: dq };
          cands.push(c);
          byIdx.set(i, c);
          added = true;
        }
      }
      prevQ = q;
      prevI = i;
    }
  }
  if (added) cands.sort((a, b) => a.idx - b.idx);
}

interface FlapCheck {
  flap: boolean;
  returned: boolean;
  max: number;
  backAt: number | null;
}

/** A small from-zero rise (max level ≤ flapMaxUnits) that falls back to an exact 0 within the flap window is a flap. */
function flapCheck(pts: readonly SnapshotPoint[], c: Candidate, o: Resolved): FlapCheck {
  if (c.kind !== 'FROM_ZERO' || c.dealBatch !== undefined) return { flap: false, returned: false, max: c.to, backAt: null };
  let max = c.to;
  const t0 = pts[c.idx].at;
  for (let j = c.idx + 1; j < pts.length && pts[j].at - t0 <= o.flapWindowMs; j++) {
    const q = pts[j];
    if (q.stock === null) continue;
    if (!q.stockIsLowerBound && q.stock === 0) return { flap: max <= o.flapMaxUnits, returned: true, max, backAt: q.at };
    max = Math.max(max, q.stock);
    if (max > o.flapMaxUnits) return { flap: false, returned: false, max, backAt: null };
  }
  return { flap: false, returned: false, max, backAt: null };
}

/** An event being built from one or more candidates. */
interface Draft {
  kind: RestockKind;
  first: Candidate;
  last: Candidate;
  observed: number;
  estSales: number;
  transitions: number;
  flaps: number;
  maxLevel: number;
  lastActivityAt: number;
  /** A FLAP-kind draft whose last excursion has not returned to 0 (a few units still shown). */
  smallUnreturned: boolean;
  /** Units added to a live deal's quantity within this restock. */
  dealBatch: number;
  /** Capture time of the candidate that opened the draft (absorbPrelude moves `first`, not this). */
  openedAt: number;
}

/** A flap, or a held small from-zero rise (prelude), joins the previous FLAP draft within the window or starts one. */
function addFlap(drafts: Draft[], c: Candidate, f: FlapCheck, prelude: boolean, at: number, rise: number, o: Resolved): void {
  const last = drafts[drafts.length - 1];
  const activity = f.backAt ?? at;
  if (last && last.kind === 'FLAP' && at - last.lastActivityAt <= o.flapWindowMs) {
    last.transitions++;
    if (f.flap) last.flaps++;
    last.maxLevel = Math.max(last.maxLevel, f.flap ? f.max : c.to);
    last.lastActivityAt = activity;
    last.last = c;
    last.smallUnreturned = prelude;
    return;
  }
  drafts.push({
    kind: 'FLAP',
    first: c,
    last: c,
    observed: rise,
    estSales: 0,
    transitions: 1,
    flaps: f.flap ? 1 : 0,
    maxLevel: f.flap ? f.max : c.to,
    lastActivityAt: activity,
    smallUnreturned: prelude,
    dealBatch: 0,
    openedAt: at,
  });
}

/**
 * A real restock right after flapping or a trickle: those were its prelude. The stock came from 0,
 * so the draft becomes a FROM_ZERO at the real rise.
 */
function absorbPrelude(last: Draft, c: Candidate, est: number, at: number): void {
  last.kind = 'FROM_ZERO';
  last.first = { ...c, kind: 'FROM_ZERO', from: 0 };
  last.last = c;
  last.observed = c.to;
  last.estSales = est;
  last.transitions++;
  last.maxLevel = Math.max(last.maxLevel, c.to);
  last.lastActivityAt = at;
  last.smallUnreturned = false;
  last.dealBatch += c.dealBatch ?? 0;
}

/** A tranche: one more part of the previous restock's delivery. */
function addTranche(last: Draft, c: Candidate, rise: number, est: number, at: number): void {
  last.observed += rise;
  last.estSales += est;
  last.transitions++;
  last.last = c;
  last.maxLevel = Math.max(last.maxLevel, c.to);
  last.lastActivityAt = at;
  last.dealBatch += c.dealBatch ?? 0;
}

/**
 * Events from the candidates: flap runs and small preludes merged, tranches merged. Each rise adds
 * expected unseen sales during its interval = ordinary rate × interval ÷ 2 (arrival on average mid-interval), for the explanation.
 */
function buildDrafts(pts: readonly SnapshotPoint[], cands: readonly Candidate[], o: Resolved, thr: ThresholdAt): Draft[] {
  const drafts: Draft[] = [];
  for (const c of cands) {
    const f = flapCheck(pts, c, o);
    const at = pts[c.idx].at;
    const prevAt = c.prevIdx >= 0 ? pts[c.prevIdx].at : at;
    const rise = Math.max(c.to - c.from, c.dealBatch ?? 0);
    const est = (thr(c.idx).ordinaryRatePerHour * (at - prevAt)) / HOUR_MS / 2;
    const last = drafts[drafts.length - 1];
    // A from-zero rise of a few units that has not fallen back: returned units, or the first
    // trickle of a delivery. Held like a flap until a real rise follows within the window.
    const prelude = !f.flap && c.kind === 'FROM_ZERO' && c.to <= o.flapMaxUnits && c.dealBatch === undefined;
    if (f.flap || prelude) addFlap(drafts, c, f, prelude, at, rise, o);
    else if (last && last.kind === 'FLAP' && at - last.lastActivityAt <= o.flapWindowMs) absorbPrelude(last, c, est, at);
    // Tranches: rises soon after the previous restock, unless stock ran out in between (then it is
    // a new restock from 0).
    else if (last && last.kind !== 'FLAP' && c.kind === 'JUMP' && at - last.lastActivityAt <= o.mergeWindowMs)
      addTranche(last, c, rise, est, at);
    else
      drafts.push({
        kind: c.kind,
        first: c,
        last: c,
        observed: rise,
        estSales: est,
        transitions: 1,
        flaps: 0,
        maxLevel: f.max,
        lastActivityAt: at,
        smallUnreturned: false,
        dealBatch: c.dealBatch ?? 0,
        openedAt: at,
      });
  }
  return drafts;
}

/**
 * Confidence of an event: FLAP 0.2; a held trickle 0.3; FROM_ZERO 0.95 at a level ≥ T (or when
 * T ≤ flapMaxUnits), else 0.6 + 0.35 × (level − flapMaxUnits) ÷ (T − flapMaxUnits), at most 0.9
 * to a censored level; JUMP min(0.95, 0.5 + 0.45 × min(1, (rise − T) ÷ T)), × 0.9 to a censored
 * level. A batch seen in the live deal's own quantity lifts any non-FLAP event to at least 0.9.
 */
export function restockConfidence(
  d: { kind: RestockKind; smallUnreturned: boolean; level: number; observed: number; dealBatch: number },
  T: number,
  flapMaxUnits: number,
  lowerBound: boolean,
): number {
  let confidence: number;
  if (d.kind === 'FLAP') confidence = 0.2;
  else if (d.smallUnreturned) confidence = 0.3;
  else if (d.kind === 'FROM_ZERO') {
    confidence = d.level >= T || T <= flapMaxUnits ? 0.95 : 0.6 + (0.35 * (d.level - flapMaxUnits)) / (T - flapMaxUnits);
    if (lowerBound) confidence = Math.min(confidence, 0.9);
  } else {
    confidence = Math.min(0.95, 0.5 + 0.45 * Math.min(1, (d.observed - T) / T));
    if (lowerBound) confidence *= 0.9;
  }
  if (d.dealBatch > 0 && d.kind !== 'FLAP') confidence = Math.max(confidence, 0.9);
  return confidence;
}

/** The event of a draft: quantity = the observed rise (or the flap level), with its explanation. */
function toEvent(
  d: Draft,
  pts: readonly SnapshotPoint[],
  th: JumpThreshold,
  o: Resolved,
  data: ReturnType<typeof toDataProvenance>,
): RestockEvent {
  const T = th.threshold;
  const at = pts[d.first.idx].at;
  const earliestAt = d.first.prevIdx >= 0 ? pts[d.first.prevIdx].at : at;
  const lb = d.last.toLB || d.first.toLB;
  if (d.kind === 'FLAP' && d.smallUnreturned) {
    // Still showing a few units: available, but likely returns rather than a restock.
    d.kind = 'FROM_ZERO';
    d.observed = d.maxLevel;
  }
  const confidence = restockConfidence({ ...d, level: d.last.to }, T, o.flapMaxUnits, lb);
  const quantity = d.kind === 'FLAP' ? d.maxLevel : d.observed;
  const ex = new Explainer(
    d.kind === 'FROM_ZERO'
      ? 'restock: stock 0 → available'
      : d.kind === 'JUMP'
        ? 'restock: rise ≥ T'
        : 'flapping 0 ↔ small stock (one event)',
    {
      fromLevel: d.first.from,
      toLevel: d.last.to,
      toLevelIsLowerBound: lb,
      thresholdT: round(T, 3),
      previousReadingAt: isoOrNull(earliestAt),
      firstRaisedReadingAt: isoOrNull(at),
    },
  )
    .step('observed rise (units)', round(d.observed, 3))
    .step(
      'expected unseen sales during the rise interval (not added)',
      round(d.estSales, 3),
      `ordinary rate ${round(th.ordinaryRatePerHour, 4)}/h × interval ÷ 2`,
    )
    .step('quantity = observed rise', quantity)
    .step('confidence', round(confidence, 3))
    .data(data);
  if (d.transitions > 1 && d.kind !== 'FLAP')
    ex.note(`${d.transitions} rises within ${round(o.mergeWindowMs / HOUR_MS, 1)} h (or flaps just before) merged into one restock`);
  if (d.kind === 'FLAP')
    ex.note(
      `${d.flaps} excursion(s) 0 → at most ${d.maxLevel} unit(s) (≤ ${o.flapMaxUnits}) and back to 0 within ${round(o.flapWindowMs / HOUR_MS, 1)} h: flapping (returns, released carts), reported as one low-confidence event`,
    );
  if (d.flaps > 0 && d.kind !== 'FLAP') ex.note(`preceded by ${d.flaps} flap(s) that are part of this event`);
  if (d.smallUnreturned)
    ex.note(`available again but only ${d.maxLevel} unit(s) (≤ ${o.flapMaxUnits}): may be returned units rather than a restock`);
  if (d.kind !== 'FLAP' && d.estSales >= 0.5)
    ex.note(
      `units sold between the arrival and the first raised reading are not seen: about ${round(d.estSales, 1)} at the ordinary rate, not added to the quantity`,
    );
  if (lb) ex.note('the new level is a censored reading (a lower bound): the rise is at least the figure shown');
  if (d.dealBatch > 0) ex.note(`the live deal's quantity rose by ${d.dealBatch} units: a batch released into the deal`);
  ex.note(th.explanation.formula + ` = ${round(T, 2)} units (q90 |Δ| = ${round(th.q90AbsChange, 2)} over ${th.intervals} intervals)`);
  return {
    at,
    earliestAt,
    quantity,
    observedIncrease: d.observed,
    fromLevel: d.first.from,
    toLevel: d.kind === 'FLAP' ? d.maxLevel : d.last.to,
    toLevelIsLowerBound: lb,
    kind: d.kind,
    confidence,
    transitions: d.transitions,
    explanation: ex.build(),
  };
}

/** A restock event with where its draft opened and its last activity (what stored facts restart from). */
export interface RestockDraftEvent {
  event: RestockEvent;
  /** Capture time of the first rise or flap merged into the event (≤ event.at). */
  openedAt: number;
  /** Capture time of its last rise, or of a flap's return to 0: later rises merge within the flap/merge window of it. */
  lastActivityAt: number;
}

/** Restock events in time order. */
export function detectRestocks(points: readonly SnapshotPoint[], opts: RestockOptions = {}): RestockEvent[] {
  return detectRestockDrafts(points, opts).map((d) => d.event);
}

/** detectRestocks with each event's draft bounds (server/modules/facts/restocks.facts.ts restarts from them). */
export function detectRestockDrafts(points: readonly SnapshotPoint[], opts: RestockOptions = {}): RestockDraftEvent[] {
  validatePoints(points);
  const o = resolve(opts);
  if (opts.now !== undefined && !Number.isFinite(opts.now)) throw new TypeError(`now must be epoch ms, got ${String(opts.now)}`);
  const raw = opts.now === undefined ? points : points.filter((p) => p.at <= (opts.now as number));
  if (opts.anomalies) checkFlags(points, opts.anomalies);
  const flags = opts.anomalies ? opts.anomalies.slice(0, raw.length) : stockReadingFlags(raw);
  // Wrong readings out first: the threshold, the candidates and the quantities never see them.
  const pts = withoutAnomalousValues(raw, flags);
  const thr = thresholds(pts, opts);
  const data = toDataProvenance(provenanceOf(pts, opts.now ?? (pts.length ? pts[pts.length - 1].at : 0)));
  const cands = riseCandidates(pts, thr, o.minJumpUnits);
  addDealBatches(pts, cands);
  return buildDrafts(pts, cands, o, thr).map((d) => {
    const { openedAt, lastActivityAt } = d;
    const e = toEvent(d, pts, thr(d.first.idx), o, data);
    // Flagged readings inside the rise interval were skipped: say so.
    e.explanation.notes.push(...anomalyNote(pts, flags, e.earliestAt + 1, e.at));
    return { event: e, openedAt, lastActivityAt };
  });
}
