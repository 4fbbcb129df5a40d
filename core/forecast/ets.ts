/**
 * ETS state-space models (Hyndman, Koehler, Ord & Snyder 2008): error A/M, trend N/A/Ad,
 * season N/A/M. Conventions follow R's forecast::ets so results are comparable with it:
 *  - state update equations of etscalc() (the same for both error types; the error type only
 *    changes the likelihood), parameter β in state-space form (b_t = φb_{t-1} + β·ε_t);
 *  - likelihood n·log(Σe²) (+ 2·Σlog|ŷ| for multiplicative errors), AICc with k = #params + 1;
 *  - initial states from initstate() (classical decomposition of the first 3 seasons, regression on
 *    the first max(10, 2m) seasonally adjusted points), then jointly optimised with the smoothing
 *    weights by Nelder–Mead under the "both" bounds (usual 1e-4 ≤ β ≤ α ≤ 0.9999, γ ≤ 1 − α,
 *    0.8 ≤ φ ≤ 0.98, plus the admissible region from the characteristic polynomial);
 *  - multiplicative trend is not offered (R's default allow.multiplicative.trend = FALSE) and
 *    additive-error/multiplicative-season mixes are excluded (R's restrict = TRUE): both are
 *    numerically unstable.
 * Missing observations (NaN) are skipped in the likelihood and the state is propagated with
 * the one-step forecast. Censored observations (stockouts: true demand ≥ recorded sales) are also
 * left out of the likelihood, and the state is updated with max(recorded, one-step forecast).
 */
import { createRng } from '../random';
import { PhiInv } from '../stats/normal';
import { nelderMead, rootsInsideUnitCircle } from './optim';
import { decompose } from './seasonality';

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface EtsFit {
  spec: EtsSpec;
  name: string;
  m: number;
  params: EtsParams;
  /** Initial level and trend (time 0, before the first observation). */
  l0: number;
  b0: number;
  /** Initial seasonal index per cycle position (position 0 = first observation). */
  s0: number[];
  /** n·log(SSE) (+2Σlog|ŷ|): R's `lik`. */
  lik: number;
  /** R's loglik = −½·lik. */
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Residual variance Σe²/(n − k) of the (relative, for M errors) one-step errors. */
  sigma2: number;
  /**
   * True when the model reproduces the history exactly (Σe² = 0): the likelihood is unbounded, so
   * `lik`/`aicc` hold R's optimiser cap (−1e10), good for ranking only and never to be shown.
   */
  exactFit: boolean;
  /** Observations used in the likelihood (not missing, not censored). */
  nObs: number;
  /** Number of estimated parameters (smoothing weights + free initial states). */
  nParams: number;
  /** State after the last observation. */
  final: { l: number; b: number; s: Float64Array; pos: number };
  residuals: number[];
  fitted: number[];
  evaluations: number;
}

export interface EtsFitOptions {
  m?: number;
  /** Flags per observation: true = censored (stockout), recorded value is a lower bound. */
  censored?: readonly boolean[];
  /** Fix smoothing weights instead of estimating them. */
  fixed?: Partial<EtsParams>;
  maxIter?: number;
  /** Estimate the m−1 free initial seasonal indices by likelihood too (R does; slower: up to 17
   *  dimensions). When false they stay at the decomposition heuristic but still count in AICc. */
  optimizeSeasonalStates?: boolean;
  /** Warm start (e.g. a previous fit of the same model): weights and initial states. */
  start?: { params: EtsParams; l0: number; b0: number; s0: readonly number[] };
}

/** R's ets() also refuses seasonal models above 24: too many initial states to estimate. */
export const MAX_ETS_PERIOD = 24;

const LOWER = [1e-4, 1e-4, 1e-4, 0.8];
const UPPER = [0.9999, 0.9999, 0.9999, 0.98];
const HUGEN = 1e10;
/** R's cap on the objective n·log(SSE): a perfect fit (SSE = 0) scores −LIK_CAP. */
export const LIK_CAP = 1e10;

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

export function parseEtsName(name: string): EtsSpec | null {
  const m = /^ETS\(([AM]),(N|A|Ad),([NAM])\)$/.exec(name);
  if (!m) return null;
  return { error: m[1] as ErrorType, trend: m[2] as TrendType, season: m[3] as SeasonType };
}

