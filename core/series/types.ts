/**
 * The competitor observation as core/ sees it. Times are epoch milliseconds (UTC) so that core
 * stays free of Date parsing and time-zone concerns; the server converts at its boundary.
 */
export const DEAL_TYPES = ['NONE', 'LIGHTNING', 'DEAL_OF_THE_DAY', 'BEST_DEAL', 'COUPON', 'PRICE_DROP'] as const;
export type DealType = (typeof DEAL_TYPES)[number];

export interface SnapshotPoint {
  /** Capture time, epoch ms. */
  at: number;
  /** Units available, or null when the source did not say. */
  stock: number | null;
  /** True when the source caps the figure ("10+", "999+"): real stock is ≥ `stock`. */
  stockIsLowerBound: boolean;
  price: number | null;
  listPrice?: number | null;
  dealType: DealType;
  dealQuantity: number | null;
  /** 0–100. */
  dealClaimedPercent: number | null;
  /** Epoch ms. */
  dealEndsAt: number | null;
  /**
   * Scheduled start of an announced deal, epoch ms (optional: sources such as Keepa list upcoming
   * lightning deals with a start time). A reading with dealStartsAt > at is the deal's UPCOMING
   * phase, not evidence that it is live.
   */
  dealStartsAt?: number | null;
  bsr: number | null;
  source: string | null;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A closed time range in epoch ms (start ≤ end). */
export interface TimeRange {
  start: number;
  end: number;
}

/** A point estimate with an interval; `upper` null means unbounded (e.g. censored stock). */
export interface Estimate {
  value: number | null;
  lower: number;
  upper: number | null;
}
