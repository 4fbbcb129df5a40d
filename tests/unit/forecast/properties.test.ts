/** Property-based checks (fast-check) of the engine's invariants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etsEvaluate, etsForecast, fitEts, type EtsSpec } from '../../../core/forecast/ets';
import { forecast } from '../../../core/forecast/index';
import { tsb } from '../../../core/forecast/intermittent';

const RUNS = { numRuns: 25, seed: 20240601 };

/** Positive series of length 24–40 around a level with noise (fast-check arrays of multipliers). */
const positiveSeries = fc
  .tuple(
    fc.double({ min: 20, max: 500, noNaN: true }),
    fc.array(fc.double({ min: 0.6, max: 1.4, noNaN: true }), { minLength: 24, maxLength: 40 }),
  )
  .map(([level, mult]) => mult.map((u) => level * u));

/** Non-negative demand with zeros. */
const demandSeries = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })), { minLength: 12, maxLength: 40 });

function checkPoints(points: { value: number; lower80: number; upper80: number; lower95: number; upper95: number }[]): void {
  for (const p of points) {
    for (const v of [p.value, p.lower80, p.upper80, p.lower95, p.upper95]) expect(Number.isFinite(v)).toBe(true);
    expect(p.lower95).toBeLessThanOrEqual(p.lower80 + 1e-9);
    expect(p.lower80).toBeLessThanOrEqual(p.value + 1e-9);
    expect(p.value).toBeLessThanOrEqual(p.upper80 + 1e-9);
    expect(p.upper80).toBeLessThanOrEqual(p.upper95 + 1e-9);
  }
}

describe('forecast() invariants', () => {
  it('a constant series forecasts the constant, with zero-width intervals', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 1e4, noNaN: true }),
        fc.integer({ min: 6, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (c, n, h) => {
          const r = forecast(new Array<number>(n).fill(c), { horizon: h });
          expect(r.points).toHaveLength(h);
          for (const p of r.points) {
            expect(p.value).toBeCloseTo(c, 6);
            expect(p.upper95 - p.lower95).toBeLessThan(1e-6 * c);
          }
        },
      ),
      RUNS,
    );
  });

  it('forecasts are finite, non-negative for demand, and intervals nested (95 ⊇ 80 ∋ point)', () => {
    fc.assert(
      fc.property(demandSeries, fc.integer({ min: 1, max: 8 }), (y, h) => {
        fc.pre(y.some((v) => v > 0));
        const r = forecast(y, { horizon: h });
        checkPoints(r.points);
        for (const p of r.points) expect(p.lower95).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(positiveSeries, (y) => {
        const r = forecast(y, { horizon: 6, period: 4 });
        checkPoints(r.points);
      }),
      { ...RUNS, numRuns: 15 },
    );
  });

  it('additive-error ETS intervals widen with the horizon', () => {
    const specs: EtsSpec[] = [
      { error: 'A', trend: 'N', season: 'N' },
      { error: 'A', trend: 'A', season: 'N' },
      { error: 'A', trend: 'Ad', season: 'N' },
      { error: 'A', trend: 'A', season: 'A' },
    ];
    fc.assert(
      fc.property(positiveSeries, fc.constantFrom(...specs), (y, spec) => {
        const fit = fitEts(y, spec, { m: 4 });
        fc.pre(fit !== null);
        const f = etsForecast(fit!, 10);
        for (let i = 1; i < 10; i++) {
          expect(f.upper95[i]! - f.lower95[i]!).toBeGreaterThanOrEqual(f.upper95[i - 1]! - f.lower95[i - 1]! - 1e-9);
          expect(f.upper80[i]! - f.lower80[i]!).toBeGreaterThanOrEqual(f.upper80[i - 1]! - f.lower80[i - 1]! - 1e-9);
        }
      }),
      RUNS,
    );
  });
});

describe('stockouts are censored, not low demand', () => {
  /** A series, a stockout mask, and how far sales fell on stockout periods (fraction kept). */
  const censoredCase = fc
    .tuple(
      positiveSeries,
      fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
    )
    .map(([y, mask, keep]) => {
      const cens = y.map((_, i) => mask[i]! && i > 0);
      return { y, cens, observed: y.map((v, i) => (cens[i] ? v * keep[i]! : v)) };
    });

  it('ETS with fixed parameters: censoring ≥ dropping the stockout periods (level and forecast)', () => {
    const spec: EtsSpec = { error: 'A', trend: 'N', season: 'N' };
    fc.assert(
      fc.property(censoredCase, fc.double({ min: 0.05, max: 0.95, noNaN: true }), ({ y, cens, observed }, alpha) => {
        const p = { alpha, beta: 0, gamma: 0, phi: 1 };
        const withCens = etsEvaluate(observed, spec, 1, p, y[0]!, 0, [], cens).final.l;
        const dropped = etsEvaluate(
          y.filter((_, i) => !cens[i]),
          spec,
          1,
          p,
          y[0]!,
          0,
          [],
        ).final.l;
        const naive = etsEvaluate(observed, spec, 1, p, y[0]!, 0, []).final.l;
        expect(withCens).toBeGreaterThanOrEqual(dropped - 1e-9);
        // and never below treating the lowered sales as real demand
        expect(withCens).toBeGreaterThanOrEqual(naive - 1e-9);
      }),
      RUNS,
    );
  });

  it('TSB with fixed weights: censored zero periods are identical to dropping them', () => {
    fc.assert(
      fc.property(demandSeries, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (y, mask) => {
        const cens = y.map((v, i) => mask[i]! && v === 0 && i > 0);
        fc.pre(y.filter((v, i) => !cens[i] && v > 0).length >= 1 && y.filter((_, i) => !cens[i]).length >= 2);
        const a = tsb(y, { weights: [0.2, 0.1], init: 'naive', censored: cens }).rate;
        const b = tsb(
          y.filter((_, i) => !cens[i]),
          { weights: [0.2, 0.1], init: 'naive' },
        ).rate;
        expect(a).toBeCloseTo(b, 12);
      }),
      RUNS,
    );
  });

  it('forecast(): the recorded value of a censored period below the forecast does not matter', () => {
    fc.assert(
      fc.property(censoredCase, ({ y, cens }) => {
        fc.pre(cens.some(Boolean));
        const zeroed = y.map((v, i) => (cens[i] ? 0 : v));
        const inStock = cens.map((c) => !c);
        const a = forecast(zeroed, { horizon: 3, inStock, model: 'SES', backtest: false });
        const b = forecast(
          y.map((v, i) => (cens[i] ? v * 0.01 : v)),
          { horizon: 3, inStock, model: 'SES', backtest: false },
        );
        const treatedAsDemand = forecast(zeroed, { horizon: 3, model: 'SES', backtest: false });
        a.points.forEach((p, i) => expect(p.value).toBeCloseTo(b.points[i]!.value, 4));
        expect(a.points[0]!.value).toBeGreaterThanOrEqual(treatedAsDemand.points[0]!.value - 1e-9);
      }),
      { ...RUNS, numRuns: 15 },
    );
  });
});
