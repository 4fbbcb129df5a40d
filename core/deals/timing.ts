/**
 * When a deal started and, without readings to say so, when it ended (deals/detect.ts uses these).
 *
 * Start (dealStart):
 *  - a scheduled start (dealStartsAt) not after the first live reading is the start, exactly;
 *  - claims still ~0 at the first live reading (under half a point of % claimed, i.e. the page
 *    shows 0 %): the deal starts at that reading; the earliest it can have started is as long before
 *    as half a point of claims takes at the early rate (minutes), not before the previous capture;
 *  - otherwise the deal started between the previous capture (earliest; unknown when there is none)
 *    and the first reading showing it (latest). The estimate back-dates the first reading by the
 *    units already claimed at the early intensity (backDatedStartHours), clamped to that bracket,
 *    and the bracket's width is the stated uncertainty.
 *
 * End without newer readings (inferredEnd): a deal still showing at the newest capture ends at its
 * scheduled end (dealEndsAt) when known, else at the longest its type runs (MAX_DEAL_DURATION_HOURS)
 * after its start. Either way the end is inferred, not observed.
 */
import { type DealType, HOUR_MS } from '../series/types';
import { fitLogLinearIntensity } from './drain';

/**
 * The longest each deal type runs, in hours, used only when no reading and no dealEndsAt says when a
 * deal ended. Sources (Amazon Seller Central help, "Lightning Deals", "Deal of the Day", "Best Deals",
 * "Coupons"): a lightning deal runs at most 12 h (usually 4–6 h); a Deal of the Day one day; a Best
 * Deal up to 14 days; a coupon up to 90 days. A price drop has no schedule of its own: 14 days, the
 * product's choice, after which an unobserved price drop is not reported as still running.
 */
export const MAX_DEAL_DURATION_HOURS: Readonly<Record<Exclude<DealType, 'NONE'>, number>> = {
  LIGHTNING: 12,
  DEAL_OF_THE_DAY: 24,
  BEST_DEAL: 14 * 24,
  COUPON: 90 * 24,
  PRICE_DROP: 14 * 24,
};

/** % claimed below which the first reading counts as "claims still ~0" (the page shows 0 %). */
export const START_CLAIMS_NEAR_ZERO_PERCENT = 0.5;

/** Hours of readings after the first one whose intensity back-dates the start. */
export const START_RATE_WINDOW_HOURS = 2;

/** Longest a deal of this type runs, in ms. */
export function maxDealDurationMs(type: DealType): number {
  return type === 'NONE' ? 0 : MAX_DEAL_DURATION_HOURS[type] * HOUR_MS;
}

/**
 * Hours before the first reading at which the deal started, given u₁ units claimed by then and an
 * intensity r(t) = r₁·e^(−k(t − t₁)) (r₁ the rate at the first reading; k > 0 a decaying, k < 0 a
 * growing drain): ∫ from t₁−h to t₁ of r = (r₁/k)(e^(kh) − 1) = u₁ ⇒ h = ln(1 + k·u₁/r₁) ÷ k, and
 * h = u₁/r₁ for k = 0. +∞ when the intensity cannot account for u₁ (no rate, or a growing drain
 * whose past rate integrates to less than u₁); the caller clamps to the capture bracket.
 */
export function backDatedStartHours(units: number, rateAtFirst: number, k: number): number {
  if (!(units > 0)) return 0;
  if (!(rateAtFirst > 0)) return Infinity;
  if (Math.abs(k) < 1e-9) return units / rateAtFirst;
  const x = (k * units) / rateAtFirst;
  return x <= -1 ? Infinity : Math.log1p(x) / k;
}

export interface DealStart {
  startedAt: number;
  /** Earliest the deal can have started (the previous capture); null when no capture precedes it. */
  earliest: number | null;
  latest: number;
  /** latest − earliest in hours; 0 when exact, null when the earliest is unknown. */
  uncertaintyHours: number | null;
  /** Why: scheduled, claims ~0, or back-dated. */
  reason: string;
}

