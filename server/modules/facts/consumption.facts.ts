/**
 * Consumption facts, maintained at ingest (docs/architecture.md, "Facts"): per competitor, one row
 * per interval between consecutive known-stock readings (core/series/intervals.ts classifies it)
 * with running totals of velocity's additive sums (core/series/velocitySums.ts), so the sums over
 * any window are one row minus another plus at most two edge intervals.
 *
 * Maintenance for a competitor whose readings changed from `since` on (a batch, a late batch, a
 * roll-up), in the writer's transaction, reading only what the batch can have changed:
 *   1. anchor   P = the newest fact ending before flagsTouchedFrom(since): the readings before it
 *               are unchanged and so are their stock flags (their neighbourhood never reaches a
 *               changed reading); nothing at or before P can change (core scans left to right);
 *   2. readings P's reading and everything after it, plus the flag context behind it
 *               (flagContextFrom: back to the 49th exact reading, not 14 days);
 *   3. flags    the stock flags of the readings after P, judged with their whole neighbourhood;
 *   4. carry    core's deal-run scan state at P (carriedRun) instead of re-reading the open run;
 *   5. derive   dealRuns + stockIntervals (core) from P's reading on: the facts ending after P,
 *               totals continuing from P's;
 *   6. replace  stored facts whose ends did not move are kept (unchangedPrefix), the others
 *               deleted and the derived ones inserted.
 * A batch appended at the end costs its own readings, the ~7 before it whose flags it can move
 * and ~50 of flag context; a late batch re-derives from its first reading to the newest.
 * Re-sent readings change nothing (same rows).
 */
import type { EntityManager } from 'typeorm';
import { ANOMALY_NEIGHBOURHOOD, withoutWrongStock, wrongStockReadings } from '../../../core/anomalies/flags';
import { dealRuns } from '../../../core/series/dealRuns';
import { type IntervalKind, stockIntervals } from '../../../core/series/intervals';
import type { SnapshotPoint } from '../../../core/series/types';
import { addInterval, emptySums, type IntervalFact, type VelocitySums } from '../../../core/series/velocitySums';
import type { Db } from '../../db/db';
import { toSqliteDatetime } from '../../db/columns';
import { readTime, readTimeOrNull } from '../../db/dialect';
import { exec, POINT_COLUMNS, read, readPoints } from './facts.sql';

/**
 * Version of the rules that made consumption facts (core/series/intervals.ts + dealRuns.ts, and the
 * shared anomaly flags of core/anomalies/flags.ts); bump on a rule change. 2: wrong stock readings
 * (a one-capture 0 between 506 and 505) are left out, as velocity() leaves them out. 3: a deal run
 * is continued by its scheduled end only within 12 h after that end (dealRuns.ts).
 */
export const CONSUMPTION_RULES = 3;

/**
 * How far a reading's stock flag looks (core/anomalies/flags.ts neighbourhoodOf), as the scan there
 * reads: forward it stops at the (after + 1)-th exact reading, the (maxSpan × after)-th reading or
 * the first one more than afterMs later, whatever comes first; back likewise with `before`. So a
 * changed reading can move the flags of the readings before it only from FLAG_REACH.ahead on
 * (flagsTouchedFrom), and a flag needs the readings back to FLAG_REACH.behind.
 */
export const FLAG_REACH = {
  ahead: {
    exact: ANOMALY_NEIGHBOURHOOD.after + 1,
    readings: ANOMALY_NEIGHBOURHOOD.maxSpan * ANOMALY_NEIGHBOURHOOD.after,
    ms: ANOMALY_NEIGHBOURHOOD.afterMs,
  },
  behind: {
    exact: ANOMALY_NEIGHBOURHOOD.before + 1,
    readings: ANOMALY_NEIGHBOURHOOD.maxSpan * ANOMALY_NEIGHBOURHOOD.before,
    ms: ANOMALY_NEIGHBOURHOOD.beforeMs,
  },
} as const;

/**
 * The earliest capture time whose stock flag a change of the readings from `since` on can move,
 * given the unchanged readings before `since` (sorted): the latest of since − ahead.ms, the
 * ahead.readings-th reading before `since` and the ahead.exact-th exact one. anchorFact reads the
 * same with two index seeks.
 */
