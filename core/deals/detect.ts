/**
 * Deal analysis from snapshots (DESIGN §5 "Deal analysis", BRIEF §1, §2, §6).
 *
 * Each deal run (series/dealRuns.ts) becomes a Deal:
 *  quantity     GIVEN (dealQuantity on the snapshots), IMPLIED (no quantity but % claimed and exact
 *               stock: Q̂ = 100 × through-origin slope of stock drops on % claimed increments, with a
 *               90 % band from the slope's standard error plus the ±1 point rounding of % claimed),
 *               or UNKNOWN (the claim curve is then kept in % and unit figures are null).
 *  claim curve  units sold u = % claimed × quantity ÷ 100 at each live reading (continuous across
 *               batch releases), starting from 0 at the deal's start.
 *  status       SOLD_OUT (100 % claimed, exact stock 0 while live, or — for a deal with claims —
 *               the badge gone from two captures, the first before the scheduled end, when what was
 *               left could have sold by then at ≤ 3× the recent rate), LIVE (still
 *               showing at the newest reading, or missing from that one capture only, and its
 *               scheduled end not passed), UPCOMING (only announced: dealStartsAt in the future),
 *               EXPIRED (otherwise).
 *  soldOutAt    between the last reading below 100 % and the first at 100 %: last reading + units
 *               left ÷ the rate over the preceding `currentWindowHours`, clamped to that interval.
 *  velocity     current = units over the last `currentWindowHours` of live readings ÷ hours;
 *               peak = highest such rolling rate; the peak period is the contiguous stretch where
 *               the rolling rate stays ≥ 80 % of the peak (its slope = units ÷ hours over it).
 *  plateaus     ≥ `plateauMinCaptures` consecutive live captures with no change in claims or exact
 *               stock, before sell-out; `suspicious` when the rate just before would have moved the
 *               figure by ≥ 3 resolution steps (throttling, a failed page, demand stopping).
 *  ETA          drain.ts: constant vs decay fit by AICc, P10/P50/P90 by bootstrap; a draw selling
 *               out after the scheduled end counts as "not before the end"; never before `now`.
 *  batches      deal quantity increases (or, with an implied quantity, a drop of % claimed), and
 *               restock events (restock/detect.ts) inside the live phase.
 *  curve shape, strategy: rules.ts.
 */
import { Explainer, type Explanation } from '../explain';
import { detectRestocks, type RestockEvent } from '../restock/detect';
import { baseline } from '../series/baseline';
import { dealRuns, type DealRun } from '../series/dealRuns';
import { isoOrNull, provenanceOf, quantileSorted, round, staleNote, toDataProvenance } from '../series/provenance';
import { type DealType, DAY_MS, HOUR_MS, type SnapshotPoint } from '../series/types';
import { validateNow, validatePoints, validatePositive } from '../series/validate';
import { sellOutEta, type ClaimCurvePoint, type DrainFit } from './drain';
import {
  classifyCurveShape,
  classifyStrategy,
  type CurveShape,
  type CurveShapeRules,
  DEFAULT_CURVE_SHAPE_RULES,
  DEFAULT_STRATEGY_RULES,
  type DealStrategy,
  type StrategyRules,
} from './rules';

export type DealStatus = 'UPCOMING' | 'LIVE' | 'SOLD_OUT' | 'EXPIRED';
export type QuantitySource = 'GIVEN' | 'IMPLIED' | 'UNKNOWN';

