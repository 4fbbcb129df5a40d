/**
 * Drain models for a deal's claim curve (cumulative units sold vs hours since the deal started),
 * used for the sell-out ETA of a live deal (deals/detect.ts) and the drain forecast of the
 * pre/post-deal comparison (deals/compare.ts).
 *
 *  CONSTANT  u(t) = a + r·t                                  rate r(t) = r
 *  DECAY     u(t) = a + (r0/k)·(1 − e^(−k·t))                rate r(t) = r0·e^(−k·t), k > 0
 *            (as k → 0 it becomes CONSTANT; total demand ever = r0/k beyond a)
 *
 * Two ways to fit them:
 *  - least squares on the cumulative curve (fitConstantDrain, fitDecayDrain, fitDrain): for a fixed
 *    k the decay is linear in (a, r0), k by log grid + Brent's method (logKSearch); choice by AICc;
 *  - Poisson-process maximum likelihood on the increments (fitDrainPoisson, the ETA default): see
 *    the section below; choice by QAICc.
 *
 * Sell-out from time t with S units left, at the current model rate r_t:
 *   CONSTANT  τ = S / r_t
 *   DECAY     τ = −ln(1 − S·k / r_t) / k,  never when S ≥ r_t / k (demand dies out first)
 *
 * ETA uncertainty (sellOutEta): bootstrap draws of τ; P10/P50/P90 of the draws, where "never" and
 * "after the horizon" (deal end) count as +∞ and come back as null. Seeded: same inputs, same answer.
 *  POISSON (default)  draws from the decay fit (which nests the constant rate; CONSTANT at its
 *                     k → 0 edge or with too few increments — see poissonEta), simulates the
 *                     increments with the fitted mean and overdispersion φ, refits, draws the
 *                     remaining drain's own noise, and applies a log-normal structural factor
 *                     (rate changes no fit foresees). Only a constant rate is weighted by recency.
 *  LEAST_SQUARES      moving-block bootstrap of Pearson residuals of the increments, refit.
 */
import { createRng, type Rng } from '../random';
import { brentMin } from '../stats/minimize';

export interface ClaimCurvePoint {
  /** Hours since the curve's origin (deal start). */
  t: number;
  /** Cumulative units sold (or % claimed, if the quantity is unknown) at t. */
  units: number;
}

export interface ConstantDrainFit {
  model: 'CONSTANT';
  intercept: number;
  /** Units per hour. */
  rate: number;
  rss: number;
  n: number;
  aicc: number;
}

export interface DecayDrainFit {
  model: 'DECAY';
  intercept: number;
  /** Rate at t = 0, units per hour. */
  r0: number;
  /** Decay constant per hour. */
  k: number;
  rss: number;
  n: number;
  aicc: number;
}

export type DrainFit = ConstantDrainFit | DecayDrainFit;

export interface DrainFitChoice {
  best: DrainFit;
  constant: ConstantDrainFit;
  decay: DecayDrainFit | null;
  /** Why the best model was chosen. */
  reason: string;
}

function checkCurve(curve: readonly ClaimCurvePoint[], min: number): void {
  if (!Array.isArray(curve)) throw new TypeError('curve must be an array of {t, units}');
  if (curve.length < min) throw new RangeError(`curve needs at least ${min} points, got ${curve.length}`);
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i];
    if (!Number.isFinite(p.t) || !Number.isFinite(p.units)) throw new TypeError(`curve[${i}] must have finite t and units`);
    if (i > 0 && p.t <= curve[i - 1].t) throw new RangeError(`curve must have strictly increasing t: curve[${i}].t=${p.t}`);
  }
}

/** Sell-out time at a constant rate: S / r hours; null (never) when the rate is not positive. */
export function constantSellOutHours(remaining: number, ratePerHour: number): number | null {
  if (!(remaining >= 0)) throw new RangeError(`remaining must be ≥ 0, got ${remaining}`);
  if (!Number.isFinite(ratePerHour)) throw new RangeError(`ratePerHour must be finite, got ${ratePerHour}`);
  if (remaining === 0) return 0;
  return ratePerHour > 0 ? remaining / ratePerHour : null;
}

/**
 * Sell-out time under r(t) = r0·e^(−k t) from now (r0 = rate now): solves (r0/k)(1 − e^(−kτ)) = S,
 * τ = −ln(1 − S·k/r0)/k; null (never) when S ≥ r0/k. k = 0 is the constant case.
 */
export function decaySellOutHours(remaining: number, r0: number, k: number): number | null {
  if (!(remaining >= 0)) throw new RangeError(`remaining must be ≥ 0, got ${remaining}`);
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`k must be ≥ 0, got ${k}`);
  if (!Number.isFinite(r0)) throw new RangeError(`r0 must be finite, got ${r0}`);
  if (remaining === 0) return 0;
  if (r0 <= 0) return null;
  if (k === 0) return remaining / r0;
  const x = (remaining * k) / r0;
  if (x >= 1) return null;
  return -Math.log1p(-x) / k;
}

