/**
 * Sheet functions that look competitors up in the API: one batched GraphQL request per call
 * (aliased competitor(asin:, marketplace:) fields), answers cached for a few minutes so a sheet
 * recalculating 1,000 rows stays well inside the 30-second custom-function limit.
 */
import { ApiError, gql } from './api';
import { cachedLookup } from './cache';
import { type Arg, type CellValue, type Result, isBlank, isErrorString, isGrid } from './cells';
import { provenance, stockCell } from './format';
import { type Connection, readConnection } from './settings';
import lookupFields from '../../schema/operations/CompetitorLookupFields.graphql?raw';

export interface LookupNode {
  asin: string;
  marketplace: string;
  title: string | null;
  latestSnapshot: {
    capturedAt: string;
    stock: number | null;
    stockIsLowerBound: boolean;
    dealType: string;
    dealQuantity: number | null;
    dealClaimedPercent: number | null;
    dealEndsAt: string | null;
    source: string | null;
  } | null;
}

/** "B0ABC12345" or "DE:B0ABC12345" (marketplace prefix). */
export function parseListingKey(v: CellValue, defaultMarketplace: string): { asin: string; marketplace: string } {
  const t = String(v).trim();
  const m = /^(?:([A-Za-z]{2,3})\s*:\s*)?([A-Za-z0-9._-]{1,64})$/.exec(t);
  if (!m) throw new Error(`"${t.slice(0, 24)}" is not an ASIN or MARKETPLACE:ASIN`);
  return { asin: m[2]!.toUpperCase(), marketplace: (m[1] ?? defaultMarketplace).toUpperCase() };
}

/** Upper bound on aliases per request, well inside the API's complexity limit. */
export const MAX_BATCH = 2000;

/** Builds one query fetching every key through aliases c0…cN; variables keep it injection-free. */
export function batchQuery(count: number, fragments: string = lookupFields): string {
  // The first fragment in `fragments` is the one spread; any others are what it spreads in turn.
  const fragName = /fragment\s+(\w+)/.exec(fragments)![1];
  const vars: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    vars.push(`$a${i}: String!, $m${i}: String`);
    fields.push(`c${i}: competitor(asin: $a${i}, marketplace: $m${i}) { ...${fragName} }`);
  }
  return `query CompetitorBatch(${vars.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n${fragments}`;
}

export interface LookupStats {
  requested: number;
  cached: number;
  fetched: number;
  requests: number;
}

/** Looks up many listings with at most one API request; null = not found in this workspace. */
export function lookupListings<N = LookupNode>(
  conn: Connection,
  keys: { asin: string; marketplace: string }[],
  fragments: string = lookupFields,
  kind = 'listing',
): { found: Map<string, N | null>; stats: LookupStats } {
  const id = (k: { asin: string; marketplace: string }) => `${k.marketplace}:${k.asin}`;
  const byId = new Map(keys.map((k) => [id(k), k]));
  if (byId.size > MAX_BATCH) throw new ApiError('TOO_MANY', `at most ${MAX_BATCH} different listings per formula, got ${byId.size}`);
  const r = cachedLookup<N | null>(`${conn.url}|${conn.apiKey}`, kind, [...byId.keys()], (missing) => {
    const variables: Record<string, string> = {};
    missing.forEach((m, i) => {
      variables[`a${i}`] = byId.get(m)!.asin;
      variables[`m${i}`] = byId.get(m)!.marketplace;
    });
    const data = gql<Record<string, N | null>>(conn, batchQuery(missing.length, fragments), variables);
    return new Map(missing.map((m, i) => [m, data[`c${i}`] ?? null]));
  });
  return { found: r.found, stats: { requested: byId.size, cached: r.cached, fetched: r.fetched, requests: r.requests } };
}

