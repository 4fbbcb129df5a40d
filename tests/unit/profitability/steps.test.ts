import { describe, expect, it } from 'vitest';
import { unitDays } from '../../../core/profitability/contribution';
import { leadTimeStockoutRisk } from '../../../core/profitability/priority';
import { lateMixture } from '../../../core/profitability/suppliers';
import { Phi } from '../../../core/stats/normal';

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
  it('lead-time stockout risk: μ = d̄·L̄, σ = √(L̄·σ_d² + d̄²·σ_L²), risk = Φ((μ − position)/σ)', () => {
    // d̄ = 10 ± 3, L̄ = 4 ± 1: μ = 40, σ = √(4·9 + 100·1) = √136.
    const r = leadTimeStockoutRisk(10, 3, 4, 1, 50);
    expect(r.ltdMean).toBe(40);
    expect(r.sigma).toBeCloseTo(Math.sqrt(136), 12);
    expect(r.risk).toBeCloseTo(Phi((40 - 50) / Math.sqrt(136)), 12);
    // Position equal to the mean: even odds.
    expect(leadTimeStockoutRisk(10, 3, 4, 1, 40).risk).toBeCloseTo(0.5, 12);
    // Certain demand: 1 when it exceeds the position, else 0.
    expect(leadTimeStockoutRisk(10, 0, 4, 0, 39)).toEqual({ ltdMean: 40, sigma: 0, risk: 1 });
    expect(leadTimeStockoutRisk(10, 0, 4, 0, 40).risk).toBe(0);
  });
});
