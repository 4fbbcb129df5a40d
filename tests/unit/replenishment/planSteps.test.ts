/**
 * The formula-carrying steps of the replenishment plan, each against hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import { Explainer } from '../../../core/explain';
import {
  defaultPeakCoefficient,
  demandCv,
  demandOver,
  demandProfile,
  eoqBatches,
  expectedFillRate,
  fillRateCycleQuantity,
  fillRateOption,
  leadTimeDemand,
  maxMinusAverageInputs,
  orderByProjection,
  peakCoverageQuantity,
  peakDemandOver,
  planEoq,
  stockoutProjection,
  wholeDays,
} from '../../../core/replenishment/planSteps';
import { stdNormalLoss } from '../../../core/stats/normal';

const flat = (d: number) => () => d;

describe('demand profile', () => {
  it('uses the forecast while it lasts, then the mean, times 1 + uplift on promotion days', () => {
    const p = demandProfile(10, [4, 6], { uplift: 0.5, start: 101, end: 102 }, 100);
    expect([0, 1, 2, 3].map(p.baseDay)).toEqual([4, 6, 10, 10]);
    expect([0, 1, 2, 3].map(p.upliftOn)).toEqual([1, 1.5, 1.5, 1]);
    expect([0, 1, 2, 3].map(p.demandOn)).toEqual([4, 9, 15, 10]);
  });
});

describe('demandOver: Σ min(1, days − k)·d(start + k)', () => {
  it('counts whole days fully and the last day by its fraction', () => {
    expect(demandOver(2.5, 0, (k) => k + 1)).toBe(1 + 2 + 0.5 * 3);
    expect(demandOver(2.5, 3, (k) => k + 1)).toBe(4 + 5 + 0.5 * 6);
    expect(demandOver(0, 0, flat(100))).toBe(0);
  });
  it('treats floating-point noise above a whole day as that day', () => {
    expect(wholeDays(6 + 1e-12)).toBe(6);
    expect(wholeDays(6.25)).toBe(7);
    expect(demandOver(0.1 + 0.2 + 5.7, 0, flat(1))).toBeCloseTo(6, 12);
  });
});

describe('leadTimeDemand: σ_LTD = √(L̄·σ_d² + d̄²·σ_L²)', () => {
  it('matches the hand computation without a promotion', () => {
    const r = leadTimeDemand(6, 1.5, 30, demandProfile(100, undefined, undefined, 0));
    expect(r).toEqual({ mean: 600, daily: 100, upliftFactor: 1, dailySd: 30, sd: Math.sqrt(6 * 900 + 10000 * 2.25) });
  });
  it('scales σ_d by the uplift factor (constant CV)', () => {
    const r = leadTimeDemand(4, 0, 10, demandProfile(50, undefined, { uplift: 0.3 }, 0));
    expect(r.upliftFactor).toBeCloseTo(1.3, 12);
    expect(r.daily).toBeCloseTo(65, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(4 * 13 ** 2), 12);
  });
  it("takes today's demand when the lead time is 0", () => {
    expect(leadTimeDemand(0, 0, 5, demandProfile(40, undefined, undefined, 0)).daily).toBe(40);
  });
});

describe('maxMinusAverageInputs', () => {
  const ltd = { mean: 600, daily: 100, upliftFactor: 1, dailySd: 30, sd: 0 };
  it('defaults max lead time to L̄ + 3σ_L and max daily to d̄ + 3σ_d', () => {
    const ex = new Explainer('t');
    const r = maxMinusAverageInputs(
      { maxLeadTimeDays: undefined, demandMax: undefined, L: 6, leadTimeSd: 1.5, meanDaily: 100, sdDaily: 30, ltd },
      ex,
      [],
    );
    expect(r).toEqual({ maxDaily: 190, maxLeadTime: 10.5 });
    expect(ex.build().notes).toHaveLength(2);
  });
  it('floors a maximum below its average at the average, with a warning', () => {
    const warnings: string[] = [];
    const r = maxMinusAverageInputs(
      { maxLeadTimeDays: 4, demandMax: 80, L: 6, leadTimeSd: 1.5, meanDaily: 100, sdDaily: 30, ltd },
      new Explainer('t'),
      warnings,
    );
    expect(r).toEqual({ maxDaily: 100, maxLeadTime: 6 });
    expect(warnings).toHaveLength(2);
  });
});

describe('planEoq: √(2·K·D/(i·c)), D = d̄ × 365', () => {
  it('computes the EOQ from daily demand', () => {
    expect(planEoq({ orderCost: 50, holdingRate: 0.25, unitCost: 8 }, 100, new Explainer('t'))?.quantity).toBeCloseTo(
      Math.sqrt((2 * 50 * 36500) / 2),
      9,
    );
  });
  it('is null without costs or demand', () => {
    expect(planEoq({ orderCost: 50, holdingRate: 0.25 }, 100, new Explainer('t'))).toBeNull();
    expect(planEoq({ orderCost: 50, holdingRate: 0.25, unitCost: 8 }, 0, new Explainer('t'))).toBeNull();
  });
});

describe('peak coverage', () => {
  it('coefficient 1.2, or 1.3 when the CV σ_d/d̄ is at least 0.5', () => {
    expect(demandCv(100, 30)).toBe(0.3);
    expect(demandCv(0, 30)).toBe(0);
    expect(defaultPeakCoefficient(0.49)).toBe(1.2);
    expect(defaultPeakCoefficient(0.5)).toBe(1.3);
  });
  it('peak demand sums the daily peak over the coverage, the last day by its fraction', () => {
    expect(peakDemandOver(20, undefined, flat(100))).toBe(2000);
    expect(peakDemandOver(2.5, 150, flat(100))).toBe(375);
    expect(peakDemandOver(0, 150, flat(100))).toBe(0);
  });
  it('Q = peak demand × coefficient − position', () => {
    expect(peakCoverageQuantity(1500, 1.2, 800)).toBeCloseTo(1000, 9);
    expect(peakCoverageQuantity(300, 1.2, 500)).toBeCloseTo(-140, 9);
  });
});

describe('fill-rate rule', () => {
  it('cycle quantity: EOQ, else a positive peak-coverage quantity, else max(d̄·max(C, 1), 1)', () => {
    expect(fillRateCycleQuantity(427, 900, 100, 20)).toBe(427);
    expect(fillRateCycleQuantity(null, 900, 100, 20)).toBe(900);
    expect(fillRateCycleQuantity(null, -5, 100, 20)).toBe(2000);
    expect(fillRateCycleQuantity(null, -5, 100, 0.5)).toBe(100);
    expect(fillRateCycleQuantity(null, 0, 0, 0)).toBe(1);
  });
  it('σ·G(k) = (1 − P2)·Q, SS = k·σ, ABC multiplier on the value', () => {
    const o = fillRateOption(0.99, 1000, 200, 1.2, new Explainer('t'));
    expect(200 * stdNormalLoss(o.k)).toBeCloseTo(10, 8);
    expect(o.raw).toBeCloseTo(o.k * 200, 9);
    expect(o.value).toBeCloseTo(Math.max(0, 1.2 * o.raw), 9);
    expect(fillRateOption(0.99, 1000, 0, 1, new Explainer('t'))).toEqual({ raw: 0, value: 0, fillRate: 0.99, k: 0, cycleQuantity: 1000 });
  });
});

describe('orderByProjection', () => {
  it('already below ROP: ⌊(ROP − position)/d₀⌋ days ago', () => {
    expect(orderByProjection(500, 874.7, 274.7, 6, 365, flat(100))).toEqual({ daysFromToday: -3, positionAtOrder: 500 });
    expect(orderByProjection(500, 874.7, 274.7, 6, 365, flat(0))).toEqual({ daysFromToday: -0, positionAtOrder: 500 });
  });
  it('above ROP: the first day the position after its demand is ≤ LTD(k + 1) + SS', () => {
    // 2000 − 100(k + 1) ≤ 600 + 274.7 first at k = 11 (position 800).
    expect(orderByProjection(2000, 874.7, 274.7, 6, 365, flat(100))).toEqual({ daysFromToday: 11, positionAtOrder: 800 });
    expect(orderByProjection(2000, 874.7, 274.7, 6, 5, flat(100))).toEqual({ daysFromToday: null, positionAtOrder: 2000 });
  });
});

describe('stockoutProjection', () => {
  it('first day on hand falls below 0, open orders arriving on their day (overdue ones today)', () => {
    expect(stockoutProjection(300, [], 100, 365, flat(100))).toBe(3);
    expect(stockoutProjection(300, [{ quantity: 500, day: 102 }], 100, 365, flat(100))).toBe(8);
    expect(stockoutProjection(300, [{ quantity: 500, day: 90 }], 100, 365, flat(100))).toBe(8);
    expect(stockoutProjection(300, [], 100, 2, flat(100))).toBeNull();
  });
});

describe('eoqBatches: n = ⌊max(ROP − position, 0)/EOQ⌋ + 1 when ordering now', () => {
  it('lifts the position above ROP with whole batches', () => {
    expect(eoqBatches(true, 874.7, 500, 100)).toBe(4);
    expect(eoqBatches(true, 500, 500, 100)).toBe(1);
    expect(eoqBatches(false, 874.7, 500, 100)).toBe(1);
  });
});

describe('expectedFillRate: max(0, 1 − ESC/Q)', () => {
  it('is null without a cycle quantity', () => {
    expect(expectedFillRate(5, 100)).toBe(0.95);
    expect(expectedFillRate(500, 100)).toBe(0);
    expect(expectedFillRate(5, null)).toBeNull();
    expect(expectedFillRate(5, 0)).toBeNull();
  });
});
