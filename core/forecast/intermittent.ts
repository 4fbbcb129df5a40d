/**
 * Intermittent-demand methods: Croston (1972), SBA (Syntetos & Boylan 2005), SBJ (Shale, Boylan &
 * Johnston 2006), TSB (Teunter, Syntetos & Babai 2011) and ADIDA (Nikolopoulos et al. 2011), with
 * the conventions of R's tsintermittent (crost / tsb): initialisation "naive" (first demand, first
 * interval / occurrence) or "mean" (first demand, mean interval / occurrence rate), optimisation of
 * weights and initial values on the "mar" / "msr" / "mae" / "mse" cost (Kourentzes 2014), and the
 * SBC demand classification (Syntetos, Boylan & Croston 2005) used to route series to them.
 *
 * Stockouts: periods flagged censored are not evidence of zero demand. A censored period without
 * sales is dropped (it neither ends an interval nor lowers the occurrence probability); a censored
 * period with sales counts as a demand of at least what sold: max(sales, current size estimate).
 */
import { nelderMead } from './optim';
import { fitSesOptimal } from './theta';

export type CrostonVariant = 'croston' | 'sba' | 'sbj';
export type IntermittentInit = 'naive' | 'mean' | readonly [number, number];
export type IntermittentCost = 'mar' | 'msr' | 'mae' | 'mse';

export interface IntermittentOptions {
  /** Smoothing weights. Croston: one number (same for both) or [demand, interval]; TSB:
   *  [demand, probability]. Omit to optimise them. */
  weights?: number | readonly [number, number];
  init?: IntermittentInit;
  /** Optimise the initial values too (tsintermittent's init.opt; default false here so the
   *  stated initialisation is kept, true reproduces tsintermittent's optimised fits). */
  optimizeInit?: boolean;
  cost?: IntermittentCost;
  /** Croston only: one shared weight (1) or separate weights (2) when optimising. */
  nop?: 1 | 2;
  censored?: readonly boolean[];
}

export interface IntermittentFit {
  method: string;
  /** [demand-size weight, interval (Croston) or probability (TSB) weight]. */
  weights: [number, number];
  /** [initial size, initial interval (Croston) or probability (TSB)]. */
  initial: [number, number];
  /** Flat per-period demand rate forecast. */
  rate: number;
  /** Smoothed demand size and occurrence probability behind the rate. */
  size: number;
  probability: number;
  /** In-sample one-step rates aligned with the input (NaN where undefined). */
  fittedRate: number[];
  /** Cost value at the chosen parameters (when optimised). */
  cost: number | null;
}

function validate(y: readonly number[]): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`y[${i}] must be a non-negative number, got ${v}`);
  }
}

/** Drop NaN and censored zero periods; keep flags for censored periods with sales. */
function prepare(y: readonly number[], censored?: readonly boolean[]): { data: number[]; cens: boolean[]; index: number[] } {
  if (censored && censored.length !== y.length) {
    throw new RangeError(`censored must have the same length as y (${y.length}), got ${censored.length}`);
  }
  const data: number[] = [];
  const cens: boolean[] = [];
  const index: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    const c = censored?.[i] ?? false;
    if (Number.isNaN(v) || (c && v === 0)) continue;
    data.push(v);
    cens.push(c);
    index.push(i);
  }
  return { data, cens, index };
}

function costOf(data: readonly number[], frcIn: readonly number[], cost: IntermittentCost): number {
  const n = data.length;
  if (cost === 'mse' || cost === 'mae') {
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(frcIn[i]!)) continue;
      const e = data[i]! - frcIn[i]!;
      s += cost === 'mse' ? e * e : Math.abs(e);
      c++;
    }
    return c > 0 ? s / c : Infinity;
  }
  // "mar"/"msr": distance to the running mean demand rate, flattened over the first 30 %.
  const target: number[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += data[i]!;
    target.push(cum / (i + 1));
  }
  const k = Math.ceil(0.3 * n);
  for (let i = 0; i < k; i++) target[i] = target[k - 1]!;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(frcIn[i]!)) continue;
    const e = frcIn[i]! - target[i]!;
    s += cost === 'mar' ? Math.abs(e) : e * e;
  }
  return s;
}

interface CrostonCore {
  rate: number;
  size: number;
  interval: number;
  frcIn: number[];
}

