import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stockoutWindows } from '../../../core/restock/stockout';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, cens, pt } from '../series/build';

// 20 → 2 at 2/h over h = 0…9, out of stock h = 10…57, 100 back at h = 58.
const before = Array.from({ length: 10 }, (_, h) => pt(h, 20 - 2 * h));
const zeros = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => pt(from + i, 0));
const twoDays = [...before, ...zeros(10, 57), pt(58, 100), pt(59, 98)];

describe('stockout windows: hand-computed series', () => {
  it('48 h out of stock, opportunity = 48/day × 2 days', () => {
    const w = stockoutWindows(twoDays, { now: at(59) });
    expect(w).toHaveLength(1);
    expect(w[0].start).toBe(at(9.5)); // midway between the last 2 and the first 0
    expect(w[0].end).toBe(at(57.5));
    expect(w[0].open).toBe(false);
    expect(w[0].durationHours).toBeCloseTo(48, 9);
    // Baseline before the window: 19 units over 9.5 h = 2/h = 48/day.
    expect(w[0].baselinePerDay).toBeCloseTo(48, 9);
    expect(w[0].opportunityUnits).toBeCloseTo(96, 9);
    expect(w[0].opportunityLower as number).toBeLessThan(96);
    expect(w[0].opportunityUpper as number).toBeGreaterThan(96);
    expect(w[0].endedBy?.kind).toBe('FROM_ZERO');
  });

  it('a returned unit flapping inside the window does not split it', () => {
    const flapping = twoDays.map((p) => (p.at === at(20) ? pt(20, 1) : p));
    const w = stockoutWindows(flapping, { now: at(59) });
    expect(w).toHaveLength(1);
    expect(w[0].durationHours).toBeCloseTo(48, 9);
  });

  it('is open while still out of stock', () => {
    const w = stockoutWindows([...before, ...zeros(10, 57)], { now: at(60) });
    expect(w).toHaveLength(1);
    expect(w[0].end).toBeNull();
    expect(w[0].open).toBe(true);
    expect(w[0].durationHours).toBeCloseTo(60 - 9.5, 9);
    expect(w[0].explanation.notes.join(' ')).toMatch(/open/);
  });

  it('counts only windows of at least minDurationHours (default 24 h)', () => {
    const short = [...before, ...zeros(10, 19), pt(20, 100), pt(21, 98)];
    expect(stockoutWindows(short, { now: at(21) })).toEqual([]);
    const w = stockoutWindows(short, { now: at(21), minDurationHours: 5 });
    expect(w).toHaveLength(1);
    expect(w[0].durationHours).toBeCloseTo(10, 9);
  });

  it('missing captures inside the window keep it whole', () => {
    const gappy = twoDays.filter((p) => p.at < at(20) || p.at > at(35)).map((p) => (p.at === at(40) ? pt(40, null) : p));
    const w = stockoutWindows(gappy, { now: at(59) });
    expect(w).toHaveLength(1);
    expect(w[0].durationHours).toBeCloseTo(48, 9);
    expect(w[0].explanation.notes.join(' ')).toMatch(/missing/);
  });

  it('a series that starts out of stock says so', () => {
    const w = stockoutWindows([...zeros(0, 30), pt(31, 50), pt(32, 49)], { now: at(32) });
    expect(w).toHaveLength(1);
    expect(w[0].start).toBe(at(0));
    expect(w[0].explanation.notes.join(' ')).toMatch(/before the first capture/);
    expect(w[0].opportunityUnits).toBeNull();
  });

  it('a censored baseline makes the opportunity a lower bound', () => {
    const pts = [cens(0, 10), cens(1, 10), pt(2, 4), pt(3, 0), ...zeros(4, 40), pt(41, 50)];
    const w = stockoutWindows(pts, { now: at(41) });
    expect(w).toHaveLength(1);
    expect(w[0].opportunityIsLowerBound).toBe(true);
    expect(w[0].opportunityUnits).toBeNull();
    expect(w[0].opportunityLower as number).toBeGreaterThan(0);
  });

  it('rejects bad options', () => {
    expect(() => stockoutWindows(twoDays, { now: at(59), minDurationHours: -1 })).toThrow(/minDurationHours/);
  });
});

const arbExact = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -8, max: 0 }) },
      { weight: 1, arbitrary: fc.integer({ min: 20, max: 300 }) },
      { weight: 1, arbitrary: fc.constant(-1000) },
    ),
    {
      minLength: 2,
      maxLength: 120,
    },
  )
  .map((steps) => {
    let s = 60;
    return steps.map((d, i) => {
      s = Math.max(0, s + d);
      return pt(i, s);
    });
  });

describe('stockout properties', () => {
  it('censored readings consistent with the exact ones do not move any window', () => {
    fc.assert(
      fc.property(arbExact, fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 30 }), (pts, inserts) => {
        const now = pts[pts.length - 1].at;
        const base = stockoutWindows(pts, { now, minDurationHours: 6 });
        const extra: SnapshotPoint[] = [];
        const used = new Set<number>();
        for (const [k, u] of inserts) {
          const i = k % (pts.length - 1);
          if (used.has(i)) continue;
          used.add(i);
          extra.push(cens(i + 0.5, Math.floor(Math.min(pts[i].stock as number, pts[i + 1].stock as number) * u)));
        }
        const w = stockoutWindows(
          [...pts, ...extra].sort((a, b) => a.at - b.at),
          { now, minDurationHours: 6 },
        );
        expect(w.map((x) => [x.start, x.end, x.durationHours])).toEqual(base.map((x) => [x.start, x.end, x.durationHours]));
      }),
      { numRuns: 150 },
    );
  });
});
