import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  baselineBand,
  emptyBaseline,
  peerPrior,
  seasonIndexOf,
  seasonalWeight,
  smallSampleFactor,
  tQuantileFromZ,
  updateBaseline,
} from '../../../core/alerts';
import type { Band, BaselineSettings, BaselineState } from '../../../core/alerts';
import { DAY_MS } from '../../../core/series/types';

const settings = (over: Partial<BaselineSettings> = {}): BaselineSettings => ({
  method: 'EWMA',
  alpha: 0.5,
  alphaVariance: 0.25,
  window: 28,
  seasonLength: null,
  seasonGamma: 0.2,
  minHistory: 3,
  prior: null,
  minUpper: 0,
  periodMs: DAY_MS,
  breachUpdateWeight: 0.25,
  // The raw EW arithmetic is checked without the small-sample widening (tested on its own below).
  smallSampleCorrection: false,
  ...over,
});

/** Feed values without winsorising (band unarmed during the feed) at consecutive days. */
function feed(values: number[], s: BaselineSettings, start: BaselineState = emptyBaseline(s.seasonLength)): BaselineState {
  let b = start;
  values.forEach((x, i) => {
    const unarmed = { ...baselineBand(b, { ...s, minHistory: Infinity, prior: null }, 2, (i + 1) * DAY_MS) };
    b = updateBaseline(b, x, s, unarmed, (i + 1) * DAY_MS, false);
  });
  return b;
}

describe('EWMA baseline (hand-computed)', () => {
  it('10, 20, 30 with α = 0.5, α_v = 0.25: μ = 22.5, v = 66.67, de-biased σ = 10, upper(k=2) = 42.5', () => {
    // n=1: μ=10, v=0. n=2: a=b=½, d=10 → μ=15, v=½(0+½·100)=25.
    // n=3: a=½, b=max(¼,⅓)=⅓, d=15 → μ=22.5, v=⅔(25+⅓·225)=66.67; n_eff=min(3, 1.75/0.25)=3 → ×3/2 = 100.
    const s = settings();
    const b = feed([10, 20, 30], s);
    expect(b.n).toBe(3);
    expect(b.mean).toBeCloseTo(22.5, 12);
    expect(b.variance).toBeCloseTo(200 / 3, 12);
    const band = baselineBand(b, s, 2, 4 * DAY_MS);
    expect(band.armed).toBe(true);
    expect(band.sd).toBeCloseTo(10, 12);
    expect(band.upper).toBeCloseTo(42.5, 12);
    expect(band.lower).toBeCloseTo(2.5, 12);
    expect(band.ownWeight).toBe(1);
  });

  it('is not armed before minHistory without a prior', () => {
    const s = settings();
    expect(baselineBand(feed([10, 20], s), s, 2, 0).armed).toBe(false);
  });

  it('winsorises at μ ± (k+1)σ and damps learning above the band', () => {
    const s = settings({ alpha: 0.1, alphaVariance: 0.05 });
    const b: BaselineState = { ...emptyBaseline(null), n: 50, mean: 100, variance: 4 };
    const band: Band = {
      armed: true,
      n: 50,
      ownWeight: 1,
      mean: 100,
      sd: 2,
      seasonFactor: 1,
      center: 100,
      lower: 96,
      upper: 104,
      k: 2,
      kNominal: 2,
    };
    // y = min(1000, 100 + 3·2) = 106; a = 0.1·0.25, b = 0.05·0.25; d = 6.
    const next = updateBaseline(b, 1000, s, band, DAY_MS, true);
    expect(next.mean).toBeCloseTo(100 + 0.025 * 6, 12);
    expect(next.variance).toBeCloseTo((1 - 0.0125) * (4 + 0.0125 * 36), 12);
    // The same value inside the band would be learned at full weight (no clipping needed at 103).
    const inside = updateBaseline(b, 103, s, band, DAY_MS, false);
    expect(inside.mean).toBeCloseTo(100.3, 12);
    expect(inside.variance).toBeCloseTo(0.95 * (4 + 0.05 * 9), 12);
  });

  it('rejects negative or non-finite rates', () => {
    const s = settings();
    const band = baselineBand(emptyBaseline(null), s, 2, 0);
    expect(() => updateBaseline(emptyBaseline(null), -1, s, band, 0, false)).toThrow(/rate must be a finite number ≥ 0/);
    expect(() => updateBaseline(emptyBaseline(null), NaN, s, band, 0, false)).toThrow(/rate must be/);
  });
});