function crostonCore(
  data: readonly number[],
  cens: readonly boolean[],
  aZ: number,
  aX: number,
  z0: number,
  x0: number,
  coeff: number,
): CrostonCore {
  const n = data.length;
  const frcIn = new Array<number>(n).fill(NaN);
  let zf = z0;
  let xf = x0;
  let last = -1;
  let first = true;
  for (let t = 0; t < n; t++) {
    const v = data[t]!;
    if (v === 0) continue;
    if (first) {
      // The first demand only anchors the start: the initial values stand for it.
      first = false;
    } else {
      const z = cens[t] ? Math.max(v, zf) : v;
      zf += aZ * (z - zf);
      xf += aX * (t - last - xf);
    }
    last = t;
    const r = (coeff * zf) / xf;
    // Rate known after this demand applies up to and including the next demand period.
    let u = t + 1;
    while (u < n) {
      frcIn[u] = r;
      if (data[u] !== 0) break;
      u++;
    }
  }
  return { rate: (coeff * zf) / xf, size: zf, interval: xf, frcIn };
}

function variantCoeff(variant: CrostonVariant, aX: number): number {
  return variant === 'sba' ? 1 - aX / 2 : variant === 'sbj' ? 1 - aX / (2 - aX) : 1;
}

function unpackWeights(w: number | readonly [number, number], name: string): [number, number] {
  const pair: [number, number] = typeof w === 'number' ? [w, w] : [w[0], w[1]];
  for (const v of pair) if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  return pair;
}

/** Croston's method and its bias-corrected variants. Needs at least two non-zero demands. */
export function croston(y: readonly number[], variant: CrostonVariant = 'croston', opts: IntermittentOptions = {}): IntermittentFit {
  validate(y);
  const { data, cens, index } = prepare(y, opts.censored);
  const nzd: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i]! > 0) nzd.push(i);
  if (nzd.length < 2) throw new RangeError(`croston needs at least two non-zero demands, got ${nzd.length}`);
  const intervals = nzd.map((t, i) => (i === 0 ? t + 1 : t - nzd[i - 1]!));
  const init = opts.init ?? 'mean';
  let z0: number;
  let x0: number;
  if (typeof init === 'string') {
    z0 = data[nzd[0]!]!;
    x0 = init === 'mean' ? intervals.reduce((a, b) => a + b, 0) / intervals.length : intervals[0]!;
  } else {
    [z0, x0] = [init[0], init[1]];
    if (!(z0 >= 0)) throw new RangeError(`initial demand must be ≥ 0, got ${z0}`);
    if (!(x0 >= 1)) throw new RangeError(`initial interval must be ≥ 1, got ${x0}`);
  }
  const cost = opts.cost ?? 'mar';
  const optW = opts.weights === undefined;
  const optInit = opts.optimizeInit ?? false;
  let w: [number, number] = optW ? [0.05, 0.05] : unpackWeights(opts.weights!, 'weights');
  let costValue: number | null = null;
  if (optW || optInit) {
    const nop = opts.nop ?? 2;
    const maxData = Math.max(...data);
    const maxX = Math.max(...intervals);
    const evalCost = (p: ArrayLike<number>): number => {
      let k = 0;
      let aZ = w[0];
      let aX = w[1];
      if (optW) {
        aZ = p[k++]!;
        aX = nop === 1 ? aZ : p[k++]!;
        if (!(aZ >= 0 && aZ <= 1 && aX >= 0 && aX <= 1)) return 9e99;
      }
      let zi = z0;
      let xi = x0;
      if (optInit) {
        zi = p[k++]!;
        xi = p[k]!;
        if (!(zi >= 0 && zi <= maxData && xi >= 1 && xi <= maxX)) return 9e99;
      }
      return costOf(data, crostonCore(data, cens, aZ, aX, zi, xi, variantCoeff(variant, aX)).frcIn, cost);
    };
    const x: number[] = [];
    const steps: number[] = [];
    if (optW) {
      x.push(0.05);
      steps.push(0.1);
      if (nop === 2) {
        x.push(0.05);
        steps.push(0.1);
      }
    }
    if (optInit) {
      x.push(z0, x0);
      steps.push(Math.max(0.1 * z0, 0.1), Math.max(0.1 * x0, 0.1));
    }
    const r = nelderMead(evalCost, x, { steps, maxIter: 2000, relTol: 1e-10 });
    let k = 0;
    if (optW) {
      const aZ = r.x[k++]!;
      w = [aZ, nop === 1 ? aZ : r.x[k++]!];
    }
    if (optInit) {
      z0 = r.x[k++]!;
      x0 = r.x[k]!;
    }
    costValue = r.value;
  }
  const core = crostonCore(data, cens, w[0], w[1], z0, x0, variantCoeff(variant, w[1]));
  const fittedRate = new Array<number>(y.length).fill(NaN);
  for (let i = 0; i < index.length; i++) fittedRate[index[i]!] = core.frcIn[i]!;
  if (costValue === null) costValue = costOf(data, core.frcIn, cost);
  return {
    method: variant === 'croston' ? 'CROSTON' : variant === 'sba' ? 'SBA' : 'SBJ',
    weights: w,
    initial: [z0, x0],
    rate: core.rate,
    size: core.size,
    probability: 1 / core.interval,
    fittedRate,
    cost: costValue,
  };
}

