import { describe, expect, it } from 'vitest';
import {
  maxMinusAverageSafetyStock,
  cycleServiceLevel,
  daysOfCover,
  daysOfCoverScalar,
  eoq,
  eoqIncrementalDiscounts,
  eoqScalar,
  expectedShortagePerCycle,
  fillRate,
  fillRateSafetyStock,
  isoFromEpochDay,
  leadTime,
  reorderPoint,
  reorderPointScalar,
  roundOrderQuantity,
  safetyStockScalar,
  serviceLevelSafetyStock,
  sSCostPoisson,
  sSPoissonExact,
  toEpochDay,
  wagnerWhitin,
} from '../../../core/replenishment';
import { normalLoss, poissonLoss, stdNormalLoss, stdNormalLossInverse } from '../../../core/stats/normal';

describe('max-minus-average safety stock', () => {
  it('reproduces the worked example: 800 × 12 − 500 × 7 = 6100', () => {
    const r = maxMinusAverageSafetyStock({ maxDaily: 800, maxLeadTime: 12, avgDaily: 500, avgLeadTime: 7 });
    expect(r.value).toBe(6100);
    expect(r.explanation.steps.map((s) => s.value)).toEqual([9600, 3500, 6100]);
  });
  it('names the bad field', () => {
    expect(() => maxMinusAverageSafetyStock({ maxDaily: 400, maxLeadTime: 12, avgDaily: 500, avgLeadTime: 7 })).toThrow(
      /maxDaily must be ≥ avgDaily/,
    );
    expect(() => maxMinusAverageSafetyStock({ maxDaily: 800, maxLeadTime: -1, avgDaily: 500, avgLeadTime: 7 })).toThrow(
      /maxLeadTime must be ≥ 0/,
    );
    expect(() => maxMinusAverageSafetyStock({ maxDaily: 800, maxLeadTime: 12, avgDaily: Number.NaN, avgLeadTime: 7 })).toThrow(
      /avgDaily must be a finite number/,
    );
  });
});

describe('lead time decomposition (procurement + shipping + inbound)', () => {
  it('adds means and variances: 3 + 2 + 1 = 6 days', () => {
    const r = leadTime({ procurement: { mean: 3, sd: 1.2 }, shipping: { mean: 2, sd: 0.9 }, inbound: { mean: 1, sd: 0.4 } });
    expect(r.mean).toBe(6);
    expect(r.variance).toBeCloseTo(1.44 + 0.81 + 0.16, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(2.41), 12);
  });
  it('rejects a missing stage by name', () => {
    expect(() => leadTime({ procurement: { mean: 3, sd: 1 }, shipping: { mean: 2, sd: 1 } } as never)).toThrow(/inbound must be an object/);
    expect(() => leadTime({ procurement: { mean: 3, sd: -1 }, shipping: { mean: 2, sd: 1 }, inbound: { mean: 1, sd: 0 } })).toThrow(
      /procurement\.sd must be ≥ 0/,
    );
  });
});

describe('service-level and fill-rate safety stock', () => {
  it('z·√(L̄σ_d² + d̄²σ_L²) by hand', () => {
    // d̄ = 100, σ_d = 30, L̄ = 6, σ_L = 1.5: √(6·900 + 100²·2.25) = √27900.
    const r = serviceLevelSafetyStock({ serviceLevel: 0.95, demandMean: 100, demandSd: 30, leadTimeMean: 6, leadTimeSd: 1.5 });
    expect(r.sigmaLTD).toBeCloseTo(Math.sqrt(27900), 10);
    expect(r.value).toBeCloseTo(1.6448536269514722 * Math.sqrt(27900), 9);
  });
  it('fill-rate variant meets its target exactly', () => {
    const i = { demandMean: 100, demandSd: 30, leadTimeMean: 6, leadTimeSd: 1.5, orderQuantity: 1000 };
    const r = fillRateSafetyStock({ ...i, fillRate: 0.99 });
    expect(fillRate(r.value, r.sigmaLTD, 1000)).toBeCloseTo(0.99, 10);
    expect(expectedShortagePerCycle(r.value, r.sigmaLTD)).toBeCloseTo(10, 8);
    // No variability: no buffer needed.
    expect(fillRateSafetyStock({ ...i, demandSd: 0, leadTimeSd: 0, fillRate: 0.999 }).value).toBe(0);
  });
  it('CSL and ESC at a given buffer, degenerate σ = 0', () => {
    expect(cycleServiceLevel(0, 50)).toBeCloseTo(0.5, 14);
    expect(expectedShortagePerCycle(0, 50)).toBeCloseTo(50 * 0.3989422804014327, 12);
    expect(cycleServiceLevel(10, 0)).toBe(1);
    expect(expectedShortagePerCycle(-10, 0)).toBe(10);
  });
  it('rejects service levels outside (0, 1)', () => {
    expect(() => serviceLevelSafetyStock({ serviceLevel: 1, demandMean: 1, demandSd: 1, leadTimeMean: 1, leadTimeSd: 0 })).toThrow(
      /serviceLevel must be in \(0, 1\)/,
    );
  });
});

