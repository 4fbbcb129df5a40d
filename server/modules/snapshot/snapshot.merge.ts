/**
 * Re-sent readings: a row already stored for the same (competitor, capturedAt) gains the values it
 * lacked (a re-import of an export with more columns), and a value that disagrees with the stored one
 * is counted and shown, never silently dropped nor overwritten: the first reading stays the record.
 * Runs in the ingest transaction, only for the rows the INSERT skipped, so fresh batches pay nothing.
 */
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import { readTime } from '../../db/dialect';

/** The fields a re-sent reading may fill in, by column, with how the incoming row holds them. */
const MERGEABLE = [
  ['stock', 'stock'],
  ['price_cents', 'priceCents'],
  ['list_price_cents', 'listPriceCents'],
  ['bsr', 'bsr'],
  ['rating', 'rating'],
  ['review_count', 'reviewCount'],
  ['offer_count', 'offerCount'],
  ['monthly_sold', 'monthlySold'],
  ['est_monthly_sales', 'estimatedMonthlySales'],
  ['deal_quantity', 'dealQuantity'],
  ['deal_claimed_percent', 'dealClaimedPercent'],
] as const;
type Field = (typeof MERGEABLE)[number][1];

export interface MergeRow {
  key: string;
  capturedAt: Date;
  stockIsLowerBound: boolean;
  stock: number | null;
  priceCents: number | null;
  listPriceCents: number | null;
  bsr: number | null;
  rating: number | null;
  reviewCount: number | null;
  offerCount: number | null;
  monthlySold: number | null;
  estimatedMonthlySales: number | null;
  dealQuantity: number | null;
  dealClaimedPercent: number | null;
}

/** A re-sent value that disagrees with the stored one (the stored one is kept). */
export interface SnapshotConflict {
  competitorId: string;
  capturedAt: Date;
  field: Field | 'stockIsLowerBound';
  stored: string;
  incoming: string;
}

export interface MergeOutcome {
  /** Stored rows that gained at least one value. */
  merged: number;
  conflicts: number;
  /** The first few conflicts, for the caller to show. */
  examples: SnapshotConflict[];
  /** Competitors whose stored readings changed. */
  competitorIds: Set<string>;
}

export const MAX_CONFLICT_EXAMPLES = 10;
const CHUNK = 500;

const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** What to fill in and what disagrees between one stored row and its re-sent reading. */
export function compareReading(
  stored: Record<string, unknown>,
  incoming: MergeRow,
): { fill: Record<string, unknown>; conflicts: SnapshotConflict['field'][] } {
  const fill: Record<string, unknown> = {};
  const conflicts: SnapshotConflict['field'][] = [];
  for (const [column, field] of MERGEABLE) {
    const now = incoming[field];
    const was = stored[column] as number | null;
    if (now === null || now === undefined) continue;
    if (was === null || was === undefined) {
      fill[column] = now;
      if (field === 'stock') fill.stock_is_lower_bound = incoming.stockIsLowerBound;
    } else if (!same(Number(was), now)) conflicts.push(field);
    else if (field === 'stock' && Boolean(stored.stock_is_lower_bound) !== incoming.stockIsLowerBound) conflicts.push('stockIsLowerBound');
  }
  return { fill, conflicts };
}

/** Merges `rows` (which the INSERT found already stored) into the stored readings. */
export async function mergeResent(
  db: Db,
  m: EntityManager,
  rows: MergeRow[],
  ids: Map<string, string>,
  onChanged: (competitorId: string, capturedAt: number) => void = () => {},
): Promise<MergeOutcome> {
  const out: MergeOutcome = { merged: 0, conflicts: 0, examples: [], competitorIds: new Set() };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const stored = await storedReadings(db, m, chunk, ids);
    for (const r of chunk) {
      const cid = ids.get(r.key)!;
      const row = stored.get(`${cid}|${r.capturedAt.getTime()}`);
      if (!row) continue;
      const { fill, conflicts } = compareReading(row, r);
      for (const field of conflicts) {
        out.conflicts++;
        if (out.examples.length < MAX_CONFLICT_EXAMPLES) out.examples.push(conflictOf(row, r, cid, field));
      }
      if (!Object.keys(fill).length) continue;
      const q = db.params();
      const sets = Object.entries(fill).map(([column, v]) => `${column} = ${q.add(v)}`);
      await m.query(`UPDATE snapshot SET ${sets.join(', ')} WHERE id = ${q.add(row.id)}`, q.values);
      out.merged++;
      out.competitorIds.add(cid);
      onChanged(cid, r.capturedAt.getTime());
    }
  }
  return out;
}

function conflictOf(row: Record<string, unknown>, r: MergeRow, competitorId: string, field: SnapshotConflict['field']): SnapshotConflict {
  if (field === 'stockIsLowerBound')
    return {
      competitorId,
      capturedAt: r.capturedAt,
      field,
      stored: String(Boolean(row.stock_is_lower_bound)),
      incoming: String(r.stockIsLowerBound),
    };
  const column = MERGEABLE.find(([, f]) => f === field)![0];
  const cents = column.endsWith('_cents');
  const show = (v: unknown) => (cents ? (Number(v) / 100).toFixed(2) : String(v));
  return { competitorId, capturedAt: r.capturedAt, field, stored: show(row[column]), incoming: show(r[field]) };
}

/** The stored raw readings of `rows`' competitors in their time span, by `competitorId|epochMs`. */
async function storedReadings(
  db: Db,
  m: EntityManager,
  rows: MergeRow[],
  ids: Map<string, string>,
): Promise<Map<string, Record<string, unknown>>> {
  const times = rows.map((r) => r.capturedAt.getTime());
  const q = db.params();
  const found: Record<string, unknown>[] = await m.query(
    `SELECT id, competitor_id, captured_at, stock_is_lower_bound, ${MERGEABLE.map(([c]) => c).join(', ')} FROM snapshot
      WHERE sample_count IS NULL AND competitor_id IN (${q.list([...new Set(rows.map((r) => ids.get(r.key)!))])})
        AND captured_at >= ${q.add(new Date(Math.min(...times)))} AND captured_at <= ${q.add(new Date(Math.max(...times)))}`,
    q.values,
  );
  return new Map(found.map((f) => [`${f.competitor_id}|${readTime(f.captured_at as string | Date)}`, f]));
}
