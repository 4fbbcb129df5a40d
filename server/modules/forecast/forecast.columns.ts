/**
 * A competitor's readings as columns of typed arrays, the form competitor forecasts send to the
 * worker pool. A thousand SnapshotPoint objects cost the event loop an allocation and a garbage
 * collection each, and a structured clone field by field on the way to a worker; a handful of
 * Float64Arrays are copied as blocks of memory. Pure (no I/O): the worker rebuilds the points with
 * `pointsOf`, field for field what `toPoint` (snapshot.points.ts) builds from the same rows.
 *
 * Encoding: a missing number (SQL NULL) is NaN (no stored number is NaN); strings (deal type,
 * source) are indexes into `strings`, −1 for NULL.
 */
import type { DealType, SnapshotPoint } from '../../../core/series/types';

export interface PointColumns {
  n: number;
  /** Capture time, epoch ms. */
  at: Float64Array;
  stock: Float64Array;
  stockIsLowerBound: Uint8Array;
  /** Prices in cents, as stored (the points divide by 100, as toPoint does). */
  priceCents: Float64Array;
  listPriceCents: Float64Array;
  dealType: Int32Array;
  dealQuantity: Float64Array;
  dealClaimedPercent: Float64Array;
  dealStartsAt: Float64Array;
  dealEndsAt: Float64Array;
  bsr: Float64Array;
  source: Int32Array;
  strings: string[];
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** Columns for `n` readings (NaN, 0 and −1 until written). */
export function emptyColumns(n: number): PointColumns {
  const f = () => new Float64Array(n);
  return {
    n,
    at: f(),
    stock: f(),
    stockIsLowerBound: new Uint8Array(n),
    priceCents: f(),
    listPriceCents: f(),
    dealType: new Int32Array(n),
    dealQuantity: f(),
    dealClaimedPercent: f(),
    dealStartsAt: f(),
    dealEndsAt: f(),
    bsr: f(),
    source: new Int32Array(n),
    strings: [],
  };
}

/** A function giving each distinct string of `c` its index in `c.strings`. */
export function interner(c: PointColumns): (s: string) => number {
  const index = new Map<string, number>();
  return (s) => {
    let k = index.get(s);
    if (k === undefined) index.set(s, (k = c.strings.push(s) - 1));
    return k;
  };
}

/** The readings captured at or before `upTo` (epoch ms) as SnapshotPoints, in order. */
export function pointsOf(c: PointColumns, upTo = Infinity): SnapshotPoint[] {
  const out: SnapshotPoint[] = [];
  for (let i = 0; i < c.n; i++) {
    if (c.at[i] > upTo) continue;
    const price = c.priceCents[i];
    const list = c.listPriceCents[i];
    out.push({
      at: c.at[i],
      stock: orNull(c.stock[i]),
      stockIsLowerBound: c.stockIsLowerBound[i] === 1,
      price: Number.isNaN(price) ? null : price / 100,
      listPrice: Number.isNaN(list) ? null : list / 100,
      dealType: c.strings[c.dealType[i]] as DealType,
      dealQuantity: orNull(c.dealQuantity[i]),
      dealClaimedPercent: orNull(c.dealClaimedPercent[i]),
      dealStartsAt: orNull(c.dealStartsAt[i]),
      dealEndsAt: orNull(c.dealEndsAt[i]),
      bsr: orNull(c.bsr[i]),
      source: c.source[i] < 0 ? null : c.strings[c.source[i]],
    });
  }
  return out;
}
