import type { EntityManager } from 'typeorm';
import { HOUR_MS } from '../../../core/series/types';
import { toSqliteDatetime } from '../../db/columns';
import type { Db } from '../../db/db';

/**
 * Ingest guard for retention: drops the rows of a batch that fall into an hour already rolled up
 * for their competitor, so re-sending an old raw batch never resurrects readings the roll-up
 * replaced (they count as duplicates, like rows already stored). Runs in the ingest transaction.
 * One statement per batch over the partial index IDX_snapshot_rollup (rolled-up rows only): for
 * fresh data it finds nothing and returns the batch as is.
 */
export async function skipRolledUpHours<R extends { key: string; capturedAt: Date }>(
  db: Db,
  m: EntityManager,
  rows: R[],
  ids: Map<string, string>,
): Promise<R[]> {
  if (!rows.length) return rows;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const t = r.capturedAt.getTime();
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const from = Math.floor(min / HOUR_MS) * HOUR_MS;
  const to = Math.floor(max / HOUR_MS) * HOUR_MS + HOUR_MS;
  const competitorIds = [...new Set(ids.values())];
  const date = (t: number) => (db.dialect === 'sqlite' ? toSqliteDatetime(new Date(t)) : new Date(t));
  const params: unknown[] = [...competitorIds, date(from), date(to)];
  const n = competitorIds.length;
  const rolled: { competitor_id: string; captured_at: string | Date }[] = await m.query(
    `SELECT competitor_id, captured_at FROM snapshot
      WHERE sample_count IS NOT NULL AND competitor_id IN (${competitorIds.map((_, i) => db.param(i + 1)).join(', ')})
        AND captured_at >= ${db.param(n + 1)} AND captured_at < ${db.param(n + 2)}`,
    params,
  );
  if (!rolled.length) return rows;
  const ms = (v: string | Date) => (v instanceof Date ? v.getTime() : Date.parse(`${v.replace(' ', 'T')}Z`));
  const hours = new Set(rolled.map((r) => `${r.competitor_id}|${Math.floor(ms(r.captured_at) / HOUR_MS)}`));
  return rows.filter((r) => !hours.has(`${ids.get(r.key)}|${Math.floor(r.capturedAt.getTime() / HOUR_MS)}`));
}
