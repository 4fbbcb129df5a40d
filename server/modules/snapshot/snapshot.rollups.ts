import type { EntityManager } from 'typeorm';
import { HOUR_MS } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime } from '../../db/dialect';

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
  const q = db.params();
  const rolled: { competitor_id: string; captured_at: string | Date }[] = await m.query(
    `SELECT competitor_id, captured_at FROM snapshot
      WHERE sample_count IS NOT NULL AND competitor_id IN (${q.list(competitorIds)})
        AND captured_at >= ${q.add(new Date(from))} AND captured_at < ${q.add(new Date(to))}`,
    q.values,
  );
  if (!rolled.length) return rows;
  const hours = new Set(rolled.map((r) => `${r.competitor_id}|${Math.floor(readTime(r.captured_at) / HOUR_MS)}`));
  return rows.filter((r) => !hours.has(`${ids.get(r.key)}|${Math.floor(r.capturedAt.getTime() / HOUR_MS)}`));
}
