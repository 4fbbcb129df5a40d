/**
 * Seasonal ARIMA(p,d,q)(P,D,Q)[m] with an optional constant, fitted as R's stats::arima / forecast::Arima
 * do (Box & Jenkins 1976; Harvey 1989 state space; R Core, `?arima`; Hyndman & Athanasopoulos, FPP3 ch. 9):
 *
 *   φ(B) Φ(B^m) (w_t − c) = θ(B) Θ(B^m) ε_t,   w_t = (1 − B)^d (1 − B^m)^D y_t,   ε_t ~ N(0, σ²)
 *
 * The constant c is R's intercept when d + D = 0 and its drift (xreg = 1..n, differenced with the series)
 * when d + D = 1: R reports `intercept` = c, `drift` = c / (1 for d = 1, m for D = 1); none when d + D ≥ 2.
 * Estimation ("CSS-ML", R's default): conditional sum of squares first, then the exact Gaussian likelihood
 * of the differenced series by a Kalman filter (with a diffuse prior on the differencing states R's
 * likelihood equals the likelihood of w, so the filter runs on w). "CSS" stops after the first step.
 */
import { PhiInv } from '../stats/normal';
import { nelderMead, rootsInsideUnitCircle } from './optim';

export interface ArimaSpec {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Season length (1 = none: P, D, Q must be 0). */
  m: number;
  /** Intercept (d + D = 0) or drift (d + D = 1); ignored when d + D ≥ 2. */
  constant: boolean;
}

export type ArimaMethod = 'CSS-ML' | 'CSS';

export interface ArimaFit {
  spec: ArimaSpec;
  method: ArimaMethod;
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  /** R's intercept (d + D = 0) or drift per period (d + D = 1); 0 without a constant. */
  constant: number;
  /** forecast::Arima's σ² = Σ residuals² / (n* − npar + 1), n* = n − d − Dm, npar = #coefficients + 1. */
  sigma2: number;
  /** stats::arima's σ²: ML Σv²/F / n*; CSS Σe² / (number of residuals). */
  sigma2Raw: number;
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Observations after differencing (R's n.used; the nstar of forecast's AICc). */
  nUsed: number;
  /** Estimated coefficients (ARMA + constant), without σ². */
  nCoef: number;
  /** Innovations of the differenced series: ML v_t/√F_t (R's residuals), CSS e_t (0 while conditioning). */
  residuals: number[];
  /** Smallest modulus of the AR and MA polynomial roots is below 1.01 (auto.arima rejects such fits). */
  nearUnitRoot: boolean;
  /** Kalman state after the last observation (ML) or the CSS recursion's last values, for forecasting. */
  state: ForecastState;
}

/** What forecasting needs: the series, its differenced mean c and the expanded polynomials. */
interface ForecastState {
  y: number[];
  c: number;
  phi: number[];
  theta: number[];
  /** ML: one-step predicted ARMA state at n (Harvey form), length max(#φ, #θ + 1); CSS: null. */
  a: number[] | null;
  /** CSS: z = w − c and its residuals, for the recursive forecast. */
  z: number[];
  e: number[];
}

export interface ArimaForecast {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  /** Forecast standard errors σ·√(Σ_{j<h} ψ_j²). */
  se: number[];
}

/**
 * Step "differencing polynomial": the coefficients δ_0..δ_{d+Dm} of (1 − B)^d (1 − B^m)^D, so that
 * w_t = Σ_k δ_k y_{t−k} (δ_0 = 1).
 */
export function differencingPolynomial(d: number, D: number, m: number): number[] {
  let poly = [1];
  const times = (f: number[]): void => {
    const out = new Array<number>(poly.length + f.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++) for (let j = 0; j < f.length; j++) out[i + j] += poly[i]! * f[j]!;
    poly = out;
  };
  for (let i = 0; i < d; i++) times([1, -1]);
  const seasonal = new Array<number>(m + 1).fill(0);
  seasonal[0] = 1;
  seasonal[m] = -1;
  for (let i = 0; i < D; i++) times(seasonal);
  return poly;
}

