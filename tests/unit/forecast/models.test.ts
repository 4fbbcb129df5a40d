/** Hand-computed small cases for every building block. */
import { describe, expect, it } from 'vitest';
import { linearTrendForecast, naiveForecast, seasonalNaiveForecast } from '../../../core/forecast/baselines';
import { backtest, planBacktest } from '../../../core/forecast/backtest';
import { admissible, etsEvaluate, etsForecast, fitEts, standardModelSet } from '../../../core/forecast/ets';
import { holtWinters } from '../../../core/forecast/holtwinters';
import { adida, classifyDemand, croston, intermittentQuantile, tsb } from '../../../core/forecast/intermittent';
import { bias, mase, rmsse, smape, wape } from '../../../core/forecast/metrics';
import { nelderMead, rootsInsideUnitCircle } from '../../../core/forecast/optim';
import { acf, decompose, detectPeriod, seasonalityTest } from '../../../core/forecast/seasonality';
import { fitSesOptimal } from '../../../core/forecast/theta';
import { createRng } from '../../../core/random';
import { PhiInv } from '../../../core/stats/normal';

/** Coefficients (ascending powers) of Π (z − r). */
function poly(roots: number[]): number[] {
  let p = [1];
  for (const r of roots) {
    const q = new Array<number>(p.length + 1).fill(0);
    p.forEach((c, i) => {
      q[i + 1]! += c;
      q[i]! -= r * c;
    });
    p = q;
  }
  return p;
}

describe('optimisers', () => {
  it('Nelder–Mead finds the minimum of a shifted quadratic and respects infeasible regions', () => {
    const r = nelderMead((x) => (x[0]! - 3) ** 2 + 2 * (x[1]! + 1) ** 2, [0, 0], { steps: [1, 1], relTol: 1e-14 });
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.x[1]).toBeCloseTo(-1, 5);
    const c = nelderMead((x) => (x[0]! < 0.5 ? Infinity : (x[0]! - 0.2) ** 2), [1], { steps: [0.3] });
    expect(c.x[0]).toBeGreaterThanOrEqual(0.5);
    expect(c.x[0]).toBeCloseTo(0.5, 4);
  });
  it('Schur–Cohn root test agrees with known roots', () => {
    expect(rootsInsideUnitCircle(poly([0.5, -0.9, 0.3]))).toBe(true);
    expect(rootsInsideUnitCircle(poly([0.5, -1.1, 0.3]))).toBe(false);
    expect(rootsInsideUnitCircle(poly([0.99, 0.2, -0.3, 0.1, 0.5]))).toBe(true);
    expect(rootsInsideUnitCircle(poly([0.99, 0.2, -0.3, 0.1, 1.01]))).toBe(false);
    // a root exactly on the circle passes only with a radius slightly above 1
    expect(rootsInsideUnitCircle(poly([1.0000001, 0.2]))).toBe(false);
    expect(rootsInsideUnitCircle(poly([1, 0.2]), 1 + 1e-6)).toBe(true);
  });
});

describe('seasonality tools', () => {
  it('acf of an alternating series is −1 at lag 1 (times (n−1)/n) and +1 at lag 2', () => {
    const r = acf([1, -1, 1, -1, 1, -1], 2);
    expect(r[0]).toBeCloseTo(-5 / 6, 12);
    expect(r[1]).toBeCloseTo(4 / 6, 12);
  });
  it('decompose: a pure additive season is recovered exactly and centred', () => {
    const fig = [3, -1, -2, 0];
    const x = Array.from({ length: 16 }, (_, t) => 10 + fig[t % 4]!);
    const d = decompose(x, 4, 'additive');
    d.figure.forEach((v, i) => expect(v).toBeCloseTo(fig[i]!, 12));
    expect(d.trend[0]).toBeNaN();
    expect(d.trend[2]).toBeCloseTo(10, 12);
  });
  it('seasonality test and period detection find a weekly cycle', () => {
    const y = Array.from({ length: 84 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 7) + ((t * 7919) % 13) / 13);
    expect(seasonalityTest(y, 7).seasonal).toBe(true);
    expect(detectPeriod(y)).toBe(7);
    const rng = createRng(3);
    expect(detectPeriod(Array.from({ length: 60 }, (_, t) => t * 2 + 3 * rng.normal()))).toBe(1);
  });
});

