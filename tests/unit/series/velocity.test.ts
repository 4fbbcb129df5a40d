import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poissonMeanInterval } from '../../../core/series/poissonInterval';
import type { SnapshotPoint } from '../../../core/series/types';
import { velocity } from '../../../core/series/velocity';
import { at, cens, deal, pt, series } from './build';

describe('velocity: hand-computed series', () => {
  it('constant drain 100→60 over 4 h is 10 units/h with the exact Poisson interval', () => {
    const v = velocity(series(0, [100, 90, 80, 70, 60]), { now: at(4) });
    expect(v.perHour.value).toBeCloseTo(10, 12);
    expect(v.perDay.value).toBeCloseTo(240, 12);
    expect(v.unitsMeasured).toBe(40);
    expect(v.measuredHours).toBeCloseTo(4, 12);
    expect(v.dispersion).toBe(1); // every hour sold exactly 10: no overdispersion
    // Garwood 90 % for 40 events: [χ²(0.05, 80)/2, χ²(0.95, 82)/2] = [30.1957, 52.0694] (scipy).
    expect(v.perHour.lower).toBeCloseTo(30.195739194344732 / 4, 6);
    expect(v.perHour.upper as number).toBeCloseTo(52.069369115136936 / 4, 6);
    expect(v.isLowerBoundOnly).toBe(false);
  });

  it('a restock is not negative sales: 100, 90, 200, 190 sells 10/h and rises by 110', () => {
    const v = velocity(series(0, [100, 90, 200, 190]), { now: at(3) });
    expect(v.perHour.value).toBeCloseTo(10, 12);
    expect(v.restockUnits).toBe(110);
    expect(v.unobservedHours).toBeCloseTo(1, 12);
    expect(v.intervalCounts.RESTOCK).toBe(1);
    expect(v.explanation.notes.join(' ')).toMatch(/restock, not negative sales/);
  });

  it('missing captures are not zero sales: 100, –, –, 70 is 10/h', () => {
    const v = velocity(series(0, [100, null, null, 70]), { now: at(3) });
    expect(v.perHour.value).toBeCloseTo(10, 12);
    expect(v.measuredHours).toBeCloseTo(3, 12);
  });

  it('a gap longer than maxGap is left out, not counted as zero', () => {
    const v = velocity([pt(0, 100), pt(1, 90), pt(20, 50)], { now: at(20) });
    expect(v.perHour.value).toBeCloseTo(10, 12);
    expect(v.intervalCounts.GAP).toBe(1);
    expect(v.unobservedHours).toBeCloseTo(19, 12);
  });

  it('censored "999+" readings give a lower bound only, never an exact figure', () => {
    const v = velocity([cens(0, 999), cens(1, 999), pt(2, 990), pt(3, 980)], { now: at(3) });
    expect(v.isLowerBoundOnly).toBe(true);
    expect(v.perHour.value).toBeNull();
    expect(v.perHour.upper).toBeNull();
    expect(v.perDay.value).toBeNull();
    // ≥999 → 990 sold ≥ 9; ≥999 → ≥999 nothing; 990 → 980 sold 10: at least 19 units in 3 h.
    expect(v.unitsLowerBound).toBe(19);
    // Garwood lower bound of 19 events (12.44195, scipy) over the 3 measured + censored hours.
    expect(v.perHour.lower).toBeCloseTo(12.441952191667813 / 3, 6);
    expect(v.measuredPerHour).toBeCloseTo(10, 12);
    expect(v.explanation.notes.join(' ')).toMatch(/lower bound, not an exact figure/);
  });

  it('an exact reading followed by a lower one that is censored bounds sales from above', () => {
    // 50 → "≥10": 0 ≤ sold ≤ 40.
    const v = velocity([pt(0, 50), cens(1, 10)], { now: at(1) });
    expect(v.isLowerBoundOnly).toBe(true);
    expect(v.perHour.lower).toBe(0);
    expect(v.perHour.upper as number).toBeCloseTo(52.069369115136936, 6);
  });

  it('deal claims measure sales while stock is censored: 10 % of 500 per hour is 50/h exact', () => {
    const pts = [0, 1, 2, 3].map((h) => deal(h, 999, 10 * h, 500, 12, { stockIsLowerBound: true }));
    const v = velocity(pts, { now: at(3) });
    expect(v.isLowerBoundOnly).toBe(false);
    expect(v.perHour.value).toBeCloseTo(50, 12);
    expect(v.dealUnits).toBeCloseTo(150, 12);
    expect(v.intervalCounts.CLAIMS).toBe(3);
  });

  it('claims also count a deal interval where a batch release raised stock', () => {
    // Stock 500 → 450 (exact), then +300 released while 10 % more of 500 is claimed.
    const pts = [deal(0, 500, 0, 500, 12), deal(1, 450, 10, 500, 12), deal(2, 700, 20, 500, 12)];
    const v = velocity(pts, { now: at(2) });
    expect(v.intervalCounts.EXACT).toBe(1);
    expect(v.intervalCounts.CLAIMS).toBe(1);
    expect(v.perHour.value).toBeCloseTo(50, 12);
  });

  it('prorates intervals cut by the window and leaves out excluded ranges', () => {
    const clipped = velocity(series(0, [100, 90, 80, 70, 60]), { now: at(4), from: at(0.5), to: at(2.5) });
    expect(clipped.unitsMeasured).toBeCloseTo(20, 9);
    expect(clipped.measuredHours).toBeCloseTo(2, 9);
    const ex = velocity(series(0, [100, 90, 40, 30]), { now: at(3), exclude: [{ start: at(1), end: at(2) }] });
    expect(ex.perHour.value).toBeCloseTo(10, 12);
    expect(ex.excludedHours).toBeCloseTo(1, 12);
  });

  it('states provenance and flags captures that stopped', () => {
    const v = velocity(series(0, [100, 90, 80, 70, 60]), { now: at(30) });
    expect(v.provenance.newestAtMs).toBe(at(4));
    expect(v.provenance.ageHours).toBeCloseTo(26, 9);
    expect(v.provenance.source).toBe('test');
    expect(v.provenance.stale).toBe(true);
    expect(v.explanation.data?.stale).toBe(true);
    expect(v.explanation.notes.join(' ')).toMatch(/captures look stopped/);
    expect(velocity(series(0, [100, 90]), { now: at(1.5) }).provenance.stale).toBe(false);
  });

  it('rejects bad input with the field named', () => {
    expect(() => velocity([pt(1, 5), pt(0, 4)], { now: at(2) })).toThrow(/points\[1\]\.at/);
    expect(() => velocity([pt(0, -1)], { now: at(1) })).toThrow(/points\[0\]\.stock must be ≥ 0/);
    expect(() => velocity([pt(0, 1)], { now: Number.NaN })).toThrow(/now must be epoch ms/);
    expect(() => velocity([pt(0, 1)], { now: at(1), from: at(2), to: at(1) })).toThrow(/from must be ≤ to/);
    expect(() => velocity([pt(0, 1)], { now: at(1), confidence: 1 })).toThrow(/confidence/);
  });
});

