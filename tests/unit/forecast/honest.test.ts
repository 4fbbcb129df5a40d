/**
 * Honest forecast figures (issue 14, items 12–13): the count-noise floor on censored or exactly
 * fitted count series, no AICc sentinel in any output, and the live-deal drain overlay. Golden
 * values of the Poisson quantile from SciPy 1.x (`scipy.stats.poisson.ppf(q, mu)`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countNoiseFloor, hasDegenerateInterval, poissonQuantile } from '../../../core/forecast/countfloor';
import { drainAwarePoints, drainStops, drainUnitsIn, type LiveDrain } from '../../../core/forecast/dealdrain';
import { fitEts, LIK_CAP } from '../../../core/forecast/ets';
import { forecast } from '../../../core/forecast/index';
import { renderExplanation } from '../../../core/explain';

const RUNS = { numRuns: 40, seed: 20261203 };
const H = 3_600_000;

interface Bounds {
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

function expectNested(p: Bounds): void {
  expect(p.lower95).toBeLessThanOrEqual(p.lower80 + 1e-9);
  expect(p.lower80).toBeLessThanOrEqual(p.value + 1e-9);
  expect(p.value).toBeLessThanOrEqual(p.upper80 + 1e-9);
  expect(p.upper80).toBeLessThanOrEqual(p.upper95 + 1e-9);
}

/** Every number an explanation or parameter set carries, as text or value. */
function numbersOf(r: ReturnType<typeof forecast>): number[] {
  const text = JSON.stringify([r.params, r.explanation]);
  return [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)].map((m) => Number(m[0]));
}

describe('poissonQuantile', () => {
  it('matches SciPy poisson.ppf at q = 0.025, 0.1, 0.9, 0.975 (exact sum and normal approximation)', () => {
    const golden: [number, number[]][] = [
      [0.3, [0, 0, 1, 2]],
      [1.2, [0, 0, 3, 4]],
      [12, [6, 8, 17, 19]],
      [58.6, [44, 49, 69, 74]],
      [2500, [2402, 2436, 2564, 2598]],
    ];
    for (const [mu, qs] of golden) expect([0.025, 0.1, 0.9, 0.975].map((q) => poissonQuantile(q, mu))).toEqual(qs);
    expect(poissonQuantile(0.5, 0)).toBe(0);
  });

  it('rejects a probability outside (0, 1) and a negative or infinite mean', () => {
    expect(() => poissonQuantile(0, 3)).toThrow(RangeError);
    expect(() => poissonQuantile(1, 3)).toThrow(RangeError);
    expect(() => poissonQuantile(0.5, -1)).toThrow(RangeError);
    expect(() => poissonQuantile(0.5, Infinity)).toThrow(RangeError);
  });
});

