/**
 * Demand from sales rank where stock cannot be observed (most real listings): a power law between a
 * listing's Best Sellers Rank and its daily unit sales, the usual form in the literature (Chevalier &
 * Goolsbee 2003, "Measuring prices and price competition online"; Brynjolfsson, Hu & Smith 2003,
 * "Consumer surplus in the digital economy"):
 *
 *   ln(units per day) = α − β · ln(rank) + ε,   ε ~ N(0, σ²)
 *
 * fitted per category and marketplace by least squares on calibration pairs whose sales are known: the
 * workspace's own SKUs (rank and sales both recorded) and listings showing the marketplace's "bought in
 * past month" (Keepa `monthlySold`). Estimates come with a prediction interval from the regression
 * (Student t with n − 2 degrees of freedom), the calibration source and sample size.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Where a calibration pair's sales figure came from: own SKUs' sales, "bought in past month", or a listing's measured stock drops. */
export type RankCalibrationSource = 'OWN_SALES' | 'MONTHLY_SOLD' | 'OBSERVED_STOCK';

export interface RankSalesObservation {
  /** Best Sellers Rank (≥ 1), typically the period's median rank. */
  rank: number;
  /** Units sold per day over the same period (> 0; zero-sales periods carry no rank information). */
  unitsPerDay: number;
  source: RankCalibrationSource;
}

export interface RankSalesModel {
  alpha: number;
  beta: number;
  /** Residual standard deviation on the log scale. */
  sigma: number;
  n: number;
  /** Mean and spread of ln(rank) over the calibration pairs (for the interval). */
  meanLnRank: number;
  sxx: number;
  /** The calibrated rank range: estimates outside it extrapolate. */
  minRank: number;
  maxRank: number;
  /** Calibration pairs by source. */
  sources: Partial<Record<RankCalibrationSource, number>>;
}

export type RankFit = { model: RankSalesModel; reason: null } | { model: null; reason: string };

/** Fewest calibration pairs for a fit: below this the interval is meaningless. */
export const MIN_CALIBRATION_PAIRS = 5;

/** Ordinary least squares of y on x: slope, intercept, residual variance (n − 2 df) and Sxx. */
export function leastSquares(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number; s2: number; sxx: number; meanX: number } {
  const n = x.length;
  const meanX = x.reduce((a, b) => a + b, 0) / n;
  const meanY = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - meanX) ** 2;
    sxy += (x[i] - meanX) * (y[i] - meanY);
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, s2: n > 2 ? sse / (n - 2) : NaN, sxx, meanX };
}

/** Fits the power law, or says why it cannot (too few pairs, one rank only, sales not falling with rank). */
export function fitRankSalesModel(observations: readonly RankSalesObservation[]): RankFit {
  const usable = observations.filter((o) => Number.isFinite(o.rank) && o.rank >= 1 && Number.isFinite(o.unitsPerDay) && o.unitsPerDay > 0);
  if (usable.length < MIN_CALIBRATION_PAIRS)
    return {
      model: null,
      reason: `${usable.length} calibration pair(s) with rank and sales; at least ${MIN_CALIBRATION_PAIRS} are needed`,
    };
  const x = usable.map((o) => Math.log(o.rank));
  const y = usable.map((o) => Math.log(o.unitsPerDay));
  const fit = leastSquares(x, y);
  if (!(fit.sxx > 0)) return { model: null, reason: 'every calibration pair has the same rank: the slope cannot be estimated' };
  if (!(fit.slope < 0))
    return { model: null, reason: `sales do not fall with rank in the calibration pairs (slope ${fit.slope.toFixed(3)}): no usable model` };
  const sources: Partial<Record<RankCalibrationSource, number>> = {};
  for (const o of usable) sources[o.source] = (sources[o.source] ?? 0) + 1;
  return {
    model: {
      alpha: fit.intercept,
      beta: -fit.slope,
      sigma: Math.sqrt(fit.s2),
      n: usable.length,
      meanLnRank: fit.meanX,
      sxx: fit.sxx,
      minRank: Math.min(...usable.map((o) => o.rank)),
      maxRank: Math.max(...usable.map((o) => o.rank)),
      sources,
    },
    reason: null,
  };
}

export interface RankSalesEstimate {
  /** Median units per day at the rank. */
  unitsPerDay: number;
  lower: number;
  upper: number;
  confidence: number;
  /** True when the rank lies outside the calibrated range. */
  extrapolated: boolean;
}

/**
 * Units per day at `rank`: the median exp(α − β ln r) and the prediction interval
 * exp(ŷ ± t_{(1+c)/2, n−2} · σ √(1 + 1/n + (ln r − x̄)² / Sxx)) (the standard OLS prediction interval).
 */
export function unitsFromRank(model: RankSalesModel, rank: number, confidence = 0.8): RankSalesEstimate {
  if (!(rank >= 1) || !Number.isFinite(rank)) throw new RangeError(`rank must be a number ≥ 1, got ${rank}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const x0 = Math.log(rank);
  const yHat = model.alpha - model.beta * x0;
  const se = model.sigma * Math.sqrt(1 + 1 / model.n + (x0 - model.meanLnRank) ** 2 / model.sxx);
  const t = tQuantile((1 + confidence) / 2, model.n - 2);
  return {
    unitsPerDay: Math.exp(yHat),
    lower: Math.exp(yHat - t * se),
    upper: Math.exp(yHat + t * se),
    confidence,
    extrapolated: rank < model.minRank || rank > model.maxRank,
  };
}
