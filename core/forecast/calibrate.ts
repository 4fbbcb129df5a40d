/**
 * Calibrated prediction intervals: the chosen model's own 80 % / 95 % intervals rescaled so that
 * they would have held the series' own rolling-origin backtest errors at the nominal rate.
 * Method-agnostic: it needs only the model's point refits at the backtest origins and its interval
 * on the forecast horizon, so it applies to whichever model the candidate pool selects.
 *
 * Normalised split-conformal prediction (Papadopoulos et al. 2008, "Normalized nonconformity
 * measures for regression conformal prediction"; Lei, G'Sell, Rinaldo, Tibshirani & Wasserman 2018,
 * "Distribution-free predictive inference for regression", §5.2 locally weighted conformal), with
 * the rolling-origin forecast errors as the calibration set (Stankevičiūtė, Alaa & van der Schaar
 * 2021, "Conformal time-series forecasting"), and the model's interval half-width at each step as
 * the scale, so the interval keeps the model's shape over the horizon and its asymmetry:
 *
 *  1. residuals   e_{o,k} = y_{T_o+k} − ŷ_{T_o+k | T_o}   (origin T_o, step k; censored/missing skipped)
 *  2. scores      s_{o,k} = max((y − μ_k)/(u_k − μ_k), (μ_k − y)/(μ_k − l_k)) with y − μ_k := e_{o,k},
 *                 u_k, l_k, μ_k the model's bounds and mean at step k of the final fit;
 *                 the interval [μ − q(μ − l), μ + q(u − μ)] holds the error iff s ≤ q.
 *  3. quantile    q̂ = the ⌈(n + 1)(1 − α)⌉-th smallest of the n scores (the split-conformal rank,
 *                 Lei et al. 2018 Thm 2.2), or the largest when that rank exceeds n.
 *  4. shrinkage   q = exp(n/(n + n₀) · ln q̂): with few scores the factor stays near 1 (the model's
 *                 own interval); n₀ = CALIBRATION_PRIOR_SCORES pseudo-scores.
 *  5. rescale     lower = μ − q(μ − l), upper = μ + q(u − μ), per level.
 */

/** Pseudo-scores at factor 1 (the model's own interval) added to the calibration set; see bench/coverage.ts --tune. */
export const CALIBRATION_PRIOR_SCORES = 8;

/** The model's raw interval forecast on the horizon. */
export interface RawIntervals {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

export interface Calibration {
  /** Number of backtest errors scored. */
  scores: number;
  /** Raw conformal quantiles of the scores (step 3), null without scores. */
  quantile80: number | null;
  quantile95: number | null;
  /** Factors applied to the model's half-widths (step 4). */
  factor80: number;
  factor95: number;
}

/** A backtest error at step k (1-based) from one origin. */
export interface StepError {
  step: number;
  error: number;
}

/**
 * Step 1: rolling-origin errors e = y_{T+k} − ŷ_{T+k|T} of `refit` at each origin T of the plan,
 * steps k = 1 … min(horizon, n − T); NaN actuals, censored ones (`skip`) and non-finite forecasts
 * are left out.
 */
export function backtestErrors(
  y: readonly number[],
  origins: readonly number[],
  horizon: number,
  refit: (train: number[], h: number, origin: number) => number[],
  skip?: readonly boolean[],
): StepError[] {
  const out: StepError[] = [];
  for (const T of origins) {
    const h = Math.min(horizon, y.length - T);
    if (h < 1) continue;
    const f = refit(y.slice(0, T), h, T);
    for (let k = 0; k < h; k++) {
      const v = y[T + k]!;
      if (!Number.isFinite(v) || skip?.[T + k] || !Number.isFinite(f[k])) continue;
      out.push({ step: k + 1, error: v - f[k]! });
    }
  }
  return out;
}

/**
 * Step 2: normalised score of an error e at a step whose interval is [l, u] around μ:
 * s = e/(u − μ) for e ≥ 0, −e/(μ − l) for e < 0; a zero half-width scores 0 for e = 0, else ∞.
 */
export function normalisedScore(error: number, mean: number, lower: number, upper: number): number {
  const w = error >= 0 ? upper - mean : mean - lower;
  const a = Math.abs(error);
  if (a === 0) return 0;
  return w > 0 ? a / w : Infinity;
}

/** Step 3: the ⌈(n + 1)(1 − α)⌉-th smallest score (the largest when the rank exceeds n); null for n = 0. */
export function conformalQuantile(scores: readonly number[], alpha: number): number | null {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const n = scores.length;
  if (n === 0) return null;
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.min(n, Math.ceil((n + 1) * (1 - alpha)));
  return sorted[rank - 1]!;
}

/**
 * Step 4: q = exp(n/(n + n₀) · ln q̂), a geometric blend of the conformal factor and 1 (the model's own
 * interval) weighted by n scores against n₀ pseudo-scores; 1 without scores or with q̂ = ∞.
 */
export function shrunkFactor(q: number | null, n: number, priorScores = CALIBRATION_PRIOR_SCORES): number {
  if (q === null || n === 0 || !Number.isFinite(q)) return 1;
  // A backtest without error (q̂ = 0) cannot shrink an interval to nothing: floored at 1e-3.
  return Math.exp((n / (n + priorScores)) * Math.log(Math.max(q, 1e-3)));
}

/**
 * Steps 2–5: the interval rescaled by the conformal factors of the errors. Steps beyond the
 * forecast horizon reuse the last step's interval as their scale.
 */
export function calibrateIntervals(
  raw: RawIntervals,
  errors: readonly StepError[],
  priorScores = CALIBRATION_PRIOR_SCORES,
): { intervals: RawIntervals; calibration: Calibration } {
  const h = raw.mean.length;
  const at = (k: number): number => Math.min(h, k) - 1;
  const s80 = errors.map((e) => normalisedScore(e.error, raw.mean[at(e.step)]!, raw.lower80[at(e.step)]!, raw.upper80[at(e.step)]!));
  const s95 = errors.map((e) => normalisedScore(e.error, raw.mean[at(e.step)]!, raw.lower95[at(e.step)]!, raw.upper95[at(e.step)]!));
  const q80 = conformalQuantile(s80, 0.2);
  const q95 = conformalQuantile(s95, 0.05);
  const f80 = shrunkFactor(q80, errors.length, priorScores);
  const f95 = shrunkFactor(q95, errors.length, priorScores);
  const scale = (lo: number[], hi: number[], f: number): [number[], number[]] => [
    raw.mean.map((m, i) => m - f * (m - lo[i]!)),
    raw.mean.map((m, i) => m + f * (hi[i]! - m)),
  ];
  const [lower80, upper80] = scale(raw.lower80, raw.upper80, f80);
  const [lower95, upper95] = scale(raw.lower95, raw.upper95, f95);
  return {
    intervals: { mean: [...raw.mean], lower80, upper80, lower95, upper95 },
    calibration: { scores: errors.length, quantile80: q80, quantile95: q95, factor80: f80, factor95: f95 },
  };
}
