/**
 * The CSV layouts sellers have (docs/import.md): Keepa exports (product history, Product Finder, the
 * `keepa` Python package's history), Helium 10 Xray, and a generic long format. A header row maps
 * column names (case, spaces, punctuation and emoji ignored: "Buy Box 🚚: Current" = "buyboxcurrent")
 * onto snapshot fields; each data row becomes one MappedRow or a RowError naming the column and the
 * bad value. import.detect.ts tells the formats apart.
 */
import { DEAL_TYPES, type DealType } from '../../../core/series/types';
import type { SnapshotInput } from '../snapshot/snapshot.inputs';

export type CsvFormatName = 'KEEPA' | 'KEEPA_FINDER' | 'KEEPA_HISTORY' | 'KEEPA_JSON' | 'HELIUM10_XRAY' | 'LONG';

/** A data row: the snapshot plus listing details some exports carry (they update the competitor). */
export interface MappedRow extends SnapshotInput {
  title?: string | null;
  brand?: string | null;
}

export class RowError extends Error {}

export interface FormatOptions {
  /** ASIN for files without an ASIN column (Keepa exports are one product per file). */
  asin?: string | null;
  /** Marketplace when the file has no marketplace/locale column. Default US. */
  marketplace?: string | null;
  /** `source` for rows without a source column. Default "keepa" (KEEPA) or "csv" (LONG). */
  source?: string | null;
  /** Stock readings ≥ this are lower bounds (a source that caps silently, e.g. 10 per offer). */
  stockCap?: number | null;
  /** A `;`-delimited file writes decimals with a comma ("19,99"). */
  decimalComma?: boolean;
  /** Capture time of every row of an export without a time column (Product Finder, Xray). */
  capturedAt?: Date | null;
}

export interface RowMapper {
  map(record: string[]): MappedRow;
  /** Header names that map to nothing (reported once, not an error). */
  ignored: string[];
}

export const norm = (h: string): string => h.toLowerCase().replace(/[^a-z0-9%]/g, '');
export const blank = (s: string | undefined): boolean =>
  s === undefined || s.trim() === '' || s.trim() === '-' || s.trim() === '—' || /^n\/?a$/i.test(s.trim());

// ---- value parsers (each throws RowError naming the column) ----------------------------------