describe('HoltWinters by hand', () => {
  it('SES α = 0.5 on 1, 2, 3: levels 1 → 1.5 → 2.25, SSE = 1 + 1.5² = 3.25', () => {
    const f = holtWinters([1, 2, 3], { alpha: 0.5 });
    expect(f.SSE).toBeCloseTo(3.25, 12);
    expect(f.forecast(2)).toEqual([2.25, 2.25]);
    expect(() => holtWinters([1, 2, 3], { alpha: 1.5 })).toThrow(/alpha/);
  });
  it('Holt α = β = 0.5 on 1, 3, 4: l = 3, b = 2; at t=3 fitted 5, l = 4.5, b = 1.75', () => {
    const f = holtWinters([1, 3, 4], { alpha: 0.5, beta: 0.5 });
    expect(f.SSE).toBeCloseTo(1, 12);
    expect(f.a).toBeCloseTo(4.5, 12);
    expect(f.b).toBeCloseTo(1.75, 12);
    expect(f.forecast(2)).toEqual([6.25, 8]);
  });
});

describe('ETS by hand', () => {
  it('ETS(A,N,N), α = 0.5, ℓ₀ = 10 on 10, 12: errors 0, 2; lik = 2·log 4; final ℓ = 11', () => {
    const ev = etsEvaluate([10, 12], { error: 'A', trend: 'N', season: 'N' }, 1, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 10, 0, []);
    expect(ev.residuals).toEqual([0, 2]);
    expect(ev.lik).toBeCloseTo(2 * Math.log(4), 12);
    expect(ev.final.l).toBeCloseTo(11, 12);
  });
  it('ETS(M,N,N): relative errors and the 2Σlog|ŷ| term', () => {
    const ev = etsEvaluate([10, 12], { error: 'M', trend: 'N', season: 'N' }, 1, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 8, 0, []);
    // ŷ1 = 8, e1 = 0.25, ℓ1 = 9; ŷ2 = 9, e2 = 1/3
    expect(ev.residuals[0]).toBeCloseTo(0.25, 12);
    expect(ev.residuals[1]).toBeCloseTo(1 / 3, 12);
    expect(ev.lik).toBeCloseTo(2 * Math.log(0.0625 + 1 / 9) + 2 * (Math.log(8) + Math.log(9)), 12);
  });
  it('ETS(A,Ad,N) forecast: ℓ + (φ + … + φ^h)·b', () => {
    const ev = etsEvaluate([10], { error: 'A', trend: 'Ad', season: 'N' }, 1, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, 10, 1, []);
    // ŷ1 = 10 + 0.9 = 10.9, e = −0.9; ℓ1 = 10.9 − 0.45 = 10.45; b1 = 0.9 + 0.1·(−0.9) = 0.81
    expect(ev.final.l).toBeCloseTo(10.45, 12);
    expect(ev.final.b).toBeCloseTo(0.81, 12);
  });
  it('a missing observation keeps the level; a censored one only raises it', () => {
    const spec = { error: 'A', trend: 'N', season: 'N' } as const;
    const p = { alpha: 0.5, beta: 0, gamma: 0, phi: 1 };
    expect(etsEvaluate([10, NaN], spec, 1, p, 10, 0, []).final.l).toBe(10);
    expect(etsEvaluate([10, 4], spec, 1, p, 10, 0, [], [false, true]).final.l).toBe(10);
    expect(etsEvaluate([10, 14], spec, 1, p, 10, 0, [], [false, true]).final.l).toBe(12);
  });
  it('class-1 interval: Var(h) = σ²(1 + (h−1)α²) for ETS(A,N,N)', () => {
    const y = [10, 12, 9, 11, 13, 10, 12, 11, 9, 12, 10, 11, 13, 12, 10];
    const fit = fitEts(y, { error: 'A', trend: 'N', season: 'N' })!;
    const fc = etsForecast(fit, 4);
    const z = PhiInv(0.975);
    for (let h = 1; h <= 4; h++) {
      const sd = Math.sqrt(fit.sigma2 * (1 + (h - 1) * fit.params.alpha ** 2));
      expect(fc.upper95[h - 1]! - fc.mean[h - 1]!).toBeCloseTo(z * sd, 9);
    }
  });
  it('admissible region: SES needs 0 < α < 2; the standard model set has 15 / 6 models', () => {
    expect(admissible(1.5, null, null, 1, 1)).toBe(true);
    expect(admissible(2.5, null, null, 1, 1)).toBe(false);
    expect(admissible(0.3, 0.05, 0.1, 0.98, 12)).toBe(true);
    expect(standardModelSet(true, true)).toHaveLength(15);
    expect(standardModelSet(true, false)).toHaveLength(6);
    expect(standardModelSet(false, true)).toHaveLength(6);
  });
  it('SES by least squares: ℓ₀ closed form gives a perfect fit on a constant series', () => {
    const f = fitSesOptimal([5, 5, 5, 5, 5]);
    expect(f.level).toBeCloseTo(5, 12);
    expect(f.sse).toBeCloseTo(0, 12);
  });
});

