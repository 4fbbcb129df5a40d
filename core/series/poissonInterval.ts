/**
 * Exact (Garwood) confidence interval for a Poisson mean from an observed count, by bisection on the
 * Poisson CDF. Used for sales rates: N units over T hours gives a rate interval [L/T, U/T].
 */
import { poissonF } from '../stats/normal';

function bisect(f: (mu: number) => number, lo: number, hi: number): number {
  // f is decreasing in mu with a sign change in [lo, hi].
  for (let it = 0; it < 100; it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-10 * Math.max(1, hi)) break;
  }
  return 0.5 * (lo + hi);
}

/**
 * Two-sided interval with coverage `confidence` for the mean of a Poisson count `n` (rounded to the
 * nearest integer; fractional units arise from claimed% × quantity).
 */
export function poissonMeanInterval(n: number, confidence = 0.9): { lower: number; upper: number } {
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`count must be a finite number ≥ 0, got ${n}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const k = Math.round(n);
  const a = (1 - confidence) / 2;
  const span = k + 12 * Math.sqrt(k + 1) + 12;
  // P(X ≥ k | mu) = a  ⇔  1 − F(k − 1; mu) = a; F decreasing in mu.
  const lower = k === 0 ? 0 : bisect((mu) => poissonF(k - 1, mu) - (1 - a), 0, span);
  // F(k; mu) = a.
  const upper = bisect((mu) => poissonF(k, mu) - a, 0, span);
  return { lower, upper };
}
