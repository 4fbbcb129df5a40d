/**
 * Deal analysis from snapshots: what each lightning deal, coupon or promotion of a competitor did.
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
 *  start, end   timing.ts: the scheduled start, the first reading when its claims are ~0, else
 *               back-dated by the early rate within [previous capture, first reading]; a deal no
 *               newer capture shows ends at dealEndsAt or its type's longest run (endInferred).
 *  velocity     current = units over the last `currentWindowHours` of live readings ÷ hours;
 *               peak and peak period on full windows sliding on a fixed time grid (dealRates).
 *  plateaus     ≥ `plateauMinCaptures` consecutive live captures with no change in claims or exact
 *               stock, before sell-out; `suspicious` when the rate just before would have moved the
 *               figure by ≥ 3 resolution steps (throttling, a failed page, demand stopping).
 *  ETA          drain.ts: decay fit (nesting the constant rate) by Poisson maximum likelihood,
 *               P10/P50/P90 by bootstrap; a draw selling
 *               out after the scheduled end counts as "not before the end"; never before `now`.
 *  batches      deal quantity increases (or, with an implied quantity, a drop of % claimed), and
 *               restock events (restock/detect.ts) inside the live phase.
 *  curve shape, strategy: rules.ts (first-quarter share interpolated along the fitted intensity).
 *  units        whole: an implied quantity is rounded (band ⌊lower⌋–⌈upper⌉), units sold rounded.
 */
import { Explainer, type Explanation } from '../explain';
import { stockReadingFlags } from '../anomalies/flags';
import { detectRestocks, type RestockEvent } from '../restock/detect';
import { dealRuns, type DealRun } from '../series/dealRuns';
import { defaultStaleAfterMs, INTERVAL_GAPS, isoOrNull, provenanceOf, round, staleNote, toDataProvenance } from '../series/provenance';
import { type DealType, DAY_MS, HOUR_MS, type SnapshotPoint } from '../series/types';
import { validateNow, validatePoints, validatePositive } from '../series/validate';
import { type ClaimCurvePoint, type DrainFit, fitLogLinearIntensity, type SellOutEta, sellOutEta, type SellOutEtaOptions } from './drain';
import { type DealStart, dealStart, inferredEnd } from './timing';
import { type DealContext, dealContext, median, restockSlice } from './context';

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
  /** Earliest the deal can have started (timing.ts); null when no capture precedes its first reading. */
  startedAtEarliest: number | null;
  /** Latest it can have started: the first reading showing it (or the scheduled start). */
  startedAtLatest: number;
  /** startedAtLatest − startedAtEarliest in hours: 0 when exact, null when the earliest is unknown. */
  startUncertaintyHours: number | null;
  /** Sold-out moment, end of an expired deal, or null while live/upcoming. */
  endedAt: number | null;
  /** True when no capture saw the deal end: endedAt is its scheduled end or its type's longest run (timing.ts). */
  endInferred: boolean;
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
  /** Discount in % against the reference price (list price, else the pre-deal price). */
  discountPercent: number | null;
  /** Discount in % against the list price; null without a list price. */
  discountVsListPercent: number | null;
  /** Discount in % against the median price of the 7 days before the deal (readings without a deal). */
  discountVsPreDealPercent: number | null;
  dealPrice: number | null;
  referencePrice: number | null;
  /** Median list price during the deal. */
  listPrice: number | null;
  /** Median price of the readings without a deal in the 7 days before it. */
  preDealPrice: number | null;
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
  /**
   * Pre-deal contexts kept by the caller (context.ts), matched to a run by its first live reading;
   * a run without one gets its context computed from `points`.
   */
  contexts?: readonly DealContext[];
  /**
   * A memo of sell-out ETA fits (drain.ts sellOutEta, a pure function of the claim curve and its
   * settings): the same curve read again — the same live deal in the next request — costs a lookup
   * instead of the bootstrap. The caller owns and bounds it.
   */
  etaCache?: EtaCache;
}

/** Where detectDeals may keep sellOutEta results, by a key of all their inputs. */
export interface EtaCache {
  get(key: string): SellOutEta | undefined;
  set(key: string, value: SellOutEta): void;
}