function tsbCore(
  data: readonly number[],
  cens: readonly boolean[],
  aZ: number,
  aP: number,
  z0: number,
  p0: number,
): { zf: number; pf: number; frcIn: number[] } {
  const n = data.length;
  const frcIn = new Array<number>(n).fill(NaN);
  let zf = z0;
  let pf = p0;
  for (let t = 1; t < n; t++) {
    frcIn[t] = zf * pf;
    const v = data[t]!;
    pf += aP * ((v !== 0 ? 1 : 0) - pf);
    if (v !== 0) zf += aZ * ((cens[t] ? Math.max(v, zf) : v) - zf);
  }
  return { zf, pf, frcIn };
}

/** TSB: smooths the demand size (on demand) and the occurrence probability (every period). */
export function tsb(y: readonly number[], opts: IntermittentOptions = {}): IntermittentFit {
  validate(y);
  const { data, cens, index } = prepare(y, opts.censored);
  const sizes = data.filter((v) => v > 0);
  if (sizes.length < 1) throw new RangeError('tsb needs at least one non-zero demand');
  if (data.length < 2) throw new RangeError(`tsb needs at least 2 observations, got ${data.length}`);
  const init = opts.init ?? 'mean';
  let z0: number;
  let p0: number;
  if (typeof init === 'string') {
    z0 = sizes[0]!;
    p0 = init === 'mean' ? sizes.length / data.length : data[0]! !== 0 ? 1 : 0;
  } else {
    [z0, p0] = [init[0], init[1]];
    if (!(z0 >= 0)) throw new RangeError(`initial demand must be ≥ 0, got ${z0}`);
    if (!(p0 >= 0 && p0 <= 1)) throw new RangeError(`initial probability must be in [0, 1], got ${p0}`);
  }
  const cost = opts.cost ?? 'mar';
  const optW = opts.weights === undefined;
  const optInit = opts.optimizeInit ?? false;
  let w: [number, number] = optW ? [0.05, 0.05] : unpackWeights(opts.weights!, 'weights');
  if (typeof opts.weights === 'number') throw new TypeError('tsb weights must be [demand, probability]');
  let costValue: number | null = null;
  if (optW || optInit) {
    const maxData = Math.max(...data);
    const evalCost = (p: ArrayLike<number>): number => {
      let k = 0;
      let [aZ, aP] = w;
      if (optW) {
        aZ = p[k++]!;
        aP = p[k++]!;
        // tsintermittent requires the probability weight ≤ the size weight.
        if (!(aZ >= 0 && aZ <= 1 && aP >= 0 && aP <= 1) || aZ < aP) return 9e99;
      }
      let zi = z0;
      let pi = p0;
      if (optInit) {
        zi = p[k++]!;
        pi = p[k]!;
        if (!(zi >= 0 && zi <= maxData && pi >= 0 && pi <= 1)) return 9e99;
      }
      return costOf(data, tsbCore(data, cens, aZ, aP, zi, pi).frcIn, cost);
    };
    const x: number[] = [];
    const steps: number[] = [];
    if (optW) {
      x.push(0.05, 0.05);
      steps.push(0.1, -0.04);
    }
    if (optInit) {
      x.push(z0, p0);
      steps.push(Math.max(0.1 * z0, 0.1), p0 > 0.5 ? -0.05 : 0.05);
    }
    const r = nelderMead(evalCost, x, { steps, maxIter: 2000, relTol: 1e-10 });
    let k = 0;
    if (optW) w = [r.x[k++]!, r.x[k++]!];
    if (optInit) {
      z0 = r.x[k++]!;
      p0 = r.x[k]!;
    }
    costValue = r.value;
  }
  const core = tsbCore(data, cens, w[0], w[1], z0, p0);
  const fittedRate = new Array<number>(y.length).fill(NaN);
  for (let i = 0; i < index.length; i++) fittedRate[index[i]!] = core.frcIn[i]!;
  if (costValue === null) costValue = costOf(data, core.frcIn, cost);
  return {
    method: 'TSB',
    weights: w,
    initial: [z0, p0],
    rate: core.zf * core.pf,
    size: core.zf,
    probability: core.pf,
    fittedRate,
    cost: costValue,
  };
}

