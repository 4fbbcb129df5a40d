import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeDeal, type Deal, detectDeals, impliedDealQuantity } from '../../../core/deals/detect';
import { classifyCurveShape, classifyStrategy, DEFAULT_STRATEGY_RULES } from '../../../core/deals/rules';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, deal, H, pt } from '../series/build';

const only = (ds: Deal[]): Deal => {
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('constant drain, live', () => {
  // Deal scheduled 10:00–24:00, Q = 600, +2 % (12 units) every 10 min; stock 2000 − units.
  const pts: SnapshotPoint[] = [pt(9, 2000), pt(9.5, 2000)];
  for (let i = 0; i <= 18; i++) {
    const units = 12 * i;
    pts.push(deal(10 + (i * 10) / 60, 2000 - units, 2 * i, 600, 24, { dealStartsAt: at(10) }));
  }
  const d = only(detectDeals(pts, { now: at(13) }));
  it('measures the deal', () => {
    expect(d.status).toBe('LIVE');
    expect(d.startedAt).toBe(at(10));
    expect(d.dealQuantity).toBe(600);
    expect(d.dealQuantitySource).toBe('GIVEN');
    expect(d.unitsSold).toBeCloseTo(216, 9);
    expect(d.claimedPercent).toBe(36);
    expect(d.remainingUnits).toBeCloseTo(384, 9);
    expect(d.sellThroughRate).toBeCloseTo(0.36, 12);
    expect(d.velocityPerHour).toBeCloseTo(72, 9);
    expect(d.peakVelocityPerHour).toBeCloseTo(72, 9);
    expect(d.velocityPercentPerHour).toBeCloseTo(12, 9);
    expect(d.endedAt).toBeNull();
    expect(d.soldOutAt).toBeNull();
  });
  it('predicts the sell-out at 384 ÷ 72 = 5.33 h from the last reading', () => {
    expect(d.drainModel).toBe('CONSTANT');
    const expected = at(13) + (384 / 72) * H;
    const eta = d.sellOutEta;
    expect(eta).not.toBeNull();
    expect(Math.abs((eta?.p50 as number) - expected)).toBeLessThan(0.1 * (384 / 72) * H);
    expect(eta?.p10 as number).toBeLessThan(eta?.p50 as number);
    expect(eta?.p90 as number).toBeGreaterThan(eta?.p50 as number);
    expect(d.sellOutProbability as number).toBeGreaterThan(0.7);
  });
  it('is a steady (L-type) curve: a quarter of the units in the first quarter', () => {
    expect(d.firstQuarterShare).toBeCloseTo(0.25, 9);
    expect(d.curveShape).toBe('STEADY');
  });
  it('one newest capture without the badge does not end it', () => {
    const glitch = only(detectDeals([...pts, pt(13 + 10 / 60, 1780)], { now: at(13.2) }));
    expect(glitch.status).toBe('LIVE');
    expect(glitch.explanation.notes.join(' ')).toMatch(/capture glitch/);
    const gone = only(detectDeals([...pts, pt(13 + 10 / 60, 1780), pt(13 + 20 / 60, 1770)], { now: at(13.4) }));
    // Gone at 36 % with 384 units left at 72/h, 10 min before the next capture: pulled, not sold out.
    expect(gone.status).toBe('EXPIRED');
    expect(gone.explanation.notes.join(' ')).toMatch(/ended early/);
  });
  it('is the active deal and explains itself', () => {
    expect(activeDeal([d])).toBe(d);
    const labels = d.explanation.steps.map((s) => s.label);
    expect(labels).toEqual(expect.arrayContaining(['status', 'ETA P50', 'curve shape', 'strategy', 'deal quantity']));
    expect(d.explanation.data?.source).toBe('test');
  });
});

describe('decaying drain that can never sell out', () => {
  // r(t) = 300·e^(−t), Q = 1000, captures every 15 min for 3 h (claims not rounded).
  const u = (t: number) => 300 * (1 - Math.exp(-t));
  const pts: SnapshotPoint[] = [];
  for (let i = 0; i <= 12; i++) {
    const t = i / 4;
    pts.push(deal(t, 5000 - u(t), u(t) / 10, 1000, 12, { dealStartsAt: at(0) }));
  }
  const d = only(detectDeals(pts, { now: at(3) }));
  it('fits the decay and says it never sells out', () => {
    expect(d.drainModel).toBe('DECAY');
    expect(d.sellOutEta?.p50).toBeNull();
    expect(d.sellOutEtaReason).toMatch(/never sells out/);
    expect(d.sellOutProbability as number).toBeLessThan(0.5);
  });
  it('is front-loaded: share (1 − e^−0.75)/(1 − e^−3) in the first quarter', () => {
    expect(d.firstQuarterShare).toBeCloseTo((1 - Math.exp(-0.75)) / (1 - Math.exp(-3)), 9);
    expect(d.curveShape).toBe('FRONT_LOADED');
  });
  it('current and peak velocity, peak period', () => {
    expect(d.velocityPerHour).toBeCloseTo(300 * (Math.exp(-2) - Math.exp(-3)), 9);
    // Peak: the busiest full hour, the first one (not a 15-minute window right after the start).
    expect(d.peakVelocityPerHour).toBeCloseTo(u(1), 9);
    // Windows keep ≥ 80 % of it while 189.6·e^(−(t − 1)) ≥ 151.7, i.e. up to t ≈ 1.22 h.
    expect(d.peakPeriod?.start).toBe(at(0));
    expect(d.peakPeriod?.end as number).toBeGreaterThan(at(1));
    expect(d.peakPeriod?.end as number).toBeLessThanOrEqual(at(1.25));
    const end = ((d.peakPeriod?.end as number) - at(0)) / H;
    expect(d.peakPeriod?.slopePerHour as number).toBeGreaterThan(u(1.25) / 1.25);
    expect(d.peakPeriod?.slopePerHour as number).toBeLessThan(u(1) / 1);
    expect(end).toBeGreaterThan(1);
  });
});

describe('sell-out', () => {
  // Q = 100, 10 % (10 units) per 10 min; the capture at 1:40 is missing, 1:50 shows 100 %.
  const pts: SnapshotPoint[] = [pt(-0.5, 500)];
  for (let i = 0; i <= 9; i++) pts.push(deal(i / 6, 500 - 10 * i, 10 * i, 100, 4, { dealStartsAt: at(0) }));
  pts.push(deal(11 / 6, 400, 100, 100, 4, { dealStartsAt: at(0) }), deal(3, 395, 100, 100, 4, { dealStartsAt: at(0) }), pt(4.2, 390));
  const d = only(detectDeals(pts, { now: at(5) }));
  it('is SOLD_OUT, back-dated to last reading + 10 units ÷ 60/h', () => {
    expect(d.status).toBe('SOLD_OUT');
    expect(d.soldOutAt).toBe(at(100 / 60));
    expect(d.endedAt).toBe(d.soldOutAt);
    expect(d.unitsSold).toBe(100);
    expect(d.sellThroughRate).toBe(1);
    expect(d.sellOutEta).toBeNull();
    expect(d.sellOutEtaReason).toMatch(/sold out/);
    expect(d.durationHours).toBeCloseTo(100 / 60, 9);
  });
  it('a deal whose badge vanished before its scheduled end sold out', () => {
    const vanished = [...pts.slice(0, 10), pt(1.9, 400), pt(2.5, 395)];
    const v = only(detectDeals(vanished, { now: at(3) }));
    expect(v.status).toBe('SOLD_OUT');
    expect(v.claimedPercent).toBe(100);
    // 80 % at 1:20 (the last live reading), 20 units left at 60/h → 1:40, before the 1:54 capture.
    expect(v.soldOutAt).toBe(at(8 / 6 + 20 / 60));
    expect(v.explanation.notes.join(' ')).toMatch(/inferred/);
  });
});

describe('expired and upcoming', () => {
  it('EXPIRED at its scheduled end without selling out', () => {
    const pts = [deal(0, 100, 0, 50, 2), deal(1, 90, 20, 50, 2), deal(1.9, 85, 30, 50, 2), pt(2.1, 85)];
    const d = only(detectDeals(pts, { now: at(3) }));
    expect(d.status).toBe('EXPIRED');
    expect(d.endedAt).toBe(at(2));
    expect(d.sellOutEta).toBeNull();
    expect(d.sellOutEtaReason).toMatch(/without selling out/);
  });
  it('UPCOMING while only announced', () => {
    const pts = [deal(0, 100, null, 50, 8, { dealStartsAt: at(3) }), deal(1, 100, null, 50, 8, { dealStartsAt: at(3) })];
    const d = only(detectDeals(pts, { now: at(1.1) }));
    expect(d.status).toBe('UPCOMING');
    expect(d.startedAt).toBe(at(3));
    expect(d.sellOutEta).toBeNull();
    expect(activeDeal([d])).toBeNull();
  });
  it('a coupon on a listing that ran dry is not "sold out"', () => {
    const pts = [
      pt(0, 5, { dealType: 'COUPON', dealEndsAt: at(48) }),
      pt(1, 0, { dealType: 'COUPON', dealEndsAt: at(48) }),
      pt(2, 0, { dealType: 'COUPON', dealEndsAt: at(48) }),
    ];
    expect(only(detectDeals(pts, { now: at(2) })).status).toBe('LIVE');
  });
});

describe('plateau', () => {
  // Q = 300, +2 % per 10 min for an hour, then 12 % for 5 captures (1:00–1:40), then on again.
  const claims = [0, 2, 4, 6, 8, 10, 12, 12, 12, 12, 12, 14, 16];
  const pts = claims.map((c, i) => deal(i / 6, 1000 - 3 * c, c, 300, 10, { dealStartsAt: at(0) }));
  const d = only(detectDeals(pts, { now: at(2) }));
  it('finds one suspicious plateau of 5 captures', () => {
    expect(d.plateaus).toHaveLength(1);
    const p = d.plateaus[0];
    expect(p.start).toBe(at(1));
    expect(p.end).toBe(at(1 + 40 / 60));
    expect(p.captures).toBe(5);
    expect(p.hours).toBeCloseTo(40 / 60, 9);
    expect(p.expectedUnits).toBeCloseTo(36 * (40 / 60), 9); // 36 units/h before it
    expect(p.suspicious).toBe(true);
  });
  it('needs plateauMinCaptures captures', () => {
    expect(only(detectDeals(pts, { now: at(2), plateauMinCaptures: 6 })).plateaus).toEqual([]);
  });
});

describe('restock batch released mid-deal', () => {
  // Q 300 → 500 at 1:00: 50 % of 300 = 150 units, then 32 % of 500 = 160; stock +200.
  const pts = [
    deal(0, 1000, 0, 300, 10, { dealStartsAt: at(0) }),
    deal(0.5, 925, 25, 300, 10, { dealStartsAt: at(0) }),
    deal(0.9, 850, 50, 300, 10, { dealStartsAt: at(0) }),
    deal(1, 1040, 32, 500, 10, { dealStartsAt: at(0) }),
    deal(1.5, 990, 42, 500, 10, { dealStartsAt: at(0) }),
  ];
  const d = only(detectDeals(pts, { now: at(1.5) }));
  it('reports the batch once and keeps units continuous', () => {
    expect(d.restockBatches).toEqual([{ at: at(1), quantity: 200, source: 'DEAL_QUANTITY_INCREASE' }]);
    expect(d.dealQuantity).toBe(500);
    expect(d.unitsSold).toBeCloseTo(210, 9);
    expect(d.claimCurve.map((c) => c.units)).toEqual([0, 75, 150, 160, 210]);
    expect(d.remainingUnits).toBeCloseTo(290, 9);
  });
});

describe('quantity implied from stock, and censored stock', () => {
  it('implies Q from stock drops vs % claimed, with a band', () => {
    // +2 % and −10 units per 10 min: 5 units per % → Q = 500.
    const pts = Array.from({ length: 10 }, (_, i) => deal(i / 6, 3000 - 10 * i, 2 * i, null, 10, { dealStartsAt: at(0) }));
    const d = only(detectDeals(pts, { now: at(1.5) }));
    expect(d.dealQuantitySource).toBe('IMPLIED');
    expect(d.dealQuantity).toBeCloseTo(500, 9);
    expect(d.dealQuantityLower as number).toBeLessThanOrEqual(500);
    expect(d.dealQuantityUpper as number).toBeGreaterThanOrEqual(500);
    expect((d.dealQuantityUpper as number) - (d.dealQuantityLower as number)).toBeLessThan(100);
    expect(d.unitsSold).toBeCloseTo(90, 9);
    expect(impliedDealQuantity([{ stock: 10, stockIsLowerBound: false, claimedPercent: 0 }])).toBeNull();
  });
  it('with "999+" stock and no quantity, works in % claimed and gives no unit velocity', () => {
    const pts = Array.from({ length: 10 }, (_, i) => deal(i / 6, 999, 2 * i, null, 10, { dealStartsAt: at(0), stockIsLowerBound: true }));
    const d = only(detectDeals(pts, { now: at(1.5) }));
    expect(d.percentMode).toBe(true);
    expect(d.dealQuantitySource).toBe('UNKNOWN');
    expect(d.velocityPerHour).toBeNull();
    expect(d.unitsSold).toBeNull();
    expect(d.velocityPercentPerHour).toBeCloseTo(12, 9);
    expect(d.sellOutEta?.p50 as number).toBeGreaterThan(at(1.5));
    expect(d.explanation.notes.join(' ')).toMatch(/% claimed/);
  });
  it('with "999+" stock and a given quantity, units come from claims', () => {
    const pts = Array.from({ length: 7 }, (_, i) => deal(i / 6, 999, 5 * i, 1000, 10, { dealStartsAt: at(0), stockIsLowerBound: true }));
    const d = only(detectDeals(pts, { now: at(1) }));
    expect(d.unitsSold).toBeCloseTo(300, 9);
    expect(d.velocityPerHour).toBeCloseTo(300, 9);
  });
});

describe('missing captures', () => {
  it('a two-hour hole in the captures is still one deal with the right rate', () => {
    const pts = [0, 1 / 6, 2 / 6, 2.5, 2.5 + 1 / 6, 3].map((t) => deal(t, 2000 - 60 * t, (60 * t) / 10, 1000, 12, { dealStartsAt: at(0) }));
    const d = only(detectDeals(pts, { now: at(3) }));
    expect(d.velocityPerHour).toBeCloseTo(60, 9);
    expect(d.captures).toBe(6);
  });
});

describe('strategy and curve-shape rules', () => {
  const base = { discount: 0.4, baselinePerDay: 20, avgStock: 400, medianBsr: 2000, historyDays: 60 };
  it('classifies by the documented thresholds', () => {
    expect(classifyStrategy({ ...base, quantity: null }).strategy).toBe('UNKNOWN');
    expect(classifyStrategy({ ...base, quantity: 50 }).strategy).toBe('MARKET_TEST');
    expect(classifyStrategy({ ...base, quantity: 150, baselinePerDay: 100 }).strategy).toBe('STANDARD_PROMO');
    expect(classifyStrategy({ ...base, quantity: 150 }).strategy).toBe('VOLUME_PUSH'); // 150 ≥ 3 days × 20
    expect(classifyStrategy({ ...base, quantity: 1000, avgStock: 2000 }).strategy).toBe('CLEARANCE'); // 100 days of cover
    expect(classifyStrategy({ ...base, quantity: 1000, medianBsr: 25_000 }).strategy).toBe('RANK_PUSH');
    expect(classifyStrategy({ ...base, quantity: 1000, historyDays: 5 }).strategy).toBe('RANK_PUSH');
    expect(classifyStrategy({ ...base, quantity: 1000, discount: 0.1 }).strategy).toBe('VOLUME_PUSH');
    expect(DEFAULT_STRATEGY_RULES.smallQuantityMax).toBe(100);
  });
  it('curve shape boundaries', () => {
    expect(classifyCurveShape(0.4, 10, 100, 3, false)).toBe('FRONT_LOADED');
    expect(classifyCurveShape(0.39, 10, 100, 3, false)).toBe('STEADY');
    expect(classifyCurveShape(0.15, 10, 100, 3, false)).toBe('BACK_LOADED');
    // Three live readings suffice (hourly captures of a 3 h deal); two do not.
    expect(classifyCurveShape(0.3, 3, 100, 3, false)).toBe('STEADY');
    expect(classifyCurveShape(0.3, 2, 100, 3, false)).toBe('INSUFFICIENT_DATA');
    expect(classifyCurveShape(0.3, 10, 4, 3, false)).toBe('INSUFFICIENT_DATA');
  });
  it('reads a large, deep deal on a weakly ranked listing as a rank push', () => {
    // Two weeks at 600 − h (24/day, ~18 days of cover: not overstocked), deal stock arrives at h = 335.
    const pre = Array.from({ length: 24 * 14 }, (_, h) => pt(h, h === 335 ? 3000 : 600 - h, { bsr: 20_000, price: 20 }));
    const live = Array.from({ length: 7 }, (_, i) =>
      deal(336 + i / 6, 3000 - 30 * i, 3 * i, 1000, 346, { dealStartsAt: at(336), price: 12 }),
    );
    const d = only(detectDeals([...pre, ...live], { now: at(337) }));
    expect(d.discountPercent).toBeCloseTo(40, 9);
    expect(d.referencePrice).toBe(20);
    expect(d.strategy).toBe('RANK_PUSH');
    expect(d.strategyReason).toMatch(/weak rank/);
  });
});

describe('ETA property: more deal stock never sells out earlier', () => {
  it('holds for the same units sold against a larger quantity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 3, maxLength: 10 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (steps, a, b) => {
          const total = steps.reduce((x, y) => x + y, 0);
          const [q1, q2] = [total + 1 + Math.min(a, b), total + 1 + Math.max(a, b)];
          const make = (q: number) => {
            let u = 0;
            return steps.map((s, i) => {
              u += s;
              return deal(i / 4, null, (100 * u) / q, q, 400, { dealStartsAt: at(0) });
            });
          };
          const now = at((steps.length - 1) / 4);
          const d1 = only(detectDeals(make(q1), { now, etaDraws: 30 }));
          const d2 = only(detectDeals(make(q2), { now, etaDraws: 30 }));
          const inf = (x: number | null | undefined) => (x === null || x === undefined ? Infinity : x);
          for (const k of ['p10', 'p50', 'p90'] as const) expect(inf(d1.sellOutEta?.[k])).toBeLessThanOrEqual(inf(d2.sellOutEta?.[k]));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('ETA property: never before now', () => {
  it('holds for any live claim curve and any now after the last reading', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 20, max: 2000 }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (steps, q, lagH) => {
          let c = 0;
          const pts = steps.map((s, i) => {
            c = Math.min(99, c + s);
            return deal(i / 4, 5000, c, q, 200, { dealStartsAt: at(0) });
          });
          const now = pts[pts.length - 1].at + lagH * H;
          for (const d of detectDeals(pts, { now, etaDraws: 30 })) {
            if (!d.sellOutEta) continue;
            for (const v of [d.sellOutEta.p10, d.sellOutEta.p50, d.sellOutEta.p90]) if (v !== null) expect(v).toBeGreaterThanOrEqual(now);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
