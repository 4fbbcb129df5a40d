import { describe, expect, it } from 'vitest';
import { replenishmentPlan, type ReplenishmentPlanInput } from '../../../core/replenishment';
import { stdNormalLoss } from '../../../core/stats/normal';

const Z95 = 1.6448536269514722;
// d̄ = 100/day, σ_d = 30; L̄ = 3 + 2 + 1 = 6 days, σ_L = √(1 + 1 + 0.25) = 1.5.
const SIGMA_LTD = Math.sqrt(6 * 30 ** 2 + 100 ** 2 * 1.5 ** 2); // √27900
const SS = Z95 * SIGMA_LTD;
const ROP = 600 + SS; // ≈ 874.7

const base: ReplenishmentPlanInput = {
  sku: 'SKU-1',
  today: '2025-03-01',
  demand: { mean: 100, sd: 30, max: 160 },
  onHand: 2000,
  leadTime: { procurement: { mean: 3, sd: 1 }, shipping: { mean: 2, sd: 1 }, inbound: { mean: 1, sd: 0.5 } },
  maxLeadTimeDays: 9,
  serviceLevel: 0.95,
  moq: 500,
  casePack: 48,
  orderCost: 50,
  holdingRate: 0.25,
  unitCost: 8,
};

describe('replenishmentPlan: hand-computed case', () => {
  const p = replenishmentPlan(base);
  it('lead time, both safety stocks side by side, ROP', () => {
    expect(p.leadTimeDays).toBe(6);
    expect(p.leadTimeSd).toBeCloseTo(1.5, 12);
    expect(p.leadTimeDemandSd).toBeCloseTo(SIGMA_LTD, 9);
    expect(p.safetyStockOptions.maxMinusAverage.value).toBe(160 * 9 - 100 * 6); // 840
    expect(p.safetyStockOptions.serviceLevel.value).toBeCloseTo(SS, 9);
    expect(p.safetyStockMethod).toBe('SERVICE_LEVEL');
    expect(p.safetyStockReason).toMatch(/service-level rule/);
    expect(p.safetyStock).toBeCloseTo(SS, 9);
    expect(p.reorderPoint).toBeCloseTo(ROP, 9);
  });
  it('order-by date: position 2000 − 100·12 = 800 ≤ ROP first on day 11 (2025-03-12)', () => {
    expect(p.orderByDate).toBe('2025-03-12');
    expect(p.daysUntilOrderBy).toBe(11);
    expect(p.orderNow).toBe(false);
    expect(p.expectedArrivalDate).toBe('2025-03-18');
    // On hand 2000 at 100/day: end of day 20 (2025-03-21) would be −100.
    expect(p.projectedStockoutDate).toBe('2025-03-21');
    expect(p.daysOfCover).toBe(20);
  });
  it('peak-coverage quantity: 100/day × (6 + 14) days × 1.2 − 2000 = 400 → MOQ 500 → 11 cases of 48 = 528', () => {
    expect(p.quantityOptions.peakCoverage.peakDemand).toBe(2000);
    expect(p.quantityOptions.peakCoverage.coefficient).toBe(1.2);
    expect(p.quantityOptions.peakCoverage.raw).toBeCloseTo(400, 9);
    expect(p.quantityOptions.peakCoverage.rounded.raisedToMoq).toBe(true);
    expect(p.orderQuantity).toBe(528);
    expect(p.quantityMethod).toBe('PEAK_COVERAGE');
  });
  it('EOQ-based quantity: √(2·50·36500/(0.25·8)) = 1350.9 → 29 cases = 1392', () => {
    const e = p.quantityOptions.eoq;
    expect(e).not.toBeNull();
    expect(e?.eoq).toBeCloseTo(Math.sqrt(1825000), 9);
    expect(e?.rounded.quantity).toBe(1392);
  });
  it('expected fill rate for the chosen order and CSL', () => {
    const esc = SIGMA_LTD * stdNormalLoss(Z95);
    expect(p.expectedShortagePerCycle).toBeCloseTo(esc, 9);
    expect(p.expectedFillRate).toBeCloseTo(1 - esc / 528, 9);
    expect(p.cycleServiceLevel).toBeCloseTo(0.95, 12);
  });
  it('explanation carries the inputs, the intermediate values and the formulas', () => {
    const ex = p.explanation;
    expect(ex.formula).toMatch(/ROP = d̄·L̄ \+ SS/);
    expect(ex.inputs).toMatchObject({
      sku: 'SKU-1',
      today: '2025-03-01',
      'demand.mean': 100,
      'demand.sd': 30,
      onHand: 2000,
      moq: 500,
      casePack: 48,
    });
    expect(ex.inputs['leadTime.procurement']).toBe('mean 3 d, sd 1 d');
    const step = (label: RegExp) => ex.steps.find((s) => label.test(s.label));
    expect(step(/^reorder point/)?.value).toBeCloseTo(ROP, 9);
    expect(step(/^max-minus-average SS/)?.value).toBe(840);
    expect(step(/^σ_LTD/)?.value).toBeCloseTo(SIGMA_LTD, 9);
    expect(step(/^order-by date/)?.value).toBe('2025-03-12');
    expect(step(/^order quantity/)?.value).toBe(528);
  });
});

