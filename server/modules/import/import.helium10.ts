/**
 * Helium 10 Xray export (a search page's listings, one row per ASIN, no time column: every row was
 * captured when the export was made, `opts.capturedAt`). Numbers are written in the exporting
 * browser's locale ("69,95", "26 511", "366 714,82", "1,234.50"); "N/A" is no data. Column names are
 * listed in docs/import.md (HELIUM10_COLUMNS).
 */
import { blank, type Column, type FormatOptions, indexHeaders, marketplaceOf, norm, RowError, type RowMapper } from './import.formats';

export const HELIUM10_COLUMNS = {
  asin: ['ASIN'],
  title: ['Product Details', 'Title'],
  brand: ['Brand'],
  url: ['URL'],
  bsr: ['BSR'],
  rating: ['Ratings', 'Rating'],
  reviewCount: ['Review Count'],
  offerCount: ['Active Sellers'],
  monthlySold: ['Recent Purchases'],
  estimatedMonthlySales: ['ASIN Sales'],
} as const;

/**
 * A number in any of the locales Helium 10 writes. Spaces (also no-break) group thousands. With both
 * "." and "," the later one is the decimal mark; with only "," it groups thousands when every group
 * after it has three digits ("26,511") and is the decimal mark otherwise ("69,95", "4,8"); a lone "."
 * is the decimal mark unless it separates several three-digit groups ("1.234.567").
 */
export function localeNumber(col: string, raw: string): number {
  let t = raw
    .trim()
    .replace(/^[#$€£¥]|[$€£¥%]$/g, '')
    .replace(/[\s\u00a0\u202f]/g, '');
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) t = comma > dot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  else if (comma >= 0) t = /^-?\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3}){2,}$/.test(t)) t = t.replace(/\./g, '');
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new RowError(`${col}: "${raw}" is not a number`);
  return v;
}

function localeInt(col: string, raw: string): number {
  const v = localeNumber(col, raw);
  if (!Number.isInteger(v) || v < 0) throw new RowError(`${col}: "${raw}" is not a whole number ≥ 0`);
  return v;
}

/** The marketplace of a listing URL's Amazon domain (https://www.amazon.de/dp/… → DE), or null. */
export function marketplaceFromUrl(url: string): string | null {
  const m = /amazon\.([a-z.]+?)(?:\/|$|\?|:)/i.exec(url);
  return m ? marketplaceOf(m[1]) : null;
}

/** The price column: "Price" followed by its currency ("Price  USD", "Price EUR"). */
function priceColumn(header: string[]): Column | null {
  const i = header.findIndex((h) => /^price\b/i.test(h.trim()) && !/total|fee/i.test(h));
  return i < 0 ? null : { name: header[i].trim(), get: (r) => r[i] };
}

export function helium10Mapper(header: string[], opts: FormatOptions): RowMapper {
  const { col, ignored } = indexHeaders(header);
  const pick = (names: readonly string[]) => col(...names.map(norm));
  const c = {
    asin: pick(HELIUM10_COLUMNS.asin),
    title: pick(HELIUM10_COLUMNS.title),
    brand: pick(HELIUM10_COLUMNS.brand),
    url: pick(HELIUM10_COLUMNS.url),
    bsr: pick(HELIUM10_COLUMNS.bsr),
    rating: pick(HELIUM10_COLUMNS.rating),
    reviews: pick(HELIUM10_COLUMNS.reviewCount),
    offers: pick(HELIUM10_COLUMNS.offerCount),
    monthlySold: pick(HELIUM10_COLUMNS.monthlySold),
    estimate: pick(HELIUM10_COLUMNS.estimatedMonthlySales),
  };
  const price = priceColumn(header);
  if (price) col(norm(price.name));
  if (!c.asin) throw new RowError('the header has no "ASIN" column');
  if (!opts.capturedAt) throw new RowError('a Helium 10 Xray export has no time column: give the capture time (--captured-at)');
  const capturedAt = opts.capturedAt;
  const get = (x: Column | null, r: string[]) => {
    const v = x?.get(r);
    return blank(v) ? undefined : (v as string).trim();
  };
  const number = (x: Column | null, r: string[]) => (get(x, r) === undefined ? null : localeNumber(x!.name, get(x, r)!));
  const whole = (x: Column | null, r: string[]) => (get(x, r) === undefined ? null : localeInt(x!.name, get(x, r)!));
  return {
    ignored: ignored(),
    map(r) {
      const url = get(c.url, r);
      return {
        asin: get(c.asin, r) as string,
        marketplace: (url && marketplaceFromUrl(url)) ?? opts.marketplace ?? 'US',
        capturedAt,
        stock: null,
        stockIsLowerBound: false,
        price: number(price, r),
        listPrice: null,
        dealType: 'NONE',
        dealQuantity: null,
        dealClaimedPercent: null,
        dealStartsAt: null,
        dealEndsAt: null,
        bsr: whole(c.bsr, r),
        rating: number(c.rating, r),
        reviewCount: whole(c.reviews, r),
        offerCount: whole(c.offers, r),
        monthlySold: whole(c.monthlySold, r),
        estimatedMonthlySales: whole(c.estimate, r),
        title: get(c.title, r) ?? null,
        brand: get(c.brand, r) ?? null,
        source: opts.source ?? 'helium10',
      };
    },
  };
}
