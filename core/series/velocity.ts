/**
 * Sales velocity of a competitor listing from its snapshots.
 *
 *   rate = Σ measured units ÷ Σ measured hours
 *
 * Measured intervals are EXACT (stock fell between exact readings) and CLAIMS (deal % claimed ×
 * quantity); see intervals.ts. Restock intervals and long gaps are left out of both sums — they are
 * neither negative sales nor zero sales. Censored intervals ("999+") only bound sales from below, so
 * when any lies in the window the result is a lower bound (`value` null, `isLowerBoundOnly` true).
 *
 * Interval: exact Poisson (Garwood) interval of the measured count, widened by √φ where φ is the
 * dispersion index of per-interval counts (sales come in bursts; φ ≥ 1).
 */
import { anomalyNote, stockReadingFlags, withoutAnomalousValues } from '../anomalies/flags';
import type { SnapshotFlag } from '../anomalies/detect';
import { Explainer, type Explanation } from '../explain';
import { DEFAULT_MAX_GAP_MS, overlapFraction, stockIntervals, type StockInterval } from './intervals';
import { poissonMeanInterval } from './poissonInterval';
import { isoOrNull, provenanceOf, round, staleNote, toDataProvenance, type ProvenanceResult } from './provenance';
import { type Estimate, HOUR_MS, type SnapshotPoint, type TimeRange } from './types';
import { validateNow, validatePoints, validateRange } from './validate';

export interface VelocityOptions {
  now: number;
  /** Window start, epoch ms. Default: first snapshot. */
  from?: number;
  /** Window end, epoch ms. Default: now. */
  to?: number;
  /** Coverage of the interval. Default 0.9 (5 %–95 %). */
  confidence?: number;
  /** Readings further apart than this are a gap (not counted). Default 12 h. */
  maxGapMs?: number;
  /** Newest snapshot older than this is stale. Default: 3 capture intervals within [2 h, 48 h]. */
  staleAfterMs?: number;
  /** Time ranges to leave out (e.g. deals, for a baseline). */
  exclude?: readonly TimeRange[];
  /** Leave out intervals with exact stock 0 at both ends (demand was not observable). Default false. */
  excludeOutOfStock?: boolean;
  /**
   * The shared per-reading anomaly flags of `points` (core/anomalies/flags.ts), one per reading.
   * Default: stockReadingFlags for the readings within maxGapMs of the window. A stock value
   * flagged as wrong (READING scope, e.g. a one-capture 0 between 506 and 505) is left out as if
   * not captured: neither 507 units sold nor a 505-unit restock.
   */
  anomalies?: readonly SnapshotFlag[];
}

export interface VelocityResult {
  from: number;
  to: number;
  /** Units per hour: value null when the figure is only a lower bound (censored stock in the window). */
  perHour: Estimate;
  perDay: Estimate;
  confidence: number;
  isLowerBoundOnly: boolean;
  /** Rate over the measured (exact or claims) intervals only, whatever else is in the window. */
  measuredPerHour: number | null;
  /** Units counted in measured intervals. */
  unitsMeasured: number;
  /** Units claimed in deals (part of unitsMeasured or of the censored lower bound). */
  dealUnits: number;
  /** Units sold are at least this over the window's measured + censored time. */
  unitsLowerBound: number;
  measuredHours: number;
  censoredHours: number;
  /** Restock intervals and long gaps between readings: not counted as sales or as zero. */
  unobservedHours: number;
  /** Out-of-stock hours left out (excludeOutOfStock) plus excluded ranges. */
  excludedHours: number;
  /** Sum of observed stock rises (restocks are not negative sales). */
  restockUnits: number;
  dispersion: number;
  intervalCounts: Record<StockInterval['kind'], number>;
  provenance: ProvenanceResult;
  explanation: Explanation;
}

function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges
    .filter((r) => r.end > r.start)
    .map((r) => ({ ...r }))
    .sort((a, b) => a.start - b.start);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

/** Fraction of an interval inside the window and outside every excluded range. */
function keptFraction(iv: { start: number; end: number }, from: number, to: number, excl: readonly TimeRange[]): number {
  let f = overlapFraction(iv.start, iv.end, from, to);
  if (f <= 0) return 0;
  if (iv.end <= iv.start) return f;
  const lo = Math.max(iv.start, from);
  const hi = Math.min(iv.end, to);
  for (const r of excl) {
    const a = Math.max(lo, r.start);
    const b = Math.min(hi, r.end);
    if (b > a) f -= (b - a) / (iv.end - iv.start);
  }
  return Math.max(0, f);
}

/** Sums over the window's stock intervals, by kind. */
interface Tally {
  counts: Record<StockInterval['kind'], number>;
  units: number;
  dealUnits: number;
  measuredH: number;
  censoredH: number;
  unobservedH: number;
  excludedH: number;
  censLower: number;
  censUpper: number;
  /** A censored interval had no upper bound on its sales. */
  unbounded: boolean;
  restockUnits: number;
  /** Units and hours of each measured interval, for the dispersion index. */
  measured: { x: number; h: number }[];
}