export function flagsTouchedFrom(before: readonly SnapshotPoint[], since: number): number {
  const older = before.filter((pt) => pt.at < since);
  const exact = older.filter((pt) => pt.stock !== null && !pt.stockIsLowerBound);
  const nth = (xs: readonly SnapshotPoint[], n: number) => (xs.length >= n ? xs[xs.length - n].at : -Infinity);
  return Math.max(since - FLAG_REACH.ahead.ms, nth(older, FLAG_REACH.ahead.readings), nth(exact, FLAG_REACH.ahead.exact));
}

/**
 * The earliest capture time the flags of the readings after `at` can look back to, given the
 * readings up to `at` (sorted): the latest of at − behind.ms, just after the behind.exact-th exact
 * reading at or before `at`, and the behind.readings-th reading before `at`. loadReadings reads
 * from there with one index seek and a bounded range.
 */
export function flagContextFrom(upTo: readonly SnapshotPoint[], at: number): number {
  const older = upTo.filter((pt) => pt.at < at);
  const exact = upTo.filter((pt) => pt.at <= at && pt.stock !== null && !pt.stockIsLowerBound);
  const { behind } = FLAG_REACH;
  const stop = exact.length >= behind.exact ? exact[exact.length - behind.exact].at + 1 : -Infinity;
  return Math.max(at - behind.ms, stop, older.length >= behind.readings ? older[older.length - behind.readings].at : -Infinity);
}

const TOTALS = [
  ['c_units', 'units'],
  ['c_deal_units', 'dealUnits'],
  ['c_measured_h', 'measuredH'],
  ['c_censored_h', 'censoredH'],
  ['c_unobserved_h', 'unobservedH'],
  ['c_cens_lower', 'censLower'],
  ['c_cens_upper', 'censUpper'],
  ['c_restock_units', 'restockUnits'],
  ['c_x2h', 'x2h'],
  ['c_unbounded', 'unbounded'],
] as const;
const KIND_TOTALS = [
  ['c_exact', 'EXACT'],
  ['c_claims', 'CLAIMS'],
  ['c_censored', 'CENSORED'],
  ['c_restock', 'RESTOCK'],
  ['c_gap', 'GAP'],
] as const;

export const FACT_COLUMNS = [
  'competitor_id',
  'at',
  'start_at',
  'kind',
  'sold',
  'sold_lower',
  'sold_upper',
  'increase',
  'in_deal',
  'run_start_at',
  'rules',
  ...TOTALS.map(([c]) => c),
  ...KIND_TOTALS.map(([c]) => c),
] as const;

/** A stored fact row as the database returns it. */
export interface FactRow {
  at: string | Date;
  start_at: string | Date;
  kind: string;
  sold: number | null;
  sold_lower: number;
  sold_upper: number | null;
  increase: number;
  in_deal: number | boolean;
  run_start_at: string | Date | null;
  [total: string]: unknown;
}

/** The interval a fact row stores. */
export function factInterval(r: FactRow): IntervalFact {
  return {
    start: readTime(r.start_at),
    end: readTime(r.at),
    kind: r.kind as IntervalKind,
    sold: r.sold === null ? null : Number(r.sold),
    soldLower: Number(r.sold_lower),
    soldUpper: r.sold_upper === null ? null : Number(r.sold_upper),
    increase: Number(r.increase),
    inDeal: Boolean(r.in_deal),
  };
}

/** The running totals a fact row stores (all intervals up to and including it). */
export function factTotals(r: FactRow | null): VelocitySums {
  const t = emptySums();
  if (!r) return t;
  for (const [c, k] of TOTALS) t[k] = Number(r[c]);
  for (const [c, k] of KIND_TOTALS) t.counts[k] = Number(r[c]);
  return t;
}

/**
 * flagsTouchedFrom read from the database with two index seeks: the earliest capture whose stock
 * flag a change of the competitor's readings from `since` on can move.
 */
export async function flagsTouchedAt(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  const nth = async (n: number, exactOnly: boolean): Promise<number> => {
    const q = db.params();
    const [r]: { at: string | Date }[] = await read(
      db,
      m,
      `SELECT captured_at AS at FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at < ${q.add(new Date(since))}
        ${exactOnly ? `AND stock IS NOT NULL AND stock_is_lower_bound = ${q.add(false)}` : ''} ORDER BY captured_at DESC LIMIT 1 OFFSET ${n - 1}`,
      q.values,
    );
    return r ? readTime(r.at) : -Infinity;
  };
  const { ahead } = FLAG_REACH;
  return Math.max(since - ahead.ms, await nth(ahead.readings, false), await nth(ahead.exact, true));
}

