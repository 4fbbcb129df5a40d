import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eoq,
  fillRateSafetyStock,
  reorderPoint,
  replenishmentPlan,
  roundOrderQuantity,
  serviceLevelSafetyStock,
} from '../../../core/replenishment';

const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const RUNS = { numRuns: 200 };

describe('EOQ monotonicity', () => {
  const base = fc.record({ annualDemand: pos(1, 1e6), orderCost: pos(0.01, 1e4), holdingRate: pos(0.01, 2), unitCost: pos(0.01, 1e4) });
  it('increases with demand and order cost, decreases with holding rate and unit cost', () => {
    fc.assert(
      fc.property(base, pos(1.01, 10), (i, f) => {
        const q = eoq(i).quantity;
        expect(eoq({ ...i, annualDemand: i.annualDemand * f }).quantity).toBeGreaterThan(q);
        expect(eoq({ ...i, orderCost: i.orderCost * f }).quantity).toBeGreaterThan(q);
        expect(eoq({ ...i, holdingRate: i.holdingRate * f }).quantity).toBeLessThan(q);
        expect(eoq({ ...i, unitCost: i.unitCost * f }).quantity).toBeLessThan(q);
      }),
      RUNS,
    );
  });
  it('with all-units tiers the chosen quantity is never costlier than any curve point', () => {
    fc.assert(
      fc.property(base, pos(1, 5000), pos(0.5, 0.99), (i, b, disc) => {
        const r = eoq({ ...i, tiers: [{ minQuantity: b, unitCost: i.unitCost * disc }] });
        for (const p of r.curve) expect(p.annualCost).toBeGreaterThanOrEqual(r.annualCost * (1 - 1e-12));
        expect(r.curve.length).toBeLessThanOrEqual(60);
      }),
      RUNS,
    );
  });
});

describe('safety stock monotonicity', () => {
  const dlt = fc.record({ demandMean: pos(0, 1e4), demandSd: pos(0, 1e3), leadTimeMean: pos(0, 90), leadTimeSd: pos(0, 30) });
  // Strictly positive parameters for the strict checks (tiny doubles underflow in σ²).
  const dltPos = fc.record({ demandMean: pos(0.01, 1e4), demandSd: pos(0.01, 1e3), leadTimeMean: pos(0.01, 90), leadTimeSd: pos(0, 30) });
  it('increases with service level, demand sd and lead-time sd', () => {
    fc.assert(
      // Above 50 %: at z = 0 the buffer is 0 whatever the variability.
      fc.property(dlt, pos(0.51, 0.98), pos(0.001, 0.019), pos(0.1, 100), (i, sl, dsl, dsd) => {
        const ss = serviceLevelSafetyStock({ ...i, serviceLevel: sl }).value;
        expect(serviceLevelSafetyStock({ ...i, serviceLevel: sl + dsl }).value).toBeGreaterThanOrEqual(ss);
        const more = (j: typeof i) => serviceLevelSafetyStock({ ...j, serviceLevel: sl }).value;
        expect(more({ ...i, demandSd: i.demandSd + dsd })).toBeGreaterThanOrEqual(ss);
        expect(more({ ...i, leadTimeSd: i.leadTimeSd + dsd })).toBeGreaterThanOrEqual(ss);
        // Strictly greater wherever the added variance is visible in double precision.
        const variance = i.leadTimeMean * i.demandSd ** 2 + i.demandMean ** 2 * i.leadTimeSd ** 2;
        const visible = (added: number) => added > 1e-9 * variance && added > 1e-300;
        if (visible(i.leadTimeMean * ((i.demandSd + dsd) ** 2 - i.demandSd ** 2)))
          expect(more({ ...i, demandSd: i.demandSd + dsd })).toBeGreaterThan(ss);
        if (visible(i.demandMean ** 2 * ((i.leadTimeSd + dsd) ** 2 - i.leadTimeSd ** 2)))
          expect(more({ ...i, leadTimeSd: i.leadTimeSd + dsd })).toBeGreaterThan(ss);
      }),
      RUNS,
    );
  });
  it('is zero at zero variability for any service level', () => {
    fc.assert(
      fc.property(pos(0, 1e4), pos(0, 90), pos(0.01, 0.999), (d, L, sl) => {
        expect(serviceLevelSafetyStock({ serviceLevel: sl, demandMean: d, demandSd: 0, leadTimeMean: L, leadTimeSd: 0 }).value).toBe(0);
      }),
      RUNS,
    );
  });
  it('fill-rate safety stock increases with the fill-rate target', () => {
    fc.assert(
      fc.property(dltPos, pos(1, 1e4), pos(0.5, 0.99), pos(0.0001, 0.009), (i, Q, fr, dfr) => {
        const a = fillRateSafetyStock({ ...i, fillRate: fr, orderQuantity: Q }).value;
        const b = fillRateSafetyStock({ ...i, fillRate: fr + dfr, orderQuantity: Q }).value;
        expect(b).toBeGreaterThan(a);
      }),
      RUNS,
    );
  });
});

