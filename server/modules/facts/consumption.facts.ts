/**
 * Consumption facts, maintained at ingest (docs/architecture.md, "Facts"): per competitor, one row
 * per interval between consecutive known-stock readings (core/series/intervals.ts classifies it)
 * with running totals of velocity's additive sums (core/series/velocitySums.ts), so the sums over
 * any window are one row minus another plus at most two edge intervals.
 *
 * Maintenance for a competitor whose readings changed from `since` on (a batch, a late batch, a
 * roll-up), in the writer's transaction:
 *   1. anchor   P = the newest fact ending before `since` (its totals are the base; nothing at or
 *               before P can change, since core scans readings left to right);
 *   2. restart  at min(P.at, P.run_start_at): core's deal-run scan restarted at the first reading of
 *               the run open at P reproduces that run exactly (a run's state is its own readings);
 *   3. derive   dealRuns + stockIntervals (core) over the readings from the restart on; keep the
 *               intervals ending at or after `since`;
 *   4. replace  delete the facts ending at or after `since` and insert the derived ones, totals
 *               continuing from P's.
 * A batch appended at the end touches its own readings (plus a live deal run); a late batch
 * re-derives from its first reading to the newest. Re-sent readings change nothing (same rows).
 */
import type { EntityManager } from 'typeorm';
import { stockReadingFlags, withoutAnomalousValues } from '../../../core/anomalies/flags';
import { dealRuns } from '../../../core/series/dealRuns';
import { type IntervalKind, stockIntervals } from '../../../core/series/intervals';
import type { SnapshotPoint } from '../../../core/series/types';
import { addInterval, emptySums, type IntervalFact, type VelocitySums } from '../../../core/series/velocitySums';
import type { Db } from '../../db/db';
import { readTime, readTimeOrNull } from '../../db/dialect';
import { toPoint } from '../snapshot/snapshot.points';

/**
 * Version of the rules that made consumption facts (core/series/intervals.ts + dealRuns.ts, and the
 * shared anomaly flags of core/anomalies/flags.ts); bump on a rule change. 2: wrong stock readings
 * (a one-capture 0 between 506 and 505) are left out, as velocity() leaves them out.
 */
export const CONSUMPTION_RULES = 2;

/**
 * How far a reading's stock flag looks (core/anomalies/flags.ts neighbourhoodOf): back to the 48th
 * exact reading, at most 14 days; forward to the 6th reading, at most 48 h. A new reading can change
 * the flags of readings up to FLAG_AHEAD_MS before it, and a flag needs FLAG_BEHIND_MS of history.
 */
const FLAG_AHEAD_MS = 48 * 3_600_000;
const FLAG_BEHIND_MS = 14 * 86_400_000;

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

const POINT_COLUMNS = `captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity,
  deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source`;

/** Step 1–2: the anchor fact and the reading the scan restarts at (null: from the first reading). */
async function anchor(
  db: Db,
  m: EntityManager,
  competitorId: string,
  since: number,
): Promise<{ anchor: FactRow | null; restart: number | null }> {
  const q = db.params();
  const [p]: FactRow[] = await m.query(
    `SELECT * FROM consumption_fact WHERE competitor_id = ${q.add(competitorId)} AND at < ${q.add(new Date(since))} ORDER BY at DESC LIMIT 1`,
    q.values,
  );
  if (!p) return { anchor: null, restart: null };
  const at = readTime(p.at);
  const run = readTimeOrNull(p.run_start_at);
  return { anchor: p, restart: run === null ? at : Math.min(at, run) };
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
 * The readings from `restart` on with the wrong stock values left out (the shared anomaly flags,
 * judged with their full neighbourhood: FLAG_BEHIND_MS of history is read before `restart`), as
 * velocity() sees them.
 */
async function cleanReadings(db: Db, m: EntityManager, competitorId: string, restart: number | null): Promise<SnapshotPoint[]> {
  const q = db.params();
  const rows = await m.query(
    `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${q.add(competitorId)}${restart === null ? '' : ` AND captured_at >= ${q.add(new Date(restart - FLAG_BEHIND_MS))}`} ORDER BY captured_at`,
    q.values,
  );
  const all: SnapshotPoint[] = rows.map(toPoint);
  const from = restart ?? -Infinity;
  const clean = withoutAnomalousValues(all, stockReadingFlags(all, {}, { from, to: Infinity }));
  return clean.filter((pt) => pt.at >= from);
}

/** Steps 3–4 for one competitor: re-derives its facts from `since` on (epoch ms; −Infinity: all). */
export async function maintainConsumption(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  // A new reading can change the stock flags of the readings shortly before it: re-derive those too.
  const { anchor: p, restart } = Number.isFinite(since)
    ? await anchor(db, m, competitorId, since - FLAG_AHEAD_MS)
    : { anchor: null, restart: null };
  const points = await cleanReadings(db, m, competitorId, restart);
  const runs = dealRuns(points);
  const runStart = openRunStarts(points, runs);
  const from = p ? readTime(p.at) : -Infinity;
  const totals = factTotals(p);
  const out: unknown[][] = [];
  for (const iv of stockIntervals(points, { runs })) {
    if (iv.end <= from) continue;
    addInterval(totals, iv, -Infinity, Infinity);
    out.push([
      competitorId,
      new Date(iv.end),
      new Date(iv.start),
      iv.kind,
      iv.sold,
      iv.soldLower,
      iv.soldUpper,
      iv.increase,
      iv.inDeal,
      runStart[iv.toIndex] === null ? null : new Date(runStart[iv.toIndex] as number),
      CONSUMPTION_RULES,
      ...TOTALS.map(([, k]) => totals[k]),
      ...KIND_TOTALS.map(([, k]) => totals.counts[k]),
    ]);
  }
  const d = db.params();
  await m.query(
    `DELETE FROM consumption_fact WHERE competitor_id = ${d.add(competitorId)}${p ? ` AND at > ${d.add(p.at instanceof Date ? p.at : new Date(readTime(p.at)))}` : ''}`,
    d.values,
  );
  await insertFacts(db, m, out);
  return out.length;
}

const sqliteInserts = new WeakMap<object, { run(...params: unknown[]): unknown }>();

/**
 * Inserts fact rows. SQLite: one reused single-row prepared statement on the raw handle, inside the
 * caller's transaction (cheaper than multi-row statements there, as for snapshots); PostgreSQL:
 * multi-row INSERTs of 500 rows (26 columns, under its 65,535 parameters).
 */
async function insertFacts(db: Db, m: EntityManager, rows: unknown[][]): Promise<void> {
  const spec = { table: 'consumption_fact', columns: FACT_COLUMNS, conflict: ['competitor_id', 'at'] };
  await db.bulk(
    () => {
      const h = db.sqlite();
      let stmt = sqliteInserts.get(h);
      if (!stmt) {
        stmt = h.prepare(`INSERT INTO consumption_fact (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`);
        sqliteInserts.set(h, stmt);
      }
      for (const r of rows) stmt.run(...r.map((v) => db.sql.value(v)));
    },
    async () => void (await db.insertRows(m, spec, rows, 500)),
  );
}
