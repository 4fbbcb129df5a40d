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

/** Stock over the window: time-weighted mean, its censoring, range, out-of-stock hours and covered days. */
export interface StockLevels {
  avgStock: number | null;
  avgStockIsLowerBound: boolean;
  minStock: number | null;
  maxStock: number | null;
  outOfStockHours: number;
  coveredDays: number;
}

/**
 * Time-weighted stock level over [from, to]: each known reading holds until the next one, for at most
 * DEFAULT_MAX_GAP_MS, clipped to the window, so with h_i the hours reading s_i holds inside the window
 *
 *   avgStock = Σ s_i·h_i / Σ h_i   (null when Σ h_i = 0),   outOfStockHours = Σ h_i over exact zeros
 *
 * (a step-function, last-observation-carried-forward mean). A reading before `from` counts for the part of its
 * hold inside the window; min, max and covered days use the readings inside the window only.
 */
export function stockLevels(points: readonly SnapshotPoint[], from: number, to: number): StockLevels {
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
  return {
    avgStock: w > 0 ? wSum / w : null,
    avgStockIsLowerBound: lb,
    minStock: min,
    maxStock: max,
    outOfStockHours: oos,
    coveredDays: firstIn !== null && lastIn !== null ? (lastIn - firstIn) / DAY_MS : 0,
  };
}

/**
 * The restock cycle from the restock instants t_1 < … < t_k (FROM_ZERO/JUMP, confidence ≥ 0.5): gaps
 * g_i = (t_{i+1} − t_i) in days, medianDays = median(g) (quantileSorted at 0.5), meanDays = Σ g_i / (k − 1), and
 * nextExpectedAt = t_k + medianDays; each null with fewer than 2 restocks (lastRestockAt null with none).
 */
export function restockCycleOf(restockTimes: readonly number[]): RestockCycle {
  const gaps: number[] = [];
  for (let i = 1; i < restockTimes.length; i++) gaps.push((restockTimes[i] - restockTimes[i - 1]) / DAY_MS);
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const medianDays = sortedGaps.length ? quantileSorted(sortedGaps, 0.5) : null;
  const meanDays = gaps.length ? gaps.reduce((s, g) => s + g, 0) / gaps.length : null;
  const lastRestockAt = restockTimes.length ? restockTimes[restockTimes.length - 1] : null;
  return {
    restocks: restockTimes.length,
    meanDays,
    medianDays,
    lastRestockAt,
    nextExpectedAt: lastRestockAt !== null && medianDays !== null ? lastRestockAt + medianDays * DAY_MS : null,
  };
}

/** The validated window and settings: [from, to], the default length, the cycle lookback and whether deals are left out. */
function baselineWindow(opts: BaselineOptions): { from: number; to: number; lookback: number; excludeDeals: boolean } {
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  validateRange(opts.from, opts.to);
  const days = opts.days ?? 14;
  validatePositive(days, 'days');
  const lookback = opts.cycleLookbackDays ?? 60;
  validatePositive(lookback, 'cycleLookbackDays');
  const to = opts.to ?? opts.now;
  return { from: opts.from ?? to - days * DAY_MS, to, lookback, excludeDeals: opts.excludeDeals ?? true };
}

/** The explanation: window, stock levels, consumption band, restock count and cycle, with the caveats as notes. */
function baselineExplanation(
  win: { from: number; to: number; lookback: number; excludeDeals: boolean },
  levels: StockLevels,
  v: VelocityResult,
  cycle: RestockCycle,
): Explanation {
  const { from, to } = win;
  const { avgStock, coveredDays } = levels;
  const ex = new Explainer('baseline = {time-weighted avg stock, velocity excl. deals & stockouts × 24, median days between restocks}', {
    from: isoOrNull(from),
    to: isoOrNull(to),
    days: round((to - from) / DAY_MS, 3),
    excludeDeals: win.excludeDeals,
    cycleLookbackDays: win.lookback,
  })
    .step('covered days', round(coveredDays, 3))
    .step(
      'avg stock',
      avgStock === null ? null : round(avgStock, 3),
      levels.avgStockIsLowerBound ? 'includes censored readings: a lower bound' : undefined,
    )
    .step('out-of-stock hours (left out of consumption)', round(levels.outOfStockHours, 3))
    .step('daily consumption', v.perDay.value === null ? null : round(v.perDay.value, 3))
    .step('daily consumption lower', round(v.perDay.lower, 3))
    .step('daily consumption upper', v.perDay.upper === null ? null : round(v.perDay.upper, 3))
    .step('restocks in lookback', cycle.restocks)
    .step('median restock cycle (days)', cycle.medianDays === null ? null : round(cycle.medianDays, 3))
    .data(v.explanation.data ?? { source: null, newestAt: null, ageHours: null, stale: true });
  if (coveredDays < 7) ex.note(`only ${round(coveredDays, 2)} days of readings in the window: a baseline wants 7–14 days`);
  for (const n of v.explanation.notes) ex.note(`consumption: ${n}`);
  if (cycle.restocks < 2) ex.note('fewer than 2 restocks in the lookback: no restock cycle');
  return ex.build();
}

export function baseline(points: readonly SnapshotPoint[], opts: BaselineOptions): Baseline {
  validatePoints(points);
  const win = baselineWindow(opts);
  const { from, to } = win;
  const deals = win.excludeDeals ? dealRanges(points) : [];
  const v = velocity(points, { now: opts.now, from, to, exclude: deals, excludeOutOfStock: true, staleAfterMs: opts.staleAfterMs });
  const levels = stockLevels(points, from, to);

  // Restock cycle over a longer lookback.
  const cycleFrom = to - win.lookback * DAY_MS;
  const events = detectRestocks(
    points.filter((p) => p.at <= to && p.at >= cycleFrom),
    opts.restock ?? {},
  ).filter((e) => e.kind !== 'FLAP' && e.confidence >= 0.5);
  const restockCycle = restockCycleOf(events.map((e) => e.at));

  return {
    from,
    to,
    coveredDays: levels.coveredDays,
    avgStock: levels.avgStock,
    avgStockIsLowerBound: levels.avgStockIsLowerBound,
    minStock: levels.minStock,
    maxStock: levels.maxStock,
    dailyConsumption: v.perDay,
    consumptionIsLowerBound: v.isLowerBoundOnly,
    outOfStockHours: levels.outOfStockHours,
    restockCycle,
    velocity: v,
    explanation: baselineExplanation(win, levels, v, restockCycle),
  };
}
