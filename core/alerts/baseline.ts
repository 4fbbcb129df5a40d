/**
 * Per-subject baseline of a rate with a kσ band.
 *
 * EWMA: mean and variance follow the incremental exponentially weighted form (Finch 2009):
 *   d = y − μ,  μ ← μ + a·d,  v ← (1 − b)·(v + b·d²),  a = max(α, 1/n), b = max(α_v, 1/n)
 * The 1/n floor makes the first observations a plain running mean/variance instead of letting the
 * first value dominate. The variance is smoothed more slowly (α_v = α/2 by default): with α = 0.1
 * the EW σ rests on ~19 effective periods and its own noise caused most false alerts on pure noise.
 * It is de-biased by n_eff/(n_eff − 1), n_eff = min(n, (2 − α_v)/α_v) (the effective sample size of
 * the EW weights). MOVING_AVERAGE uses the last `window` values.
 *
 * Seasonality (optional) is multiplicative: y = x / s[slot], band = s[slot]·(μ ± kσ).
 *
 * Little history: a category/tier prior (mean, cv) is blended in with weight strength/(n + strength),
 * so it fades as the subject's own history accrues. Without a prior the band is not armed before
 * `minHistory` observations.
 */
import type { BaselineMethod, BaselinePrior, BaselineState } from './types';

export interface BaselineSettings {
  method: BaselineMethod;
  alpha: number;
  /** Smoothing of the variance; slower than the mean's (α/2 by default) so σ is not itself noisy. */
  alphaVariance: number;
  window: number;
  seasonLength: number | null;
  seasonGamma: number;
  minHistory: number;
  prior: BaselinePrior | null;
  minUpper: number;
  periodMs: number;
  breachUpdateWeight: number;
  /** Widen k by the Student-t prediction factor while σ rests on few observations. */
  smallSampleCorrection: boolean;
}

export interface Band {
  armed: boolean;
  /** Observations of the subject's own behind the band. */
  n: number;
  /** Weight of the subject's own estimate (1 − the prior's weight). */
  ownWeight: number;
  /** Deseasonalised centre and σ. */
  mean: number;
  sd: number;
  seasonFactor: number;
  /** In rate units (seasonal factor applied); `upper` is floored at minUpper. */
  center: number;
  lower: number;
  upper: number;
  /** Effective k (after the small-sample widening) and the k asked for. */
  k: number;
  kNominal: number;
}

export function emptyBaseline(seasonLength: number | null): BaselineState {
  return {
    n: 0,
    mean: null,
    variance: 0,
    window: [],
    seasonal: seasonLength ? Array.from({ length: seasonLength }, () => 1) : null,
    seasonalCounts: seasonLength ? Array.from({ length: seasonLength }, () => 0) : null,
  };
}

/** Seasonal slot of an observation: period number modulo the season length (UTC period grid). */
export function seasonIndexOf(at: number, periodMs: number, seasonLength: number): number {
  const p = Math.floor(at / periodMs) - 1; // `at` is the END of the period: the period started one earlier
  return ((p % seasonLength) + seasonLength) % seasonLength;
}

function ownStats(b: BaselineState, s: BaselineSettings): { mean: number | null; variance: number } {
  if (s.method === 'MOVING_AVERAGE') {
    const w = b.window;
    if (w.length === 0) return { mean: null, variance: 0 };
    const mean = w.reduce((a, x) => a + x, 0) / w.length;
    const variance = w.length < 2 ? 0 : w.reduce((a, x) => a + (x - mean) ** 2, 0) / (w.length - 1);
    return { mean, variance };
  }
  if (b.mean === null) return { mean: null, variance: 0 };
  const nEff = Math.min(b.n, (2 - s.alphaVariance) / s.alphaVariance);
  const variance = nEff > 1 ? (b.variance * nEff) / (nEff - 1) : 0;
  return { mean: b.mean, variance };
}

/**
 * Weight of the learned seasonal pattern (James–Stein, positive part): 1 − noise/spread, where
 * spread = mean (s_i − 1)² of the factors and noise = what that spread would be from estimation
 * error alone (cv² × max(γ/(2 − γ), 1/count) per slot). A subject without a real weekly pattern
 * gets weight ≈ 0 (noise alone would otherwise push single slots to 0.6 or 1.4 and cause false
 * alerts); a strong pattern gets ≈ 1.
 */
