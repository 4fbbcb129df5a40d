import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import type { SqlParams } from '../../db/dialect';
import { isInstant, type Page, type PageArgs, type PageWindow, pageWindow, toPage } from '../../graphql/connection';
import { Snapshot } from './snapshot.entity';

export interface SnapshotWindow {
  competitorId: string;
  from: Date | null;
  to: Date | null;
}

export interface SnapshotPageKey extends SnapshotWindow {
  /** Page size, direction and cursor (the cursor's key is the capture instant, unique per competitor). */
  win: PageWindow;
}

/** A bound on captured_at beyond a cursor instant: `op` is >, >=, < or <=. */
interface Beyond {
  op: '>' | '>=' | '<' | '<=';
  at: Date;
}

/** Binds "competitor_id IN (...) AND captured_at >= ... AND captured_at < ..." for a window group into `q`. */
function windowSql(q: SqlParams, ids: string[], w: Omit<SnapshotWindow, 'competitorId'>, beyond: Beyond | null): string {
  let sql = `competitor_id IN (${q.list(ids)})`;
  if (w.from) sql += ` AND captured_at >= ${q.add(w.from)}`;
  if (w.to) sql += ` AND captured_at < ${q.add(w.to)}`;
  if (beyond) sql += ` AND captured_at ${beyond.op} ${q.add(beyond.at)}`;
  return sql;
}

function groupBy<K extends object>(keys: readonly K[], sig: (k: K) => string): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const k of keys) groups.set(sig(k), [...(groups.get(sig(k)) ?? []), k]);
  return groups;
}
const windowSig = (k: SnapshotWindow) => `${k.from?.getTime() ?? ''}|${k.to?.getTime() ?? ''}`;
const pageSig = (k: SnapshotPageKey) => `${windowSig(k)}|${k.win.size}|${k.win.backward}|${k.win.cursor?.[0] ?? ''}`;

/**
 * The newest snapshot of each competitor: one statement for the ids — a scalar subquery per
 * competitor that is one backward seek on the (competitor_id, captured_at) index, so its cost does
 * not grow with the history (a MAX … GROUP BY walks every index entry) — and one to load the rows.
 */
async function loadLatest(db: Db, competitorIds: readonly string[]): Promise<(Snapshot | null)[]> {
  const ids = [...new Set(competitorIds)];
  const q = db.params();
  const rows: { id: number | string | null }[] = await db.manager.query(
    `SELECT (SELECT s.id FROM snapshot s WHERE s.competitor_id = c.id ORDER BY s.captured_at DESC LIMIT 1) AS id
       FROM competitor c WHERE c.id IN (${q.list(ids)})`,
    q.values,
  );
  const snapshotIds = rows.filter((r) => r.id !== null).map((r) => Number(r.id));
  const found = snapshotIds.length ? await db.manager.find(Snapshot, { where: { id: In(snapshotIds) } }) : [];
  const byCompetitor = new Map(found.map((s) => [s.competitorId, s]));
  return competitorIds.map((id) => byCompetitor.get(id) ?? null);
}

/** Snapshots per competitor in each window: one statement per distinct window. */
async function loadCounts(db: Db, keys: readonly SnapshotWindow[]): Promise<number[]> {
  const out = new Map<string, number>();
  for (const group of groupBy(keys, windowSig).values()) {
    const q = db.params();
    const where = windowSql(
      q,
      group.map((k) => k.competitorId),
      group[0],
      null,
    );
    const rows: { competitor_id: string; n: number | string }[] = await db.manager.query(
      `SELECT competitor_id, COUNT(*) AS n FROM snapshot WHERE ${where} GROUP BY competitor_id`,
      q.values,
    );
    for (const r of rows) out.set(`${r.competitor_id}|${windowSig(group[0])}`, Number(r.n));
  }
  return keys.map((k) => out.get(`${k.competitorId}|${windowSig(k)}`) ?? 0);
}

