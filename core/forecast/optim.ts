/**
 * Small derivative-free optimisers used to fit the forecasting models. Written here (no npm
 * dependency) so core/ stays bundle-friendly for the Apps Script add-on.
 */

export interface NelderMeadOptions {
  /** Per-coordinate initial simplex step. Models mix smoothing weights (~0.1) and states (~data
   *  scale), so a single step like R's optim (10 % of max |x|) would waste most evaluations. */
  steps: number[];
  maxIter?: number;
  /** Relative tolerance on the spread of function values across the simplex (R's reltol). */
  relTol?: number;
}

export interface OptimResult {
  x: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Nelder–Mead simplex minimisation (reflection 1, expansion 2, contraction ½, shrink ½).
 * Constraints are handled by the objective returning +Infinity outside the feasible set, as R's
 * ets does; the start point must be feasible.
 */
export function nelderMead(f: (x: Float64Array) => number, x0: number[], opts: NelderMeadOptions): OptimResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 200 * n;
  const relTol = opts.relTol ?? 1e-8;
  if (opts.steps.length !== n) throw new RangeError(`steps must have length ${n}, got ${opts.steps.length}`);
  const pts: Float64Array[] = [];
  const vals = new Float64Array(n + 1);
  let evals = 0;
  const ev = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  pts.push(Float64Array.from(x0));
  vals[0] = ev(pts[0]!);
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] = p[i]! + opts.steps[i]!;
    let v = ev(p);
    if (!Number.isFinite(v)) {
      // Step out of the feasible region: try the other direction, then a smaller step.
      p[i] = x0[i]! - opts.steps[i]!;
      v = ev(p);
      if (!Number.isFinite(v)) {
        p[i] = x0[i]! + 0.1 * opts.steps[i]!;
        v = ev(p);
      }
    }
    pts.push(p);
    vals[i + 1] = v;
  }
  const sum = new Float64Array(n);
  const resum = (): void => {
    sum.fill(0);
    for (const p of pts) for (let j = 0; j < n; j++) sum[j] = sum[j]! + p[j]!;
  };
  const replace = (dst: Float64Array, src: Float64Array): void => {
    for (let j = 0; j < n; j++) sum[j] = sum[j]! - dst[j]! + src[j]!;
    dst.set(src);
  };
  resum();
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    iter++;
    // Linear scan for best / worst / second worst (a full sort per iteration costs more than
    // the model evaluation for short series).
    let best = 0;
    let worst = 0;
    for (let i = 1; i <= n; i++) {
      if (vals[i]! < vals[best]!) best = i;
      if (vals[i]! >= vals[worst]!) worst = i;
    }
    let second = worst === 0 ? 1 : 0;
    for (let i = 0; i <= n; i++) if (i !== worst && vals[i]! > vals[second]!) second = i;
    const fb = vals[best]!;
    const fw = vals[worst]!;
    if (Number.isFinite(fw) && fw - fb <= relTol * (Math.abs(fb) + relTol)) {
      converged = true;
      break;
    }
    // Centroid of all but the worst from the running vertex sum (O(n) instead of O(n²)).
    const pw = pts[worst]!;
    for (let j = 0; j < n; j++) centroid[j] = (sum[j]! - pw[j]!) / n;
    for (let j = 0; j < n; j++) xr[j] = centroid[j]! + (centroid[j]! - pw[j]!);
    const fr = ev(xr);
    if (fr < fb) {
      for (let j = 0; j < n; j++) xe[j] = centroid[j]! + 2 * (centroid[j]! - pw[j]!);
      const fe = ev(xe);
      if (fe < fr) {
        replace(pw, xe);
        vals[worst] = fe;
      } else {
        replace(pw, xr);
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[second]!) {
      replace(pw, xr);
      vals[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflected point beats the worst, inside otherwise.
    const outside = fr < fw;
    for (let j = 0; j < n; j++) {
      xc[j] = outside ? centroid[j]! + 0.5 * (xr[j]! - centroid[j]!) : centroid[j]! + 0.5 * (pw[j]! - centroid[j]!);
    }
    const fc = ev(xc);
    if (fc < (outside ? fr : fw)) {
      replace(pw, xc);
      vals[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    const pb = pts[best]!;
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const p = pts[i]!;
      for (let j = 0; j < n; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
      vals[i] = ev(p);
    }
    resum();
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[bi]!) bi = i;
  return { x: Array.from(pts[bi]!), value: vals[bi]!, evaluations: evals, converged };
}

/**
 * True when every root of the real polynomial Σ c[i]·z^i has modulus below `radius`
 * (Schur–Cohn step-down on P(radius·z)). Replaces R's polyroot() in the ETS admissibility test at
 * O(d²) cost. A radius slightly above 1 accepts roots on the unit circle, as R does.
 */
export function rootsInsideUnitCircle(c: ArrayLike<number>, radius = 1): boolean {
  let d = c.length - 1;
  if (bufA.length < c.length) {
    bufA = new Float64Array(c.length * 2);
    bufB = new Float64Array(c.length * 2);
  }
  // Allocation-free: this runs inside every likelihood evaluation of seasonal ETS models.
  let a = bufA;
  let b = bufB;
  let r = 1;
  for (let i = 0; i <= d; i++) {
    a[i] = c[i]! * r;
    r *= radius;
  }
  while (d > 0 && a[d] === 0) d--;
  while (d > 0) {
    const a0 = a[0]!;
    const ad = a[d]!;
    if (Math.abs(a0) >= Math.abs(ad)) return false;
    for (let i = 0; i < d; i++) b[i] = ad * a[i + 1]! - a0 * a[d - 1 - i]!;
    d--;
    const s = Math.abs(b[d]!);
    if (!(s > 0)) return false;
    for (let i = 0; i <= d; i++) b[i] = b[i]! / s;
    const t = a;
    a = b;
    b = t;
  }
  return true;
}
let bufA = new Float64Array(64);
let bufB = new Float64Array(64);
