/**
 * Properties of the ARIMA building blocks (core/forecast/arima.ts, arima-auto.ts) on simulated series with
 * known structure: estimates recover the simulated coefficients within their asymptotic confidence interval,
 * special orders reduce to the naive methods exactly, and the unit-root tests separate stationary from
 * integrated series.
 */
import { describe, expect, it } from 'vitest';
import {
  arimaForecast,
  difference,
  expandPolynomials,
  fitArima,
  invpartrans,
  partrans,
  psiWeights,
  rootsOutside,
  stationaryCovariance,
} from '../../../core/forecast/arima';
import { kpssStatistic, KPSS_CRITICAL_5PCT, ndiffs, nsdiffs, seasonalStrength } from '../../../core/forecast/arima-auto';
import { arimaCandidate } from '../../../core/forecast/arima-candidate';
import { createRng } from '../../../core/random';

/** y_t = μ + φ(y_{t−1} − μ) + ε_t + θ ε_{t−1}, ε ~ N(0, σ²), after a burn-in of 100. */
function simulateArma(n: number, phi: number, theta: number, seed: number, mu = 0, sigma = 1): number[] {
  const rng = createRng(seed);
  const out: number[] = [];
  let prev = 0;
  let prevE = 0;
  for (let t = 0; t < n + 100; t++) {
    const e = sigma * rng.normal();
    const x = phi * prev + e + theta * prevE;
    prev = x;
    prevE = e;
    if (t >= 100) out.push(mu + x);
  }
  return out;
}

const spec0 = { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: false };

describe('estimation recovers simulated coefficients', () => {
  it.each([1, 2, 3, 4, 5])('AR(1) φ = 0.6, n = 400, seed %i: φ̂ within 3 standard errors √((1 − φ²)/n)', (seed) => {
    const y = simulateArma(400, 0.6, 0, seed, 50);
    const f = fitArima(y, { ...spec0, p: 1, constant: true })!;
    expect(Math.abs(f.ar[0]! - 0.6)).toBeLessThanOrEqual(3 * Math.sqrt((1 - 0.36) / 400));
    expect(Math.abs(f.constant - 50)).toBeLessThanOrEqual((3 * (1 / (1 - 0.6))) / Math.sqrt(400));
    expect(f.sigma2).toBeGreaterThan(0.8);
    expect(f.sigma2).toBeLessThan(1.2);
  });

  it.each([1, 2, 3])('MA(1) θ = 0.5, n = 400, seed %i: θ̂ within 3 standard errors √((1 − θ²)/n), CSS and CSS-ML', (seed) => {
    const y = simulateArma(400, 0, 0.5, seed);
    for (const method of ['CSS', 'CSS-ML'] as const) {
      const f = fitArima(y, { ...spec0, q: 1 }, { method })!;
      expect(Math.abs(f.ma[0]! - 0.5)).toBeLessThanOrEqual(3 * Math.sqrt((1 - 0.25) / 400));
    }
  });

  it('95 % intervals of a simulated AR(1) cover about 95 % of its future (200 replications, one step)', () => {
    let inside = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const y = simulateArma(101, 0.5, 0, 1000 + seed);
      const fc = arimaForecast(fitArima(y.slice(0, 100), { ...spec0, p: 1 }, { method: 'CSS' })!, 1);
      if (y[100]! >= fc.lower95[0]! && y[100]! <= fc.upper95[0]!) inside++;
    }
    expect(inside / 200).toBeGreaterThanOrEqual(0.9);
    expect(inside / 200).toBeLessThanOrEqual(0.99);
  });
});

