/**
 * Listings with known sales for measuring the rank → sales estimator: each listing's true daily sales
 * u ~ lognormal, its rank from the power law with noise, ln r = (α − ln u + ε) / β with ε ~ N(0, σ²)
 * (rank reflects sales through Amazon's undisclosed, noisy recency weighting), and the sales a seller
 * would see over 30 days, Poisson around u. The noise enters once, as in the fitted model.
 */
import { createRng } from '../random';
import type { RankSalesObservation } from './salesModel';

export interface SimulatedListing {
  rank: number;
  /** The true mean daily sales. */
  trueUnitsPerDay: number;
  /** Units per day counted over 30 days (what calibration sees). */
  observedUnitsPerDay: number;
}

export interface RankSimulation {
  alpha: number;
  beta: number;
  sigma: number;
  listings: number;
  seed: number;
}

/** Seeded listings following the power law with log-normal noise. */
export function simulateRankedListings(s: RankSimulation): SimulatedListing[] {
  const rng = createRng(s.seed);
  const out: SimulatedListing[] = [];
  for (let i = 0; i < s.listings; i++) {
    const u = Math.exp(Math.log(5) + 1.2 * rng.normal());
    const lnRank = (s.alpha - Math.log(u) + s.sigma * rng.normal()) / s.beta;
    const rank = Math.max(1, Math.round(Math.exp(lnRank)));
    out.push({ rank, trueUnitsPerDay: u, observedUnitsPerDay: poisson(rng, u * 30) / 30 });
  }
  return out;
}

/** Poisson draw: Knuth's product method for small means, a normal approximation above 500. */
function poisson(rng: ReturnType<typeof createRng>, mean: number): number {
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Calibration pairs as the workspace's own SKUs would give them. */
export const calibrationPairs = (listings: readonly SimulatedListing[]): RankSalesObservation[] =>
  listings.map((l) => ({ rank: l.rank, unitsPerDay: l.observedUnitsPerDay, source: 'OWN_SALES' }));