/** Applies `cell` to every listing key of a scalar or range argument, with one batched lookup. */
export function mapListings<N = LookupNode>(
  keysArg: Arg,
  cell: (node: N, now: number) => CellValue,
  now = Date.now(),
  fragments: string = lookupFields,
  kind = 'listing',
): Result {
  const conn = readConnection();
  const grid: CellValue[][] = isGrid(keysArg) ? keysArg : [[(keysArg ?? '') as CellValue]];
  if (!conn) {
    const msg = '#NOT_CONNECTED: use Extensions › Restock Radar › Connect…';
    return isGrid(keysArg) ? grid.map((r) => r.map((v) => (isBlank(v) ? '' : msg))) : isBlank(keysArg) ? '' : msg;
  }
  const parsed = grid.map((r) =>
    r.map((v) => {
      if (isBlank(v)) return { kind: 'blank' as const };
      if (isErrorString(v)) return { kind: 'error' as const, text: v };
      try {
        return { kind: 'key' as const, key: parseListingKey(v, conn.marketplace) };
      } catch (e) {
        return { kind: 'error' as const, text: `#BAD_INPUT: ${(e as Error).message}` };
      }
    }),
  );
  const keys = parsed.flat().flatMap((p) => (p.kind === 'key' ? [p.key] : []));
  let found: Map<string, N | null>;
  try {
    found = keys.length ? lookupListings<N>(conn, keys, fragments, kind).found : new Map();
  } catch (e) {
    const code = e instanceof ApiError ? e.code : 'ERROR';
    const text = `#${code}: ${(e as Error).message}`.slice(0, 120);
    return isGrid(keysArg) ? parsed.map((r) => r.map((p) => (p.kind === 'blank' ? '' : text))) : text;
  }
  const out = parsed.map((r) =>
    r.map((p): CellValue => {
      if (p.kind === 'blank') return '';
      if (p.kind === 'error') return p.text;
      const node = found.get(`${p.key.marketplace}:${p.key.asin}`);
      if (!node) return `#NOT_FOUND: ${p.key.marketplace}:${p.key.asin}`;
      return cell(node, now);
    }),
  );
  return isGrid(keysArg) ? out : out[0]![0]!;
}

export const DEAL_FIELDS = ['summary', 'type', 'claimed', 'stock', 'ends', 'source', 'age'] as const;
export type DealField = (typeof DEAL_FIELDS)[number];

export function parseDealField(v: Arg): DealField {
  const x = isGrid(v) ? v[0]?.[0] : v;
  if (isBlank(x)) return 'summary';
  const t = String(x).trim().toLowerCase() as DealField;
  if (!DEAL_FIELDS.includes(t)) throw new Error(`field must be one of ${DEAL_FIELDS.join(', ')}, got "${String(x)}"`);
  return t;
}

/** The deal state of a listing from its newest reading, always with source and age. */
export function dealCell(node: LookupNode, field: DealField, now: number): CellValue {
  const s = node.latestSnapshot;
  if (!s) return field === 'summary' ? 'no readings yet' : '';
  const where = provenance(s.source, s.capturedAt, now);
  const ageH = Math.round(((now - Date.parse(s.capturedAt)) / 3_600_000) * 10) / 10;
  switch (field) {
    case 'type':
      return s.dealType;
    case 'claimed':
      return s.dealClaimedPercent ?? '';
    case 'stock':
      return stockCell(s.stock, s.stockIsLowerBound);
    case 'ends':
      return s.dealEndsAt ? new Date(s.dealEndsAt) : '';
    case 'source':
      return s.source ?? '';
    case 'age':
      return ageH;
    case 'summary': {
      if (s.dealType === 'NONE') return `no deal · ${where}`;
      const parts = [s.dealType];
      if (s.dealClaimedPercent !== null) parts.push(`${Math.round(s.dealClaimedPercent)}% claimed`);
      if (s.dealQuantity !== null) parts.push(`of ${s.dealQuantity}`);
      if (s.dealEndsAt) parts.push(`ends ${s.dealEndsAt.slice(0, 16).replace('T', ' ')} UTC`);
      parts.push(where);
      return parts.join(' · ');
    }
  }
}

export function dealStatus(asins: Arg, field?: Arg, now = Date.now()): Result {
  let f: DealField;
  try {
    f = parseDealField(field);
  } catch (e) {
    return `#BAD_INPUT: ${(e as Error).message}`;
  }
  return mapListings(asins, (node, t) => dealCell(node, f, t), now);
}
