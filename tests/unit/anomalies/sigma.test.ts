import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, MEANAD_TO_SIGMA, deltas, mad, median, sigmaOutliers } from '../../../core/anomalies';

describe('median / MAD', () => {
  it('hand-computed', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1); // |dev| = 2,1,0,1,97 → median 1
    expect(MAD_TO_SIGMA).toBeCloseTo(1.4826, 4);
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('kσ outliers on deltas', () => {
  it('deltas are consecutive differences with nulls propagated', () => {
    expect(deltas([1, 3, null, 4, 10])).toEqual([null, 2, null, null, 6]);
  });

  it('MEDIAN_MAD flags the 100 in 1,2,3,4,100 (z = 97/1.4826 ≈ 65.4); MEAN_SD is masked by it (z ≈ 1.79)', () => {
    const robust = sigmaOutliers([1, 2, 3, 4, 100], { k: 3, method: 'MEDIAN_MAD' });
    expect(robust.center).toBe(3);
    expect(robust.scale).toBeCloseTo(MAD_TO_SIGMA, 12);
    expect(robust.points[4].z).toBeCloseTo(97 / MAD_TO_SIGMA, 9);
    expect(robust.points.map((p) => p.outlier)).toEqual([false, false, false, false, true]);
    const classic = sigmaOutliers([1, 2, 3, 4, 100], { k: 3, method: 'MEAN_SD' });
    expect(classic.center).toBe(22);
    expect(classic.scale).toBeCloseTo(Math.sqrt(7610 / 4), 9);
    expect(classic.points[4].z).toBeCloseTo(78 / Math.sqrt(1902.5), 9);
    expect(classic.points.some((p) => p.outlier)).toBe(false);
  });

  it('MAD = 0 falls back to 1.2533 × mean absolute deviation', () => {
    const r = sigmaOutliers([5, 5, 5, 5, 5, 5, 8]);
    expect(r.scale).toBeCloseTo((MEANAD_TO_SIGMA * 3) / 7, 12);
    expect(r.points[6].outlier).toBe(true);
    expect(r.explanation.notes).toContain('MAD is 0: scale from the mean absolute deviation');
    // All identical: no scale, no outliers.
    expect(sigmaOutliers([2, 2, 2, 2, 2]).points.every((p) => !p.outlier && p.z === null)).toBe(true);
  });

  it('declares nothing with fewer than minCount values, skips nulls, validates', () => {
    expect(sigmaOutliers([1, 2, 100], { minCount: 5 }).points.some((p) => p.outlier)).toBe(false);
    const r = sigmaOutliers([null, 1, 2, 3, 4, 100]);
    expect(r.points[0]).toEqual({ index: 0, value: null, z: null, outlier: false });
    expect(r.points[5].outlier).toBe(true);
    expect(() => sigmaOutliers([1, NaN])).toThrow(/values\[1\] must be a finite number/);
    expect(() => sigmaOutliers([1], { k: 0 })).toThrow(/k must be > 0/);
  });
});
