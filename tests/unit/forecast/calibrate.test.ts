/**
 * Empirical interval calibration (core/forecast/calibrate.ts): the rescaling step by hand, its
 * nesting property, and the served forecast scaling whichever model the pool selects by the
 * factors (bench/coverage.ts measures the coverage itself on public data).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERVAL_SCALE, scaleIntervals } from '../../../core/forecast/calibrate';
import { forecast } from '../../../core/forecast/index';

const RUNS = { numRuns: 60, seed: 20261203 };

describe('scaleIntervals', () => {
  it('moves every bound to μ ± κ·(its distance from μ), keeping asymmetry', () => {
    const r = scaleIntervals({ mean: [10, 20], lower80: [8, 19], upper80: [13, 20], lower95: [5, 15], upper95: [16, 30] }, 1.5, 2);
    expect(r.lower80).toEqual([7, 18.5]);
    expect(r.upper80).toEqual([14.5, 20]);
    expect(r.lower95).toEqual([0, 10]);
    expect(r.upper95).toEqual([22, 40]);
    expect(r.mean).toEqual([10, 20]);
    expect(() => scaleIntervals({ mean: [1], lower80: [0], upper80: [2], lower95: [0], upper95: [2] }, 0, 1)).toThrow(/^factor80 must be/);
    expect(() => scaleIntervals({ mean: [1], lower80: [0], upper80: [2], lower95: [0], upper95: [2] }, 1, NaN)).toThrow(
      /^factor95 must be/,
    );
  });

  it('keeps 95 % ⊇ 80 % ∋ μ when κ95 ≥ κ80 and the model nests (as INTERVAL_SCALE does)', () => {
    expect(INTERVAL_SCALE.level95).toBeGreaterThanOrEqual(INTERVAL_SCALE.level80);
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })),
        fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (m, [a, b], [c, d], k80, extra) => {
          const r = scaleIntervals(
            { mean: [m], lower80: [m - a], upper80: [m + b], lower95: [m - a - c], upper95: [m + b + d] },
            k80,
            k80 + extra,
          );
          expect(r.lower95[0]!).toBeLessThanOrEqual(r.lower80[0]! + 1e-9);
          expect(r.lower80[0]!).toBeLessThanOrEqual(m + 1e-9);
          expect(r.upper80[0]!).toBeGreaterThanOrEqual(m - 1e-9);
          expect(r.upper95[0]!).toBeGreaterThanOrEqual(r.upper80[0]! - 1e-9);
        },
      ),
      RUNS,
    );
  });
});

describe('served forecast', () => {
  // A positive seasonal series far from 0, so no bound is clipped.
  const y = Array.from({ length: 60 }, (_, t) => 500 + 3 * t + 40 * Math.sin((2 * Math.PI * t) / 12) + 15 * Math.sin(t * 1.7));

  it.each(['auto', 'THETA', 'SES', 'SEASONAL_NAIVE'] as const)('scales the half-widths of %s by the factors', (model) => {
    const raw = forecast(y, { horizon: 12, period: 12, model, calibrate: false });
    const cal = forecast(y, { horizon: 12, period: 12, model });
    expect(raw.calibration).toBeNull();
    expect(cal.calibration).toEqual({ factor80: INTERVAL_SCALE.level80, factor95: INTERVAL_SCALE.level95 });
    expect(cal.model).toBe(raw.model);
    cal.points.forEach((p, i) => {
      const q = raw.points[i]!;
      expect(p.value).toBe(q.value);
      expect(p.upper80 - p.value).toBeCloseTo(INTERVAL_SCALE.level80 * (q.upper80 - q.value), 9);
      expect(p.value - p.lower95).toBeCloseTo(INTERVAL_SCALE.level95 * (q.value - q.lower95), 9);
    });
    expect(cal.intervalMethod).toMatch(/empirical calibration/);
    expect(cal.explanation.steps.map((s) => s.label)).toContain('interval half-width factor 95 %');
  });
});