/** Total units the decay would ever sell from a moment where the rate is r: r / k. */
export function decayDemandLimit(rate: number, k: number): number {
  return k > 0 ? rate / k : Infinity;
}

/** Model rate (units/h) at t. */
export function drainRateAt(fit: DrainFit, t: number): number {
  return fit.model === 'CONSTANT' ? fit.rate : fit.r0 * Math.exp(-fit.k * t);
}

/** Model cumulative units at t. */
export function drainCumulativeAt(fit: DrainFit, t: number): number {
  if (fit.model === 'CONSTANT') return fit.intercept + fit.rate * t;
  return fit.intercept + fit.r0 * g(fit.k, t);
}

/** Hours from t until S more units are sold under the fit; null = never. */
export function sellOutHoursFrom(fit: DrainFit, remaining: number, t: number): number | null {
  if (fit.model === 'CONSTANT') return constantSellOutHours(remaining, fit.rate);
  return decaySellOutHours(remaining, drainRateAt(fit, t), fit.k);
}

function g(k: number, t: number): number {
  return k === 0 ? t : -Math.expm1(-k * t) / k;
}

function aicc(rss: number, n: number, p: number, scale: number): number {
  const floor = 1e-12 * scale + 1e-12;
  const base = n * Math.log(Math.max(rss, floor) / n) + 2 * p;
  return n - p - 1 > 0 ? base + (2 * p * (p + 1)) / (n - p - 1) : Infinity;
}

function scaleOf(curve: readonly ClaimCurvePoint[]): number {
  let s = 0;
  for (const p of curve) s += p.units * p.units;
  return s;
}

/** Least-squares straight line through the cumulative curve (rate clipped at 0). */
export function fitConstantDrain(curve: readonly ClaimCurvePoint[]): ConstantDrainFit {
  checkCurve(curve, 1);
  return constantFitRaw(curve);
}

function constantFitRaw(curve: readonly ClaimCurvePoint[]): ConstantDrainFit {
  const n = curve.length;
  let st = 0;
  let su = 0;
  for (const p of curve) {
    st += p.t;
    su += p.units;
  }
  const mt = st / n;
  const mu = su / n;
  let stt = 0;
  let stu = 0;
  for (const p of curve) {
    stt += (p.t - mt) ** 2;
    stu += (p.t - mt) * (p.units - mu);
  }
  let rate = stt > 0 ? stu / stt : 0;
  let intercept = mu - rate * mt;
  if (rate < 0) {
    rate = 0;
    intercept = mu;
  }
  let rss = 0;
  for (const p of curve) rss += (p.units - intercept - rate * p.t) ** 2;
  return { model: 'CONSTANT', intercept, rate, rss, n, aicc: aicc(rss, n, 3, scaleOf(curve)) };
}

/** For fixed k: LS of u = a + b·g_k(t); returns null when b ≤ 0 (not a drain). */
function decayAtK(curve: readonly ClaimCurvePoint[], k: number): { a: number; b: number; rss: number } | null {
  const n = curve.length;
  let sg = 0;
  let su = 0;
  const gs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    gs[i] = g(k, curve[i].t);
    sg += gs[i];
    su += curve[i].units;
  }
  const mg = sg / n;
  const mu = su / n;
  let sgg = 0;
  let sgu = 0;
  for (let i = 0; i < n; i++) {
    sgg += (gs[i] - mg) ** 2;
    sgu += (gs[i] - mg) * (curve[i].units - mu);
  }
  if (!(sgg > 0)) return null;
  const b = sgu / sgg;
  if (!(b > 0)) return null;
  const a = mu - b * mg;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (curve[i].units - a - b * gs[i]) ** 2;
  return { a, b, rss };
}

/**
 * Minimises f over log k: a grid of steps + 1 evenly spaced points on [lkMin, lkMax], then Brent's
 * method (stats/minimize.ts) between the best grid point's neighbours, stopping when the bracket is
 * about 4 × absTol wide or after maxIter evaluations. The refined point replaces the grid point only
 * when it is better. null when f is infinite on the whole grid (no decaying drain fits).
 */
export function logKSearch(
  f: (lk: number) => number,
  lkMin: number,
  lkMax: number,
  steps: number,
  maxIter: number,
  absTol: number,
): { lk: number; value: number } | null {
  let bestI = -1;
  let bestV = Infinity;
  const grid: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const lk = lkMin + ((lkMax - lkMin) * i) / steps;
    grid.push(lk);
    const v = f(lk);
    if (v < bestV) {
      bestV = v;
      bestI = i;
    }
  }
  if (bestI < 0) return null;
  const lo = grid[Math.max(0, bestI - 1)];
  const hi = grid[Math.min(steps, bestI + 1)];
  const refined = lo < hi ? brentMin(f, lo, hi, 0, maxIter, absTol) : null;
  return refined && refined.value < bestV ? { lk: refined.x, value: refined.value } : { lk: grid[bestI], value: bestV };
}