/** The 15 models R's ets() searches by default for strictly positive data (6 otherwise). */
export function standardModelSet(seasonal: boolean, positive: boolean): EtsSpec[] {
  const out: EtsSpec[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const)) {
    for (const trend of ['N', 'A', 'Ad'] as const) {
      for (const season of seasonal ? (positive ? (['N', 'A', 'M'] as const) : (['N', 'A'] as const)) : (['N'] as const)) {
        if (error === 'A' && season === 'M') continue;
        out.push({ error, trend, season });
      }
    }
  }
  return out;
}

/** R's admissible(): stability of the linear part via the characteristic polynomial. */
export function admissible(alpha: number, beta: number | null, gamma: number | null, phi: number, m: number): boolean {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (gamma === null) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (beta !== null && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  if (m > 1) {
    const b = beta ?? 0;
    if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
    if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
    if (b < -(1 - phi) * (gamma / m + alpha)) return false;
    if (polyBuf.length !== m + 2) polyBuf = new Float64Array(m + 2);
    const P = polyBuf;
    P[0] = phi * (1 - alpha - gamma);
    P[1] = alpha + b - alpha * phi + gamma - 1;
    for (let i = 2; i < m; i++) P[i] = alpha + b - alpha * phi;
    P[m] = alpha + b - phi;
    P[m + 1] = 1;
    // R accepts roots up to modulus 1 + 1e-10 (models without trend always have a root at 1).
    return rootsInsideUnitCircle(P, 1 + 1e-8);
  }
  return true;
}

const seasonOn0 = (spec: EtsSpec): boolean => spec.season !== 'N';

let polyBuf = new Float64Array(14);

/**
 * One pass of the ETS recursions. Returns the likelihood (NaN when a forecast is unusable).
 * `s` is the initial seasonal vector by cycle position and is overwritten (circular buffer).
 */
function run(
  y: Float64Array,
  cens: Uint8Array | null,
  errM: boolean,
  trendOn: boolean,
  season: 0 | 1 | 2,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  s: Float64Array,
  out: { e: number[]; f: number[]; l: number; b: number; nObs: number; sse: number } | null,
): number {
  const n = y.length;
  let l = l0;
  let b = trendOn ? b0 : 0;
  const bOverA = beta / alpha;
  let sse = 0;
  let logf = 0;
  let prodf = 1;
  let nObs = 0;
  let pos = 0;
  for (let t = 0; t < n; t++) {
    const phib = trendOn ? phi * b : 0;
    const q = l + phib;
    const so = season === 0 ? 0 : s[pos]!;
    const f = season === 0 ? q : season === 1 ? q + so : q * so;
    let yt = y[t]!;
    const missing = yt !== yt;
    const censored = !missing && cens !== null && cens[t] === 1;
    if (missing || censored) {
      yt = missing ? f : Math.max(yt, f);
      if (out) {
        out.e.push(NaN);
        out.f.push(f);
      }
    } else {
      const e = errM ? (yt - f) / f : yt - f;
      sse += e * e;
      if (errM) {
        // Σlog|ŷ| via a running product: one log per ~100 steps instead of one per step.
        prodf *= Math.abs(f);
        if (prodf > 1e150 || prodf < 1e-150) {
          logf += Math.log(prodf);
          prodf = 1;
        }
      }
      nObs++;
      if (out) {
        out.e.push(e);
        out.f.push(f);
      }
    }
    let p: number;
    if (season === 0) p = yt;
    else if (season === 1) p = yt - so;
    else p = Math.abs(so) < 1e-10 ? HUGEN : yt / so;
    const lNew = q + alpha * (p - q);
    if (trendOn) b = phib + bOverA * (lNew - l - phib);
    if (season !== 0) {
      const tt = season === 1 ? yt - q : Math.abs(q) < 1e-10 ? HUGEN : yt / q;
      s[pos] = so + gamma * (tt - so);
      pos++;
      if (pos === m) pos = 0;
    }
    l = lNew;
  }
  if (out) {
    out.l = l;
    out.b = b;
    out.nObs = nObs;
    out.sse = sse;
  }
  if (nObs === 0) return NaN;
  logf += Math.log(prodf);
  if (!(sse > 0)) return -LIK_CAP; // perfect fit: R caps the objective here
  let lik = nObs * Math.log(sse);
  if (errM) lik += 2 * logf;
  return lik < -LIK_CAP ? -LIK_CAP : lik;
}

/** Fill NaN by linear interpolation (ends: nearest value); only used to seed initial states. */
function fillGaps(y: readonly number[]): number[] {
  const out = [...y];
  const idx: number[] = [];
  for (let i = 0; i < out.length; i++) if (Number.isFinite(out[i])) idx.push(i);
  if (idx.length === 0) return out.map(() => 0);
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i])) continue;
    let k = 0;
    while (k < idx.length && idx[k]! < i) k++;
    if (k === 0) out[i] = out[idx[0]!]!;
    else if (k === idx.length) out[i] = out[idx[idx.length - 1]!]!;
    else {
      const a = idx[k - 1]!;
      const c = idx[k]!;
      out[i] = out[a]! + ((out[c]! - out[a]!) * (i - a)) / (c - a);
    }
  }
  return out;
}

