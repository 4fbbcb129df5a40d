/** Small robust statistics used by the anomaly detectors. */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('mean of an empty list');
  return xs.reduce((a, x) => a + x, 0) / xs.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  // A typed copy sorts numerically without a comparator (several times faster: the per-reading
  // anomaly flags take a few medians per reading).
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation (raw, not scaled). */
export function mad(xs: readonly number[], center = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - center)));
}

/** 1.4826 makes MAD a consistent estimator of σ for normal data (1/Φ⁻¹(0.75)). */
export const MAD_TO_SIGMA = 1.482602218505602;
/** √(π/2): mean absolute deviation → σ for normal data; the fallback when MAD is 0. */
export const MEANAD_TO_SIGMA = 1.2533141373155001;