describe('moving-average baseline', () => {
  it('uses the last `window` values with the sample variance', () => {
    const s = settings({ method: 'MOVING_AVERAGE', window: 3, minHistory: 3 });
    const b = feed([1, 2, 3, 4], s);
    expect(b.window).toEqual([2, 3, 4]);
    const band = baselineBand(b, s, 2, 0);
    expect(band.mean).toBeCloseTo(3, 12);
    expect(band.sd).toBeCloseTo(1, 12);
    expect(band.upper).toBeCloseTo(5, 12);
  });
});

describe('category/tier prior', () => {
  const prior = { mean: 30, cv: 0.5, strength: 2, source: 'category X' };

  it('n = 0: the band is the prior alone (μ 30, σ = 0.5·30)', () => {
    const band = baselineBand(emptyBaseline(null), settings({ prior }), 2, 0);
    expect(band).toMatchObject({ armed: true, ownWeight: 0, mean: 30 });
    expect(band.sd).toBeCloseTo(15, 12);
    expect(band.upper).toBeCloseTo(60, 12);
  });

  it('n = 2 with strength 2: half own, half prior (hand-computed)', () => {
    // own: μ=15, v=25 → de-biased (n_eff = 2) 50. w = 2/4 = ½.
    // μ = ½·15 + ½·30 = 22.5; σ² = ½·50 + ½·(0.5·22.5)² = 25 + 63.28125 = 88.28125.
    const s = settings({ prior, alphaVariance: 0.5 });
    const band = baselineBand(feed([10, 20], s), s, 2, 0);
    expect(band.ownWeight).toBeCloseTo(0.5, 12);
    expect(band.mean).toBeCloseTo(22.5, 12);
    expect(band.sd).toBeCloseTo(Math.sqrt(88.28125), 12);
  });

  it('the prior fades: its weight strength/(n + strength) falls towards 0', () => {
    const s = settings({ prior });
    const weights = [1, 2, 5, 10, 40].map((n) => 1 - baselineBand(feed(Array(n).fill(20), s), s, 2, 0).ownWeight);
    expect(weights.map((w) => Number(w.toFixed(6)))).toEqual([2 / 3, 0.5, 2 / 7, 1 / 6, 1 / 21].map((w) => Number(w.toFixed(6))));
  });

  it('a prior with no mean borrows only the dispersion, and needs one own value', () => {
    const s = settings({ prior: { mean: null, cv: 0.5, strength: 2, source: 'tier CORE' }, alphaVariance: 0.5 });
    expect(baselineBand(emptyBaseline(null), s, 2, 0).armed).toBe(false);
    const band = baselineBand(feed([10, 20], s), s, 2, 0);
    // μ = own 15; σ² = ½·50 + ½·(0.5·15)² = 25 + 28.125.
    expect(band.mean).toBeCloseTo(15, 12);
    expect(band.sd).toBeCloseTo(Math.sqrt(53.125), 12);
  });

  it('peerPrior takes medians of peers with enough history', () => {
    const peer = (mean: number, variance: number, n = 30): BaselineState => ({ ...emptyBaseline(null), n, mean, variance });
    const p = peerPrior([peer(10, 1), peer(20, 16), peer(40, 100), peer(1000, 1, 2)], {
      alphaVariance: 0.5,
      minHistory: 7,
      strength: 4,
      source: 'category Y',
    });
    // n_eff = min(30, 3) = 3 → variance × 1.5. cvs: √1.5/10, √24/20, √150/40 → median √24/20.
    expect(p).toEqual({ mean: 20, cv: Math.sqrt(24) / 20, strength: 4, source: 'category Y (3 peers)' });
    expect(peerPrior([peer(10, 1, 2)], { alphaVariance: 0.5, minHistory: 7, strength: 4, source: 'z' })).toBeNull();
  });
});

