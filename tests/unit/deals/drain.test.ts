import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClaimCurvePoint,
  constantSellOutHours,
  decaySellOutHours,
  drainCumulativeAt,
  fitConstantDrain,
  fitDecayDrain,
  fitDrain,
  fitDrainPoisson,
  sellOutEta,
} from '../../../core/deals/drain';

const decayCurve = (r0: number, k: number, n: number, dt: number): ClaimCurvePoint[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * dt, units: (r0 / k) * (1 - Math.exp(-k * i * dt)) }));

describe('sell-out formulas', () => {
  it('constant: S / r, never at rate 0', () => {
    expect(constantSellOutHours(120, 15)).toBe(8);
    expect(constantSellOutHours(0, 0)).toBe(0);
    expect(constantSellOutHours(10, 0)).toBeNull();
  });
  it('decay: −ln(1 − S·k/r0)/k, never when S ≥ r0/k, constant when k = 0', () => {
    expect(decaySellOutHours(300, 50, 0.1)).toBeCloseTo(-Math.log(1 - 0.6) / 0.1, 12);
    expect(decaySellOutHours(500, 50, 0.1)).toBeNull();
    expect(decaySellOutHours(700, 50, 0.1)).toBeNull();
    expect(decaySellOutHours(100, 50, 0)).toBe(2);
    expect(() => decaySellOutHours(1, 50, -0.1)).toThrow(/k must be ≥ 0/);
    expect(() => decaySellOutHours(-1, 50, 0.1)).toThrow(/remaining/);
  });
});

describe('least-squares fits on the cumulative curve', () => {
  it('recovers a straight line', () => {
    const f = fitConstantDrain([0, 1, 2, 3, 4, 5].map((t) => ({ t, units: 5 + 12 * t })));
    expect(f.rate).toBeCloseTo(12, 12);
    expect(f.intercept).toBeCloseTo(5, 12);
    expect(f.rss).toBeCloseTo(0, 12);
  });
  it('recovers r0 and k of an exact decay and prefers it by AICc', () => {
    const c = decayCurve(50, 0.5, 21, 0.5);
    const f = fitDecayDrain(c);
    expect(f?.r0).toBeCloseTo(50, 3);
    expect(f?.k).toBeCloseTo(0.5, 4);
    expect(fitDrain(c).best.model).toBe('DECAY');
    expect(fitDrain([0, 1, 2, 3, 4, 5, 6].map((t) => ({ t, units: 12 * t + (t % 2) * 0.5 }))).best.model).toBe('CONSTANT');
  });
  it('rejects unsorted curves', () => {
    expect(() =>
      fitConstantDrain([
        { t: 1, units: 1 },
        { t: 0, units: 2 },
      ]),
    ).toThrow(/increasing t/);
  });
});

describe('Poisson-process (NHPP) fits on increments', () => {
  it('constant rate is total units ÷ total time', () => {
    const ch = fitDrainPoisson([
      { t: 0, units: 0 },
      { t: 1, units: 10 },
      { t: 3, units: 40 },
    ]);
    expect(ch.constant.rate).toBeCloseTo(40 / 3, 12);
    expect(ch.best.model).toBe('CONSTANT'); // decay needs ≥ 4 increments
  });
  it('recovers an exact decay and chooses it', () => {
    const ch = fitDrainPoisson(decayCurve(60, 0.4, 25, 0.25));
    expect(ch.best.model).toBe('DECAY');
    const d = ch.decay;
    expect(d?.k).toBeCloseTo(0.4, 3);
    expect(d?.r0).toBeCloseTo(60, 1);
    expect(drainCumulativeAt(ch.best, 6)).toBeCloseTo((60 / 0.4) * (1 - Math.exp(-2.4)), 1);
  });
});

describe('sell-out ETA', () => {
  const line = [0, 0.5, 1, 1.5, 2, 2.5, 3].map((t) => ({ t, units: 10 * t }));
  it('is deterministic per seed and ordered', () => {
    const a = sellOutEta(line, { remaining: 50, seed: 7 });
    const b = sellOutEta(line, { remaining: 50, seed: 7 });
    expect(a).toEqual(b);
    expect(a.pointHours).toBeCloseTo(5, 9);
    expect(a.p10 as number).toBeLessThanOrEqual(a.p50 as number);
    expect(a.p50 as number).toBeLessThanOrEqual(a.p90 as number);
    expect(a.p50 as number).toBeGreaterThan(3.5);
    expect(a.p50 as number).toBeLessThan(7);
  });
  it('is 0 with nothing left', () => {
    const e = sellOutEta(line, { remaining: 0, seed: 1 });
    expect([e.p10, e.p50, e.p90, e.probability]).toEqual([0, 0, 0, 1]);
  });
  it('returns null past the horizon, with the reason', () => {
    const e = sellOutEta(line, { remaining: 100, seed: 1, horizonHours: 5 });
    expect(e.pointHours).toBeNull();
    expect(e.p50).toBeNull();
    expect(e.probability).toBeLessThan(0.5);
    expect(e.reason).toMatch(/after the horizon/);
  });
  it('says a decay that can never sell out does not', () => {
    const e = sellOutEta(decayCurve(60, 0.8, 25, 0.25), { remaining: 500, seed: 1, model: 'DECAY' });
    expect(e.p50).toBeNull();
    expect(e.reason).toMatch(/never sells out/);
  });
  it('least squares with a residual bootstrap is available too', () => {
    const e = sellOutEta(line, { remaining: 50, seed: 3, method: 'LEAST_SQUARES' });
    expect(e.method).toBe('LEAST_SQUARES');
    expect(e.pointHours).toBeCloseTo(5, 9);
  });
});

const arbCurve = fc
  .array(fc.record({ dt: fc.double({ min: 0.05, max: 2, noNaN: true }), dx: fc.integer({ min: 0, max: 60 }) }), {
    minLength: 2,
    maxLength: 25,
  })
  .map((steps) => {
    let t = 0;
    let u = 0;
    const c: ClaimCurvePoint[] = [{ t: 0, units: 0 }];
    for (const s of steps) {
      t += s.dt;
      u += s.dx;
      c.push({ t, units: u });
    }
    return c;
  });

const inf = (x: number | null) => (x === null ? Infinity : x);

describe('sell-out ETA properties', () => {
  it('more stock never sells out earlier, and τ is never negative', () => {
    fc.assert(
      fc.property(
        arbCurve,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom<'POISSON' | 'LEAST_SQUARES'>('POISSON', 'LEAST_SQUARES'),
        (c, s1, s2, method) => {
          const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
          const a = sellOutEta(c, { remaining: lo, seed: 11, draws: 40, method, horizonHours: 48 });
          const b = sellOutEta(c, { remaining: hi, seed: 11, draws: 40, method, horizonHours: 48 });
          for (const q of ['p10', 'p50', 'p90'] as const) {
            expect(inf(a[q])).toBeLessThanOrEqual(inf(b[q]));
            expect(inf(a[q])).toBeGreaterThanOrEqual(0);
          }
          expect(a.probability).toBeGreaterThanOrEqual(b.probability);
        },
      ),
      { numRuns: 60 },
    );
  });
});