describe('ROP, days of cover and sheet scalars', () => {
  it('ROP = d̄·L̄ + SS and days of cover', () => {
    expect(reorderPoint({ dailyDemand: 500, leadTimeDays: 7, safetyStock: 6100 })).toBe(9600);
    expect(daysOfCover(300, 500, 100)).toBe(8);
    expect(daysOfCover(300, 0, 0)).toBe(Infinity);
    expect(() => daysOfCover(300, -1, 10)).toThrow(/inTransit/);
  });
  it('scalar custom functions match the object API', () => {
    expect(reorderPointScalar(500, 7, 6100)).toBe(9600);
    expect(reorderPointScalar(500, 7, '' as unknown as number)).toBe(3500);
    expect(safetyStockScalar(0.95, 100, 30, 6, 1.5)).toBeCloseTo(1.6448536269514722 * Math.sqrt(27900), 9);
    expect(eoqScalar(1300, 8, 0.225, 1)).toBeCloseTo(304.0467800264368, 10);
    expect(daysOfCoverScalar(300, 500, 100)).toBe(8);
    expect(() => daysOfCoverScalar(300, 0, 0)).toThrow(/dailyDemand is 0/);
    expect(() => eoqScalar('x' as unknown as number, 8, 0.2, 1)).toThrow(/annualDemand must be a number/);
  });
});

describe('EOQ with all-units tiers', () => {
  const input = {
    annualDemand: 1300,
    orderCost: 8,
    holdingRate: 0.3,
    unitCost: 0.75,
    tiers: [
      { minQuantity: 800, unitCost: 0.68 },
      { minQuantity: 400, unitCost: 0.72 },
    ],
  };
  it('tier indexes the caller array (unsorted input), null = base price', () => {
    const r = eoq(input);
    expect(r.quantity).toBe(800);
    expect(r.tier).toBe(0); // the 800-unit tier is tiers[0] as given
    expect(r.unitCost).toBe(0.68);
    // 0.68·1300 + 8·1300/800 + 0.3·0.68·800/2 = 884 + 13 + 81.6
    expect(r.annualCost).toBeCloseTo(978.6, 10);
    expect(eoq({ ...input, tiers: undefined }).tier).toBeNull();
  });
  it('curve is bounded, sorted, contains the breakpoints and the optimum, and the optimum is cheapest', () => {
    const r = eoq(input);
    expect(r.curve.length).toBeLessThanOrEqual(60);
    expect(r.curve.length).toBeGreaterThan(20);
    const qs = r.curve.map((p) => p.quantity);
    expect([...qs].sort((a, b) => a - b)).toEqual(qs);
    expect(qs).toContain(400);
    expect(qs).toContain(800);
    expect(qs).toContain(r.quantity);
    for (const p of r.curve) expect(p.annualCost).toBeGreaterThanOrEqual(r.annualCost - 1e-9);
  });
  it('validates tiers', () => {
    expect(() => eoq({ ...input, tiers: [{ minQuantity: 400, unitCost: 0.8 }] })).toThrow(/tiers\[0\]\.unitCost must not exceed/);
    expect(() =>
      eoq({
        ...input,
        tiers: [
          { minQuantity: 400, unitCost: 0.7 },
          { minQuantity: 400, unitCost: 0.6 },
        ],
      }),
    ).toThrow(/duplicates/);
    expect(() => eoq({ ...input, orderCost: 0 })).toThrow(/orderCost must be > 0/);
  });
  it('incremental discounts cost more than all-units at the same breaks', () => {
    const inc = eoqIncrementalDiscounts(input);
    expect(inc.annualCost).toBeGreaterThan(eoq(input).annualCost);
  });
});