/** w_t = Σ_k δ_k y_{t−k} for t ≥ d + Dm (R's diff(diff(y, lag = m, differences = D), differences = d)). */
export function difference(y: readonly number[], d: number, D: number, m: number): number[] {
  const delta = differencingPolynomial(d, D, m);
  const k = delta.length - 1;
  const w: number[] = [];
  for (let t = k; t < y.length; t++) {
    let s = 0;
    for (let j = 0; j <= k; j++) s += delta[j]! * y[t - j]!;
    w.push(s);
  }
  return w;
}

/**
 * Step "expand the seasonal polynomials" (R's ARIMA_transPars, untransformed):
 * 1 − Σφ*_k B^k = (1 − Σφ_i B^i)(1 − ΣΦ_j B^{jm}),  1 + Σθ*_k B^k = (1 + Σθ_i B^i)(1 + ΣΘ_j B^{jm}).
 */
export function expandPolynomials(ar: readonly number[], sar: readonly number[], ma: readonly number[], sma: readonly number[], m: number) {
  const phi = new Array<number>(ar.length + sar.length * m).fill(0);
  const theta = new Array<number>(ma.length + sma.length * m).fill(0);
  for (let i = 0; i < ar.length; i++) phi[i] = ar[i]!;
  for (let i = 0; i < ma.length; i++) theta[i] = ma[i]!;
  for (let j = 0; j < sar.length; j++) {
    phi[(j + 1) * m - 1]! += sar[j]!;
    for (let i = 0; i < ar.length; i++) phi[(j + 1) * m + i]! -= sar[j]! * ar[i]!;
  }
  for (let j = 0; j < sma.length; j++) {
    theta[(j + 1) * m - 1]! += sma[j]!;
    for (let i = 0; i < ma.length; i++) theta[(j + 1) * m + i]! += sma[j]! * ma[i]!;
  }
  return { phi, theta };
}

/**
 * Step "stationary reparametrisation" (R's partrans, Jones 1980): u ∈ ℝ^p → partial autocorrelations
 * tanh(u) ∈ (−1, 1) → AR coefficients by the Durbin–Levinson recursion, so every u gives a stationary AR
 * polynomial. Applied to MA parts with a sign flip it keeps them invertible.
 */
export function partrans(raw: readonly number[]): number[] {
  const p = raw.length;
  const out = raw.map((v) => Math.tanh(v));
  const work = [...out];
  for (let j = 1; j < p; j++) {
    const a = out[j]!;
    for (let k = 0; k < j; k++) work[k] = work[k]! - a * out[j - k - 1]!;
    for (let k = 0; k < j; k++) out[k] = work[k]!;
  }
  return out;
}

/** Inverse of partrans (R's invpartrans): Durbin–Levinson backwards, then atanh. Needs a stationary φ. */
export function invpartrans(phi: readonly number[]): number[] {
  const p = phi.length;
  const out = [...phi];
  const work = [...phi];
  for (let j = p - 1; j > 0; j--) {
    const a = out[j]!;
    for (let k = 0; k < j; k++) work[k] = (out[k]! + a * out[j - k - 1]!) / (1 - a * a);
    for (let k = 0; k < j; k++) out[k] = work[k]!;
  }
  return out.map((v) => Math.atanh(Math.max(-0.999999, Math.min(0.999999, v))));
}

/**
 * Smallest modulus of the roots of 1 − Σ c_i z^i (sign = −1, AR) or 1 + Σ c_i z^i (sign = +1, MA) is at
 * least `bound`: the roots of the reversed polynomial lie inside radius 1/bound (Schur–Cohn, optim.ts).
 */
export function rootsOutside(c: readonly number[], sign: 1 | -1, bound = 1): boolean {
  let k = c.length;
  while (k > 0 && c[k - 1] === 0) k--;
  if (k === 0) return true;
  const rev = new Array<number>(k + 1);
  rev[k] = 1;
  for (let i = 0; i < k; i++) rev[k - 1 - i] = sign * c[i]!;
  return rootsInsideUnitCircle(rev, 1 / bound);
}

/**
 * Step "conditional sum of squares" (R's ARIMA_CSS): e_t = z_t − Σφ*_k z_{t−k} − Σθ*_k e_{t−k} for
 * t ≥ ncond = #φ*, with e = 0 before; z = w − c. Returns Σe² and the count of residuals.
 */
