/**
 * Normal and Poisson distribution helpers. The heavy lifting is done by stdlib's
 * double-precision implementations (golden z-scores are checked to 1e-12).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalPdf from '@stdlib/stats-base-dists-normal-pdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import poissonCdf from '@stdlib/stats-base-dists-poisson-cdf';
import poissonPmf from '@stdlib/stats-base-dists-poisson-pmf';

/** Standard normal CDF Φ(z). */
export const Phi = (z: number): number => normalCdf(z, 0, 1);
/** Standard normal density φ(z). */
export const phi = (z: number): number => normalPdf(z, 0, 1);
/** Standard normal quantile Φ⁻¹(p), p in (0, 1). */
export function PhiInv(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  return normalQuantile(p, 0, 1);
}

/** Standard normal first-order loss G(z) = E[(Z − z)⁺] = φ(z) − z·(1 − Φ(z)). */
export const stdNormalLoss = (z: number): number => phi(z) - z * (1 - Phi(z));
/** Standard normal complementary loss Ḡ(z) = E[(z − Z)⁺] = z + G(z). */
export const stdNormalLossComplement = (z: number): number => z + stdNormalLoss(z);
/** Second-order standard normal loss G2(z) = ½[(z² + 1)(1 − Φ(z)) − z·φ(z)]. */
export const stdNormalLoss2 = (z: number): number => 0.5 * ((z * z + 1) * (1 - Phi(z)) - z * phi(z));

/** Poisson pmf and cdf with mean λ. */
export const poissonP = (k: number, lambda: number): number => poissonPmf(k, lambda);
export const poissonF = (k: number, lambda: number): number => poissonCdf(k, lambda);
