/**
 * The live deal episode of many competitors and the readings its analysis needs, in two statements
 * however long the history: the newest episode of each competitor (one index seek each), then the
 * readings from each episode's `slice_from_at` to now (an index range per episode: the run, the
 * CONTEXT_READINGS readings before it and at most one capture after it, since callers ask only when
 * one of the two newest readings shows a deal).
 */
import DataLoader from 'dataloader';
import type { DealContext } from '../../../core/deals/context';
import type { SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { POINT_COLUMNS, type RawRow, toPoint } from '../snapshot/snapshot.points';
import { EPISODE_RULES, episodeContext, type EpisodeRow } from './episodes.facts';

export interface EpisodeReadings {
  /** The episode's pre-deal context (null: announced only, never live). */
  context: DealContext | null;
  /** Its readings from slice_from_at to now, in time order. */
  points: SnapshotPoint[];
}

const S_COLUMNS = POINT_COLUMNS.split(',')
  .map((c) => `s.${c.trim()}`)
  .join(', ');

/**
 * Per-request loader: competitor id → its newest episode at or before `now` with its readings, or
 * null when it has none made by the current rules (the caller then detects from the history).
 */
export function createEpisodeLoader(db: Db, now: number) {
  const at = new Date(now);
  return new DataLoader<string, EpisodeReadings | null>(
    async (competitorIds) => {
      const ids = [...new Set(competitorIds)];
      const q = db.params();
      const episodes: (EpisodeRow & { id: number | string })[] = await db.manager.query(
        `SELECT e.* FROM deal_episode e WHERE e.id IN (
           SELECT (SELECT x.id FROM deal_episode x WHERE x.competitor_id = c.id AND x.first_seen_at <= ${q.add(at)}
                    ORDER BY x.first_seen_at DESC LIMIT 1)
             FROM competitor c WHERE c.id IN (${q.list(ids)}))
           AND e.rules = ${q.add(EPISODE_RULES)}`,
        q.values,
      );
      const out = new Map<string, EpisodeReadings>(episodes.map((e) => [e.competitor_id, { context: episodeContext(e), points: [] }]));
      if (episodes.length) {
        const r = db.params();
        const rows: (RawRow & { competitor_id: string })[] = await db.manager.query(
          `SELECT s.competitor_id AS competitor_id, ${S_COLUMNS}
             FROM deal_episode e JOIN snapshot s ON s.competitor_id = e.competitor_id
              AND s.captured_at >= e.slice_from_at AND s.captured_at <= ${r.add(at)}
            WHERE e.id IN (${r.list(episodes.map((e) => Number(e.id)))})
            ORDER BY s.competitor_id, s.captured_at`,
          r.values,
        );
        for (const row of rows) out.get(row.competitor_id)!.points.push(toPoint(row));
      }
      return competitorIds.map((id) => out.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );
}