describe('replenishmentPlan: peak-coverage example and options', () => {
  it('peak demand 1500 × 1.2 − (300 on hand + 500 in transit) = 1000', () => {
    // 1500 × 1.2 − (300 + 500) = 1000.
    const p = replenishmentPlan({
      ...base,
      moq: undefined,
      casePack: undefined,
      onHand: 300,
      openPurchaseOrders: [{ quantity: 500, arrival: '2025-03-03' }],
      peakDemand: 1500,
      peakCoefficient: 1.2,
    });
    expect(p.inTransit).toBe(500);
    expect(p.stockPosition).toBe(800);
    expect(p.quantityOptions.peakCoverage.raw).toBeCloseTo(1000, 9);
    expect(p.orderQuantity).toBe(1000);
    // On hand 300, +500 on day 2: 800 − 100·9 < 0 first at the end of day 8.
    expect(p.projectedStockoutDate).toBe('2025-03-09');
  });
  it('ABC class A gets 20 % more safety stock under every rule', () => {
    const a = replenishmentPlan({ ...base, abcClass: 'A' });
    expect(a.abcMultiplier).toBe(1.2);
    expect(a.safetyStock).toBeCloseTo(1.2 * SS, 9);
    expect(a.safetyStockOptions.maxMinusAverage.value).toBeCloseTo(1.2 * 840, 9);
    expect(a.reorderPoint).toBeCloseTo(600 + 1.2 * SS, 9);
  });
  it('a +30 % promotion over the lead time raises ROP by the same proportion', () => {
    const promo = replenishmentPlan({ ...base, promotion: { uplift: 0.3 } });
    expect(promo.leadTimeDailyDemand).toBeCloseTo(130, 9);
    expect(promo.reorderPoint).toBeCloseTo(1.3 * ROP, 9);
    // A promotion that starts after the lead time leaves ROP alone but lifts the peak demand.
    const p0 = replenishmentPlan(base);
    const later = replenishmentPlan({ ...base, promotion: { uplift: 0.3, start: '2025-03-10', end: '2025-03-16' } });
    expect(later.reorderPoint).toBeCloseTo(ROP, 9);
    expect(later.quantityOptions.peakCoverage.peakDemand).toBeCloseTo(2000 + 7 * 30, 9);
    // …but the order-by date anticipates it (rolling ROP). End of 03-09: position 1100 vs the lead
    // time 03-10…03-15, all promo days: 6 × 130 + SS = 1054.7 → not yet. End of 03-10: position 970
    // ≤ 6 × 130 + SS → order by 03-10, two days earlier than without the promotion.
    expect(later.orderByDate).toBe('2025-03-10');
    expect(p0.orderByDate).toBe('2025-03-12');
  });
  it('MAX_MINUS_AVERAGE and MAX methods', () => {
    expect(replenishmentPlan({ ...base, safetyStockMethod: 'MAX_MINUS_AVERAGE' }).safetyStock).toBe(840);
    const m = replenishmentPlan({ ...base, safetyStockMethod: 'MAX' });
    expect(m.safetyStock).toBe(840);
    expect(m.safetyStockReason).toMatch(/max-minus-average/);
  });
  it('fill-rate variant uses the EOQ as the cycle quantity', () => {
    const f = replenishmentPlan({ ...base, fillRateTarget: 0.99, safetyStockMethod: 'FILL_RATE' });
    const option = f.safetyStockOptions.fillRate;
    expect(option?.cycleQuantity).toBeCloseTo(Math.sqrt(1825000), 9);
    // σ_LTD·G(SS/σ_LTD) = 1 % of the cycle quantity.
    expect(SIGMA_LTD * stdNormalLoss(f.safetyStock / SIGMA_LTD)).toBeCloseTo(0.01 * Math.sqrt(1825000), 8);
  });
  it('position below ROP: order-by date lies in the past and is flagged', () => {
    const p = replenishmentPlan({ ...base, onHand: 500 });
    // ROP − position = 374.7 units = 3 whole days of demand ago.
    expect(p.orderByDate).toBe('2025-02-26');
    expect(p.orderNow).toBe(true);
    expect(p.daysUntilOrderBy).toBe(-3);
    expect(p.warnings.join(' ')).toMatch(/overdue since 2025-02-26/);
    // Stock lasts to 2025-03-06, a new order lands 2025-03-07.
    expect(p.warnings.join(' ')).toMatch(/expedite/);
  });
  it('flags a plan that is below ROP while the peak-coverage rule asks for nothing', () => {
    const p = replenishmentPlan({ ...base, onHand: 500, peakDemand: 300 });
    expect(p.orderNow).toBe(true);
    expect(p.quantityOptions.peakCoverage.raw).toBeCloseTo(300 * 1.2 - 500, 9);
    expect(p.orderQuantity).toBe(0);
    expect(p.warnings.join(' ')).toMatch(/asks for no order/);
  });
  it('storage cap: headroom = limit − position on the order-by date', () => {
    const p = replenishmentPlan({ ...base, storageLimit: 1800, quantityMethod: 'EOQ' });
    // Position at the end of 2025-03-12 (the order-by date): 2000 − 12 × 100 = 800.
    expect(p.storageHeadroom).toBe(1000);
    // 1000 units of room → 20 cases of 48 = 960.
    expect(p.orderQuantity).toBe(960);
    expect(p.quantityOptions.eoq?.rounded.cappedByStorage).toBe(true);
    expect(p.warnings.join(' ')).toMatch(/capped by storage at 960/);
  });
  it('plans on a forecast series when given', () => {
    const forecast = Array.from({ length: 60 }, (_, k) => (k < 6 ? 200 : 100));
    const p = replenishmentPlan({ ...base, demand: { sd: 30, max: 260, forecast } });
    expect(p.leadTimeDailyDemand).toBe(200);
    expect(p.leadTimeDemandMean).toBe(1200);
  });
  it('accepts epoch days for dates', () => {
    const p = replenishmentPlan({ ...base, today: 20148 });
    expect(p.today).toBe('2025-03-01');
  });
  it('rejects bad input with the field name', () => {
    expect(() => replenishmentPlan({ ...base, onHand: Number.NaN })).toThrow(/onHand must be a finite number/);
    expect(() => replenishmentPlan({ ...base, today: '2025-13-01' })).toThrow(/today is not a valid calendar date/);
    expect(() => replenishmentPlan({ ...base, casePack: 0 })).toThrow(/casePack must be an integer ≥ 1/);
    expect(() => replenishmentPlan({ ...base, abcClass: 'D' as never })).toThrow(/abcClass/);
    expect(() => replenishmentPlan({ ...base, safetyStockMethod: 'FILL_RATE' })).toThrow(/fillRateTarget is required/);
    expect(() => replenishmentPlan({ ...base, openPurchaseOrders: [{ quantity: -1, arrival: '2025-03-02' }] })).toThrow(
      /openPurchaseOrders\[0\]\.quantity/,
    );
    expect(() => replenishmentPlan({ ...base, leadTime: { ...base.leadTime, shipping: { mean: -2, sd: 1 } } })).toThrow(
      /shipping\.mean must be ≥ 0/,
    );
    expect(() => replenishmentPlan({ ...base, promotion: { uplift: 0.3, start: '2025-03-10', end: '2025-03-01' } })).toThrow(
      /promotion\.end/,
    );
  });
});