describe('intermittent methods by hand', () => {
  const y = [0, 3, 0, 0, 6];
  it('Croston w = 0.5, naive init (z = 3, x = 2): after the demand of 6 at interval 3, z = 4.5, x = 2.5', () => {
    const f = croston(y, 'croston', { weights: 0.5, init: 'naive' });
    expect(f.initial).toEqual([3, 2]);
    expect(f.rate).toBeCloseTo(1.8, 12);
    expect(f.fittedRate).toEqual([NaN, NaN, 1.5, 1.5, 1.5]);
    expect(croston(y, 'sba', { weights: 0.5, init: 'naive' }).rate).toBeCloseTo(1.8 * 0.75, 12);
    expect(croston(y, 'sbj', { weights: 0.5, init: 'naive' }).rate).toBeCloseTo(1.8 * (1 - 0.5 / 1.5), 12);
  });
  it('TSB w = (0.5, 0.5), naive init: p 0 → .5 → .25 → .125 → .5625, z 3 → 4.5', () => {
    const f = tsb(y, { weights: [0.5, 0.5], init: 'naive' });
    expect(f.initial).toEqual([3, 0]);
    expect(f.probability).toBeCloseTo(0.5625, 12);
    expect(f.size).toBeCloseTo(4.5, 12);
    expect(f.rate).toBeCloseTo(2.53125, 12);
  });
  it('censored zero periods are dropped; censored sales count as at least the current size', () => {
    const cens = [false, false, true, false, false];
    expect(tsb(y, { weights: [0.5, 0.5], init: 'naive', censored: cens }).rate).toBeCloseTo(
      tsb([0, 3, 0, 6], { weights: [0.5, 0.5], init: 'naive' }).rate,
      12,
    );
    const low = tsb([0, 3, 1, 0, 6], { weights: [0.5, 0.5], init: 'naive', censored: [false, false, true, false, false] });
    const real = tsb([0, 3, 1, 0, 6], { weights: [0.5, 0.5], init: 'naive' });
    expect(low.rate).toBeGreaterThan(real.rate);
  });
  it('ADIDA: buckets of 2 from the end', () => {
    const f = adida([1, 0, 2, 0, 0, 2, 0, 2, 0], { aggregation: 2 });
    expect(f.buckets).toBe(4);
    // buckets (0,2),(0,0),(2,0),(2,0) → 2, 0, 2, 2: SES level between 0 and 2, rate = level / 2
    expect(f.rate).toBeGreaterThan(0);
    expect(f.rate).toBeLessThanOrEqual(1);
  });
  it('SBC classes', () => {
    const c = classifyDemand([0, 2, 0, 4]);
    expect(c.adi).toBe(2);
    expect(c.cv2).toBeCloseTo(2 / 9, 12);
    expect(c.class).toBe('intermittent');
    expect(classifyDemand([5, 5, 6, 5]).class).toBe('smooth');
    expect(classifyDemand([1, 9, 1, 9]).class).toBe('erratic');
    expect(classifyDemand([0, 1, 0, 9, 0, 1]).class).toBe('lumpy');
  });
  it('intermittent quantiles: zero below 1 − p, rescaled sizes above', () => {
    expect(intermittentQuantile(0.4, 1, 0.5, [2])).toBe(0);
    expect(intermittentQuantile(0.9, 1, 0.5, [2])).toBe(2);
    // sizes rescaled to mean 2 / 0.5 = 4: [2, 6]; level (0.9 − 0.5) / 0.5 = 0.8 → 2 + 0.8·4
    expect(intermittentQuantile(0.9, 2, 0.5, [1, 3])).toBeCloseTo(5.2, 12);
    expect(() => croston([0, 0, 1], 'croston', { weights: 0.1 })).toThrow(/two non-zero/);
  });
});

