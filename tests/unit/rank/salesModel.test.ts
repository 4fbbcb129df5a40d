import { describe, expect, it } from 'vitest';
import { calibrationPairs, simulateRankedListings } from '../../../core/rank/simulate';
import { fitRankSalesModel, leastSquares, type RankSalesModel, unitsFromRank } from '../../../core/rank/salesModel';

const pair = (rank: number, unitsPerDay: number) => ({ rank, unitsPerDay, source: 'OWN_SALES' as const });

describe('leastSquares', () => {
  it('matches the closed form on a worked example (x = 1..5, y = 2, 4, 5, 4, 5)', () => {
    // Worked by hand: x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → slope 0.6, intercept 2.2, SSE = 2.4, s² = 0.8.
    const f = leastSquares([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(f.slope).toBeCloseTo(0.6, 12);
    expect(f.intercept).toBeCloseTo(2.2, 12);
    expect(f.s2).toBeCloseTo(0.8, 12);
    expect(f.sxx).toBeCloseTo(10, 12);
  });
});

describe('fitRankSalesModel', () => {
  it('recovers an exact power law (units = 5000 · rank^−0.8)', () => {
    const fit = fitRankSalesModel([10, 50, 200, 1000, 5000, 20000].map((r) => pair(r, 5000 * r ** -0.8)));
    expect(fit.model).not.toBeNull();
    expect(fit.model!.alpha).toBeCloseTo(Math.log(5000), 10);
    expect(fit.model!.beta).toBeCloseTo(0.8, 10);
    expect(fit.model!.sigma).toBeLessThan(1e-9);
    expect(fit.model!.sources).toEqual({ OWN_SALES: 6 });
  });

  it('says why it cannot fit', () => {
    expect(fitRankSalesModel([pair(10, 5), pair(20, 4)]).reason).toMatch(/2 calibration pair\(s\).*at least 5/);
    expect(fitRankSalesModel([1, 2, 3, 4, 5].map(() => pair(100, 3))).reason).toMatch(/same rank/);
    expect(fitRankSalesModel([10, 20, 30, 40, 50].map((r) => pair(r, r))).reason).toMatch(/do not fall with rank/);
    // Zero-sales periods carry no rank information and are left out.
    expect(fitRankSalesModel([pair(10, 0), pair(20, 0), pair(30, 1), pair(40, 1), pair(50, 1)]).reason).toMatch(/3 calibration pair/);
  });
});

describe('unitsFromRank', () => {
  const model: RankSalesModel = {
    alpha: 8,
    beta: 0.9,
    sigma: 0.5,
    n: 10,
    meanLnRank: Math.log(1000),
    sxx: 12,
    minRank: 50,
    maxRank: 20000,
    sources: { OWN_SALES: 10 },
  };

  it('is the OLS prediction interval with Student t (8 df: t₀.₉ = 1.39682)', () => {
    const e = unitsFromRank(model, 1000, 0.8);
    const yHat = 8 - 0.9 * Math.log(1000);
    const se = 0.5 * Math.sqrt(1 + 1 / 10);
    expect(e.unitsPerDay).toBeCloseTo(Math.exp(yHat), 10);
    expect(Math.log(e.upper) - yHat).toBeCloseTo(1.3968153 * se, 6);
    expect(yHat - Math.log(e.lower)).toBeCloseTo(1.3968153 * se, 6);
    expect(e.extrapolated).toBe(false);
  });

  it('falls with rank, brackets its median, and widens away from the calibrated ranks', () => {
    let prev = Infinity;
    let prevWidth = 0;
    for (const r of [1000, 3000, 10000, 30000, 100000]) {
      const e = unitsFromRank(model, r);
      expect(e.unitsPerDay).toBeLessThan(prev);
      expect(e.lower).toBeLessThan(e.unitsPerDay);
      expect(e.upper).toBeGreaterThan(e.unitsPerDay);
      const width = Math.log(e.upper / e.lower);
      expect(width).toBeGreaterThan(prevWidth);
      prev = e.unitsPerDay;
      prevWidth = width;
    }
    expect(unitsFromRank(model, 100000).extrapolated).toBe(true);
  });

  it('refuses a rank below 1 or a confidence outside (0, 1)', () => {
    expect(() => unitsFromRank(model, 0)).toThrow(/rank must be a number ≥ 1/);
    expect(() => unitsFromRank(model, 10, 1)).toThrow(/confidence/);
  });
});

describe('on listings with known sales (seeded simulation)', () => {
  it('recovers the slope and its 80 % interval covers about 80 % of held-out listings', () => {
    const covered: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const all = simulateRankedListings({ alpha: 9, beta: 0.85, sigma: 0.5, listings: 300, seed });
      const fit = fitRankSalesModel(calibrationPairs(all.slice(0, 150)));
      expect(fit.model!.beta).toBeGreaterThan(0.6);
      expect(fit.model!.beta).toBeLessThan(1.1);
      const held = all.slice(150);
      covered.push(
        held.filter((l) => {
          const e = unitsFromRank(fit.model!, l.rank);
          return l.trueUnitsPerDay >= e.lower && l.trueUnitsPerDay <= e.upper;
        }).length / held.length,
      );
    }
    const mean = covered.reduce((a, b) => a + b, 0) / covered.length;
    expect(mean).toBeGreaterThan(0.72);
    expect(mean).toBeLessThan(0.88);
  });
});
