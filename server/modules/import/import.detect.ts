/**
 * Which export a file is, from its header (when `--format` is not given), and the defaults a file's
 * name supplies: an ASIN (Keepa names history exports after the product), a marketplace token
 * ("keepa_DE_…") and an export date ("KeepaExport-2026-04-25-…", "Helium_10_Xray_2026-08-21…").
 */
import { helium10Mapper } from './import.helium10';
import {
  asinFromFileName,
  type CsvFormatName,
  type FormatOptions,
  keepaMapper,
  longMapper,
  norm,
  RowError,
  type RowMapper,
} from './import.formats';

/** The command-line names of the formats (`--format keepa-finder`), and their enum values. */
export const FORMAT_NAMES: Record<string, CsvFormatName> = {
  keepa: 'KEEPA',
  'keepa-finder': 'KEEPA_FINDER',
  'keepa-history': 'KEEPA_HISTORY',
  'keepa-json': 'KEEPA_JSON',
  'helium10-xray': 'HELIUM10_XRAY',
  long: 'LONG',
};
export const formatLabel = (f: CsvFormatName): string => Object.keys(FORMAT_NAMES).find((k) => FORMAT_NAMES[k] === f) ?? f;

/** Formats whose rows carry no time: every row was captured when the file was exported. */
export const TIMELESS_FORMATS: readonly CsvFormatName[] = ['KEEPA_FINDER', 'HELIUM10_XRAY'];

export interface DetectedFormat {
  format: CsvFormatName;
  /** Why: the header columns that decided it. */
  why: string;
}

const HELIUM10_MARKS = ['asinsales', 'recentpurchases', 'parentlevelsales', 'productdetails', 'displayorder'];
const KEEPA_MARKS = [
  'salesrankcurrent',
  'buyboxcurrent',
  'buyboxstock',
  'amazoncurrent',
  'newcurrent',
  'reviewsrating',
  'listpricecurrent',
];
const KEEPA_SERIES = ['amazon', 'new', 'used', 'sales', 'salesrank', 'listprice', 'countnew', 'buyboxshipping', 'countreviews', 'rating'];
const LONG_TIME = ['capturedat', 'timestamp', 'time', 'datetime'];
const KEEPA_TIME = ['time', 'date', 'timestamp', 'datetime'];

/** Tells the format from the header row, or throws a RowError listing what it saw. */
export function detectFormat(header: string[]): DetectedFormat {
  const names = header.map(norm);
  const has = (n: string) => names.includes(n);
  const found = (list: string[]) => header.filter((_, i) => list.includes(names[i])).map((h) => `"${h.trim()}"`);
  const h10 = found(HELIUM10_MARKS);
  if (h10.length >= 2 && has('asin')) return { format: 'HELIUM10_XRAY', why: `Helium 10 Xray columns ${h10.join(', ')}` };
  if (names[0] === '' && header.length > 1 && names.slice(1).some((n) => KEEPA_SERIES.includes(n)))
    return { format: 'KEEPA_HISTORY', why: `an unnamed time column and Keepa series ${found(KEEPA_SERIES).join(', ')}` };
  const keepa = found(KEEPA_MARKS);
  if (keepa.length) {
    const time = found(KEEPA_TIME);
    return time.length
      ? { format: 'KEEPA', why: `Keepa columns ${keepa.join(', ')} with the time column ${time[0]}` }
      : { format: 'KEEPA_FINDER', why: `Keepa columns ${keepa.join(', ')} and no time column (one row per product)` };
  }
  if (has('asin') && LONG_TIME.some(has)) return { format: 'LONG', why: `"asin" and ${found(LONG_TIME)[0]} columns` };
  throw new RowError(
    `cannot tell the format from the header (${header
      .slice(0, 8)
      .map((h) => `"${h.trim()}"`)
      .join(', ')}${header.length > 8 ? ', …' : ''}): give it (keepa, keepa-finder, keepa-history, keepa-json, helium10-xray or long)`,
  );
}

export function mapperFor(format: CsvFormatName, header: string[], opts: FormatOptions): RowMapper {
  switch (format) {
    case 'LONG':
      return longMapper(header, opts);
    case 'HELIUM10_XRAY':
      return helium10Mapper(header, opts);
    case 'KEEPA_JSON':
      throw new RowError('Keepa JSON is not CSV: it is read whole (importKeepaJson)');
    default:
      return keepaMapper(header, opts);
  }
}

const MARKETPLACE_TOKENS = ['US', 'UK', 'GB', 'DE', 'FR', 'IT', 'ES', 'JP', 'CA', 'MX', 'IN', 'BR', 'AU', 'NL', 'SE', 'PL'];

/** A marketplace code standing alone in a file name ("keepa_DE_electronics….csv" → DE), or null. */
export function marketplaceFromFileName(name: string): string | null {
  const m = new RegExp(`(?:^|[_\\-. ])(${MARKETPLACE_TOKENS.join('|')})(?=[_\\-. ])`).exec(name);
  return m ? (m[1] === 'GB' ? 'UK' : m[1]) : null;
}

/** An export date in a file name ("…-2026-04-25-…", "…_2026-08-21_…"), as midnight UTC, or null. */
export function dateFromFileName(name: string): Date | null {
  const m = /(?:^|\D)(20\d{2})-(\d{2})-(\d{2})(?!\d)/.exec(name);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3]) ? null : d;
}

export interface FileDefaults {
  asin: string | null;
  marketplace: string | null;
  capturedAtDefault: { at: Date; from: string } | null;
  /** What came from the file name, for the import's output. */
  notes: string[];
}

/**
 * What a file's name (and time) supply where the command or mutation did not: the ASIN of a
 * one-product export, the marketplace of rows without one, and the capture time of an export without
 * a time column (a date in the name, else the file's modification time, else `fallback` — the request
 * time of a mutation).
 */
export function fileDefaults(
  name: string | null,
  given: { asin: string | null; marketplace: string | null },
  fileTime: Date | null,
  fallback: { at: Date; from: string } | null = null,
): FileDefaults {
  const notes: string[] = [];
  const asin = given.asin ?? (name ? asinFromFileName(name) : null);
  if (!given.asin && asin) notes.push(`ASIN ${asin} from the file name (for rows without an ASIN column)`);
  const marketplace = given.marketplace ?? (name ? marketplaceFromFileName(name) : null);
  if (!given.marketplace && marketplace) notes.push(`marketplace ${marketplace} from the file name (for rows without a marketplace)`);
  const dated = name ? dateFromFileName(name) : null;
  const capturedAtDefault = dated
    ? { at: dated, from: 'the date in the file name' }
    : fileTime
      ? { at: fileTime, from: "the file's modification time" }
      : fallback;
  return { asin, marketplace, capturedAtDefault, notes };
}

/** Whether a text is JSON (a Keepa API document) rather than CSV: its first non-blank character. */
export const looksLikeJson = (text: string): boolean => /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''));