function ols(x: readonly number[], y: readonly number[]): [number, number] {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) * (x[i]! - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return [my - slope * mx, slope];
}

/** Least squares for small dense systems (normal equations, Gaussian elimination). */
function lstsq(X: number[][], y: readonly number[]): number[] {
  const p = X[0]!.length;
  const A = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < X.length; i++) {
    const r = X[i]!;
    for (let a = 0; a < p; a++) {
      for (let c = 0; c < p; c++) A[a]![c]! += r[a]! * r[c]!;
      A[a]![p]! += r[a]! * y[i]!;
    }
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    const d = A[c]![c]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const k = A[r]![c]! / d;
      for (let k2 = c; k2 <= p; k2++) A[r]![k2]! -= k * A[c]![k2]!;
    }
  }
  return A.map((row, i) => (Math.abs(row[i]!) < 1e-300 ? 0 : row[p]! / row[i]!));
}

/** R's initstate(): heuristic initial level, trend and seasonal indices (by cycle position). */
function initialStates(yIn: readonly number[], spec: EtsSpec, m: number): { l0: number; b0: number; s0: number[] } {
  const y = fillGaps(yIn);
  const n = y.length;
  let ySa = y;
  let s0: number[] = [];
  if (spec.season !== 'N') {
    let seasonal: number[];
    if (n < 3 * m) {
      // Too short to decompose: trend + first Fourier pair regression (R: tslm(y ~ trend + fourier(y, 1))).
      const X = y.map((_, i) => [1, i + 1, Math.sin((2 * Math.PI * (i + 1)) / m), Math.cos((2 * Math.PI * (i + 1)) / m)]);
      const c = lstsq(X, y);
      seasonal = spec.season === 'A' ? y.map((v, i) => v - c[0]! - c[1]! * (i + 1)) : y.map((v, i) => v / (c[0]! + c[1]! * (i + 1)));
    } else {
      seasonal = decompose(y.slice(0, 3 * m), m, spec.season === 'A' ? 'additive' : 'multiplicative').seasonal;
    }
    // R keeps positions 2..m (1-based) and derives position 1 so the indices sum to 0 (A) or m (M).
    let free = seasonal.slice(1, m);
    if (spec.season === 'A') {
      ySa = y.map((v, i) => v - seasonal[i % m]!);
    } else {
      free = free.map((v) => Math.max(v, 1e-2));
      const tot = free.reduce((a, b) => a + b, 0);
      if (tot > m) free = free.map((v) => v / (tot + 1e-2));
      ySa = y.map((v, i) => v / Math.max(seasonal[i % m]!, 1e-2));
    }
    const sFree = free.reduce((a, b) => a + b, 0);
    s0 = [spec.season === 'A' ? -sFree : m - sFree, ...free];
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  let l0: number;
  let b0 = 0;
  if (spec.trend === 'N') {
    l0 = ySa.slice(0, maxn).reduce((a, b) => a + b, 0) / maxn;
  } else {
    const xs = Array.from({ length: maxn }, (_, i) => i + 1);
    [l0, b0] = ols(xs, ySa.slice(0, maxn));
    if (Math.abs(l0 + b0) < 1e-8) {
      l0 *= 1 + 1e-3;
      b0 *= 1 + 1e-3;
    }
  }
  return { l0, b0, s0 };
}

function checkParams(alpha: number, beta: number, gamma: number, phi: number, trendOn: boolean, seasonOn: boolean, m: number): boolean {
  if (alpha < LOWER[0]! || alpha > UPPER[0]!) return false;
  if (trendOn && (beta < LOWER[1]! || beta > alpha || beta > UPPER[1]!)) return false;
  if (phi < LOWER[3]! && phi !== 1) return false;
  if (phi > UPPER[3]! && phi !== 1) return false;
  if (seasonOn && (gamma < LOWER[2]! || gamma > 1 - alpha || gamma > UPPER[2]!)) return false;
  return admissible(alpha, trendOn ? beta : null, seasonOn ? gamma : null, phi, m);
}

/** Season length of a fit: 1 without a season, else opts.m, 2 ≤ m ≤ MAX_ETS_PERIOD. */
function etsPeriod(spec: EtsSpec, opts: EtsFitOptions): number {
  const m = spec.season === 'N' ? 1 : (opts.m ?? 1);
  if (spec.season !== 'N' && m < 2) throw new RangeError(`seasonal ETS needs period ≥ 2, got ${m}`);
  if (spec.season !== 'N' && m > MAX_ETS_PERIOD) {
    throw new RangeError(`seasonal ETS supports period ≤ ${MAX_ETS_PERIOD} (one state per season position), got ${m}`);
  }
  return m;
}

type WeightName = 'alpha' | 'beta' | 'gamma' | 'phi';

/**
 * Start weights: fixed, else the warm start, else R's initparam(): α = l + 0.2·(u − l) ÷ m,
 * β = l + 0.1·(min(u, α) − l), γ = l + 0.05·(min(u, 1 − α) − l), φ = l + 0.99·(u − l), with the
 * bounds l, u of each weight (LOWER, UPPER) and m the season length given.
 */
export function etsStartWeights(spec: EtsSpec, opts: EtsFitOptions, mR: number): EtsParams {
  const fixed = opts.fixed ?? {};
  const st = opts.start;
  const trendOn = spec.trend !== 'N';
  const seasonOn = spec.season !== 'N';
  const damped = spec.trend === 'Ad';
  const alpha = fixed.alpha ?? st?.params.alpha ?? LOWER[0]! + (0.2 * (UPPER[0]! - LOWER[0]!)) / mR;
  const beta =
    fixed.beta ??
    (trendOn && st ? st.params.beta : undefined) ??
    (trendOn ? LOWER[1]! + 0.1 * (Math.min(UPPER[1]!, alpha) - LOWER[1]!) : 0);
  const gamma =
    fixed.gamma ??
    (seasonOn && st ? st.params.gamma : undefined) ??
    (seasonOn ? LOWER[2]! + 0.05 * (Math.min(UPPER[2]!, 1 - alpha) - LOWER[2]!) : 0);
  const phi = fixed.phi ?? (damped && st ? st.params.phi : undefined) ?? (damped ? LOWER[3]! + 0.99 * (UPPER[3]! - LOWER[3]!) : 1);
  return { alpha, beta, gamma, phi };
}

/** Weights the likelihood estimates (not fixed), in the parameter vector's order α, β, γ, φ. */
function freeWeights(spec: EtsSpec, fixed: Partial<EtsParams>): WeightName[] {
  const freeW: WeightName[] = [];
  if (fixed.alpha === undefined) freeW.push('alpha');
  if (spec.trend !== 'N' && fixed.beta === undefined) freeW.push('beta');
  if (spec.season !== 'N' && fixed.gamma === undefined) freeW.push('gamma');
  if (spec.trend === 'Ad' && fixed.phi === undefined) freeW.push('phi');
  return freeW;
}

/**
 * Scale of the data for the simplex steps: the sample standard deviation √(Σ(y − ȳ)² ÷ (c − 1)) of
 * the finite values, else 10 % of |ȳ|, else 1.
 */
export function dataScale(y: readonly number[]): number {
  let mu = 0;
  let c = 0;
  for (const v of y) {
    if (!Number.isFinite(v)) continue;
    mu += v;
    c++;
  }
  mu /= Math.max(c, 1);
  let ss = 0;
  for (const v of y) if (Number.isFinite(v)) ss += (v - mu) * (v - mu);
  return Math.sqrt(ss / Math.max(c - 1, 1)) || Math.abs(mu) * 0.1 || 1;
}

/**
 * Initial simplex steps: α 0.1, β 0.01, γ 0.05, φ −0.02 (down from near its upper bound), level
 * 0.1·scale, trend 0.01·scale, seasonal states 0.1·scale (additive) or 0.05 (multiplicative).
 */
function simplexSteps(
  freeW: readonly WeightName[],
  ySd: number,
  trendOn: boolean,
  seasonalStates: number,
  seasonCode: 0 | 1 | 2,
): number[] {
  const steps: number[] = [];
  for (const w of freeW) steps.push(w === 'alpha' ? 0.1 : w === 'beta' ? 0.01 : w === 'gamma' ? 0.05 : -0.02);
  steps.push(0.1 * ySd);
  if (trendOn) steps.push(0.01 * ySd);
  for (let j = 0; j < seasonalStates; j++) steps.push(seasonCode === 1 ? 0.1 * ySd : 0.05);
  return steps;
}

/**
 * Information criteria from lik = −2·log-likelihood (up to a constant, as R's ets) with k = nEst + 1
 * parameters (σ² included): AIC = lik + 2k, AICc = AIC + 2k(k + 1) ÷ (n − k − 1) (∞ when n ≤ k + 1),
 * BIC = lik + k·ln n; σ² = SSE ÷ max(n − nEst, 1).
 */
export function etsCriteria(
  lik: number,
  nEst: number,
  nObs: number,
  sse: number,
): { aic: number; aicc: number; bic: number; sigma2: number } {
  const k = nEst + 1;
  const aic = lik + 2 * k;
  const aicc = nObs - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (nObs - k - 1) : Infinity;
  return { aic, aicc, bic: lik + Math.log(nObs) * k, sigma2: sse / Math.max(nObs - nEst, 1) };
}

/** Fit one ETS model by maximum likelihood (Nelder–Mead on the free weights and initial states). */
export function fitEts(yIn: readonly number[], spec: EtsSpec, opts: EtsFitOptions = {}): EtsFit | null {
  const m = etsPeriod(spec, opts);
  const y = Float64Array.from(yIn);
  const n = y.length;
  const cens = opts.censored ? Uint8Array.from(opts.censored, (c) => (c ? 1 : 0)) : null;
  const errM = spec.error === 'M';
  const trendOn = spec.trend !== 'N';
  const seasonCode: 0 | 1 | 2 = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const seasonOn = seasonCode !== 0;
  // Multiplicative parts need positive data; censored values are replaced by max(sales, ŷ) > 0.
  if ((errM || seasonCode === 2) && yIn.some((v, i) => Number.isFinite(v) && v <= 0 && !opts.censored?.[i])) return null;
  const st = opts.start;
  // Censored values are lower bounds: the start heuristic treats them as missing.
  const yStart = opts.censored ? yIn.map((v, i) => (opts.censored![i] ? NaN : v)) : yIn;
  const init = st && (!seasonOn0(spec) || st.s0.length === m) ? { l0: st.l0, b0: st.b0, s0: [...st.s0] } : initialStates(yStart, spec, m);
  let { alpha, beta, gamma, phi } = etsStartWeights(spec, opts, opts.m ?? m);

  // Parameter vector layout: free weights, then l0, b0, seasonal positions 1..m-1.
  const freeW = freeWeights(spec, opts.fixed ?? {});
  const nw = freeW.length;
  const x0: number[] = [];
  for (const w of freeW) x0.push(w === 'alpha' ? alpha : w === 'beta' ? beta : w === 'gamma' ? gamma : phi);
  x0.push(init.l0);
  if (trendOn) x0.push(init.b0);
  const optSeas = seasonOn && (opts.optimizeSeasonalStates ?? true);
  if (optSeas) for (let j = 1; j < m; j++) x0.push(init.s0[j]!);
  const steps = simplexSteps(freeW, dataScale(yStart), trendOn, optSeas ? m - 1 : 0, seasonCode);

  const s = new Float64Array(m);
  const unpack = (x: ArrayLike<number>): boolean => {
    let k = 0;
    for (const w of freeW) {
      const v = x[k++]!;
      if (w === 'alpha') alpha = v;
      else if (w === 'beta') beta = v;
      else if (w === 'gamma') gamma = v;
      else phi = v;
    }
    if (optSeas) {
      let sum = 0;
      for (let j = 1; j < m; j++) {
        const v = x[nw + 1 + (trendOn ? 1 : 0) + j - 1]!;
        s[j] = v;
        sum += v;
      }
      s[0] = seasonCode === 1 ? -sum : m - sum;
      if (seasonCode === 2) for (let j = 0; j < m; j++) if (s[j]! < 0) return false;
    } else if (seasonOn) {
      for (let j = 0; j < m; j++) s[j] = init.s0[j]!;
    }
    return true;
  };
  const objective = (x: ArrayLike<number>): number => {
    if (!unpack(x)) return Infinity;
    if (!checkParams(alpha, beta, gamma, phi, trendOn, seasonOn, m)) return Infinity;
    const l0 = x[nw]!;
    const b0 = trendOn ? x[nw + 1]! : 0;
    const v = run(y, cens, errM, trendOn, seasonCode, m, alpha, beta, gamma, phi, l0, b0, s, null);
    return Number.isNaN(v) ? Infinity : v;
  };
  if (!Number.isFinite(objective(x0))) {
    // The heuristic start can be infeasible (e.g. a multiplicative seasonal index < 0): give up on
    // this model rather than search blindly, as R does.
    return null;
  }
  const res = nelderMead(objective, x0, { steps, maxIter: opts.maxIter ?? 2000, relTol: 1e-8 });
  if (!Number.isFinite(res.value)) return null;
  unpack(res.x);
  const l0 = res.x[nw]!;
  const b0 = trendOn ? res.x[nw + 1]! : 0;
  const s0 = Array.from(s);
  const out = { e: [] as number[], f: [] as number[], l: 0, b: 0, nObs: 0, sse: 0 };
  const sWork = Float64Array.from(s0);
  const lik = run(y, cens, errM, trendOn, seasonCode, m, alpha, beta, gamma, phi, l0, b0, sWork, out);
  // Heuristic seasonal states are still estimated from the data: count them as R would.
  const nEst = res.x.length + (seasonOn && !optSeas ? m - 1 : 0);
  const nObs = out.nObs;
  return {
    spec,
    name: etsName(spec),
    m,
    params: { alpha, beta: trendOn ? beta : 0, gamma: seasonOn ? gamma : 0, phi: trendOn ? phi : 1 },
    l0,
    b0,
    s0,
    lik,
    loglik: -0.5 * lik,
    ...etsCriteria(lik, nEst, nObs, out.sse),
    exactFit: lik <= -LIK_CAP,
    nObs,
    nParams: nEst,
    final: { l: out.l, b: out.b, s: sWork, pos: n % m },
    residuals: out.e,
    fitted: out.f,
    evaluations: res.evaluations,
  };
}

/**
 * Evaluate a fully specified ETS model on y (no estimation): likelihood, residuals and final
 * state. `s0` holds the initial seasonal index per cycle position (position 0 = first observation).
 */
export function etsEvaluate(
  y: readonly number[],
  spec: EtsSpec,
  m: number,
  params: EtsParams,
  l0: number,
  b0: number,
  s0: readonly number[],
  censored?: readonly boolean[],
): { lik: number; loglik: number; residuals: number[]; fitted: number[]; final: EtsFit['final'] } {
  const mm = spec.season === 'N' ? 1 : m;
  const s = spec.season === 'N' ? new Float64Array(1) : Float64Array.from(s0);
  if (spec.season !== 'N' && s0.length !== mm) throw new RangeError(`s0 must have ${mm} entries, got ${s0.length}`);
  const out = { e: [] as number[], f: [] as number[], l: 0, b: 0, nObs: 0, sse: 0 };
  const cens = censored ? Uint8Array.from(censored, (c) => (c ? 1 : 0)) : null;
  const seasonCode: 0 | 1 | 2 = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const lik = run(
    Float64Array.from(y),
    cens,
    spec.error === 'M',
    spec.trend !== 'N',
    seasonCode,
    mm,
    params.alpha,
    params.beta,
    params.gamma,
    spec.trend === 'Ad' ? params.phi : 1,
    l0,
    b0,
    s,
    out,
  );
  return { lik, loglik: -0.5 * lik, residuals: out.e, fitted: out.f, final: { l: out.l, b: out.b, s, pos: y.length % mm } };
}

/** Point forecasts from the final state (the recursion without future errors, as R reports). */
export function etsPointForecast(fit: EtsFit, h: number): number[] {
  const { l, b, s, pos } = fit.final;
  const { phi } = fit.params;
  const trendOn = fit.spec.trend !== 'N';
  const out: number[] = [];
  let phiStar = phi;
  for (let i = 0; i < h; i++) {
    let f = trendOn ? l + phiStar * b : l;
    if (fit.spec.season === 'A') f += s[(pos + i) % fit.m]!;
    else if (fit.spec.season === 'M') f *= s[(pos + i) % fit.m]!;
    out.push(f);
    phiStar += Math.pow(phi, i + 2);
  }
  return out;
}

export interface EtsInterval {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  method: string;
}

/** c_j of Hyndman et al. (2008, ch. 6): weight of the error j steps back in the h-step error. */
function cj(fit: EtsFit, j: number): number {
  const { alpha, beta, gamma, phi } = fit.params;
  let c = alpha;
  if (fit.spec.trend !== 'N') {
    let phiJ = 0;
    let p = 1;
    for (let i = 1; i <= j; i++) {
      p *= phi;
      phiJ += p;
    }
    c += beta * phiJ;
  }
  if (fit.spec.season !== 'N' && j % fit.m === 0) c += gamma;
  return c;
}

/**
 * Prediction intervals at 80 % and 95 %. Class 1 (additive error, linear) and class 2
 * (multiplicative error, no multiplicative season) use the analytic variances of Hyndman et al.
 * (2008, §6.3–6.4); class 3 (multiplicative season) is simulated with a seeded RNG.
 */
export function etsForecast(fit: EtsFit, h: number, seed = 42, nsim = 1000): EtsInterval {
  const mean = etsPointForecast(fit, h);
  const z80 = PhiInv(0.9);
  const z95 = PhiInv(0.975);
  const sig2 = fit.sigma2;
  if (fit.spec.season !== 'M') {
    const v: number[] = [];
    const c2: number[] = [];
    for (let j = 1; j < h; j++) c2.push(cj(fit, j) ** 2);
    if (fit.spec.error === 'A') {
      let acc = 0;
      for (let i = 0; i < h; i++) {
        if (i > 0) acc += c2[i - 1]!;
        v.push(sig2 * (1 + acc));
      }
    } else {
      const theta: number[] = [];
      for (let i = 0; i < h; i++) {
        let th = mean[i]! * mean[i]!;
        for (let j = 1; j <= i; j++) th += sig2 * c2[j - 1]! * theta[i - j]!;
        theta.push(th);
        v.push((1 + sig2) * th - mean[i]! * mean[i]!);
      }
    }
    const sd = v.map((x) => Math.sqrt(Math.max(x, 0)));
    return {
      mean,
      lower80: mean.map((mu, i) => mu - z80 * sd[i]!),
      upper80: mean.map((mu, i) => mu + z80 * sd[i]!),
      lower95: mean.map((mu, i) => mu - z95 * sd[i]!),
      upper95: mean.map((mu, i) => mu + z95 * sd[i]!),
      method: fit.spec.error === 'A' ? 'analytic (class 1, Gaussian)' : 'analytic (class 2 variance, Gaussian)',
    };
  }
  const sims = simulateEts(fit, h, nsim, seed);
  const lower80: number[] = [];
  const upper80: number[] = [];
  const lower95: number[] = [];
  const upper95: number[] = [];
  const col = new Float64Array(nsim);
  const q = (p: number): number => {
    const pos = p * (nsim - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, nsim - 1);
    return col[lo]! + (pos - lo) * (col[hi]! - col[lo]!);
  };
  for (let i = 0; i < h; i++) {
    for (let k = 0; k < nsim; k++) col[k] = sims[k * h + i]!;
    col.sort();
    lower80.push(q(0.1));
    upper80.push(q(0.9));
    lower95.push(q(0.025));
    upper95.push(q(0.975));
  }
  return { mean, lower80, upper80, lower95, upper95, method: `simulated (${nsim} seeded sample paths, class 3)` };
}

/** Future sample paths with Gaussian innovations of variance σ², row-major [path][step]. */
function simulateEts(fit: EtsFit, h: number, nsim: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const sd = Math.sqrt(fit.sigma2);
  const { alpha, beta, gamma, phi } = fit.params;
  const trendOn = fit.spec.trend !== 'N';
  const season = fit.spec.season;
  const errA = fit.spec.error === 'A';
  const m = fit.m;
  const out = new Float64Array(nsim * h);
  const s = new Float64Array(m);
  for (let k = 0; k < nsim; k++) {
    let l = fit.final.l;
    let b = fit.final.b;
    s.set(fit.final.s);
    let pos = fit.final.pos;
    for (let i = 0; i < h; i++) {
      const phib = trendOn ? phi * b : 0;
      const q = l + phib;
      const so = season === 'N' ? 0 : s[pos]!;
      const f = season === 'N' ? q : season === 'A' ? q + so : q * so;
      const eps = rng.normal() * sd;
      const yt = errA ? f + eps : f * (1 + eps);
      out[k * h + i] = yt;
      const p = season === 'N' ? yt : season === 'A' ? yt - so : yt / so;
      const lNew = q + alpha * (p - q);
      if (trendOn) b = phib + (beta / alpha) * (lNew - l - phib);
      if (season !== 'N') {
        const tt = season === 'A' ? yt - q : yt / q;
        s[pos] = so + gamma * (tt - so);
        pos = (pos + 1) % m;
      }
      l = lNew;
    }
  }
  return out;
}

export interface AutoEtsResult {
  best: EtsFit;
  /** `exactFit`: the candidate reproduces the history exactly, its AICc is the cap (see EtsFit). */
  candidates: { name: string; aicc: number; refined: boolean; exactFit: boolean }[];
}

export interface AutoEtsOptions {
  m: number;
  censored?: readonly boolean[];
  models?: EtsSpec[];
  maxIter?: number;
  /**
   * How many of the best seasonal models (by AICc after the fast pass) get their initial
   * seasonal indices estimated by likelihood as well. R estimates them for every model; doing it
   * only for the front-runners keeps the search ~5× cheaper at nearly the same accuracy (see
   * bench/m3.ts). Infinity = R's behaviour.
   */
  refineTop?: number;
  /** Evaluation budget for the refinement pass (Nelder–Mead in up to 17 dimensions). */
  refineMaxIter?: number;
}

/**
 * Fit the standard model set and keep the lowest AICc (R's ets(y) with ic = "aicc").
 * Pass 1 fits every model with the smoothing weights, ℓ₀ and b₀ free and the seasonal indices at
 * the decomposition heuristic; pass 2 re-fits the `refineTop` best seasonal models with all
 * initial states free (warm-started from pass 1). Every candidate's AICc counts the m − 1
 * seasonal states, so pass-1 and pass-2 values are comparable.
 */
export function autoEts(y: readonly number[], opts: AutoEtsOptions): AutoEtsResult | null {
  const obs = y.filter((v, i) => Number.isFinite(v) && !opts.censored?.[i]);
  const positive = obs.length > 0 && obs.every((v) => v > 0);
  const seasonal = opts.m > 1 && opts.m <= MAX_ETS_PERIOD && obs.length > opts.m + 1;
  const models = opts.models ?? standardModelSet(seasonal, positive);
  const refineTop = opts.refineTop ?? 2;
  const fits: { fit: EtsFit; refined: boolean }[] = [];
  for (const spec of models) {
    const nPar = 1 + (spec.trend !== 'N' ? 2 : 0) + (spec.trend === 'Ad' ? 1 : 0) + (spec.season !== 'N' ? opts.m : 0) + 1;
    if (obs.length <= nPar + 4) continue; // R refuses models with too few degrees of freedom
    const full = refineTop === Infinity;
    const fit = fitEts(y, spec, {
      m: opts.m,
      censored: opts.censored,
      maxIter: full ? (opts.refineMaxIter ?? opts.maxIter) : opts.maxIter,
      optimizeSeasonalStates: full,
    });
    if (!fit || !Number.isFinite(fit.aicc)) continue;
    fits.push({ fit, refined: full || spec.season === 'N' });
  }
  if (refineTop !== Infinity && refineTop > 0) {
    const seasonalFits = fits.filter((f) => f.fit.spec.season !== 'N').sort((a, b) => a.fit.aicc - b.fit.aicc);
    for (const f of seasonalFits.slice(0, refineTop)) {
      const r = fitEts(y, f.fit.spec, {
        m: opts.m,
        censored: opts.censored,
        maxIter: opts.refineMaxIter ?? 1000,
        optimizeSeasonalStates: true,
        start: { params: f.fit.params, l0: f.fit.l0, b0: f.fit.b0, s0: f.fit.s0 },
      });
      if (r && r.aicc < f.fit.aicc) f.fit = r;
      f.refined = true;
    }
  }
  if (fits.length === 0) return null;
  let best = fits[0]!.fit;
  for (const f of fits) if (f.fit.aicc < best.aicc) best = f.fit;
  return { best, candidates: fits.map((f) => ({ name: f.fit.name, aicc: f.fit.aicc, refined: f.refined, exactFit: f.fit.exactFit })) };
}
