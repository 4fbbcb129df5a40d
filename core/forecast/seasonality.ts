/**
 * Classical decomposition, autocorrelation and seasonality tests, following R's stats::decompose,
 * stats::acf and the 90 % seasonality test of forecast::thetaf, so that initial states and Theta
 * forecasts match R's conventions.
 */

export interface Decomposition {
  /** Centred moving-average trend (NaN at the ends, as in R). */
  trend: number[];
  /** Seasonal component for every time point (figure repeated). */
  seasonal: number[];
  /** One seasonal index per cycle position, position 0 = first observation. */
  figure: number[];
}

/** R's decompose(): centred MA of order m (2×m for even m), averaged de-trended values per position. */
export function decompose(x: readonly number[], m: number, type: 'additive' | 'multiplicative'): Decomposition {
  const n = x.length;
  if (!Number.isInteger(m) || m < 2) throw new RangeError(`period must be an integer ≥ 2, got ${m}`);
  if (n < 2 * m) throw new RangeError(`decompose needs at least 2 periods (${2 * m} points), got ${n}`);
  const w: number[] = m % 2 === 0 ? [0.5, ...new Array<number>(m - 1).fill(1), 0.5] : new Array<number>(m).fill(1);
  for (let i = 0; i < w.length; i++) w[i] = w[i]! / m;
  const half = Math.floor(w.length / 2);
  const trend = new Array<number>(n).fill(NaN);
  for (let t = half; t < n - (w.length - 1 - half); t++) {
    let s = 0;
    for (let k = 0; k < w.length; k++) s += w[k]! * x[t - half + k]!;
    trend[t] = s;
  }
  const figure = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let c = 0;
    for (let t = i; t < n; t += m) {
      const tr = trend[t]!;
      if (Number.isNaN(tr)) continue;
      s += type === 'additive' ? x[t]! - tr : x[t]! / tr;
      c++;
    }
    figure[i] = c > 0 ? s / c : NaN;
  }
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  for (let i = 0; i < m; i++) figure[i] = type === 'additive' ? figure[i]! - mean : figure[i]! / mean;
  const seasonal = new Array<number>(n);
  for (let t = 0; t < n; t++) seasonal[t] = figure[t % m]!;
  return { trend, seasonal, figure };
}

/** Sample autocorrelations r_1..r_maxLag (R's acf: denominator uses the full-sample variance). */
export function acf(x: readonly number[], maxLag: number): number[] {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let c0 = 0;
  for (const v of x) c0 += (v - mean) * (v - mean);
  const r: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    if (k >= n || c0 === 0) {
      r.push(0);
      continue;
    }
    let ck = 0;
    for (let t = k; t < n; t++) ck += (x[t]! - mean) * (x[t - k]! - mean);
    r.push(ck / c0);
  }
  return r;
}

/**
 * forecast::thetaf's seasonality test: |r_m| exceeds 1.645 standard errors of the Bartlett
 * approximation √((1 + 2 Σ_{k<m} r_k²)/n). Requires n > 2m and a non-constant series.
 */
export function seasonalityTest(x: readonly number[], m: number, z = 1.6448536269514722): { seasonal: boolean; stat: number | null } {
  const n = x.length;
  if (m < 2 || n <= 2 * m) return { seasonal: false, stat: null };
  let constant = true;
  for (let i = 1; i < n; i++) if (x[i] !== x[0]) constant = false;
  if (constant) return { seasonal: false, stat: null };
  const r = acf(x, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k]! * r[k]!;
  const se = Math.sqrt((1 + 2 * s) / n);
  const stat = Math.abs(r[m - 1]!) / se;
  return { seasonal: stat > z, stat };
}

/** Season lengths seen in demand data: quarters, days in a week, months, hours, weeks in a year. */
const COMMON_PERIODS = [4, 7, 12, 24, 52, 168] as const;

/**
 * Guess a season length when the caller gives none: among COMMON_PERIODS with at least three full
 * cycles, remove the trend with a centred moving average of that length (which averages the
 * season out but keeps level shifts and trends), and test the autocorrelation of what is left at
 * that lag (thetaf's 90 % test). The length with the highest passing autocorrelation wins; 1 when
 * none passes. The lenient level is deliberate: a false season costs little (AICc and Theta's own
 * test still reject it) while a missed one costs a lot. Measured on every 4th M3 monthly series with
 * the period withheld: sMAPE 13.58 / MASE 0.849 against 13.40 / 0.826 with period 12 given, 14.03 / 0.888
 * at the 1 % level; white noise is flagged seasonal 17 % of the time. Callers that know the data's
 * frequency (7 for daily sales, 24 for hourly, 12 for monthly) should pass it.
 */
export function detectPeriod(y: readonly number[]): number {
  const x = y.filter((v) => Number.isFinite(v));
  const n = x.length;
  let best = 1;
  let bestR = 0;
  for (const m of COMMON_PERIODS) {
    if (n < 3 * m) continue;
    const d = decompose(x, m, 'additive');
    const resid: number[] = [];
    for (let t = 0; t < n; t++) if (!Number.isNaN(d.trend[t]!)) resid.push(x[t]! - d.trend[t]!);
    if (resid.length <= 2 * m) continue;
    const rm = acf(resid, m)[m - 1]!;
    if (rm <= bestR) continue;
    if (!seasonalityTest(resid, m).seasonal) continue;
    best = m;
    bestR = rm;
  }
  return best;
}
