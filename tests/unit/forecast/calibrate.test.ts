/**
 * Empirical interval calibration (core/forecast/calibrate.ts): the rescaling step by hand, its
 * nesting property, and the served forecast scaling whichever model the pool selects by the
 * factors (bench/coverage.ts measures the coverage itself on public data).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrationAt, INTERVAL_SCALE_BY_NOISE, KAPPA_BOUNDS, noiseRatio, scaleIntervals } from '../../../core/forecast/calibrate';
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

  it('keeps 95 % ⊇ 80 % ∋ μ when κ95 ≥ κ80 and the model nests (as calibrationAt does)', () => {
    for (let s = 0; s <= 1; s += 0.05) expect(calibrationAt(s).factor95).toBeGreaterThanOrEqual(calibrationAt(s).factor80);
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

describe('noise ratio and κ(s)', () => {
  it('s = σ̂₁ / sd(y) from the one-step 80 % upper half-width, by hand; 1 without spread; clamped to [0, 1]', () => {
    // sd(1..5) = √2.5; σ̂₁ = 0.5 → upper80 = μ + 0.5·z₀.₉.
    const z = 1.2815515655446004;
    expect(noiseRatio([1, 2, 3, 4, 5, NaN], { mean: [3], upper80: [3 + 0.5 * z] })).toBeCloseTo(0.5 / Math.sqrt(2.5), 12);
    expect(noiseRatio([4, 4, 4], { mean: [4], upper80: [5] })).toBe(1);
    expect(noiseRatio([1, 2, 3, 4, 5], { mean: [3], upper80: [3 + 10 * z] })).toBe(1);
  });

  it('κ(s) = a + b·s inside the bounds; bad s is a RangeError naming it', () => {
    const l = INTERVAL_SCALE_BY_NOISE.level80;
    const c = calibrationAt(0.5);
    expect(c.factor80).toBeCloseTo(Math.min(KAPPA_BOUNDS.max, Math.max(KAPPA_BOUNDS.min, l.a + 0.5 * l.b)), 12);
    expect(c.noiseRatio).toBe(0.5);
    for (let s = 0; s <= 1; s += 0.1) {
      const k = calibrationAt(s);
      for (const f of [k.factor80, k.factor95]) {
        expect(f).toBeGreaterThanOrEqual(KAPPA_BOUNDS.min);
        expect(f).toBeLessThanOrEqual(KAPPA_BOUNDS.max);
      }
    }
    expect(() => calibrationAt(-0.1)).toThrow(/^noise ratio must be in \[0, 1\]/);
    expect(() => calibrationAt(NaN)).toThrow(/^noise ratio/);
  });
});

describe('served forecast', () => {
  // A positive seasonal series far from 0, so no bound is clipped.
  const y = Array.from({ length: 60 }, (_, t) => 500 + 3 * t + 40 * Math.sin((2 * Math.PI * t) / 12) + 15 * Math.sin(t * 1.7));

  it.each(['auto', 'THETA', 'SES', 'SEASONAL_NAIVE'] as const)('scales the half-widths of %s by the factors', (model) => {
    const raw = forecast(y, { horizon: 12, period: 12, model, calibrate: false });
    const cal = forecast(y, { horizon: 12, period: 12, model });
    expect(raw.calibration).toBeNull();
    const s = noiseRatio(y, { mean: raw.points.map((p) => p.value), upper80: raw.points.map((p) => p.upper80) });
    const k = calibrationAt(s);
    expect(cal.calibration!.noiseRatio).toBeCloseTo(s, 12);
    expect(cal.calibration!.factor80).toBeCloseTo(k.factor80, 12);
    expect(cal.calibration!.factor95).toBeCloseTo(k.factor95, 12);
    expect(cal.model).toBe(raw.model);
    cal.points.forEach((p, i) => {
      const q = raw.points[i]!;
      expect(p.value).toBe(q.value);
      expect(p.upper80 - p.value).toBeCloseTo(k.factor80 * (q.upper80 - q.value), 9);
      expect(p.value - p.lower95).toBeCloseTo(k.factor95 * (q.value - q.lower95), 9);
    });
    expect(cal.intervalMethod).toMatch(/empirical calibration/);
    expect(cal.explanation.steps.map((s) => s.label)).toContain('interval half-width factor 95 %');
  });
});
