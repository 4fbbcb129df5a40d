/**
 * A competitor's normal state over a window (typically the 7–14 days of ordinary stock before a
 * deal, the reference a deal is measured against): average stock, daily consumption with a band,
 * and the usual restock cycle.
 *
 *   avgStock          time-weighted mean of readings (each holds until the next, at most maxGap)
 *   dailyConsumption  velocity() over the window with deal periods and out-of-stock time left out
 *                     (a stockout shows no sales but demand was not zero; a deal is not normal)
 *   restockCycle      median and mean days between restocks (FROM_ZERO/JUMP, confidence ≥ 0.5)
 *                     over `cycleLookbackDays`, so that a 14-day window still sees a monthly cycle
 */
import { Explainer, type Explanation } from '../explain';
import { detectRestocks, type RestockOptions } from '../restock/detect';
import { dealRanges } from './dealRuns';
import { DEFAULT_MAX_GAP_MS } from './intervals';
import { isoOrNull, quantileSorted, round } from './provenance';
import { DAY_MS, type Estimate, HOUR_MS, type SnapshotPoint } from './types';
import { validateNow, validatePoints, validatePositive, validateRange } from './validate';
import { velocity, type VelocityResult } from './velocity';

export interface BaselineOptions {
  now: number;
  /** Window end. Default: now. */
  to?: number;
  /** Window length in days when `from` is not given. Default 14. */
  days?: number;
  from?: number;
  /** Leave deal periods out of consumption. Default true. */
  excludeDeals?: boolean;
  /** History used for the restock cycle, in days before `to`. Default 60. */
  cycleLookbackDays?: number;
  restock?: RestockOptions;
  staleAfterMs?: number;
}

export interface RestockCycle {
  restocks: number;
  meanDays: number | null;
  medianDays: number | null;
  lastRestockAt: number | null;
  /** Last restock + median cycle (null with fewer than 2 restocks). */
  nextExpectedAt: number | null;
}

export interface Baseline {
  from: number;
  to: number;
  /** Days between the first and last reading inside the window. */
  coveredDays: number;
  avgStock: number | null;
  /** True when censored readings entered the average (real stock was higher). */
  avgStockIsLowerBound: boolean;
  minStock: number | null;
  maxStock: number | null;
  dailyConsumption: Estimate;
  consumptionIsLowerBound: boolean;
  outOfStockHours: number;
  restockCycle: RestockCycle;
  velocity: VelocityResult;
  explanation: Explanation;
}

export function baseline(points: readonly SnapshotPoint[], opts: BaselineOptions): Baseline {
  validatePoints(points);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  validateRange(opts.from, opts.to);
  const days = opts.days ?? 14;
  validatePositive(days, 'days');
  const lookback = opts.cycleLookbackDays ?? 60;
  validatePositive(lookback, 'cycleLookbackDays');
  const to = opts.to ?? opts.now;
  const from = opts.from ?? to - days * DAY_MS;
  const excludeDeals = opts.excludeDeals ?? true;

  const deals = excludeDeals ? dealRanges(points) : [];
  const v = velocity(points, { now: opts.now, from, to, exclude: deals, excludeOutOfStock: true, staleAfterMs: opts.staleAfterMs });

  // Time-weighted stock level and out-of-stock time.
  let wSum = 0;
  let w = 0;
  let lb = false;
  let min: number | null = null;
  let max: number | null = null;
  let oos = 0;
  let firstIn: number | null = null;
  let lastIn: number | null = null;
  const known = points.filter((p) => p.stock !== null && p.at <= to);
  for (let i = 0; i < known.length; i++) {
    const p = known[i];
    if (p.at >= from) {
      firstIn ??= p.at;
      lastIn = p.at;
      const s = p.stock as number;
      min = min === null ? s : Math.min(min, s);
      max = max === null ? s : Math.max(max, s);
    }
    const next = i + 1 < known.length ? known[i + 1].at : to;
    const segStart = Math.max(p.at, from);
    const segEnd = Math.min(next, to, p.at + DEFAULT_MAX_GAP_MS);
    if (segEnd <= segStart) continue;
    const h = (segEnd - segStart) / HOUR_MS;
    wSum += (p.stock as number) * h;
    w += h;
    if (p.stockIsLowerBound) lb = true;
    if (p.stock === 0 && !p.stockIsLowerBound) oos += h;
  }
  const avgStock = w > 0 ? wSum / w : null;

  // Restock cycle over a longer lookback.
  const cycleFrom = to - lookback * DAY_MS;
  const events = detectRestocks(
    points.filter((p) => p.at <= to && p.at >= cycleFrom),
    opts.restock ?? {},
  ).filter((e) => e.kind !== 'FLAP' && e.confidence >= 0.5);
  const gaps: number[] = [];
  for (let i = 1; i < events.length; i++) gaps.push((events[i].at - events[i - 1].at) / DAY_MS);
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const medianDays = sortedGaps.length ? quantileSorted(sortedGaps, 0.5) : null;
  const meanDays = gaps.length ? gaps.reduce((s, g) => s + g, 0) / gaps.length : null;
  const lastRestockAt = events.length ? events[events.length - 1].at : null;
  const restockCycle: RestockCycle = {
    restocks: events.length,
    meanDays,
    medianDays,
    lastRestockAt,
    nextExpectedAt: lastRestockAt !== null && medianDays !== null ? lastRestockAt + medianDays * DAY_MS : null,
  };

  const coveredDays = firstIn !== null && lastIn !== null ? (lastIn - firstIn) / DAY_MS : 0;
  const ex = new Explainer('baseline = {time-weighted avg stock, velocity excl. deals & stockouts × 24, median days between restocks}', {
    from: isoOrNull(from),
    to: isoOrNull(to),
    days: round((to - from) / DAY_MS, 3),
    excludeDeals,
    cycleLookbackDays: lookback,
  })
    .step('covered days', round(coveredDays, 3))
    .step('avg stock', avgStock === null ? null : round(avgStock, 3), lb ? 'includes censored readings: a lower bound' : undefined)
    .step('out-of-stock hours (left out of consumption)', round(oos, 3))
    .step('daily consumption', v.perDay.value === null ? null : round(v.perDay.value, 3))
    .step('daily consumption lower', round(v.perDay.lower, 3))
    .step('daily consumption upper', v.perDay.upper === null ? null : round(v.perDay.upper, 3))
    .step('restocks in lookback', events.length)
    .step('median restock cycle (days)', medianDays === null ? null : round(medianDays, 3))
    .data(v.explanation.data ?? { source: null, newestAt: null, ageHours: null, stale: true });
  if (coveredDays < 7) ex.note(`only ${round(coveredDays, 2)} days of readings in the window: a baseline wants 7–14 days`);
  for (const n of v.explanation.notes) ex.note(`consumption: ${n}`);
  if (events.length < 2) ex.note('fewer than 2 restocks in the lookback: no restock cycle');

  return {
    from,
    to,
    coveredDays,
    avgStock,
    avgStockIsLowerBound: lb,
    minStock: min,
    maxStock: max,
    dailyConsumption: v.perDay,
    consumptionIsLowerBound: v.isLowerBoundOnly,
    outOfStockHours: oos,
    restockCycle,
    velocity: v,
    explanation: ex.build(),
  };
}
