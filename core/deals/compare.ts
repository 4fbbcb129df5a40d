/**
 * Pre/post-deal comparison: the deal measured against the listing's own 7–14 day pre-deal baseline
 * (what it would have sold anyway), then what the deal left behind (halo or hangover, stock recovery).
 *
 *   expected units    baseline units/day × deal hours ÷ 24  (what it would have sold anyway)
 *   actual units      stock-based sales over the deal (velocity(): exact drops and claims), or the
 *                     claimed units when stock cannot say (censored) or says less than was claimed
 *   lift              actual ÷ expected; incremental = actual − expected
 *   post-deal         units/day over the `postDays` after the deal vs baseline (halo or hangover)
 *   recovery          first reading after the deal with stock ≥ recoveryFraction × pre-deal average
 *                     stock; hours from the deal's end (null while not recovered)
 *   forecast vs actual  the drain fitted on the first `forecastAtFraction` of the deal's life
 *                     (drain.ts sellOutEta) vs the sell-out moment and units actually reached
 */
import { Explainer, type Explanation } from '../explain';
import { baseline, type Baseline } from '../series/baseline';
import { dealRanges } from '../series/dealRuns';
import { isoOrNull, round } from '../series/provenance';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../series/types';
import { validateNow, validatePoints, validatePositive } from '../series/validate';
import { velocity } from '../series/velocity';
import type { Deal, SellOutEtaMs } from './detect';
import { drainCumulativeAt, sellOutEta } from './drain';

export interface DealComparisonOptions {
  now: number;
  /** Pre-deal baseline window in days (7–14 is enough to cover a weekly cycle). Default 14. */
  baselineDays?: number;
  /** Days after the deal for the post-deal rate. Default 7. */
  postDays?: number;
  /** Stock counts as recovered at this share of the pre-deal average. Default 0.8. */
  recoveryFraction?: number;
  /** Share of the deal's life seen by the drain forecast. Default 0.25. */
  forecastAtFraction?: number;
  seed?: number;
  draws?: number;
}

export interface DrainForecastCheck {
  forecastAt: number;
  model: 'CONSTANT' | 'DECAY';
  predictedSoldOutAt: SellOutEtaMs;
  actualSoldOutAt: number | null;
  /** Predicted P50 − actual sell-out, hours (null unless both exist). */
  errorHours: number | null;
  predictedUnitsByEnd: number;
  actualUnitsByEnd: number;
  unitsErrorPercent: number | null;
  percentMode: boolean;
}

export interface DealBaselineComparison {
  dealId: string;
  baseline: Baseline;
  /** At least 7 days of readings before the deal. */
  baselineSufficient: boolean;
  dealHours: number;
  expectedUnits: number | null;
  actualUnits: number | null;
  actualUnitsSource: 'STOCK' | 'CLAIMS' | 'NONE';
  actualDealUnits: number | null;
  liftRatio: number | null;
  incrementalUnits: number | null;
  postPerDay: number | null;
  postRatioToBaseline: number | null;
  recoveryThreshold: number | null;
  recoveredAt: number | null;
  hoursToRecover: number | null;
  forecastVsActual: DrainForecastCheck | null;
  explanation: Explanation;
}

/** Validated options with their defaults. */
function comparisonSettings(points: readonly SnapshotPoint[], deal: Deal, opts: DealComparisonOptions) {
  validatePoints(points);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  if (!deal || typeof deal.startedAt !== 'number') throw new TypeError('deal must be a Deal from detectDeals');
  const baselineDays = opts.baselineDays ?? 14;
  validatePositive(baselineDays, 'baselineDays');
  const postDays = opts.postDays ?? 7;
  validatePositive(postDays, 'postDays');
  const recoveryFraction = opts.recoveryFraction ?? 0.8;
  if (!(recoveryFraction > 0 && recoveryFraction <= 1.5))
    throw new RangeError(`recoveryFraction must be in (0, 1.5], got ${recoveryFraction}`);
  const fAt = opts.forecastAtFraction ?? 0.25;
  if (!(fAt > 0 && fAt < 1)) throw new RangeError(`forecastAtFraction must be in (0, 1), got ${fAt}`);
  return { now: opts.now, baselineDays, postDays, recoveryFraction, fAt };
}

/**
 * Actual units over the deal: stock-based (velocity() units/h × deal hours) when exact and at least
 * the claimed units, else the claimed units; NONE for a deal without duration or figures.
 */