/**
 * Least-squares exponential-decay fit. `kRange` narrows the search (used by the bootstrap to start
 * near the original fit). Returns null when no decaying drain fits (fewer than 3 points, no span,
 * or no k with a positive initial rate).
 */
export function fitDecayDrain(curve: readonly ClaimCurvePoint[], kRange?: { min: number; max: number }): DecayDrainFit | null {
  checkCurve(curve, 1);
  return decayFitRaw(curve, kRange);
}

function decayFitRaw(curve: readonly ClaimCurvePoint[], kRange?: { min: number; max: number }): DecayDrainFit | null {
  const n = curve.length;
  if (n < 3) return null;
  const span = curve[n - 1].t - curve[0].t;
  if (!(span > 0)) return null;
  const kMin = kRange?.min ?? 0.01 / span;
  const kMax = kRange?.max ?? 50 / span;
  const rssAt = (lk: number): number => decayAtK(curve, Math.exp(lk))?.rss ?? Infinity;
  const best = logKSearch(rssAt, Math.log(kMin), Math.log(kMax), kRange ? 8 : 24, 40, 2.5e-7);
  if (!best) return null;
  const k = Math.exp(best.lk);
  const sol = decayAtK(curve, k);
  if (!sol) return null;
  return { model: 'DECAY', intercept: sol.a, r0: sol.b, k, rss: sol.rss, n, aicc: aicc(sol.rss, n, 4, scaleOf(curve)) };
}

/** Fit both models and pick one by AICc. */
export function fitDrain(curve: readonly ClaimCurvePoint[]): DrainFitChoice {
  checkCurve(curve, 1);
  const constant = constantFitRaw(curve);
  const decay = curve.length >= 6 ? decayFitRaw(curve) : null;
  if (!decay) {
    return {
      best: constant,
      constant,
      decay,
      reason: curve.length < 6 ? `only ${curve.length} points: constant rate (decay needs ≥ 6)` : 'no decaying curve fits: constant rate',
    };
  }
  if (decay.aicc < constant.aicc) {
    return { best: decay, constant, decay, reason: `decay AICc ${decay.aicc.toFixed(2)} < constant AICc ${constant.aicc.toFixed(2)}` };
  }
  return { best: constant, constant, decay, reason: `constant AICc ${constant.aicc.toFixed(2)} ≤ decay AICc ${decay.aicc.toFixed(2)}` };
}

// ---------------------------------------------------------------------------------------------
// Poisson-process (NHPP) maximum likelihood on the curve's increments.
//
// Claims arrive as a Poisson process with intensity r(t); the increments x_i of the curve over
// (t_{i−1}, t_i] have mean m_i = Λ(t_i) − Λ(t_{i−1}) with Λ(t) = r·t or (r0/k)(1 − e^(−kt)) (the
// Goel–Okumoto form). Log-likelihood ℓ = Σ x_i·ln m_i − Σ m_i. Closed forms: constant r̂ = X/T;
// decay r̂0(k) = X / (G_k(t_n) − G_k(t_0)), then a 1-D search over k. Unlike least squares on the
// cumulative curve, every increment counts once, unequal capture spacing is handled, and the
// intercept is not a free parameter (claims start at 0). Overdispersion (bursts, rounding of
// % claimed) is estimated as φ = Pearson χ² ÷ (n − p) ≥ 1 and used in QAICc and the bootstrap.
// ---------------------------------------------------------------------------------------------

export interface PoissonDrainChoice {
  best: DrainFit;
  constant: ConstantDrainFit;
  decay: DecayDrainFit | null;
  /** Overdispersion φ ≥ 1. */
  dispersion: number;
  /** Akaike weight of the decay model (0 when not fitted). */
  decayWeight: number;
  reason: string;
}

interface Incr {
  t0: number;
  t1: number;
  x: number;
  /** Likelihood weight (1, or a recency discount). */
  w: number;
}

function increments(curve: readonly ClaimCurvePoint[], memoryHours: number | null = null): Incr[] {
  const out: Incr[] = [];
  const tEnd = curve[curve.length - 1].t;
  for (let i = 1; i < curve.length; i++) {
    const w = memoryHours === null ? 1 : Math.exp(-(tEnd - 0.5 * (curve[i - 1].t + curve[i].t)) / memoryHours);
    out.push({ t0: curve[i - 1].t, t1: curve[i].t, x: Math.max(0, curve[i].units - curve[i - 1].units), w });
  }
  return out;
}

