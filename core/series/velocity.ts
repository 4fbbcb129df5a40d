/**
 * Sales velocity of a competitor listing from its snapshots (DESIGN §5 "Velocity").
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
  const excl = mergeRanges(opts.exclude ?? []);

  const counts: Record<StockInterval['kind'], number> = { EXACT: 0, CLAIMS: 0, CENSORED: 0, RESTOCK: 0, GAP: 0 };
  let units = 0;
  let dealUnits = 0;
  let measuredH = 0;
  let censoredH = 0;
  let unobservedH = 0;
  let excludedH = 0;
  let censLower = 0;
  let censUpper = 0;
  let unbounded = false;
  let restockUnits = 0;
  const measured: { x: number; h: number }[] = [];

  for (const iv of stockIntervals(points, { maxGapMs, from, to })) {
    if (iv.end <= from || iv.start >= to) continue;
    const inWindow = overlapFraction(iv.start, iv.end, from, to);
    const f = keptFraction(iv, from, to, excl);
    const spanH = (iv.end - iv.start) / HOUR_MS;
    excludedH += (inWindow - f) * spanH;
    if (f <= 0) continue;
    const h = spanH * f;
    const a = points[iv.fromIndex];
    const b = points[iv.toIndex];
    if (opts.excludeOutOfStock && a.stock === 0 && b.stock === 0 && !a.stockIsLowerBound && !b.stockIsLowerBound) {
      excludedH += h;
      continue;
    }
    counts[iv.kind]++;
    switch (iv.kind) {
      case 'EXACT':
      case 'CLAIMS': {
        const x = (iv.sold as number) * f;
        units += x;
        measuredH += h;
        if (iv.kind === 'CLAIMS' || iv.inDeal) dealUnits += x;
        measured.push({ x, h });
        break;
      }
      case 'CENSORED':
        censoredH += h;
        censLower += iv.soldLower * f;
        if (iv.soldUpper === null) unbounded = true;
        else censUpper += iv.soldUpper * f;
        break;
      case 'RESTOCK':
      case 'GAP':
        unobservedH += h;
        // A rise counts once, when its end reading is inside the window.
        if (iv.end <= to && iv.end >= from) restockUnits += iv.increase;
        break;
    }
  }

  const measuredRate = measuredH > 0 ? units / measuredH : null;
  // Dispersion index of per-interval counts around the common rate (quasi-Poisson φ).
  let dispersion = 1;
  if (measuredRate !== null && measuredRate > 0 && measured.length >= 2) {
    let chi = 0;
    for (const m of measured) {
      const e = measuredRate * m.h;
      if (e > 0) chi += (m.x - e) ** 2 / e;
    }
    dispersion = Math.min(100, Math.max(1, chi / (measured.length - 1)));
  }
  const widen = Math.sqrt(dispersion);
  const isLowerBoundOnly = censoredH > 0;

  let perHour: Estimate;
  if (!isLowerBoundOnly) {
    if (measuredRate === null) perHour = { value: null, lower: 0, upper: null };
    else {
      const ci = poissonMeanInterval(units, confidence);
      const lo = Math.max(0, measuredRate - widen * (measuredRate - ci.lower / measuredH));
      const hi = measuredRate + widen * (ci.upper / measuredH - measuredRate);
      perHour = { value: measuredRate, lower: lo, upper: hi };
    }
  } else {
    const span = measuredH + censoredH;
    const lowCount = units + censLower;
    const ciLow = poissonMeanInterval(lowCount, confidence);
    const lowRate = lowCount / span;
    const lo = Math.max(0, lowRate - widen * (lowRate - ciLow.lower / span));
    let hi: number | null = null;
    if (!unbounded) {
      const upCount = units + censUpper;
      const ciUp = poissonMeanInterval(upCount, confidence);
      const upRate = upCount / span;
      hi = upRate + widen * (ciUp.upper / span - upRate);
    }
    perHour = { value: null, lower: lo, upper: hi };
  }
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
    .step('measured units (stock drops + deal claims)', round(units, 3))
    .step('measured hours', round(measuredH, 3))
    .step('measured rate (units/h)', measuredRate === null ? null : round(measuredRate, 4))
    .step('dispersion φ', round(dispersion, 3), 'Σ(x − v·h)²/(v·h) ÷ (m − 1), at least 1')
    .step('units/hour lower', round(perHour.lower, 4))
    .step('units/hour point', perHour.value === null ? null : round(perHour.value, 4))
    .step('units/hour upper', perHour.upper === null ? null : round(perHour.upper, 4), perHour.upper === null ? 'unbounded' : undefined)
    .step('units/day point', perDay.value === null ? null : round(perDay.value, 3))
    .data(toDataProvenance(provenance));
  if (isLowerBoundOnly) {
    ex.step('censored hours', round(censoredH, 3)).step('censored units lower bound', round(censLower, 3));
    ex.note(
      `${counts.CENSORED} interval(s) (${round(censoredH, 2)} h) had censored stock (a lower bound such as "10+" or "999+"): ` +
        `they only show that at least ${round(censLower, 1)} units sold, so the velocity is a lower bound, not an exact figure.` +
        (measuredRate === null
          ? ''
          : ` Over the ${round(measuredH, 2)} h with exact readings the rate was ${round(measuredRate, 3)} units/h.`),
    );
  }
  if (unobservedH > 0) {
    ex.note(
      `${counts.RESTOCK} restock interval(s) and ${counts.GAP} gap(s) longer than ${round(maxGapMs / HOUR_MS, 1)} h (${round(unobservedH, 2)} h) are not counted: ` +
        'a stock rise is a restock, not negative sales, and a missing capture is not zero sales; the rate is per measured hour.',
    );
  }
  if (counts.CLAIMS > 0 || dealUnits > 0)
    ex.note(
      `${round(dealUnits, 1)} units were measured during deals (claimed % × deal quantity where stock could not give an exact figure).`,
    );
  if (excludedH > 0) ex.note(`${round(excludedH, 2)} h excluded (ranges or out-of-stock time).`);
  if (measuredRate === null && !isLowerBoundOnly) ex.note('no measurable interval in the window: no velocity can be given.');
  const sn = staleNote(provenance);
  if (sn) ex.note(sn);

  return {
    from,
    to,
    perHour,
    perDay,
    confidence,
    isLowerBoundOnly,
    measuredPerHour: measuredRate,
    unitsMeasured: units,
    dealUnits,
    unitsLowerBound: units + censLower,
    measuredHours: measuredH,
    censoredHours: censoredH,
    unobservedHours: unobservedH,
    excludedHours: excludedH,
    restockUnits,
    dispersion,
    intervalCounts: counts,
    provenance,
    explanation: ex.build(),
  };
}
