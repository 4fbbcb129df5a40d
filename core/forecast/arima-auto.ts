/**
 * Automatic ARIMA order selection after Hyndman & Khandakar (2008), "Automatic time series forecasting:
 * the forecast package for R", J. Stat. Software 27(3), as implemented by forecast::auto.arima (8.20):
 *  1. D ∈ {0, 1} from the seasonal strength of the series (nsdiffs(test = "seas"): F_S > 0.64);
 *  2. d ∈ {0, 1, 2} by repeated KPSS tests at 5 % on the seasonally differenced series (ndiffs);
 *  3. stepwise search over p, q ≤ 5 and P, Q ≤ 2 from four start models, moving to the first neighbour
 *     with a lower AICc until none improves; a constant (mean when d + D = 0, drift when d + D = 1) is a
 *     search dimension; fits with a root of modulus < 1.01 are rejected.
 * With `approximation` (R: n > 150 or m > 12) the search ranks CSS fits and only the winner is refitted
 * by CSS-ML, as R does.
 */
import { decompose } from './seasonality';
import { difference, fitArima, type ArimaFit, type ArimaSpec } from './arima';

const isConstant = (x: readonly number[]): boolean => x.every((v) => v === x[0]);

/**
 * Step "KPSS statistic" (Kwiatkowski, Phillips, Schmidt & Shin 1992; urca::ur.kpss type "mu", the lag
 * forecast::ndiffs passes): e_t = x_t − x̄, S_t = Σ_{s≤t} e_s, l = ⌊3√n/13⌋,
 * s² = Σe²/n + (2/n) Σ_{k=1..l} (1 − k/(l+1)) Σ_t e_t e_{t−k},  η = Σ S_t² / (n² s²).
 */
export function kpssStatistic(x: readonly number[]): number {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const e = x.map((v) => v - mean);
  let S = 0;
  let num = 0;
  for (const v of e) {
    S += v;
    num += S * S;
  }
  const l = Math.trunc((3 * Math.sqrt(n)) / 13);
  let s2 = e.reduce((a, v) => a + v * v, 0) / n;
  for (let k = 1; k <= l; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += e[t]! * e[t - k]!;
    s2 += (2 / n) * (1 - k / (l + 1)) * c;
  }
  return num / (n * n * s2);
}

/** KPSS 5 % critical value for the level-stationary null (urca's table: 0.347, 0.463, 0.574, 0.739 at 10, 5, 2.5, 1 %). */
export const KPSS_CRITICAL_5PCT = 0.463;

/** Step "ndiffs": difference while the KPSS test rejects stationarity at 5 % (at most maxD times). */
export function ndiffs(x: readonly number[], maxD = 2): number {
  let d = 0;
  let cur = [...x];
  if (cur.length < 3 || isConstant(cur)) return 0;
  while (d < maxD && kpssStatistic(cur) > KPSS_CRITICAL_5PCT) {
    d++;
    cur = difference(cur, 1, 0, 1);
    if (cur.length < 3 || isConstant(cur)) return d;
  }
  return d;
}

/**
 * Step "seasonal strength" (Wang, Smith & Hyndman 2006; forecast's seas.heuristic):
 * F_S = max(0, min(1, 1 − Var(R) / Var(S + R))). R decomposes with STL (mstl); this port uses the classical
 * additive decomposition (seasonality.ts), whose remainder is defined where the centred moving average is.
 */
export function seasonalStrength(x: readonly number[], m: number): number {
  const dec = decompose(x, m, 'additive');
  const rem: number[] = [];
  const sr: number[] = [];
  for (let t = 0; t < x.length; t++) {
    if (Number.isNaN(dec.trend[t]!)) continue;
    const r = x[t]! - dec.trend[t]! - dec.seasonal[t]!;
    rem.push(r);
    sr.push(r + dec.seasonal[t]!);
  }
  const v = (a: number[]): number => {
    const mu = a.reduce((s, b) => s + b, 0) / a.length;
    return a.reduce((s, b) => s + (b - mu) ** 2, 0) / (a.length - 1);
  };
  const vs = v(sr);
  return vs > 0 ? Math.max(0, Math.min(1, 1 - v(rem) / vs)) : 0;
}

/** Step "nsdiffs": one seasonal difference when the seasonal strength exceeds 0.64 (needs n ≥ 2m + 1). */
export function nsdiffs(x: readonly number[], m: number): number {
  if (m < 2 || x.length <= 2 * m || isConstant(x)) return 0;
  return seasonalStrength(x, m) > 0.64 ? 1 : 0;
}

