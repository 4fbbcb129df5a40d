/**
 * ARIMA as a candidate of the forecasting pool (index.ts): the stepwise search of arima-auto.ts in its
 * screening form, and a cheap refit for the rolling-origin backtest.
 *
 * Screening form (ARIMA_SCREENING): CSS fits ranked by AICc on a common conditioning window (arima-auto.ts),
 * the constant held at the mean of the differenced series, one Nelder–Mead run at relative tolerance 1e-5
 * per order, at most 16 orders with P, Q ≤ 1, no exact-likelihood refit of the winner (it costs 10–1,000 ms
 * for a seasonal model); seasonal terms only for m ≤ MAX_ARIMA_PERIOD.
 * The backtest refits the chosen order by CSS on each prefix (orders are not searched again).
 */
import { naiveForecast } from './baselines';
import { arimaForecast, fitArima, type ArimaFit } from './arima';
import { autoArima } from './arima-auto';

/** Longest season the pool's ARIMA models (weekly data with m = 52 gets a non-seasonal ARIMA). */
export const MAX_ARIMA_PERIOD = 24;

/**
 * Screening settings of the pool's search. Chosen on every 8th M3 monthly series with the last 18 points of
 * each training part held out (never the test window): R's full search (94 models, P, Q ≤ 2) cost 7.4 ms
 * per series at validation sMAPE 15.51; at most 16 models with P, Q ≤ 1 cost 2.8 ms at 15.00.
 */
export const ARIMA_SCREENING = {
  cssRelTol: 1e-5,
  cssStages: 1,
  fixMean: true,
  keepMean: true,
  maxModels: 16,
  maxSeasonalOrder: 1,
  maxIter: 200,
} as const;

export interface ArimaCandidate {
  name: string;
  fit: ArimaFit;
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  params: Record<string, number>;
  notes: string[];
  intervalMethod: string;
  refit: (train: number[], h: number) => number[];
}

/** "ARIMA(p,d,q)(P,D,Q)[m] with drift" as R prints it. */
export function arimaName(fit: ArimaFit): string {
  const s = fit.spec;
  const seas = s.P + s.D + s.Q > 0 ? `(${s.P},${s.D},${s.Q})[${s.m}]` : '';
  const diffs = s.d + s.D;
  const c = s.constant && diffs === 0 ? ' with non-zero mean' : s.constant && diffs === 1 ? ' with drift' : '';
  return `ARIMA(${s.p},${s.d},${s.q})${seas}${c}`;
}

/** Search, fit and forecast y (finite values: pass the imputed series) h steps ahead with season m. */
export function arimaCandidate(y: readonly number[], h: number, m: number): ArimaCandidate {
  const mm = m > 1 && m <= MAX_ARIMA_PERIOD ? m : 1;
  const res = autoArima(y, { m: mm, approximation: true, refitMl: false, ...ARIMA_SCREENING });
  if (!res) throw new RangeError('no ARIMA model could be fitted (constant or too short series)');
  const fit = res.fit;
  const fc = arimaForecast(fit, h);
  const params: Record<string, number> = {
    p: fit.spec.p,
    d: fit.spec.d,
    q: fit.spec.q,
    P: fit.spec.P,
    D: fit.spec.D,
    Q: fit.spec.Q,
    m: mm,
  };
  fit.ar.forEach((v, i) => (params[`ar${i + 1}`] = v));
  fit.ma.forEach((v, i) => (params[`ma${i + 1}`] = v));
  fit.sar.forEach((v, i) => (params[`sar${i + 1}`] = v));
  fit.sma.forEach((v, i) => (params[`sma${i + 1}`] = v));
  if (fit.spec.constant && fit.spec.d + fit.spec.D <= 1) params[fit.spec.d + fit.spec.D === 0 ? 'intercept' : 'drift'] = fit.constant;
  params.sigma2 = fit.sigma2;
  params.aicc = fit.aicc;
  const spec = fit.spec;
  return {
    name: arimaName(fit),
    fit,
    ...fc,
    params,
    notes: [
      `${arimaName(fit)}: orders by a stepwise AICc search (Hyndman–Khandakar; d by KPSS, D by seasonal strength) over ${res.tried.length} CSS fits, coefficients by conditional sum of squares`,
    ],
    intervalMethod: 'ARIMA ψ-weights: σ²·Σ_{j<h} ψ_j², Gaussian',
    refit: (train, hh) => {
      const f = fitArima(train, spec, { method: 'CSS', cssRelTol: 1e-5, cssStages: 1, fixMean: true, maxIter: 200 });
      return f ? arimaForecast(f, hh).mean : naiveForecast(train, hh).mean;
    },
  };
}
