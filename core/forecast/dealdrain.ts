/**
 * A short-horizon demand forecast that follows a live deal's drain, then the baseline.
 *
 * While a deal is live the listing's demand is the deal's claims (core/deals: the drain fit of the
 * claim curve and its sell-out ETA), not its everyday rate; a model fitted on the history would
 * forecast the everyday rate (or a blend) straight through the deal. So each forecast step [a, b)
 * is split where the drain stops in three scenarios, the sell-out ETA quantiles q = P10, P50, P90
 * (C: the fit's cumulative units; m: the reading S units were left at):
 *
 *   sells out at ETA_q < end:  e_q = ETA_q, k_q = S / (C(ETA_q) − C(m))   (S gone exactly at ETA_q)
 *   else, a scheduled end:     e_q = end,   k_q = min(1, S / (C(end) − C(m)))  (S lasts until the end)
 *   else:                      e_q = the fit's own sell-out (∞: never), k_q = 1
 *   D_q(x)  = C(x) − C(m) for x ≤ m (already sold);  min(S, k_q·(C(x) − C(m))) for x > m
 *   d_q     = max(0, D_q(min(b, e_q)) − D_q(max(a, start)))     drain units in the step
 *   f_q     = share of [a, b) outside [start, e_q)              the baseline's share
 *   value   = d_50 + f_50 · baseline value
 *   lower_z = max(0, d_10 − z·σ(d_10)) + f_10 · baseline lower_z
 *   upper_z = min(d_90 + z·σ(d_90), units available from a) + f_90 · baseline upper_z
 *   σ(d)²   = d + (s·d)²                        Poisson claims plus the rate-change factor
 *                                               s = 0.4 (drain.ts's structural σ of the ETA)
 * with z = 1.2816 (80 %) and 1.96 (95 %): an earlier sell-out (P10) bounds the step from below,
 * a later one (P90) from above. Sources: the drain models and ETA of core/deals/drain.ts; the
 * Poisson-process view of claims (Kingman, "Poisson Processes", 1993).
 */
import { drainCumulativeAt, type DrainFit, sellOutHoursFrom } from '../deals/drain';
import type { IntervalBounds } from './countfloor';

const HOUR_MS = 3_600_000;
/** σ of the log-normal rate-change factor of the ETA (drain.ts `structuralSigma` default). */
export const DRAIN_STRUCTURAL_SIGMA = 0.4;
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** A live deal as the drain forecast needs it (all times epoch ms). */
export interface LiveDrain {
  /** Deal start: the fit's t = 0. */
  startedAt: number;
  /** The reading `remainingUnits` was measured at. */
  measuredAt: number;
  remainingUnits: number;
  /** Drain fit of the claim curve, t in hours since `startedAt` (core/deals). */
  fit: DrainFit;
  scheduledEndAt: number | null;
  /** Sell-out ETA quantiles; null = not before the deal's end (or never). */
  sellOut: { p10: number | null; p50: number | null; p90: number | null };
}

/** One scenario: the drain stops at `stop` (ms, +∞ = never) running at `scale` × the fit's rate. */
export interface DrainScenario {
  stop: number;
  scale: number;
}

export interface DrainStops {
  p10: DrainScenario;
  p50: DrainScenario;
  p90: DrainScenario;
}

/** C(x) − C(m): the fit's units from the measuring reading to x (negative before it). */
function fitSince(d: LiveDrain, x: number): number {
  const c = (t: number) => drainCumulativeAt(d.fit, (t - d.startedAt) / HOUR_MS);
  return c(x) - c(d.measuredAt);
}

/** The scenario of one ETA quantile (see the header). */
function scenario(d: LiveDrain, eta: number | null): DrainScenario {
  const end = d.scheduledEndAt ?? Infinity;
  if (eta !== null && eta < end) {
    const fitUnits = fitSince(d, eta);
    return { stop: eta, scale: fitUnits > 0 ? d.remainingUnits / fitUnits : 1 };
  }
  if (d.scheduledEndAt !== null) {
    // Not sold out before the end: at the latest the units run out exactly at the end.
    const fitUnits = fitSince(d, d.scheduledEndAt);
    return { stop: d.scheduledEndAt, scale: fitUnits > d.remainingUnits ? d.remainingUnits / fitUnits : 1 };
  }
  const hours = sellOutHoursFrom(d.fit, d.remainingUnits, (d.measuredAt - d.startedAt) / HOUR_MS);
  return { stop: hours === null ? Infinity : d.measuredAt + hours * HOUR_MS, scale: 1 };
}

