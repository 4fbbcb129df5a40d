/**
 * Units per day for a listing whose stock cannot be observed, from the signals real data has
 * (issue 15, item 8; docs/api.md, "Velocity sources"), in this order:
 *
 *  1. MONTHLY_SOLD: the listing's own "bought in past month" (Keepa `monthlySold`): the marketplace shows
 *     the largest step at or below the month's units (50+, 100+, 200+, …), so the month's units lie in
 *     [step, next step); units/day = the bucket's midpoint ÷ 30 with [step ÷ 30, next ÷ 30] as interval
 *     (a uniform guess inside the bucket). Failing that, a third-party estimate of monthly sales
 *     (Helium 10 "ASIN Sales") ÷ 30, which has no interval of its own.
 *  2. RANK_MODEL: the listing's median Best Sellers Rank over the window through the power law of
 *     core/rank/salesModel.ts, fitted on the workspace's listings of the same marketplace whose sales are
 *     known: those with a "bought in past month" (the badge ÷ 30, source MONTHLY_SOLD) and those whose
 *     stock drops were measured (units/day from stock, source OBSERVED_STOCK), each paired with its median rank.
 *
 * The median rank, not the mean: rank jumps by orders of magnitude between sales (179 → 1185 → 293) and
 * the median of the window is what the calibration pairs use too.
 */
import { Explainer, type Explanation } from '../explain';
import { fitRankSalesModel, type RankSalesObservation, unitsFromRank } from './salesModel';

/** Amazon's "bought in past month" steps (the badge shows the largest one at or below the month's units). */
export const MONTHLY_SOLD_STEPS = [
  50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 50000, 100000,
];

/** The badge a month's units earn: the largest step at or below them, or null below the first step. */
export function monthlyBadge(units: number): number | null {
  return [...MONTHLY_SOLD_STEPS].reverse().find((s) => units >= s) ?? null;
}