/**
 * Sums the stock intervals over the window, each weighted by the fraction of it kept (inside the
 * window, outside excluded ranges): EXACT and CLAIMS are measured, CENSORED bound sales, RESTOCK
 * and GAP are unobserved (a rise counts once, when its end reading is inside the window).
 */
function tallyIntervals(
  points: readonly SnapshotPoint[],
  from: number,
  to: number,
  maxGapMs: number,
  excl: readonly TimeRange[],
  excludeOutOfStock: boolean,
): Tally {
  const t: Tally = {
    counts: { EXACT: 0, CLAIMS: 0, CENSORED: 0, RESTOCK: 0, GAP: 0 },
    units: 0,
    dealUnits: 0,
    measuredH: 0,
    censoredH: 0,
    unobservedH: 0,
    excludedH: 0,
    censLower: 0,
    censUpper: 0,
    unbounded: false,
    restockUnits: 0,
    measured: [],
  };
  for (const iv of stockIntervals(points, { maxGapMs, from, to })) {
    if (iv.end <= from || iv.start >= to) continue;
    const inWindow = overlapFraction(iv.start, iv.end, from, to);
    const f = keptFraction(iv, from, to, excl);
    const spanH = (iv.end - iv.start) / HOUR_MS;
    t.excludedH += (inWindow - f) * spanH;
    if (f <= 0) continue;
    const h = spanH * f;
    const a = points[iv.fromIndex];
    const b = points[iv.toIndex];
    if (excludeOutOfStock && a.stock === 0 && b.stock === 0 && !a.stockIsLowerBound && !b.stockIsLowerBound) {
      t.excludedH += h;
      continue;
    }
    t.counts[iv.kind]++;
    if (iv.kind === 'EXACT' || iv.kind === 'CLAIMS') {
      const x = (iv.sold as number) * f;
      t.units += x;
      t.measuredH += h;
      if (iv.kind === 'CLAIMS' || iv.inDeal) t.dealUnits += x;
      t.measured.push({ x, h });
    } else if (iv.kind === 'CENSORED') {
      t.censoredH += h;
      t.censLower += iv.soldLower * f;
      if (iv.soldUpper === null) t.unbounded = true;
      else t.censUpper += iv.soldUpper * f;
    } else {
      t.unobservedH += h;
      if (iv.end <= to && iv.end >= from) t.restockUnits += iv.increase;
    }
  }
  return t;
}

/**
 * Dispersion index of per-interval counts around the common rate v (quasi-Poisson φ):
 * φ = Σ (x − v·h)² ÷ (v·h) ÷ (m − 1) over the m measured intervals, clamped to [1, 100];
 * 1 with fewer than 2 intervals or no positive rate.
 */
export function dispersionIndex(measured: readonly { x: number; h: number }[], rate: number | null): number {
  if (rate === null || !(rate > 0) || measured.length < 2) return 1;
  let chi = 0;
  for (const m of measured) {
    const e = rate * m.h;
    if (e > 0) chi += (m.x - e) ** 2 / e;
  }
  return Math.min(100, Math.max(1, chi / (measured.length - 1)));
}

/**
 * A rate count ÷ hours with its interval: the exact Poisson (Garwood) interval [L, U] of the count,
 * widened around the rate by w = √φ: [max(0, r − w·(r − L ÷ hours)), r + w·(U ÷ hours − r)].
 */
export function widenedRateInterval(
  count: number,
  hours: number,
  confidence: number,
  widen: number,
): { rate: number; lower: number; upper: number } {
  const ci = poissonMeanInterval(count, confidence);
  const rate = count / hours;
  return { rate, lower: Math.max(0, rate - widen * (rate - ci.lower / hours)), upper: rate + widen * (ci.upper / hours - rate) };
}

/**
 * Units per hour: the measured rate with its widened interval; with censored time in the window,
 * only a lower bound (measured + censored lower bounds over measured + censored hours) and an
 * upper bound when every censored interval has one.
 */
function perHourEstimate(t: Tally, measuredRate: number | null, confidence: number, widen: number): Estimate {
  if (t.censoredH <= 0) {
    if (measuredRate === null) return { value: null, lower: 0, upper: null };
    const w = widenedRateInterval(t.units, t.measuredH, confidence, widen);
    return { value: measuredRate, lower: w.lower, upper: w.upper };
  }
  const span = t.measuredH + t.censoredH;
  const lo = widenedRateInterval(t.units + t.censLower, span, confidence, widen).lower;
  const hi = t.unbounded ? null : widenedRateInterval(t.units + t.censUpper, span, confidence, widen).upper;
  return { value: null, lower: lo, upper: hi };
}

