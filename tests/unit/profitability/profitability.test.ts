import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSuppliers,
  holdingCost,
  landedCost,
  priorityMatrix,
  profitabilityScenario,
  stockoutOpportunityCost,
  type CompareSuppliersInput,
  type ProfitabilityScenarioInput,
} from '../../../core/profitability';
import { Phi } from '../../../core/stats/normal';

describe('landed, holding and stockout costs', () => {
  it('landed = unit + freight + insurance + duty (CIF)', () => {
    const r = landedCost({ unitCost: 30, freightPerUnit: 2, insuranceRate: 0.005, dutyRate: 0.05 });
    expect(r.insurance).toBeCloseTo(0.16, 12); // 0.5 % of 32
    expect(r.duty).toBeCloseTo(1.608, 12); // 5 % of 32.16
    expect(r.landedUnitCost).toBeCloseTo(33.768, 12);
    const fob = landedCost({ unitCost: 30, freightPerShipment: 1000, shipmentQuantity: 500, dutyRate: 0.05, dutyBasis: 'FOB' });
    expect(fob.freight).toBe(2);
    expect(fob.landedUnitCost).toBeCloseTo(30 + 2 + 1.5, 12);
    expect(() => landedCost({ unitCost: 30, freightPerShipment: 1000 })).toThrow(/shipmentQuantity must be a finite number/);
    expect(() => landedCost({ unitCost: 30, dutyRate: -0.1 })).toThrow(/dutyRate must be ≥ 0/);
  });
  it('holding = storage + capital + shrink, here the common rule of thumb of 15 % of the purchase price a year', () => {
    const r = holdingCost({ unitValue: 100, storagePerUnitPerYear: 5, capitalRate: 0.08, shrinkRate: 0.02 });
    expect(r.perUnitPerYear).toBeCloseTo(15, 12);
    expect(r.holdingRate).toBeCloseTo(0.15, 12);
    expect(r.perUnitPerDay).toBeCloseTo(15 / 365, 12);
    expect(() => holdingCost({ unitValue: 0 })).toThrow(/unitValue must be > 0/);
  });
  it('stockout opportunity cost: lost margin plus churned customers', () => {
    const r = stockoutOpportunityCost({
      dailyDemand: 20,
      stockoutDays: 5,
      unitPrice: 50,
      unitCost: 33.768,
      churnRate: 0.1,
      futureContributionPerCustomer: 40,
    });
    expect(r.lostUnits).toBe(100);
    expect(r.lostRevenue).toBe(5000);
    expect(r.lostContribution).toBeCloseTo(100 * 16.232, 9);
    expect(r.longTermLoss).toBeCloseTo(400, 9);
    expect(r.total).toBeCloseTo(1623.2 + 400, 9);
  });
});

describe('contribution curve over the order quantity', () => {
  // Three-month forecast of 900 units, price break at 800, 1000 units of storage before overflow fees: contribution
  // rises through the price break, peaks, then falls once holding and overflow storage cost more than the extra sales earn.
  const scenario: ProfitabilityScenarioInput = {
    price: 50,
    landed: { unitCost: 30, freightPerUnit: 2, insuranceRate: 0.005, dutyRate: 0.05 },
    tiers: [{ minQuantity: 800, unitCost: 28 }],
    orderCost: 500,
    holding: { storagePerUnitPerYear: 6, capitalRate: 0.1, shrinkRate: 0.02 },
    storage: { capacity: 1000, overflowPerUnitPerDay: 0.15 },
    demand: { dailyMean: 10, dailySd: 4 },
    horizonDays: 90,
    maxQuantity: 2000,
  };
  const r = profitabilityScenario(scenario);
  const at = (q: number) => profitabilityScenario({ ...scenario, maxQuantity: q }).curve.find((p) => p.quantity === q);

  it('rate rises from 500 to 800 units, then contribution falls once storage costs bite', () => {
    const p500 = at(500);
    const p800 = at(800);
    const p1500 = at(1500);
    expect(p500 && p800 && p1500).toBeTruthy();
    expect(p800?.contributionRate as number).toBeGreaterThan(p500?.contributionRate as number);
    expect(r.best.quantity).toBeGreaterThan(800);
    expect(r.best.quantity).toBeLessThanOrEqual(1100);
    expect(p1500?.contribution as number).toBeLessThan(r.best.contribution);
    expect(p1500?.overflowCost as number).toBeGreaterThan(0);
  });
  it('is unimodal: non-decreasing up to the best quantity, non-increasing after', () => {
    const c = r.curve;
    expect(c.length).toBeLessThanOrEqual(60);
    const k = c.findIndex((p) => p.quantity === r.best.quantity);
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(c.length - 1);
    for (let j = 1; j <= k; j++) expect(c[j].contribution).toBeGreaterThanOrEqual(c[j - 1].contribution - 1e-9);
    for (let j = k + 1; j < c.length; j++) expect(c[j].contribution).toBeLessThanOrEqual(c[j - 1].contribution + 1e-9);
    for (const p of c) expect(p.contribution).toBeLessThanOrEqual(r.best.contribution + 1e-9);
  });
  it('the best quantity beats its integer neighbours', () => {
    const q = r.best.quantity;
    for (const n of [q - 1, q + 1]) {
      const p = profitabilityScenario({ ...scenario, maxQuantity: n }).curve.find((x) => x.quantity === n);
      expect(p?.contribution as number).toBeLessThanOrEqual(r.best.contribution + 1e-9);
    }
  });
  it('hand check at Q = 500: sales, COGS, order and holding cost', () => {
    const p = at(500);
    const mu = 900;
    const sigma = 4 * Math.sqrt(90);
    const z = (500 - mu) / sigma;
    const lost = sigma * (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI) - z * (1 - Phi(z)));
    expect(p?.expectedUnitsSold).toBeCloseTo(mu - lost, 6);
    expect(p?.landedUnitCost).toBeCloseTo(33.768, 9);
    // Stock 500 drains at 10/day: 500²/(2·10) = 12500 unit-days.
    const perUnitDay = 6 / 365 + (0.12 * 33.768) / 365;
    expect(p?.holdingCost).toBeCloseTo(12500 * perUnitDay, 6);
    expect(p?.contribution).toBeCloseTo(50 * (mu - lost) - 33.768 * (mu - lost) - 500 - 12500 * perUnitDay, 6);
  });
});

