import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_NEIGHBOURHOOD,
  anomalyFlags,
  anomalySentence,
  flagReading,
  neighbourhoodOf,
  stockReadingFlags,
  withoutAnomalousValues,
  withoutWrongStock,
  wrongFields,
  wrongStockReadings,
  type FlagOptions,
} from '../../../core/anomalies';
import type { SnapshotPoint } from '../../../core/series/types';
import { detectRestocks, stockoutWindows } from '../../../core/restock';
import { velocity } from '../../../core/series/velocity';
import { at, cens, pt, series } from '../series/build';

// 536 → 507 selling 1/h, then one capture reads 0, then 505, 504, … (the 0 is a scraper glitch).
const glitch = series(0, [...Array.from({ length: 30 }, (_, i) => 536 - i), 0, 505, 504, 503, 502, 501]);
const now = glitch[glitch.length - 1].at;

describe('one set of per-reading anomaly flags', () => {
  it('a single 0 between 506 and 505 is a SPIKE on that reading, with values and thresholds in words', () => {
    const flags = anomalyFlags(glitch);
    expect(flags.filter((f) => f.anomalous).map((f) => f.index)).toEqual([30]);
    const spike = flags[30].reasons.find((r) => r.code === 'SPIKE')!;
    expect(spike).toMatchObject({ fields: ['stock'], scope: 'READING' });
    const sentence = anomalySentence(flags[30]);
    expect(sentence).toContain('stock 507 → 0 → 505');
    expect(sentence).toMatch(/±3σ/);
    expect(sentence).toMatch(/left out/);
  });

  it('restocks, stockout windows and velocity all honour it (before: a 505-unit FROM_ZERO at 0.95 and a 1 h stockout)', () => {
    expect(detectRestocks(glitch, { now })).toEqual([]);
    expect(stockoutWindows(glitch, { now, minDurationHours: 0 })).toEqual([]);
    const v = velocity(glitch, { now, from: glitch[0].at, to: now });
    // 536 → 501 is 35 units over 35 h; the glitch neither sells 507 units nor restocks 505.
    expect(v.unitsMeasured).toBeCloseTo(35, 9);
    expect(v.perHour.value).toBeCloseTo(1, 9);
    expect(v.restockUnits).toBe(0);
    expect(v.explanation.notes.join(' ')).toMatch(/1 stock reading\(s\) flagged as wrong were left out/);
  });

  it('a real stockout (several zero readings) and its restock stay', () => {
    const real = series(0, [...Array.from({ length: 30 }, (_, i) => 60 - 2 * i), 0, 0, 0, 0, 0, 0, 300, 298, 296]);
    const end = real[real.length - 1].at;
    expect(anomalyFlags(real).some((f) => f.anomalous)).toBe(false);
    expect(detectRestocks(real, { now: end }).map((e) => [e.kind, e.quantity])).toEqual([['FROM_ZERO', 300]]);
    expect(stockoutWindows(real, { now: end, minDurationHours: 0 })).toHaveLength(1);
  });

  it('given flags must be one per reading', () => {
    expect(() => detectRestocks(glitch, { anomalies: anomalyFlags(glitch).slice(1) })).toThrow(/one flag per reading/);
  });
});

describe('a flag is a function of its reading and its neighbourhood only', () => {
  it('neighbourhood: 48 exact readings before, 6 after, censored ones in between come along', () => {
    const long = series(
      0,
      Array.from({ length: 120 }, (_, i) => 1000 - i),
    );
    expect(neighbourhoodOf(long, 100)).toEqual({ lo: 100 - ANOMALY_NEIGHBOURHOOD.before, hi: 106 });
    const withCensored = [...long.slice(0, 60), cens(59.5, 900), ...long.slice(60)];
    // The censored reading at index 60 comes along without costing a slot.
    expect(neighbourhoodOf(withCensored, 101)).toEqual({ lo: 101 - ANOMALY_NEIGHBOURHOOD.before - 1, hi: 107 });
  });

  it('property: readings outside the neighbourhood change no flag', () => {
    const arb = fc.array(
      fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -5, max: 0 }) }, { weight: 1, arbitrary: fc.integer({ min: -600, max: 600 }) }),
      {
        minLength: 70,
        maxLength: 90,
      },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 69 }), fc.integer({ min: -300, max: 300 }), (steps, idx, noise) => {
        let s = 2000;
        const pts = steps.map((d, i) => pt(i, (s = Math.max(0, s + d)), { bsr: 4000 + ((i * 37) % 200) }));
        const i = Math.min(idx, pts.length - 1);
        const { lo, hi } = neighbourhoodOf(pts, i);
        const base = flagReading(pts, i);
        // Rewrite everything outside [lo, hi]: the verdict must not move.
        const other = pts.map((p, j) => (j < lo || j > hi ? { ...p, stock: Math.max(0, (p.stock ?? 0) + noise), bsr: 9000 } : p));
        const sliced = flagReading(pts.slice(lo, hi + 1), i - lo);
        const strip = (f: typeof base) => ({ anomalous: f.anomalous, reasons: f.reasons, z: f.z, score: f.isolationScore });
        expect(strip(flagReading(other, i))).toEqual(strip(base));
        expect(strip(sliced)).toEqual(strip(base));
      }),
      { numRuns: 60 },
    );
  });

  it('the newest reading has no right neighbour yet: the spike shows one capture later', () => {
    const codes = (n: number) => anomalyFlags(glitch.slice(0, n))[30].reasons.map((r) => r.code);
    // As the newest reading the 0 is only a drop the rank does not explain (not sales) …
    expect(codes(31)).not.toContain('SPIKE');
    expect(codes(31)).toContain('CROSS_SIGNAL');
    // … and once 505 arrives it is a wrong reading.
    expect(codes(32)).toContain('SPIKE');
    expect(detectRestocks(glitch.slice(0, 32), { now: at(31) })).toEqual([]);
  });
});