describe('rounding to MOQ, case pack and storage', () => {
  it('hand examples', () => {
    expect(roundOrderQuantity(400, { moq: 500, casePack: 48 }).quantity).toBe(528);
    expect(roundOrderQuantity(1000, { casePack: 50 }).quantity).toBe(1000);
    expect(roundOrderQuantity(300.00000000000006, { casePack: 10 }).quantity).toBe(300);
    expect(roundOrderQuantity(-5, { moq: 100 }).quantity).toBe(0);
    const capped = roundOrderQuantity(1392, { moq: 500, casePack: 48, maxQuantity: 925 });
    expect(capped).toMatchObject({ quantity: 912, cappedByStorage: true, infeasible: false });
    const none = roundOrderQuantity(1392, { moq: 500, casePack: 48, maxQuantity: 400 });
    expect(none).toMatchObject({ quantity: 0, cappedByStorage: true, infeasible: true });
  });
  it('rejects a fractional case pack', () => {
    expect(() => roundOrderQuantity(10, { casePack: 2.5 })).toThrow(/casePack must be an integer/);
  });
});

describe('loss functions', () => {
  it('inverse of G round-trips across the range', () => {
    for (const z of [-4, -1.5, 0, 0.3, 1, 2.5, 4, 6]) expect(stdNormalLossInverse(stdNormalLoss(z))).toBeCloseTo(z, 9);
    expect(() => stdNormalLossInverse(0)).toThrow(/must be > 0/);
    expect(() => stdNormalLossInverse(1e-320)).toThrow(/too close to 1/);
  });
  it('degenerate and negative arguments', () => {
    expect(normalLoss(10, 15, 0)).toEqual({ n: 5, nBar: 0 });
    expect(poissonLoss(-2, 3)).toEqual({ n: 5, nBar: 0 });
    // Poisson n(x) by direct summation.
    let direct = 0;
    let pk = Math.exp(-4);
    for (let k = 0; k < 80; k++) {
      if (k > 2.5) direct += (k - 2.5) * pk;
      pk *= 4 / (k + 1);
    }
    expect(poissonLoss(2.5, 4).n).toBeCloseTo(direct, 12);
  });
});

describe('(s, S) exact and Wagner–Whitin against brute force', () => {
  it('Zheng–Federgruen finds the grid optimum', () => {
    for (const [h, p, K, mu] of [
      [1, 4, 5, 6],
      [1, 9, 20, 3],
      [2, 10, 50, 10],
    ]) {
      const best = sSPoissonExact({ holdingCost: h, stockoutCost: p, orderCost: K, demandMean: mu });
      let min = Infinity;
      for (let s = -5; s < 40; s++) {
        for (let S = s + 1; S < 60; S++)
          min = Math.min(
            min,
            sSCostPoisson({ holdingCost: h, stockoutCost: p, orderCost: K, demandMean: mu, reorderPoint: s, orderUpTo: S }),
          );
      }
      expect(best.cost).toBeCloseTo(min, 10);
    }
  });
  it('Wagner–Whitin equals the cheapest of all order schedules', () => {
    const demand = [40, 0, 75, 20, 110, 5, 60];
    const K = 120;
    const h = 1.5;
    const ww = wagnerWhitin({ demand, orderCost: K, holdingCost: h });
    let min = Infinity;
    // Every subset of order periods that includes period 0 (the first demand must be covered).
    for (let mask = 0; mask < 1 << demand.length; mask++) {
      if (!(mask & 1)) continue;
      let cost = 0;
      let last = 0;
      for (let t = 0; t < demand.length; t++) {
        if (mask & (1 << t)) {
          last = t;
          cost += K;
        }
        cost += h * (t - last) * demand[t];
      }
      min = Math.min(min, cost);
    }
    expect(ww.cost).toBeCloseTo(min, 10);
    expect(ww.orders.reduce((a, b) => a + b, 0)).toBe(demand.reduce((a, b) => a + b, 0));
  });
});

describe('calendar days', () => {
  it('round-trips ISO dates and rejects impossible ones', () => {
    expect(toEpochDay('today', '1970-01-01')).toBe(0);
    expect(toEpochDay('today', '2024-02-29')).toBe(19782);
    for (const d of [-719162, -1, 0, 59, 10957, 19782, 2932896]) expect(toEpochDay('d', isoFromEpochDay(d))).toBe(d);
    expect(() => toEpochDay('today', '2025-02-30')).toThrow(/today is not a valid calendar date/);
    expect(() => toEpochDay('today', '03/01/2025')).toThrow(/today must be an ISO date/);
  });
});