/** The P10, P50 and P90 scenarios of a live deal. */
export function drainStops(d: LiveDrain): DrainStops {
  return { p10: scenario(d, d.sellOut.p10), p50: scenario(d, d.sellOut.p50), p90: scenario(d, d.sellOut.p90) };
}

/** D_q(x): units from the measuring reading to x in scenario q, capped at the units left after it. */
function soldSinceMeasured(d: LiveDrain, x: number, sc: DrainScenario): number {
  const since = fitSince(d, x);
  return x <= d.measuredAt ? since : Math.min(d.remainingUnits, sc.scale * since);
}

/** d_q: drain units in [a, min(b, stop)) ∩ [start, ∞); 0 when the drain is not running then. */
export function drainUnitsIn(d: LiveDrain, a: number, b: number, sc: DrainScenario): number {
  const from = Math.max(a, d.startedAt);
  const to = Math.min(b, sc.stop);
  if (!(to > from)) return 0;
  return Math.max(0, soldSinceMeasured(d, to, sc) - soldSinceMeasured(d, from, sc));
}

/** Units the deal still has at x, plus what it sold in [x, m) when x is before the measuring reading. */
function unitsAvailableFrom(d: LiveDrain, x: number): number {
  const from = Math.max(x, d.startedAt);
  return from >= d.measuredAt ? d.remainingUnits : d.remainingUnits - fitSince(d, from);
}

/** f_q: share of [a, b) outside [start, stop), where the baseline applies. */
function baselineShare(d: LiveDrain, a: number, b: number, sc: DrainScenario): number {
  const inDeal = Math.max(0, Math.min(b, sc.stop) - Math.max(a, d.startedAt));
  return Math.max(0, 1 - inDeal / (b - a));
}

/** σ(d) = √(d + (s·d)²). */
const drainSd = (units: number) => Math.sqrt(units + (DRAIN_STRUCTURAL_SIGMA * units) ** 2);

/** One step [a, b) of the drain-aware forecast (formulas in the header), bounds nested. */
export function drainStep<T extends IntervalBounds>(base: T, a: number, b: number, d: LiveDrain, stops: DrainStops): T {
  const [d10, d50, d90] = [stops.p10, stops.p50, stops.p90].map((sc) => drainUnitsIn(d, a, b, sc));
  const [f10, f50, f90] = [stops.p10, stops.p50, stops.p90].map((sc) => baselineShare(d, a, b, sc));
  const cap = Math.max(d90, unitsAvailableFrom(d, a));
  const value = d50 + f50 * base.value;
  const lower = (z: number, bl: number) => Math.min(value, Math.max(0, d10 - z * drainSd(d10)) + f10 * bl);
  const upper = (z: number, bu: number) => Math.max(value, Math.min(d90 + z * drainSd(d90), cap) + f90 * bu);
  const lower80 = lower(Z80, base.lower80);
  const upper80 = upper(Z80, base.upper80);
  return {
    ...base,
    value,
    lower80,
    upper80,
    lower95: Math.min(lower80, lower(Z95, base.lower95)),
    upper95: Math.max(upper80, upper(Z95, base.upper95)),
  };
}

/**
 * The forecast with every step that overlaps the drain (in any scenario) replaced by drainStep;
 * `stepStart(i)` is step i's start (ms). `drainUnits` = Σ d_50 over the steps.
 */
export function drainAwarePoints<T extends IntervalBounds>(
  base: readonly T[],
  stepStart: (i: number) => number,
  stepMs: number,
  d: LiveDrain,
): { points: T[]; stops: DrainStops; drainUnits: number } {
  const stops = drainStops(d);
  const last = Math.max(stops.p10.stop, stops.p50.stop, stops.p90.stop);
  let drainUnits = 0;
  const points = base.map((p, i) => {
    const a = stepStart(i);
    const b = a + stepMs;
    if (a >= last || b <= d.startedAt) return p;
    drainUnits += drainUnitsIn(d, a, b, stops.p50);
    return drainStep(p, a, b, d, stops);
  });
  return { points, stops, drainUnits };
}
