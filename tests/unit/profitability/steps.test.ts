import { describe, expect, it } from 'vitest';
import { unitDays } from '../../../core/profitability/contribution';
import { lateMixture } from '../../../core/profitability/suppliers';

describe('profitability steps', () => {
  it('unit-days of stock draining at d per day over H days', () => {
    // 100 units at 10/day run out on day 10: the triangle 100²/(2·10).
    expect(unitDays(100, 10, 30)).toBe(500);
    // 500 units at 10/day over 30 days: 500·30 − 10·30²/2.
    expect(unitDays(500, 10, 30)).toBe(15000 - 4500);
    expect(unitDays(50, 0, 30)).toBe(1500);
    expect(unitDays(-5, 10, 30)).toBe(0);
  });
  it('late-delivery mixture: mean L̄ + p·m, variance sd² + 2p·m² − (p·m)²', () => {
    const r = lateMixture(10, 2, 0.1, 12);
    expect(r.mean).toBeCloseTo(11.2, 12);
    expect(r.variance).toBeCloseTo(4 + 2 * 0.1 * 144 - 1.2 ** 2, 12);
    expect(lateMixture(10, 2, 0, 12)).toEqual({ mean: 10, variance: 4 });
  });
});
