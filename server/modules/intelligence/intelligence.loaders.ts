import DataLoader from 'dataloader';
import type { DealType } from '../../../core/series/types';
import { toSqliteDatetime } from '../../db/columns';
import type { Db } from '../../db/db';

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
}

/** SQLite returns datetimes as UTC text without a zone; PostgreSQL returns Dates. */
const ms = (v: string | Date | null): number | null =>
  v === null ? null : v instanceof Date ? v.getTime() : Date.parse(`${v.replace(' ', 'T')}Z`);

export function createTailLoader(db: Db, now: number) {
  const at: Date | string = db.dialect === 'sqlite' ? toSqliteDatetime(new Date(now)) : new Date(now);
  return new DataLoader<string, Tail>(
    async (competitorIds) => {
      const ids = [...new Set(competitorIds)];
      const params: unknown[] = [];
      const sub = (column: string, offset: number) => {
        params.push(at);
        return `(SELECT s.${column} FROM snapshot s WHERE s.competitor_id = c.id AND s.captured_at <= ${db.param(params.length)} ORDER BY s.captured_at DESC LIMIT 1 OFFSET ${offset})`;
      };
      const select = `${sub('deal_type', 0)} AS d1, ${sub('deal_type', 1)} AS d2, ${sub('captured_at', 0)} AS newest, ${sub('source', 0)} AS source`;
      const first = params.length;
      params.push(...ids);
      const rows: { id: string; d1: string | null; d2: string | null; newest: string | Date | null; source: string | null }[] =
        await db.manager.query(
          `SELECT c.id AS id, ${select} FROM competitor c WHERE c.id IN (${ids.map((_, i) => db.param(first + i + 1)).join(', ')})`,
          params,
        );
      const out = new Map(
        rows.map((r) => [
          r.id,
          { dealTypes: [r.d1, r.d2].filter((d): d is string => d !== null) as DealType[], newestAt: ms(r.newest), source: r.source },
        ]),
      );
      return competitorIds.map((id) => out.get(id) ?? { dealTypes: [], newestAt: null, source: null });
    },
    { maxBatchSize: 1000 },
  );
}

/** True when a LIVE deal is possible at all: one of the two newest readings shows a deal. */
export function mayHaveLiveDeal(newestTwoTypes: readonly DealType[]): boolean {
  return newestTwoTypes.some((t) => t !== 'NONE');
}