function xlogm(x: number, m: number): number {
  return x > 0 ? x * Math.log(Math.max(m, 1e-300)) : 0;
}

function poissonConstant(inc: readonly Incr[]): { rate: number; ll: number } {
  let X = 0;
  let T = 0;
  for (const d of inc) {
    X += d.w * d.x;
    T += d.w * (d.t1 - d.t0);
  }
  const rate = T > 0 ? X / T : 0;
  let ll = 0;
  for (const d of inc) ll += d.w * (xlogm(d.x, rate * (d.t1 - d.t0)) - rate * (d.t1 - d.t0));
  return { rate, ll };
}

function poissonDecayAtK(inc: readonly Incr[], k: number): { r0: number; ll: number } {
  let X = 0;
  let Gs = 0;
  for (const d of inc) {
    X += d.w * d.x;
    Gs += d.w * (g(k, d.t1) - g(k, d.t0));
  }
  if (!(Gs > 0)) return { r0: 0, ll: -Infinity };
  const r0 = X / Gs;
  let ll = 0;
  for (const d of inc) {
    const m = r0 * (g(k, d.t1) - g(k, d.t0));
    ll += d.w * (xlogm(d.x, m) - m);
  }
  return { r0, ll };
}

function poissonDecay(inc: readonly Incr[], kRange?: { min: number; max: number }): { r0: number; k: number; ll: number } | null {
  if (inc.length < 2) return null;
  const span = inc[inc.length - 1].t1 - inc[0].t0;
  if (!(span > 0)) return null;
  const kMin = kRange?.min ?? 0.02 / span;
  const kMax = kRange?.max ?? 30 / span;
  const best = logKSearch((lk) => -poissonDecayAtK(inc, Math.exp(lk)).ll, Math.log(kMin), Math.log(kMax), kRange ? 8 : 20, 30, 2.5e-6);
  if (!best) return null;
  const k = Math.exp(best.lk);
  const r = poissonDecayAtK(inc, k);
  return { r0: r.r0, k, ll: r.ll };
}

function pearson(inc: readonly Incr[], fit: DrainFit): number {
  let chi = 0;
  for (const d of inc) {
    const m = drainCumulativeAt(fit, d.t1) - drainCumulativeAt(fit, d.t0);
    if (m > 1e-9) chi += (d.w * (d.x - m) ** 2) / m;
  }
  return chi;
}

function qaicc(ll: number, phi: number, n: number, params: number): number {
  const K = params + 1; // + φ
  return n - K - 1 > 0 ? (-2 * ll) / phi + 2 * K + (2 * K * (K + 1)) / (n - K - 1) : Infinity;
}

/**
 * Poisson-process maximum-likelihood fits of both drains to the curve's increments, chosen by
 * QAICc (decay needs ≥ 4 increments). Intercepts are 0 relative to the first point's units.
 */
export function fitDrainPoisson(curve: readonly ClaimCurvePoint[]): PoissonDrainChoice {
  checkCurve(curve, 2);
  const inc = increments(curve);
  return poissonChoice(inc, curve[0].units);
}

function poissonChoice(inc: readonly Incr[], base: number): PoissonDrainChoice {
  let n = 0;
  for (const d of inc) n += d.w;
  const nInc = inc.length;
  const c = poissonConstant(inc);
  const t0 = inc[0].t0;
  const constant: ConstantDrainFit = { model: 'CONSTANT', intercept: base - c.rate * t0, rate: c.rate, rss: NaN, n, aicc: NaN };
  const d = nInc >= 4 ? poissonDecay(inc) : null;
  const decay: DecayDrainFit | null = d
    ? { model: 'DECAY', intercept: base - d.r0 * g(d.k, t0), r0: d.r0, k: d.k, rss: NaN, n, aicc: NaN }
    : null;
  const phi = Math.max(1, decay ? pearson(inc, decay) / Math.max(1, n - 2) : pearson(inc, constant) / Math.max(1, n - 1));
  constant.aicc = qaicc(c.ll, phi, n, 1);
  if (!decay || !d) {
    return {
      best: constant,
      constant,
      decay: null,
      dispersion: phi,
      decayWeight: 0,
      reason: nInc < 4 ? `only ${nInc} increments: constant rate (decay needs ≥ 4)` : 'no decaying intensity fits: constant rate',
    };
  }
  decay.aicc = qaicc(d.ll, phi, n, 2);
  const ac = Number.isFinite(constant.aicc) ? constant.aicc : 0;
  const ad = Number.isFinite(decay.aicc) ? decay.aicc : Infinity;
  const wd = Number.isFinite(ad) ? 1 / (1 + Math.exp((ad - ac) / 2)) : 0;
  if (ad < ac)
    return {
      best: decay,
      constant,
      decay,
      dispersion: phi,
      decayWeight: wd,
      reason: `decay QAICc ${ad.toFixed(2)} < constant QAICc ${ac.toFixed(2)} (φ = ${phi.toFixed(2)})`,
    };
  return {
    best: constant,
    constant,
    decay,
    dispersion: phi,
    decayWeight: wd,
    reason: `constant QAICc ${ac.toFixed(2)} ≤ decay QAICc ${ad.toFixed(2)} (φ = ${phi.toFixed(2)})`,
  };
}

