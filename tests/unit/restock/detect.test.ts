import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectRestocks, learnJumpThreshold } from '../../../core/restock/detect';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, cens, deal, pt, series } from '../series/build';

describe('restock detection: hand-computed series', () => {
  it('a restock from an exact 0 to an exact 800 is 800 units, not 801 (exact readings, exact quantity)', () => {
    const ev = detectRestocks(series(0, [5, 3, 1, 0, 0, 0, 800, 798]));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: 'FROM_ZERO', fromLevel: 0, toLevel: 800, observedIncrease: 800, quantity: 800 });
    // The sales the readings cannot see (arrival to the first raised reading) are stated, not added.
    expect(ev[0].explanation.notes.join(' ')).toMatch(/not added/);
  });

  it('0 → available is a restock; quantity is the observed rise', () => {
    const ev = detectRestocks(series(0, [5, 3, 1, 0, 0, 0, 120, 118]));
    expect(ev).toHaveLength(1);
    const e = ev[0];
    expect(e.kind).toBe('FROM_ZERO');
    expect(e.at).toBe(at(6));
    expect(e.earliestAt).toBe(at(5));
    expect(e.observedIncrease).toBe(120);
    // Exact readings 0 and 120: exactly 120 units more. (Ordinary rate: falls 2 + 2 + 1 + 2 over 4 h
    // = 1.75/h, so ~0.875 units may have sold between arrival and the reading; stated, not added.)
    expect(e.quantity).toBe(120);
    expect(e.confidence).toBeCloseTo(0.95, 12);
    expect(e.explanation.data?.source).toBe('test');
  });

  it('a rise above the learned threshold is a restock, a cart-release bump is not', () => {
    const pts = series(0, [200, 199, 198, 201, 197, 196, 195, 400, 399, 398]);
    const th = learnJumpThreshold(pts);
    // Falls |Δ| = 1,1,4,1,1,1,1 → q90 (type 7) = 1 + 0.4·3 = 2.2 → T = max(5, 3 × 2.2) = 6.6.
    expect(th.q90AbsChange).toBeCloseTo(2.2, 12);
    expect(th.threshold).toBeCloseTo(6.6, 12);
    const ev = detectRestocks(pts);
    expect(ev).toHaveLength(1);
    expect(ev[0].kind).toBe('JUMP');
    expect(ev[0].at).toBe(at(7));
    expect(ev[0].observedIncrease).toBe(205);
    expect(ev[0].confidence).toBeCloseTo(0.95, 12); // rise ≥ 2T
    expect(ev[0].quantity).toBe(205);
  });

  it('confidence of a jump grows from 0.5 at T to 0.95 at 2T', () => {
    const pts = series(0, [100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 99, 98]); // +8 with T = 5
    const ev = detectRestocks(pts);
    expect(ev).toHaveLength(1);
    expect(ev[0].confidence).toBeCloseTo(0.5 + 0.45 * ((8 - 5) / 5), 12);
  });

  it('flapping 0 ↔ 1 within the window is one low-confidence event', () => {
    const pts = series(0, [3, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 80, 78]);
    const ev = detectRestocks(pts);
    expect(ev.map((e) => e.kind)).toEqual(['FLAP', 'FROM_ZERO']);
    expect(ev[0].at).toBe(at(4));
    expect(ev[0].transitions).toBe(3);
    expect(ev[0].quantity).toBe(1);
    expect(ev[0].confidence).toBeLessThan(0.5);
    expect(ev[1].at).toBe(at(30));
  });

  it('flaps right before a real restock are absorbed by it', () => {
    const ev = detectRestocks(series(0, [2, 0, 1, 0, 1, 0, 150, 148, 146]));
    expect(ev).toHaveLength(1);
    expect(ev[0].kind).toBe('FROM_ZERO');
    expect(ev[0].at).toBe(at(6));
    expect(ev[0].transitions).toBe(3);
    expect(ev[0].confidence).toBeCloseTo(0.95, 12);
  });

  it('a delivery in tranches within 2 h is one restock', () => {
    const ev = detectRestocks(series(0, [5, 3, 0, 0, 100, 250, 248, 246]));
    expect(ev).toHaveLength(1);
    expect(ev[0].at).toBe(at(4));
    expect(ev[0].observedIncrease).toBe(250);
    expect(ev[0].transitions).toBe(2);
  });

  it('a small delivery that sells out quickly is a restock, not a flap (flaps are ≤ 3 units)', () => {
    // T = 15 (falls of 5 per hour); 0 → 12 → 4 → 0: above the flap size, below T.
    const pts = series(0, [40, 35, 30, 25, 20, 15, 10, 5, 0, 0, 12, 4, 0, 0]);
    const ev = detectRestocks(pts);
    expect(ev).toHaveLength(1);
    expect(ev[0].kind).toBe('FROM_ZERO');
    expect(ev[0].at).toBe(at(10));
    // Confidence rises from 0.6 just above the flap size to 0.95 at T: 0.6 + 0.35 × (12 − 3) / (15 − 3).
    expect(ev[0].confidence).toBeCloseTo(0.6 + (0.35 * 9) / 12, 12);
  });

  it('stock running out between two rises makes them two restocks, even close together', () => {
    // (Sold down over hours: a one-capture 100 between zeros would be a SPIKE, a wrong reading.)
    const ev = detectRestocks(series(0, [5, 3, 0, 0, 100, 60, 20, 0, 0, 80, 78]));
    expect(ev.map((e) => [e.kind, e.at])).toEqual([
      ['FROM_ZERO', at(4)],
      ['FROM_ZERO', at(9)],
    ]);
  });

  it('a deal quantity increase is a batch even when censored stock cannot show it', () => {
    const pts = [0, 1, 2, 3].map((h) => deal(h, 999, 10 * h, h < 2 ? 300 : 450, 12, { stockIsLowerBound: true }));
    const ev = detectRestocks(pts);
    expect(ev).toHaveLength(1);
    expect(ev[0].at).toBe(at(2));
    expect(ev[0].observedIncrease).toBe(150);
    expect(ev[0].confidence).toBeGreaterThanOrEqual(0.9);
    expect(ev[0].explanation.notes.join(' ')).toMatch(/batch released into the deal/);
  });

  it('censored readings never create a restock: 50, "≥10", 45 is no rise', () => {
    expect(detectRestocks([pt(0, 50), cens(1, 10), pt(2, 45), pt(3, 44)])).toEqual([]);
  });

  it('0 → "999+" is a restock whose size is a lower bound', () => {
    const ev = detectRestocks([pt(0, 3), pt(1, 0), pt(2, 0), cens(3, 999), cens(4, 999)]);
    expect(ev).toHaveLength(1);
    expect(ev[0].kind).toBe('FROM_ZERO');
    expect(ev[0].toLevelIsLowerBound).toBe(true);
    expect(ev[0].confidence).toBeCloseTo(0.9, 12);
    expect(ev[0].explanation.notes.join(' ')).toMatch(/lower bound/);
  });

  it('ignores readings after now', () => {
    expect(detectRestocks(series(0, [5, 0, 0, 80]), { now: at(2) })).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => detectRestocks([], { minJumpUnits: 0 })).toThrow(/minJumpUnits/);
    expect(() => detectRestocks([], { flapWindowMs: -1 })).toThrow(/flapWindowMs/);
  });
});

