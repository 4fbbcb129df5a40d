/**
 * Hand-made competitor series for the intelligence API tests, with every expected figure derivable
 * by hand (see the comments): an ordinary drain of 2 units/h, a 100-unit lightning deal drained at
 * 10 units/h until it sells out, a 48 h stockout, a restock to 500, and censored ("999+") variants.
 */
import { DAY_MS, HOUR_MS } from '../../core/series/types';
import type { SnapshotPoint } from '../../core/series/types';

/** Deal start (first live reading). Far enough in the past for recordSnapshots' clock check. */
export const S = Date.UTC(2026, 9, 15, 0, 0, 0);
export const H = HOUR_MS;
export const D = DAY_MS;

export interface Row {
  asin: string;
  capturedAt: string;
  stock: number | null;
  stockIsLowerBound?: boolean;
  price?: number | null;
  listPrice?: number | null;
  dealType?: string;
  dealQuantity?: number | null;
  dealClaimedPercent?: number | null;
  dealEndsAt?: string | null;
  bsr?: number | null;
  source?: string;
}

/**
 * The main scenario, hourly captures from S − 14 d to S + 8 d:
 *   S − 14 d … S − 1 h   no deal, stock 800 − 2k at hour k (→ 130 at S − 1 h): 2 units/h
 *   S … S + 10 h         LIGHTNING, quantity 100, claimed 10 % per hour, stock 128 − 10h (→ 28);
 *                        100 % at S + 10 h (sold out), scheduled end S + 12 h
 *   S + 11 h … S + 24 h  no deal, stock 26 − 2(h − 11) → 0 at S + 24 h
 *   S + 24 h … S + 71 h  stock 0 (48 h out of stock)
 *   S + 72 h …           restocked to 500, then 2 units/h
 */
export function mainSeries(asin: string, opts: { censorAbove?: number } = {}): Row[] {
  const rows: Row[] = [];
  const push = (t: number, stock: number, extra: Partial<Row> = {}) => {
    const censored = opts.censorAbove !== undefined && stock >= opts.censorAbove;
    rows.push({
      asin,
      capturedAt: new Date(t).toISOString(),
      stock: censored ? opts.censorAbove! : stock,
      stockIsLowerBound: censored,
      price: 20,
      listPrice: 25,
      bsr: 4000,
      source: 'test',
      ...extra,
    });
  };
  for (let k = 0; k < 14 * 24; k++) push(S - 14 * D + k * H, 800 - 2 * k);
  for (let h = 0; h <= 10; h++) {
    push(S + h * H, 128 - 10 * h, {
      dealType: 'LIGHTNING',
      dealQuantity: 100,
      dealClaimedPercent: 10 * h,
      dealEndsAt: new Date(S + 12 * H).toISOString(),
      price: 14,
    });
  }
  for (let h = 11; h <= 24; h++) push(S + h * H, 26 - 2 * (h - 11));
  for (let h = 25; h <= 71; h++) push(S + h * H, 0);
  for (let h = 72; h <= 8 * 24; h++) push(S + h * H, 500 - 2 * (h - 72));
  return rows;
}

export function toPoints(rows: Row[]): SnapshotPoint[] {
  return rows.map((r) => ({
    at: Date.parse(r.capturedAt),
    stock: r.stock,
    stockIsLowerBound: Boolean(r.stockIsLowerBound),
    price: r.price ?? null,
    listPrice: r.listPrice ?? null,
    dealType: (r.dealType ?? 'NONE') as SnapshotPoint['dealType'],
    dealQuantity: r.dealQuantity ?? null,
    dealClaimedPercent: r.dealClaimedPercent ?? null,
    dealEndsAt: r.dealEndsAt ? Date.parse(r.dealEndsAt) : null,
    bsr: r.bsr ?? null,
    source: r.source ?? null,
  }));
}