/**
 * Step 1: the anchor fact, the newest one ending before every reading whose stock flag the change
 * from `since` on can move (flagsTouchedAt: the readings before `since` are unchanged and the
 * flags before FLAG_REACH.ahead of it never look at a changed one). Null: no fact before them.
 */
async function anchorFact(db: Db, m: EntityManager, competitorId: string, since: number): Promise<FactRow | null> {
  const touched = await flagsTouchedAt(db, m, competitorId, since);
  const a = db.params();
  const [p]: FactRow[] = await read(
    db,
    m,
    `SELECT * FROM consumption_fact WHERE competitor_id = ${a.add(competitorId)} AND at < ${a.add(new Date(touched))} ORDER BY at DESC LIMIT 1`,
    a.values,
  );
  return p ?? null;
}

/**
 * Step 2: the readings the derivation needs after anchor time `at`: every reading from `at` on
 * (the anchor's own reading first) and, before it, what the flags of the readings after `at` can
 * look back to (neighbourhoodOf; its bounds only move forward with the reading): the readings
 * after the FLAG_REACH.behind.exact-th exact one back from `at`, at most behind.readings of them
 * and none older than behind.ms. Null `at`: all readings.
 */
export async function loadReadings(db: Db, m: EntityManager, competitorId: string, at: number | null): Promise<SnapshotPoint[]> {
  const q = db.params();
  const id = q.add(competitorId);
  if (at === null) {
    return readPoints(db, m, `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${id} ORDER BY captured_at`, q.values);
  }
  const e = db.params();
  const [stop]: { at: string | Date }[] = await read(
    db,
    m,
    `SELECT captured_at AS at FROM snapshot WHERE competitor_id = ${e.add(competitorId)} AND captured_at <= ${e.add(new Date(at))}
      AND stock IS NOT NULL AND stock_is_lower_bound = ${e.add(false)} ORDER BY captured_at DESC LIMIT 1 OFFSET ${FLAG_REACH.behind.exact - 1}`,
    e.values,
  );
  const oldest = Math.max(at - FLAG_REACH.behind.ms, stop ? readTime(stop.at) + 1 : -Infinity);
  const before = await readPoints(
    db,
    m,
    `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${id} AND captured_at < ${q.add(new Date(at))}
      AND captured_at >= ${q.add(new Date(oldest))} ORDER BY captured_at DESC LIMIT ${FLAG_REACH.behind.readings}`,
    q.values,
  );
  const a = db.params();
  const after = await readPoints(
    db,
    m,
    `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${a.add(competitorId)} AND captured_at >= ${a.add(new Date(at))} ORDER BY captured_at`,
    a.values,
  );
  return [...before.reverse(), ...after];
}

/**
 * Step 3: core's deal-run scan state at the anchor reading, carried into a scan that starts there.
 * The scan's state is the last run (it stays open across NONE readings): its type, its last known
 * dealEndsAt, and its last reading L (for the adjacency and % claimed tests). A scan restarted at L
 * with L's dealEndsAt set to the run's last known one reproduces every later decision; readings
 * between L and the anchor are NONE (skipped). Returns L so carried (null: no run started yet).
 */
async function carriedRun(
  db: Db,
  m: EntityManager,
  competitorId: string,
  anchorAt: number,
  runStart: number | null,
  loaded: readonly SnapshotPoint[],
): Promise<SnapshotPoint | null> {
  if (runStart === null) return null;
  let last: SnapshotPoint | undefined;
  for (let i = loaded.length - 1; i >= 0 && !last && loaded[i].at >= runStart; i--) {
    if (loaded[i].at <= anchorAt && loaded[i].dealType !== 'NONE') last = loaded[i];
  }
  if (!last) {
    const q = db.params();
    [last] = await readPoints(
      db,
      m,
      `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at >= ${q.add(new Date(runStart))}
        AND captured_at <= ${q.add(new Date(anchorAt))} AND deal_type <> 'NONE' ORDER BY captured_at DESC LIMIT 1`,
      q.values,
    );
    if (!last)
      throw new Error(`consumption facts of ${competitorId}: the deal run started at ${new Date(runStart).toISOString()} has no reading`);
  }
  // The run's known end only steers the scan at a later reading that shows an end of its own.
  const at = last.at;
  if (last.dealEndsAt !== null || !loaded.some((pt) => pt.at > at && pt.dealEndsAt !== null)) return last;
  const q = db.params();
  const [e]: { deal_ends_at: string | Date }[] = await read(
    db,
    m,
    `SELECT deal_ends_at FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at >= ${q.add(new Date(runStart))}
      AND captured_at < ${q.add(new Date(last.at))} AND deal_type <> 'NONE' AND deal_ends_at IS NOT NULL ORDER BY captured_at DESC LIMIT 1`,
    q.values,
  );
  return e ? { ...last, dealEndsAt: readTime(e.deal_ends_at) } : last;
}