export interface AutoArimaOptions {
  /** Season length (1 = non-seasonal). */
  m: number;
  /** Rank CSS fits, refit the winner by CSS-ML (default: R's rule n > 150 or m > 12). */
  approximation?: boolean;
  /** With approximation: also estimate the chosen model by CSS-ML (default true, as R). */
  refitMl?: boolean;
  /** Maximum number of models tried (R's nmodels, default 94). */
  maxModels?: number;
  /** Largest seasonal AR and MA order searched (R's max.P = max.Q, default 2). */
  maxSeasonalOrder?: number;
  /** Nelder–Mead iterations per stage of each fit. */
  maxIter?: number;
  /** With approximation: CSS tolerance and Nelder–Mead restarts of each screening fit (defaults 1e-8, 2, as fitArima). */
  cssRelTol?: number;
  cssStages?: number;
  /** With approximation: hold the constant at the mean of the differenced series (fitArima's fixMean). */
  fixMean?: boolean;
  /**
   * Without differencing, always include the mean (no zero-mean search). CSS cannot see what a zero-mean
   * stationary model pays for starting far from its mean (the exact likelihood's Q0 term), so CSS screening
   * otherwise picks near-unit-root AR models without mean that decay to 0.
   */
  keepMean?: boolean;
}

export interface AutoArimaResult {
  fit: ArimaFit;
  /** Every model tried with its AICc (Infinity = failed or rejected), in search order. */
  tried: { spec: ArimaSpec; aicc: number }[];
}

interface Orders {
  p: number;
  q: number;
  P: number;
  Q: number;
  constant: boolean;
}

/** Step "differencing orders": D from nsdiffs (0 when n ≤ 2m), then d from ndiffs on the seasonally differenced series. */
export function arimaDifferences(y: readonly number[], m: number): { d: number; D: number } {
  const D = m > 1 && y.length > 2 * m ? nsdiffs(y, m) : 0;
  const dx = D > 0 ? difference(y, 0, D, m) : [...y];
  return { d: ndiffs(dx), D };
}

/** Search bounds as auto.arima: p, q ≤ min(5, ⌊n/3⌋), P, Q ≤ min(2, ⌊n/(3m)⌋), p, q < m when seasonal terms are allowed. */
function searchBounds(n: number, m: number, maxSeasonal: number): { maxp: number; maxq: number; maxP: number; maxQ: number } {
  let maxp = Math.min(5, Math.floor(n / 3));
  let maxq = Math.min(5, Math.floor(n / 3));
  const maxP = m > 1 ? Math.min(maxSeasonal, Math.floor(n / 3 / m)) : 0;
  const maxQ = m > 1 ? Math.min(maxSeasonal, Math.floor(n / 3 / m)) : 0;
  if (m > 1 && maxP > 0) maxp = Math.min(maxp, m - 1);
  if (m > 1 && maxQ > 0) maxq = Math.min(maxq, m - 1);
  return { maxp, maxq, maxP, maxQ };
}

/**
 * Step "stepwise search" (Hyndman & Khandakar 2008, §3.2): start from the best of (2,2)(1,1), (0,0)(0,0),
 * (1,0)(1,0), (0,1)(0,1) and (0,0)(0,0) without constant; then try, in auto.arima's order, P ∓ 1, Q ∓ 1, both,
 * p ∓ 1, q ∓ 1, both, and the constant toggled, restarting from the first model that lowers the AICc.
 */