export function seasonalWeight(b: BaselineState, s: BaselineSettings): number {
  if (!b.seasonal || !b.seasonalCounts || !s.seasonLength || b.seasonal.length !== s.seasonLength) return 0;
  const own = ownStats(b, s);
  if (own.mean === null || !(own.mean > 0)) return 0;
  const cv2 = own.variance / (own.mean * own.mean);
  const steady = s.seasonGamma / (2 - s.seasonGamma);
  const L = b.seasonal.length;
  let spread = 0;
  let noise = 0;
  for (let i = 0; i < L; i++) {
    spread += (b.seasonal[i] - 1) ** 2 / L;
    noise += (cv2 * Math.max(steady, 1 / Math.max(1, b.seasonalCounts[i]))) / L;
  }
  return spread > 0 ? Math.min(1, Math.max(0, 1 - noise / spread)) : 0;
}

function seasonFactor(b: BaselineState, s: BaselineSettings, at: number): number {
  if (!b.seasonal || !s.seasonLength || b.seasonal.length !== s.seasonLength) return 1;
  const raw = b.seasonal[seasonIndexOf(at, s.periodMs, s.seasonLength)];
  return 1 + seasonalWeight(b, s) * (raw - 1);
}

/**
 * Student-t quantile from the normal quantile z (Cornish–Fisher expansion, Abramowitz & Stegun
 * 26.7.5; within 0.01 of the exact value for ν ≥ 3 at z ≤ 3).
 */
export function tQuantileFromZ(z: number, nu: number): number {
  if (!(nu >= 1)) throw new RangeError(`nu must be ≥ 1, got ${nu}`);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3);
}

/**
 * Widening of k for a band estimated from n_eff observations: a new value falls outside
 * μ̂ ± t_ν·σ̂·√(1 + 1/n) as often as outside μ ± kσ with known μ, σ (prediction interval,
 * ν = n_eff − 1, floored at 2). ≈ 1.28 at n = 8, ≈ 1.05 at the EW steady state (n_eff ≈ 39).
 */
export function smallSampleFactor(k: number, nEff: number): number {
  if (!(k > 0)) throw new RangeError(`k must be > 0, got ${k}`);
  if (!Number.isFinite(nEff)) return 1;
  const n = Math.max(nEff, 3);
  return (tQuantileFromZ(k, n - 1) * Math.sqrt(1 + 1 / n)) / k;
}

/** The band for an observation at time `at` (the seasonal slot depends on it). */
export function baselineBand(b: BaselineState, s: BaselineSettings, k: number, at: number): Band {
  const own = ownStats(b, s);
  const prior = s.prior;
  const f = seasonFactor(b, s, at);
  const unarmed = (n: number): Band => ({
    armed: false,
    n,
    ownWeight: 1,
    mean: own.mean ?? 0,
    sd: Math.sqrt(own.variance),
    seasonFactor: f,
    center: (own.mean ?? 0) * f,
    lower: 0,
    upper: Math.max(s.minUpper, (own.mean ?? 0) * f),
    k,
    kNominal: k,
  });
  const n = s.method === 'MOVING_AVERAGE' ? Math.min(b.n, b.window.length) : b.n;
  if (!prior && n < s.minHistory) return unarmed(n);
  if (prior && own.mean === null && prior.mean === null) return unarmed(n);

  const w = prior ? n / (n + prior.strength) : 1;
  let mean: number;
  if (own.mean === null) mean = prior!.mean!;
  else if (prior && prior.mean !== null) mean = w * own.mean + (1 - w) * prior.mean;
  else mean = own.mean;
  const priorVar = prior ? (prior.cv * mean) ** 2 : 0;
  const variance = w * own.variance + (1 - w) * priorVar;
  const sd = Math.sqrt(Math.max(0, variance));
  // Observations behind σ̂: the variance's effective sample size plus the prior's pseudo-observations.
  const nOwn = s.method === 'MOVING_AVERAGE' ? n : Math.min(n, (2 - s.alphaVariance) / s.alphaVariance);
  const kEff = s.smallSampleCorrection ? k * smallSampleFactor(k, nOwn + (prior ? prior.strength : 0)) : k;
  const center = mean * f;
  return {
    armed: true,
    n,
    ownWeight: w,
    mean,
    sd,
    seasonFactor: f,
    center,
    lower: Math.max(0, f * (mean - kEff * sd)),
    upper: Math.max(s.minUpper, f * (mean + kEff * sd)),
    k: kEff,
    kNominal: k,
  };
}