/** The start of the deal run open at each point (core's scan state), or null before the first run. */
function openRunStarts(points: readonly SnapshotPoint[], runs: ReturnType<typeof dealRuns>): (number | null)[] {
  const out: (number | null)[] = new Array(points.length).fill(null);
  let r = -1;
  for (let i = 0; i < points.length; i++) {
    while (r + 1 < runs.length && runs[r + 1].indices[0] <= i) r++;
    out[i] = r >= 0 ? points[runs[r].indices[0]].at : null;
  }
  return out;
}

/**
 * Step 4: the fact rows of the intervals ending after the anchor `p`, totals continuing from its,
 * in FACT_COLUMNS order with the times (at, start_at, run_start_at) as epoch ms (insertFacts binds
 * them per database).
 * `points` are the clean readings from the anchor reading on, preceded by the carried run reading
 * when there is one (its run started at `runStart`, before this scan).
 */
function factRows(competitorId: string, points: readonly SnapshotPoint[], p: FactRow | null, carried: boolean): unknown[][] {
  const runs = dealRuns(points);
  const runStart = openRunStarts(points, runs);
  const carriedStart = p && carried ? readTimeOrNull(p.run_start_at) : null;
  const from = p ? readTime(p.at) : -Infinity;
  const totals = factTotals(p);
  const out: unknown[][] = [];
  for (const iv of stockIntervals(points, { runs })) {
    if (iv.end <= from) continue;
    addInterval(totals, iv, -Infinity, Infinity);
    const rs =
      carriedStart !== null && runs[0]?.indices[0] === 0 && runStart[iv.toIndex] === points[0].at ? carriedStart : runStart[iv.toIndex];
    out.push([
      competitorId,
      iv.end,
      iv.start,
      iv.kind,
      iv.sold,
      iv.soldLower,
      iv.soldUpper,
      iv.increase,
      iv.inDeal,
      rs,
      CONSUMPTION_RULES,
      ...TOTALS.map(([, k]) => totals[k]),
      ...KIND_TOTALS.map(([, k]) => totals.counts[k]),
    ]);
  }
  return out;
}

/**
 * How many of the derived rows `out` (after the anchor at `at`) are already stored as they are.
 * Only the stored facts ending before `since` can be (later ones rest on changed readings), and
 * those rest on readings that did not change but whose flags were re-judged: an interval ends at
 * every clean known-stock reading, so while the stored ends are the derived ends, the flags came
 * out the same and so did the intervals and running totals (same readings, same deal-run scan,
 * same sums in the same order): those rows cost a read of their ends instead of a delete and an
 * insert. Facts of another rule version are rewritten.
 */
async function unchangedPrefix(
  db: Db,
  m: EntityManager,
  competitorId: string,
  at: number | null,
  since: number,
  out: unknown[][],
): Promise<number> {
  if (at === null || !Number.isFinite(since)) return 0;
  const q = db.params();
  const stored: { at: string | Date; rules: number | string }[] = await read(
    db,
    m,
    `SELECT at, rules FROM consumption_fact WHERE competitor_id = ${q.add(competitorId)} AND at > ${q.add(new Date(at))} AND at < ${q.add(new Date(since))} ORDER BY at`,
    q.values,
  );
  let k = 0;
  while (k < stored.length && k < out.length && readTime(stored[k].at) === out[k][1] && Number(stored[k].rules) === CONSUMPTION_RULES) k++;
  return k;
}

