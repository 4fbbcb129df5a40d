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
  let best = 1;
  let bestR = 0;
  for (const m of COMMON_PERIODS) {
    if (x.length < 3 * m) continue;
    const t = detrendedSeasonality(x, m);
    if (!t || t.r <= bestR || !t.seasonal) continue;
    best = m;
    bestR = t.r;
  }
  return best;
}

/**
 * Step "de-trended seasonality test at lag m": remove a centred moving average of length m (which
 * averages the season out but keeps level shifts and trends) and apply thetaf's 90 % test to the
 * autocorrelation of what is left at lag m. Null when fewer than 2m + 1 de-trended values exist.
 */
export function detrendedSeasonality(x: readonly number[], m: number): { r: number; seasonal: boolean } | null {
  const n = x.length;
  if (m < 2 || n < 2 * m) return null;
  const d = decompose(x, m, 'additive');
  const resid: number[] = [];
  for (let t = 0; t < n; t++) if (!Number.isNaN(d.trend[t]!)) resid.push(x[t]! - d.trend[t]!);
  if (resid.length <= 2 * m) return null;
  return { r: acf(resid, m)[m - 1]!, seasonal: seasonalityTest(resid, m).seasonal };
}

/** Sampling frequency of a series: what the calendar says its seasons are. */
export type CalendarFrequency = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export const CALENDAR_FREQUENCIES: readonly CalendarFrequency[] = ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

/**
 * Season lengths the calendar gives a series of n periods, the one the models use first: hourly → 24
 * (and the week, 168, from two weeks of data); daily → 7 (and the year, 365.25, from two years); weekly →
 * 52; monthly → 12; quarterly → 4; yearly → 1 (none). The secondary seasons are reported, not modelled:
 * the pool's models take one integer season.
 */
export function calendarPeriods(frequency: CalendarFrequency, n: number): number[] {
  switch (frequency) {
    case 'hourly':
      return n >= 2 * 168 ? [24, 168] : [24];
    case 'daily':
      return n >= 2 * 365.25 ? [7, 365.25] : [7];
    case 'weekly':
      return [52];
    case 'monthly':
      return [12];
    case 'quarterly':
      return [4];
    case 'yearly':
      return [1];
    default:
      throw new RangeError(`frequency must be one of ${CALENDAR_FREQUENCIES.join(', ')}, got ${String(frequency)}`);
  }
}

export interface CalendarPeriod {
  /** The season length the models get (1 = none). */
  period: number;
  /** Every calendar season of the frequency (calendarPeriods). */
  periods: number[];
  /** The de-trended ACF test at the calendar period: true = confirmed, false = not confirmed, null = not run. */
  confirmed: boolean | null;
  reason: string;
}

/**
 * The season from the data's calendar, confirmed or rejected by the data (never replaced by another
 * length): rejected (period 1) when the history holds fewer than two full seasons plus one period, too
 * few to estimate one; otherwise kept, with the de-trended ACF test (detrendedSeasonality) reported as
 * confirming it or not. An unconfirmed calendar season is still passed on: the models' own tests (ETS by
 * AICc, Theta's 90 % test, ARIMA's seasonal strength) drop it where it does not pay. Measured on M3
 * monthly (issue 17): letting detection pick the period instead chose 1 on 814 of 1,428 series and cost
 * 0.13 sMAPE (13.79 against 13.66 with the calendar's 12).
 */
export function calendarPeriod(y: readonly number[], frequency: CalendarFrequency): CalendarPeriod {
  const x = y.filter((v) => Number.isFinite(v));
  const periods = calendarPeriods(frequency, y.length);
  const m = periods[0]!;
  if (m === 1) return { period: 1, periods, confirmed: null, reason: `${frequency} data: no season` };
  if (x.length < 2 * m + 1) {
    return {
      period: 1,
      periods,
      confirmed: null,
      reason: `${frequency} season ${m} rejected: ${x.length} observations, fewer than two seasons plus one`,
    };
  }
  const t = detrendedSeasonality(x, m);
  const confirmed = t ? t.seasonal : null;
  const test =
    confirmed === null
      ? 'too short for the ACF test'
      : confirmed
        ? 'confirmed by the de-trended ACF test (90 %)'
        : 'not confirmed by the de-trended ACF test (90 %): the models decide';
  return { period: m, periods, confirmed, reason: `${frequency} calendar season ${m}, ${test}` };
}