export function autoArima(y: readonly number[], opts: AutoArimaOptions): AutoArimaResult | null {
  const n = y.length;
  const m = opts.m > 1 && Number.isInteger(opts.m) ? opts.m : 1;
  if (n < 3 || isConstant(y)) return null;
  const approximation = opts.approximation ?? (n > 150 || m > 12);
  const maxModels = opts.maxModels ?? 94;
  const { d, D } = arimaDifferences(y, m);
  const b = searchBounds(n, m, opts.maxSeasonalOrder ?? 2);
  const allowConst = d + D <= 1;
  const toggleConst = allowConst && !(opts.keepMean === true && d + D === 0);
  const tried: AutoArimaResult['tried'] = [];
  const fits = new Map<string, ArimaFit | null>();
  const key = (o: Orders): string => `${o.p},${o.q},${o.P},${o.Q},${o.constant}`;
  const specOf = (o: Orders): ArimaSpec => ({ p: o.p, d, q: o.q, P: o.P, D, Q: o.Q, m, constant: o.constant && allowConst });
  // CSS fits condition on the largest p + Pm of the search so that their AICc cover the same points.
  const minCond = b.maxp + b.maxP * m;
  const trial = (o: Orders): number => {
    const spec = specOf(o);
    const fit = approximation
      ? fitArima(y, spec, {
          method: 'CSS',
          maxIter: opts.maxIter,
          cssRelTol: opts.cssRelTol,
          cssStages: opts.cssStages,
          minCond,
          fixMean: opts.fixMean,
        })
      : fitArima(y, spec, { method: 'CSS-ML', maxIter: opts.maxIter });
    const aicc = fit && !fit.nearUnitRoot && Number.isFinite(fit.aicc) ? fit.aicc : Infinity;
    fits.set(key(o), fit);
    tried.push({ spec, aicc });
    return aicc;
  };
  const small = n < 10;
  const start: Orders = {
    p: Math.min(small ? 1 : 2, b.maxp),
    q: Math.min(small ? 1 : 2, b.maxq),
    P: Math.min(small ? 0 : 1, b.maxP),
    Q: Math.min(small ? 0 : 1, b.maxQ),
    constant: allowConst,
  };
  const starts: Orders[] = [
    start,
    { p: 0, q: 0, P: 0, Q: 0, constant: allowConst },
    { p: b.maxp > 0 ? 1 : 0, q: 0, P: m > 1 && b.maxP > 0 ? 1 : 0, Q: 0, constant: allowConst },
    { p: 0, q: b.maxq > 0 ? 1 : 0, P: 0, Q: m > 1 && b.maxQ > 0 ? 1 : 0, constant: allowConst },
  ];
  if (toggleConst) starts.push({ p: 0, q: 0, P: 0, Q: 0, constant: false });
  let best = start;
  let bestIc = Infinity;
  for (const o of starts) {
    if (fits.has(key(o))) continue;
    const ic = trial(o);
    if (ic < bestIc) [best, bestIc] = [o, ic];
  }
  stepwise(best, bestIc, b, toggleConst, fits, key, trial, maxModels);
  const winner = finalFit(y, tried, fits, key, approximation && (opts.refitMl ?? true), opts.maxIter);
  return winner ? { fit: winner, tried } : null;
}

/** One-step moves of a pair of orders, in auto.arima's order: −1/+1 on either, then both. */
const STEP_MOVES: readonly (readonly [number, number])[] = [
  [-1, 0],
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

/** The neighbours of auto.arima's stepwise loop, in its order: seasonal moves (P, Q), then (p, q), then the constant. */
function neighbours(o: Orders, b: ReturnType<typeof searchBounds>, allowConst: boolean): Orders[] {
  const out: Orders[] = [];
  const add = (dp: number, dq: number, dP: number, dQ: number): void => {
    const c = { ...o, p: o.p + dp, q: o.q + dq, P: o.P + dP, Q: o.Q + dQ };
    if (c.p >= 0 && c.q >= 0 && c.P >= 0 && c.Q >= 0 && c.p <= b.maxp && c.q <= b.maxq && c.P <= b.maxP && c.Q <= b.maxQ) out.push(c);
  };
  for (const [dP, dQ] of STEP_MOVES) add(0, 0, dP, dQ);
  for (const [dp, dq] of STEP_MOVES) add(dp, dq, 0, 0);
  if (allowConst) out.push({ ...o, constant: !o.constant });
  return out;
}

function stepwise(
  best: Orders,
  bestIc: number,
  b: ReturnType<typeof searchBounds>,
  allowConst: boolean,
  fits: Map<string, ArimaFit | null>,
  key: (o: Orders) => string,
  trial: (o: Orders) => number,
  maxModels: number,
): { best: Orders; bestIc: number } {
  let improved = true;
  while (improved && fits.size < maxModels) {
    improved = false;
    for (const o of neighbours(best, b, allowConst)) {
      if (fits.has(key(o))) continue;
      if (fits.size >= maxModels) break;
      const ic = trial(o);
      if (ic < bestIc) {
        [best, bestIc] = [o, ic];
        improved = true;
        break;
      }
    }
  }
  return { best, bestIc };
}

/** Step "final fit": the best-ranked model; with approximation its CSS-ML refit, else the next best that refits. */
function finalFit(
  y: readonly number[],
  tried: AutoArimaResult['tried'],
  fits: Map<string, ArimaFit | null>,
  key: (o: Orders) => string,
  refitMl: boolean,
  maxIter: number | undefined,
): ArimaFit | null {
  const ranked = tried.filter((t) => Number.isFinite(t.aicc)).sort((a, b) => a.aicc - b.aicc);
  for (const t of ranked) {
    const o: Orders = { p: t.spec.p, q: t.spec.q, P: t.spec.P, Q: t.spec.Q, constant: t.spec.constant };
    if (!refitMl) return fits.get(key(o)) ?? null;
    const f = fitArima(y, t.spec, { method: 'CSS-ML', maxIter });
    if (f && !f.nearUnitRoot) return f;
  }
  return null;
}