/**
 * Re-derives a competitor's facts from `since` on (epoch ms; −Infinity: all), in the writer's
 * transaction: anchor, readings, flags judged after the anchor with their whole neighbourhood,
 * carried deal-run state, intervals, then the facts after the anchor replaced.
 */
export async function maintainConsumption(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  const p = Number.isFinite(since) ? await anchorFact(db, m, competitorId, since) : null;
  const at = p ? readTime(p.at) : null;
  const loaded = await loadReadings(db, m, competitorId, at);
  const start = at === null ? 0 : loaded.findIndex((pt) => pt.at === at);
  if (start < 0) throw new Error(`consumption facts of ${competitorId}: no reading at the anchor ${new Date(at as number).toISOString()}`);
  const judge = at === null ? null : { from: at + 1, to: Infinity };
  // The stock verdicts only: intervals and deal runs read no price or BSR (core/anomalies/flags.ts wrongStockReadings).
  const clean = withoutWrongStock(loaded, wrongStockReadings(loaded, {}, judge)).slice(start);
  const run = at === null ? null : await carriedRun(db, m, competitorId, at, readTimeOrNull(p?.run_start_at), loaded);
  const points = run === null ? clean : run.at === at ? [{ ...clean[0], dealEndsAt: run.dealEndsAt }, ...clean.slice(1)] : [run, ...clean];
  const out = factRows(competitorId, points, p, run !== null);
  const keep = await unchangedPrefix(db, m, competitorId, at, since, out);
  const d = db.params();
  const after = keep > 0 ? new Date(out[keep - 1][1] as number) : at === null ? null : new Date(at);
  await exec(
    db,
    m,
    `DELETE FROM consumption_fact WHERE competitor_id = ${d.add(competitorId)}${after ? ` AND at > ${d.add(after)}` : ''}`,
    d.values,
  );
  await insertFacts(db, m, keep ? out.slice(keep) : out);
  return out.length;
}

const sqliteInserts = new WeakMap<object, { run(...params: unknown[]): unknown }>();
/** Indices in FACT_COLUMNS of the times factRows gives as epoch ms, and of the boolean. */
const [AT, START_AT, IN_DEAL, RUN_START_AT] = (['at', 'start_at', 'in_deal', 'run_start_at'] as const).map((c) => FACT_COLUMNS.indexOf(c));

/**
 * Inserts fact rows (factRows). SQLite: one reused single-row prepared statement on the raw handle,
 * inside the caller's transaction (cheaper than multi-row statements there, as for snapshots), the
 * times formatted once each (an interval starts where the previous one ended; the open run's start
 * repeats); PostgreSQL: multi-row INSERTs of 500 rows (26 columns, under its 65,535 parameters).
 */
async function insertFacts(db: Db, m: EntityManager, rows: unknown[][]): Promise<void> {
  const spec = { table: 'consumption_fact', columns: FACT_COLUMNS, conflict: ['competitor_id', 'at'] };
  const date = (v: unknown) => (v === null ? null : new Date(v as number));
  await db.bulk(
    () => {
      const h = db.sqlite();
      let stmt = sqliteInserts.get(h);
      if (!stmt) {
        stmt = h.prepare(`INSERT INTO consumption_fact (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`);
        sqliteInserts.set(h, stmt);
      }
      const text = sqliteTimes();
      for (const r of rows) {
        const v = r.slice();
        v[AT] = text(v[AT] as number);
        v[START_AT] = text(v[START_AT] as number);
        v[RUN_START_AT] = v[RUN_START_AT] === null ? null : text(v[RUN_START_AT] as number);
        v[IN_DEAL] = v[IN_DEAL] ? 1 : 0;
        stmt.run(...v);
      }
    },
    async () => {
      const dated = rows.map((r) => r.map((v, i) => (i === AT || i === START_AT || i === RUN_START_AT ? date(v) : v)));
      await db.insertRows(m, spec, dated, 500);
    },
  );
}

/** toSqliteDatetime of epoch ms, remembering the last few (consecutive fact rows share times). */
function sqliteTimes(): (ms: number) => string {
  const memo = new Map<number, string>();
  return (ms) => {
    let t = memo.get(ms);
    if (t === undefined) {
      if (memo.size > 8) memo.clear();
      memo.set(ms, (t = toSqliteDatetime(new Date(ms))));
    }
    return t;
  };
}
