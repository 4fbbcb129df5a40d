/**
 * Honest intervals for demand counts the fitted model cannot measure the noise of.
 *
 * A model's interval comes from its in-sample errors. Two histories make that error zero or
 * meaningless: a censored one (capped "999+" readings, stockouts: the periods whose noise would
 * show are only lower bounds, left out of the likelihood) and one the model reproduces exactly
 * (a perfectly regular drain: Σe² = 0, σ² = 0, a zero-width interval). Demand is a count of
 * independent buyers, so a period's units vary at least as a Poisson count around its mean
 * (equidispersion is the lower bound of count-demand models: Snyder, Ord & Beaumont 2012,
 * "Forecasting the intermittent demand for slow-moving inventories", IJF 28(2); Kolassa 2016,
 * "Evaluating predictive count data distributions in retail sales forecasting", IJF 32(3)).
 * In those two cases every bound is widened to at least the Poisson(μ) quantile of its level:
 *   lower_q = min(model lower_q, Q_Pois(q; μ)),  upper_q = max(model upper_q, Q_Pois(1 − q; μ))
 * with q = 0.1 (80 %) and 0.025 (95 %), μ the point forecast. The floor never narrows an interval.
 */
import { PhiInv } from '../stats/normal';

/** A forecast step's point and interval bounds. */
export interface IntervalBounds {
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** Above this mean the Poisson quantile uses the normal approximation with continuity correction. */
const NORMAL_ABOVE = 1000;

/**
 * Q_Pois(p; μ): the smallest k ≥ 0 with P(N ≤ k) ≥ p for N ~ Poisson(μ), summing the pmf
 * p_k = p_{k−1}·μ/k from p_0 = e^(−μ); for μ > 1000 the normal approximation ⌈μ + z_p·√μ − 0.5⌉.
 */
export function poissonQuantile(p: number, mu: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(mu >= 0) || !Number.isFinite(mu)) throw new RangeError(`mu must be finite and ≥ 0, got ${mu}`);
  if (mu === 0) return 0;
  if (mu > NORMAL_ABOVE) return Math.max(0, Math.ceil(mu + PhiInv(p) * Math.sqrt(mu) - 0.5));
  let pk = Math.exp(-mu);
  let cdf = pk;
  let k = 0;
  while (cdf < p && k < 10 * NORMAL_ABOVE) {
    k += 1;
    pk *= mu / k;
    cdf += pk;
  }
  return k;
}

/** True when some step has a positive forecast and an interval of (numerically) zero width. */
export function hasDegenerateInterval(points: readonly IntervalBounds[]): boolean {
  return points.some((p) => p.value > 0 && p.upper95 - p.lower95 <= 1e-9 * Math.max(1, p.value));
}

/** Each bound widened to at least the Poisson(μ = point forecast) quantile (see the header). */
export function countNoiseFloor<T extends IntervalBounds>(points: readonly T[]): T[] {
  return points.map((p) => {
    const mu = Math.max(0, p.value);
    return {
      ...p,
      lower80: Math.min(p.lower80, poissonQuantile(0.1, mu)),
      upper80: Math.max(p.upper80, poissonQuantile(0.9, mu)),
      lower95: Math.min(p.lower95, poissonQuantile(0.025, mu)),
      upper95: Math.max(p.upper95, poissonQuantile(0.975, mu)),
    };
  });
}