export function cssResiduals(
  z: readonly number[],
  phi: readonly number[],
  theta: readonly number[],
  resid?: number[],
): { ssq: number; nu: number } {
  const n = z.length;
  const ncond = phi.length;
  const pi: number[] = [];
  const pc: number[] = [];
  const qi: number[] = [];
  const qc: number[] = [];
  phi.forEach((v, i) => v !== 0 && (pi.push(i + 1), pc.push(v)));
  theta.forEach((v, i) => v !== 0 && (qi.push(i + 1), qc.push(v)));
  const e = resid ?? new Array<number>(n);
  let ssq = 0;
  for (let t = 0; t < n; t++) {
    if (t < ncond) {
      e[t] = 0;
      continue;
    }
    let v = z[t]!;
    for (let j = 0; j < pi.length; j++) v -= pc[j]! * z[t - pi[j]!]!;
    for (let j = 0; j < qi.length; j++) if (t - qi[j]! >= ncond) v -= qc[j]! * e[t - qi[j]!]!;
    e[t] = v;
    ssq += v * v;
  }
  return { ssq, nu: n - ncond };
}

/**
 * Step "stationary state covariance" Q0: the solution of P = T P Tᵀ + R Rᵀ for the Harvey-form ARMA state
 * (T companion with φ* in its first column, R = (1, θ*_1, …)), by Smith's doubling:
 * P ← P + A P Aᵀ, A ← A² (P after k steps sums 2^k terms of the series Σ T^j R Rᵀ T^jᵀ).
 * Replaces R's Gardner et al. (1980) algorithm; both give the unique solution for a stationary φ*.
 */
export function stationaryCovariance(phi: readonly number[], theta: readonly number[]): Float64Array {
  const r = Math.max(phi.length, theta.length + 1);
  const A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    A[i * r] = phi[i] ?? 0;
    if (i + 1 < r) A[i * r + i + 1] = 1;
  }
  const R = new Float64Array(r);
  R[0] = 1;
  for (let i = 1; i < r; i++) R[i] = theta[i - 1] ?? 0;
  const P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = R[i]! * R[j]!;
  let Acur: Float64Array = A;
  const tmp = new Float64Array(r * r);
  for (let it = 0; it < 64; it++) {
    matMul(Acur, P, tmp, r, false);
    const add = new Float64Array(r * r);
    matMul(tmp, Acur, add, r, true);
    let maxAdd = 0;
    let maxP = 0;
    for (let k = 0; k < r * r; k++) {
      P[k] = P[k]! + add[k]!;
      maxAdd = Math.max(maxAdd, Math.abs(add[k]!));
      maxP = Math.max(maxP, Math.abs(P[k]!));
    }
    if (maxAdd <= 1e-15 * maxP) break;
    const sq = new Float64Array(r * r);
    matMul(Acur, Acur, sq, r, false);
    Acur = sq;
  }
  return P;
}

/** out = X·Y (transposeY = false) or X·Yᵀ (true), r × r row-major. */
function matMul(X: Float64Array, Y: Float64Array, out: Float64Array, r: number, transposeY: boolean): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += X[i * r + k]! * (transposeY ? Y[j * r + k]! : Y[k * r + j]!);
      out[i * r + j] = s;
    }
  }
}

export interface KalmanResult {
  ssq: number;
  sumlog: number;
  nu: number;
  /** Standardised innovations v_t/√F_t. */
  resid: number[];
  /** Predicted state for t = n. */
  a: number[];
}

/**
 * Step "exact likelihood" (R's ARIMA_Like on a stationary model; Harvey 1989 §3.4): Kalman filter with
 * a_1 = 0, P_1 = Q0; innovation v_t = z_t − a_t[0], F_t = P_t[0,0]; Σ v²/F and Σ log F give
 * −2 log L = ν log(2π σ²) + Σ log F + Σ v²/(σ² F), σ̂² = Σ v²/F / ν. Once P_t has converged (max change
 * ≤ 1e-12) the steady-state gain is reused, which changes no figure beyond 1e-10 and makes long series cheap.
 */