describe('multiplicative seasonality', () => {
  it('slots follow the period grid (the period ending at `at` started one period earlier)', () => {
    expect(seasonIndexOf(1 * DAY_MS, DAY_MS, 7)).toBe(0);
    expect(seasonIndexOf(7 * DAY_MS, DAY_MS, 7)).toBe(6);
    expect(seasonIndexOf(8 * DAY_MS, DAY_MS, 7)).toBe(0);
    expect(seasonIndexOf(-DAY_MS, DAY_MS, 7)).toBe(5);
  });

  it('learns factors 0.5 / 1.5 from an alternating 50/150 series; the band centre follows the slot', () => {
    const s = settings({ seasonLength: 2, alpha: 0.1, alphaVariance: 0.05 });
    const b = feed(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? 150 : 50)),
      s,
    );
    expect(b.seasonal![0]).toBeCloseTo(0.5, 2);
    expect(b.seasonal![1]).toBeCloseTo(1.5, 2);
    const low = baselineBand(b, s, 2, 201 * DAY_MS); // slot 0
    const high = baselineBand(b, s, 2, 202 * DAY_MS); // slot 1
    expect(low.center).toBeCloseTo(50, 0);
    expect(high.center).toBeCloseTo(150, 0);
  });
});

describe('small-sample widening of k', () => {
  it('Cornish–Fisher t quantile at z = 2, ν = 4: 2 + 0.625 + 0.19141 + 0.04468 = 2.86108', () => {
    expect(tQuantileFromZ(2, 4)).toBeCloseTo(2 + 10 / 16 + 294 / 1536 + 1098 / 24576, 12);
    // Reference values of Student's t: t₁₀(0.975) = 2.2281, t₃₀(0.975) = 2.0423 (z = 1.95996).
    expect(tQuantileFromZ(1.959964, 10)).toBeCloseTo(2.2281, 3);
    expect(tQuantileFromZ(1.959964, 30)).toBeCloseTo(2.0423, 3);
    expect(() => tQuantileFromZ(2, 0)).toThrow(/nu must be ≥ 1/);
  });

  it('factor = t_ν(z)·√(1 + 1/n)/k with ν = n − 1: ≈ 1.28 at n = 8, → 1 as n grows, never below 1', () => {
    expect(smallSampleFactor(2, 8)).toBeCloseTo((tQuantileFromZ(2, 7) * Math.sqrt(1 + 1 / 8)) / 2, 12);
    expect(smallSampleFactor(2, 8)).toBeGreaterThan(1.25);
    expect(smallSampleFactor(2, 1e7)).toBeCloseTo(1, 5);
    expect(smallSampleFactor(2, Infinity)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 3, noNaN: true }), fc.integer({ min: 3, max: 5000 }), (k, n) => {
        const f = smallSampleFactor(k, n);
        return f > 1 && smallSampleFactor(k, n + 1) < f;
      }),
    );
  });

  it('the band is wider with the correction and the widening shows in k', () => {
    const s = settings({ minHistory: 3 });
    const b = feed([10, 20, 30, 25, 15], s);
    const plain = baselineBand(b, s, 2, 0);
    const wide = baselineBand(b, { ...s, smallSampleCorrection: true }, 2, 0);
    expect(wide.kNominal).toBe(2);
    // n = 5, α_v = 0.25 → n_eff = min(5, 7) = 5.
    expect(wide.k).toBeCloseTo(2 * smallSampleFactor(2, 5), 12);
    expect(wide.upper - wide.center).toBeCloseTo((plain.upper - plain.center) * smallSampleFactor(2, 5), 9);
  });
});

describe('seasonal shrinkage', () => {
  it('a real weekly pattern keeps its weight; noise alone is shrunk to (almost) no pattern', () => {
    const s = settings({ seasonLength: 7, alpha: 0.1, alphaVariance: 0.05 });
    const pattern = [0.7, 0.8, 1, 1, 1.1, 1.3, 1.1];
    const noisy = (seed: number, amp: number) => {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2; // uniform(−1, 1), sd 0.577
      return Array.from({ length: 140 }, (_, i) => 100 * (amp ? pattern[i % 7] : 1) * (1 + 0.25 * rnd()));
    };
    expect(seasonalWeight(feed(noisy(1, 1), s), s)).toBeGreaterThan(0.8);
    expect(seasonalWeight(feed(noisy(1, 0), s), s)).toBeLessThan(0.35);
    expect(seasonalWeight(emptyBaseline(7), s)).toBe(0);
  });
});
