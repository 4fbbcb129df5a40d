import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrationPairs, median, monthlyBadge, monthlyBucket, rankDemand } from '../../../core/rank/demand';
import { fitRankSalesModel, unitsFromRank } from '../../../core/rank/salesModel';

describe('monthlyBucket / monthlyBadge', () => {
  it('gives the bucket a badge stands for (golden)', () => {
    expect(monthlyBucket(50)).toEqual({ lower: 50, upper: 100, mid: 75 });
    expect(monthlyBucket(100)).toEqual({ lower: 100, upper: 200, mid: 150 });
    expect(monthlyBucket(900)).toEqual({ lower: 900, upper: 1000, mid: 950 });
    expect(monthlyBucket(1000)).toEqual({ lower: 1000, upper: 2000, mid: 1500 });
    expect(monthlyBucket(100000)).toEqual({ lower: 100000, upper: 200000, mid: 150000 });
    // Off-step figures (a tool that rounds differently): the bucket up to the next step.
    expect(monthlyBucket(150)).toEqual({ lower: 150, upper: 200, mid: 175 });
    expect(() => monthlyBucket(0)).toThrow(/positive/);
  });

  it('a month of u units earns a badge whose bucket holds u (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 150_000 }), (u) => {
        const b = monthlyBadge(u)!;
        const k = monthlyBucket(b);
        return k.lower <= u && u < k.upper;
      }),
    );
    expect(monthlyBadge(49)).toBeNull();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([179, 1185, 293])).toBe(293);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('calibrationPairs', () => {
  it('pairs the median rank with the badge ÷ 30, else the stock-measured rate (golden)', () => {
    expect(
      calibrationPairs([
        { ranks: [100, 300, 200], monthlySold: 300, stockPerDay: 99 },
        { ranks: [1000, 2000], monthlySold: null, stockPerDay: 4 },
        { ranks: [500], monthlySold: null, stockPerDay: null },
        { ranks: [], monthlySold: 100, stockPerDay: null },
      ]),
    ).toEqual([
      { rank: 200, unitsPerDay: 10, source: 'MONTHLY_SOLD' },
      { rank: 1500, unitsPerDay: 4, source: 'OBSERVED_STOCK' },
    ]);
  });
});

describe('rankDemand', () => {
  // An exact power law u = 2000 · r^−0.8 over ranks 10…100,000, with a little noise so σ > 0.
  const calibration = [10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000].map((r, i) => ({
    rank: r,
    unitsPerDay: 2000 * r ** -0.8 * Math.exp(i % 2 ? 0.1 : -0.1),
    source: 'OBSERVED_STOCK' as const,
  }));

  it("prefers the listing's own monthly sold figure: the bucket's midpoint with the bucket as interval", () => {
    const d = rankDemand({ ranks: [500], monthlySold: 200, estMonthlySales: 999 }, calibration, 0.8);
    expect(d).toMatchObject({ source: 'MONTHLY_SOLD', perDay: { value: 250 / 30, lower: 200 / 30, upper: 300 / 30 }, confidence: 1 });
  });

  it('takes a monthly sales estimate as a point without interval', () => {
    const d = rankDemand({ ranks: [], monthlySold: null, estMonthlySales: 600 }, [], 0.8);
    expect(d).toMatchObject({ source: 'MONTHLY_SOLD', perDay: { value: 20, lower: 20, upper: 20 }, confidence: 0 });
  });

  it('serves the rank model at the median rank, with the model interval, sources and sample size in the explanation', () => {
    const d = rankDemand({ ranks: [179, 1185, 293], monthlySold: null, estMonthlySales: null }, calibration, 0.8);
    if (d.source !== 'RANK_MODEL') throw new Error(`expected RANK_MODEL, got ${JSON.stringify(d)}`);
    const expected = unitsFromRank(fitRankSalesModel(calibration).model!, 293, 0.8);
    expect(d.perDay).toEqual({ value: expected.unitsPerDay, lower: expected.lower, upper: expected.upper });
    expect(d.perDay.value).toBeCloseTo(2000 * 293 ** -0.8, 0);
    expect(d.explanation.inputs).toMatchObject({
      medianRank: 293,
      rankReadings: 3,
      calibrationPairs: 9,
      calibrationSources: 'OBSERVED_STOCK 9',
    });
  });

  it('says why there is no figure', () => {
    expect(rankDemand({ ranks: [], monthlySold: null, estMonthlySales: null }, calibration, 0.8)).toMatchObject({
      source: null,
      reason: expect.stringMatching(/no stock, deal-claim, sales-rank or monthly-sold readings/),
    });
    expect(rankDemand({ ranks: [400], monthlySold: null, estMonthlySales: null }, calibration.slice(0, 3), 0.8)).toMatchObject({
      source: null,
      reason: expect.stringMatching(/median 400.*3 calibration pair\(s\)/),
    });
  });

  it('a worse rank never gets more units, and the interval holds the figure (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, b) => {
        const da = rankDemand({ ranks: [Math.min(a, b)], monthlySold: null, estMonthlySales: null }, calibration, 0.9);
        const db = rankDemand({ ranks: [Math.max(a, b)], monthlySold: null, estMonthlySales: null }, calibration, 0.9);
        if (da.source === null || db.source === null) return false;
        return da.perDay.value >= db.perDay.value && da.perDay.lower <= da.perDay.value && da.perDay.value <= da.perDay.upper;
      }),
    );
  });
});
