/**
 * Stockout windows: the competitor was out of stock (exact 0) for at least
 * `minDurationHours`. A window
 *  - starts midway between the last available reading and the first 0 (the sell-out happened in
 *    between; the first reading if the series starts at 0),
 *  - ends midway between the last 0 and the first reading of a restock (detectRestocks: FROM_ZERO or
 *    JUMP with confidence ≥ 0.5); flaps (a returned unit for a moment) do not end it,
 *  - is open (end null) while no restock has been seen; its duration then runs to `now`.
 * Readings the shared anomaly flags (core/anomalies/flags.ts) call wrong are left out first, so a
 * one-capture 0 between 506 and 505 is neither a stockout nor followed by a restock.
 * opportunityUnits = baseline velocity (units/day over the `baselineDays` before the window,
 * deals and out-of-stock time left out) × duration in days: units the market needed elsewhere.
 */
import type { SnapshotFlag } from '../anomalies/detect';
import { checkFlags, stockReadingFlags, withoutAnomalousValues } from '../anomalies/flags';
import { Explainer, type Explanation } from '../explain';
import { dealRanges } from '../series/dealRuns';
import { DEFAULT_MAX_GAP_MS } from '../series/intervals';
import { isoOrNull, round } from '../series/provenance';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../series/types';
import { validateNow, validatePoints, validatePositive } from '../series/validate';
import { velocity } from '../series/velocity';
import { detectRestocks, type RestockEvent, type RestockOptions } from './detect';

export interface StockoutOptions {
  now: number;
  /** Minimum duration to report. Default 24 h. */
  minDurationHours?: number;
  /** Days before the window used for the baseline velocity. Default 14. */
  baselineDays?: number;
  restock?: RestockOptions;
  /**
   * The shared per-reading anomaly flags of `points` (core/anomalies/flags.ts); default: computed
   * here. A stock reading flagged as wrong is left out: a one-capture 0 is no stockout.
   */
  anomalies?: readonly SnapshotFlag[];
}

export interface StockoutWindow {
  start: number;
  /** null while still out of stock (open window). */
  end: number | null;
  open: boolean;
  durationHours: number;
  /** Baseline units/day × duration days; null when no baseline velocity could be measured. */
  opportunityUnits: number | null;
  opportunityLower: number | null;
  /** null when unbounded (censored baseline). */
  opportunityUpper: number | null;
  baselinePerDay: number | null;
  /** True when the baseline velocity is a lower bound (censored stock): so is the opportunity. */
  opportunityIsLowerBound: boolean;
  /** The restock that ended the window. */
  endedBy: RestockEvent | null;
  explanation: Explanation;
}

/** A stockout window as the scan finds it, before the duration filter and the opportunity estimate. */
export interface RawWindow {
  start: number;
  end: number | null;
  startKnown: boolean;
  endedBy: RestockEvent | null;
  gapHours: number;
  /** Capture time of the window's first 0 (stored facts restart their scan there). */
  firstZeroAt: number;
}

/** The baseline velocity before a window, as its opportunity needs it (velocity() over the baselineDays before the start). */
export interface WindowBaseline {
  perDay: { value: number | null; lower: number; upper: number | null };
  isLowerBoundOnly: boolean;
  /** measured + censored hours > 0: the lower opportunity is a figure, not null. */
  measured: boolean;
  data: { source: string | null; newestAt: string | null; ageHours: number | null; stale: boolean };
}

/** A stockout window before the duration filter: the scan's window and its baseline (what stored facts keep). */
export interface StockoutFact {
  window: RawWindow;
  baseline: WindowBaseline;
}

/**
 * The instant a stock change is placed at, between the reading before (`before`) and the first reading after
 * (`after`): the midpoint (before + after)/2 when the two are at most DEFAULT_MAX_GAP_MS apart, else `after`
 * (across a capture gap the midpoint would be a guess).
 */
export function changeInstant(before: number, after: number): number {
  return after - before <= DEFAULT_MAX_GAP_MS ? (before + after) / 2 : after;
}

/**
 * Scans the readings for out-of-stock runs: a run starts at the first exact 0 after an available reading and ends
 * at the first available reading that is a restock in `eventAt`; other available readings inside a run are flaps
 * or low-confidence blips and do not end it. A run still out at the last reading is open (end null).
 */
