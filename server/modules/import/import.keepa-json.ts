/**
 * Keepa API JSON (docs/import.md, "Keepa API JSON"): a `/product` response (`{ products: [...] }`), one
 * product object or an array of them, a `/lightningdeal` response (`{ lightningDeals: [...] }`), or one
 * history array as `{ asin, csvIndex, pairs }`. Keepa's histories are change points: each `csv[i]` is a
 * flat list of [keepaMinute, value] (minutes since 2011-01-01 00:00 UTC; prices in cents; −1 = no offer
 * or no data), and the "…_SHIPPING" types are [keepaMinute, price, shipping] triplets. Every instant at
 * which some series changes becomes one snapshot holding each series' value as of that instant.
 */
import { type MappedRow, marketplaceOf, RowError } from './import.formats';

/** 2011-01-01T00:00:00Z in epoch ms: Keepa's time origin. */
export const KEEPA_EPOCH_MS = Date.UTC(2011, 0, 1);
export const keepaMinuteToDate = (minute: number): Date => new Date(KEEPA_EPOCH_MS + minute * 60_000);

/** Keepa's domainId → marketplace (1 com, 2 co.uk, 3 de, 4 fr, 5 co.jp, 6 ca, 8 it, 9 es, 10 in, 11 com.mx, 12 com.br). */
export const KEEPA_DOMAINS: Record<number, string> = {
  1: 'US',
  2: 'UK',
  3: 'DE',
  4: 'FR',
  5: 'JP',
  6: 'CA',
  8: 'IT',
  9: 'ES',
  10: 'IN',
  11: 'MX',
  12: 'BR',
};

/** The csv indexes read, what they fill, and how a value converts. Other indexes are reported as unused. */
const SERIES = {
  0: { name: 'AMAZON', kind: 'price' },
  1: { name: 'NEW', kind: 'price' },
  3: { name: 'SALES', kind: 'rank' },
  4: { name: 'LISTPRICE', kind: 'listPrice' },
  11: { name: 'COUNT_NEW', kind: 'offers' },
  16: { name: 'RATING', kind: 'rating' },
  17: { name: 'COUNT_REVIEWS', kind: 'reviews' },
  18: { name: 'BUY_BOX_SHIPPING', kind: 'price' },
} as const satisfies Record<number, { name: string; kind: string }>;
type Kind = (typeof SERIES)[keyof typeof SERIES]['kind'];
/** Buy box first, then Amazon, then the lowest new offer (as in the CSV exports). */
const PRICE_ORDER = [18, 0, 1] as const;

export interface KeepaJsonResult {
  rows: MappedRow[];
  /** What was read and left out, for the import's output. */
  notes: string[];
}

