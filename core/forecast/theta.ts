/**
 * Theta method (Assimakopoulos & Nikolopoulos 2000) in the form of R's forecast::thetaf (Hyndman &
 * Billah 2003): SES with drift equal to half the slope of a linear trend, on data seasonally
 * adjusted by classical multiplicative decomposition when the 90 % seasonality test passes.
 */
import { PhiInv } from '../stats/normal';
import { brentMin } from '../stats/minimize';
import { decompose, seasonalityTest } from './seasonality';

export interface SesFit {
  alpha: number;
  l0: number;
  /** Level after the last observation = the flat SES forecast. */
  level: number;
  sse: number;
  nObs: number;
  sigma2: number;
}

/**
 * SES in ETS(A,N,N) form with α and ℓ₀ chosen by least squares (R: ses(), initial = "optimal").
 * For fixed α the one-step errors are linear in ℓ₀, so ℓ₀ has a closed form and only α is
 * searched (grid, then Brent): exact where R's Nelder–Mead is approximate.
 * NaN observations are skipped (state carried forward).
 */
export function fitSesOptimal(y: readonly number[], lower = 1e-4, upper = 0.9999): SesFit {
  const n = y.length;
  // e_t = a_t − w_t·ℓ₀ where a_t are the errors with ℓ₀ = 0 and w_t = (1−α)^(#obs before t).
  const profile = (alpha: number): { sse: number; l0: number } => {
    let la = 0; // level with ℓ₀ = 0
    let w = 1; // weight of ℓ₀ in the current level
    let saa = 0;
    let saw = 0;
    let sww = 0;
    for (let t = 0; t < n; t++) {
      const v = y[t]!;
      if (!Number.isFinite(v)) continue;
      const a = v - la;
      saa += a * a;
      saw += a * w;
      sww += w * w;
      la += alpha * a;
      w *= 1 - alpha;
    }
    const l0 = sww > 0 ? saw / sww : 0;
    return { sse: saa - 2 * l0 * saw + l0 * l0 * sww, l0 };
  };
  // Coarse grid guards against a local minimum; Brent polishes inside the best bracket.
  const grid = 20;
  let bi = 0;
  let bv = Infinity;
  const xs: number[] = [];
  for (let i = 0; i <= grid; i++) {
    const a = lower + ((upper - lower) * i) / grid;
    xs.push(a);
    const v = profile(a).sse;
    if (v < bv) {
      bv = v;
      bi = i;
    }
  }
  const lo = xs[Math.max(0, bi - 1)]!;
  const hi = xs[Math.min(grid, bi + 1)]!;
  const r = brentMin((a) => profile(a).sse, lo, hi, 1e-10);
  const alpha = r.value <= bv ? r.x : xs[bi]!;
  const { sse, l0 } = profile(alpha);
  let level = l0;
  let nObs = 0;
  for (let t = 0; t < n; t++) {
    const v = y[t]!;
    if (!Number.isFinite(v)) continue;
    level += alpha * (v - level);
    nObs++;
  }
  return { alpha, l0, level, sse: Math.max(sse, 0), nObs, sigma2: Math.max(sse, 0) / Math.max(nObs - 2, 1) };
}

export interface ThetaResult {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  alpha: number;
  drift: number;
  seasonal: boolean;
  /** Seasonal index per step (1 when not seasonal). */
  seasonalFactors: number[];
}

/** forecast::thetaf(y, h). `m` is the season length (1 = none). */
export function thetaf(y: readonly number[], h: number, m = 1): ThetaResult {
  const n = y.length;
  if (n < 3) throw new RangeError(`theta needs at least 3 observations, got ${n}`);
  let x = [...y];
  const finite = y.every((v) => Number.isFinite(v));
  const positive = y.every((v) => v > 0);
  // Multiplicative decomposition needs positive, complete data.
  const seasonal = m > 1 && finite && positive && seasonalityTest(y, m).seasonal;
  let factors = new Array<number>(h).fill(1);
  if (seasonal) {
    const d = decompose(y, m, 'multiplicative');
    x = y.map((v, i) => v / d.figure[i % m]!);
    factors = Array.from({ length: h }, (_, i) => d.figure[(n + i) % m]!);
  }
  const ses = fitSesOptimal(x);
  // Slope of the OLS line on t = 0..n−1 over the observed points.
  let sx = 0;
  let sy = 0;
  let c = 0;
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(x[t])) continue;
    sx += t;
    sy += x[t]!;
    c++;
  }
  const mx = sx / c;
  const my = sy / c;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(x[t])) continue;
    sxy += (t - mx) * (x[t]! - my);
    sxx += (t - mx) * (t - mx);
  }
  const drift = sxx > 0 ? sxy / sxx / 2 : 0;
  const alpha = Math.max(1e-10, ses.alpha);
  const base = (1 - Math.pow(1 - alpha, n)) / alpha;
  const z80 = PhiInv(0.9);
  const z95 = PhiInv(0.975);
  const sd = Math.sqrt(ses.sigma2);
  const mean: number[] = [];
  const lower80: number[] = [];
  const upper80: number[] = [];
  const lower95: number[] = [];
  const upper95: number[] = [];
  for (let i = 0; i < h; i++) {
    const mu = ses.level + drift * (i + base);
    const se = sd * Math.sqrt(i * alpha * alpha + 1);
    const f = factors[i]!;
    mean.push(mu * f);
    lower80.push((mu - z80 * se) * f);
    upper80.push((mu + z80 * se) * f);
    lower95.push((mu - z95 * se) * f);
    upper95.push((mu + z95 * se) * f);
  }
  return { mean, lower80, upper80, lower95, upper95, alpha, drift, seasonal, seasonalFactors: factors };
}