describe('Poisson mean interval (Garwood) against chi-square quantiles', () => {
  it.each([
    [0, 0, 2.9957322735539895],
    [1, 0.05129329438755053, 4.743864518390577],
    [10, 5.425405697091295, 16.962219235721903],
    [40, 30.195739194344732, 52.069369115136936],
  ])('n=%d', (n, lo, hi) => {
    const ci = poissonMeanInterval(n, 0.9);
    expect(ci.lower).toBeCloseTo(lo, 6);
    expect(ci.upper).toBeCloseTo(hi, 6);
  });
});

const arbSeries = fc
  .array(
    fc.record({
      dt: fc.integer({ min: 1, max: 240 }),
      stock: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
      lb: fc.boolean(),
    }),
    { minLength: 0, maxLength: 40 },
  )
  .map((rows) => {
    let h = 0;
    return rows.map((r): SnapshotPoint => {
      h += r.dt / 60;
      return r.lb && r.stock !== null ? cens(h, r.stock) : pt(h, r.stock);
    });
  });

describe('velocity properties', () => {
  it('is never negative and its interval brackets the point', () => {
    fc.assert(
      fc.property(arbSeries, (pts) => {
        const now = (pts.length ? pts[pts.length - 1].at : at(0)) + 60_000;
        const v = velocity(pts, { now });
        expect(v.perHour.lower).toBeGreaterThanOrEqual(0);
        if (v.perHour.value !== null) {
          expect(v.perHour.value).toBeGreaterThanOrEqual(v.perHour.lower - 1e-9);
          expect(v.perHour.value).toBeLessThanOrEqual((v.perHour.upper as number) + 1e-9);
        }
        if (v.perHour.upper !== null) expect(v.perHour.upper).toBeGreaterThanOrEqual(v.perHour.lower - 1e-9);
        expect(v.unitsLowerBound).toBeGreaterThanOrEqual(0);
        expect(v.isLowerBoundOnly).toBe(v.censoredHours > 0);
      }),
      { numRuns: 200 },
    );
  });
});