export interface SellOutEtaOptions {
  /** Units left to sell at time `atT`. */
  remaining: number;
  /** Hours since origin from which the ETA runs. Default: the last curve point. */
  atT?: number;
  /** Hours after atT beyond which sell-out does not count (e.g. the deal ends). Default: none. */
  horizonHours?: number;
  seed: number;
  /** Bootstrap draws. Default 200. */
  draws?: number;
  /** Force a model instead of choosing by fit. */
  model?: 'CONSTANT' | 'DECAY';
  /**
   * POISSON (default): NHPP maximum likelihood, QAICc model weights, parametric bootstrap with
   * overdispersion and the remaining drain's own randomness. LEAST_SQUARES: least squares on the
   * cumulative curve, AICc choice, moving-block residual bootstrap.
   */
  method?: 'POISSON' | 'LEAST_SQUARES';
  /**
   * POISSON only: weight each increment by e^(−age/memory) in the constant rate so it follows the
   * recent pace (local likelihood); the decay and the model reading use equal weights. 'auto'
   * (default) = max(1 h, half the observed span); null = equal weights.
   */
  memoryHours?: number | 'auto' | null;
  /**
   * POISSON only: σ of a log-normal factor applied to each draw's τ, for rate changes no fit can
   * see coming (time-of-day swings, stalls, batch releases). Default 0.4, calibrated so that
   * P10–P90 covers ≈ 80 % of true sell-outs on a scenario set (core/sim seed 1) separate from the
   * benchmark's.
   */
  structuralSigma?: number;
  /**
   * POISSON only: minimum share of draws from the model not read when both fit (model uncertainty).
   * Default 0.25: on the core/sim scenario set it keeps P10–P90 coverage of sold-out deals at
   * 0.74 / 0.80 / 0.87 (25 / 50 / 75 % of life; 0.71 / 0.73 / 0.83 with 0) while the median P50 of
   * decaying deals two hours in stays within ±8 % (bench/detect).
   */
  modelFloor?: number;
}

export interface SellOutEta extends DrainSelection {
  /** Hours from atT; null = not before the horizon / never. */
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** ETA of the chosen fitted model itself (no bootstrap). */
  pointHours: number | null;
  /** Share of draws that sell out (before the horizon when given). */
  probability: number;
  /** Model rate at atT, units/h. */
  rateNow: number;
  /** For decay: units the fitted demand can still absorb from atT (r_t/k); Infinity for constant. */
  demandLimit: number;
  draws: number;
  method: 'POISSON' | 'LEAST_SQUARES';
  reason: string | null;
}

function quantileWithInf(sorted: readonly number[], q: number): number | null {
  // Nearest-rank on a sorted array where +∞ encodes "never".
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  const v = sorted[idx];
  return Number.isFinite(v) ? v : null;
}

/** The fitted drains and the one the ETA uses. */
interface DrainSelection {
  fit: DrainFit;
  constant: ConstantDrainFit;
  decay: DecayDrainFit | null;
  /** Akaike weight of the decay model used to mix draws (POISSON), else 0/1. */
  decayWeight: number;
  dispersion: number;
  choiceReason: string;
}

/** The validated run of one ETA: from atT, S units left, draws counted only when τ ≤ horizon. */
interface EtaRun {
  S: number;
  atT: number;
  horizon: number;
  draws: number;
  /** τ as a draw: +∞ for "never" or "after the horizon". */
  cut: (tau: number | null) => number;
}

/** A forced model overrides the choice (opts.model); DECAY needs a decay fit. */
function forceModel(sel: DrainSelection, model: SellOutEtaOptions['model']): DrainSelection {
  if (model === 'CONSTANT') return { ...sel, fit: sel.constant, decayWeight: 0, choiceReason: 'constant rate forced' };
  if (model === 'DECAY') {
    if (!sel.decay) throw new RangeError('model DECAY forced but no decaying curve fits these points');
    return { ...sel, fit: sel.decay, decayWeight: 1, choiceReason: 'decay forced' };
  }
  return sel;
}