export function kalmanArma(z: readonly number[], phi: readonly number[], theta: readonly number[]): KalmanResult {
  const r = Math.max(phi.length, theta.length + 1);
  const T0 = new Float64Array(r);
  for (let i = 0; i < phi.length; i++) T0[i] = phi[i]!;
  const R = new Float64Array(r);
  R[0] = 1;
  for (let i = 1; i < r; i++) R[i] = theta[i - 1] ?? 0;
  let P: Float64Array = stationaryCovariance(phi, theta);
  let Pn: Float64Array = new Float64Array(r * r);
  const M = new Float64Array(r * r);
  let a = new Float64Array(r);
  let an = new Float64Array(r);
  const resid: number[] = [];
  let ssq = 0;
  let sumlog = 0;
  let steady = false;
  for (let t = 0; t < z.length; t++) {
    const F = P[0]!;
    const v = z[t]! - a[0]!;
    ssq += (v * v) / F;
    sumlog += Math.log(F);
    resid.push(v / Math.sqrt(F));
    // Filtered state a + P[:,0] v / F, then predicted: (T a)_i = φ_i a_0 + a_{i+1}.
    const f0 = a[0]! + (P[0]! * v) / F;
    for (let i = 0; i < r; i++) {
      const next = i + 1 < r ? a[i + 1]! + (P[i + 1]! * v) / F : 0;
      an[i] = T0[i]! * f0 + next;
    }
    [a, an] = [an, a];
    if (steady) continue;
    steady = predictCovariance(P, Pn, M, T0, R, r);
    [P, Pn] = [Pn, P];
  }
  return { ssq, sumlog, nu: z.length, resid, a: Array.from(a) };
}

/**
 * Covariance step: filtered C = P − P[:,0]P[0,:]/F, predicted Pn = T C Tᵀ + R Rᵀ with the companion T
 * ((T X)_ij = φ_i X_0j + X_{i+1,j}). Returns true when Pn equals P within 1e-12 (steady state).
 */
function predictCovariance(P: Float64Array, Pn: Float64Array, M: Float64Array, T0: Float64Array, R: Float64Array, r: number): boolean {
  const F = P[0]!;
  // M = T C
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const c0j = P[j]! - (P[0]! * P[j]!) / F;
      const cij = i + 1 < r ? P[(i + 1) * r + j]! - (P[(i + 1) * r]! * P[j]!) / F : 0;
      M[i * r + j] = T0[i]! * c0j + cij;
    }
  }
  // Pn = M Tᵀ + R Rᵀ: (M Tᵀ)_ij = M_i0 φ_j + M_{i,j+1}
  let diff = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const v = M[i * r]! * T0[j]! + (j + 1 < r ? M[i * r + j + 1]! : 0) + R[i]! * R[j]!;
      Pn[i * r + j] = v;
      diff = Math.max(diff, Math.abs(v - P[i * r + j]!));
    }
  }
  return diff <= 1e-12;
}

/** Layout of the optimiser's vector: ar(p), ma(q), sar(P), sma(Q), then c when the model has one. */
interface Layout {
  spec: ArimaSpec;
  hasConst: boolean;
  /** Multiplier k of the constant on the differenced scale: mean of w = k · (intercept or drift). */
  k: number;
  n: number;
}

function layoutOf(spec: ArimaSpec): Layout {
  const diffs = spec.d + spec.D;
  const hasConst = spec.constant && diffs <= 1;
  return { spec, hasConst, k: spec.D === 1 && spec.d === 0 ? spec.m : 1, n: spec.p + spec.q + spec.P + spec.Q + (hasConst ? 1 : 0) };
}

/** Splits x into the four polynomials and c; `trans` maps AR and MA blocks through partrans. */
function unpack(x: ArrayLike<number>, L: Layout, trans: boolean) {
  const { p, q, P, Q } = L.spec;
  let o = 0;
  const take = (len: number, sign: 1 | -1): number[] => {
    const raw = Array.from({ length: len }, (_, i) => x[o + i]!);
    o += len;
    return trans ? partrans(raw).map((v) => sign * v) : raw;
  };
  const ar = take(p, 1);
  const ma = take(q, -1);
  const sar = take(P, 1);
  const sma = take(Q, -1);
  const c = L.hasConst ? x[o]! : 0;
  return { ar, ma, sar, sma, c };
}

/** Starting vector on the transformed scale for given coefficients (inverse of unpack with trans). */
function packTransformed(ar: number[], ma: number[], sar: number[], sma: number[], c: number, L: Layout): number[] {
  const inv = (v: number[], sign: 1 | -1): number[] => invpartrans(v.map((x) => sign * x));
  return [...inv(ar, 1), ...inv(ma, -1), ...inv(sar, 1), ...inv(sma, -1), ...(L.hasConst ? [c] : [])];
}