describe('special orders are the naive methods', () => {
  const y = simulateArma(60, 0.3, 0, 9, 100, 5).map((v, t) => v + 0.5 * t + (t % 12 === 3 ? 20 : 0));
  it('ARIMA(0,1,0) forecasts the last value; with drift adds the mean difference per step', () => {
    const rw = arimaForecast(fitArima(y, { ...spec0, d: 1 })!, 5);
    rw.mean.forEach((v) => expect(v).toBeCloseTo(y.at(-1)!, 9));
    const drift = (y.at(-1)! - y[0]!) / (y.length - 1);
    const rwd = fitArima(y, { ...spec0, d: 1, constant: true })!;
    expect(rwd.constant).toBeCloseTo(drift, 3);
    arimaForecast(rwd, 5).mean.forEach((v, k) => expect(v).toBeCloseTo(y.at(-1)! + (k + 1) * rwd.constant, 6));
  });
  it('ARIMA(0,0,0)(0,1,0)[12] forecasts the value one season back (seasonal naive)', () => {
    const f = arimaForecast(fitArima(y, { ...spec0, D: 1, m: 12 })!, 24);
    f.mean.forEach((v, k) => expect(v).toBeCloseTo(y[y.length - 12 + (k % 12)]!, 9));
  });
  it('a random walk’s h-step variance is h σ² (ψ_j = 1)', () => {
    expect(psiWeights([], [], [1, -1], 5)).toEqual([1, 1, 1, 1, 1]);
    const f = fitArima(y, { ...spec0, d: 1 })!;
    arimaForecast(f, 4).se.forEach((s, k) => expect(s).toBeCloseTo(Math.sqrt((k + 1) * f.sigma2), 9));
  });
});

describe('building blocks', () => {
  it('partrans maps any vector to a stationary AR polynomial and invpartrans inverts it', () => {
    const rng = createRng(5);
    for (let i = 0; i < 50; i++) {
      const raw = [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2];
      const phi = partrans(raw);
      expect(rootsOutside(phi, -1, 1)).toBe(true);
      invpartrans(phi).forEach((v, k) => expect(v).toBeCloseTo(raw[k]!, 6));
    }
  });
  it('the stationary covariance of an AR(1) state is 1/(1 − φ²)', () => {
    expect(stationaryCovariance([0.8], [])[0]).toBeCloseTo(1 / (1 - 0.64), 10);
  });
  it('seasonal polynomials multiply out: (1 − 0.5B)(1 − 0.3B¹²) = 1 − 0.5B − 0.3B¹² + 0.15B¹³', () => {
    const { phi, theta } = expandPolynomials([0.5], [0.3], [0.4], [0.2], 12);
    expect(phi[0]).toBe(0.5);
    expect(phi[11]).toBe(0.3);
    expect(phi[12]).toBeCloseTo(-0.15, 12);
    expect(theta[12]).toBeCloseTo(0.08, 12);
  });
  it('difference applies (1 − B)(1 − B⁴): y_t − y_{t−1} − y_{t−4} + y_{t−5}', () => {
    // t = 5: 36 − 25 − 4 + 1 = 8; t = 6: 49 − 36 − 9 + 4 = 8
    expect(difference([1, 4, 9, 16, 25, 36, 49], 1, 1, 4)).toEqual([8, 8]);
  });
});

describe('unit-root and seasonal tests', () => {
  it('KPSS: white noise is stationary (d = 0), a random walk is not (d = 1)', () => {
    let stationary = 0;
    let walks = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const e = simulateArma(150, 0, 0, seed);
      if (kpssStatistic(e) <= KPSS_CRITICAL_5PCT) stationary++;
      const rw = e.map(
        (
          (s) => (v: number) =>
            (s += v)
        )(0),
      );
      if (ndiffs(rw) === 1) walks++;
    }
    expect(stationary).toBeGreaterThanOrEqual(17);
    expect(walks).toBeGreaterThanOrEqual(17);
  });
  it('a strong monthly cycle has seasonal strength > 0.64 and one seasonal difference; noise has none', () => {
    const noise = simulateArma(120, 0, 0, 3);
    const seasonal = noise.map((v, t) => v + 5 * Math.sin((2 * Math.PI * t) / 12));
    expect(seasonalStrength(seasonal, 12)).toBeGreaterThan(0.64);
    expect(nsdiffs(seasonal, 12)).toBe(1);
    expect(nsdiffs(noise, 12)).toBe(0);
  });
});

describe('the pool candidate', () => {
  it('names the model as R prints it, reports its orders and refits the same order on a prefix', () => {
    const y = simulateArma(120, 0.7, 0, 11, 200, 3);
    const c = arimaCandidate(y, 6, 1);
    expect(c.name).toMatch(/^ARIMA\(\d,\d,\d\)( with (non-zero mean|drift))?$/);
    expect(c.params.p + c.params.q).toBeGreaterThanOrEqual(1);
    expect(c.mean).toHaveLength(6);
    expect(c.refit(y.slice(0, 100), 4)).toHaveLength(4);
    expect(() => arimaCandidate(new Array(30).fill(5), 3, 1)).toThrow(RangeError);
  });
});