// Exact hourly series with sales, occasional zeros and occasional restocks.
const arbExact = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -6, max: 0 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) },
      { weight: 1, arbitrary: fc.constant(-1000) },
    ),
    {
      minLength: 2,
      maxLength: 60,
    },
  )
  .map((steps) => {
    let s = 100;
    return steps.map((d, i) => {
      s = Math.max(0, s + d);
      return pt(i, s);
    });
  });

describe('restock properties', () => {
  it('adding censored readings consistent with the exact ones changes nothing', () => {
    fc.assert(
      fc.property(arbExact, fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 20 }), (pts, inserts) => {
        const base = detectRestocks(pts);
        const extra: SnapshotPoint[] = [];
        const used = new Set<number>();
        for (const [k, u] of inserts) {
          const i = k % (pts.length - 1);
          if (used.has(i)) continue;
          used.add(i);
          const lo = Math.min(pts[i].stock as number, pts[i + 1].stock as number);
          extra.push(cens(i + 0.5, Math.floor(lo * u)));
        }
        const merged = [...pts, ...extra].sort((a, b) => a.at - b.at);
        const withCens = detectRestocks(merged);
        const key = (e: (typeof base)[number]) => [e.at, e.earliestAt, e.kind, e.quantity, e.confidence, e.transitions];
        expect(withCens.map(key)).toEqual(base.map(key));
      }),
      { numRuns: 200 },
    );
  });
});
