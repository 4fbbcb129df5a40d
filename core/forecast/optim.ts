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

/** Simplex state: n + 1 vertices, their objective values and the running sum of the vertices. */
interface Simplex {
  n: number;
  pts: Float64Array[];
  vals: Float64Array;
  sum: Float64Array;
}

/**
 * out = c + coef·(c − p): the point through the centroid c away from the vertex p. Reflection uses coef = 1,
 * expansion coef = 2 (Nelder & Mead 1965, the coefficients R's optim uses).
 */
export function reflectThrough(out: Float64Array, c: Float64Array, p: Float64Array, coef: number): void {
  for (let j = 0; j < out.length; j++) out[j] = c[j]! + coef * (c[j]! - p[j]!);
}

/**
 * out = from + t·(to − from): the point a fraction t of the way from `from` to `to` (out may be `to`). With
 * t = ½ this is the contraction towards the centroid and the shrink towards the best vertex (Nelder & Mead 1965).
 */
export function towards(out: Float64Array, from: Float64Array, to: Float64Array, t: number): void {
  for (let j = 0; j < out.length; j++) out[j] = from[j]! + t * (to[j]! - from[j]!);
}

/**
 * The start simplex: x0 and, per coordinate i, x0 moved by steps[i]; a move that leaves the feasible region
 * (non-finite value) is tried the other way, then as a tenth of the step.
 */
function initialSimplex(ev: (x: Float64Array) => number, x0: number[], steps: number[]): Simplex {
  const n = x0.length;
  const pts: Float64Array[] = [Float64Array.from(x0)];
  const vals = new Float64Array(n + 1);
  vals[0] = ev(pts[0]!);
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] = p[i]! + steps[i]!;
    let v = ev(p);
    if (!Number.isFinite(v)) {
      p[i] = x0[i]! - steps[i]!;
      v = ev(p);
      if (!Number.isFinite(v)) {
        p[i] = x0[i]! + 0.1 * steps[i]!;
        v = ev(p);
      }
    }
    pts.push(p);
    vals[i + 1] = v;
  }
  const simplex = { n, pts, vals, sum: new Float64Array(n) };
  resum(simplex);
  return simplex;
}

/** Recomputes the running vertex sum from scratch (after a shrink moves every vertex). */
function resum(s: Simplex): void {
  s.sum.fill(0);
  for (const p of s.pts) for (let j = 0; j < s.n; j++) s.sum[j] = s.sum[j]! + p[j]!;
}

/** Replaces vertex i by src with value v, updating the running sum. */
function replaceVertex(s: Simplex, i: number, src: Float64Array, v: number): void {
  const dst = s.pts[i]!;
  for (let j = 0; j < s.n; j++) s.sum[j] = s.sum[j]! - dst[j]! + src[j]!;
  dst.set(src);
  s.vals[i] = v;
}

/**
 * Indices of the best, worst and second-worst vertices into `order`, by linear scan (a full sort per iteration
 * costs more than the model evaluation for short series). Ties: the first best, the last worst.
 */
function rankVertices(vals: Float64Array, order: Int32Array): void {
  const n = vals.length - 1;
  let best = 0;
  let worst = 0;
  for (let i = 1; i <= n; i++) {
    if (vals[i]! < vals[best]!) best = i;
    if (vals[i]! >= vals[worst]!) worst = i;
  }
  let second = worst === 0 ? 1 : 0;
  for (let i = 0; i <= n; i++) if (i !== worst && vals[i]! > vals[second]!) second = i;
  order[0] = best;
  order[1] = worst;
  order[2] = second;
}

/** Scratch points reused across iterations: centroid, reflected, expanded and contracted. */
interface Work {
  centroid: Float64Array;
  xr: Float64Array;
  xe: Float64Array;
  xc: Float64Array;
}

/**
 * One Nelder–Mead move on the simplex: reflect the worst vertex through the centroid of the others; expand if the
 * reflection beats the best; accept it if it beats the second worst; else contract (outside if it beats the worst,
 * inside otherwise); failing that, shrink every vertex halfway towards the best.
 */
function nelderMeadMove(s: Simplex, ev: (x: Float64Array) => number, order: Int32Array, w: Work): void {
  const { n, pts, vals } = s;
  const best = order[0]!;
  const worst = order[1]!;
  const fb = vals[best]!;
  const fw = vals[worst]!;
  // Centroid of all but the worst from the running vertex sum (O(n) instead of O(n²)).
  const pw = pts[worst]!;
  for (let j = 0; j < n; j++) w.centroid[j] = (s.sum[j]! - pw[j]!) / n;
  reflectThrough(w.xr, w.centroid, pw, 1);
  const fr = ev(w.xr);
  if (fr < fb) {
    reflectThrough(w.xe, w.centroid, pw, 2);
    const fe = ev(w.xe);
    if (fe < fr) replaceVertex(s, worst, w.xe, fe);
    else replaceVertex(s, worst, w.xr, fr);
    return;
  }
  if (fr < vals[order[2]!]!) return replaceVertex(s, worst, w.xr, fr);
  const outside = fr < fw;
  towards(w.xc, w.centroid, outside ? w.xr : pw, 0.5);
  const fc = ev(w.xc);
  if (fc < (outside ? fr : fw)) return replaceVertex(s, worst, w.xc, fc);
  const pb = pts[best]!;
  for (let i = 0; i <= n; i++) {
    if (i === best) continue;
    towards(pts[i]!, pb, pts[i]!, 0.5);
    vals[i] = ev(pts[i]!);
  }
  resum(s);
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
  let evals = 0;
  const ev = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const s = initialSimplex(ev, x0, opts.steps);
  const work = { centroid: new Float64Array(n), xr: new Float64Array(n), xe: new Float64Array(n), xc: new Float64Array(n) };
  const order = new Int32Array(3);
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    iter++;
    rankVertices(s.vals, order);
    const fb = s.vals[order[0]!]!;
    const fw = s.vals[order[1]!]!;
    // R's reltol test: stop when the spread of values is within relTol of the best.
    if (Number.isFinite(fw) && fw - fb <= relTol * (Math.abs(fb) + relTol)) {
      converged = true;
      break;
    }
    nelderMeadMove(s, ev, order, work);
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (s.vals[i]! < s.vals[bi]!) bi = i;
  return { x: Array.from(s.pts[bi]!), value: s.vals[bi]!, evaluations: evals, converged };
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