/** Increment weights' memory: 'auto' = max(1 h, half the observed span); null = equal weights. */
function memoryHoursOf(curve: readonly ClaimCurvePoint[], opt: SellOutEtaOptions['memoryHours']): number | null {
  const memOpt = opt === undefined ? 'auto' : opt;
  if (typeof memOpt === 'number' && !(memOpt > 0)) throw new RangeError(`memoryHours must be > 0, 'auto' or null, got ${memOpt}`);
  return memOpt === null ? null : memOpt === 'auto' ? Math.max(1, (curve[curve.length - 1].t - curve[0].t) / 2) : memOpt;
}

/** The increments a POISSON draw simulates and refits: equally weighted for the decay, recency-weighted for the constant rate. */
interface DrawIncrements {
  all: readonly Incr[];
  allStar: Incr[];
  recent: readonly Incr[];
  recentStar: Incr[];
}

/**
 * One POISSON bootstrap draw: pick a model (decay with probability wD), simulate every increment as
 * m + √(φ·m)·z (m the model's mean increment), refit that model (decay on the equally weighted
 * increments within k/8 … 8k; constant on the recency-weighted ones), draw the remaining drain
 * √S* = √S + z·√φ/2 (variance ≈ φ·S, monotone in S) and scale τ by e^(σ·z).
 */
function poissonDraw(incs: DrawIncrements, sel: DrainSelection, wD: number, sigma: number, run: EtaRun, rng: Rng): number {
  const decay = sel.decay;
  const useDecay = decay !== null && rng.next() < wD;
  const model: DrainFit = useDecay ? (decay as DecayDrainFit) : sel.constant;
  const inc = useDecay ? incs.all : incs.recent;
  const star = useDecay ? incs.allStar : incs.recentStar;
  for (let i = 0; i < inc.length; i++) {
    const m = Math.max(0, drainCumulativeAt(model, inc[i].t1) - drainCumulativeAt(model, inc[i].t0));
    star[i].x = Math.max(0, m + Math.sqrt(sel.dispersion * m) * rng.normal());
  }
  const constantRefit = (): DrainFit => ({
    model: 'CONSTANT',
    intercept: 0,
    rate: poissonConstant(star).rate,
    rss: NaN,
    n: inc.length,
    aicc: NaN,
  });
  let refit: DrainFit;
  if (useDecay) {
    const dd = poissonDecay(star, { min: (decay as DecayDrainFit).k / 8, max: (decay as DecayDrainFit).k * 8 });
    refit = dd ? { model: 'DECAY', intercept: 0, r0: dd.r0, k: dd.k, rss: NaN, n: inc.length, aicc: NaN } : constantRefit();
  } else refit = constantRefit();
  const root = Math.sqrt(run.S) + (rng.normal() * Math.sqrt(sel.dispersion)) / 2;
  const Sstar = root > 0 ? root * root : 0;
  const tau = sellOutHoursFrom(refit, Sstar, run.atT);
  const factor = Math.exp(sigma * rng.normal());
  return run.cut(tau === null ? null : tau * factor);
}

/**
 * k̂·span below which a decay fit is read as the constant rate (its k → 0 edge): the fitted rate
 * changed by under 5 % over the data.
 */
export const CONSTANT_EDGE_K_SPAN = 0.05;

/**
 * POISSON: the decay r0·e^(−kt) nests the constant rate (k → 0), so the ETA draws come from the
 * decay family fitted by maximum likelihood on the equally weighted increments with k ≥ ~0 (k̂ is
 * itself the evidence of a slowdown), and the drain reads CONSTANT when k̂·span < CONSTANT_EDGE_K_SPAN.
 * Why not a QAICc choice between the two: two hours into a deal decaying at 0.25/h, the Poisson
 * counts carry ≈ 2σ of evidence for the slowdown, short of QAICc's penalty half the time, and the
 * constant reading it then falls back to is early by 20–35 % every time (bench/detect; the
 * recency-weighted likelihood made it worse by shrinking the effective sample). QAICc on the
 * unweighted increments (Burnham & Anderson 2002, §2.5) is still computed and reported. Without a
 * decay fit (under 4 increments) the constant rate is the recency-weighted local rate
 * r = Σ wᵢxᵢ ÷ Σ wᵢΔtᵢ, wᵢ = e^(−ageᵢ/memory) (local likelihood; Loader 1999, ch. 7). Then
 * parametric bootstrap draws (poissonDraw) from the model read (decay, or constant at the edge),
 * with at least `modelFloor` (default 0.25) of the draws from the other: a deal's rate can also
 * stop falling (time of day, a second wave), which no fit of the first hours foresees.
 */