describe('stockReadingFlags: the cheap path restocks, stockouts and velocity use', () => {
  it("property: its wrong-stock verdicts are exactly anomalyFlags'", () => {
    const arb = fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -5, max: 0 }) },
        { weight: 1, arbitrary: fc.integer({ min: -800, max: 800 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      { minLength: 3, maxLength: 80 },
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (steps, withRank) => {
        let s = 1000;
        const pts = steps.map((d, i) =>
          pt(i, (s = Math.max(0, s + d)), { bsr: withRank ? 3000 + ((i * 53) % 900) : null, dealType: 'NONE' }),
        );
        const full = anomalyFlags(pts).map((f) => wrongFields(f).has('stock'));
        const cheap = stockReadingFlags(pts).map((f) => wrongFields(f).has('stock'));
        expect(cheap).toEqual(full);
      }),
      { numRuns: 150 },
    );
  });
});

describe('wrongStockReadings: the stock verdicts fact maintenance uses', () => {
  /** A random reading step: stock change, capture spacing, censoring, missing stock, BSR (with sale-like improvements). */
  const step = fc.record({
    d: fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: -6, max: 0 }) },
      { weight: 1, arbitrary: fc.integer({ min: -900, max: 900 }) },
      { weight: 4, arbitrary: fc.constant(0) },
    ),
    spike: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -600, max: 600 }) }),
    gapH: fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(1 / 6, 1 / 6, 0.5, 1) },
      { weight: 2, arbitrary: fc.double({ min: 0.02, max: 6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(30, 60, 400) },
    ),
    kind: fc.oneof(
      { weight: 14, arbitrary: fc.constant('exact' as const) },
      { weight: 1, arbitrary: fc.constant('censored' as const) },
      { weight: 1, arbitrary: fc.constant('missing' as const) },
    ),
    bsr: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 2500, max: 3500 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 2500 }) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
  });
  const series = fc.array(step, { minLength: 3, maxLength: 320, size: 'max' });
  const build = (steps: { d: number; spike: number; gapH: number; kind: string; bsr: number | null }[]): SnapshotPoint[] => {
    let s = 2000;
    let h = 0;
    return steps.map((x, i) => {
      s = Math.max(0, s + x.d);
      h += i ? x.gapH : 0;
      const stock = x.kind === 'missing' ? null : Math.max(0, s + x.spike);
      return pt(h, stock, { stockIsLowerBound: x.kind === 'censored', bsr: x.bsr, dealType: 'NONE' });
    });
  };
  const reference = (pts: SnapshotPoint[], opts: FlagOptions, judge: { from: number; to: number } | null) =>
    stockReadingFlags(pts, opts, judge).map((f) => wrongFields(f).has('stock'));

  it('property: exactly the stock READING verdicts of stockReadingFlags, on random series and options', () => {
    const options = fc.record(
      {
        k: fc.constantFrom(2, 2.5, 3),
        method: fc.constantFrom('MEDIAN_MAD' as const, 'MEAN_SD' as const),
        spikeRevert: fc.constantFrom(0.3, 0.5, 1),
        minPoints: fc.constantFrom(2, 8, 20),
        rankEpsilon: fc.constantFrom(0, 0.05, 0.3),
        minRankElasticity: fc.constantFrom(0, 0.25, 1),
      },
      { requiredKeys: [] },
    );
    let flagged = 0;
    fc.assert(
      fc.property(series, options, fc.option(fc.double({ min: 0, max: 1, noNaN: true })), (steps, opts, cut) => {
        const pts = build(steps);
        const judge = cut === null ? null : { from: pts[Math.floor(cut * (pts.length - 1))].at, to: Infinity };
        const want = reference(pts, opts, judge);
        flagged += want.filter(Boolean).length;
        expect(wrongStockReadings(pts, opts, judge)).toEqual(want);
      }),
      { numRuns: 200, seed: 13 },
    );
    // The property is only worth something if the reference flags readings.
    expect(flagged).toBeGreaterThan(300);
  });

  it('a one-capture 0 is marked, and withoutWrongStock leaves it out as withoutAnomalousValues does', () => {
    const wrong = wrongStockReadings(glitch);
    expect(wrong.flatMap((w, i) => (w ? [i] : []))).toEqual([30]);
    const flags = stockReadingFlags(glitch);
    expect(withoutWrongStock(glitch, wrong).map((p) => p.stock)).toEqual(withoutAnomalousValues(glitch, flags).map((p) => p.stock));
    expect(withoutWrongStock(glitch, wrong.fill(false))).toBe(glitch);
  });

  it('bad input names what is wrong', () => {
    expect(() => withoutWrongStock(glitch, [true])).toThrow(/one verdict per reading: 1 for 36/);
    expect(() => wrongStockReadings(glitch, { spikeRevert: 2 })).toThrow(/spikeRevert must be in \(0, 1\]/);
  });
});