/** The first live reading and what followed, as the start needs it. */
export interface StartInputs {
  type: DealType;
  scheduledStartAt: number | null;
  /** Capture time of the reading just before the first live one (any deal state), or null. */
  previousCaptureAt: number | null;
  firstAt: number;
  /** % claimed at the first live reading, or null. */
  firstClaimedPercent: number | null;
  /** Claim curve from the first live reading on (cumulative units or % claimed, epoch ms). */
  curve: readonly { at: number; units: number }[];
  /** Curve units per point of % claimed: quantity ÷ 100, or 1 when the curve is in % claimed. */
  unitsPerPercent: number;
}

/** The start of a deal and its bracket (see header). */
export function dealStart(x: StartInputs): DealStart {
  const t1 = x.firstAt;
  if (x.scheduledStartAt !== null && x.scheduledStartAt <= t1)
    return {
      startedAt: x.scheduledStartAt,
      earliest: x.scheduledStartAt,
      latest: x.scheduledStartAt,
      uncertaintyHours: 0,
      reason: 'scheduled start',
    };
  const c = x.firstClaimedPercent;
  const lo = x.previousCaptureAt ?? t1 - maxDealDurationMs(x.type);
  const early = earlyIntensity(x.curve);
  if (c !== null && c < START_CLAIMS_NEAR_ZERO_PERCENT) {
    // Under half a point claimed: it began at most that long before, at the early rate.
    const half = START_CLAIMS_NEAR_ZERO_PERCENT * x.unitsPerPercent;
    const earliest = early ? Math.max(lo, t1 - backDatedStartHours(half, early.rate, early.k) * HOUR_MS) : t1;
    return {
      startedAt: t1,
      earliest,
      latest: t1,
      uncertaintyHours: (t1 - earliest) / HOUR_MS,
      reason: 'first reading showing the deal, its claims still ~0 (under half a point: at most that many units earlier at the early rate)',
    };
  }
  const u1 = x.curve.length && x.curve[0].at === t1 ? x.curve[0].units : 0;
  let startedAt: number;
  if (early === null || !(u1 > 0)) startedAt = x.previousCaptureAt !== null ? (x.previousCaptureAt + t1) / 2 : t1;
  else startedAt = Math.max(lo, t1 - backDatedStartHours(u1, early.rate, early.k) * HOUR_MS);
  const earliest = x.previousCaptureAt;
  return {
    startedAt,
    earliest,
    latest: t1,
    uncertaintyHours: earliest === null ? null : (t1 - earliest) / HOUR_MS,
    reason:
      early === null || !(u1 > 0)
        ? 'no early rate to back-date by: midway between the previous capture and the first reading showing the deal'
        : `between the previous capture and the first reading showing the deal: back-dated by ${round2(u1)} claimed at ${round2(early.rate)}/h (k = ${round2(early.k)}/h)`,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Intensity at the first reading from the increments of the next START_RATE_WINDOW_HOURS (at least
 * the next two readings, so hourly captures still show a slowdown): log-linear Poisson fit (drain.ts
 * fitLogLinearIntensity) with ≥ 2 increments, else the constant rate. null without a positive increment.
 */
export function earlyIntensity(curve: readonly { at: number; units: number }[]): { rate: number; k: number } | null {
  if (curve.length < 2) return null;
  const t0 = curve[0].at;
  const win = curve.filter((p, i) => i <= 2 || p.at - t0 <= START_RATE_WINDOW_HOURS * HOUR_MS);
  const pts = win.map((p) => ({ t: (p.at - t0) / HOUR_MS, units: p.units }));
  const total = pts[pts.length - 1].units - pts[0].units;
  if (!(total > 0)) return null;
  if (pts.length < 3) return { rate: total / pts[pts.length - 1].t, k: 0 };
  const f = fitLogLinearIntensity(pts);
  return { rate: f.r0, k: f.k };
}

/**
 * End of a deal still showing at the newest capture, when nothing newer says it goes on: its
 * scheduled end, else start + the type's maximum duration; when the source showed it beyond that
 * maximum (the type limit is evidently not this deal's), the last sighting + the same maximum.
 */
export function inferredEnd(type: DealType, startedAt: number, lastSeenAt: number, scheduledEndAt: number | null): number {
  if (scheduledEndAt !== null) return scheduledEndAt;
  const max = maxDealDurationMs(type);
  return startedAt + max >= lastSeenAt ? startedAt + max : lastSeenAt + max;
}
