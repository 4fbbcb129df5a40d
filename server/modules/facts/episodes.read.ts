/**
 * The live deal episode of many competitors in one statement however long the history: the newest
 * episode of each competitor (one index seek each) with its stored analysis, which `activeDeal`
 * finishes for now (core/deals/stored.ts). When the analysis does not cover now (an `asOf` before
 * its newest reading, or a reading it did not read), the readings from the episode's
 * `slice_from_at` to now (an index range per episode: the run, the CONTEXT_READINGS readings
 * before it and at most one capture after it, since callers ask only when one of the two newest
 * readings shows a deal) for detection.
 */
import DataLoader from 'dataloader';
import type { DealContext } from '../../../core/deals/context';
import { decodeStoredDeal, type StoredDeal } from '../../../core/deals/stored';
import type { SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTimeOrNull } from '../../db/dialect';
import { POINT_COLUMNS, type RawRow, toPoint } from '../snapshot/snapshot.points';
import { EPISODE_RULES, episodeContext, type EpisodeRow } from './episodes.facts';

/** The newest episode of a competitor at or before now, as stored. */
export interface LiveEpisode {
  id: number;
  /** The episode's pre-deal context (null: announced only, never live). */
  context: DealContext | null;
  /** Its analysed deal (core/deals/stored.ts) and the newest reading it read (epoch ms); null when not analysed. */
  analysis: StoredDeal | null;
  analysedTo: number | null;
}

const S_COLUMNS = POINT_COLUMNS.split(',')
  .map((c) => `s.${c.trim()}`)
  .join(', ');

/**
 * Per-request loader: competitor id → its newest episode at or before `now`, or null when it has
 * none made by the current rules (the caller then detects from the history). One statement of
 * index seeks for the batch; no readings.
 */
export function createEpisodeLoader(db: Db, now: number) {
  const at = new Date(now);
  return new DataLoader<string, LiveEpisode | null>(
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
      const out = new Map<string, LiveEpisode>(
        episodes.map((e) => [
          e.competitor_id,
          {
            id: Number(e.id),
            context: episodeContext(e),
            analysis: e.analysis === null ? null : decodeStoredDeal(e.analysis),
            analysedTo: readTimeOrNull(e.analysed_to_at),
          },
        ]),
      );
      return competitorIds.map((id) => out.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );
}

/**
 * Per-request loader: episode id → its readings from slice_from_at to `now`, in time order (an
 * index range per episode, one statement for the batch). Only for an episode whose stored analysis
 * does not cover `now` (an `asOf` in the past).
 */
export function createEpisodeReadingsLoader(db: Db, now: number) {
  const at = new Date(now);
  return new DataLoader<number, SnapshotPoint[]>(
    async (episodeIds) => {
      const r = db.params();
      const rows: (RawRow & { episode_id: number | string })[] = await db.manager.query(
        `SELECT e.id AS episode_id, ${S_COLUMNS}
           FROM deal_episode e JOIN snapshot s ON s.competitor_id = e.competitor_id
            AND s.captured_at >= e.slice_from_at AND s.captured_at <= ${r.add(at)}
          WHERE e.id IN (${r.list([...new Set(episodeIds)])})
          ORDER BY e.id, s.captured_at`,
        r.values,
      );
      const out = new Map<number, SnapshotPoint[]>();
      for (const row of rows) {
        const id = Number(row.episode_id);
        if (!out.has(id)) out.set(id, []);
        out.get(id)!.push(toPoint(row));
      }
      return episodeIds.map((id) => out.get(id) ?? []);
    },
    { maxBatchSize: 1000 },
  );
}