describe('metrics by hand', () => {
  const train = [1, 3, 2, 4];
  it('MASE, RMSSE (lag-1 scales 5/3 and 3), WAPE, bias, sMAPE', () => {
    expect(mase([5, 5], [4, 6], train)).toBeCloseTo(1 / (5 / 3), 12);
    expect(rmsse([5, 5], [4, 6], train)).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(wape([5, 5], [4, 7])).toBeCloseTo(3 / 10, 12);
    expect(bias([5, 5], [4, 7])).toBeCloseTo(0.5, 12);
    expect(smape([100, 0], [50, 0])).toBeCloseTo((200 * 50) / 150 / 2, 12);
    expect(mase([1], [1], [2, 2, 2])).toBeNull();
    expect(() => mase([1, 2], [1], train)).toThrow(/length/);
  });
});

describe('baselines and backtest', () => {
  it('naive, seasonal naive, linear trend', () => {
    expect(naiveForecast([1, 2, 4], 2).mean).toEqual([4, 4]);
    expect(seasonalNaiveForecast([1, 2, 3, 4, 5, 6], 4, 3).mean).toEqual([4, 5, 6, 4]);
    const lt = linearTrendForecast([1, 3, 5, 7], 2);
    expect(lt.mean[0]).toBeCloseTo(9, 12);
    expect(lt.mean[1]).toBeCloseTo(11, 12);
    expect(lt.sigma).toBeCloseTo(0, 12);
  });
  it('plan: origins spaced by ⌈hb/2⌉ ending hb before the end', () => {
    expect(planBacktest(100, 10, 20)).toEqual({ origins: [80, 85, 90], horizon: 10 });
    expect(planBacktest(20, 10, 15)).toEqual({ origins: [16], horizon: 4 });
  });
  it('a perfect forecaster scores 0; a naive one scores its known errors', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const plan = { origins: [6, 8], horizon: 2 };
    expect(backtest(y, plan, (tr, h) => Array.from({ length: h }, (_, i) => tr.length + 1 + i)).mase).toBe(0);
    const naive = backtest(y, plan, (tr, h) => new Array<number>(h).fill(tr[tr.length - 1]!));
    // errors 1, 2 at each origin; in-sample naive MAE = 1
    expect(naive.mase).toBeCloseTo(1.5, 12);
    expect(naive.bias).toBeCloseTo(-1.5, 12);
    expect(naive.origins).toBe(2);
  });
});
