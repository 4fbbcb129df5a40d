/**
 * Competitor forecasts where stock is not observable (issue 15, item 9): a daily demand history from
 * the listing's "bought in past month" badge, a monthly sales estimate, or its sales rank through the
 * rank → sales model calibrated exactly as Velocity RANK_MODEL is (velocity.rank.ts: the workspace's
 * listings of the same marketplace over the default velocity window ending at asOf). The model's
 * interval widens the forecast's intervals (core/rank/forecast.ts widenByLevel).
 *
 * Reads are bounded: the listing's newest RANK_SERIES_READINGS signal readings in the window.
 */
import { CARRY_DAYS, dailySignal, type LevelRatios } from '../../../core/rank/forecast';
import { monthlyBucket } from '../../../core/rank/demand';
import { fitRankSalesModel, unitsFromRank } from '../../../core/rank/salesModel';
import { WINDOWS } from '../intelligence/intelligence.request';
import type { RankVelocity, SignalRow } from '../intelligence/velocity.rank';
import { DAY_MS, epochDayOf, isoOfDay } from '../product/days';
import type { DemandSeries } from './forecast.series';
import { ForecastSource, ForecastUnavailableReason } from './forecast.types';

/** Days of rank history a rank-based forecast uses (ending with the newest reading's day). */
export const RANK_HISTORY_DAYS = 56;
/** Most signal readings read per listing. */
export const RANK_SERIES_READINGS = 3000;
/** Fewest days holding a value for a fit. */
export const MIN_RANK_DAYS = 3;

export type RankSeries =
  | {
      source: ForecastSource.RANK_MODEL | ForecastSource.MONTHLY_SOLD;
      s: DemandSeries;
      ratios: LevelRatios;
      inputs: Record<string, string | number>;
      notes: string[];
    }
  | { source: null; reason: ForecastUnavailableReason | null; message: string };

/** The window of signal readings read for a forecast as of `now`: the history plus the carry days before it. */
export function rankWindow(now: number): { from: number; to: number } {
  return { from: (epochDayOf(now) - RANK_HISTORY_DAYS - CARRY_DAYS + 1) * DAY_MS, to: now + 1 };
}

const readingsOf = (rows: readonly SignalRow[], k: 'bsr' | 'sold' | 'est', now: number) =>
  rows
    .filter((r) => r[k] !== null && new Date(r.captured_at).getTime() <= now)
    .map((r) => ({ at: new Date(r.captured_at).getTime(), value: Number(r[k]) }));

/**
 * The daily series of units (one signal: badge, estimate or rank, in that order as for Velocity) and
 * the interval ratios; or why none (reason null: the listing has no such signal at all).
 */