/**
 * Up to size + 1 snapshots per competitor beyond the cursor in paging direction (oldest first
 * forward, newest first backward; the extra one tells whether more exist that way): two
 * statements per distinct (window, size, direction, cursor).
 */
async function loadPageRows(db: Db, keys: readonly SnapshotPageKey[]): Promise<Snapshot[][]> {
  const out = new Map<string, Snapshot[]>();
  for (const group of groupBy(keys, pageSig).values()) {
    const { size, backward, cursor } = group[0].win;
    const dir = backward ? 'DESC' : 'ASC';
    const q = db.params();
    const where = windowSql(
      q,
      group.map((k) => k.competitorId),
      group[0],
      cursor ? { op: backward ? '<' : '>', at: new Date(String(cursor[0])) } : null,
    );
    // Window function keeps the statement count constant: size+1 rows per competitor at once.
    const rows: { id: number | string }[] = await db.manager.query(
      `SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY competitor_id ORDER BY captured_at ${dir}) AS rn FROM snapshot WHERE ${where}) ranked WHERE rn <= ${q.add(size + 1)}`,
      q.values,
    );
    const found = rows.length
      ? await db.manager.find(Snapshot, { where: { id: In(rows.map((r) => Number(r.id))) }, order: { capturedAt: dir } })
      : [];
    for (const k of group) out.set(`${k.competitorId}|${pageSig(k)}`, []);
    for (const s of found) out.get(`${s.competitorId}|${pageSig(group[0])}`)!.push(s);
  }
  return keys.map((k) => out.get(`${k.competitorId}|${pageSig(k)}`) ?? []);
}

/**
 * Whether a competitor has a snapshot in the window beyond `key` (the flag of the direction not
 * paged): one statement, run only when a client selects that flag on a page with a cursor.
 */
async function probeBeyond(
  db: Db,
  k: SnapshotWindow,
  direction: 'next' | 'previous',
  key: unknown[],
  inclusive: boolean,
): Promise<boolean> {
  const q = db.params();
  const op = direction === 'next' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  const where = windowSql(q, [k.competitorId], k, { op, at: new Date(String(key[0])) });
  return (await db.manager.query(`SELECT 1 AS one FROM snapshot WHERE ${where} LIMIT 1`, q.values)).length > 0;
}

/**
 * Per-request batching for snapshot reads. However many competitors a query touches, each loader
 * issues a constant number of statements per distinct argument set.
 */
export function createSnapshotLoaders(db: Db) {
  const latest = new DataLoader<string, Snapshot | null>((ids) => loadLatest(db, ids), { maxBatchSize: 1000 });
  const count = new DataLoader<SnapshotWindow, number, string>((keys) => loadCounts(db, keys), {
    cacheKeyFn: (k) => `${k.competitorId}|${windowSig(k)}`,
    maxBatchSize: 1000,
  });
  const page = new DataLoader<SnapshotPageKey, Page<Snapshot>, string>(
    async (keys) =>
      (await loadPageRows(db, keys)).map((rows, i) =>
        toPage(
          rows,
          keys[i].win,
          (s) => [s.capturedAt.toISOString()],
          () => count.load(keys[i]),
          (direction, key, inclusive) => probeBeyond(db, keys[i], direction, key, inclusive),
        ),
      ),
    { cacheKeyFn: (k) => `${k.competitorId}|${pageSig(k)}`, maxBatchSize: 1000 },
  );

  return {
    latest,
    page,
    /** Validates connection arguments before they reach the loader. */
    pageKey(competitorId: string, args: PageArgs & { from?: Date | null; to?: Date | null }): SnapshotPageKey {
      return { competitorId, from: args.from ?? null, to: args.to ?? null, win: pageWindow('snapshots', args, [isInstant]) };
    },
  };
}

export type SnapshotLoaders = ReturnType<typeof createSnapshotLoaders>;
