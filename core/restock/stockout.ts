/**
 * Stockout windows: the competitor was out of stock (exact 0) for at least
 * `minDurationHours`. A window
 *  - starts midway between the last available reading and the first 0 (the sell-out happened in
 *    between; the first reading if the series starts at 0),
 *  - ends midway between the last 0 and the first reading of a restock (detectRestocks: FROM_ZERO or
 *    JUMP with confidence ≥ 0.5); flaps (a returned unit for a moment) do not end it,
 *  - is open (end null) while no restock has been seen; its duration then runs to `now`.
 * opportunityUnits = baseline velocity (units/day over the `baselineDays` before the window,
 * deals and out-of-stock time left out) × duration in days: units the market needed elsewhere.
 */
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

export function stockoutWindows(points: readonly SnapshotPoint[], opts: StockoutOptions): StockoutWindow[] {
  validatePoints(points);
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object with now');
  validateNow(opts.now);
  const now = opts.now;
  const minH = opts.minDurationHours ?? 24;
  validatePositive(minH, 'minDurationHours', true);
  const baselineDays = opts.baselineDays ?? 14;
  validatePositive(baselineDays, 'baselineDays');
  const pts = points.filter((p) => p.at <= now);
  const events = detectRestocks(pts, opts.restock ?? {}).filter((e) => e.kind !== 'FLAP' && e.confidence >= 0.5);
  const eventAt = new Map<number, RestockEvent>();
  for (const e of events) eventAt.set(e.at, e);

  const raw: { start: number; end: number | null; startKnown: boolean; endedBy: RestockEvent | null; gapHours: number }[] = [];
  let out = false;
  let lastAvail: number | null = null;
  let lastZero: number | null = null;
  let start = 0;
  let startKnown = true;
  let maxGap = 0;
  for (const p of pts) {
    if (p.stock === null) continue;
    const zero = p.stock === 0 && !p.stockIsLowerBound;
    const avail = p.stock > 0;
    if (!out) {
      if (zero) {
        out = true;
        if (lastAvail === null) {
          // Never seen in stock: the stockout began before the first capture.
          start = p.at;
          startKnown = false;
        } else {
          start = p.at - lastAvail <= DEFAULT_MAX_GAP_MS ? (lastAvail + p.at) / 2 : p.at;
          startKnown = true;
        }
        lastZero = p.at;
        maxGap = 0;
      } else if (avail) lastAvail = p.at;
    } else if (zero) {
      maxGap = Math.max(maxGap, p.at - (lastZero as number));
      lastZero = p.at;
    } else if (avail) {
      const ev = eventAt.get(p.at);
      if (ev) {
        const lz = lastZero as number;
        const end = p.at - lz <= DEFAULT_MAX_GAP_MS ? (lz + p.at) / 2 : p.at;
        raw.push({ start, end, startKnown, endedBy: ev, gapHours: maxGap / HOUR_MS });
        out = false;
        lastAvail = p.at;
      }
      // else: a flap or a small low-confidence blip; still out of stock.
    }
  }
  if (out) raw.push({ start, end: null, startKnown, endedBy: null, gapHours: maxGap / HOUR_MS });

  const deals = dealRanges(points);
  const result: StockoutWindow[] = [];
  for (const w of raw) {
    const endT = w.end ?? now;
    const durationHours = Math.max(0, (endT - w.start) / HOUR_MS);
    if (durationHours < minH) continue;
    const v = velocity(points, {
      now,
      from: w.start - baselineDays * DAY_MS,
      to: w.start,
      exclude: deals,
      excludeOutOfStock: true,
    });
    const days = durationHours / 24;
    const perDay = v.perDay;
    const opp = perDay.value === null ? null : perDay.value * days;
    const oppLow = perDay.lower * days;
    const oppUp = perDay.upper === null ? null : perDay.upper * days;
    const ex = new Explainer('opportunity = baseline units/day × duration days', {
      start: isoOrNull(w.start),
      end: isoOrNull(w.end),
      minDurationHours: minH,
      baselineDays,
    })
      .step('duration (h)', round(durationHours, 3), w.end === null ? 'open: measured to now' : undefined)
      .step('baseline units/day', perDay.value === null ? null : round(perDay.value, 4))
      .step('baseline units/day lower', round(perDay.lower, 4))
      .step('opportunity units', opp === null ? null : round(opp, 2))
      .step('opportunity lower', round(oppLow, 2))
      .step('opportunity upper', oppUp === null ? null : round(oppUp, 2))
      .data(v.explanation.data ?? { source: null, newestAt: null, ageHours: null, stale: true });
    if (w.end === null) ex.note('still out of stock at the newest reading: the window is open');
    if (!w.startKnown) ex.note('the series starts out of stock: the window began before the first capture');
    else ex.note('start and end are taken midway between the last reading before and the first after each change');
    if (w.gapHours > 12) ex.note(`captures were missing for up to ${round(w.gapHours, 1)} h inside the window`);
    if (v.isLowerBoundOnly) ex.note('baseline velocity is only a lower bound (censored stock), so is the opportunity');
    if (perDay.value === null && !v.isLowerBoundOnly) ex.note('no measurable baseline before the window: no opportunity estimate');
    result.push({
      start: w.start,
      end: w.end,
      open: w.end === null,
      durationHours,
      opportunityUnits: opp,
      opportunityLower: v.measuredHours + v.censoredHours > 0 ? oppLow : null,
      opportunityUpper: oppUp,
      baselinePerDay: perDay.value,
      opportunityIsLowerBound: v.isLowerBoundOnly,
      endedBy: w.endedBy,
      explanation: ex.build(),
    });
  }
  return result;
}