export interface SellOutEtaMs {
  /** Epoch ms, or null: not before the deal's end / never. */
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

export interface PeakPeriod {
  start: number;
  end: number;
  /** Units (or % points in percent mode) per hour over the period. */
  slopePerHour: number;
  units: number;
}

export interface Plateau {
  start: number;
  end: number;
  captures: number;
  hours: number;
  /** Units the rate just before would have sold during it. */
  expectedUnits: number;
  suspicious: boolean;
}

export interface DealBatch {
  at: number;
  /** Units added to the deal (or restocked) at this reading. */
  quantity: number;
  source: 'DEAL_QUANTITY_INCREASE' | 'CLAIMED_DROP' | 'STOCK_RESTOCK';
}

export interface Deal {
  /** Deterministic: `${type}:${startedAt}`. */
  id: string;
  type: DealType;
  status: DealStatus;
  startedAt: number;
  /** Sold-out moment, end of an expired deal, or null while live/upcoming. */
  endedAt: number | null;
  scheduledStartAt: number | null;
  scheduledEndAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  captures: number;
  dealQuantity: number | null;
  dealQuantityLower: number | null;
  dealQuantityUpper: number | null;
  dealQuantitySource: QuantitySource;
  unitsSold: number | null;
  claimedPercent: number | null;
  remainingUnits: number | null;
  /** Units/hour now (or at the end); null when the quantity is unknown. */
  velocityPerHour: number | null;
  peakVelocityPerHour: number | null;
  /** % claimed per hour now (always available when % claimed is). */
  velocityPercentPerHour: number | null;
  sellOutEta: SellOutEtaMs | null;
  sellOutEtaReason: string | null;
  /** Share of bootstrap draws that sell out before the scheduled end (LIVE only). */
  sellOutProbability: number | null;
  drainModel: 'CONSTANT' | 'DECAY' | null;
  drainFit: DrainFit | null;
  soldOutAt: number | null;
  /** Units sold ÷ deal quantity (0–1). */
  sellThroughRate: number | null;
  /** Hours from start to end (or to the newest reading while live). */
  durationHours: number;
  peakPeriod: PeakPeriod | null;
  plateaus: Plateau[];
  curveShape: CurveShape;
  firstQuarterShare: number | null;
  strategy: DealStrategy;
  strategyReason: string;
  discountPercent: number | null;
  dealPrice: number | null;
  referencePrice: number | null;
  restockBatches: DealBatch[];
  /** The claim curve as analysed: epoch ms and cumulative units (or % when percent mode). */
  claimCurve: { at: number; units: number }[];
  /** True when the quantity is unknown and the curve is in % claimed. */
  percentMode: boolean;
  explanation: Explanation;
}

export interface DetectDealsOptions {
  now: number;
  /** Seed of the ETA bootstrap. Default 1. */
  seed?: number;
  /** Bootstrap draws. Default 200. */
  etaDraws?: number;
  /** Drain fitting method for the ETA (drain.ts). Default POISSON. */
  etaMethod?: 'POISSON' | 'LEAST_SQUARES';
  /** Captures without change that make a plateau. Default 4. */
  plateauMinCaptures?: number;
  /** Window of the "current" and rolling peak velocity. Default 1 h. */
  currentWindowHours?: number;
  /** Days of pre-deal baseline for the strategy read. Default 14. */
  baselineDays?: number;
  staleAfterMs?: number;
  curveShapeRules?: Partial<CurveShapeRules>;
  strategyRules?: Partial<StrategyRules>;
}

interface Live {
  p: SnapshotPoint;
  idx: number;
  c: number | null;
  q: number | null;
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/** Implied deal quantity from stock drops vs % claimed increments (see header). */
export function impliedDealQuantity(
  readings: readonly { stock: number | null; stockIsLowerBound: boolean; claimedPercent: number | null }[],
): {
  quantity: number;
  lower: number;
  upper: number;
  pairs: number;
} | null {
  let sxy = 0;
  let sxx = 0;
  let total = 0;
  const pairs: { x: number; y: number }[] = [];
  let prev: (typeof readings)[number] | null = null;
  for (const r of readings) {
    if (r.stock === null || r.stockIsLowerBound || r.claimedPercent === null) continue;
    if (prev) {
      const x = r.claimedPercent - (prev.claimedPercent as number);
      const y = (prev.stock as number) - r.stock;
      if (x < 0 || y < 0) return pairsResult();
      pairs.push({ x, y });
      sxy += x * y;
      sxx += x * x;
      total += x;
    }
    prev = r;
  }
  return pairsResult();
  function pairsResult() {
    if (pairs.length < 2 || total < 3 || sxx <= 0) return null;
    const b = sxy / sxx;
    if (!(b > 0)) return null;
    let rss = 0;
    for (const p of pairs) rss += (p.y - b * p.x) ** 2;
    const se = Math.sqrt(rss / Math.max(1, pairs.length - 1) / sxx);
    const q = 100 * b;
    const half = Math.sqrt((1.645 * 100 * se) ** 2 + (q / total) ** 2);
    return { quantity: q, lower: Math.max(0, q - half), upper: q + half, pairs: pairs.length };
  }
}

/** Linear interpolation of a cumulative curve at time t (clamped to its ends). */
function interp(curve: readonly { at: number; units: number }[], t: number): number {
  if (t <= curve[0].at) return curve[0].units;
  for (let i = 1; i < curve.length; i++) {
    if (t <= curve[i].at) {
      const a = curve[i - 1];
      const b = curve[i];
      return a.units + ((b.units - a.units) * (t - a.at)) / (b.at - a.at);
    }
  }
  return curve[curve.length - 1].units;
}

/** Rate over the trailing window ending at reading i (units per hour). */
function trailingRate(curve: readonly { at: number; units: number }[], i: number, windowMs: number): number | null {
  if (i <= 0) return null;
  let j = i - 1;
  while (j > 0 && curve[i].at - curve[j].at < windowMs) j--;
  const dt = curve[i].at - curve[j].at;
  return dt > 0 ? ((curve[i].units - curve[j].units) / dt) * HOUR_MS : null;
}

export function detectDeals(points: readonly SnapshotPoint[], opts: DetectDealsOptions): Deal[] {
  validatePoints(points);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  const now = opts.now;
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(seed)}`);
  const draws = opts.etaDraws ?? 200;
  const plateauN = opts.plateauMinCaptures ?? 4;
  if (!Number.isInteger(plateauN) || plateauN < 2) throw new RangeError(`plateauMinCaptures must be an integer ≥ 2, got ${plateauN}`);
  const windowH = opts.currentWindowHours ?? 1;
  validatePositive(windowH, 'currentWindowHours');
  const baselineDays = opts.baselineDays ?? 14;
  validatePositive(baselineDays, 'baselineDays');
  const shapeRules = { ...DEFAULT_CURVE_SHAPE_RULES, ...(opts.curveShapeRules ?? {}) };
  const stratRules = { ...DEFAULT_STRATEGY_RULES, ...(opts.strategyRules ?? {}) };

  const pts = points.filter((p) => p.at <= now);
  if (!pts.length) return [];
  const runs = dealRuns(pts);
  const restocks = runs.length ? detectRestocks(pts) : [];
  const newestIdx = pts.length - 1;
  const prov = provenanceOf(pts, now, opts.staleAfterMs);
  return runs.map((run) =>
    analyseRun(pts, run, restocks, {
      now,
      seed,
      draws,
      etaMethod: opts.etaMethod ?? 'POISSON',
      plateauN,
      windowMs: windowH * HOUR_MS,
      baselineDays,
      shapeRules,
      stratRules,
      newestIdx,
      prov,
      staleAfterMs: opts.staleAfterMs,
    }),
  );
}

/** The deal live at `now` (status LIVE), if any — `Competitor.activeDeal`. */
export function activeDeal(deals: readonly Deal[]): Deal | null {
  for (let i = deals.length - 1; i >= 0; i--) if (deals[i].status === 'LIVE') return deals[i];
  return null;
}

interface Ctx {
  now: number;
  seed: number;
  draws: number;
  etaMethod: 'POISSON' | 'LEAST_SQUARES';
  plateauN: number;
  windowMs: number;
  baselineDays: number;
  shapeRules: CurveShapeRules;
  stratRules: StrategyRules;
  newestIdx: number;
  prov: ReturnType<typeof provenanceOf>;
  staleAfterMs?: number;
}

function analyseRun(pts: readonly SnapshotPoint[], run: DealRun, restocks: readonly RestockEvent[], ctx: Ctx): Deal {
  const { now } = ctx;
  const lastRunIdx = run.indices[run.indices.length - 1];
  const firstSeenAt = pts[run.indices[0]].at;
  const lastSeenAt = pts[lastRunIdx].at;
  // A single newest capture without the badge is not enough to call the deal over: sources miss a
  // badge now and then. Two captures without it are (see also the sold-out inference below).
  const afterRun = ctx.newestIdx - lastRunIdx;
  const badgeMissedOnce =
    afterRun === 1 && pts[ctx.newestIdx].dealType === 'NONE' && (run.dealEndsAt === null || pts[ctx.newestIdx].at < run.dealEndsAt);
  const stillShowing = afterRun === 0 || badgeMissedOnce;
  const scheduledEndAt = run.dealEndsAt;
  const scheduledStartAt = run.dealStartsAt;
  const ex = new Explainer('deal analysis: claim curve u = % claimed × quantity ÷ 100; ETA by drain fit', {
    type: run.type,
    captures: run.indices.length,
    firstSeenAt: isoOrNull(firstSeenAt),
    lastSeenAt: isoOrNull(lastSeenAt),
    scheduledStartAt: isoOrNull(scheduledStartAt),
    scheduledEndAt: isoOrNull(scheduledEndAt),
  });
  ex.data(toDataProvenance(ctx.prov));
  if (badgeMissedOnce)
    ex.note('the newest capture did not show the deal badge; one miss is treated as a capture glitch, not the end of the deal');
  const sn = staleNote(ctx.prov);
  if (sn) ex.note(sn);

  const live: Live[] = run.liveIndices.map((i) => ({ p: pts[i], idx: i, c: pts[i].dealClaimedPercent, q: pts[i].dealQuantity }));

  // Upcoming-only runs.
  if (!live.length) {
    const upcoming = stillShowing && (scheduledStartAt === null || scheduledStartAt > now);
    const startedAt = scheduledStartAt ?? firstSeenAt;
    ex.note(upcoming ? 'announced, not yet live' : 'announced but never seen live');
    return emptyDeal(
      run,
      upcoming ? 'UPCOMING' : stillShowing ? 'LIVE' : 'EXPIRED',
      startedAt,
      firstSeenAt,
      lastSeenAt,
      ex,
      upcoming ? 'the deal has not started' : 'no live readings',
    );
  }

  // Start: scheduled start, else midway between the last reading before the deal and the first live one.
  const firstLive = live[0];
  const before = firstLive.idx > 0 ? pts[firstLive.idx - 1] : null;
  let startedAt = firstLive.p.at;
  if (scheduledStartAt !== null && scheduledStartAt <= firstLive.p.at) startedAt = scheduledStartAt;
  else if (before && before.dealType !== run.type && firstLive.p.at - before.at <= 2 * HOUR_MS)
    startedAt = (before.at + firstLive.p.at) / 2;
  ex.step(
    'startedAt',
    isoOrNull(startedAt),
    scheduledStartAt !== null ? 'scheduled start' : 'midway between the last reading without the deal and the first with it',
  );

  // Quantity.
  let source: QuantitySource = 'UNKNOWN';
  let qLower: number | null = null;
  let qUpper: number | null = null;
  const given = live.filter((l) => l.q !== null);
  const batches: DealBatch[] = [];
  let qAt: (l: Live) => number | null = () => null;
  if (given.length) {
    source = 'GIVEN';
    let lastQ = given[0].q as number;
    const qs = new Map<number, number>();
    for (const l of live) {
      if (l.q !== null) {
        if (l.q > lastQ) batches.push({ at: l.p.at, quantity: l.q - lastQ, source: 'DEAL_QUANTITY_INCREASE' });
        lastQ = l.q;
      }
      qs.set(l.idx, lastQ);
    }
    qAt = (l) => qs.get(l.idx) ?? null;
  } else {
    // Implied from the readings before the first drop of % claimed (a batch release).
    let cut = live.length;
    for (let i = 1; i < live.length; i++) {
      const a = live[i - 1].c;
      const b = live[i].c;
      if (a !== null && b !== null && b < a - 0.5) {
        cut = i;
        break;
      }
    }
    const imp = impliedDealQuantity(
      live.slice(0, cut).map((l) => ({ stock: l.p.stock, stockIsLowerBound: l.p.stockIsLowerBound, claimedPercent: l.c })),
    );
    if (imp) {
      source = 'IMPLIED';
      qLower = imp.lower;
      qUpper = imp.upper;
      let Q = imp.quantity;
      let lastC: number | null = null;
      const qs = new Map<number, number>();
      for (const l of live) {
        if (l.c !== null) {
          if (lastC !== null && l.c < lastC - 0.5 && l.c > 0) {
            // Units stay continuous across a batch: c·Q = c'·Q'.
            const Q2 = (Q * lastC) / l.c;
            batches.push({ at: l.p.at, quantity: Q2 - Q, source: 'CLAIMED_DROP' });
            qUpper = (qUpper as number) * (lastC / l.c);
            qLower = (qLower as number) * (lastC / l.c);
            Q = Q2;
          }
          lastC = l.c;
        }
        qs.set(l.idx, Q);
      }
      qAt = (l) => qs.get(l.idx) ?? null;
      ex.step(
        'implied deal quantity',
        round(imp.quantity, 1),
        `100 × slope of stock drops on % claimed over ${imp.pairs} intervals; 90 % band ${round(imp.lower, 1)}–${round(imp.upper, 1)}`,
      );
    }
  }
  const percentMode = source === 'UNKNOWN';

  // Claim curve (cumulative units, or % in percent mode), starting at 0 at the deal's start.
  // Units are kept non-decreasing (rounding of % claimed around a batch release can dip by a step).
  // In percent mode a drop of % claimed (a batch of unknown size) restarts the curve there.
  let curve: { at: number; units: number; idx: number }[] = [];
  let curveRestarted = false;
  for (const l of live) {
    if (l.c === null) continue;
    const q = qAt(l);
    const u = percentMode ? l.c : q === null ? null : (l.c * q) / 100;
    if (u === null) continue;
    const prevU = curve.length ? curve[curve.length - 1].units : 0;
    if (percentMode && u < prevU - 0.5) {
      curve = [];
      curveRestarted = true;
    }
    curve.push({ at: l.p.at, units: percentMode ? u : Math.max(u, prevU), idx: l.idx });
  }
  if (curveRestarted) ex.note('% claimed dropped (a batch of unknown size): the claim curve restarts at the drop');

  // Sold out: 100 % claimed, or exact stock 0 while a deal with claims is live (a flag deal such as
  // a coupon has no allocation of its own: the listing running dry does not "sell out" the coupon).
  const hasClaims = live.some((l) => l.c !== null);
  let soldIdx = -1;
  for (let i = 0; i < live.length; i++) {
    const l = live[i];
    if ((l.c !== null && l.c >= 100) || (hasClaims && l.p.stock === 0 && !l.p.stockIsLowerBound)) {
      soldIdx = i;
      break;
    }
  }
  const soldReading = soldIdx >= 0 ? live[soldIdx] : null;
  const lastC = [...live].reverse().find((l) => l.c !== null)?.c ?? null;
  const lastLive = live[live.length - 1];
  const finalQ = percentMode ? null : qAt(lastLive);

  let soldOutAt: number | null = null;
  if (soldReading) {
    soldOutAt = soldReading.p.at;
    const k = curve.findIndex((c) => c.idx === soldReading.idx);
    const prevC = k > 0 ? curve[k - 1] : null;
    if (prevC) {
      const full = percentMode ? 100 : (finalQ ?? curve[k].units);
      const r = trailingRate(curve, k - 1, ctx.windowMs);
      const left = full - prevC.units;
      if (r !== null && r > 0) soldOutAt = Math.min(soldReading.p.at, Math.max(prevC.at, prevC.at + (left / r) * HOUR_MS));
      else soldOutAt = (prevC.at + soldReading.p.at) / 2;
    }
    ex.step(
      'soldOutAt',
      isoOrNull(soldOutAt),
      soldReading.c !== null && soldReading.c >= 100
        ? 'first reading at 100 % claimed, back-dated by units left ÷ rate'
        : 'stock reached 0 while the deal was live',
    );
  }

  // A deal with claims whose badge vanished well before its scheduled end sold out (the marketplace
  // drops a sold-out deal's badge); the moment lies between the last live reading and the next one.
  let inferredSoldOut = false;
  const nextAfterRun = lastRunIdx + 1 < pts.length ? pts[lastRunIdx + 1] : null;
  // Two captures without the badge, the first well before the scheduled end (one could be a miss).
  const confirmed = lastRunIdx + 2 < pts.length && pts[lastRunIdx + 2].dealType !== run.type;
  let endedEarly = false;
  if (
    !soldReading &&
    hasClaims &&
    !stillShowing &&
    confirmed &&
    scheduledEndAt !== null &&
    nextAfterRun &&
    nextAfterRun.at < scheduledEndAt - 5 * 60_000 &&
    curve.length
  ) {
    const lastCurve = curve[curve.length - 1];
    const full = percentMode ? 100 : (finalQ ?? lastCurve.units);
    const r = trailingRate(curve, curve.length - 1, ctx.windowMs);
    const left = Math.max(0, full - lastCurve.units);
    // Plausible only if what was left could go by the first capture without the badge at up to
    // three times the recent rate; otherwise the deal was pulled or cancelled.
    const gapH = (nextAfterRun.at - lastCurve.at) / HOUR_MS;
    const plausible = left === 0 || (r !== null && r > 0 && left / r <= 3 * gapH);
    if (plausible) inferredSoldOut = true;
    else endedEarly = true;
  }
  if (endedEarly)
    ex.note(
      `the deal disappeared at ${lastC ?? '—'} % claimed, well before its scheduled end and faster than it could have sold out: ended early (pulled or cancelled)`,
    );
  if (inferredSoldOut && nextAfterRun) {
    const lastCurve = curve[curve.length - 1];
    const full = percentMode ? 100 : (finalQ ?? lastCurve.units);
    const r = trailingRate(curve, curve.length - 1, ctx.windowMs);
    const left = Math.max(0, full - lastCurve.units);
    soldOutAt = r !== null && r > 0 ? Math.min(nextAfterRun.at, lastCurve.at + (left / r) * HOUR_MS) : (lastCurve.at + nextAfterRun.at) / 2;
    curve.push({ at: soldOutAt, units: full, idx: -1 });
    ex.step(
      'soldOutAt',
      isoOrNull(soldOutAt),
      `inferred: the deal disappeared at ${isoOrNull(nextAfterRun.at)}, before its scheduled end, at ${lastC ?? '—'} % claimed; last reading + units left ÷ rate, at most the first reading without it`,
    );
    ex.note('sold out inferred from the badge disappearing before the scheduled end');
  }

  // Status.
  let status: DealStatus;
  if (soldReading || inferredSoldOut) status = 'SOLD_OUT';
  else if (stillShowing && (scheduledEndAt === null || scheduledEndAt > now)) status = 'LIVE';
  else status = 'EXPIRED';
  let endedAt: number | null = null;
  if (status === 'SOLD_OUT') endedAt = soldOutAt;
  else if (status === 'EXPIRED') {
    const nextAt = lastRunIdx + 1 < pts.length ? pts[lastRunIdx + 1].at : null;
    if (scheduledEndAt !== null && scheduledEndAt >= lastLive.p.at && (nextAt === null || scheduledEndAt <= nextAt))
      endedAt = scheduledEndAt;
    else if (nextAt !== null && nextAt - lastLive.p.at <= 2 * HOUR_MS) endedAt = (lastLive.p.at + nextAt) / 2;
    else endedAt = scheduledEndAt !== null && scheduledEndAt <= now ? Math.min(scheduledEndAt, nextAt ?? scheduledEndAt) : lastLive.p.at;
    if (scheduledEndAt !== null && nextAt !== null && scheduledEndAt > nextAt) ex.note('the deal disappeared before its scheduled end');
  }
  const curveUntil = soldReading ? curve.filter((c) => c.at <= soldReading.p.at) : curve;
  const unitsSold =
    percentMode || !curveUntil.length
      ? null
      : (soldReading && soldReading.c !== null && soldReading.c >= 100) || inferredSoldOut
        ? (finalQ as number)
        : curveUntil[curveUntil.length - 1].units;
  const claimedPercent = inferredSoldOut ? 100 : soldReading && soldReading.c !== null ? soldReading.c : lastC;
  const endRef = endedAt ?? lastLive.p.at;
  const durationHours = Math.max(0, (endRef - startedAt) / HOUR_MS);
  ex.step('status', status).step('duration (h)', round(durationHours, 3));

  // Rates on the curve from the start (u = 0 at startedAt).
  // A synthetic (startedAt, 0) anchors the curve when the start lies before the first reading.
  const rc = curveUntil.map((c) => ({ at: c.at, units: c.units }));
  if (!curveRestarted && (rc.length === 0 || rc[0].at > startedAt)) rc.unshift({ at: startedAt, units: 0 });
  let velocityNow: number | null = null;
  let peak: number | null = null;
  let peakPeriod: PeakPeriod | null = null;
  if (rc.length >= 2) {
    velocityNow = trailingRate(rc, rc.length - 1, ctx.windowMs);
    const rolling: (number | null)[] = rc.map((_, i) => trailingRate(rc, i, ctx.windowMs));
    let pi = -1;
    for (let i = 0; i < rolling.length; i++) {
      const r = rolling[i];
      if (r !== null && (pi < 0 || r > (rolling[pi] as number))) pi = i;
    }
    if (pi >= 0 && (rolling[pi] as number) > 0) {
      peak = rolling[pi] as number;
      let a = pi;
      let b = pi;
      while (a - 1 >= 1 && (rolling[a - 1] ?? 0) >= 0.8 * peak) a--;
      while (b + 1 < rolling.length && (rolling[b + 1] ?? 0) >= 0.8 * peak) b++;
      // The period begins where the first of those rolling windows begins.
      let s = a - 1;
      while (s > 0 && rc[a].at - rc[s].at < ctx.windowMs) s--;
      const units = rc[b].units - rc[s].units;
      const hours = (rc[b].at - rc[s].at) / HOUR_MS;
      peakPeriod = { start: rc[s].at, end: rc[b].at, slopePerHour: hours > 0 ? units / hours : peak, units };
    }
  }
  const velocityPerHour = percentMode ? null : velocityNow;
  const peakVelocityPerHour = percentMode ? null : peak;
  const velocityPercentPerHour = velocityNow === null ? null : percentMode ? velocityNow : finalQ ? (100 * velocityNow) / finalQ : null;
  ex.step(
    'velocity now (per h)',
    velocityNow === null ? null : round(velocityNow, 3),
    percentMode ? '% claimed per hour' : `units over the last ${round(ctx.windowMs / HOUR_MS, 2)} h`,
  );
  ex.step('peak velocity (per h)', peak === null ? null : round(peak, 3));

  // Plateaus.
  const plateaus: Plateau[] = [];
  const liveBeforeSold = soldIdx >= 0 ? live.slice(0, soldIdx) : live;
  const step = percentMode ? 1 : finalQ !== null ? Math.max(1, finalQ / 100) : 1;
  let runStart = 0;
  const same = (a: Live, b: Live) =>
    a.c === b.c && (a.p.stock === null || b.p.stock === null || a.p.stockIsLowerBound || b.p.stockIsLowerBound || a.p.stock === b.p.stock);
  for (let i = 1; i <= liveBeforeSold.length; i++) {
    if (i < liveBeforeSold.length && same(liveBeforeSold[i - 1], liveBeforeSold[i])) continue;
    const n = i - runStart;
    if (n >= ctx.plateauN && liveBeforeSold[runStart].c !== null) {
      const s = liveBeforeSold[runStart].p.at;
      const e = liveBeforeSold[i - 1].p.at;
      const k = rc.findIndex((c) => c.at >= s);
      const r = k > 0 ? (trailingRate(rc, k, ctx.windowMs) ?? 0) : 0;
      const expected = (r * (e - s)) / HOUR_MS;
      plateaus.push({ start: s, end: e, captures: n, hours: (e - s) / HOUR_MS, expectedUnits: expected, suspicious: expected >= 3 * step });
    }
    runStart = i;
  }
  if (plateaus.length)
    ex.note(
      `${plateaus.length} plateau(s) of ≥ ${ctx.plateauN} captures without change; ${plateaus.filter((p) => p.suspicious).length} where the prior rate should have moved the figure (possible throttling or failure)`,
    );

  // Batches: add restock events inside the live phase that no quantity change explains.
  for (const e of restocks) {
    if (e.kind === 'FLAP' || e.at < firstLive.p.at || e.at > lastLive.p.at) continue;
    if (batches.some((b) => Math.abs(b.at - e.at) <= 2 * HOUR_MS)) continue;
    batches.push({ at: e.at, quantity: e.quantity, source: 'STOCK_RESTOCK' });
  }
  batches.sort((a, b) => a.at - b.at);
  if (batches.length)
    ex.note(
      `${batches.length} batch release(s) during the deal: ${batches.map((b) => `${isoOrNull(b.at)} +${round(b.quantity, 0)}`).join(', ')}`,
    );

  // ETA.
  let eta: SellOutEtaMs | null = null;
  let etaReason: string | null = null;
  let probability: number | null = null;
  let drainFit: DrainFit | null = null;
  const fitCurve: ClaimCurvePoint[] = rc.map((c) => ({ t: (c.at - startedAt) / HOUR_MS, units: c.units }));
  if (status === 'LIVE') {
    const full = percentMode ? 100 : finalQ;
    const lastU = rc[rc.length - 1].units;
    if (full === null || fitCurve.length < 2) {
      etaReason = full === null ? 'deal quantity unknown' : 'too few readings to fit a drain (need 2)';
    } else {
      const remaining = Math.max(0, full - lastU);
      const lastAt = rc[rc.length - 1].at;
      const horizonHours = scheduledEndAt !== null ? Math.max(0, (scheduledEndAt - lastAt) / HOUR_MS) : undefined;
      const r = sellOutEta(fitCurve, { remaining, seed: ctx.seed, draws: ctx.draws, horizonHours, method: ctx.etaMethod });
      drainFit = r.fit;
      probability = scheduledEndAt !== null ? r.probability : null;
      const toMs = (h: number | null) => (h === null ? null : Math.max(now, lastAt + h * HOUR_MS));
      eta = { p10: toMs(r.p10), p50: toMs(r.p50), p90: toMs(r.p90) };
      etaReason = r.reason;
      if (r.p50 !== null && lastAt + r.p50 * HOUR_MS < now)
        ex.note('by the model the deal should already have sold out; the data is older than that: ETA set to now');
      ex.step('drain model', r.fit.model, r.choiceReason);
      if (r.fit.model === 'DECAY')
        ex.step('r0 (per h)', round(r.fit.r0, 4))
          .step('k (per h)', round(r.fit.k, 5))
          .step('demand the decay can still absorb r_t/k', round(r.demandLimit, 2));
      else ex.step('rate (per h)', round(r.fit.rate, 4));
      ex.step('remaining', round(remaining, 2), percentMode ? '% points' : 'units')
        .step('ETA P10', isoOrNull(eta.p10))
        .step('ETA P50', isoOrNull(eta.p50))
        .step('ETA P90', isoOrNull(eta.p90))
        .step('P(sell out before end)', probability === null ? null : round(probability, 3));
      if (r.p90 === null && r.p50 !== null)
        ex.note('P90 is null: in at least 10 % of bootstrap draws the deal does not sell out before its end');
      if (r.reason) ex.note(r.reason);
    }
  } else if (status === 'SOLD_OUT') etaReason = `sold out at ${isoOrNull(soldOutAt)}`;
  else etaReason = `ended at ${isoOrNull(endedAt)} without selling out`;

  // Curve shape.
  const E = endRef - startedAt;
  let share: number | null = null;
  const totalU = rc[rc.length - 1].units;
  if (rc.length >= 2 && totalU > 0 && E > 0) {
    const ext = [...rc];
    if (ext[ext.length - 1].at < endRef) ext.push({ at: endRef, units: totalU });
    share = interp(ext, startedAt + E / 4) / totalU;
  }
  const curveShape = classifyCurveShape(share, rc.length - 1, totalU, E / HOUR_MS, percentMode, ctx.shapeRules);
  ex.step(
    'first-quarter share f',
    share === null ? null : round(share, 3),
    `f ≥ ${ctx.shapeRules.frontLoadedMin} FRONT_LOADED, ≤ ${ctx.shapeRules.backLoadedMax} BACK_LOADED, else STEADY`,
  ).step('curve shape', curveShape);

  // Strategy.
  const pre = baseline(pts, { now, to: startedAt, days: ctx.baselineDays, staleAfterMs: ctx.staleAfterMs });
  const livePrices = live.map((l) => l.p.price).filter((x): x is number => x !== null);
  const listPrices = live.map((l) => l.p.listPrice ?? null).filter((x): x is number => x !== null && x > 0);
  const prePrices = pts
    .filter((p) => p.at < startedAt && p.at >= startedAt - 7 * DAY_MS && p.dealType === 'NONE' && p.price !== null)
    .map((p) => p.price as number);
  const dealPrice = median(livePrices);
  const referencePrice = median(listPrices) ?? median(prePrices);
  const discount = dealPrice !== null && referencePrice !== null && referencePrice > 0 ? Math.max(0, 1 - dealPrice / referencePrice) : null;
  const bsrs = pts
    .filter((p) => p.at < startedAt && p.at >= startedAt - ctx.baselineDays * DAY_MS && p.bsr !== null)
    .map((p) => p.bsr as number);
  const strat = classifyStrategy(
    {
      quantity: finalQ,
      discount,
      baselinePerDay: pre.dailyConsumption.value ?? (pre.consumptionIsLowerBound ? pre.dailyConsumption.lower : null),
      avgStock: pre.avgStock,
      medianBsr: median(bsrs),
      historyDays: (startedAt - pts[0].at) / DAY_MS,
    },
    ctx.stratRules,
  );
  ex.step('discount', discount === null ? null : round(discount, 4), `deal price ${dealPrice ?? '—'} vs reference ${referencePrice ?? '—'}`)
    .step('pre-deal units/day', pre.dailyConsumption.value === null ? null : round(pre.dailyConsumption.value, 3))
    .step('strategy', strat.strategy, strat.reason);

  const sellThroughRate =
    !percentMode && finalQ && unitsSold !== null
      ? unitsSold / finalQ
      : percentMode && claimedPercent !== null
        ? claimedPercent / 100
        : null;
  ex.step('units sold', unitsSold === null ? null : round(unitsSold, 2))
    .step('claimed %', claimedPercent)
    .step('deal quantity', finalQ === null ? null : round(finalQ, 1), source)
    .step('sell-through (sold ÷ quantity)', sellThroughRate === null ? null : round(sellThroughRate, 4));
  if (percentMode)
    ex.note('deal quantity unknown and not implied (censored or missing stock): figures are in % claimed, unit velocities are null');

  return {
    id: `${run.type}:${Math.round(startedAt)}`,
    type: run.type,
    status,
    startedAt,
    endedAt,
    scheduledStartAt,
    scheduledEndAt,
    firstSeenAt,
    lastSeenAt,
    captures: run.indices.length,
    dealQuantity: finalQ,
    dealQuantityLower: source === 'GIVEN' ? finalQ : qLower,
    dealQuantityUpper: source === 'GIVEN' ? finalQ : qUpper,
    dealQuantitySource: source,
    unitsSold,
    claimedPercent,
    remainingUnits: !percentMode && finalQ !== null && unitsSold !== null ? Math.max(0, finalQ - unitsSold) : null,
    velocityPerHour,
    peakVelocityPerHour,
    velocityPercentPerHour,
    sellOutEta: eta,
    sellOutEtaReason: etaReason,
    sellOutProbability: probability,
    drainModel: drainFit ? drainFit.model : null,
    drainFit,
    soldOutAt,
    sellThroughRate,
    durationHours,
    peakPeriod,
    plateaus,
    curveShape,
    firstQuarterShare: share,
    strategy: strat.strategy,
    strategyReason: strat.reason,
    discountPercent: discount === null ? null : 100 * discount,
    dealPrice,
    referencePrice,
    restockBatches: batches,
    claimCurve: rc,
    percentMode,
    explanation: ex.build(),
  };
}

function emptyDeal(
  run: DealRun,
  status: DealStatus,
  startedAt: number,
  firstSeenAt: number,
  lastSeenAt: number,
  ex: Explainer,
  reason: string,
): Deal {
  return {
    id: `${run.type}:${Math.round(startedAt)}`,
    type: run.type,
    status,
    startedAt,
    endedAt: status === 'EXPIRED' ? lastSeenAt : null,
    scheduledStartAt: run.dealStartsAt,
    scheduledEndAt: run.dealEndsAt,
    firstSeenAt,
    lastSeenAt,
    captures: run.indices.length,
    dealQuantity: null,
    dealQuantityLower: null,
    dealQuantityUpper: null,
    dealQuantitySource: 'UNKNOWN',
    unitsSold: null,
    claimedPercent: null,
    remainingUnits: null,
    velocityPerHour: null,
    peakVelocityPerHour: null,
    velocityPercentPerHour: null,
    sellOutEta: null,
    sellOutEtaReason: reason,
    sellOutProbability: null,
    drainModel: null,
    drainFit: null,
    soldOutAt: null,
    sellThroughRate: null,
    durationHours: 0,
    peakPeriod: null,
    plateaus: [],
    curveShape: 'INSUFFICIENT_DATA',
    firstQuarterShare: null,
    strategy: 'UNKNOWN',
    strategyReason: 'not live yet',
    discountPercent: null,
    dealPrice: null,
    referencePrice: null,
    restockBatches: [],
    claimCurve: [],
    percentMode: true,
    explanation: ex.build(),
  };
}
