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

/**
 * Standard normal first-order loss G(z) = E[(Z − z)⁺] = φ(z) − z·(1 − Φ(z)).
 * 1 − Φ(z) is taken as Φ(−z): the subtraction loses every digit in the upper tail, where fill-rate
 * targets near 1 put z.
 */
export const stdNormalLoss = (z: number): number => phi(z) - z * Phi(-z);
/** Standard normal complementary loss Ḡ(z) = E[(z − Z)⁺] = z + G(z). */
export const stdNormalLossComplement = (z: number): number => z + stdNormalLoss(z);
/** Second-order standard normal loss G2(z) = ½[(z² + 1)(1 − Φ(z)) − z·φ(z)]. */
export const stdNormalLoss2 = (z: number): number => 0.5 * ((z * z + 1) * Phi(-z) - z * phi(z));

/** Poisson pmf and cdf with mean λ. */
export const poissonP = (k: number, lambda: number): number => poissonPmf(k, lambda);
export const poissonF = (k: number, lambda: number): number => poissonCdf(k, lambda);

function checkFinite(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
}
function checkSd(name: string, v: number): void {
  checkFinite(name, v);
  if (v < 0) throw new RangeError(`${name} must be ≥ 0, got ${v}`);
}

export interface LossValues {
  /** E[(X − x)⁺]: expected units short when stocking x (the loss function n(x)). */
  n: number;
  /** E[(x − X)⁺]: expected units left over (the complementary loss n̄(x) = (x − μ) + n(x)). */
  nBar: number;
}

/**
 * Normal first-order loss n(x) = σ·G((x − μ)/σ) and complement n̄(x) = σ·Ḡ((x − μ)/σ).
 * σ = 0 degenerates to a point mass at μ (no variability: shortage = (μ − x)⁺).
 */
export function normalLoss(x: number, mean: number, sd: number): LossValues {
  checkFinite('x', x);
  checkFinite('mean', mean);
  checkSd('sd', sd);
  if (sd === 0) return { n: Math.max(mean - x, 0), nBar: Math.max(x - mean, 0) };
  const z = (x - mean) / sd;
  const n = sd * stdNormalLoss(z);
  return { n, nBar: x - mean + n };
}

/**
 * Normal second-order loss n²(x) = ½E[((X − x)⁺)²] = σ²·G2((x − μ)/σ). Its derivative is −n(x), so
 * ∫_a^b n(y) dy = n²(a) − n²(b): this is what makes the (r,Q) cost exact in closed form.
 */
export function normalSecondLoss(x: number, mean: number, sd: number): number {
  checkFinite('x', x);
  checkFinite('mean', mean);
  checkSd('sd', sd);
  if (sd === 0) return 0.5 * Math.max(mean - x, 0) ** 2;
  return sd * sd * stdNormalLoss2((x - mean) / sd);
}

/**
 * Poisson first-order loss for stock level x (real; the sum runs over integers k > x):
 * n(x) = E[(X − x)⁺] = −(x − λ)(1 − F(⌊x⌋)) + λ·f(⌊x⌋), n̄(x) = (x − λ) + n(x).
 */
export function poissonLoss(x: number, mean: number): LossValues {
  checkFinite('x', x);
  checkSd('mean', mean);
  if (x < 0) return { n: mean - x, nBar: 0 };
  const m = Math.floor(x);
  const tail = 1 - poissonF(m, mean);
  const n = -(x - mean) * tail + mean * poissonP(m, mean);
  return { n: Math.max(n, 0), nBar: Math.max(x - mean + n, 0) };
}

/**
 * Inverse of the standard normal loss: the z with G(z) = g, for g > 0. G is strictly decreasing
 * (G′(z) = −Φ(−z)), so a bracketed Newton iteration converges in a handful of steps; bisection
 * takes over whenever Newton would leave the bracket.
 */
export function stdNormalLossInverse(g: number): number {
  checkFinite('g', g);
  if (!(g > 0)) throw new RangeError(`loss target g must be > 0, got ${g}`);
  // G(37) ≈ 1e-302: smaller targets sit where φ underflows and z is not resolvable.
  if (g < 1e-300) throw new RangeError(`loss target g = ${g} is below what double precision resolves (fill-rate target too close to 1)`);
  // Bracket: G(z) > −z everywhere, so G(−g − 1) > g; double hi until G(hi) ≤ g.
  let lo = -g - 1;
  let hi = 1;
  while (stdNormalLoss(hi) > g) hi *= 2;
  let z = g > 0.3989422804014327 ? -g : 0.5 * (lo + hi);
  for (let i = 0; i < 200; i++) {
    const f = stdNormalLoss(z) - g;
    if (f > 0) lo = z;
    else hi = z;
    const slope = -Phi(-z);
    let next = slope !== 0 ? z - f / slope : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - z) <= 1e-15 * Math.max(1, Math.abs(z))) return next;
    z = next;
    if (hi - lo <= 1e-15 * Math.max(1, Math.abs(z))) return z;
  }
  return z;
}