/** Lags with a possibly non-zero coefficient in (1 − Σφ_i B^i)(1 − ΣΦ_j B^{jm}): i, jm and jm + i. */
function structuralLags(p: number, P: number, m: number): Int32Array {
  const lags = new Set<number>();
  for (let i = 1; i <= p; i++) lags.add(i);
  for (let j = 1; j <= P; j++) for (let i = 0; i <= p; i++) lags.add(j * m + i);
  return Int32Array.from([...lags].sort((a, b) => a - b));
}

/**
 * The CSS objective ½ log(Σe²/ν) of one order as a closure over preallocated buffers (it runs thousands of
 * times per search): coefficients expanded in place, residual recursion over the structural lags only.
 */
function cssObjective(w: readonly number[], L: Layout, minCond = 0): (x: ArrayLike<number>) => number {
  const { p, q, P, Q, m } = L.spec;
  const n = w.length;
  const arLags = structuralLags(p, P, m);
  const maLags = structuralLags(q, Q, m);
  const phi = new Float64Array(p + P * m + 1);
  const theta = new Float64Array(q + Q * m + 1);
  const pc = new Float64Array(arLags.length);
  const qc = new Float64Array(maLags.length);
  const z = new Float64Array(n);
  const e = new Float64Array(n);
  const ncond = Math.max(p + P * m, minCond);
  return (x) => {
    expandInto(x, L, phi, theta);
    for (let k = 0; k < arLags.length; k++) pc[k] = phi[arLags[k]!]!;
    for (let k = 0; k < maLags.length; k++) qc[k] = theta[maLags[k]!]!;
    const c = L.hasConst ? x[L.n - 1]! : 0;
    for (let t = 0; t < n; t++) z[t] = w[t]! - c;
    let ssq = 0;
    for (let t = ncond; t < n; t++) {
      let v = z[t]!;
      for (let k = 0; k < arLags.length; k++) v -= pc[k]! * z[t - arLags[k]!]!;
      for (let k = 0; k < maLags.length; k++) {
        const j = t - maLags[k]!;
        if (j >= ncond) v -= qc[k]! * e[j]!;
      }
      e[t] = v;
      ssq += v * v;
    }
    const nu = n - ncond;
    return nu > 0 && ssq > 0 ? 0.5 * Math.log(ssq / nu) : Infinity;
  };
}

/** φ*_k at index k (1-based lag) and θ*_k likewise, from the untransformed vector x (expandPolynomials in place). */
function expandInto(x: ArrayLike<number>, L: Layout, phi: Float64Array, theta: Float64Array): void {
  const { p, q, P, Q, m } = L.spec;
  phi.fill(0);
  theta.fill(0);
  for (let i = 1; i <= p; i++) phi[i] = x[i - 1]!;
  for (let i = 1; i <= q; i++) theta[i] = x[p + i - 1]!;
  for (let j = 1; j <= P; j++) {
    const s = x[p + q + j - 1]!;
    phi[j * m] = phi[j * m]! + s;
    for (let i = 1; i <= p; i++) phi[j * m + i] = phi[j * m + i]! - s * x[i - 1]!;
  }
  for (let j = 1; j <= Q; j++) {
    const s = x[p + q + P + j - 1]!;
    theta[j * m] = theta[j * m]! + s;
    for (let i = 1; i <= q; i++) theta[j * m + i] = theta[j * m + i]! + s * x[p + i - 1]!;
  }
}

/** Step "CSS estimate": minimise ½ log(Σe²/ν) over the coefficients from 0 and the mean of w (no transformation, as R). */
function cssFit(
  w: readonly number[],
  L: Layout,
  o: { maxIter: number; relTol: number; stages: number; minCond: number; fixMean: boolean },
): { x: number[]; value: number } {
  const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / Math.max(1, w.length)) || 1;
  const mean = w.reduce((s, v) => s + v, 0) / Math.max(1, w.length);
  const x0 = new Array<number>(L.n).fill(0);
  if (L.hasConst) x0[L.n - 1] = mean;
  const full = cssObjective(w, L, o.minCond);
  // With fixMean the constant stays at the mean of w (it is not among the optimised coordinates).
  const free = o.fixMean && L.hasConst ? L.n - 1 : L.n;
  const xf = new Float64Array(L.n);
  const f = (x: ArrayLike<number>): number => {
    for (let i = 0; i < free; i++) xf[i] = x[i]!;
    if (free < L.n) xf[L.n - 1] = mean;
    return full(xf);
  };
  if (free === 0) return { x: x0, value: f([]) };
  const steps = x0.slice(0, free).map((_, i) => (L.hasConst && i === L.n - 1 ? 0.1 * sd : 0.1));
  let r = nelderMead(f, x0.slice(0, free), { steps, maxIter: o.maxIter, relTol: o.relTol });
  for (let k = 1; k < o.stages; k++) r = nelderMead(f, r.x, { steps: steps.map((s) => s / 4), maxIter: o.maxIter, relTol: o.relTol });
  return { x: free < L.n ? [...r.x, mean] : r.x, value: r.value };
}