describe('reorder point monotonicity', () => {
  it('ROP grows with demand, lead time and safety stock', () => {
    fc.assert(
      fc.property(pos(0, 1e4), pos(0, 90), pos(0, 1e5), pos(0.01, 100), (d, L, ss, e) => {
        const r = reorderPoint({ dailyDemand: d, leadTimeDays: L, safetyStock: ss });
        expect(reorderPoint({ dailyDemand: d + e, leadTimeDays: L, safetyStock: ss })).toBeGreaterThanOrEqual(r);
        expect(reorderPoint({ dailyDemand: d, leadTimeDays: L + e, safetyStock: ss })).toBeGreaterThanOrEqual(r);
        expect(reorderPoint({ dailyDemand: d, leadTimeDays: L, safetyStock: ss + e })).toBeGreaterThan(r);
      }),
      RUNS,
    );
  });
  it("the plan's ROP grows with the service level and the demand sd", () => {
    const plan = (sl: number, sd: number) =>
      replenishmentPlan({
        today: '2025-01-01',
        demand: { mean: 50, sd },
        onHand: 1000,
        leadTime: { procurement: { mean: 5, sd: 1 }, shipping: { mean: 3, sd: 1 }, inbound: { mean: 1, sd: 0 } },
        serviceLevel: sl,
      }).reorderPoint;
    fc.assert(
      fc.property(pos(0.51, 0.97), pos(0.001, 0.02), pos(0, 40), pos(0.1, 20), (sl, dsl, sd, dsd) => {
        expect(plan(sl + dsl, sd)).toBeGreaterThan(plan(sl, sd));
        expect(plan(sl, sd + dsd)).toBeGreaterThan(plan(sl, sd));
      }),
      { numRuns: 60 },
    );
  });
});

describe('rounding to MOQ and case pack', () => {
  it('never decreases the quantity and yields a whole number of cases ≥ MOQ', () => {
    fc.assert(
      fc.property(pos(0.001, 1e6), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 500 }), (raw, moq, casePack) => {
        const r = roundOrderQuantity(raw, { moq, casePack });
        // Float noise within 1e-9 of an integer is snapped (300.00000000000006 → 300).
        expect(r.quantity).toBeGreaterThanOrEqual(raw - 1e-9 * Math.max(1, raw));
        expect(r.quantity).toBeGreaterThanOrEqual(moq);
        expect(r.quantity % casePack).toBe(0);
        // Minimal: one case less would fall short of the need or of the MOQ.
        expect(r.quantity - casePack < Math.max(raw, moq) || r.quantity === casePack).toBe(true);
      }),
      RUNS,
    );
  });
  it('a storage cap is respected and still gives whole cases ≥ MOQ (or no order)', () => {
    fc.assert(
      fc.property(
        pos(0.001, 1e5),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 200 }),
        pos(0, 1e5),
        (raw, moq, casePack, cap) => {
          const r = roundOrderQuantity(raw, { moq, casePack, maxQuantity: cap });
          expect(r.quantity).toBeLessThanOrEqual(Math.max(cap, 0) + 1e-6);
          if (r.quantity > 0) {
            expect(r.quantity % casePack).toBe(0);
            expect(r.quantity).toBeGreaterThanOrEqual(moq);
          } else expect(r.infeasible).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