function poissonEta(
  curve: readonly ClaimCurvePoint[],
  opts: SellOutEtaOptions,
  run: EtaRun,
  rng: Rng,
): { sel: DrainSelection; taus: number[] } {
  const all = increments(curve);
  const recent = increments(curve, memoryHoursOf(curve, opts.memoryHours));
  const ch = poissonChoice(all, curve[0].units);
  const local = poissonConstant(recent).rate;
  const constant: ConstantDrainFit = { ...ch.constant, rate: local, intercept: curve[0].units - local * curve[0].t };
  const span = curve[curve.length - 1].t - curve[0].t;
  const edge = ch.decay !== null && ch.decay.k * span < CONSTANT_EDGE_K_SPAN;
  const qaiccNote = ch.decay
    ? `QAICc: constant ${ch.constant.aicc.toFixed(2)}, decay ${ch.decay.aicc.toFixed(2)} (φ = ${ch.dispersion.toFixed(2)})`
    : ch.reason;
  const why = ch.decay
    ? `decay fitted by maximum likelihood, k̂ = ${ch.decay.k.toFixed(4)}/h${edge ? ` (k̂·span < ${CONSTANT_EDGE_K_SPAN}: constant rate)` : ''}; ${qaiccNote}`
    : `${ch.reason}; rate = recency-weighted local rate`;
  const sel = forceModel(
    {
      fit: ch.decay && !edge ? ch.decay : ch.decay ? { ...ch.constant } : constant,
      constant: ch.decay ? ch.constant : constant,
      decay: ch.decay,
      decayWeight: ch.decay && !edge ? 1 : 0,
      dispersion: ch.dispersion,
      choiceReason: why,
    },
    opts.model,
  );
  if (run.S === 0) return { sel, taus: new Array<number>(run.draws).fill(0) };
  const sigma = opts.structuralSigma ?? 0.4;
  const floor = opts.modelFloor ?? 0.25;
  if (!(sigma >= 0)) throw new RangeError(`structuralSigma must be ≥ 0, got ${sigma}`);
  if (!(floor >= 0 && floor <= 0.5)) throw new RangeError(`modelFloor must be in [0, 0.5], got ${floor}`);
  const wD = sel.decay === null || opts.model !== undefined ? sel.decayWeight : Math.min(1 - floor, Math.max(floor, sel.decayWeight));
  const incs: DrawIncrements = { all, allStar: all.map((d) => ({ ...d })), recent, recentStar: recent.map((d) => ({ ...d })) };
  const taus: number[] = [];
  for (let d = 0; d < run.draws; d++) taus.push(poissonDraw(incs, sel, wD, sigma, run, rng));
  return { sel, taus };
}

/**
 * LEAST_SQUARES: AICc choice on the cumulative curve, then a moving-block bootstrap (block length
 * L = round(∛n)) of the Pearson residuals (x_i − m_i) ÷ √max(m_i, ½) of the increments; each draw
 * rebuilds the curve from m_i + residual·sd_i (clipped at 0) and refits the chosen model.
 */
function leastSquaresEta(
  curve: readonly ClaimCurvePoint[],
  opts: SellOutEtaOptions,
  run: EtaRun,
  rng: Rng,
): { sel: DrainSelection; taus: number[] } {
  const ch = fitDrain(curve);
  const forced = forceModel(
    { fit: ch.best, constant: ch.constant, decay: ch.decay, decayWeight: 0, dispersion: 1, choiceReason: ch.reason },
    opts.model,
  );
  const sel = { ...forced, decayWeight: forced.fit.model === 'DECAY' ? 1 : 0 };
  if (run.S === 0) return { sel, taus: new Array<number>(run.draws).fill(0) };
  const fit = sel.fit;
  const m: number[] = [];
  const sd: number[] = [];
  const res: number[] = [];
  for (let i = 1; i < curve.length; i++) {
    const mi = Math.max(0, drainCumulativeAt(fit, curve[i].t) - drainCumulativeAt(fit, curve[i - 1].t));
    const s = Math.sqrt(Math.max(mi, 0.5));
    m.push(mi);
    sd.push(s);
    res.push((curve[i].units - curve[i - 1].units - mi) / s);
  }
  const L = Math.max(1, Math.round(Math.cbrt(res.length)));
  const kRange = fit.model === 'DECAY' ? { min: fit.k / 8, max: fit.k * 8 } : undefined;
  const star: ClaimCurvePoint[] = curve.map((p) => ({ t: p.t, units: p.units }));
  const taus: number[] = [];
  for (let d = 0; d < run.draws; d++) {
    let u = curve[0].units;
    let i = 0;
    while (i < res.length) {
      const startB = rng.int(0, Math.max(0, res.length - L));
      for (let j = 0; j < L && i < res.length; j++, i++) {
        u += Math.max(0, m[i] + res[startB + j] * sd[i]);
        star[i + 1].units = u;
      }
    }
    const df = fit.model === 'CONSTANT' ? null : decayFitRaw(star, kRange);
    taus.push(run.cut(sellOutHoursFrom(df ?? constantFitRaw(star), run.S, run.atT)));
  }
  return { sel, taus };
}

