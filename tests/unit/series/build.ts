/** Small builders for hand-written snapshot series in the series/deals/restock tests. */
import { HOUR_MS, type SnapshotPoint } from '../../../core/series/types';

export const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);
export const H = HOUR_MS;
export const at = (hours: number): number => T0 + Math.round(hours * H);

/** A snapshot at `hours` after T0 with exact stock (or null), no deal. */
export function pt(hours: number, stock: number | null, extra: Partial<SnapshotPoint> = {}): SnapshotPoint {
  return {
    at: at(hours),
    stock,
    stockIsLowerBound: false,
    price: 20,
    listPrice: null,
    dealType: 'NONE',
    dealQuantity: null,
    dealClaimedPercent: null,
    dealEndsAt: null,
    dealStartsAt: null,
    bsr: 5000,
    source: 'test',
    ...extra,
  };
}

/** A censored reading: the source shows "≥ stock" ("10+", "999+"). */
export function cens(hours: number, stock: number, extra: Partial<SnapshotPoint> = {}): SnapshotPoint {
  return pt(hours, stock, { stockIsLowerBound: true, ...extra });
}

/** A lightning-deal reading. */
export function deal(
  hours: number,
  stock: number | null,
  claimed: number | null,
  quantity: number | null,
  endsAtHours: number,
  extra: Partial<SnapshotPoint> = {},
): SnapshotPoint {
  return pt(hours, stock, {
    dealType: 'LIGHTNING',
    dealClaimedPercent: claimed,
    dealQuantity: quantity,
    dealEndsAt: at(endsAtHours),
    price: 14,
    ...extra,
  });
}

/** Hourly (or `step`-hourly) exact readings from `from` hours, one per stock value. */
export function series(from: number, stocks: (number | null)[], step = 1): SnapshotPoint[] {
  return stocks.map((s, i) => pt(from + i * step, s));
}