/** ML objective ½(log(Σv²/F / ν) + Σ log F / ν) on the transformed scale (R's armafn). */
function mlObjective(w: readonly number[], L: Layout): (x: ArrayLike<number>) => number {
  const z = new Array<number>(w.length);
  return (x) => {
    const u = unpack(x, L, true);
    const { phi, theta } = expandPolynomials(u.ar, u.sar, u.ma, u.sma, L.spec.m);
    for (let t = 0; t < w.length; t++) z[t] = w[t]! - u.c;
    const k = kalmanArma(z, phi, theta);
    const s2 = k.ssq / k.nu;
    return s2 > 0 && Number.isFinite(s2) ? 0.5 * (Math.log(s2) + k.sumlog / k.nu) : Infinity;
  };
}

/** The AR blocks of a CSS estimate are stationary (R stops with "non-stationary AR part from CSS"). */
function arStationary(ar: number[], sar: number[]): boolean {
  return rootsOutside(ar, -1, 1) && rootsOutside(sar, -1, 1);
}

export interface FitArimaOptions {
  method?: ArimaMethod;
  /** Nelder–Mead iterations per stage (default 1,000). */
  maxIter?: number;
  /** Relative tolerance of the CSS stage (default 1e-8, R's reltol). */
  cssRelTol?: number;
  /** Nelder–Mead runs of the CSS stage, each restarted at the last optimum (default 2). */
  cssStages?: number;
  /**
   * CSS only: condition on at least this many differenced values (default 0 = p + Pm, as R). A common value
   * across orders makes their CSS log-likelihoods, and so their AICc, comparable: all cover the same points.
   */
  minCond?: number;
  /**
   * CSS only: hold the constant at the mean of the differenced series instead of estimating it (R's starting
   * value). With few points a free CSS constant trades off against a seasonal AR root near 1 and explodes.
   */
  fixMean?: boolean;
}

function validateSpec(spec: ArimaSpec, n: number): void {
  for (const k of ['p', 'd', 'q', 'P', 'D', 'Q'] as const) {
    if (!Number.isInteger(spec[k]) || spec[k] < 0) throw new RangeError(`spec.${k} must be an integer ≥ 0, got ${spec[k]}`);
  }
  if (!Number.isInteger(spec.m) || spec.m < 1) throw new RangeError(`spec.m must be an integer ≥ 1, got ${spec.m}`);
  if (spec.m === 1 && spec.P + spec.D + spec.Q > 0) throw new RangeError('spec.P, spec.D and spec.Q must be 0 when spec.m = 1');
  if (n < 1) throw new RangeError('y must not be empty');
}

/**
 * Fit one ARIMA order to y (no missing values) by CSS, then (CSS-ML) by exact maximum likelihood started
 * at the CSS estimate on the partrans scale. Returns null when the series is too short for the order or
 * the CSS AR part is not stationary under CSS-ML (R stops with an error there).
 * Information criteria as forecast::Arima: npar = #coefficients + 1 (σ²), AIC = −2 log L + 2 npar,
 * AICc = AIC + 2 npar (npar + 1)/(n* − npar − 1), BIC = AIC + npar (log n* − 2), n* = n − d − Dm.
 */
