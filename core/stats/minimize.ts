/**
 * One-dimensional minimisation, shared by the forecast models (Theta's SES smoothing weight) and
 * the deal drain fits (the log decay constant of core/deals/drain.ts).
 */

export interface MinimizeResult {
  x: number;
  value: number;
}

/**
 * Brent's method for a local minimum of f on [a, b]: golden-section steps (ratio (3 − √5) ÷ 2 ≈
 * 0.381966) with parabolic interpolation through the three best points when it falls inside the
 * bracket and shrinks the step. Brent, R. P. (1973) "Algorithms for Minimization without
 * Derivatives", ch. 5 (procedure localmin); the same algorithm as R's optimize() (Brent_fmin in
 * src/library/stats/src/optimize.c).
 *
 * Stops when the bracket around the best point x is within 2·tol1, tol1 = tol·|x| + absTol (R's
 * optimize uses tol1 = ε·|x| + tol/3), or after maxIter evaluations. A parabolic step that is not a
 * number (f returned ±∞ or NaN) falls back to a golden-section step.
 */
export function brentMin(f: (x: number) => number, a: number, b: number, tol = 1e-10, maxIter = 200, absTol = 1e-12): MinimizeResult {
  if (!(a < b)) throw new RangeError(`brentMin needs a < b, got [${a}, ${b}]`);
  const g = 0.3819660112501051;
  let x = a + g * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let it = 0; it < maxIter; it++) {
    const xm = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + absTol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const etemp = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * etemp) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= xm ? a - x : b - x;
      d = g * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, value: fx };
}