export interface AdidaFit {
  method: 'ADIDA';
  /** Aggregation level (periods per bucket). */
  aggregation: number;
  alpha: number;
  /** Per-period rate = bucket forecast / aggregation. */
  rate: number;
  buckets: number;
}

/**
 * ADIDA: sum the series into non-overlapping buckets of `aggregation` periods (aligned to the end,
 * the oldest partial bucket dropped), forecast the bucket totals by SES (α, ℓ₀ by least squares),
 * and spread the bucket forecast evenly. Default aggregation = the mean inter-demand interval.
 */
export function adida(y: readonly number[], opts: { aggregation?: number; censored?: readonly boolean[] } = {}): AdidaFit {
  validate(y);
  const { data } = prepare(y, opts.censored);
  let k = opts.aggregation;
  if (k === undefined) {
    const nz = data.filter((v) => v > 0).length;
    k = nz > 0 ? Math.max(1, Math.round(data.length / nz)) : 1;
  }
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`aggregation must be an integer ≥ 1, got ${k}`);
  k = Math.min(k, Math.max(1, Math.floor(data.length / 3)));
  const nb = Math.floor(data.length / k);
  if (nb < 2) throw new RangeError(`adida needs at least 2 buckets, got ${nb}`);
  const start = data.length - nb * k;
  const agg: number[] = [];
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += data[start + b * k + i]!;
    agg.push(s);
  }
  const ses = fitSesOptimal(agg);
  return { method: 'ADIDA', aggregation: k, alpha: ses.alpha, rate: Math.max(0, ses.level) / k, buckets: nb };
}

export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

export interface DemandClassification {
  /** Average inter-demand interval (periods per non-zero demand). */
  adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes (null with < 2 demands). */
  cv2: number | null;
  class: DemandClass;
  nonZero: number;
  n: number;
}

/** SBC classification: cut-offs ADI 1.32 and CV² 0.49 (Syntetos, Boylan & Croston 2005). */
export function classifyDemand(y: readonly number[], censored?: readonly boolean[]): DemandClassification {
  const { data } = prepare(y, censored);
  const sizes = data.filter((v) => v > 0);
  const n = data.length;
  const adi = sizes.length > 0 ? n / sizes.length : Infinity;
  let cv2: number | null = null;
  if (sizes.length >= 2) {
    const mu = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const v = sizes.reduce((a, b) => a + (b - mu) ** 2, 0) / (sizes.length - 1);
    cv2 = v / (mu * mu);
  }
  const highAdi = adi >= 1.32;
  const highCv = (cv2 ?? 0) >= 0.49;
  const cls: DemandClass = highAdi ? (highCv ? 'lumpy' : 'intermittent') : highCv ? 'erratic' : 'smooth';
  return { adi, cv2, class: cls, nonZero: sizes.length, n };
}

/**
 * Quantile of per-period demand under the intermittent model: zero with probability 1 − p, else a
 * size drawn from the observed non-zero sizes rescaled to mean `rate / p` (type-7 interpolation).
 */
export function intermittentQuantile(q: number, rate: number, p: number, sizes: readonly number[]): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  const prob = Math.min(Math.max(p, 1e-9), 1);
  if (q <= 1 - prob || sizes.length === 0 || rate <= 0) return 0;
  const sorted = [...sizes].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const scale = mean > 0 ? rate / prob / mean : 0;
  const u = (q - (1 - prob)) / prob;
  const pos = u * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!)) * scale;
}
