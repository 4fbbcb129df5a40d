/**
 * What a deal's analysis reads from before the deal: its pre-deal context.
 *
 * Every figure of a Deal comes from the deal run's own readings except these, which describe the
 * listing as it was before the deal and so never change once the deal has started:
 *   preDealPrice     median price of the readings without a deal in the 7 days before the first
 *                    live reading (the "discount vs pre-deal price" reference);
 *   medianBsr        median sales rank of the readings in the `baselineDays` before it;
 *   baseline         core's baseline() over the `baselineDays` ending at it: pre-deal units/day and
 *                    average stock (the strategy read);
 *   historyStartAt   the listing's first reading (a "young listing" is judged from it).
 * The window ends at the first LIVE reading, not at the back-dated start: the start moves by up to
 * one capture interval as the claim curve grows, and no reading lies between the two, so anchoring
 * at the reading keeps the context fixed from the deal's first live reading on.
 *
 * Two more inputs come from just before the run and are read with it, by count rather than by time:
 * the CONTEXT_READINGS readings before its first reading: the capture the start is back-dated from,
 * and the neighbourhood the anomaly flags and restock threshold of the deal's batch releases are
 * judged on (`restockSlice`).
 *
 * The server keeps each deal episode's context at ingest (server/modules/facts/episodes.facts.ts)
 * and hands it to detectDeals, which then needs only the run's own readings; with no context given,
 * detectDeals computes it from the readings it has, with the same function.
 */
import { baseline } from '../series/baseline';
import { quantileSorted } from '../series/provenance';
import { DAY_MS, type SnapshotPoint } from '../series/types';

/** Readings before a run's first reading that its analysis reads (start back-dating, batch releases). */
export const CONTEXT_READINGS = 60;

/** Days of prices before the first live reading that make the pre-deal price. */
export const PRE_DEAL_PRICE_DAYS = 7;

export interface DealContext {
  /** The first live reading the context was taken before (epoch ms): the key it belongs to. */
  firstLiveAt: number;
  /** The listing's first reading (epoch ms). */
  historyStartAt: number;
  preDealPrice: number | null;
  medianBsr: number | null;
  /** Pre-deal units/day (null when unknown), its lower bound, and whether only the bound is known. */
  baselinePerDay: number | null;
  baselinePerDayLower: number;
  baselineIsLowerBound: boolean;
  avgStock: number | null;
}

export interface DealContextOptions {
  /** Days of pre-deal baseline (detectDeals' `baselineDays`). */
  baselineDays: number;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * The pre-deal context of the deal whose first live reading is at `firstLiveAt`, from `points`
 * (sorted; they must reach back `baselineDays` + 12 h before it, or to the listing's first
 * reading, for the figures to be complete).
 */
export function dealContext(
  points: readonly SnapshotPoint[],
  firstLiveAt: number,
  historyStartAt: number,
  opts: DealContextOptions,
): DealContext {
  // Evaluated as of the first live reading: the context is what was known when the deal began.
  const pre = baseline(points, { now: firstLiveAt, to: firstLiveAt, days: opts.baselineDays });
  const prices: number[] = [];
  const bsrs: number[] = [];
  for (const p of points) {
    if (p.at >= firstLiveAt) break;
    if (p.at >= firstLiveAt - PRE_DEAL_PRICE_DAYS * DAY_MS && p.dealType === 'NONE' && p.price !== null) prices.push(p.price);
    if (p.at >= firstLiveAt - opts.baselineDays * DAY_MS && p.bsr !== null) bsrs.push(p.bsr);
  }
  return {
    firstLiveAt,
    historyStartAt,
    preDealPrice: median(prices),
    medianBsr: median(bsrs),
    baselinePerDay: pre.dailyConsumption.value,
    baselinePerDayLower: pre.dailyConsumption.lower,
    baselineIsLowerBound: pre.consumptionIsLowerBound,
    avgStock: pre.avgStock,
  };
}

/**
 * The readings a run's batch releases are detected on: CONTEXT_READINGS before its first reading to
 * CONTEXT_READINGS after its last. Restock detection (restock/detect.ts) learns its threshold and
 * anomaly flags from what it is given, so the same slice on every path gives the same batches,
 * however much older history a caller holds (a live run's slice ends at the newest reading).
 */
export function restockSlice(points: readonly SnapshotPoint[], runFirstIdx: number, runLastIdx: number): readonly SnapshotPoint[] {
  return points.slice(Math.max(0, runFirstIdx - CONTEXT_READINGS), runLastIdx + CONTEXT_READINGS + 1);
}
