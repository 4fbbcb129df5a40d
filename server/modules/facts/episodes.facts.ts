/**
 * Deal episodes, maintained at ingest (docs/architecture.md, "Facts"): one row per deal run of a
 * competitor (core/series/dealRuns.ts) with what analysing its deal needs beyond the run's own
 * readings, so `activeDeal` reads the live episode and only its readings, however long the history:
 *   slice_from_at  the CONTEXT_READINGS-th reading before the run (core/deals/context.ts), or the
 *                  listing's first reading: the run's analysis reads from there on;
 *   context        the pre-deal context (price, rank, baseline, listing age before the first live
 *                  reading; core/deals/context.ts dealContext), as JSON.
 *
 * Maintenance for a competitor whose readings changed from `since` on, in the writer's transaction:
 *   1. restart  R = the first reading of the newest episode starting before `since` when a reading
 *               at or after `since` could still continue it (dealRuns: within 12 h of its last
 *               reading or of its scheduled end), else `since`;
 *   2. derive   dealRuns over the readings from R on (a run's membership depends only on its own
 *               readings, so the runs from R on are exactly those a scan of the whole history finds);
 *   3. context  kept from the stored row when the episode's first live reading is the same and
 *               older than `since` (nothing before it changed), else computed from the readings
 *               before it: BASELINE_DAYS + 12 h for the baseline window and its edge, plus 14 days
 *               for the anomaly flags' neighbourhood;
 *   4. replace  delete the episodes starting at or after R and insert the derived ones.
 * Readings appended during a deal re-derive only the open episode; readings without a deal nearby
 * touch nothing but two index seeks.
 */
import type { EntityManager } from 'typeorm';
import { CONTEXT_READINGS, type DealContext, dealContext } from '../../../core/deals/context';
import { type DealRun, dealRuns } from '../../../core/series/dealRuns';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime, readTimeOrNull } from '../../db/dialect';
import { POINT_COLUMNS, toPoint } from '../snapshot/snapshot.points';

/** Version of the rules that made episodes (dealRuns.ts, deals/context.ts); bump on a rule change. */
export const EPISODE_RULES = 1;

/** detectDeals' default pre-deal baseline, in days. */
export const BASELINE_DAYS = 14;

/** How long after its last reading, or its scheduled end, a run may still be continued (dealRuns' maxGapMs). */
const CONTINUE_MS = 12 * HOUR_MS;

/** Readings before a first live reading that its context reads: the baseline, its edge, the flags' neighbourhood. */
const CONTEXT_MS = (BASELINE_DAYS + 14) * DAY_MS + CONTINUE_MS;

export const EPISODE_COLUMNS = [
  'competitor_id',
  'deal_type',
  'first_seen_at',
  'first_live_at',
  'last_seen_at',
  'deal_ends_at',
  'slice_from_at',
  'readings',
  'context',
  'rules',
] as const;

/** A stored episode as the database returns it. */
export interface EpisodeRow {
  competitor_id: string;
  deal_type: string;
  first_seen_at: string | Date;
  first_live_at: string | Date | null;
  last_seen_at: string | Date;
  deal_ends_at: string | Date | null;
  slice_from_at: string | Date;
  readings: number;
  context: string | null;
  rules: number;
}

export function episodeContext(r: EpisodeRow): DealContext | null {
  return r.context === null ? null : (JSON.parse(r.context) as DealContext);
}

/**
 * Step 1 in one statement: the newest episode starting before `since`, whether a reading or an
 * episode at or after `since` shows a deal, and where the scan restarts (null: nothing to do).
 */
async function restartAt(
  db: Db,
  m: EntityManager,
  competitorId: string,
  since: number,
): Promise<{ restart: number; kept: EpisodeRow[] } | null> {
  if (!Number.isFinite(since)) return { restart: -Infinity, kept: [] };
  // Placeholders bind in text order (SQLite's are positional): each use adds its own.
  const q = db.params();
  const [id, at] = [() => q.add(competitorId), () => q.add(new Date(since))];
  const [r]: { e: number | string | null; deals: number | string | boolean }[] = await m.query(
    `SELECT (SELECT x.id FROM deal_episode x WHERE x.competitor_id = ${id()} AND x.first_seen_at < ${at()} ORDER BY x.first_seen_at DESC LIMIT 1) AS e,
            (EXISTS (SELECT 1 FROM snapshot s WHERE s.competitor_id = ${id()} AND s.captured_at >= ${at()} AND s.deal_type <> 'NONE')
             OR EXISTS (SELECT 1 FROM deal_episode x WHERE x.competitor_id = ${id()} AND x.first_seen_at >= ${at()})) AS deals`,
    q.values,
  );
  const p = db.params();
  const e: EpisodeRow | undefined =
    r.e === null ? undefined : (await m.query(`SELECT * FROM deal_episode WHERE id = ${p.add(Number(r.e))}`, p.values))[0];
  const endsAt = e ? readTimeOrNull(e.deal_ends_at) : null;
  const open = e !== undefined && (readTime(e.last_seen_at) >= since - CONTINUE_MS || (endsAt !== null && endsAt >= since - CONTINUE_MS));
  if (open) return { restart: readTime(e.first_seen_at), kept: [e] };
  return Number(r.deals) || r.deals === true ? { restart: since, kept: [] } : null;
}

