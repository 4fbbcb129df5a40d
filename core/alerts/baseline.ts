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
  k: number;
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

function seasonFactor(b: BaselineState, s: BaselineSettings, at: number): number {
  if (!b.seasonal || !s.seasonLength || b.seasonal.length !== s.seasonLength) return 1;
  return b.seasonal[seasonIndexOf(at, s.periodMs, s.seasonLength)];
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
  const center = mean * f;
  return {
    armed: true,
    n,
    ownWeight: w,
    mean,
    sd,
    seasonFactor: f,
    center,
    lower: Math.max(0, f * (mean - k * sd)),
    upper: Math.max(s.minUpper, f * (mean + k * sd)),
    k,
  };
}

/**
 * Folds one accepted rate into the baseline. When the band is armed the value is winsorised at
 * μ ± (k + 1)σ so one wild period cannot blow the band open, and a period above the upper band
 * (`aboveBand`) moves mean and variance with only `breachUpdateWeight` of the usual weight: an
 * incident is not learned as normal within a few periods, yet a lasting level shift is still
 * absorbed eventually (≈ 1/(α·weight) periods). Holding the variance completely above the band
 * would truncate what it learns and bias σ low (more false alerts on pure noise).
 */
export function updateBaseline(
  b: BaselineState,
  x: number,
  s: BaselineSettings,
  band: Band,
  at: number,
  aboveBand: boolean,
): BaselineState {
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
    const w = aboveBand ? s.breachUpdateWeight : 1;
    const a = Math.max(s.alpha, 1 / next.n) * w;
    const av = Math.max(s.alphaVariance, 1 / next.n) * w;
    const d = y - b.mean;
    next.mean = b.mean + a * d;
    next.variance = (1 - av) * (b.variance + av * d * d);
  }
  // Seasonal factors learn only from ordinary periods: an incident must not become "the season".
  if (!aboveBand && next.seasonal && next.seasonalCounts && s.seasonLength && next.mean !== null && next.mean > 0) {
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
