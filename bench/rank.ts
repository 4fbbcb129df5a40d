/**
 * The rank → sales estimator (core/rank/salesModel.ts) on listings with known sales (core/rank/simulate.ts):
 * calibrate on one half, estimate the other half's daily sales from rank alone, and print, per noise level
 * and calibration size, the held-out median absolute percentage error against a baseline measured in the
 * same run (the calibration set's median sales, ignoring rank) and the coverage of the 80 % and 95 %
 * intervals. A last block calibrates from "bought in past month" badges (50+, 100+, …), as Keepa's
 * monthlySold gives them: taken as their floor (a lower bound; what the server's RANK_MODEL velocity
 * calibrates with, core/rank/demand.ts) and as their bucket's midpoint.
 *
 *   node --import tsx bench/rank.ts [--seeds N]
 */
import { fitRankSalesModel, type RankSalesObservation, unitsFromRank } from '../core/rank/salesModel';
import { calibrationPairs, type SimulatedListing, simulateRankedListings } from '../core/rank/simulate';
import { monthlyBadge, monthlyBucket } from '../core/rank/demand';

const seeds = Number(process.argv[process.argv.indexOf('--seeds') + 1]) || 20;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  mdapeModel: number;
  mdapeNaive: number;
  cover80: number;
  cover95: number;
}

function evaluate(calibration: RankSalesObservation[], held: SimulatedListing[]): Row | null {
  const fit = fitRankSalesModel(calibration);
  if (!fit.model) return null;
  const naive = median(calibration.map((c) => c.unitsPerDay));
  const ape = (est: number, truth: number) => Math.abs(est - truth) / truth;
  const inside = (c: number) =>
    held.filter((l) => {
      const e = unitsFromRank(fit.model!, l.rank, c);
      return l.trueUnitsPerDay >= e.lower && l.trueUnitsPerDay <= e.upper;
    }).length / held.length;
  return {
    mdapeModel: median(held.map((l) => ape(unitsFromRank(fit.model!, l.rank).unitsPerDay, l.trueUnitsPerDay))),
    mdapeNaive: median(held.map((l) => ape(naive, l.trueUnitsPerDay))),
    cover80: inside(0.8),
    cover95: inside(0.95),
  };
}

/** How a badge becomes units/day: its floor (a lower bound; what the server uses) or its bucket's midpoint. */
type Badges = 'none' | 'floor' | 'midpoint';

function scenario(label: string, sigma: number, calibrationSize: number, badges: Badges = 'none'): void {
  const rows: Row[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const all = simulateRankedListings({ alpha: 9, beta: 0.85, sigma, listings: calibrationSize + 500, seed });
    const held = all.slice(calibrationSize);
    const calibration =
      badges !== 'none'
        ? all.slice(0, calibrationSize).flatMap((l): RankSalesObservation[] => {
            const b = monthlyBadge(l.observedUnitsPerDay * 30);
            if (b === null) return [];
            return [{ rank: l.rank, unitsPerDay: (badges === 'floor' ? b : monthlyBucket(b).mid) / 30, source: 'MONTHLY_SOLD' }];
          })
        : calibrationPairs(all.slice(0, calibrationSize));
    const r = evaluate(calibration, held);
    if (r) rows.push(r);
  }
  const m = (k: keyof Row) => median(rows.map((r) => r[k]));
  console.log(
    `${label.padEnd(34)} ${String(rows.length).padStart(5)} ${(100 * m('mdapeModel')).toFixed(1).padStart(8)} % ${(100 * m('mdapeNaive')).toFixed(1).padStart(8)} % ` +
      `${(m('mdapeModel') / m('mdapeNaive')).toFixed(2).padStart(6)} ${(100 * m('cover80')).toFixed(1).padStart(7)} % ${(100 * m('cover95')).toFixed(1).padStart(7)} %`,
  );
}

console.log(`rank → sales on simulated listings (true β 0.85; 500 held-out listings per seed; ${seeds} seeds; medians over seeds)`);
console.log(
  `${'scenario'.padEnd(34)} ${'fits'.padStart(5)} ${'MdAPE'.padStart(10)} ${'naive'.padStart(10)} ${'ratio'.padStart(6)} ${'80% cov'.padStart(9)} ${'95% cov'.padStart(9)}`,
);
for (const sigma of [0.3, 0.6, 0.9]) for (const n of [10, 30, 100]) scenario(`σ ${sigma}, ${n} own SKUs`, sigma, n);
for (const sigma of [0.3, 0.6]) scenario(`σ ${sigma}, 100 badges (floor)`, sigma, 100, 'floor');
for (const sigma of [0.3, 0.6]) scenario(`σ ${sigma}, 100 badges (midpoint)`, sigma, 100, 'midpoint');