/**
 * Folds one accepted rate into the baseline. When the band is armed the value is winsorised at
 * μ ± (k + 1)σ so one wild period cannot blow the band open, and a breaching period (`damped`)
 * moves mean and variance with only `breachUpdateWeight` of the usual weight: an incident is not
 * learned as normal within a few periods, yet a lasting level shift is still absorbed eventually
 * (≈ 1/(α·weight) periods). Only breaching periods are damped: damping (or dropping) every value
 * above the band cuts the upper tail out of what the variance sees and biased σ 5–10 % low on
 * pure noise, which doubled the false alerts of the STRICT profile in bench/alerts.ts.
 */
export function updateBaseline(b: BaselineState, x: number, s: BaselineSettings, band: Band, at: number, damped: boolean): BaselineState {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`rate must be a finite number ≥ 0, got ${x}`);
  const f = seasonFactor(b, s, at);
  let y = f > 0 ? x / f : x;
  if (band.armed && band.sd > 0) {
    const lim = (band.k + 1) * band.sd;
    y = Math.min(band.mean + lim, Math.max(band.mean - lim, y));
  }
  const next: BaselineState = {
    n: b.n + 1,
    mean: b.mean,
    variance: b.variance,
    window: b.window,
    seasonal: b.seasonal ? [...b.seasonal] : null,
    seasonalCounts: b.seasonalCounts ? [...b.seasonalCounts] : null,
  };
  if (s.method === 'MOVING_AVERAGE') {
    next.window = [...b.window, y].slice(-s.window);
    next.mean = next.window.reduce((a, v) => a + v, 0) / next.window.length;
  } else if (b.mean === null) {
    next.mean = y;
    next.variance = 0;
  } else {
    const w = damped ? s.breachUpdateWeight : 1;
    const a = Math.max(s.alpha, 1 / next.n) * w;
    const av = Math.max(s.alphaVariance, 1 / next.n) * w;
    const d = y - b.mean;
    next.mean = b.mean + a * d;
    next.variance = (1 - av) * (b.variance + av * d * d);
  }
  // Seasonal factors learn only from ordinary periods: an incident must not become "the season".
  if (!damped && next.seasonal && next.seasonalCounts && s.seasonLength && next.mean !== null && next.mean > 0) {
    const i = seasonIndexOf(at, s.periodMs, s.seasonLength);
    const ratio = (y * f) / next.mean;
    next.seasonalCounts[i] += 1;
    const g = Math.max(s.seasonGamma, 1 / next.seasonalCounts[i]);
    next.seasonal[i] += g * (ratio - next.seasonal[i]);
    const avg = next.seasonal.reduce((a, v) => a + v, 0) / next.seasonal.length;
    if (avg > 0) for (let j = 0; j < next.seasonal.length; j++) next.seasonal[j] /= avg;
  }
  return next;
}

/**
 * A prior for new subjects from peers with enough history (same category or tier): the median
 * level and the median coefficient of variation. Medians keep one odd peer from setting the prior.
 */
export function peerPrior(
  peers: BaselineState[],
  opts: { alphaVariance: number; minHistory: number; strength: number; source: string },
): BaselinePrior | null {
  if (!(opts.strength > 0)) throw new RangeError(`strength must be > 0, got ${opts.strength}`);
  const means: number[] = [];
  const cvs: number[] = [];
  for (const p of peers) {
    if (p.n < opts.minHistory || p.mean === null || !(p.mean > 0)) continue;
    const nEff = Math.min(p.n, (2 - opts.alphaVariance) / opts.alphaVariance);
    const v = nEff > 1 ? (p.variance * nEff) / (nEff - 1) : 0;
    means.push(p.mean);
    cvs.push(Math.sqrt(v) / p.mean);
  }
  if (means.length === 0) return null;
  const med = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  return { mean: med(means), cv: med(cvs), strength: opts.strength, source: `${opts.source} (${means.length} peers)` };
}