const AB: CompareSuppliersInput = {
  // The classic A/B: A 5 % cheaper with an erratic lead time (90 % on time), B stable. The reorder
  // point is set from each supplier's quoted lead time, as sellers commonly do.
  suppliers: [
    {
      name: 'A',
      unitCost: 9.5,
      leadTime: { procurement: { mean: 6, sd: 3 }, shipping: { mean: 3, sd: 1.5 }, inbound: { mean: 1, sd: 0.5 } },
      onTimeRate: 0.9,
      lateDelayDays: 12,
      orderCost: 100,
    },
    {
      name: 'B',
      unitCost: 10,
      leadTime: { procurement: { mean: 6, sd: 0.5 }, shipping: { mean: 3, sd: 0.5 }, inbound: { mean: 1, sd: 0.2 } },
      onTimeRate: 0.98,
      lateDelayDays: 2,
      orderCost: 100,
    },
  ],
  demand: { dailyMean: 100, dailySd: 30 },
  price: 40,
  holdingRate: 0.25,
  reorderPointBasis: 'QUOTED',
  seed: 2024,
  runs: 200,
};

describe('supplier comparison by seeded Monte Carlo', () => {
  it('is deterministic for a seed and changes with it', () => {
    const a = compareSuppliers(AB);
    const b = compareSuppliers(AB);
    expect(b).toEqual(a);
    const c = compareSuppliers({ ...AB, seed: 7 });
    expect(c.suppliers[0].expectedProfit).not.toBe(a.suppliers[0].expectedProfit);
  });
  it('recommends the stable supplier B over the 5 % cheaper but erratic A, with a reason', () => {
    for (const seed of [1, 2024, 99]) {
      const r = compareSuppliers({ ...AB, seed });
      const [A, B] = r.suppliers;
      expect(r.recommended).toBe('B');
      expect(B.expectedProfit).toBeGreaterThan(A.expectedProfit * 1.01);
      expect(A.expectedStockoutDays).toBeGreaterThan(5 * B.expectedStockoutDays);
      expect(A.fillRate).toBeLessThan(B.fillRate);
      expect(A.lateShare).toBeGreaterThan(0.05);
      expect(A.profitP10).toBeLessThanOrEqual(A.expectedProfit);
      expect(A.profitP90).toBeGreaterThanOrEqual(A.expectedProfit);
      expect(A.profitP10).toBeLessThan(B.profitP10);
      expect(r.reason).toMatch(/^B earns/);
      expect(r.reason).toMatch(/A is 5\.0% cheaper/);
    }
  });
  it('buffering for the on-time rate (EFFECTIVE basis) trades stockouts for safety stock', () => {
    const quoted = compareSuppliers(AB).suppliers[0];
    const effective = compareSuppliers({ ...AB, reorderPointBasis: 'EFFECTIVE' }).suppliers[0];
    expect(effective.safetyStock).toBeGreaterThan(quoted.safetyStock);
    expect(effective.expectedStockoutDays).toBeLessThan(quoted.expectedStockoutDays);
  });
  it('recommends the cheaper supplier once it is as reliable', () => {
    const reliable = structuredClone(AB);
    reliable.suppliers[0] = { ...reliable.suppliers[1], name: 'A', unitCost: 9.5 };
    const r = compareSuppliers(reliable);
    expect(r.recommended).toBe('A');
  });
  it('effective lead time adds the late-delivery mixture: mean L + p·m, var σ² + 2pm² − p²m²', () => {
    const r = compareSuppliers({ ...AB, reorderPointBasis: 'EFFECTIVE' });
    const A = r.suppliers[0];
    expect(A.leadTimeMean).toBe(10);
    expect(A.effectiveLeadTimeMean).toBeCloseTo(10 + 0.1 * 12, 9);
    const effVar = 9 + 2.25 + 0.25 + 2 * 0.1 * 144 - (0.1 * 12) ** 2;
    expect(A.effectiveLeadTimeSd).toBeCloseTo(Math.sqrt(effVar), 9);
    // ROP = d̄·L_eff + z·√(L_eff·σ_d² + d̄²·var_eff) at 95 %.
    const sigma = Math.sqrt(11.2 * 900 + 100 ** 2 * effVar);
    expect(A.reorderPoint).toBeCloseTo(100 * 11.2 + 1.6448536269514722 * sigma, 6);
  });
  it('validates inputs by field', () => {
    expect(() => compareSuppliers({ ...AB, suppliers: [AB.suppliers[0]] })).toThrow(/at least two suppliers/);
    expect(() => compareSuppliers({ ...AB, suppliers: [AB.suppliers[0], { ...AB.suppliers[1], onTimeRate: 1.2 }] })).toThrow(
      /suppliers\[1\]\.onTimeRate must be in \[0, 1\]/,
    );
    expect(() => compareSuppliers({ ...AB, suppliers: [AB.suppliers[0], { ...AB.suppliers[1], name: 'A' }] })).toThrow(/unique/);
    expect(() => compareSuppliers({ ...AB, seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => compareSuppliers({ ...AB, runs: 100000 })).toThrow(/runs × horizonDays × suppliers/);
    expect(() => compareSuppliers({ ...AB, reorderPointBasis: 'X' as never })).toThrow(/reorderPointBasis/);
  });
  it('property: any seed gives the same result twice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const input = { ...AB, seed, runs: 5, horizonDays: 120 };
        expect(compareSuppliers(input)).toEqual(compareSuppliers(input));
      }),
      { numRuns: 20 },
    );
  });
});

