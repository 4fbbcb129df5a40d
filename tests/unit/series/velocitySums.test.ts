import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stockIntervals } from '../../../core/series/intervals';
import type { SnapshotPoint } from '../../../core/series/types';
import { velocity } from '../../../core/series/velocity';
import { addInterval, addSums, emptySums, subtractSums, velocityFromSums } from '../../../core/series/velocitySums';
import { at, cens, deal, pt, series } from './build';

const near = (a: number | null, b: number | null, tol = 1e-9) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** velocity() through the sums: every interval of the series added at its fraction of [from, to]. */
function fromSums(points: SnapshotPoint[], from: number, to: number, confidence = 0.9) {
  const s = emptySums();
  for (const iv of stockIntervals(points)) addInterval(s, iv, from, to);
  return velocityFromSums(s, confidence);
}

function expectSame(points: SnapshotPoint[], from: number, to: number) {
  const v = velocity(points, { now: to + 1, from, to });
  const s = fromSums(points, from, to);
  expect(s.intervalCounts).toEqual(v.intervalCounts);
  expect(s.isLowerBoundOnly).toBe(v.isLowerBoundOnly);
  for (const [a, b] of [
    [s.perHour.value, v.perHour.value],
    [s.perHour.lower, v.perHour.lower],
    [s.perHour.upper, v.perHour.upper],
    [s.unitsMeasured, v.unitsMeasured],
    [s.unitsLowerBound, v.unitsLowerBound],
    [s.dealUnits, v.dealUnits],
    [s.measuredHours, v.measuredHours],
    [s.censoredHours, v.censoredHours],
    [s.unobservedHours, v.unobservedHours],
    [s.restockUnits, v.restockUnits],
    [s.dispersion, v.dispersion],
  ] as [number | null, number | null][])
    expect(near(a, b), `${a} vs ${b}`).toBe(true);
}

describe('velocity from additive sums (core/series/velocitySums.ts)', () => {
  it('golden: exact drops, a restock, a censored stretch, a gap and a deal give velocity()’s figures', () => {
    const points = [
      ...series(0, [100, 96, 90, 90, 85]),
      pt(5, 300), // restock
      pt(6, 290),
      cens(7, 999),
      pt(8, 280),
      pt(30, 250), // 22 h gap
      deal(31, 240, 10, 200, 40),
      deal(32, 220, 25, 200, 40),
      deal(33, null, 30, 200, 40),
      deal(34, 180, 45, 200, 40),
      pt(35, 175),
    ];
    expectSame(points, at(0), at(35));
    expectSame(points, at(0.5), at(33.25)); // both edges inside intervals
    const v = fromSums(points, at(0), at(6));
    expect(v.unitsMeasured).toBe(4 + 6 + 0 + 5 + 10);
    expect(v.restockUnits).toBe(215);
    expect(v.intervalCounts).toEqual({ EXACT: 5, CLAIMS: 0, CENSORED: 0, RESTOCK: 1, GAP: 0 });
  });

  it('property: equals velocity() on random series and windows within 1e-9', () => {
    const reading = fc.record({
      dt: fc.integer({ min: 1, max: 20 * 60 }), // minutes to the next reading (gaps up to 20 h)
      drop: fc.integer({ min: -50, max: 30 }),
      censored: fc.boolean(),
      missing: fc.boolean(),
      deal: fc.boolean(),
      claimed: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(reading, { minLength: 2, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rs, a, b) => {
          let t = at(0);
          let stock = 500;
          const points: SnapshotPoint[] = rs.map((r) => {
            t += r.dt * 60_000;
            stock = Math.max(0, stock - r.drop);
            const extra = r.deal ? { dealType: 'LIGHTNING' as const, dealQuantity: 300, dealClaimedPercent: r.claimed } : {};
            return r.missing
              ? pt((t - at(0)) / 3_600_000, null, extra)
              : r.censored
                ? cens((t - at(0)) / 3_600_000, Math.min(stock, 99), extra)
                : pt((t - at(0)) / 3_600_000, stock, extra);
          });
          const span = points[points.length - 1].at - points[0].at;
          const from = points[0].at + Math.floor(Math.min(a, b) * span);
          const to = points[0].at + Math.ceil(Math.max(a, b) * span) + 1;
          expectSame(points, from, to);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });

  it('running totals: total(b) − total(a) is the sums of the intervals after a; an empty difference is exactly 0', () => {
    const points = series(0, [100, 99.7, 99.4, 99.1, 98.8, 98.5, 98.2]);
    const ivs = stockIntervals(points);
    const totals = [emptySums()];
    for (const iv of ivs) {
      const s = addSums(totals[totals.length - 1], emptySums());
      addInterval(s, iv, -Infinity, Infinity);
      totals.push(s);
    }
    const direct = emptySums();
    for (const iv of ivs.slice(2, 5)) addInterval(direct, iv, -Infinity, Infinity);
    const diff = subtractSums(totals[5], totals[2]);
    expect(diff.counts).toEqual(direct.counts);
    expect(near(diff.units, direct.units, 1e-12)).toBe(true);
    expect(near(diff.x2h, direct.x2h, 1e-12)).toBe(true);
    const none = subtractSums(totals[4], totals[4]);
    expect(none.units).toBe(0);
    expect(velocityFromSums(none, 0.9).perHour).toEqual({ value: null, lower: 0, upper: null });
  });
});