async function readings(db: Db, m: EntityManager, competitorId: string, from: number, to: number): Promise<SnapshotPoint[]> {
  const q = db.params();
  const rows = await m.query(
    `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${q.add(competitorId)}${
      Number.isFinite(from) ? ` AND captured_at >= ${q.add(new Date(from))}` : ''
    }${Number.isFinite(to) ? ` AND captured_at < ${q.add(new Date(to))}` : ''} ORDER BY captured_at`,
    q.values,
  );
  return rows.map(toPoint);
}

/** The CONTEXT_READINGS-th reading before `at` (null: fewer readings than that), and the listing's first reading. */
async function sliceBounds(
  db: Db,
  m: EntityManager,
  competitorId: string,
  at: number,
): Promise<{ sliceFrom: number | null; first: number }> {
  const q = db.params();
  const [r]: { slice_from: string | Date | null; first: string | Date }[] = await m.query(
    `SELECT (SELECT captured_at FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at < ${q.add(new Date(at))}
              ORDER BY captured_at DESC LIMIT 1 OFFSET ${CONTEXT_READINGS - 1}) AS slice_from,
            (SELECT captured_at FROM snapshot WHERE competitor_id = ${q.add(competitorId)} ORDER BY captured_at LIMIT 1) AS first`,
    q.values,
  );
  return { sliceFrom: readTimeOrNull(r.slice_from), first: readTime(r.first) };
}

/** Step 3 for one run: the kept context when nothing before its first live reading changed, else a fresh one. */
async function runContext(
  db: Db,
  m: EntityManager,
  competitorId: string,
  live: { firstLiveAt: number; historyStartAt: number; since: number },
  kept: EpisodeRow | undefined,
): Promise<DealContext> {
  const { firstLiveAt, historyStartAt, since } = live;
  const old = kept && kept.rules === EPISODE_RULES ? episodeContext(kept) : null;
  if (old && old.firstLiveAt === firstLiveAt && firstLiveAt < since) return old;
  const before = await readings(db, m, competitorId, firstLiveAt - CONTEXT_MS, firstLiveAt);
  return dealContext(before, firstLiveAt, historyStartAt, { baselineDays: BASELINE_DAYS });
}

async function episodeRow(
  db: Db,
  m: EntityManager,
  competitorId: string,
  pts: readonly SnapshotPoint[],
  run: DealRun,
  since: number,
  kept: EpisodeRow | undefined,
): Promise<unknown[]> {
  const firstSeen = pts[run.indices[0]].at;
  const lastSeen = pts[run.indices[run.indices.length - 1]].at;
  const firstLive = run.liveIndices.length ? pts[run.liveIndices[0]].at : null;
  const { sliceFrom, first } = await sliceBounds(db, m, competitorId, firstSeen);
  const context =
    firstLive === null ? null : await runContext(db, m, competitorId, { firstLiveAt: firstLive, historyStartAt: first, since }, kept);
  return [
    competitorId,
    run.type,
    new Date(firstSeen),
    firstLive === null ? null : new Date(firstLive),
    new Date(lastSeen),
    run.dealEndsAt === null ? null : new Date(run.dealEndsAt),
    new Date(sliceFrom ?? first),
    run.indices.length,
    context === null ? null : JSON.stringify(context),
    EPISODE_RULES,
  ];
}

/** Steps 1–4 for one competitor: re-derives its episodes from `since` on (epoch ms; −Infinity: all). Returns the episodes written. */
export async function maintainEpisodes(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  const start = await restartAt(db, m, competitorId, since);
  if (start === null) return 0;
  const { restart, kept } = start;
  const pts = await readings(db, m, competitorId, restart, Infinity);
  const runs = dealRuns(pts);
  const q = db.params();
  const stored: EpisodeRow[] = Number.isFinite(restart)
    ? await m.query(
        `SELECT * FROM deal_episode WHERE competitor_id = ${q.add(competitorId)} AND first_seen_at >= ${q.add(new Date(restart))}`,
        q.values,
      )
    : await m.query(`SELECT * FROM deal_episode WHERE competitor_id = ${q.add(competitorId)}`, q.values);
  if (!runs.length && !stored.length) return 0;
  const byStart = new Map([...kept, ...stored].map((e) => [readTime(e.first_seen_at), e]));
  const rows: unknown[][] = [];
  for (const run of runs) rows.push(await episodeRow(db, m, competitorId, pts, run, since, byStart.get(pts[run.indices[0]].at)));
  const d = db.params();
  await m.query(
    `DELETE FROM deal_episode WHERE competitor_id = ${d.add(competitorId)}${Number.isFinite(restart) ? ` AND first_seen_at >= ${d.add(new Date(restart))}` : ''}`,
    d.values,
  );
  if (rows.length)
    await db.insertRows(m, { table: 'deal_episode', columns: EPISODE_COLUMNS, conflict: ['competitor_id', 'first_seen_at'] }, rows, 200);
  return rows.length;
}