export function fitArima(y: readonly number[], spec: ArimaSpec, opts: FitArimaOptions = {}): ArimaFit | null {
  validateSpec(spec, y.length);
  if (y.some((v) => !Number.isFinite(v))) throw new RangeError('y must be finite (impute missing values first)');
  const method = opts.method ?? 'CSS-ML';
  const maxIter = opts.maxIter ?? 1000;
  const w = difference(y, spec.d, spec.D, spec.m);
  const L = layoutOf(spec);
  if (w.length < spec.p + spec.P * spec.m + L.n + 2) return null;
  const css = cssFit(w, L, {
    maxIter,
    relTol: opts.cssRelTol ?? 1e-8,
    stages: opts.cssStages ?? 2,
    minCond: method === 'CSS' ? (opts.minCond ?? 0) : 0,
    fixMean: method === 'CSS' && (opts.fixMean ?? false),
  });
  let u = unpack(css.x, L, false);
  let value = css.value;
  if (method === 'CSS-ML') {
    if (!arStationary(u.ar, u.sar)) return null;
    const f = mlObjective(w, L);
    const x0 = packTransformed(u.ar, u.ma, u.sar, u.sma, u.c, L);
    if (L.n > 0) {
      const sd = Math.sqrt(w.reduce((s, v) => s + (v - u.c) ** 2, 0) / w.length) || 1;
      const steps = x0.map((_, i) => (L.hasConst && i === L.n - 1 ? 0.1 * sd : 0.1));
      let r = nelderMead(f, x0, { steps, maxIter, relTol: 1e-10 });
      r = nelderMead(f, r.x, { steps: steps.map((s) => s / 10), maxIter, relTol: 1e-12 });
      u = unpack(r.x, L, true);
      value = r.value;
    } else value = f([]);
  }
  return finishFit(y, w, spec, L, method, u, value);
}

/** Residuals, σ², log-likelihood, information criteria and the forecast state of a fitted vector. */
function finishFit(
  y: readonly number[],
  w: readonly number[],
  spec: ArimaSpec,
  L: Layout,
  method: ArimaMethod,
  u: ReturnType<typeof unpack>,
  value: number,
): ArimaFit | null {
  const { phi, theta } = expandPolynomials(u.ar, u.sar, u.ma, u.sma, spec.m);
  const z = w.map((v) => v - u.c);
  const nUsed = w.length;
  let sigma2: number;
  let residuals: number[];
  let a: number[] | null = null;
  const e = new Array<number>(z.length);
  if (method === 'CSS') {
    const c = cssResiduals(z, phi, theta, e);
    sigma2 = c.ssq / c.nu;
    residuals = e;
  } else {
    const k = kalmanArma(z, phi, theta);
    sigma2 = k.ssq / k.nu;
    residuals = k.resid;
    a = k.a;
  }
  if (!(sigma2 > 0) || !Number.isFinite(value)) return null;
  const loglik = -0.5 * (2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI));
  const npar = L.n + 1;
  const sigma2Raw = sigma2;
  if (nUsed - npar + 1 > 0) sigma2 = residuals.reduce((s, v) => s + v * v, 0) / (nUsed - npar + 1);
  const aic = -2 * loglik + 2 * npar;
  const aicc = nUsed - npar - 1 > 0 ? aic + (2 * npar * (npar + 1)) / (nUsed - npar - 1) : Infinity;
  const nearUnitRoot = !rootsOutside(phi, -1, 1.01) || !rootsOutside(theta, 1, 1.01);
  return {
    spec,
    method,
    ar: u.ar,
    ma: u.ma,
    sar: u.sar,
    sma: u.sma,
    constant: L.hasConst ? u.c / L.k : 0,
    sigma2,
    sigma2Raw,
    loglik,
    aic,
    aicc,
    bic: aic + npar * (Math.log(nUsed) - 2),
    nUsed,
    nCoef: L.n,
    residuals,
    nearUnitRoot,
    state: { y: [...y], c: u.c, phi, theta, a, z, e },
  };
}

/** Step "forecast the differenced series": ML from the Kalman state (a ← T a), CSS by the ARMA recursion. */
function forecastDifferenced(s: ForecastState, h: number): number[] {
  const out: number[] = [];
  if (s.a) {
    const a = [...s.a];
    const r = a.length;
    for (let k = 0; k < h; k++) {
      out.push(a[0]! + s.c);
      const a0 = a[0]!;
      for (let i = 0; i < r; i++) a[i] = (s.phi[i] ?? 0) * a0 + (i + 1 < r ? a[i + 1]! : 0);
    }
    return out;
  }
  const z = [...s.z];
  const e = [...s.e];
  const n = z.length;
  for (let k = 0; k < h; k++) {
    let v = 0;
    for (let i = 0; i < s.phi.length; i++) if (n + k - i - 1 >= 0) v += s.phi[i]! * z[n + k - i - 1]!;
    for (let i = 0; i < s.theta.length; i++) if (n + k - i - 1 >= 0 && n + k - i - 1 < n) v += s.theta[i]! * e[n + k - i - 1]!;
    z.push(v);
    out.push(v + s.c);
  }
  return out;
}