/** Notes on censored, unobserved, deal and excluded time, a missing figure and staleness. */
function velocityNotes(ex: Explainer, t: Tally, measuredRate: number | null, maxGapMs: number, provenance: ProvenanceResult): void {
  const isLowerBoundOnly = t.censoredH > 0;
  if (isLowerBoundOnly) {
    ex.step('censored hours', round(t.censoredH, 3)).step('censored units lower bound', round(t.censLower, 3));
    ex.note(
      `${t.counts.CENSORED} interval(s) (${round(t.censoredH, 2)} h) had censored stock (a lower bound such as "10+" or "999+"): ` +
        `they only show that at least ${round(t.censLower, 1)} units sold, so the velocity is a lower bound, not an exact figure.` +
        (measuredRate === null
          ? ''
          : ` Over the ${round(t.measuredH, 2)} h with exact readings the rate was ${round(measuredRate, 3)} units/h.`),
    );
  }
  if (t.unobservedH > 0) {
    ex.note(
      `${t.counts.RESTOCK} restock interval(s) and ${t.counts.GAP} gap(s) longer than ${round(maxGapMs / HOUR_MS, 1)} h (${round(t.unobservedH, 2)} h) are not counted: ` +
        'a stock rise is a restock, not negative sales, and a missing capture is not zero sales; the rate is per measured hour.',
    );
  }
  if (t.counts.CLAIMS > 0 || t.dealUnits > 0)
    ex.note(
      `${round(t.dealUnits, 1)} units were measured during deals (claimed % × deal quantity where stock could not give an exact figure).`,
    );
  if (t.excludedH > 0) ex.note(`${round(t.excludedH, 2)} h excluded (ranges or out-of-stock time).`);
  if (measuredRate === null && !isLowerBoundOnly) ex.note('no measurable interval in the window: no velocity can be given.');
  const sn = staleNote(provenance);
  if (sn) ex.note(sn);
}

/** Sales velocity over [from, to] (see the header). */
export function velocity(points: readonly SnapshotPoint[], opts: VelocityOptions): VelocityResult {
  validatePoints(points);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  const now = opts.now;
  validateRange(opts.from, opts.to);
  const confidence = opts.confidence ?? 0.9;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const maxGapMs = opts.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  if (!(maxGapMs > 0)) throw new RangeError(`maxGapMs must be > 0, got ${maxGapMs}`);
  const to = opts.to ?? now;
  const from = opts.from ?? (points.length ? Math.min(points[0].at, to) : to);
  // The shared anomaly flags: a wrong stock value is left out, as if not captured.
  const flags = opts.anomalies ?? stockReadingFlags(points, {}, { from: from - maxGapMs, to: to + maxGapMs });
  const clean = withoutAnomalousValues(points, flags);
  const t = tallyIntervals(clean, from, to, maxGapMs, mergeRanges(opts.exclude ?? []), Boolean(opts.excludeOutOfStock));

  const measuredRate = t.measuredH > 0 ? t.units / t.measuredH : null;
  const dispersion = dispersionIndex(t.measured, measuredRate);
  const isLowerBoundOnly = t.censoredH > 0;
  const perHour = perHourEstimate(t, measuredRate, confidence, Math.sqrt(dispersion));
  const perDay: Estimate = {
    value: perHour.value === null ? null : perHour.value * 24,
    lower: perHour.lower * 24,
    upper: perHour.upper === null ? null : perHour.upper * 24,
  };

  const provenance = provenanceOf(points, now, opts.staleAfterMs, to);
  const ex = new Explainer(
    isLowerBoundOnly
      ? 'v ≥ (measured units + censored lower bounds) ÷ (measured + censored hours)'
      : 'v = measured units ÷ measured hours; interval = Garwood Poisson interval widened by √φ',
    {
      from: isoOrNull(from),
      to: isoOrNull(to),
      readings: points.filter((p) => p.at >= from && p.at <= to).length,
      confidence,
      maxGapHours: maxGapMs / HOUR_MS,
    },
  )
    .step('measured units (stock drops + deal claims)', round(t.units, 3))
    .step('measured hours', round(t.measuredH, 3))
    .step('measured rate (units/h)', measuredRate === null ? null : round(measuredRate, 4))
    .step('dispersion φ', round(dispersion, 3), 'Σ(x − v·h)²/(v·h) ÷ (m − 1), at least 1')
    .step('units/hour lower', round(perHour.lower, 4))
    .step('units/hour point', perHour.value === null ? null : round(perHour.value, 4))
    .step('units/hour upper', perHour.upper === null ? null : round(perHour.upper, 4), perHour.upper === null ? 'unbounded' : undefined)
    .step('units/day point', perDay.value === null ? null : round(perDay.value, 3))
    .data(toDataProvenance(provenance));
  velocityNotes(ex, t, measuredRate, maxGapMs, provenance);
  for (const n of anomalyNote(points, flags, from - maxGapMs, to)) ex.note(n);

  return {
    from,
    to,
    perHour,
    perDay,
    confidence,
    isLowerBoundOnly,
    measuredPerHour: measuredRate,
    unitsMeasured: t.units,
    dealUnits: t.dealUnits,
    unitsLowerBound: t.units + t.censLower,
    measuredHours: t.measuredH,
    censoredHours: t.censoredH,
    unobservedHours: t.unobservedH,
    excludedHours: t.excludedH,
    restockUnits: t.restockUnits,
    dispersion,
    intervalCounts: t.counts,
    provenance,
    explanation: ex.build(),
  };
}