/** The month's units a badge `b` stands for: [b, next step); above the last step, [b, 2b). Midpoint = their mean. */
export function monthlyBucket(b: number): { lower: number; upper: number; mid: number } {
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError(`a monthly-sold badge must be a positive number, got ${b}`);
  const upper = MONTHLY_SOLD_STEPS.find((s) => s > b) ?? 2 * b;
  return { lower: b, upper, mid: (b + upper) / 2 };
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One listing of the calibration set: its ranks over the window and what is known of its sales. */
export interface CalibrationListing {
  ranks: readonly number[];
  /** Latest "bought in past month" badge in the window. */
  monthlySold: number | null;
  /** Units/day measured from stock drops over the window (exact intervals only). */
  stockPerDay: number | null;
}

/**
 * Calibration pairs (median rank, units/day): the badge's floor ÷ 30 first, else the stock-measured rate.
 * The floor, not the bucket's midpoint: listings under the first step (50) show no badge, so the badged ones
 * at a given rank are its better sellers, and the floor offsets that selection. Measured with bench/rank.ts
 * (60 seeds, σ 0.6): floor 35.7 % held-out MdAPE, 81.1 % / 95.7 % coverage of the 80 % / 95 % intervals;
 * midpoint 39.9 %, 73.3 % / 91.7 %.
 */
export function calibrationPairs(listings: readonly CalibrationListing[]): RankSalesObservation[] {
  const out: RankSalesObservation[] = [];
  for (const l of listings) {
    const rank = median(l.ranks.filter((r) => r >= 1));
    if (rank === null) continue;
    if (l.monthlySold !== null && l.monthlySold > 0) out.push({ rank, unitsPerDay: l.monthlySold / 30, source: 'MONTHLY_SOLD' });
    else if (l.stockPerDay !== null && l.stockPerDay > 0) out.push({ rank, unitsPerDay: l.stockPerDay, source: 'OBSERVED_STOCK' });
  }
  return out;
}

export interface ListingSignals {
  ranks: readonly number[];
  monthlySold: number | null;
  estMonthlySales: number | null;
}

export type DemandSource = 'MONTHLY_SOLD' | 'RANK_MODEL';

export type RankDemand =
  | {
      source: DemandSource;
      perDay: { value: number; lower: number; upper: number };
      /** Coverage of the interval: the model's, 1 for a bucket (the month's units lie in it), 0 for a bare estimate. */
      confidence: number;
      explanation: Explanation;
    }
  | { source: null; reason: string };

/** Units/day from the listing's own monthly figure or its rank (see the header), or why neither gives one. */
export function rankDemand(listing: ListingSignals, calibration: readonly RankSalesObservation[], confidence: number): RankDemand {
  if (listing.monthlySold !== null && listing.monthlySold > 0) {
    const b = monthlyBucket(listing.monthlySold);
    const ex = new Explainer('units/day = midpoint of the "bought in past month" bucket ÷ 30; interval = [bucket low, bucket high] ÷ 30', {
      monthlySold: listing.monthlySold,
    })
      .step('bucket (units/month)', `${b.lower}–${b.upper}`)
      .step('units/day', b.mid / 30)
      .note(
        'the marketplace shows the largest step at or below the month\'s units ("100+ bought in past month"): the interval is the step\'s bucket',
      );
    return {
      source: 'MONTHLY_SOLD',
      perDay: { value: b.mid / 30, lower: b.lower / 30, upper: b.upper / 30 },
      confidence: 1,
      explanation: ex.build(),
    };
  }
  if (listing.estMonthlySales !== null && listing.estMonthlySales > 0) {
    const v = listing.estMonthlySales / 30;
    const ex = new Explainer('units/day = estimated monthly sales ÷ 30', { estMonthlySales: listing.estMonthlySales })
      .step('units/day', v)
      .note("a third-party tool's estimate (e.g. Helium 10 ASIN Sales): it has no interval, so lower = upper = the estimate");
    return { source: 'MONTHLY_SOLD', perDay: { value: v, lower: v, upper: v }, confidence: 0, explanation: ex.build() };
  }
  return rankModelDemand(listing, calibration, confidence);
}

function rankModelDemand(listing: ListingSignals, calibration: readonly RankSalesObservation[], confidence: number): RankDemand {
  const rank = median(listing.ranks.filter((r) => r >= 1));
  if (rank === null) return { source: null, reason: 'no stock, deal-claim, sales-rank or monthly-sold readings in the window' };
  const fit = fitRankSalesModel(calibration);
  if (!fit.model) return { source: null, reason: `sales rank is known (median ${rank}) but no rank → sales model: ${fit.reason}` };
  const m = fit.model;
  const e = unitsFromRank(m, rank, confidence);
  const sources = Object.entries(m.sources)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const ex = new Explainer(
    'ln(units/day) = α − β·ln(rank); interval exp(ŷ ± t(n−2)·σ·√(1 + 1/n + (ln r − x̄)²/Sxx)) (core/rank/salesModel.ts)',
    {
      medianRank: rank,
      rankReadings: listing.ranks.length,
      calibrationPairs: m.n,
      calibrationSources: sources,
      confidence,
    },
  )
    .step('α', m.alpha)
    .step('β', m.beta)
    .step('σ (log scale)', m.sigma)
    .step('calibrated ranks', `${m.minRank}–${m.maxRank}`)
    .step('units/day', e.unitsPerDay)
    .step('interval', `${e.lower}–${e.upper}`)
    .note(`fitted on ${m.n} listing(s) of this marketplace whose sales are known (${sources}), each paired with its median rank`);
  if (e.extrapolated) ex.note(`rank ${rank} lies outside the calibrated ranks ${m.minRank}–${m.maxRank}: the figure extrapolates`);
  if (m.sources.MONTHLY_SOLD)
    ex.note('"bought in past month" pairs count the badge\'s step ÷ 30 (a lower bound that offsets the listings too slow to show a badge)');
  return { source: 'RANK_MODEL', perDay: { value: e.unitsPerDay, lower: e.lower, upper: e.upper }, confidence, explanation: ex.build() };
}