function actualDealUnits(
  pts: readonly SnapshotPoint[],
  deal: Deal,
  now: number,
  end: number,
  dealHours: number,
  ex: Explainer,
): { actualUnits: number | null; actualUnitsSource: DealBaselineComparison['actualUnitsSource'] } {
  if (!(dealHours > 0)) return { actualUnits: null, actualUnitsSource: 'NONE' };
  const v = velocity(pts, { now, from: deal.startedAt, to: end });
  if (!v.isLowerBoundOnly && v.perHour.value !== null && (deal.unitsSold === null || v.perHour.value * dealHours >= deal.unitsSold))
    return { actualUnits: v.perHour.value * dealHours, actualUnitsSource: 'STOCK' };
  if (deal.unitsSold === null) return { actualUnits: null, actualUnitsSource: 'NONE' };
  ex.note('stock during the deal was censored or missing, or showed fewer units than were claimed: actual units are the claimed units');
  return { actualUnits: deal.unitsSold, actualUnitsSource: 'CLAIMS' };
}

/** Units/day over the postDays after an ended deal (other deals and out-of-stock time left out). */
function postDealPerDay(pts: readonly SnapshotPoint[], deal: Deal, now: number, end: number, postDays: number): number | null {
  const postTo = Math.min(now, end + postDays * DAY_MS);
  if (deal.endedAt === null || !(postTo > end)) return null;
  const others = dealRanges(pts).filter((r) => r.end > end + HOUR_MS);
  return velocity(pts, { now, from: end, to: postTo, exclude: others, excludeOutOfStock: true }).perDay.value;
}

/** First reading at or after the deal's end with stock ≥ threshold (null when none). */
function recoveredAtOf(pts: readonly SnapshotPoint[], end: number, threshold: number): number | null {
  for (const p of pts) if (p.at >= end && p.stock !== null && p.stock >= threshold) return p.at;
  return null;
}

/**
 * The drain forecast made `fAt` into an ended deal (sellOutEta on the claim curve up to then)
 * against what happened: sell-out error = predicted P50 − actual (h); units by the (scheduled) end
 * predicted as min(full, max(last units, u(end))), error % = 100 × (predicted − actual) ÷ actual.
 */
function drainForecastCheck(deal: Deal, fAt: number, opts: DealComparisonOptions, ex: Explainer): DrainForecastCheck | null {
  const c = deal.claimCurve;
  if (!((deal.status === 'SOLD_OUT' || deal.status === 'EXPIRED') && c.length >= 3 && deal.endedAt !== null)) return null;
  const forecastAt = deal.startedAt + fAt * (deal.endedAt - deal.startedAt);
  const prefix = c.filter((p) => p.at <= forecastAt);
  if (prefix.length < 2) return null;
  const full = deal.percentMode ? 100 : (deal.dealQuantity as number);
  const last = prefix[prefix.length - 1];
  const curve = prefix.map((p) => ({ t: (p.at - deal.startedAt) / HOUR_MS, units: p.units }));
  const endT = deal.scheduledEndAt ?? deal.endedAt;
  const horizonHours = Math.max(0, (endT - last.at) / HOUR_MS);
  const r = sellOutEta(curve, { remaining: Math.max(0, full - last.units), seed: opts.seed ?? 1, draws: opts.draws ?? 200, horizonHours });
  const toMs = (h: number | null) => (h === null ? null : last.at + h * HOUR_MS);
  const predicted: SellOutEtaMs = { p10: toMs(r.p10), p50: toMs(r.p50), p90: toMs(r.p90) };
  const predictedUnitsByEnd = Math.min(full, Math.max(last.units, drainCumulativeAt(r.fit, (endT - deal.startedAt) / HOUR_MS)));
  const actualUnitsByEnd = deal.percentMode ? (deal.claimedPercent ?? c[c.length - 1].units) : (deal.unitsSold ?? c[c.length - 1].units);
  const errorHours = predicted.p50 !== null && deal.soldOutAt !== null ? (predicted.p50 - deal.soldOutAt) / HOUR_MS : null;
  ex.step('forecast made at', isoOrNull(forecastAt), `${round(100 * fAt, 0)} % into the deal`)
    .step('forecast model', r.fit.model)
    .step('predicted sell-out P50', isoOrNull(predicted.p50))
    .step('actual sell-out', isoOrNull(deal.soldOutAt))
    .step('sell-out error (h)', errorHours === null ? null : round(errorHours, 3))
    .step('predicted units by end', round(predictedUnitsByEnd, 2))
    .step('actual units by end', round(actualUnitsByEnd, 2));
  if (predicted.p50 === null && deal.soldOutAt !== null) ex.note('the early forecast did not expect a sell-out, yet the deal sold out');
  if (predicted.p50 !== null && deal.soldOutAt === null) ex.note('the early forecast expected a sell-out that did not happen');
  return {
    forecastAt,
    model: r.fit.model,
    predictedSoldOutAt: predicted,
    actualSoldOutAt: deal.soldOutAt,
    errorHours,
    predictedUnitsByEnd,
    actualUnitsByEnd,
    unitsErrorPercent: actualUnitsByEnd > 0 ? (100 * (predictedUnitsByEnd - actualUnitsByEnd)) / actualUnitsByEnd : null,
    percentMode: deal.percentMode,
  };
}

