import { describe, expect, it } from 'vitest';
import { lineOnIndex } from '../../../core/forecast/holtwinters';

describe('Holt-Winters steps', () => {
  it('start level and trend: least-squares line on the index 1..k', () => {
    // Exactly on y = 3 + 2·i.
    const exact = lineOnIndex([5, 7, 9, 11]);
    expect(exact.intercept).toBeCloseTo(3, 12);
    expect(exact.slope).toBeCloseTo(2, 12);
    // y = 1, 3, 2: x̄ = 2, ȳ = 2, slope = ((−1)(−1) + 0 + (1)(0)) / 2 = 0.5, intercept = 2 − 0.5·2 = 1.
    expect(lineOnIndex([1, 3, 2])).toEqual({ intercept: 1, slope: 0.5 });
  });
});