function scanWindows(pts: readonly SnapshotPoint[], eventAt: Map<number, RestockEvent>): RawWindow[] {
  const raw: RawWindow[] = [];
  let out = false;
  let lastAvail: number | null = null;
  let lastZero: number | null = null;
  let start = 0;
  let startKnown = true;
  let maxGap = 0;
  let firstZero = 0;
  for (const p of pts) {
    if (p.stock === null) continue;
    const zero = p.stock === 0 && !p.stockIsLowerBound;
    const avail = p.stock > 0;
    if (!out) {
      if (zero) {
        out = true;
        // Never seen in stock: the stockout began before the first capture.
        startKnown = lastAvail !== null;
        start = lastAvail === null ? p.at : changeInstant(lastAvail, p.at);
        lastZero = p.at;
        firstZero = p.at;
        maxGap = 0;
      } else if (avail) lastAvail = p.at;
    } else if (zero) {
      maxGap = Math.max(maxGap, p.at - (lastZero as number));
      lastZero = p.at;
    } else if (avail) {
      const ev = eventAt.get(p.at);
      if (ev) {
        raw.push({
          start,
          end: changeInstant(lastZero as number, p.at),
          startKnown,
          endedBy: ev,
          gapHours: maxGap / HOUR_MS,
          firstZeroAt: firstZero,
        });
        out = false;
        lastAvail = p.at;
      }
      // else: a flap or a small low-confidence blip; still out of stock.
    }
  }
  if (out) raw.push({ start, end: null, startKnown, endedBy: null, gapHours: maxGap / HOUR_MS, firstZeroAt: firstZero });
  return raw;
}

/** The validated options: `now`, the minimum duration in hours and the baseline length in days. */
function stockoutParams(opts: StockoutOptions): { now: number; minH: number; baselineDays: number } {
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  const minH = opts.minDurationHours ?? 24;
  validatePositive(minH, 'minDurationHours', true);
  const baselineDays = opts.baselineDays ?? 14;
  validatePositive(baselineDays, 'baselineDays');
  return { now: opts.now, minH, baselineDays };
}

/** The notes of a window's explanation: open window, unknown start, capture gaps, censored or missing baseline. */
function windowNotes(ex: Explainer, w: RawWindow, v: WindowBaseline): void {
  if (w.end === null) ex.note('still out of stock at the newest reading: the window is open');
  if (!w.startKnown) ex.note('the series starts out of stock: the window began before the first capture');
  else ex.note('start and end are taken midway between the last reading before and the first after each change');
  if (w.gapHours > 12) ex.note(`captures were missing for up to ${round(w.gapHours, 1)} h inside the window`);
  if (v.isLowerBoundOnly) ex.note('baseline velocity is only a lower bound (censored stock), so is the opportunity');
  if (v.perDay.value === null && !v.isLowerBoundOnly) ex.note('no measurable baseline before the window: no opportunity estimate');
}

/**
 * The baseline of one window: velocity over the `baselineDays` before the window start with deals
 * and out-of-stock time left out (its figures and provenance as of the window start; ageHours is
 * restated against `now` by completeStockout).
 */
function windowBaseline(
  points: readonly SnapshotPoint[],
  flags: readonly SnapshotFlag[],
  w: RawWindow,
  p: { now: number; baselineDays: number },
  deals: ReturnType<typeof dealRanges>,
): WindowBaseline {
  const v = velocity(points, {
    now: p.now,
    from: w.start - p.baselineDays * DAY_MS,
    to: w.start,
    exclude: deals,
    excludeOutOfStock: true,
    anomalies: flags,
  });
  const data = v.explanation.data ?? { source: null, newestAt: null, ageHours: null, stale: true };
  return {
    perDay: { value: v.perDay.value, lower: v.perDay.lower, upper: v.perDay.upper },
    isLowerBoundOnly: v.isLowerBoundOnly,
    measured: v.measuredHours + v.censoredHours > 0,
    data: { source: data.source, newestAt: data.newestAt, ageHours: data.ageHours, stale: data.stale },
  };
}

/**
 * Completes one window as of `now` (null: shorter than minDurationHours): duration to its end, or
 * to now while open; opportunity = baseline units/day × duration days, the lower and upper
 * opportunity scale the velocity's bounds the same way. A window whose end lies after `now` reads
 * as open at `now` (the restock was not yet seen then).
 */