/** The deal against its pre-deal baseline (see the header for each figure). */
export function dealBaselineComparison(points: readonly SnapshotPoint[], deal: Deal, opts: DealComparisonOptions): DealBaselineComparison {
  const { now, baselineDays, postDays, recoveryFraction, fAt } = comparisonSettings(points, deal, opts);
  const pts = points.filter((p) => p.at <= now);
  const pre = baseline(pts, { now, to: deal.startedAt, days: baselineDays });
  const baselineSufficient = pre.coveredDays >= 7;
  const end = deal.endedAt ?? Math.min(now, pts.length ? pts[pts.length - 1].at : now);
  const dealHours = Math.max(0, (end - deal.startedAt) / HOUR_MS);
  const basePerDay = pre.dailyConsumption.value;
  const expectedUnits = basePerDay === null ? null : (basePerDay * dealHours) / 24;

  const ex = new Explainer('lift = actual units ÷ (baseline units/day × deal hours ÷ 24)', {
    dealId: deal.id,
    startedAt: isoOrNull(deal.startedAt),
    endedAt: isoOrNull(deal.endedAt),
    baselineDays,
    postDays,
    recoveryFraction,
  });
  const { actualUnits, actualUnitsSource } = actualDealUnits(pts, deal, now, end, dealHours, ex);
  const liftRatio = actualUnits !== null && expectedUnits !== null && expectedUnits > 0 ? actualUnits / expectedUnits : null;
  const incrementalUnits = actualUnits !== null && expectedUnits !== null ? actualUnits - expectedUnits : null;
  const postPerDay = postDealPerDay(pts, deal, now, end, postDays);
  const postRatioToBaseline = postPerDay !== null && basePerDay !== null && basePerDay > 0 ? postPerDay / basePerDay : null;
  const recoveryThreshold = pre.avgStock === null ? null : recoveryFraction * pre.avgStock;
  const recoveredAt = recoveryThreshold !== null && deal.endedAt !== null ? recoveredAtOf(pts, end, recoveryThreshold) : null;
  const hoursToRecover = recoveredAt === null ? null : Math.max(0, (recoveredAt - end) / HOUR_MS);
  const forecastVsActual = drainForecastCheck(deal, fAt, opts, ex);

  ex.step('baseline units/day', basePerDay === null ? null : round(basePerDay, 3))
    .step('baseline covered days', round(pre.coveredDays, 2))
    .step('deal hours', round(dealHours, 3))
    .step('expected units', expectedUnits === null ? null : round(expectedUnits, 2))
    .step('actual units', actualUnits === null ? null : round(actualUnits, 2), actualUnitsSource)
    .step('lift ratio', liftRatio === null ? null : round(liftRatio, 3))
    .step('incremental units', incrementalUnits === null ? null : round(incrementalUnits, 2))
    .step('post-deal units/day', postPerDay === null ? null : round(postPerDay, 3))
    .step('post ÷ baseline', postRatioToBaseline === null ? null : round(postRatioToBaseline, 3))
    .step('recovery threshold (stock)', recoveryThreshold === null ? null : round(recoveryThreshold, 1))
    .step('hours to recover', hoursToRecover === null ? null : round(hoursToRecover, 2))
    .data(pre.explanation.data ?? { source: null, newestAt: null, ageHours: null, stale: true });
  if (!baselineSufficient) ex.note(`only ${round(pre.coveredDays, 1)} days of readings before the deal: a baseline needs 7–14`);
  if (pre.consumptionIsLowerBound) ex.note('pre-deal consumption is a lower bound (censored stock): so is the expected figure');
  if (deal.endedAt !== null && recoveryThreshold !== null && recoveredAt === null)
    ex.note('stock has not recovered to its pre-deal level yet');
  if (deal.endedAt === null) ex.note('the deal is still live: post-deal figures are not available yet');

  return {
    dealId: deal.id,
    baseline: pre,
    baselineSufficient,
    dealHours,
    expectedUnits,
    actualUnits,
    actualUnitsSource,
    actualDealUnits: deal.unitsSold,
    liftRatio,
    incrementalUnits,
    postPerDay,
    postRatioToBaseline,
    recoveryThreshold,
    recoveredAt,
    hoursToRecover,
    forecastVsActual,
    explanation: ex.build(),
  };
}