export function num(col: string, raw: string, opts: FormatOptions): number {
  let t = raw
    .trim()
    .replace(/^[#$€£¥]|[$€£¥%]$/g, '')
    .replace(/\s/g, '');
  if (opts.decimalComma) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,(?=\d{3}(\D|$))/g, '');
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new RowError(`${col}: "${raw}" is not a number`);
  return v;
}

export function int(col: string, raw: string, opts: FormatOptions): number {
  const v = num(col, raw, opts);
  if (!Number.isInteger(v)) throw new RowError(`${col}: "${raw}" is not a whole number`);
  return v;
}

/** "412" exact; "10+", "999+", ">=10", "≥10", ">10" a lower bound. */
export function parseStock(col: string, raw: string, opts: FormatOptions): { stock: number; lowerBound: boolean } {
  const t = raw.trim();
  const m = /^(?:(>=|≥|>)\s*)?([\d,.]+)\s*(\+)?$/.exec(t);
  if (!m) throw new RowError(`${col}: "${raw}" is not a stock count (a whole number, or a capped reading such as "999+")`);
  const stock = int(col, m[2], opts);
  if (stock < 0) throw new RowError(`${col}: must be ≥ 0, got ${stock}`);
  const lowerBound = Boolean(m[1] || m[3]) || (opts.stockCap != null && stock >= opts.stockCap);
  return { stock: m[1] === '>' ? stock + 1 : stock, lowerBound };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 or "YYYY-MM-DD HH:mm[:ss]"; without a zone the time is UTC. */
export function parseInstant(col: string, raw: string): Date {
  const t = raw.trim();
  const m = DATE_RE.exec(t);
  if (!m) throw new RowError(`${col}: "${raw}" is not a date-time (ISO 8601 or YYYY-MM-DD HH:mm, UTC unless a zone is given)`);
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m;
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${hh}:${mi}:${ss}${frac.slice(0, 4)}${z}`);
  if (Number.isNaN(date.getTime())) throw new RowError(`${col}: "${raw}" is not a valid date-time`);
  return date;
}

function percent(col: string, raw: string, opts: FormatOptions): number {
  const v = num(col, raw, opts);
  if (v < 0 || v > 100) throw new RowError(`${col}: must be a percentage 0–100, got ${v}`);
  return v;
}

function bool(col: string, raw: string): boolean {
  const t = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'y'].includes(t)) return true;
  if (['false', '0', 'no', 'n', ''].includes(t)) return false;
  throw new RowError(`${col}: "${raw}" is not true/false`);
}

const DEAL_ALIASES: Record<string, DealType> = { lightningdeal: 'LIGHTNING', ld: 'LIGHTNING', dotd: 'DEAL_OF_THE_DAY', none: 'NONE' };

function dealType(col: string, raw: string): DealType {
  const t = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if ((DEAL_TYPES as readonly string[]).includes(t)) return t as DealType;
  const alias = DEAL_ALIASES[norm(raw)];
  if (alias) return alias;
  throw new RowError(`${col}: "${raw}" is not one of ${DEAL_TYPES.join(', ')}`);
}

/** Keepa locales (and plain codes) → marketplace codes. */
const LOCALES: Record<string, string> = {
  com: 'US',
  'amazon.com': 'US',
  'co.uk': 'UK',
  'amazon.co.uk': 'UK',
  gb: 'UK',
  de: 'DE',
  'amazon.de': 'DE',
  fr: 'FR',
  'amazon.fr': 'FR',
  'co.jp': 'JP',
  'amazon.co.jp': 'JP',
  ca: 'CA',
  'amazon.ca': 'CA',
  it: 'IT',
  'amazon.it': 'IT',
  es: 'ES',
  'amazon.es': 'ES',
  in: 'IN',
  'amazon.in': 'IN',
  'com.mx': 'MX',
  'amazon.com.mx': 'MX',
  'com.br': 'BR',
  'amazon.com.br': 'BR',
  'com.au': 'AU',
  'amazon.com.au': 'AU',
};
export const marketplaceOf = (raw: string): string => LOCALES[raw.trim().toLowerCase()] ?? raw.trim().toUpperCase();

// ---- header mapping ------------------------------------------------------------------------------

export type Getter = (r: string[]) => string | undefined;

export function indexHeaders(header: string[]) {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const k = norm(h);
    if (k && !at.has(k)) at.set(k, i);
  });
  const used = new Set<number>();
  /** The first header present among `names` (normalized), as a getter. */
  const col = (...names: string[]): { name: string; get: Getter } | null => {
    for (const n of names) {
      const i = at.get(n);
      if (i !== undefined) {
        used.add(i);
        return { name: header[i].trim(), get: (r) => r[i] };
      }
    }
    return null;
  };
  const ignored = () => header.filter((h, i) => !used.has(i) && norm(h) !== '').map((h) => h.trim());
  return { col, ignored };
}

/**
 * Generic long format, one observation per row. Columns (any case; `_` and spaces ignored):
 * asin, capturedAt (also captured_at, timestamp, time), marketplace, stock, stockIsLowerBound,
 * price, listPrice, dealType, dealQuantity, dealClaimedPercent, dealStartsAt, dealEndsAt, bsr, rating,
 * reviewCount, offerCount, source. Required: asin, capturedAt.
 */
export function longMapper(header: string[], opts: FormatOptions): RowMapper {
  const { col, ignored } = indexHeaders(header);
  const c = {
    asin: col('asin'),
    at: col('capturedat', 'timestamp', 'time', 'datetime'),
    marketplace: col('marketplace', 'locale', 'domain'),
    stock: col('stock'),
    lb: col('stockislowerbound'),
    price: col('price'),
    listPrice: col('listprice'),
    dealType: col('dealtype'),
    dealQuantity: col('dealquantity'),
    claimed: col('dealclaimedpercent', 'claimedpercent', 'percentclaimed'),
    startsAt: col('dealstartsat'),
    endsAt: col('dealendsat'),
    bsr: col('bsr', 'salesrank'),
    rating: col('rating'),
    reviews: col('reviewcount'),
    offers: col('offercount'),
    source: col('source'),
  };
  if (!c.asin) throw new RowError('the header has no "asin" column');
  if (!c.at) throw new RowError('the header has no "capturedAt" column');
  const defaultSource = opts.source ?? 'csv';
  return {
    ignored: ignored(),
    map(r) {
      const v = (k: keyof typeof c): string | undefined => {
        const x = c[k]?.get(r);
        return blank(x) ? undefined : (x as string).trim();
      };
      const name = (k: keyof typeof c) => c[k]!.name;
      const stock = v('stock') === undefined ? null : parseStock(name('stock'), v('stock')!, opts);
      const claimed = v('claimed') === undefined ? null : percent(name('claimed'), v('claimed')!, opts);
      const quantity = v('dealQuantity') === undefined ? null : int(name('dealQuantity'), v('dealQuantity')!, opts);
      const type = v('dealType') === undefined ? 'NONE' : dealType(name('dealType'), v('dealType')!);
      if (type === 'NONE' && (claimed !== null || quantity !== null)) {
        throw new RowError(
          `${c.dealType?.name ?? 'dealType'}: no deal type but ${claimed !== null ? name('claimed') : name('dealQuantity')} is set`,
        );
      }
      return {
        asin: v('asin') as string,
        marketplace: v('marketplace') === undefined ? (opts.marketplace ?? 'US') : marketplaceOf(v('marketplace')!),
        capturedAt: parseInstant(name('at'), v('at') ?? ''),
        stock: stock?.stock ?? null,
        stockIsLowerBound: (stock?.lowerBound ?? false) || (v('lb') !== undefined && bool(name('lb'), v('lb')!)),
        price: v('price') === undefined ? null : num(name('price'), v('price')!, opts),
        listPrice: v('listPrice') === undefined ? null : num(name('listPrice'), v('listPrice')!, opts),
        dealType: type,
        dealQuantity: quantity,
        dealClaimedPercent: claimed,
        dealStartsAt: v('startsAt') === undefined ? null : parseInstant(name('startsAt'), v('startsAt')!),
        dealEndsAt: v('endsAt') === undefined ? null : parseInstant(name('endsAt'), v('endsAt')!),
        bsr: v('bsr') === undefined ? null : int(name('bsr'), v('bsr')!, opts),
        rating: v('rating') === undefined ? null : num(name('rating'), v('rating')!, opts),
        reviewCount: v('reviews') === undefined ? null : int(name('reviews'), v('reviews')!, opts),
        offerCount: v('offers') === undefined ? null : int(name('offers'), v('offers')!, opts),
        source: v('source') ?? defaultSource,
      };
    },
  };
}

/** Keepa's lightning-deal states (deal object `dealState`). */
const LIVE_STATES = new Set(['AVAILABLE', 'WAITLIST', 'WAITLISTFULL', 'SOLDOUT']);
const OVER_STATES = new Set(['EXPIRED', 'SUPPRESSED', 'NONE', 'ENDED']);
/** Announced, not started: kept as a deal reading with its start time, so the deal shows as UPCOMING. */
const UPCOMING_STATE = 'UPCOMING';

/**
 * Keepa's exports, by their column names (docs/import.md lists them; KEEPA_COLUMNS is that list):
 *  - the product-history export (one product per file, a `Time` column);
 *  - the Product Finder / Product Viewer export (one row per ASIN, no time column: every row was
 *    captured when the file was exported, `opts.capturedAt`);
 *  - the history the Python `keepa` package writes through pandas (an unnamed first column holding
 *    the time with its UTC offset, upper-case series names such as SALES and COUNT_NEW).
 * Prices prefer Buy Box, then Amazon, then New; a row showing a lightning deal takes the deal price.
 */
export const KEEPA_COLUMNS = {
  time: ['Time', 'Date', 'Timestamp', 'Datetime'],
  asin: ['ASIN'],
  marketplace: ['Locale', 'Domain', 'Marketplace'],
  stock: ['Stock', 'Stock: New', 'New Stock', 'Amazon Stock', 'Stock Count', 'Inventory', 'Buy Box: Stock', 'Amazon: Stock', 'New: Stock'],
  offerCount: [
    'Count of new offers',
    'New Offer Count',
    'New Offers',
    'Offer Count',
    'Count of new offers: Current',
    'New Offer Count: Current',
    'COUNT_NEW',
  ],
  price: [
    'Buy Box',
    'Buy Box 🚚',
    'Buy Box: Current',
    'Buy Box 🚚: Current',
    'BUY_BOX_SHIPPING',
    'Amazon',
    'Amazon: Current',
    'New',
    'New: Current',
  ],
  listPrice: ['List Price', 'List Price: Current', 'LISTPRICE'],
  salesRank: ['Sales Rank', 'Sales Rank: Current', 'SALES'],
  rating: ['Rating', 'Rating: Current', 'Reviews: Rating'],
  reviewCount: ['Review Count', 'Reviews: Review Count', 'Count of reviews', 'Review Count: Current', 'COUNT_REVIEWS'],
  monthlySold: ['Bought in past month', 'Bought in past month: Current', 'monthlySold'],
  title: ['Title'],
  brand: ['Brand'],
  lightningDealPrice: ['Lightning Deals', 'Lightning Deal', 'Lightning Deals: Current', 'Lightning Deal Price'],
  lightningDealClaimed: ['Lightning Deal: % Claimed', 'Lightning Deal: Percent Claimed', 'Percent Claimed', '% Claimed'],
  lightningDealQuantity: ['Lightning Deal: Quantity', 'Deal Quantity'],
  lightningDealStart: ['Lightning Deal: Start Time', 'Lightning Deal Start', 'Deal Start Time', 'Start Time'],
  lightningDealEnd: ['Lightning Deal: End Time', 'Lightning Deal End', 'Deal End Time', 'End Time'],
  lightningDealState: ['Lightning Deal: State', 'Deal State'],
  source: ['Source'],
} as const;

/** Keepa reports stock up to 1,000 units: a reading of 1,000 or more is a lower bound ("1000+"). */
export const KEEPA_STOCK_CAP = 1000;

export type Column = { name: string; get: Getter };

/** The first non-empty value among `cols` (in preference order). */
const firstOf = (cols: Column[], r: string[]): { col: Column; value: string } | null => {
  for (const col of cols) {
    const v = col.get(r);
    if (!blank(v)) return { col, value: (v as string).trim() };
  }
  return null;
};

/** The time column: a named one, else pandas' unnamed index (an empty first header). */
function keepaTimeColumn(header: string[], pick: (names: readonly string[]) => Column | null): Column | null {
  const named = pick(KEEPA_COLUMNS.time);
  if (named) return named;
  return header.length > 1 && norm(header[0]) === '' ? { name: 'time (the unnamed first column)', get: (r) => r[0] } : null;
}

/** Whether a row shows a live (or announced) lightning deal, and its % claimed. */
function keepaDealState(c: Record<string, Column | null>, r: string[], opts: FormatOptions, get: (x: Column | null) => string | undefined) {
  const state = get(c.ldState)?.toUpperCase().replace(/[\s_]/g, '');
  if (state !== undefined && !LIVE_STATES.has(state) && !OVER_STATES.has(state) && state !== UPCOMING_STATE) {
    throw new RowError(
      `${c.ldState!.name}: "${get(c.ldState)}" is not a Keepa deal state (UPCOMING, AVAILABLE, WAITLIST, WAITLISTFULL, SOLDOUT, EXPIRED, SUPPRESSED)`,
    );
  }
  let claimed = get(c.ldClaimed) === undefined ? null : percent(c.ldClaimed!.name, get(c.ldClaimed)!, opts);
  const upcoming = state === UPCOMING_STATE;
  const hasDealPrice = get(c.ldPrice) !== undefined && get(c.ldPrice) !== '-1';
  const live = state !== undefined ? LIVE_STATES.has(state) || upcoming : hasDealPrice || claimed !== null;
  if (live && state === 'SOLDOUT' && claimed === null) claimed = 100;
  return { live, upcoming, claimed };
}

export function keepaMapper(header: string[], opts: FormatOptions): RowMapper {
  const { col, ignored } = indexHeaders(header);
  const pick = (names: readonly string[]) => col(...names.map(norm));
  const all = (names: readonly string[]) => names.map((n) => col(norm(n))).filter((x): x is Column => x !== null);
  const time = keepaTimeColumn(header, pick);
  const c = {
    asin: pick(KEEPA_COLUMNS.asin),
    marketplace: pick(KEEPA_COLUMNS.marketplace),
    offers: pick(KEEPA_COLUMNS.offerCount),
    listPrice: pick(KEEPA_COLUMNS.listPrice),
    rank: pick(KEEPA_COLUMNS.salesRank),
    rating: pick(KEEPA_COLUMNS.rating),
    reviews: pick(KEEPA_COLUMNS.reviewCount),
    monthlySold: pick(KEEPA_COLUMNS.monthlySold),
    title: pick(KEEPA_COLUMNS.title),
    brand: pick(KEEPA_COLUMNS.brand),
    ldPrice: pick(KEEPA_COLUMNS.lightningDealPrice),
    ldClaimed: pick(KEEPA_COLUMNS.lightningDealClaimed),
    ldQuantity: pick(KEEPA_COLUMNS.lightningDealQuantity),
    ldStart: pick(KEEPA_COLUMNS.lightningDealStart),
    ldEnd: pick(KEEPA_COLUMNS.lightningDealEnd),
    ldState: pick(KEEPA_COLUMNS.lightningDealState),
    source: pick(KEEPA_COLUMNS.source),
  };
  // Every stock and price column present, in preference order.
  const stocks = all(KEEPA_COLUMNS.stock);
  const prices = all(KEEPA_COLUMNS.price);
  if (!time && !opts.capturedAt)
    throw new RowError(
      `the header has no time column (one of: ${KEEPA_COLUMNS.time.join(', ')}); for an export without one (Product Finder) give the capture time (--captured-at)`,
    );
  if (!c.asin && !opts.asin)
    throw new RowError('no ASIN: the file has no "ASIN" column and none was given (--asin, or an ASIN in the file name)');
  const defaultSource = opts.source ?? 'keepa';
  const stockOpts: FormatOptions = { ...opts, stockCap: opts.stockCap ?? KEEPA_STOCK_CAP };
  const get = (x: Column | null, r: string[]) => {
    const v = x?.get(r);
    return blank(v) ? undefined : (v as string).trim();
  };
  // Keepa writes -1 for "no data" in price and rank series.
  const keepaNum = (x: Column | null, r: string[], integer = false): number | null => {
    const v = get(x, r);
    if (v === undefined) return null;
    const n = integer ? int(x!.name, v, opts) : num(x!.name, v, opts);
    return n === -1 ? null : n;
  };
  return {
    ignored: ignored(),
    map(r) {
      const stockCell = firstOf(stocks, r);
      const stock = stockCell && stockCell.value !== '-1' ? parseStock(stockCell.col.name, stockCell.value, stockOpts) : null;
      const deal = keepaDealState(c, r, opts, (x) => get(x, r));
      const dealPrice = keepaNum(c.ldPrice, r);
      let price: number | null = null;
      for (const p of prices) {
        price = keepaNum(p, r);
        if (price !== null) break;
      }
      const rating = keepaNum(c.rating, r);
      return {
        asin: get(c.asin, r) ?? (opts.asin as string),
        marketplace: get(c.marketplace, r) === undefined ? (opts.marketplace ?? 'US') : marketplaceOf(get(c.marketplace, r)!),
        capturedAt: time ? parseInstant(time.name, get(time, r) ?? '') : (opts.capturedAt as Date),
        stock: stock?.stock ?? null,
        stockIsLowerBound: stock?.lowerBound ?? false,
        price: deal.live && !deal.upcoming && dealPrice !== null ? dealPrice : price,
        listPrice: keepaNum(c.listPrice, r),
        dealType: deal.live ? 'LIGHTNING' : 'NONE',
        dealQuantity: deal.live ? keepaNum(c.ldQuantity, r, true) : null,
        dealClaimedPercent: deal.live ? deal.claimed : null,
        dealStartsAt: deal.live && get(c.ldStart, r) !== undefined ? parseInstant(c.ldStart!.name, get(c.ldStart, r)!) : null,
        dealEndsAt: deal.live && get(c.ldEnd, r) !== undefined ? parseInstant(c.ldEnd!.name, get(c.ldEnd, r)!) : null,
        bsr: keepaNum(c.rank, r, true),
        // Keepa's API stores ratings in tenths (45 = 4.5 stars); exports usually show 4.5.
        rating: rating === null ? null : rating > 5 ? rating / 10 : rating,
        reviewCount: keepaNum(c.reviews, r, true),
        offerCount: keepaNum(c.offers, r, true),
        monthlySold: keepaNum(c.monthlySold, r, true),
        title: get(c.title, r) ?? null,
        brand: get(c.brand, r) ?? null,
        source: get(c.source, r) ?? defaultSource,
      };
    },
  };
}

/** An ASIN-looking token in a file name (Keepa names exports after the product). */
export function asinFromFileName(name: string): string | null {
  const m = /(?:^|[^A-Z0-9])(B0[A-Z0-9]{8}|\d{9}[\dX])(?:[^A-Z0-9]|$)/i.exec(name);
  return m ? m[1].toUpperCase() : null;
}
