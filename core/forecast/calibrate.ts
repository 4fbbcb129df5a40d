/**
 * Calibrated prediction intervals: the chosen model's 80 % and 95 % half-widths scaled by empirical
 * factors, so that the intervals hold held-out points at the nominal rate. Method-agnostic: it
 * rescales whatever interval the selected model gives (Gaussian, simulated or quantile-based),
 * keeping its shape over the horizon and its asymmetry.
 *
 * Model-based intervals are too narrow out of sample because they ignore model and parameter
 * uncertainty (Makridakis, Hibon, Lusk & Belhadjali 1987, "Confidence intervals: an empirical
 * investigation of the series in the M-competition", IJF 3; Chatfield 2001, "Time-Series
 * Forecasting", §7.7). Empirical intervals from out-of-sample errors correct them (Williams &
 * Goodman 1971, "A simple method for the construction of empirical confidence limits for economic
 * forecasts", JASA 66): here as one factor per level, the ratio that brings the share of held-out
 * points inside the rescaled interval to the nominal level on rolling-origin tuning windows.
 *
 *  0. noise ratio s = σ̂₁ / sd(y) of the chosen model (noiseRatio below).
 *  1. factor     κ_level(s) = a + b·s (INTERVAL_SCALE_BY_NOISE), clamped to [1, 2]; κ95 ≥ κ80.
 *  2. rescale    lower = μ − κ·(μ − l), upper = μ + κ·(u − μ).
 *  3. nesting    κ95 ≥ κ80 keeps 95 % ⊇ 80 % whenever the model's own intervals nest.
 *
 * Why a line in s: one factor for every series (the previous rule, κ80 = 1.064, κ95 = 1.246) over-
 * covered the hospital counts and under-covered M3: the factor each set alone needs on its tuning
 * windows differs (80 %: 1.12 M3 monthly, 0.99 hospital, 1.17 quarterly, 1.00 yearly). Where the
 * one-step noise the model measures is most of the history's variation (small counts), its interval
 * already holds what happens; where the history is smooth, trending or seasonal, the out-of-sample
 * error is dominated by what a model interval leaves out (parameter and model uncertainty: Chatfield
 * 2001 §7.7; Makridakis et al. 1987). κ depends on a property of the series, not on which set it comes
 * from. a and b were solved on **tuning** windows only — the last h periods of each training window,
 * which the test windows never overlap — of four public sets (M3 monthly, hospital, M3 summed to
 * quarters and to years), by least squares on the sets' coverage gaps (bench/coverage.ts --tune).
 * A per-series split-conformal factor from the series' own three backtest origins was measured first
 * and made coverage worse on every set (M3 monthly 75.4 → 72.6 % at 80 %): with three overlapping
 * origins the per-series quantile is noise, and ETS refits warm-started from the full fit make the
 * backtest errors optimistic. See docs/forecast-accuracy.md#interval-coverage.
 */

/** κ(s) = a + b·s per level (bench/coverage.ts --tune). */
export const INTERVAL_SCALE_BY_NOISE = { level80: { a: 1.389, b: -0.46 }, level95: { a: 1.364, b: -0.16 } } as const;

/**
 * Bounds of κ. The floor 1: calibration only widens a model's interval — what it leaves out adds
 * uncertainty (Chatfield 2001 §7.7) — and the intermittent methods' intervals are quantiles of the
 * observed demand (0 with probability 1 − p), which a factor below 1 would lift off zero. The line was
 * solved without the floor; with it, noisy series (s > 0.85 at 80 %) keep their model's interval.
 */
export const KAPPA_BOUNDS = { min: 1, max: 2 } as const;

/** A model's interval forecast on the horizon. */
export interface RawIntervals {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

export interface Calibration {
  /** Factors applied to the model's half-widths. */
  factor80: number;
  factor95: number;
  /** The noise ratio s they were read at (step 0). */
  noiseRatio: number;
}

/** Steps 1 and 3: the factors at noise ratio s ∈ [0, 1]. */
export function calibrationAt(s: number): Calibration {
  if (!(s >= 0 && s <= 1)) throw new RangeError(`noise ratio must be in [0, 1], got ${s}`);
  const k = (l: { a: number; b: number }): number => Math.min(KAPPA_BOUNDS.max, Math.max(KAPPA_BOUNDS.min, l.a + l.b * s));
  const factor80 = k(INTERVAL_SCALE_BY_NOISE.level80);
  return { factor80, factor95: Math.max(factor80, k(INTERVAL_SCALE_BY_NOISE.level95)), noiseRatio: s };
}

/** Step 1: every bound moved to μ ± κ·(its distance from μ), per level. */
export function scaleIntervals(raw: RawIntervals, factor80: number, factor95: number): RawIntervals {
  for (const [name, f] of [
    ['factor80', factor80],
    ['factor95', factor95],
  ] as const) {
    if (!(Number.isFinite(f) && f > 0)) throw new RangeError(`${name} must be a finite number > 0, got ${f}`);
  }
  const scale = (b: number[], f: number): number[] => raw.mean.map((m, i) => m + f * (b[i]! - m));
  return {
    mean: [...raw.mean],
    lower80: scale(raw.lower80, factor80),
    upper80: scale(raw.upper80, factor80),
    lower95: scale(raw.lower95, factor95),
    upper95: scale(raw.upper95, factor95),
  };
}

/** z of the 80 % two-sided Gaussian interval (Φ⁻¹(0.9)). */
const Z80 = 1.2815515655446004;

/**
 * Step 0 "noise ratio": s = σ̂₁ / sd(y), the model's own one-step error spread (its 80 % upper
 * half-width at step 1 over z₀.₉; the upper bound is never clipped at 0) relative to the history's
 * standard deviation, clamped to [0, 1]. s near 1: the history is mostly noise the model measures
 * (e.g. small counts); s near 0: a smooth, trending or seasonal history whose out-of-sample error
 * is dominated by what the model's interval leaves out (parameter and model uncertainty,
 * Chatfield 2001 §7.7). NaN values of y are skipped; 1 when y has no spread.
 */
export function noiseRatio(y: readonly number[], raw: Pick<RawIntervals, 'mean' | 'upper80'>): number {
  const v = y.filter((x) => Number.isFinite(x));
  if (v.length < 2 || raw.mean.length === 0) return 1;
  const mu = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1));
  const sigma1 = (raw.upper80[0]! - raw.mean[0]!) / Z80;
  if (!(sd > 0) || !Number.isFinite(sigma1)) return 1;
  return Math.min(1, Math.max(0, sigma1 / sd));
}