interface Live {
  p: SnapshotPoint;
  idx: number;
  c: number | null;
  q: number | null;
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
  const newestIdx = pts.length - 1;
  // Stale after 3 of the current capture intervals (the newest ones), whatever older history holds.
  const staleAfterMs = opts.staleAfterMs ?? defaultStaleAfterMs(pts.slice(-(INTERVAL_GAPS + 1)));
  const prov = provenanceOf(pts, now, staleAfterMs);
  return runs.map((run) =>
    analyseRun(pts, run, {
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
      contexts: opts.contexts ?? [],
      etaCache: opts.etaCache,
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
  contexts: readonly DealContext[];
  etaCache?: EtaCache;
}

type CurvePoint = { at: number; units: number };
type IndexedCurvePoint = CurvePoint & { idx: number };

/** Where the run sits among the captures, and whether its badge still shows at the newest one. */
interface RunVisibility {
  lastRunIdx: number;
  firstSeenAt: number;
  lastSeenAt: number;
  badgeMissedOnce: boolean;
  stillShowing: boolean;
}

/**
 * A single newest capture without the badge is not enough to call the deal over: sources miss a
 * badge now and then. Two captures without it are (see also the sold-out inference).
 */
function runVisibility(pts: readonly SnapshotPoint[], run: DealRun, newestIdx: number): RunVisibility {
  const lastRunIdx = run.indices[run.indices.length - 1];
  const afterRun = newestIdx - lastRunIdx;
  const badgeMissedOnce =
    afterRun === 1 && pts[newestIdx].dealType === 'NONE' && (run.dealEndsAt === null || pts[newestIdx].at < run.dealEndsAt);
  return {
    lastRunIdx,
    firstSeenAt: pts[run.indices[0]].at,
    lastSeenAt: pts[lastRunIdx].at,
    badgeMissedOnce,
    stillShowing: afterRun === 0 || badgeMissedOnce,
  };
}

/** The run's explainer: its inputs, the data provenance, and the badge-miss and staleness notes. */
function runExplainer(run: DealRun, vis: RunVisibility, ctx: Ctx): Explainer {
  const ex = new Explainer('deal analysis: claim curve u = % claimed × quantity ÷ 100; ETA by drain fit', {
    type: run.type,
    captures: run.indices.length,
    firstSeenAt: isoOrNull(vis.firstSeenAt),
    lastSeenAt: isoOrNull(vis.lastSeenAt),
    scheduledStartAt: isoOrNull(run.dealStartsAt),
    scheduledEndAt: isoOrNull(run.dealEndsAt),
  });
  ex.data(toDataProvenance(ctx.prov));
  if (vis.badgeMissedOnce)
    ex.note('the newest capture did not show the deal badge; one miss is treated as a capture glitch, not the end of the deal');
  const sn = staleNote(ctx.prov);
  if (sn) ex.note(sn);
  return ex;
}

/** A run with no live reading: announced only (UPCOMING), still showing (LIVE) or gone (EXPIRED). */
function announcedOnlyDeal(run: DealRun, vis: RunVisibility, now: number, ex: Explainer): Deal {
  const upcoming = vis.stillShowing && (run.dealStartsAt === null || run.dealStartsAt > now);
  const startedAt = run.dealStartsAt ?? vis.firstSeenAt;
  ex.note(upcoming ? 'announced, not yet live' : 'announced but never seen live');
  const unseen = !upcoming && vis.stillShowing ? unseenEnd(run, startedAt, vis, now, ex) : null;
  const status = upcoming ? 'UPCOMING' : vis.stillShowing && unseen === null ? 'LIVE' : 'EXPIRED';
  const d = emptyDeal(
    run,
    status,
    startedAt,
    vis.firstSeenAt,
    vis.lastSeenAt,
    ex,
    upcoming ? 'the deal has not started' : 'no live readings',
  );
  return unseen === null ? d : { ...d, endedAt: unseen, endInferred: true };
}

/**
 * Start of the deal and its bracket (timing.ts dealStart): the scheduled start, the first reading
 * when its claims are still ~0, else back-dated by the early intensity between the previous capture
 * and the first reading showing the deal.
 */
function dealStartedAt(
  pts: readonly SnapshotPoint[],
  run: DealRun,
  firstLive: Live,
  curve: readonly CurvePoint[],
  unitsPerPercent: number,
  ex: Explainer,
): DealStart {
  const start = dealStart({
    type: run.type,
    scheduledStartAt: run.dealStartsAt,
    previousCaptureAt: firstLive.idx > 0 ? pts[firstLive.idx - 1].at : null,
    firstAt: firstLive.p.at,
    firstClaimedPercent: firstLive.c,
    curve,
    unitsPerPercent,
  });
  ex.step('startedAt', isoOrNull(start.startedAt), start.reason).step(
    'start uncertainty (h)',
    start.uncertaintyHours === null ? null : round(start.uncertaintyHours, 3),
    start.uncertaintyHours === 0
      ? 'exact'
      : `started between ${start.earliest === null ? 'an unknown time (no earlier capture)' : isoOrNull(start.earliest)} and ${isoOrNull(start.latest)}`,
  );
  return start;
}

/** The deal quantity at each live reading, where it came from, its band and the batch releases it shows. */
interface QuantityRead {
  source: QuantitySource;
  qLower: number | null;
  qUpper: number | null;
  batches: DealBatch[];
  qAt: (l: Live) => number | null;
}

/** GIVEN quantity: carried forward between readings; every increase is a batch release. */
function givenQuantity(live: readonly Live[], given: readonly Live[]): QuantityRead {
  const batches: DealBatch[] = [];
  let lastQ = given[0].q as number;
  const qs = new Map<number, number>();
  for (const l of live) {
    if (l.q !== null) {
      if (l.q > lastQ) batches.push({ at: l.p.at, quantity: l.q - lastQ, source: 'DEAL_QUANTITY_INCREASE' });
      lastQ = l.q;
    }
    qs.set(l.idx, lastQ);
  }
  return { source: 'GIVEN', qLower: null, qUpper: null, batches, qAt: (l) => qs.get(l.idx) ?? null };
}

/** Index of the first drop of % claimed by more than half a point (a batch release), or live.length. */
function firstClaimDrop(live: readonly Live[]): number {
  for (let i = 1; i < live.length; i++) {
    const a = live[i - 1].c;
    const b = live[i].c;
    if (a !== null && b !== null && b < a - 0.5) return i;
  }
  return live.length;
}

/**
 * Quantity after a batch release seen as a drop of % claimed from c to c′: units stay continuous
 * across the batch, c·Q = c′·Q′, so Q′ = Q·c ÷ c′ (the band bounds scale by the same c ÷ c′).
 */
export function quantityAfterClaimDrop(quantity: number, claimedBefore: number, claimedAfter: number): number {
  return (quantity * claimedBefore) / claimedAfter;
}

/**
 * IMPLIED quantity (impliedDealQuantity) from the readings before the first drop of % claimed, then
 * rescaled at every later drop (quantityAfterClaimDrop); UNKNOWN when it cannot be implied. A deal
 * holds whole units: the point estimate is rounded, the band widened to whole units (⌊lower⌋,
 * ⌈upper⌉) so it still covers what it covered.
 */
function impliedQuantity(live: readonly Live[], ex: Explainer): QuantityRead {
  const imp = impliedDealQuantity(
    live.slice(0, firstClaimDrop(live)).map((l) => ({ stock: l.p.stock, stockIsLowerBound: l.p.stockIsLowerBound, claimedPercent: l.c })),
  );
  if (!imp) return { source: 'UNKNOWN', qLower: null, qUpper: null, batches: [], qAt: () => null };
  const batches: DealBatch[] = [];
  let qLower = Math.floor(imp.lower);
  let qUpper = Math.ceil(imp.upper);
  let Q = Math.round(imp.quantity);
  let lastC: number | null = null;
  const qs = new Map<number, number>();
  for (const l of live) {
    if (l.c !== null) {
      if (lastC !== null && l.c < lastC - 0.5 && l.c > 0) {
        const Q2 = Math.round(quantityAfterClaimDrop(Q, lastC, l.c));
        batches.push({ at: l.p.at, quantity: Q2 - Q, source: 'CLAIMED_DROP' });
        qUpper = Math.ceil(qUpper * (lastC / l.c));
        qLower = Math.floor(qLower * (lastC / l.c));
        Q = Q2;
      }
      lastC = l.c;
    }
    qs.set(l.idx, Q);
  }
  ex.step(
    'implied deal quantity',
    Math.round(imp.quantity),
    `100 × slope of stock drops on % claimed over ${imp.pairs} intervals (${round(imp.quantity, 2)}, rounded to whole units); 90 % band ${Math.floor(imp.lower)}–${Math.ceil(imp.upper)}`,
  );
  return { source: 'IMPLIED', qLower, qUpper, batches, qAt: (l) => qs.get(l.idx) ?? null };
}

/** GIVEN when any live reading carries a deal quantity, else IMPLIED or UNKNOWN. */
function dealQuantity(live: readonly Live[], ex: Explainer): QuantityRead {
  const given = live.filter((l) => l.q !== null);
  return given.length ? givenQuantity(live, given) : impliedQuantity(live, ex);
}

/**
 * Claim curve: u = % claimed × quantity ÷ 100 at each live reading (or % claimed in percent mode).
 * Units are kept non-decreasing (rounding of % claimed around a batch release can dip by a step).
 * In percent mode a drop of % claimed (a batch of unknown size) restarts the curve there.
 */
function claimCurve(
  live: readonly Live[],
  qAt: (l: Live) => number | null,
  percentMode: boolean,
): { curve: IndexedCurvePoint[]; restarted: boolean } {
  let curve: IndexedCurvePoint[] = [];
  let restarted = false;
  for (const l of live) {
    if (l.c === null) continue;
    const q = qAt(l);
    const u = percentMode ? l.c : q === null ? null : (l.c * q) / 100;
    if (u === null) continue;
    const prevU = curve.length ? curve[curve.length - 1].units : 0;
    if (percentMode && u < prevU - 0.5) {
      curve = [];
      restarted = true;
    }
    curve.push({ at: l.p.at, units: percentMode ? u : Math.max(u, prevU), idx: l.idx });
  }
  return { curve, restarted };
}

/**
 * First sold-out live reading: 100 % claimed, or exact stock 0 while a deal with claims is live (a
 * flag deal such as a coupon has no allocation of its own: the listing running dry does not "sell
 * out" the coupon). −1 when none.
 */
function soldOutIndex(live: readonly Live[], hasClaims: boolean): number {
  for (let i = 0; i < live.length; i++) {
    const l = live[i];
    if ((l.c !== null && l.c >= 100) || (hasClaims && l.p.stock === 0 && !l.p.stockIsLowerBound)) return i;
  }
  return -1;
}

/**
 * Sell-out moment between the last reading below full (time t₀, units u₀) and the first sold-out
 * reading t₁: t = min(t₁, max(t₀, t₀ + (full − u₀) ÷ r)) with r the trailing rate at t₀ (units/h);
 * the midpoint (t₀ + t₁) ÷ 2 when there is no positive rate.
 */
export function backdatedSoldOutAt(prev: CurvePoint, soldAt: number, full: number, ratePerHour: number | null): number {
  const left = full - prev.units;
  if (ratePerHour !== null && ratePerHour > 0) return Math.min(soldAt, Math.max(prev.at, prev.at + (left / ratePerHour) * HOUR_MS));
  return (prev.at + soldAt) / 2;
}

/** soldOutAt from a sold-out reading, back-dated on the claim curve (backdatedSoldOutAt) when it has a predecessor. */
function soldOutAtReading(
  curve: readonly IndexedCurvePoint[],
  soldReading: Live,
  full: number | null,
  windowMs: number,
  ex: Explainer,
): number {
  let soldOutAt = soldReading.p.at;
  const k = curve.findIndex((c) => c.idx === soldReading.idx);
  if (k > 0) soldOutAt = backdatedSoldOutAt(curve[k - 1], soldReading.p.at, full ?? curve[k].units, trailingRate(curve, k - 1, windowMs));
  ex.step(
    'soldOutAt',
    isoOrNull(soldOutAt),
    soldReading.c !== null && soldReading.c >= 100
      ? 'first reading at 100 % claimed, back-dated by units left ÷ rate'
      : 'stock reached 0 while the deal was live',
  );
  return soldOutAt;
}

/**
 * A deal with claims whose badge vanished from two captures, the first well before the scheduled end
 * (the marketplace drops a sold-out deal's badge; one missing capture could be a miss): SOLD_OUT when
 * what was left could go by the first capture without the badge at up to three times the recent
 * rate (left ÷ r ≤ 3 × gap), else ENDED_EARLY (pulled or cancelled). null when the rule does not apply.
 */
function vanishedBadgeOutcome(
  pts: readonly SnapshotPoint[],
  run: DealRun,
  vis: RunVisibility,
  curve: readonly IndexedCurvePoint[],
  full: number | null,
  windowMs: number,
): 'SOLD_OUT' | 'ENDED_EARLY' | null {
  const nextAfterRun = vis.lastRunIdx + 1 < pts.length ? pts[vis.lastRunIdx + 1] : null;
  const confirmed = vis.lastRunIdx + 2 < pts.length && pts[vis.lastRunIdx + 2].dealType !== run.type;
  const scheduledEndAt = run.dealEndsAt;
  if (vis.stillShowing || !confirmed || scheduledEndAt === null || !nextAfterRun || !curve.length) return null;
  if (nextAfterRun.at >= scheduledEndAt - 5 * 60_000) return null;
  const lastCurve = curve[curve.length - 1];
  const r = trailingRate(curve, curve.length - 1, windowMs);
  const left = Math.max(0, (full ?? lastCurve.units) - lastCurve.units);
  const gapH = (nextAfterRun.at - lastCurve.at) / HOUR_MS;
  return left === 0 || (r !== null && r > 0 && left / r <= 3 * gapH) ? 'SOLD_OUT' : 'ENDED_EARLY';
}

/**
 * Inferred sell-out moment after the badge vanished at `nextAt`: last reading + units left ÷ rate,
 * at most `nextAt`; the midpoint when there is no positive rate. The point (t, full) closes the curve.
 */
function inferredSoldOutAt(curve: IndexedCurvePoint[], full: number | null, nextAt: number, windowMs: number): number {
  const lastCurve = curve[curve.length - 1];
  const fullUnits = full ?? lastCurve.units;
  const r = trailingRate(curve, curve.length - 1, windowMs);
  const left = Math.max(0, fullUnits - lastCurve.units);
  const soldOutAt = r !== null && r > 0 ? Math.min(nextAt, lastCurve.at + (left / r) * HOUR_MS) : (lastCurve.at + nextAt) / 2;
  curve.push({ at: soldOutAt, units: fullUnits, idx: -1 });
  return soldOutAt;
}

/**
 * End of an expired deal: the scheduled end when it falls between the last live reading and the
 * next capture; else midway to the next capture when that is ≤ 2 h later; else the scheduled end
 * (if passed, capped at the next capture) or the last live reading.
 */
function expiredEndAt(nextAt: number | null, lastLiveAt: number, scheduledEndAt: number | null, now: number): number {
  if (scheduledEndAt !== null && scheduledEndAt >= lastLiveAt && (nextAt === null || scheduledEndAt <= nextAt)) return scheduledEndAt;
  if (nextAt !== null && nextAt - lastLiveAt <= 2 * HOUR_MS) return (lastLiveAt + nextAt) / 2;
  return scheduledEndAt !== null && scheduledEndAt <= now ? Math.min(scheduledEndAt, nextAt ?? scheduledEndAt) : lastLiveAt;
}

/** How a live deal stands: sold out (and when), still live, or expired (and when it ended). */
interface Outcome {
  status: DealStatus;
  /** % claimed at the last live reading that shows it. */
  lastC: number | null;
  soldIdx: number;
  soldReading: Live | null;
  inferredSoldOut: boolean;
  soldOutAt: number | null;
  endedAt: number | null;
  /** No capture saw the end: it is the scheduled end or the type's longest run (timing.ts inferredEnd). */
  endInferred: boolean;
}

/** Status and end of a deal with live readings; may close `curve` with an inferred sell-out point. */
function dealOutcome(
  pts: readonly SnapshotPoint[],
  run: DealRun,
  vis: RunVisibility,
  live: readonly Live[],
  curve: IndexedCurvePoint[],
  full: number | null,
  startedAt: number,
  ctx: Ctx,
  ex: Explainer,
): Outcome {
  const hasClaims = live.some((l) => l.c !== null);
  const soldIdx = soldOutIndex(live, hasClaims);
  const soldReading = soldIdx >= 0 ? live[soldIdx] : null;
  const lastC = [...live].reverse().find((l) => l.c !== null)?.c ?? null;
  let soldOutAt = soldReading ? soldOutAtReading(curve, soldReading, full, ctx.windowMs, ex) : null;
  const vanished = !soldReading && hasClaims ? vanishedBadgeOutcome(pts, run, vis, curve, full, ctx.windowMs) : null;
  if (vanished === 'ENDED_EARLY')
    ex.note(
      `the deal disappeared at ${lastC ?? '—'} % claimed, well before its scheduled end and faster than it could have sold out: ended early (pulled or cancelled)`,
    );
  const nextAt = vis.lastRunIdx + 1 < pts.length ? pts[vis.lastRunIdx + 1].at : null;
  const inferredSoldOut = vanished === 'SOLD_OUT';
  if (inferredSoldOut && nextAt !== null) {
    soldOutAt = inferredSoldOutAt(curve, full, nextAt, ctx.windowMs);
    ex.step(
      'soldOutAt',
      isoOrNull(soldOutAt),
      `inferred: the deal disappeared at ${isoOrNull(nextAt)}, before its scheduled end, at ${lastC ?? '—'} % claimed; last reading + units left ÷ rate, at most the first reading without it`,
    );
    ex.note('sold out inferred from the badge disappearing before the scheduled end');
  }
  const scheduledEndAt = run.dealEndsAt;
  let status: DealStatus;
  if (soldReading || inferredSoldOut) status = 'SOLD_OUT';
  else if (vis.stillShowing && (scheduledEndAt === null || scheduledEndAt > ctx.now)) status = 'LIVE';
  else status = 'EXPIRED';
  let endedAt: number | null = null;
  let endInferred = false;
  if (status === 'SOLD_OUT') endedAt = soldOutAt;
  else if (status === 'LIVE') {
    const end = unseenEnd(run, startedAt, vis, ctx.now, ex);
    if (end !== null) [status, endedAt, endInferred] = ['EXPIRED', end, true];
  } else {
    endedAt = expiredEndAt(nextAt, live[live.length - 1].p.at, scheduledEndAt, ctx.now);
    endInferred = nextAt === null;
    if (scheduledEndAt !== null && nextAt !== null && scheduledEndAt > nextAt) ex.note('the deal disappeared before its scheduled end');
    if (endInferred) ex.note('no capture after the last reading showing the deal: the end is its scheduled end (inferred)');
  }
  return { status, lastC, soldIdx, soldReading, inferredSoldOut, soldOutAt, endedAt, endInferred };
}

/**
 * A deal still showing at the newest capture that, by now, must have ended (timing.ts inferredEnd:
 * its scheduled end, else its type's longest run): that end, noted as inferred; null while it can
 * still be running.
 */
function unseenEnd(run: DealRun, startedAt: number, vis: RunVisibility, now: number, ex: Explainer): number | null {
  const end = inferredEnd(run.type, startedAt, vis.lastSeenAt, run.dealEndsAt);
  if (now <= end) return null;
  ex.note(
    `no capture since ${isoOrNull(vis.lastSeenAt)}; ended at ${isoOrNull(end)}, ${run.dealEndsAt !== null ? 'its scheduled end' : `the longest a ${run.type} deal runs (${round((end - startedAt) / HOUR_MS, 2)} h after its start)`} (inferred, not observed)`,
  );
  return end;
}

/** Cumulative units at t on the curve, linear between readings, flat beyond its ends. */
function unitsAt(rc: readonly CurvePoint[], t: number): number {
  if (t <= rc[0].at) return rc[0].units;
  for (let i = 1; i < rc.length; i++)
    if (t <= rc[i].at) return rc[i - 1].units + ((rc[i].units - rc[i - 1].units) * (t - rc[i - 1].at)) / (rc[i].at - rc[i - 1].at);
  return rc[rc.length - 1].units;
}

/** Grid steps per window of the peak search: window ends every w ÷ 12 (5 minutes for 1 h). */
export const PEAK_GRID_STEPS_PER_WINDOW = 12;

/**
 * Velocity now = trailing rate at the newest reading. Peak and peak period on a time grid that does
 * not depend on the captures: window counts N(t) = U(t) − U(t − w) for the windows [t − w, t] inside
 * the curve, t every w ÷ PEAK_GRID_STEPS_PER_WINDOW (one window over the whole curve when it is
 * shorter than w), U interpolated linearly between readings. Peak rate = max N ÷ w. The peak period
 * is the union of the contiguous windows around the highest one whose count is within reach of it:
 * N ≥ min(0.8·N_max, N_max − 2√N_max) — the 80 % rule, widened by two Poisson standard deviations
 * of the peak count so that noise in a steady drain does not cut the period into fragments. Its
 * slope = units ÷ hours over it. (Trailing rates at each reading instead made the peak depend on
 * the cadence: a 5-minute window right after the start is noise.)
 */
export function dealRates(
  rc: readonly CurvePoint[],
  windowMs: number,
): { velocityNow: number | null; peak: number | null; peakPeriod: PeakPeriod | null } {
  if (rc.length < 2) return { velocityNow: null, peak: null, peakPeriod: null };
  const velocityNow = trailingRate(rc, rc.length - 1, windowMs);
  const t0 = rc[0].at;
  const tEnd = rc[rc.length - 1].at;
  const w = Math.min(windowMs, tEnd - t0);
  if (!(w > 0)) return { velocityNow, peak: null, peakPeriod: null };
  const step = windowMs / PEAK_GRID_STEPS_PER_WINDOW;
  const ends: number[] = [];
  for (let i = 0; t0 + w + i * step <= tEnd; i++) ends.push(t0 + w + i * step);
  if (!ends.length || ends[ends.length - 1] < tEnd) ends.push(tEnd);
  const counts = ends.map((t) => unitsAt(rc, t) - unitsAt(rc, t - w));
  let pi = 0;
  // The first of equal windows (up to rounding of the interpolation) is the peak.
  for (let i = 1; i < counts.length; i++) if (counts[i] > counts[pi] * (1 + 1e-9) + 1e-9) pi = i;
  const nMax = counts[pi];
  if (!(nMax > 0)) return { velocityNow, peak: null, peakPeriod: null };
  const floor = Math.min(0.8 * nMax, nMax - 2 * Math.sqrt(nMax));
  let a = pi;
  let b = pi;
  while (a > 0 && counts[a - 1] >= floor) a--;
  while (b + 1 < counts.length && counts[b + 1] >= floor) b++;
  const start = ends[a] - w;
  const end = ends[b];
  const units = unitsAt(rc, end) - unitsAt(rc, start);
  const hours = (end - start) / HOUR_MS;
  return { velocityNow, peak: (nMax * HOUR_MS) / w, peakPeriod: { start, end, slopePerHour: units / hours, units } };
}

/**
 * Plateaus: ≥ minCaptures consecutive live readings (before sell-out) with no change in % claimed
 * or exact stock. expectedUnits = r × hours, r the trailing rate where the plateau starts;
 * suspicious when expectedUnits ≥ 3 × step (one resolution step: 1 % of the quantity, at least 1).
 */
export function findPlateaus(
  liveBeforeSold: readonly Live[],
  rc: readonly CurvePoint[],
  minCaptures: number,
  windowMs: number,
  step: number,
): Plateau[] {
  const plateaus: Plateau[] = [];
  let runStart = 0;
  const same = (a: Live, b: Live) =>
    a.c === b.c && (a.p.stock === null || b.p.stock === null || a.p.stockIsLowerBound || b.p.stockIsLowerBound || a.p.stock === b.p.stock);
  for (let i = 1; i <= liveBeforeSold.length; i++) {
    if (i < liveBeforeSold.length && same(liveBeforeSold[i - 1], liveBeforeSold[i])) continue;
    const n = i - runStart;
    if (n >= minCaptures && liveBeforeSold[runStart].c !== null) {
      const s = liveBeforeSold[runStart].p.at;
      const e = liveBeforeSold[i - 1].p.at;
      const k = rc.findIndex((c) => c.at >= s);
      const r = k > 0 ? (trailingRate(rc, k, windowMs) ?? 0) : 0;
      const expected = (r * (e - s)) / HOUR_MS;
      plateaus.push({ start: s, end: e, captures: n, hours: (e - s) / HOUR_MS, expectedUnits: expected, suspicious: expected >= 3 * step });
    }
    runStart = i;
  }
  return plateaus;
}

/** Adds restock events inside the live phase that no quantity change within 2 h explains, then sorts by time. */
function addRestockBatches(batches: DealBatch[], restocks: readonly RestockEvent[], fromAt: number, toAt: number): void {
  for (const e of restocks) {
    if (e.kind === 'FLAP' || e.at < fromAt || e.at > toAt) continue;
    if (batches.some((b) => Math.abs(b.at - e.at) <= 2 * HOUR_MS)) continue;
    batches.push({ at: e.at, quantity: e.quantity, source: 'STOCK_RESTOCK' });
  }
  batches.sort((a, b) => a.at - b.at);
}

interface EtaRead {
  eta: SellOutEtaMs | null;
  etaReason: string | null;
  probability: number | null;
  drainFit: DrainFit | null;
}

/** sellOutEta through the caller's memo, when it gave one (the key holds every input). */
function memoEta(curve: ClaimCurvePoint[], opts: SellOutEtaOptions, cache: EtaCache | undefined): SellOutEta {
  if (!cache) return sellOutEta(curve, opts);
  const key = JSON.stringify([curve, opts]);
  let r = cache.get(key);
  if (!r) {
    r = sellOutEta(curve, opts);
    cache.set(key, r);
  }
  return r;
}

/**
 * ETA of a live deal (drain.ts) on the claim curve in hours since the start: each quantile becomes
 * max(now, last reading + hours); the probability is kept only when there is a scheduled end.
 */
function liveEta(
  rc: readonly CurvePoint[],
  startedAt: number,
  full: number | null,
  scheduledEndAt: number | null,
  percentMode: boolean,
  ctx: Ctx,
  ex: Explainer,
): EtaRead {
  const fitCurve: ClaimCurvePoint[] = rc.map((c) => ({ t: (c.at - startedAt) / HOUR_MS, units: c.units }));
  if (full === null || fitCurve.length < 2)
    return {
      eta: null,
      etaReason: full === null ? 'deal quantity unknown' : 'too few readings to fit a drain (need 2)',
      probability: null,
      drainFit: null,
    };
  const remaining = Math.max(0, full - rc[rc.length - 1].units);
  const lastAt = rc[rc.length - 1].at;
  const horizonHours = scheduledEndAt !== null ? Math.max(0, (scheduledEndAt - lastAt) / HOUR_MS) : undefined;
  const etaOpts = { remaining, seed: ctx.seed, draws: ctx.draws, horizonHours, method: ctx.etaMethod };
  const r = memoEta(fitCurve, etaOpts, ctx.etaCache);
  const probability = scheduledEndAt !== null ? r.probability : null;
  const toMs = (h: number | null) => (h === null ? null : Math.max(ctx.now, lastAt + h * HOUR_MS));
  const eta = { p10: toMs(r.p10), p50: toMs(r.p50), p90: toMs(r.p90) };
  if (r.p50 !== null && lastAt + r.p50 * HOUR_MS < ctx.now)
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
  return { eta, etaReason: r.reason, probability, drainFit: r.fit };
}

/**
 * First-quarter share f = u(start + E/4) ÷ u(end), E = end − start, on the curve extended flat to
 * the end; null with fewer than 2 points, no units or E = 0. Between the two readings around
 * start + E/4 the units follow the drain's fitted intensity r(t) ∝ e^(−k(t − start)) (k = 0: a
 * straight line): u(q) = u_a + (u_b − u_a)·(G(q) − G(a)) ÷ (G(b) − G(a)), G(t) = (1 − e^(−k(t − start))) ÷ k.
 * With hourly captures a straight line between them flattens an early rush; the intensity's shape
 * keeps f a property of the drain, not of the capture cadence (shapeIntensityK).
 */
export function firstQuarterShare(rc: readonly CurvePoint[], startedAt: number, endRef: number, k = 0): number | null {
  const E = endRef - startedAt;
  if (rc.length < 2 || !(E > 0)) return null;
  const totalU = rc[rc.length - 1].units;
  if (!(totalU > 0)) return null;
  const ext = [...rc];
  if (ext[ext.length - 1].at < endRef) ext.push({ at: endRef, units: totalU });
  const q = startedAt + E / 4;
  if (q <= ext[0].at) return ext[0].units / totalU;
  const j = ext.findIndex((p) => p.at >= q);
  if (j < 0) return 1;
  const a = ext[j - 1];
  const b = ext[j];
  const G = (t: number) => (Math.abs(k) < 1e-12 ? t - startedAt : -Math.expm1((-k * (t - startedAt)) / HOUR_MS) / (k / HOUR_MS));
  const w = (G(q) - G(a.at)) / (G(b.at) - G(a.at));
  return (a.units + (b.units - a.units) * w) / totalU;
}

/**
 * Decay k (per hour) of the log-linear intensity fitted to the claim curve from the start to endRef
 * (drain.ts fitLogLinearIntensity, |k|·E ≤ 6); 0 (a straight line) with fewer than 3 increments.
 */
export function shapeIntensityK(rc: readonly CurvePoint[], startedAt: number, endRef: number): number {
  const clipped = rc.filter((p) => p.at < endRef);
  const last = rc[rc.length - 1];
  if (clipped.length && last.units > clipped[clipped.length - 1].units) clipped.push({ at: endRef, units: last.units });
  const pts = clipped.filter((p) => p.at >= startedAt).map((p) => ({ t: (p.at - startedAt) / HOUR_MS, units: p.units }));
  if (pts.length < 4) return 0;
  return fitLogLinearIntensity(pts, 6).k;
}

/** Discount in % of a reference price: 100 × max(0, 1 − deal ÷ reference); null without both. */
export function discountPct(dealPrice: number | null, reference: number | null): number | null {
  return dealPrice !== null && reference !== null && reference > 0 ? 100 * Math.max(0, 1 - dealPrice / reference) : null;
}

/**
 * Strategy read (rules.ts) from the deal quantity, discount d = max(0, 1 − deal price ÷ reference)
 * with the median live price against the median list price (else the median no-deal price of the
 * 7 days before), and the pre-deal baseline over `baselineDays`.
 */
function strategyRead(live: readonly Live[], startedAt: number, finalQ: number | null, pre: DealContext, ctx: Ctx, ex: Explainer) {
  const livePrices = live.map((l) => l.p.price).filter((x): x is number => x !== null);
  const listPrices = live.map((l) => l.p.listPrice ?? null).filter((x): x is number => x !== null && x > 0);
  const dealPrice = median(livePrices);
  const preDealPrice = pre.preDealPrice;
  const referencePrice = median(listPrices) ?? preDealPrice;
  const discount = dealPrice !== null && referencePrice !== null && referencePrice > 0 ? Math.max(0, 1 - dealPrice / referencePrice) : null;
  const strat = classifyStrategy(
    {
      quantity: finalQ,
      discount,
      baselinePerDay: pre.baselinePerDay ?? (pre.baselineIsLowerBound ? pre.baselinePerDayLower : null),
      avgStock: pre.avgStock,
      medianBsr: pre.medianBsr,
      historyDays: (startedAt - pre.historyStartAt) / DAY_MS,
    },
    ctx.stratRules,
  );
  const listPrice = median(listPrices);
  ex.step('discount', discount === null ? null : round(discount, 4), `deal price ${dealPrice ?? '—'} vs reference ${referencePrice ?? '—'}`)
    .step('discount vs list price (%)', discountPct(dealPrice, listPrice), `list price ${listPrice ?? '—'}`)
    .step(
      'discount vs pre-deal price (%)',
      discountPct(dealPrice, preDealPrice),
      `median no-deal price of the 7 days before: ${preDealPrice ?? '—'}`,
    )
    .step('pre-deal units/day', pre.baselinePerDay === null ? null : round(pre.baselinePerDay, 3))
    .step('strategy', strat.strategy, strat.reason);
  return { strat, discount, dealPrice, referencePrice, listPrice, preDealPrice };
}

/** The run's pre-deal context: the caller's, else computed from the readings (context.ts). */
function contextOf(pts: readonly SnapshotPoint[], firstLive: Live, ctx: Ctx): DealContext {
  const kept = ctx.contexts.find((c) => c.firstLiveAt === firstLive.p.at);
  if (kept) return kept;
  return dealContext(pts.slice(0, firstLive.idx), firstLive.p.at, pts[0].at, { baselineDays: ctx.baselineDays });
}

/**
 * Restock events around the run, on the readings context.ts names (the same on every path). Only
 * readings from the run's first on are judged by the anomaly flags: batches are looked for in the
 * live phase, and the readings before it serve as the judged ones' neighbourhood.
 */
function runRestocks(pts: readonly SnapshotPoint[], run: DealRun, lastRunIdx: number): RestockEvent[] {
  const slice = restockSlice(pts, run.indices[0], lastRunIdx);
  return detectRestocks(slice, { anomalies: stockReadingFlags(slice, {}, { from: pts[run.indices[0]].at, to: Infinity }) });
}

/**
 * Units sold: the full quantity once sold out at 100 % (or inferred sold out), else the curve's last
 * units up to the sold-out reading rounded to whole units (% claimed × quantity is an estimate
 * from a rounded percentage); null in percent mode. Claimed %: 100 when inferred, else at the
 * sold-out reading, else the last reading's.
 */
function soldFigures(out: Outcome, curveUntil: readonly CurvePoint[], finalQ: number | null, percentMode: boolean) {
  const { soldReading, inferredSoldOut, lastC } = out;
  const unitsSold =
    percentMode || !curveUntil.length
      ? null
      : (soldReading && soldReading.c !== null && soldReading.c >= 100) || inferredSoldOut
        ? (finalQ as number)
        : Math.round(curveUntil[curveUntil.length - 1].units);
  const claimedPercent = inferredSoldOut ? 100 : soldReading && soldReading.c !== null ? soldReading.c : lastC;
  return { unitsSold, claimedPercent };
}

/** Sell-through: units sold ÷ quantity, or % claimed ÷ 100 in percent mode. */
function sellThrough(percentMode: boolean, finalQ: number | null, unitsSold: number | null, claimedPercent: number | null): number | null {
  if (!percentMode && finalQ && unitsSold !== null) return unitsSold / finalQ;
  return percentMode && claimedPercent !== null ? claimedPercent / 100 : null;
}

/** Rates on the curve from the start: a synthetic (startedAt, 0) anchors it when the start lies before the first reading. */
function anchoredCurve(curveUntil: readonly CurvePoint[], startedAt: number, restarted: boolean): CurvePoint[] {
  const rc = curveUntil.map((c) => ({ at: c.at, units: c.units }));
  if (!restarted && (rc.length === 0 || rc[0].at > startedAt)) rc.unshift({ at: startedAt, units: 0 });
  return rc;
}

/** Velocity now, peak and peak period (dealRates) and plateaus (findPlateaus) of the claim curve, with their explanation. */
function curveActivity(
  rc: readonly CurvePoint[],
  live: readonly Live[],
  soldIdx: number,
  finalQ: number | null,
  percentMode: boolean,
  ctx: Ctx,
  ex: Explainer,
) {
  const { velocityNow, peak, peakPeriod } = dealRates(rc, ctx.windowMs);
  ex.step(
    'velocity now (per h)',
    velocityNow === null ? null : round(velocityNow, 3),
    percentMode ? '% claimed per hour' : `units over the last ${round(ctx.windowMs / HOUR_MS, 2)} h`,
  );
  ex.step('peak velocity (per h)', peak === null ? null : round(peak, 3));
  const step = percentMode ? 1 : finalQ !== null ? Math.max(1, finalQ / 100) : 1;
  const plateaus = findPlateaus(soldIdx >= 0 ? live.slice(0, soldIdx) : live, rc, ctx.plateauN, ctx.windowMs, step);
  if (plateaus.length)
    ex.note(
      `${plateaus.length} plateau(s) of ≥ ${ctx.plateauN} captures without change; ${plateaus.filter((p) => p.suspicious).length} where the prior rate should have moved the figure (possible throttling or failure)`,
    );
  return { velocityNow, peak, peakPeriod, plateaus };
}

/** Curve shape (rules.ts) from the first-quarter share over the elapsed time start → endRef. */
function curveShapeRead(
  rc: readonly CurvePoint[],
  startedAt: number,
  endRef: number,
  percentMode: boolean,
  rules: CurveShapeRules,
  ex: Explainer,
) {
  const k = shapeIntensityK(rc, startedAt, endRef);
  const share = firstQuarterShare(rc, startedAt, endRef, k);
  const curveShape = classifyCurveShape(share, rc.length - 1, rc[rc.length - 1].units, (endRef - startedAt) / HOUR_MS, percentMode, rules);
  ex.step(
    'first-quarter share f',
    share === null ? null : round(share, 3),
    `f ≥ ${rules.frontLoadedMin} FRONT_LOADED, ≤ ${rules.backLoadedMax} BACK_LOADED, else STEADY; between readings the units follow the fitted intensity e^(−kt), k = ${round(k, 4)}/h`,
  ).step('curve shape', curveShape);
  return { share, curveShape };
}

/** One deal run as a Deal: the steps above in order, each adding its lines to the explanation. */
function analyseRun(pts: readonly SnapshotPoint[], run: DealRun, ctx: Ctx): Deal {
  const vis = runVisibility(pts, run, ctx.newestIdx);
  const ex = runExplainer(run, vis, ctx);
  const live: Live[] = run.liveIndices.map((i) => ({ p: pts[i], idx: i, c: pts[i].dealClaimedPercent, q: pts[i].dealQuantity }));
  if (!live.length) return announcedOnlyDeal(run, vis, ctx.now, ex);

  const quantity = dealQuantity(live, ex);
  const percentMode = quantity.source === 'UNKNOWN';
  const { curve, restarted } = claimCurve(live, quantity.qAt, percentMode);
  if (restarted) ex.note('% claimed dropped (a batch of unknown size): the claim curve restarts at the drop');
  const unitsPerPercent = percentMode ? 1 : (quantity.qAt(live[0]) ?? 100) / 100;
  const start = dealStartedAt(pts, run, live[0], restarted ? [] : curve, unitsPerPercent, ex);
  const startedAt = start.startedAt;
  const lastLive = live[live.length - 1];
  const finalQ = percentMode ? null : quantity.qAt(lastLive);
  const full = percentMode ? 100 : finalQ;
  const out = dealOutcome(pts, run, vis, live, curve, full, startedAt, ctx, ex);
  const curveUntil = out.soldReading ? curve.filter((c) => c.at <= (out.soldReading as Live).p.at) : curve;
  const { unitsSold, claimedPercent } = soldFigures(out, curveUntil, finalQ, percentMode);
  const endRef = out.endedAt ?? lastLive.p.at;
  const durationHours = Math.max(0, (endRef - startedAt) / HOUR_MS);
  ex.step('status', out.status).step('duration (h)', round(durationHours, 3));

  const rc = anchoredCurve(curveUntil, startedAt, restarted);
  const { velocityNow, peak, peakPeriod, plateaus } = curveActivity(rc, live, out.soldIdx, finalQ, percentMode, ctx, ex);
  const batches = quantity.batches;
  addRestockBatches(batches, runRestocks(pts, run, vis.lastRunIdx), live[0].p.at, lastLive.p.at);
  if (batches.length)
    ex.note(
      `${batches.length} batch release(s) during the deal: ${batches.map((b) => `${isoOrNull(b.at)} +${round(b.quantity, 0)}`).join(', ')}`,
    );

  let eta: EtaRead = { eta: null, etaReason: `ended at ${isoOrNull(out.endedAt)} without selling out`, probability: null, drainFit: null };
  if (out.status === 'LIVE') eta = liveEta(rc, startedAt, full, run.dealEndsAt, percentMode, ctx, ex);
  else if (out.status === 'SOLD_OUT') eta = { ...eta, etaReason: `sold out at ${isoOrNull(out.soldOutAt)}` };

  const { share, curveShape } = curveShapeRead(rc, startedAt, endRef, percentMode, ctx.shapeRules, ex);
  const { strat, discount, dealPrice, referencePrice, listPrice, preDealPrice } = strategyRead(
    live,
    startedAt,
    finalQ,
    contextOf(pts, live[0], ctx),
    ctx,
    ex,
  );

  const sellThroughRate = sellThrough(percentMode, finalQ, unitsSold, claimedPercent);
  ex.step('units sold', unitsSold)
    .step('claimed %', claimedPercent)
    .step('deal quantity', finalQ === null ? null : round(finalQ, 1), quantity.source)
    .step('sell-through (sold ÷ quantity)', sellThroughRate === null ? null : round(sellThroughRate, 4));
  if (percentMode)
    ex.note('deal quantity unknown and not implied (censored or missing stock): figures are in % claimed, unit velocities are null');

  return {
    id: `${run.type}:${Math.round(startedAt)}`,
    type: run.type,
    status: out.status,
    startedAt,
    startedAtEarliest: start.earliest,
    startedAtLatest: start.latest,
    startUncertaintyHours: start.uncertaintyHours,
    endedAt: out.endedAt,
    endInferred: out.endInferred,
    scheduledStartAt: run.dealStartsAt,
    scheduledEndAt: run.dealEndsAt,
    firstSeenAt: vis.firstSeenAt,
    lastSeenAt: vis.lastSeenAt,
    captures: run.indices.length,
    dealQuantity: finalQ,
    dealQuantityLower: quantity.source === 'GIVEN' ? finalQ : quantity.qLower,
    dealQuantityUpper: quantity.source === 'GIVEN' ? finalQ : quantity.qUpper,
    dealQuantitySource: quantity.source,
    unitsSold,
    claimedPercent,
    remainingUnits: !percentMode && finalQ !== null && unitsSold !== null ? Math.max(0, finalQ - unitsSold) : null,
    velocityPerHour: percentMode ? null : velocityNow,
    peakVelocityPerHour: percentMode ? null : peak,
    velocityPercentPerHour: velocityNow === null ? null : percentMode ? velocityNow : finalQ ? (100 * velocityNow) / finalQ : null,
    sellOutEta: eta.eta,
    sellOutEtaReason: eta.etaReason,
    sellOutProbability: eta.probability,
    drainModel: eta.drainFit ? eta.drainFit.model : null,
    drainFit: eta.drainFit,
    soldOutAt: out.soldOutAt,
    sellThroughRate,
    durationHours,
    peakPeriod,
    plateaus,
    curveShape,
    firstQuarterShare: share,
    strategy: strat.strategy,
    strategyReason: strat.reason,
    discountPercent: discount === null ? null : 100 * discount,
    discountVsListPercent: discountPct(dealPrice, listPrice),
    discountVsPreDealPercent: discountPct(dealPrice, preDealPrice),
    dealPrice,
    referencePrice,
    listPrice,
    preDealPrice,
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
    startedAtEarliest: startedAt,
    startedAtLatest: startedAt,
    startUncertaintyHours: 0,
    endedAt: status === 'EXPIRED' ? lastSeenAt : null,
    endInferred: false,
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
    discountVsListPercent: null,
    discountVsPreDealPercent: null,
    dealPrice: null,
    referencePrice: null,
    listPrice: null,
    preDealPrice: null,
    restockBatches: [],
    claimCurve: [],
    percentMode: true,
    explanation: ex.build(),
  };
}