/**
 * ψ-weights of y: ψ(B) = θ*(B) / (φ*(B) δ(B)), ψ_0 = 1, ψ_j = θ*_j − Σ_{k=1..j} π_k ψ_{j−k} with
 * π(B) = φ*(B) δ(B) = 1 + Σ π_k B^k. The h-step forecast variance is σ² Σ_{j<h} ψ_j² (Box & Jenkins 1976,
 * §5.2); R's Kalman forecast adds the filtered state's variance, which is negligible for invertible models.
 */
export function psiWeights(phi: readonly number[], theta: readonly number[], delta: readonly number[], h: number): number[] {
  const ar = [1, ...phi.map((v) => -v)];
  const pi = new Array<number>(ar.length + delta.length - 1).fill(0);
  for (let i = 0; i < ar.length; i++) for (let j = 0; j < delta.length; j++) pi[i + j] += ar[i]! * delta[j]!;
  const psi = [1];
  for (let j = 1; j < h; j++) {
    let v = theta[j - 1] ?? 0;
    for (let k = 1; k <= j && k < pi.length; k++) v -= pi[k]! * psi[j - k]!;
    psi.push(v);
  }
  return psi;
}

/** h-step forecasts of y with Gaussian 80 % / 95 % intervals (R's forecast.Arima with the fit's σ²). */
export function arimaForecast(fit: ArimaFit, h: number, sigma2 = fit.sigma2): ArimaForecast {
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`h must be an integer ≥ 1, got ${h}`);
  const { spec, state } = fit;
  const delta = differencingPolynomial(spec.d, spec.D, spec.m);
  const wf = forecastDifferenced(state, h);
  const y = [...state.y];
  const n = y.length;
  for (let k = 0; k < h; k++) {
    let v = wf[k]!;
    for (let j = 1; j < delta.length; j++) v -= delta[j]! * y[n + k - j]!;
    y.push(v);
  }
  const mean = y.slice(n);
  const psi = psiWeights(state.phi, state.theta, delta, h);
  const se: number[] = [];
  let acc = 0;
  for (let k = 0; k < h; k++) {
    acc += psi[k]! ** 2;
    se.push(Math.sqrt(sigma2 * acc));
  }
  const z80 = PhiInv(0.9);
  const z95 = PhiInv(0.975);
  return {
    mean,
    lower80: mean.map((v, i) => v - z80 * se[i]!),
    upper80: mean.map((v, i) => v + z80 * se[i]!),
    lower95: mean.map((v, i) => v - z95 * se[i]!),
    upper95: mean.map((v, i) => v + z95 * se[i]!),
    se,
  };
}

/**
 * Exact Gaussian log-likelihood of y under given coefficients (no estimation): the figure R's arima reports
 * as loglik at its optimum, −½(ν log(2π σ̂²) + Σ log F_t + ν) with σ̂² = Σ v²/F / ν, ν = n − d − Dm.
 */
export function arimaLogLik(
  y: readonly number[],
  spec: ArimaSpec,
  coef: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; constant: number },
): { loglik: number; sigma2: number } {
  validateSpec(spec, y.length);
  const L = layoutOf(spec);
  const { phi, theta } = expandPolynomials(coef.ar, coef.sar, coef.ma, coef.sma, spec.m);
  if (!rootsOutside(phi, -1, 1)) throw new RangeError('coef: the AR part is not stationary');
  const c = L.hasConst ? coef.constant * L.k : 0;
  const z = difference(y, spec.d, spec.D, spec.m).map((v) => v - c);
  const k = kalmanArma(z, phi, theta);
  const s2 = k.ssq / k.nu;
  const value = 0.5 * (Math.log(s2) + k.sumlog / k.nu);
  return { loglik: -0.5 * (2 * k.nu * value + k.nu + k.nu * Math.log(2 * Math.PI)), sigma2: s2 };
}