/** Why the fitted model itself gives no ETA: demand dies out first (S ≥ r/k), no sales, or after the horizon. */
function noEtaReason(fit: DrainFit, S: number, rateNow: number, demandLimit: number, horizon: number): string {
  if (fit.model === 'DECAY' && S >= demandLimit)
    return `decaying demand can absorb only ${demandLimit.toFixed(1)} more units (r/k) but ${S} remain: it never sells out at this pace`;
  if (rateNow <= 0) return 'no sales at the current rate: never sells out';
  return `at the current pace it sells out after the horizon (${horizon.toFixed(2)} h left)`;
}

/** Validates the ETA options against the curve. */
function etaRun(curve: readonly ClaimCurvePoint[], opts: SellOutEtaOptions): EtaRun {
  checkCurve(curve, 2);
  if (!(opts.remaining >= 0) || !Number.isFinite(opts.remaining)) throw new RangeError(`remaining must be ≥ 0, got ${opts.remaining}`);
  if (!Number.isInteger(opts.seed)) throw new TypeError(`seed must be an integer, got ${String(opts.seed)}`);
  const draws = opts.draws ?? 200;
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be a positive integer, got ${draws}`);
  const atT = opts.atT ?? curve[curve.length - 1].t;
  if (!Number.isFinite(atT)) throw new RangeError(`atT must be finite, got ${atT}`);
  const horizon = opts.horizonHours ?? Infinity;
  if (!(horizon >= 0)) throw new RangeError(`horizonHours must be ≥ 0, got ${horizon}`);
  return { S: opts.remaining, atT, horizon, draws, cut: (tau) => (tau === null || tau > horizon ? Infinity : tau) };
}

/**
 * Sell-out ETA with P10/P50/P90 (hours from atT). Monotone in `remaining`: every draw's τ grows with
 * S and the draws themselves do not depend on S; never negative.
 */
export function sellOutEta(curve: readonly ClaimCurvePoint[], opts: SellOutEtaOptions): SellOutEta {
  const run = etaRun(curve, opts);
  const method = opts.method ?? 'POISSON';
  const rng = createRng(opts.seed);
  const { sel, taus } = method === 'POISSON' ? poissonEta(curve, opts, run, rng) : leastSquaresEta(curve, opts, run, rng);
  const { fit } = sel;
  const pointHours = run.cut(sellOutHoursFrom(fit, run.S, run.atT));
  const rateNow = drainRateAt(fit, run.atT);
  const demandLimit = fit.model === 'DECAY' ? decayDemandLimit(rateNow, fit.k) : Infinity;
  taus.sort((a, b) => a - b);
  const probability = taus.filter((x) => Number.isFinite(x)).length / taus.length;
  return {
    p10: quantileWithInf(taus, 0.1),
    p50: quantileWithInf(taus, 0.5),
    p90: quantileWithInf(taus, 0.9),
    pointHours: Number.isFinite(pointHours) ? pointHours : null,
    probability,
    fit,
    constant: sel.constant,
    decay: sel.decay,
    decayWeight: sel.decayWeight,
    dispersion: sel.dispersion,
    choiceReason: sel.choiceReason,
    rateNow,
    demandLimit,
    draws: run.draws,
    method,
    reason: Number.isFinite(pointHours) ? null : noEtaReason(fit, run.S, rateNow, demandLimit, run.horizon),
  };
}

/**
 * Log-linear Poisson intensity r(t) = r0·e^(−k·t) fitted by maximum likelihood to the curve's
 * increments, k free in sign (k > 0 decaying, k < 0 growing) within |k| ≤ maxKSpan ÷ span (default
 * 3: the rate may change e³-fold over the data, no more). For fixed k, r̂0 = X ÷ Σ(G_k(t_i) − G_k(t_{i−1})) with
 * G_k(t) = (1 − e^(−kt)) ÷ k (the Goel–Okumoto mean; see the section above); k by Brent's method
 * (stats/minimize.ts) on −ℓ. Used to back-date a deal's start (deals/timing.ts) and to read its
 * curve shape (deals/detect.ts). t is hours from the curve's origin; the rate is r0 at t = 0.
 */
export function fitLogLinearIntensity(curve: readonly ClaimCurvePoint[], maxKSpan = 3): { r0: number; k: number } {
  checkCurve(curve, 2);
  const inc = increments(curve);
  const span = curve[curve.length - 1].t - curve[0].t;
  const kMax = maxKSpan / span;
  const nll = (k: number) => -poissonDecayAtK(inc, k).ll;
  const best = brentMin(nll, -kMax, kMax, 1e-8, 100, 1e-9);
  const k = Math.abs(best.x) < 1e-9 ? 0 : best.x;
  return { r0: poissonDecayAtK(inc, k).r0, k };
}
