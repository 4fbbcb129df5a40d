/**
 * The forecast module's reads and writes, batched per request: sales histories, sales since a day,
 * stored runs, and the day's run upserts (one transaction per request tick).
 */
import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { ForecastOptions, ForecastResult } from '../../../core/forecast';
import type { TaskRunner } from '../../workers/pool';
import type { SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import type { InsertSpec } from '../../db/dialect';
import { dateOfDay, dayOfStored } from '../product/days';
import type { SalesPoint } from '../product/product.loaders';
import { createPointsLoader } from '../snapshot/snapshot.points';
import { ForecastRun } from './forecast.entity';
import { MAX_HISTORY_DAYS } from './forecast.series';
import type { ForecastGranularity, ForecastSubject } from './forecast.types';
import { MAX_RUNS } from './forecast.types';

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** One run to store (the latest of the day replaces the day's row). */
export interface RunRow {
  workspaceId: string;
  subjectType: ForecastSubject;
  subjectId: string;
  runDay: number;
  createdAt: Date;
  model: string;
  horizon: number;
  granularity: ForecastGranularity;
  originAt: Date;
  period: number;
  maseScale: number | null;
  accuracy: Record<string, number | null> | null;
  points: number[][];
}

/** Stable id per (workspace, subject, day): re-running the same day keeps the row's id. */
export function runId(workspaceId: string, subjectType: string, subjectId: string, runDay: number): string {
  const h = createHash('sha1').update(`${workspaceId}|${subjectType}|${subjectId}|${runDay}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A sales_day row as read raw. */
interface SalesDayRow {
  product_id: string;
  sale_date: string | Date;
  units: number | string;
  in_stock: number | boolean;
}

const toSalesPoint = (r: SalesDayRow): SalesPoint => ({
  day: dayOfStored(r.sale_date),
  units: Number(r.units),
  inStock: Boolean(r.in_stock),
});

/** Sales days of `ids` from epoch day `from` on, ordered by product and day. */
function salesFrom(db: Db, ids: readonly string[], from: number): Promise<SalesDayRow[]> {
  const q = db.params();
  return db.manager.query(
    `SELECT product_id, sale_date, units, in_stock FROM sales_day
      WHERE product_id IN (${q.list(ids)}) AND sale_date >= ${q.add(dateOfDay(from))}
      ORDER BY product_id, sale_date`,
    q.values,
  );
}

/**
 * Each product's sales over the MAX_HISTORY_DAYS days ending with its last recorded day: one
 * statement finds the last days, one reads from the earliest window start.
 */
async function loadHistory(db: Db, ids: readonly string[]): Promise<SalesPoint[][]> {
  const q = db.params();
  const lasts: { product_id: string; last: string | Date }[] = await db.manager.query(
    `SELECT product_id, MAX(sale_date) AS last FROM sales_day WHERE product_id IN (${q.list(ids)}) GROUP BY product_id`,
    q.values,
  );
  const lastOf = new Map(lasts.map((r) => [r.product_id, dayOfStored(r.last)]));
  const out = new Map<string, SalesPoint[]>(ids.map((id) => [id, []]));
  if (lastOf.size) {
    const from = Math.min(...lastOf.values()) - MAX_HISTORY_DAYS + 1;
    for (const r of await salesFrom(db, [...lastOf.keys()], from)) {
      const p = toSalesPoint(r);
      if (p.day > lastOf.get(r.product_id)! - MAX_HISTORY_DAYS) out.get(r.product_id)!.push(p);
    }
  }
  return ids.map((id) => out.get(id)!);
}

interface SalesSinceKey {
  productId: string;
  from: number;
}

/** Sales from each key's `from` on: one statement from the batch's earliest `from`. */
async function loadSalesSince(db: Db, keys: readonly SalesSinceKey[]): Promise<SalesPoint[][]> {
  const ids = [...new Set(keys.map((k) => k.productId))];
  const rows = await salesFrom(db, ids, Math.min(...keys.map((k) => k.from)));
  const out = new Map<string, SalesPoint[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.product_id)!.push(toSalesPoint(r));
  return keys.map((k) => out.get(k.productId)!.filter((s) => s.day >= k.from));
}

interface RunsKey {
  workspaceId: string;
  subjectType: ForecastSubject;
  subjectId: string;
  sinceDay: number;
}

const runsKey = (k: RunsKey) => `${k.workspaceId}|${k.subjectType}|${k.subjectId}|${k.sinceDay}`;

/** Stored runs since each key's day, newest first: one statement per (workspace, type, since day). */
async function loadRuns(db: Db, keys: readonly RunsKey[]): Promise<ForecastRun[][]> {
  const out = new Map<string, ForecastRun[]>();
  const groups = new Map<string, RunsKey[]>();
  for (const k of keys) {
    const g = `${k.workspaceId}|${k.subjectType}|${k.sinceDay}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  for (const group of groups.values()) {
    const { workspaceId, subjectType, sinceDay } = group[0];
    const ids = [...new Set(group.map((k) => k.subjectId))];
    const rows = await db.manager
      .createQueryBuilder(ForecastRun, 'r')
      .where('r.workspaceId = :ws AND r.subjectType = :t AND r.subjectId IN (:...ids) AND r.runDay >= :since', {
        ws: workspaceId,
        t: subjectType,
        ids,
        since: dateOfDay(sinceDay),
      })
      .orderBy('r.runDay', 'DESC')
      .getMany();
    for (const subjectId of ids) out.set(runsKey({ workspaceId, subjectType, subjectId, sinceDay }), []);
    for (const r of rows) out.get(runsKey({ workspaceId, subjectType, subjectId: r.subjectId, sinceDay }))!.push(r);
  }
  return keys.map((k) => out.get(runsKey(k)) ?? []);
}

/** The day's run replaces an earlier one of the same (workspace, subject, day); 200 runs per statement. */
const RUN_UPSERT: InsertSpec = {
  table: 'forecast_run',
  columns: [
    'id',
    'workspace_id',
    'subject_type',
    'subject_id',
    'run_day',
    'created_at',
    'model',
    'horizon',
    'granularity',
    'origin_at',
    'period',
    'mase_scale',
    'accuracy',
    'points',
  ],
  conflict: ['workspace_id', 'subject_type', 'subject_id', 'run_day'],
  update: ['created_at', 'model', 'horizon', 'granularity', 'origin_at', 'period', 'mase_scale', 'accuracy', 'points'],
};
const RUN_UPSERT_ROWS = 200;

/** A run's values in RUN_UPSERT column order. */
const runValues = (id: string, r: RunRow): unknown[] => [
  id,
  r.workspaceId,
  r.subjectType,
  r.subjectId,
  dateOfDay(r.runDay),
  r.createdAt,
  r.model.slice(0, 100),
  r.horizon,
  r.granularity,
  r.originAt,
  r.period,
  r.maseScale,
  r.accuracy === null ? null : JSON.stringify(r.accuracy),
  JSON.stringify(r.points),
];

/**
 * Upserts a batch of runs in one transaction. The latest of a day wins: later rows of the same key
 * in the batch replace earlier ones. Runs older than MAX_RUNS days (beyond what forecast vs actual
 * can ask for) are deleted in the same transaction, so a subject holds at most MAX_RUNS + 1 rows.
 */
async function storeRuns(db: Db, rows: readonly RunRow[]): Promise<string[]> {
  const byKey = new Map<string, RunRow>();
  for (const r of rows) byKey.set(runId(r.workspaceId, r.subjectType, r.subjectId, r.runDay), r);
  await db.write(async (m) => {
    await db.insertRows(
      m,
      RUN_UPSERT,
      [...byKey].map(([id, r]) => runValues(id, r)),
      RUN_UPSERT_ROWS,
    );
    const q = db.params();
    const workspaces = [...new Set(rows.map((r) => r.workspaceId))];
    const oldest = Math.min(...rows.map((r) => r.runDay)) - MAX_RUNS;
    await m.query(
      `DELETE FROM forecast_run WHERE workspace_id IN (${q.list(workspaces)}) AND run_day < ${q.add(dateOfDay(oldest))}`,
      q.values,
    );
  });
  return rows.map((r) => runId(r.workspaceId, r.subjectType, r.subjectId, r.runDay));
}

/** One model fit to run in the worker pool: core/forecast's arguments. */
export interface FitKey {
  y: number[];
  opts: ForecastOptions;
}

/**
 * Per-request loaders of the forecast module: batched history and actuals reads, batched model
 * fits in the worker pool, batched run writes.
 */
export function createForecastLoaders(db: Db, tasks: TaskRunner, signal?: AbortSignal) {
  return {
    /**
     * Model fits of one request tick, spread over the worker pool's threads and answered together
     * (a failed fit answers its own key with its error), so the runs they produce are stored in
     * one write as before. `signal` (the request's time budget) drops fits still queued past it.
     */
    fits: new DataLoader<FitKey, ForecastResult>(
      (keys) => Promise.all(keys.map((k) => tasks.run('forecast', [k.y, k.opts], signal).catch((e: unknown) => toError(e)))),
      { cache: false, maxBatchSize: 1000 },
    ),
    /** Deal detection for a competitor forecast's live deal, in the pool under the same budget. */
    deals: (points: readonly SnapshotPoint[], now: number) => tasks.run('detectDeals', [points, { now }], signal),
    /** A product's sales over the MAX_HISTORY_DAYS ending with its last recorded day: two statements per batch. */
    history: new DataLoader<string, SalesPoint[]>((ids) => loadHistory(db, ids), { maxBatchSize: 500 }),
    /** Sales from `from` (epoch day) on, per product: one statement per batch (from = the batch minimum). */
    salesSince: new DataLoader<SalesSinceKey, SalesPoint[], string>((keys) => loadSalesSince(db, keys), {
      cacheKeyFn: (k) => `${k.productId}|${k.from}`,
      maxBatchSize: 500,
    }),
    /** Stored runs of the last `days` days per (workspace, type, subject): one statement per batch. */
    runs: new DataLoader<RunsKey, ForecastRun[], string>((keys) => loadRuns(db, keys), { cacheKeyFn: runsKey, maxBatchSize: 500 }),
    /** Upserts runs: every run of one request tick in one transaction (see storeRuns). */
    store: new DataLoader<RunRow, string>((rows) => storeRuns(db, rows), { cache: false, maxBatchSize: 1000 }),
    points: createPointsLoader(db),
  };
}
export type ForecastLoaders = ReturnType<typeof createForecastLoaders>;
