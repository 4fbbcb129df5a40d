/**
 * The promotion-lift estimator (core/forecast/promotions.ts): golden values of each named step
 * worked out by hand, Student's t quantiles against R's `qt`, properties (permutation invariance,
 * nesting of the lifted forecast), and its error and interval coverage on simulated workspaces with
 * known lift (core/sim/promotions.ts, the data of bench/promo.ts) against the workspace-mean baseline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  depthResponse,
  estimateLift,
  type LiftObservation,
  liftObservations,
  observedLift,
  pooledEffect,
  promotionDayMask,
  residualVariance,
  tQuantile,
  withoutPromotionDays,
  withPlannedLift,
  LIFT_PRIOR,
} from '../../../core/forecast/promotions';
import { simulatePromotions } from '../../../core/sim/promotions';

const RUNS = { numRuns: 40, seed: 20261203 };

describe('flagging promotion days', () => {
  it('masks the days inside any promotion (ends inclusive) and leaves them out of the fit as missing', () => {
    const promos = [
      { start: 102, end: 103, type: 'COUPON' as const, discountPct: 10 },
      { start: 109, end: 120, type: 'OTHER' as const, discountPct: null },
    ];
    expect(promotionDayMask(100, 11, promos)).toEqual([false, false, true, true, false, false, false, false, false, true, true]);
    const m = withoutPromotionDays([1, 2, 3, 4, 5], [true, true, false, true, true], 101, promos);
    expect(m.masked).toBe(2);
    expect(m.y).toEqual([1, NaN, NaN, 4, 5]);
    // A masked day is missing, not censored.
    expect(m.inStock).toEqual([true, true, true, true, true]);
  });
});

describe('observed lift (step 3)', () => {
  it('divides the promotion mean by the promotion-free pre-period mean, with ½ added to both', () => {
    // Days 0–39: 10 units, except the promotion on 30–32 (25, 35, out of stock 7) and an older one on 20–21 (99).
    const sales = Array.from({ length: 40 }, (_, d) => ({ day: d, units: 10, inStock: true }));
    sales[30] = { day: 30, units: 25, inStock: true };
    sales[31] = { day: 31, units: 35, inStock: true };
    sales[32] = { day: 32, units: 7, inStock: false };
    sales[20] = { day: 20, units: 99, inStock: true };
    sales[21] = { day: 21, units: 99, inStock: true };
    sales.splice(5, 1); // day 5 unrecorded: counts 0 units in stock
    const promo = { start: 30, end: 32, type: 'LIGHTNING_DEAL' as const, discountPct: 30 };
    const older = { start: 20, end: 21, type: 'COUPON' as const, discountPct: 10 };
    const o = observedLift(sales, promo, [promo, older])!;
    // Baseline days 2–29 without 20–21: 26 days, one of them (5) at 0 → 250 / 26.
    expect(o.baselineDays).toBe(26);
    expect(o.baselineMean).toBeCloseTo(250 / 26, 12);
    expect(o.promoMean).toBe(30);
    expect(o.stockoutDays).toBe(1);
    expect(o.logLift).toBeCloseTo(Math.log(30.5 / (250 / 26 + 0.5)), 12);
    expect(o.variance).toBeCloseTo(1 / 60.5 + 1 / 250.5, 12);
    // Too little baseline: null.
    expect(
      observedLift(
        sales.filter((s) => s.day >= 26),
        promo,
        [promo],
      ),
    ).toBeNull();
  });
});

describe('estimator steps', () => {
  const obs = (sku: string, depth: number, logLift: number, type: LiftObservation['type'] = 'COUPON'): LiftObservation => ({
    sku,
    group: null,
    type,
    depth,
    logLift,
  });

  it('step 4: recovers an exact depth response and floors a negative slope at 0', () => {
    const exact = [0, 0.1, 0.2, 0.3].map((d, i) => obs(`S${i}`, d, 0.1 + 2 * d));
    const r = depthResponse(exact);
    expect(r.a).toBeCloseTo(0.1, 12);
    expect(r.b).toBeCloseTo(2, 12);
    const falling = [0, 0.1, 0.2, 0.3].map((d, i) => obs(`S${i}`, d, 1 - d));
    expect(depthResponse(falling)).toMatchObject({ b: 0, a: expect.closeTo(0.85, 12) });
    // Fewer than 4 observations: the mean.
    expect(depthResponse(exact.slice(0, 3))).toMatchObject({ b: 0, a: expect.closeTo(0.3, 12) });
  });

  it('step 5: σ² = (ν₀σ₀² + within-SKU SS)/(ν₀ + n − SKUs), the count noise taken out of σ²_true', () => {
    const v = residualVariance([0.1, -0.1, 0.3], ['A', 'A', 'B'], [0.005, 0.005, 0.01]);
    const prior = LIFT_PRIOR.weight * LIFT_PRIOR.sigma ** 2;
    expect(v.df).toBe(1);
    expect(v.sigma2).toBeCloseTo((prior + 0.02) / (LIFT_PRIOR.weight + 1), 12);
    // E[SS] noise: SKU A has 2 observations, (1 − ½)(0.005 + 0.005); B alone adds nothing.
    expect(v.trueSigma2).toBeCloseTo((prior + 0.02 - 0.005) / (LIFT_PRIOR.weight + 1), 12);
  });

  it('step 6: partial pooling n/(n + σ²/τ²) with τ² by moments', () => {
    // Key means: A = 0.5 (n 2), B = −0.5 (n 2); s² of the means = 0.5; σ² = 0.1 → τ² = 0.5 − 0.1·½ = 0.45.
    const e = pooledEffect([0.4, 0.6, -0.4, -0.6], ['A', 'A', 'B', 'B'], 'A', 0.1);
    expect(e.tau2).toBeCloseTo(0.45, 12);
    expect(e.weight).toBeCloseTo(2 / (2 + 0.1 / 0.45), 12);
    expect(e.effect).toBeCloseTo(0.5 * e.weight, 12);
    expect(e.variance).toBeCloseTo(1 / (2 / 0.1 + 1 / 0.45), 12);
    // An unseen key: no effect, the between-key variance as its uncertainty.
    expect(pooledEffect([0.4, 0.6, -0.4, -0.6], ['A', 'A', 'B', 'B'], 'C', 0.1)).toMatchObject({
      effect: 0,
      variance: expect.closeTo(0.45, 12),
    });
    // One key only: nothing to pool.
    expect(pooledEffect([0.4, 0.6], ['A', 'A'], 'A', 0.1)).toMatchObject({ effect: 0, weight: 0, variance: 0 });
  });

  it("Student's t quantiles match R's qt", () => {
    // R: qt(0.975, c(1, 2, 3, 5, 10, 30)); qt(0.9, 3)
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.30265273, 7);
    expect(Math.abs(tQuantile(0.975, 3) - 3.18244631)).toBeLessThan(2e-2);
    expect(Math.abs(tQuantile(0.975, 5) - 2.57058184)).toBeLessThan(2e-3);
    expect(Math.abs(tQuantile(0.975, 10) - 2.22813885)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile(0.975, 30) - 2.04227246)).toBeLessThan(1e-6);
    expect(Math.abs(tQuantile(0.9, 3) - 1.63774435)).toBeLessThan(2e-3);
    expect(tQuantile(0.025, 10)).toBeCloseTo(-tQuantile(0.975, 10), 12);
  });

  it('estimateLift: null without observations, field-named errors, invariant to the order of the observations', () => {
    expect(estimateLift([], { sku: 'A', group: null, type: 'COUPON', depth: 0.1 })).toBeNull();
    expect(() => estimateLift([obs('A', 2, 0.1)], { sku: 'A', group: null, type: 'COUPON', depth: 0.1 })).toThrow(
      /^observations\[0\]\.depth/,
    );
    expect(() => estimateLift([obs('A', 0.2, 0.1)], { sku: 'A', group: null, type: 'COUPON', depth: -1 })).toThrow(/^planned\.depth/);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sku: fc.constantFrom('A', 'B', 'C'),
            depth: fc.constantFrom(0, 0.1, 0.2, 0.4),
            logLift: fc.double({ min: -0.5, max: 2, noNaN: true }),
            type: fc.constantFrom('COUPON', 'LIGHTNING_DEAL', 'OTHER') as fc.Arbitrary<LiftObservation['type']>,
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (rows) => {
          const o = rows.map((r) => ({ ...r, group: null }));
          const planned = { sku: 'A', group: null, type: 'COUPON' as const, depth: 0.2 };
          const a = estimateLift(o, planned)!;
          const b = estimateLift([...o].reverse(), planned)!;
          expect(b.lift).toBeCloseTo(a.lift, 9);
          expect(b.upper95).toBeCloseTo(a.upper95, 9);
          expect(a.lower95).toBeLessThanOrEqual(a.lower80);
          expect(a.lower80).toBeLessThanOrEqual(a.medianLift);
          expect(a.medianLift).toBeLessThanOrEqual(a.lift);
          expect(a.upper80).toBeLessThanOrEqual(a.upper95);
          expect(a.lower95).toBeGreaterThan(-1);
        },
      ),
      RUNS,
    );
  });

  it('step 9: the lifted forecast multiplies the promotion days only and keeps 95 % ⊇ 80 % ∋ value', () => {
    const pts = [10, 10, 10, 10].map((v) => ({ step: 0, value: v, lower80: 7, upper80: 13, lower95: 5, upper95: 15 }));
    const e = estimateLift([obs('A', 0.2, Math.log(1.5)), obs('A', 0.2, Math.log(1.7))], {
      sku: 'A',
      group: null,
      type: 'COUPON',
      depth: 0.2,
    })!;
    const out = withPlannedLift(pts, 100, [{ start: 101, end: 102, estimate: e }]);
    expect(out[0]).toEqual(pts[0]);
    expect(out[3]).toEqual(pts[3]);
    expect(out[1]!.value).toBeCloseTo(10 * (1 + e.lift), 12);
    for (const p of out) {
      expect(p.lower95).toBeLessThanOrEqual(p.lower80);
      expect(p.lower80).toBeLessThanOrEqual(p.value);
      expect(p.value).toBeLessThanOrEqual(p.upper80);
      expect(p.upper80).toBeLessThanOrEqual(p.upper95);
    }
  });
});

describe('simulated promotions with known lift (the data of bench/promo.ts)', () => {
  it('halves the error of the workspace mean and covers the true lift near the nominal rates', () => {
    let n = 0;
    let errEst = 0;
    let errMean = 0;
    let in80 = 0;
    let in95 = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const skus = simulatePromotions({ seed, skus: 50, groups: 5 });
      const obs = liftObservations(
        skus.map((s) => ({ sku: s.sku, group: s.group, sales: s.sales, promotions: s.past })),
        365,
      );
      const pooled = Math.exp(obs.reduce((a, o) => a + o.logLift, 0) / obs.length) - 1;
      for (const s of skus) {
        const truth = Math.exp(s.planned.logLift) - 1;
        const e = estimateLift(obs, { sku: s.sku, group: s.group, type: s.planned.type, depth: (s.planned.discountPct ?? 0) / 100 })!;
        n++;
        errEst += Math.abs(e.lift - truth);
        errMean += Math.abs(pooled - truth);
        if (truth >= e.lower80 && truth <= e.upper80) in80++;
        if (truth >= e.lower95 && truth <= e.upper95) in95++;
      }
    }
    expect(n).toBe(300);
    expect(errEst / errMean).toBeLessThan(0.5);
    // 300 promotions: a binomial sd of 2.3 points at 80 %, 1.3 at 95 %.
    expect(in80 / n).toBeGreaterThan(0.74);
    expect(in80 / n).toBeLessThan(0.9);
    expect(in95 / n).toBeGreaterThan(0.91);
  });
});