describe('countNoiseFloor', () => {
  const point = fc
    .tuple(
      fc.double({ min: 0, max: 500, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([v, a, b]) => ({
      value: v,
      lower80: v * (1 - a),
      upper80: v * (1 + a),
      lower95: v * (1 - a) * (1 - b),
      upper95: v * (1 + a) * (1 + b),
    }));

  it('never narrows an interval, keeps it nested, and gives a positive forecast a positive width', () => {
    fc.assert(
      fc.property(point, (p) => {
        const [q] = countNoiseFloor([p]);
        expect(q.value).toBe(p.value);
        expect(q.lower80).toBeLessThanOrEqual(p.lower80);
        expect(q.lower95).toBeLessThanOrEqual(p.lower95);
        expect(q.upper80).toBeGreaterThanOrEqual(p.upper80);
        expect(q.upper95).toBeGreaterThanOrEqual(p.upper95);
        expectNested(q);
        if (p.value > 0.2) expect(q.upper80 - q.lower80).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('flags a zero-width interval at a positive forecast as degenerate', () => {
    expect(hasDegenerateInterval([{ value: 12, lower80: 12, upper80: 12, lower95: 12, upper95: 12 }])).toBe(true);
    expect(hasDegenerateInterval([{ value: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 }])).toBe(false);
    expect(hasDegenerateInterval([{ value: 12, lower80: 8, upper80: 17, lower95: 6, upper95: 19 }])).toBe(false);
  });
});

describe('forecast() on exactly fitted and censored count series', () => {
  const constant = new Array<number>(48).fill(12);

  it('an exact ETS fit is flagged; its AICc is the cap, kept out of every output', () => {
    const fit = fitEts(constant, { error: 'A', trend: 'N', season: 'N' })!;
    expect(fit.exactFit).toBe(true);
    expect(fit.lik).toBe(-LIK_CAP);
    const noisy = fitEts(
      constant.map((v, i) => v + ((i * 7) % 5) - 2),
      { error: 'A', trend: 'N', season: 'N' },
    )!;
    expect(noisy.exactFit).toBe(false);
    for (const model of ['auto', 'ets', 'SES'] as const) {
      const r = forecast(constant, { horizon: 6, model, counts: true });
      expect(r.params.aicc ?? r.params['ets.aicc']).toBeUndefined();
      for (const x of numbersOf(r)) expect(Math.abs(x), `${model}: ${x}`).toBeLessThan(1e9);
      expect(r.explanation.notes.join(' ')).toContain('AICc undefined (exact fit');
    }
  });

  it('with counts: true a constant count series gets at least Poisson(μ) intervals, and says so', () => {
    const r = forecast(constant, { horizon: 4, counts: true });
    for (const p of r.points) {
      expect(p.value).toBeCloseTo(12, 6);
      expect(p.lower80).toBeLessThanOrEqual(8);
      expect(p.upper80).toBeGreaterThanOrEqual(17);
      expect(p.lower95).toBeLessThanOrEqual(6);
      expect(p.upper95).toBeGreaterThanOrEqual(19);
    }
    expect(r.intervalMethod).toContain('Poisson');
    expect(r.explanation.notes.join(' ')).toContain('reproduces the history exactly');
    // Without counts the engine keeps the model's own (zero-width) interval: the series may not be a count.
    const plain = forecast(constant, { horizon: 4 });
    expect(plain.points[0].upper95 - plain.points[0].lower95).toBeLessThan(1e-6);
  });

  it('with counts: true a censored count series never has intervals narrower than Poisson(μ)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 3, max: 40 }), { minLength: 24, maxLength: 48 }),
        fc.array(fc.boolean(), { minLength: 48, maxLength: 48 }),
        (y, cens) => {
          const inStock = y.map((_, i) => !(cens[i] && i % 3 === 0));
          fc.pre(inStock.some((s) => !s));
          const r = forecast(y, { horizon: 3, inStock, counts: true, backtest: false });
          for (const p of r.points) {
            expectNested(p);
            expect(p.lower80).toBeLessThanOrEqual(poissonQuantile(0.1, p.value));
            expect(p.upper80).toBeGreaterThanOrEqual(poissonQuantile(0.9, p.value));
            expect(p.upper95).toBeGreaterThanOrEqual(poissonQuantile(0.975, p.value));
          }
        },
      ),
      { numRuns: 15, seed: 20261203 },
    );
  });
});

describe('drainAwarePoints (live deal)', () => {
  /** A deal from t = 0 at 60 u/h; 420 units left at 3 h; scheduled end 12 h; P50 sell-out at 10 h. */
  const drain = (over: Partial<LiveDrain> = {}): LiveDrain => ({
    startedAt: 0,
    measuredAt: 3 * H,
    remainingUnits: 420,
    fit: { model: 'CONSTANT', intercept: 0, rate: 60, rss: 0, n: 19, aicc: 0 },
    scheduledEndAt: 12 * H,
    sellOut: { p10: 8 * H, p50: 10 * H, p90: null },
    ...over,
  });
  const base = (n: number) => Array.from({ length: n }, () => ({ value: 1.2, lower80: 0.7, upper80: 1.7, lower95: 0.4, upper95: 2 }));

  it('golden: 60 u/h until the P50 sell-out, the baseline after; the drain sums to the units left', () => {
    const { points, stops, drainUnits } = drainAwarePoints(base(12), (i) => (3 + i) * H, H, drain());
    expect(stops.p50).toEqual({ stop: 10 * H, scale: 1 });
    // P90 not before the end: the units last exactly until the end (420 over 9 h).
    expect(stops.p90.stop).toBe(12 * H);
    expect(stops.p90.scale).toBeCloseTo(420 / 540, 12);
    for (const p of points.slice(0, 7)) expect(p.value).toBeCloseTo(60, 9);
    for (const p of points.slice(9)) expect(p).toEqual(base(1)[0]);
    expect(drainUnits).toBeCloseTo(420, 9);
    // Hours 10–12: sold out at P50 (baseline value) but may still drain in the P90 scenario.
    expect(points[7].value).toBeCloseTo(1.2, 9);
    expect(points[7].upper80).toBeGreaterThan(30);
    points.forEach(expectNested);
  });

  it('a sell-out ETA after the end (null) stops the drain at the end; a fast fit then stops when units run out', () => {
    const d = drain({ sellOut: { p10: null, p50: null, p90: null }, scheduledEndAt: null });
    const stops = drainStops(d);
    expect(stops.p50.stop).toBeCloseTo(10 * H, 6); // 420 units at 60 u/h from 3 h
    expect(drainUnitsIn(d, 3 * H, 100 * H, stops.p50)).toBeCloseTo(420, 9);
  });

  it('steps before the deal and the history part of the first step are counted as the fit says', () => {
    // Step [2 h, 3 h) is before the measuring reading: 60 units already sold by the fit.
    const { points } = drainAwarePoints(base(2), (i) => (2 + i) * H, H, drain());
    expect(points[0].value).toBeCloseTo(60, 9);
    const before = drainAwarePoints(base(1), () => -2 * H, H, drain());
    expect(before.points[0]).toEqual(base(1)[0]);
  });

  it('property: nested bounds, values ≥ 0, Σ drain ≤ units left, baseline restored after the last stop', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        (rate, remaining, endH, etaFactor) => {
          const m = 2 * H;
          const p50h = remaining / rate;
          const eta = (f: number) => (m + f * p50h * H < m + endH * H ? m + f * p50h * H : null);
          const d = drain({
            measuredAt: m,
            remainingUnits: remaining,
            fit: { model: 'CONSTANT', intercept: 0, rate, rss: 0, n: 10, aicc: 0 },
            scheduledEndAt: m + endH * H,
            sellOut: { p10: eta(0.8 * etaFactor), p50: eta(etaFactor), p90: eta(1.25 * etaFactor) },
          });
          const { points, stops, drainUnits } = drainAwarePoints(base(48), (i) => m + i * H, H, d);
          points.forEach((p) => {
            expectNested(p);
            expect(p.lower95).toBeGreaterThanOrEqual(0);
          });
          expect(drainUnits).toBeLessThanOrEqual(remaining + 1e-6);
          const last = Math.max(stops.p10.stop, stops.p50.stop, stops.p90.stop);
          points.forEach((p, i) => {
            if (m + i * H >= last) expect(p).toEqual(base(1)[0]);
          });
        },
      ),
      RUNS,
    );
  });
});

describe('renderExplanation data line', () => {
  it('names the source, or says no reading named one, never "source unknown"', () => {
    const e = { formula: 'f', inputs: {}, steps: [], notes: [] };
    const data = { newestAt: '2026-10-15T12:00:00.000Z', ageHours: 0.5, stale: false };
    expect(renderExplanation({ ...e, data: { ...data, source: 'keepa' } })).toContain(
      'data: source keepa, newest 2026-10-15T12:00:00.000Z',
    );
    const none = renderExplanation({ ...e, data: { ...data, source: null } });
    expect(none).toContain('source not named by any reading used');
    expect(none).not.toContain('source unknown');
  });
});