/** [minute, value] change points of one history; triplets add shipping to the price. −1 stays −1 (no data). */
export function changePoints(list: unknown, triplets: boolean, path: string): [number, number][] {
  if (!Array.isArray(list)) throw new RowError(`${path}: must be an array of numbers`);
  const step = triplets ? 3 : 2;
  const out: [number, number][] = [];
  for (let i = 0; i + step - 1 < list.length; i += step) {
    const [t, v, ship] = [list[i], list[i + 1], triplets ? list[i + 2] : 0];
    if (![t, v, ship].every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new RowError(`${path}[${i}]: Keepa histories hold numbers, got ${JSON.stringify(list.slice(i, i + step))}`);
    out.push([t as number, (v as number) < 0 ? -1 : (v as number) + Math.max(0, ship as number)]);
  }
  return out;
}

function convert(kind: Kind, v: number): number | null {
  if (v < 0) return null;
  if (kind === 'price' || kind === 'listPrice') return v / 100;
  if (kind === 'rating') return v / 10;
  return v;
}

interface ProductLike {
  asin?: unknown;
  domainId?: unknown;
  title?: unknown;
  brand?: unknown;
  csv?: unknown;
  monthlySold?: unknown;
  monthlySoldHistory?: unknown;
  lastUpdate?: unknown;
  offers?: unknown;
}

/**
 * The value of a change-point history as of each instant, for instants asked in ascending order
 * (one forward pass, so a long history costs O(n)); −1 before the first point.
 */
export function stepper(h: readonly [number, number][]): (t: number) => number {
  let i = -1;
  return (t) => {
    while (i + 1 < h.length && h[i + 1][0] <= t) i++;
    return i < 0 ? -1 : h[i][1];
  };
}

/** Sums the offers' last known stock (`stockCSV`, requested with stock=1) at each change point. */
function offerStock(offers: unknown, path: string): [number, number][] {
  if (!Array.isArray(offers)) return [];
  const histories = offers
    .map((o, i) => {
      const csv = (o as { stockCSV?: unknown } | null)?.stockCSV;
      return csv ? changePoints(csv, false, `${path}[${i}].stockCSV`) : [];
    })
    .filter((h) => h.length);
  if (!histories.length) return [];
  const times = [...new Set(histories.flatMap((h) => h.map(([t]) => t)))].sort((a, b) => a - b);
  const steps = histories.map(stepper);
  return times.map((t) => [t, steps.reduce((sum, at) => sum + Math.max(0, at(t)), 0)]);
}

/** One product object → its snapshots (one per change instant), with title and brand. */
export function productRows(p: ProductLike, path: string, opts: { marketplace?: string | null; source?: string | null }): KeepaJsonResult {
  const notes: string[] = [];
  if (typeof p.asin !== 'string') throw new RowError(`${path}.asin: a product needs its ASIN`);
  const csv = Array.isArray(p.csv) ? p.csv : [];
  const series = new Map<number, [number, number][]>();
  csv.forEach((list, i) => {
    if (list === null || list === undefined) return;
    if (!(i in SERIES)) return void notes.push(`${p.asin}: csv[${i}] is not used`);
    series.set(i, changePoints(list, SERIES[i as keyof typeof SERIES].name.endsWith('_SHIPPING'), `${path}.csv[${i}]`));
  });
  const stock = offerStock(p.offers, `${path}.offers`);
  const sold = Array.isArray(p.monthlySoldHistory)
    ? changePoints(p.monthlySoldHistory, false, `${path}.monthlySoldHistory`)
    : typeof p.monthlySold === 'number' && typeof p.lastUpdate === 'number' && p.monthlySold >= 0
      ? [[p.lastUpdate, p.monthlySold] as [number, number]]
      : [];
  const times = [...new Set([...[...series.values()].flat(), ...stock, ...sold].map(([t]) => t))].sort((a, b) => a - b);
  const steps = new Map([...series].map(([i, h]) => [i, stepper(h)]));
  const value = (i: number, t: number) => convert(SERIES[i as keyof typeof SERIES].kind, steps.get(i)?.(t) ?? -1);
  const stockAt = stepper(stock);
  const soldAt = stepper(sold);
  const marketplace = typeof p.domainId === 'number' ? (KEEPA_DOMAINS[p.domainId] ?? null) : null;
  if (typeof p.domainId === 'number' && !marketplace)
    throw new RowError(`${path}.domainId: ${p.domainId} is not a Keepa domain this import knows`);
  const rows: MappedRow[] = times.map((t, k) => {
    const units = stockAt(t);
    const monthly = soldAt(t);
    return {
      asin: p.asin as string,
      marketplace: marketplace ?? (opts.marketplace ? marketplaceOf(opts.marketplace) : 'US'),
      capturedAt: keepaMinuteToDate(t),
      stock: units >= 0 ? units : null,
      stockIsLowerBound: false,
      price: PRICE_ORDER.map((i) => value(i, t)).find((x) => x !== null) ?? null,
      listPrice: value(4, t),
      dealType: 'NONE',
      bsr: value(3, t) || null,
      rating: value(16, t),
      reviewCount: value(17, t),
      offerCount: value(11, t),
      monthlySold: monthly >= 0 ? monthly : null,
      title: k === times.length - 1 && typeof p.title === 'string' ? p.title : null,
      brand: k === times.length - 1 && typeof p.brand === 'string' ? p.brand : null,
      source: opts.source ?? 'keepa',
    };
  });
  return { rows, notes };
}

/** A `/lightningdeal` deal object → one live-deal reading at its lastUpdate. */
function lightningDealRow(
  d: Record<string, unknown>,
  path: string,
  opts: { marketplace?: string | null; source?: string | null },
): MappedRow {
  const minute = (k: string) => (typeof d[k] === 'number' && (d[k] as number) > 0 ? keepaMinuteToDate(d[k] as number) : null);
  if (typeof d.asin !== 'string') throw new RowError(`${path}.asin: a lightning deal needs its ASIN`);
  const at = minute('lastUpdate') ?? minute('startTime');
  if (!at) throw new RowError(`${path}.lastUpdate: a lightning deal needs a time`);
  const state = String(d.dealState ?? '').toUpperCase();
  const live = ['AVAILABLE', 'WAITLIST', 'WAITLISTFULL', 'SOLDOUT'].includes(state);
  const claimed = typeof d.percentClaimed === 'number' ? Math.min(100, Math.max(0, d.percentClaimed)) : null;
  const price = typeof d.dealPrice === 'number' && d.dealPrice > 0 ? d.dealPrice / 100 : null;
  return {
    asin: d.asin,
    marketplace: typeof d.domainId === 'number' ? (KEEPA_DOMAINS[d.domainId] ?? 'US') : (opts.marketplace ?? 'US'),
    capturedAt: at,
    price: live ? price : null,
    dealType: live ? 'LIGHTNING' : 'NONE',
    dealClaimedPercent: live ? (state === 'SOLDOUT' ? 100 : claimed) : null,
    dealStartsAt: live ? minute('startTime') : null,
    dealEndsAt: live ? minute('endTime') : null,
    stockIsLowerBound: false,
    source: opts.source ?? 'keepa',
  };
}

/** Any of the accepted Keepa JSON documents → rows, with the path of what was wrong in an error. */
export function keepaJsonRows(
  doc: unknown,
  opts: { asin?: string | null; marketplace?: string | null; source?: string | null },
): KeepaJsonResult {
  const o = doc as Record<string, unknown>;
  if (Array.isArray(doc)) return merge(doc.map((p, i) => productRows(p as ProductLike, `[${i}]`, opts)));
  if (o && typeof o === 'object') {
    if (Array.isArray(o.products)) return merge(o.products.map((p, i) => productRows(p as ProductLike, `products[${i}]`, opts)));
    if (Array.isArray(o.lightningDeals))
      return {
        rows: o.lightningDeals.map((d, i) => lightningDealRow(d as Record<string, unknown>, `lightningDeals[${i}]`, opts)),
        notes: [],
      };
    if (typeof o.csvIndex === 'number' && Array.isArray(o.pairs)) {
      const csv: unknown[] = [];
      csv[o.csvIndex] = o.pairs;
      const odd = o.pairs.length % (String(o.name ?? '').endsWith('_SHIPPING') ? 3 : 2);
      const r = productRows({ asin: o.asin ?? opts.asin, domainId: o.domainId, csv }, 'pairs', opts);
      if (odd) r.notes.push(`the history ends in ${odd} unpaired number(s) (a truncated excerpt): left out`);
      return r;
    }
    if (typeof o.asin === 'string') return productRows(o as ProductLike, '$', opts);
  }
  throw new RowError(
    'not a Keepa API document: expected { products: [...] }, a product object (asin, csv), { lightningDeals: [...] } or { asin, csvIndex, pairs }',
  );
}

function merge(parts: KeepaJsonResult[]): KeepaJsonResult {
  return { rows: parts.flatMap((p) => p.rows), notes: parts.flatMap((p) => p.notes) };
}
