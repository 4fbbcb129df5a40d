import DataLoader from 'dataloader';
import type { DealType } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTimeOrNull } from '../../db/dialect';

/**
 * The deal types of each competitor's newest two readings at or before `now`, for many competitors
 * in one statement. Two index seeks per competitor (scalar subqueries ordered by captured_at), so
 * the cost does not grow with the length of the history.
 *
 * core/deals reports a deal LIVE only while it still shows at the newest reading, or was missed by
 * that one reading only; so when neither of the two newest readings shows a deal, `activeDeal` is
 * null without running deal detection (intelligence.service.ts relies on this; a test checks the
 * rule against core on generated scenarios).
 */
export interface Tail {
  /** Deal types of the newest two readings at or before now, newest first. */
  dealTypes: DealType[];
  /** The newest reading at or before now (epoch ms) and its source. */
  newestAt: number | null;
  source: string | null;
  /** When the newest reading arrived (its ingest time): staleness is judged on arrival. */
  arrivedAt: number | null;
}

export function createTailLoader(db: Db, now: number) {
  const at = new Date(now);
  return new DataLoader<string, Tail>(
    async (competitorIds) => {
      const ids = [...new Set(competitorIds)];
      const q = db.params();
      const sub = (column: string, offset: number) =>
        `(SELECT s.${column} FROM snapshot s WHERE s.competitor_id = c.id AND s.captured_at <= ${q.add(at)} ORDER BY s.captured_at DESC LIMIT 1 OFFSET ${offset})`;
      const select = `${sub('deal_type', 0)} AS d1, ${sub('deal_type', 1)} AS d2, ${sub('captured_at', 0)} AS newest, ${sub('source', 0)} AS source, ${sub('ingested_at', 0)} AS arrived`;
      const rows: {
        id: string;
        d1: string | null;
        d2: string | null;
        newest: string | Date | null;
        source: string | null;
        arrived: string | Date | null;
      }[] = await db.manager.query(`SELECT c.id AS id, ${select} FROM competitor c WHERE c.id IN (${q.list(ids)})`, q.values);
      const out = new Map(
        rows.map((r) => [
          r.id,
          {
            dealTypes: [r.d1, r.d2].filter((d): d is string => d !== null) as DealType[],
            newestAt: readTimeOrNull(r.newest),
            source: r.source,
            arrivedAt: readTimeOrNull(r.arrived),
          },
        ]),
      );
      return competitorIds.map((id) => out.get(id) ?? { dealTypes: [], newestAt: null, source: null, arrivedAt: null });
    },
    { maxBatchSize: 1000 },
  );
}

/** True when a LIVE deal is possible at all: one of the two newest readings shows a deal. */
export function mayHaveLiveDeal(newestTwoTypes: readonly DealType[]): boolean {
  return newestTwoTypes.some((t) => t !== 'NONE');
}
