import { describe, expect, it } from 'vitest';
import { requiredRankImprovement } from '../../../core/anomalies/detect';
import { toleranceFor } from '../../../core/anomalies/reconcile';

describe('anomaly and reconciliation steps', () => {
  it('a drop requires a rank improvement of max(ε, elasticity × ln(drop ÷ typical drop))', () => {
    // A drop e² times the typical one with elasticity 0.25: 0.5 log points.
    expect(requiredRankImprovement(10 * Math.E ** 2, 10, 0.05, 0.25)).toBeCloseTo(0.5, 12);
    // At or below the typical drop only ε is required.
    expect(requiredRankImprovement(10, 10, 0.05, 0.25)).toBe(0.05);
    expect(requiredRankImprovement(3, 10, 0.05, 0.25)).toBe(0.05);
  });
  it('tolerance is max(absolute, relative × max(|expected|, |actual|))', () => {
    const tol = { absolute: 2, relative: 0.01 };
    expect(toleranceFor(tol, 100, 90)).toBe(2);
    expect(toleranceFor(tol, 500, -900)).toBe(9);
  });
});
