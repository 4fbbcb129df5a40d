/**
 * kσ outliers on a series of deltas. MEAN_SD is the textbook 3σ rule; MEDIAN_MAD replaces mean and
 * σ by median and 1.4826·MAD so that the outliers being looked for cannot mask themselves by
 * inflating σ (with MAD = 0, e.g. mostly identical deltas, σ falls back to 1.2533 × mean absolute
 * deviation from the median).
 */
import { Explainer, type Explanation } from '../explain';
import { MAD_TO_SIGMA, MEANAD_TO_SIGMA, mad, mean, median, sampleSd } from './stats';

export type SigmaMethod = 'MEAN_SD' | 'MEDIAN_MAD';

export interface SigmaOptions {
  /** Threshold in σ (default 3). */
  k?: number;
  method?: SigmaMethod;
  /** Fewer usable values than this: no outliers are declared (default 5). */
  minCount?: number;
}

export interface SigmaPoint {
  index: number;
  value: number | null;
  /** (value − center) / scale; null for missing values or when there is no usable scale. */
  z: number | null;
  outlier: boolean;
}

export interface SigmaResult {
  method: SigmaMethod;
  k: number;
  center: number | null;
  scale: number | null;
  points: SigmaPoint[];
  explanation: Explanation;
}

/** Consecutive differences x[i] − x[i−1]; null where either side is null. Index 0 is null. */
export function deltas(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v, i) => {
    if (i === 0) return null;
    const p = values[i - 1];
    return v === null || p === null ? null : v - p;
  });
}

export function sigmaOutliers(values: readonly (number | null)[], opts: SigmaOptions = {}): SigmaResult {
  const k = opts.k ?? 3;
  const method = opts.method ?? 'MEDIAN_MAD';
  const minCount = opts.minCount ?? 5;
  if (!(k > 0)) throw new RangeError(`k must be > 0, got ${k}`);
  if (method !== 'MEAN_SD' && method !== 'MEDIAN_MAD') throw new TypeError(`method must be MEAN_SD or MEDIAN_MAD, got ${String(method)}`);
  if (!Number.isInteger(minCount) || minCount < 2) throw new RangeError(`minCount must be an integer ≥ 2, got ${minCount}`);
  values.forEach((v, i) => {
    if (v !== null && !Number.isFinite(v)) throw new TypeError(`values[${i}] must be a finite number or null, got ${v}`);
  });
  const usable = values.filter((v): v is number => v !== null);
  const ex = new Explainer(method === 'MEAN_SD' ? '|x − mean| ≥ k·sd' : '|x − median| ≥ k·1.4826·MAD', { k, method, count: usable.length });
  let center: number | null = null;
  let scale: number | null = null;
  if (usable.length >= minCount) {
    if (method === 'MEAN_SD') {
      center = mean(usable);
      scale = sampleSd(usable);
    } else {
      center = median(usable);
      const m = mad(usable, center);
      if (m > 0) scale = MAD_TO_SIGMA * m;
      else {
        const c = center;
        scale = MEANAD_TO_SIGMA * mean(usable.map((x) => Math.abs(x - c)));
        ex.note('MAD is 0: scale from the mean absolute deviation');
      }
    }
    ex.step('center', center).step('scale σ̂', scale);
  } else {
    ex.note(`fewer than ${minCount} usable values: no outliers declared`);
  }
  const points = values.map((value, index): SigmaPoint => {
    if (value === null || center === null || scale === null || scale === 0) return { index, value, z: null, outlier: false };
    const z = (value - center) / scale;
    return { index, value, z, outlier: Math.abs(z) >= k };
  });
  ex.step('outliers', points.filter((p) => p.outlier).length);
  return { method, k, center, scale, points, explanation: ex.build() };
}