export async function rankSeries(
  listing: { workspaceId: string; marketplace: string },
  rows: readonly SignalRow[],
  now: number,
  rank: RankVelocity,
): Promise<RankSeries> {
  const sold = readingsOf(rows, 'sold', now);
  const est = readingsOf(rows, 'est', now);
  const ranks = readingsOf(rows, 'bsr', now).filter((r) => r.value >= 1);
  const signal = sold.length ? sold : est.length ? est : ranks;
  if (!signal.length) return { source: null, reason: null, message: 'no sales-rank or monthly-sold reading either' };
  const lastDay = epochDayOf(Math.max(...signal.map((r) => r.at)));
  const fromDay = Math.max(lastDay - RANK_HISTORY_DAYS + 1, epochDayOf(Math.min(...signal.map((r) => r.at))));
  const daily = dailySignal(signal, fromDay, lastDay);
  const days = daily.filter(Number.isFinite).length;
  const what = sold.length ? '"bought in past month" badge' : est.length ? 'monthly sales estimate' : 'sales rank';
  if (days < MIN_RANK_DAYS)
    return {
      source: null,
      reason: ForecastUnavailableReason.TOO_FEW_RANK_DAYS,
      message: `${days} day(s) with a ${what} from ${isoOfDay(fromDay)} to ${isoOfDay(lastDay)}; at least ${MIN_RANK_DAYS} are needed`,
    };
  const series = (y: number[]): DemandSeries => {
    const missing = y.filter((x) => !Number.isFinite(x)).length;
    return { y, inStock: y.map(() => true), start: fromDay, exact: y.length - missing, censored: 0, missing };
  };
  const common = { signalDays: days, historyFrom: isoOfDay(fromDay), lastSignalDay: isoOfDay(lastDay) };
  const carry = `A day without a reading keeps the last value seen at most ${CARRY_DAYS} days earlier (Keepa records a change, not every day), else it is missing, never zero.`;
  if (sold.length || est.length) {
    const last = daily[daily.length - 1];
    const b = sold.length ? monthlyBucket(last) : null;
    const toUnits = (x: number) => (Number.isFinite(x) ? (sold.length ? monthlyBucket(x).mid : x) / 30 : NaN);
    const lo = b ? b.lower / b.mid : 1;
    const hi = b ? b.upper / b.mid : 1;
    return {
      source: ForecastSource.MONTHLY_SOLD,
      s: series(daily.map(toUnits)),
      ratios: { lower80: lo, upper80: hi, lower95: lo, upper95: hi },
      inputs: { ...common, signal: what },
      notes: [
        sold.length
          ? "Daily units = the day's \"bought in past month\" bucket midpoint ÷ 30 (the badge shows the largest step at or below the month's units); the intervals are widened by the newest badge's bucket (× low/mid, × high/mid)."
          : "Daily units = the day's third-party monthly sales estimate ÷ 30; it has no interval of its own, so the intervals are the model's alone.",
        carry,
      ],
    };
  }
  const w = { from: now - WINDOWS.velocityDays * DAY_MS, to: now };
  const fit = fitRankSalesModel(await rank.calibration(listing.workspaceId, listing.marketplace, w));
  if (!fit.model)
    return {
      source: null,
      reason: ForecastUnavailableReason.RANK_MODEL_UNCALIBRATED,
      message: `the sales rank is known on ${days} day(s) but no rank → sales model for ${listing.marketplace}: ${fit.reason}`,
    };
  const m = fit.model;
  const lastRank = daily[daily.length - 1];
  const e80 = unitsFromRank(m, lastRank, 0.8);
  const e95 = unitsFromRank(m, lastRank, 0.95);
  const sources = Object.entries(m.sources)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return {
    source: ForecastSource.RANK_MODEL,
    s: series(daily.map((r) => (Number.isFinite(r) ? Math.exp(m.alpha - m.beta * Math.log(r)) : NaN))),
    ratios: {
      lower80: e80.lower / e80.unitsPerDay,
      upper80: e80.upper / e80.unitsPerDay,
      lower95: e95.lower / e95.unitsPerDay,
      upper95: e95.upper / e95.unitsPerDay,
    },
    inputs: {
      ...common,
      signal: what,
      alpha: m.alpha,
      beta: m.beta,
      sigma: m.sigma,
      calibrationPairs: m.n,
      calibrationSources: sources,
      lastRank,
    },
    notes: [
      `Daily units = exp(α − β·ln(rank)) at the day's median sales rank: the rank → sales power law fitted on ${m.n} listing(s) of ${listing.marketplace} whose sales are known (${sources}) over the ${WINDOWS.velocityDays} days before asOf, the same model and calibration as Velocity RANK_MODEL.`,
      carry,
      `Intervals widened by the model's own interval at rank ${lastRank}: 80 % × ${e80.lower.toPrecision(3)}/${e80.unitsPerDay.toPrecision(3)} to × ${e80.upper.toPrecision(3)}/${e80.unitsPerDay.toPrecision(3)}, 95 % likewise (the model's error is a level shared by every day; core/rank/forecast.ts).`,
      ...(lastRank < m.minRank || lastRank > m.maxRank
        ? [`Rank ${lastRank} lies outside the calibrated ranks ${m.minRank}–${m.maxRank}: the figure extrapolates.`]
        : []),
    ],
  };
}