describe('priority matrix', () => {
  const skus = [
    // High margin, 2 days of cover against a 10-day lead time: reorder first.
    { sku: 'HERO', price: 40, unitCost: 15, dailyDemand: 50, dailyDemandSd: 15, onHand: 100, leadTimeDays: 10, leadTimeSd: 2 },
    // Thin margin, about to run out: reorder, lower priority.
    { sku: 'THIN', price: 10, unitCost: 9, dailyDemand: 30, dailyDemandSd: 10, onHand: 50, leadTimeDays: 10, leadTimeSd: 2 },
    // High margin, 100 days of cover: monitor.
    {
      sku: 'SAFE',
      price: 60,
      unitCost: 20,
      dailyDemand: 40,
      dailyDemandSd: 10,
      onHand: 3000,
      inTransit: 1000,
      leadTimeDays: 10,
      leadTimeSd: 2,
    },
    // Low margin, 300 days of cover: pause.
    { sku: 'SLOW', price: 12, unitCost: 11, dailyDemand: 5, dailyDemandSd: 2, onHand: 1500, leadTimeDays: 10, leadTimeSd: 2 },
  ];
  const m = priorityMatrix(skus);
  it('puts each SKU in its quadrant and ranks the reorder queue', () => {
    const q = Object.fromEntries(m.rows.map((r) => [r.sku, r.quadrant]));
    expect(q).toEqual({ HERO: 'REORDER_FIRST', THIN: 'REORDER', SAFE: 'MONITOR', SLOW: 'PAUSE' });
    expect(m.reorderQueue).toEqual(['HERO', 'THIN']);
    expect(m.pause).toEqual(['SLOW']);
    expect(m.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(m.rows[0].label).toMatch(/Reorder first/);
  });
  it('risk = Φ((d̄L̄ − position)/σ_LTD) by hand', () => {
    const hero = m.rows.find((r) => r.sku === 'HERO');
    const sigma = Math.sqrt(10 * 15 ** 2 + 50 ** 2 * 2 ** 2);
    expect(hero?.stockoutRisk).toBeCloseTo(Phi((500 - 100) / sigma), 12);
    expect(hero?.profitContribution30d).toBe(25 * 50 * 30);
    expect(hero?.daysOfCover).toBe(2);
  });
  it('validates and rejects duplicates', () => {
    expect(() => priorityMatrix([])).toThrow(/skus must be a non-empty array/);
    expect(() => priorityMatrix([skus[0], skus[0]])).toThrow(/appears twice/);
    expect(() => priorityMatrix([{ ...skus[0], price: 0 }])).toThrow(/skus\[0\]\.price must be > 0/);
  });
});