export function completeStockout(fact: StockoutFact, p: { now: number; minH: number; baselineDays: number }): StockoutWindow | null {
  const w: RawWindow =
    fact.window.end !== null && (fact.window.endedBy?.at ?? fact.window.end) > p.now
      ? { ...fact.window, end: null, endedBy: null }
      : fact.window;
  const durationHours = Math.max(0, ((w.end ?? p.now) - w.start) / HOUR_MS);
  if (durationHours < p.minH) return null;
  const b = fact.baseline;
  const newestAt = b.data.newestAt === null ? null : Date.parse(b.data.newestAt);
  const data = { ...b.data, ageHours: newestAt === null ? null : (p.now - newestAt) / HOUR_MS };
  const days = durationHours / 24;
  const perDay = b.perDay;
  const opp = perDay.value === null ? null : perDay.value * days;
  const oppLow = perDay.lower * days;
  const oppUp = perDay.upper === null ? null : perDay.upper * days;
  const ex = new Explainer('opportunity = baseline units/day × duration days', {
    start: isoOrNull(w.start),
    end: isoOrNull(w.end),
    minDurationHours: p.minH,
    baselineDays: p.baselineDays,
  })
    .step('duration (h)', round(durationHours, 3), w.end === null ? 'open: measured to now' : undefined)
    .step('baseline units/day', perDay.value === null ? null : round(perDay.value, 4))
    .step('baseline units/day lower', round(perDay.lower, 4))
    .step('opportunity units', opp === null ? null : round(opp, 2))
    .step('opportunity lower', round(oppLow, 2))
    .step('opportunity upper', oppUp === null ? null : round(oppUp, 2))
    .data(data);
  windowNotes(ex, w, b);
  return {
    start: w.start,
    end: w.end,
    open: w.end === null,
    durationHours,
    opportunityUnits: opp,
    opportunityLower: b.measured ? oppLow : null,
    opportunityUpper: oppUp,
    baselinePerDay: perDay.value,
    opportunityIsLowerBound: b.isLowerBoundOnly,
    endedBy: w.endedBy,
    explanation: ex.build(),
  };
}

/**
 * Every stockout window of `points` with its baseline, before the duration filter (what
 * server/modules/facts/restocks.facts.ts stores). Restocks are detected with `restock` options
 * (the API passes thresholdWindowMs), or taken from `events` when the caller has them; the scan
 * starts at `scanFrom` (a time the listing is known to be in stock), the baselines read every point.
 */
export function stockoutFacts(
  points: readonly SnapshotPoint[],
  opts: StockoutOptions,
  events?: readonly RestockEvent[],
  scanFrom = -Infinity,
): StockoutFact[] {
  validatePoints(points);
  const params = stockoutParams(opts);
  const raw = points.filter((p) => p.at <= params.now);
  if (opts.anomalies) checkFlags(points, opts.anomalies);
  // One set of flags for the scan, the restocks that end windows and the baseline velocity.
  const flags = opts.anomalies ? opts.anomalies.slice(0, raw.length) : stockReadingFlags(raw);
  const pts = withoutAnomalousValues(raw, flags);
  const eventAt = new Map<number, RestockEvent>();
  for (const e of events ?? detectRestocks(pts, { ...opts.restock, anomalies: flags }))
    if (e.kind !== 'FLAP' && e.confidence >= 0.5) eventAt.set(e.at, e);
  const deals = dealRanges(points);
  // The scan may start later than the readings (scanFrom: in stock there); the baselines read them all.
  const scanned = Number.isFinite(scanFrom) ? pts.filter((p) => p.at >= scanFrom) : pts;
  return scanWindows(scanned, eventAt).map((w) => ({ window: w, baseline: windowBaseline(pts, flags, w, params, deals) }));
}

export function stockoutWindows(points: readonly SnapshotPoint[], opts: StockoutOptions): StockoutWindow[] {
  const params = stockoutParams(opts);
  const result: StockoutWindow[] = [];
  for (const f of stockoutFacts(points, opts)) {
    const w = completeStockout(f, params);
    if (w) result.push(w);
  }
  return result;
}
