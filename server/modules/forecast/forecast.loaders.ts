/**
 * The forecast module's reads and writes, batched per request: sales histories, sales since a day,
 * competitors' readings (in chunks, as columns), stored runs, and the run upserts (one transaction
 * once the request's forecasts in flight have all reached their write).
 */
import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { ForecastOptions, ForecastResult } from '../../../core/forecast';
import type { TaskRunner } from '../../workers/pool';
import type { Db } from '../../db/db';
import { type InsertSpec, readTime, readTimeOrNull } from '../../db/dialect';
import { dateOfDay, dayOfStored } from '../product/days';
import type { SalesPoint } from '../product/product.loaders';
import { createPointsLoader, type RawRow } from '../snapshot/snapshot.points';
import { emptyColumns, interner, type PointColumns } from './forecast.columns';
import type { CompetitorSeries } from './forecast.compute';
import { ForecastRun } from './forecast.entity';
import { createConsumptionLoader } from '../facts/consumption.read';
import { WINDOWS } from '../intelligence/intelligence.request';
import { RankVelocity, type SignalRow, signalRows } from '../intelligence/velocity.rank';
import { RANK_SERIES_READINGS } from './forecast.rank';
import { MAX_HISTORY_DAYS } from './forecast.series';
import type { ForecastGranularity, ForecastSubject } from './forecast.types';
import { MAX_RUNS } from './forecast.types';

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

/** A product's sales history as of a day: the days up to and including `until` (epoch day; null = all). */
export interface HistoryKey {
  productId: string;
  until: number | null;
}

/** Histories of a batch, one pass per distinct `until`. */
async function loadHistories(db: Db, keys: readonly HistoryKey[]): Promise<SalesPoint[][]> {
  const out = new Map<string, SalesPoint[]>();
  const groups = new Map<number | null, string[]>();
  for (const k of keys) groups.set(k.until, [...(groups.get(k.until) ?? []), k.productId]);
  for (const [until, ids] of groups) {
    const unique = [...new Set(ids)];
    const got = await loadHistory(db, unique, until);
    unique.forEach((id, i) => out.set(`${id}|${until}`, got[i]));
  }
  return keys.map((k) => out.get(`${k.productId}|${k.until}`)!);
}

/**
 * Each product's sales over the MAX_HISTORY_DAYS days ending with its last recorded day (at or
 * before `until`): one statement finds the last days, one reads from the earliest window start.
 */
async function loadHistory(db: Db, ids: readonly string[], until: number | null): Promise<SalesPoint[][]> {
  const q = db.params();
  // Placeholders bound in text order (SQLite's are positional).
  const idList = q.list(ids);
  const cap = until === null ? '' : ` AND sale_date <= ${q.add(dateOfDay(until))}`;
  const lasts: { product_id: string; last: string | Date }[] = await db.manager.query(
    `SELECT product_id, MAX(sale_date) AS last FROM sales_day WHERE product_id IN (${idList})${cap} GROUP BY product_id`,
    q.values,
  );
  const lastOf = new Map(lasts.map((r) => [r.product_id, dayOfStored(r.last)]));
  const out = new Map<string, SalesPoint[]>(ids.map((id) => [id, []]));
  if (lastOf.size) {
    const from = Math.min(...lastOf.values()) - MAX_HISTORY_DAYS + 1;
    for (const r of await salesFrom(db, [...lastOf.keys()], from)) {
      const p = toSalesPoint(r);
      const last = lastOf.get(r.product_id)!;
      if (p.day > last - MAX_HISTORY_DAYS && p.day <= last) out.get(r.product_id)!.push(p);
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

/** Rows per statement when reading competitors' readings: the longest the event loop spends on one chunk. */
export const READ_CHUNK_ROWS = 2000;

/** A snapshot row as the readings read selects it (the columns toPoint reads, with the competitor). */
export type ReadingRow = RawRow;

const nanOr = (x: number | string | null): number => (x === null ? NaN : Number(x));

/**
 * One competitor's rows as columns, converted as snapshot.points.ts `toPoint` converts them
 * (times by readTime, numbers by Number(), NULL as NaN / −1; see forecast.columns.ts).
 */
export function rowsToColumns(rows: readonly ReadingRow[]): PointColumns {
  const c = emptyColumns(rows.length);
  const intern = interner(c);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    c.at[i] = readTime(r.captured_at);
    c.stock[i] = nanOr(r.stock);
    c.stockIsLowerBound[i] = r.stock_is_lower_bound ? 1 : 0;
    c.priceCents[i] = nanOr(r.price_cents);
    c.listPriceCents[i] = nanOr(r.list_price_cents);
    c.dealType[i] = intern(r.deal_type);
    c.dealQuantity[i] = nanOr(r.deal_quantity);
    c.dealClaimedPercent[i] = nanOr(r.deal_claimed_percent);
    c.dealStartsAt[i] = readTimeOrNull(r.deal_starts_at) ?? NaN;
    c.dealEndsAt[i] = readTimeOrNull(r.deal_ends_at) ?? NaN;
    c.bsr[i] = nanOr(r.bsr);
    c.source[i] = r.source === null ? -1 : intern(r.source);
  }
  return c;
}

/** One chunk: readings of `ids` in [from, to) after the cursor, ordered by competitor and time. */
function readingsChunk(
  db: Db,
  ids: readonly string[],
  from: number,
  to: number,
  after: ReadingRow | null,
  limit: number,
): Promise<ReadingRow[]> {
  // Bound in the order the placeholders appear (SQLite's `?` are positional).
  const q = db.params();
  const where = `competitor_id IN (${q.list(ids)}) AND captured_at >= ${q.add(new Date(from))} AND captured_at < ${q.add(new Date(to))}`;
  const cursor = after ? ` AND (competitor_id <> ${q.add(after.competitor_id)} OR captured_at > ${q.add(after.captured_at)})` : '';
  return db.manager.query(
    `SELECT competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity,
            deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source
       FROM snapshot
      WHERE ${where}${cursor}
      ORDER BY competitor_id, captured_at
      LIMIT ${Math.floor(limit)}`,
    q.values,
  );
}

/** Lets the event loop run what waits (other requests, worker results) before the next chunk. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Waiter {
  resolve: (c: PointColumns) => void;
  reject: (e: unknown) => void;
}

/**
 * Competitors' readings over a window, as columns, for competitor forecasts. Every competitor asked
 * for in one tick is read together, `chunk` rows per statement (keyset on competitor and capture
 * time), yielding to the event loop between statements; each competitor is answered as soon as its
 * last row is read, so its forecast goes to the worker pool while the next chunk is read. The read
 * never holds the event loop for more than one chunk (a 95-forecast request used to read ≈ 37,000
 * rows and convert them to objects in one go: 0.2–1.5 s during which no other request ran).
 * Cached per (competitor, window) for the request.
 */
export class ReadingsReader {
  private readonly cache = new Map<string, Promise<PointColumns>>();
  private queue: { from: number; to: number; id: string; waiter: Waiter }[] = [];

  constructor(
    private readonly db: Db,
    private readonly signal?: AbortSignal,
    private readonly chunk = READ_CHUNK_ROWS,
  ) {}

  load(key: { competitorId: string; from: number; to: number }): Promise<PointColumns> {
    const k = `${key.competitorId}|${key.from}|${key.to}`;
    let p = this.cache.get(k);
    if (!p) {
      p = new Promise<PointColumns>((resolve, reject) => {
        if (!this.queue.length) setImmediate(() => void this.flush());
        this.queue.push({ from: key.from, to: key.to, id: key.competitorId, waiter: { resolve, reject } });
      });
      this.cache.set(k, p);
    }
    return p;
  }

  private async flush(): Promise<void> {
    const jobs = this.queue.splice(0);
    const windows = new Map<string, Map<string, Waiter>>();
    for (const j of jobs) {
      const w = `${j.from}|${j.to}`;
      if (!windows.has(w)) windows.set(w, new Map());
      windows.get(w)!.set(j.id, j.waiter);
    }
    for (const [w, waiting] of windows) {
      const [from, to] = w.split('|').map(Number);
      try {
        await this.readWindow(from, to, waiting);
      } catch (e) {
        for (const waiter of waiting.values()) waiter.reject(e);
      }
    }
  }

  /** Reads one window chunk by chunk, answering (and forgetting) each competitor once complete. */
  private async readWindow(from: number, to: number, waiting: Map<string, Waiter>): Promise<void> {
    let carry: ReadingRow[] = [];
    let after: ReadingRow | null = null;
    const answer = (id: string, rows: readonly ReadingRow[]) => {
      waiting.get(id)?.resolve(rowsToColumns(rows));
      waiting.delete(id);
    };
    for (;;) {
      if (this.signal?.aborted) throw this.signal.reason;
      const rows = await readingsChunk(this.db, [...waiting.keys()], from, to, after, this.chunk);
      const full = rows.length === this.chunk;
      let i = 0;
      while (i < rows.length) {
        const id = rows[i].competitor_id;
        let j = i;
        while (j < rows.length && rows[j].competitor_id === id) j++;
        const run = carry.length && carry[0].competitor_id === id ? carry.concat(rows.slice(i, j)) : rows.slice(i, j);
        if (carry.length && carry[0].competitor_id !== id) answer(carry[0].competitor_id, carry);
        carry = [];
        if (j === rows.length && full)
          carry = run; // may continue in the next chunk
        else answer(id, run);
        i = j;
      }
      if (!full) break;
      after = rows[rows.length - 1];
      await yieldToLoop();
    }
    if (carry.length) answer(carry[0].competitor_id, carry);
    for (const id of [...waiting.keys()]) answer(id, []);
  }
}

/** A competitor and a window [from, to), epoch ms. */
interface WindowKey {
  competitorId: string;
  from: number;
  to: number;
}
const windowKey = (k: WindowKey) => `${k.competitorId}|${k.from}|${k.to}`;

/** Newest capture before each key's time: per competitor one `ORDER BY captured_at DESC LIMIT 1` seek, in one UNION ALL. */
async function newestBefore(db: Db, keys: readonly { competitorId: string; before: number }[]): Promise<(number | null)[]> {
  const q = db.params();
  const sql = keys
    .map(
      (k, i) =>
        `SELECT * FROM (SELECT ${i} AS k, captured_at FROM snapshot WHERE competitor_id = ${q.add(k.competitorId)}
          AND captured_at < ${q.add(new Date(k.before))} ORDER BY captured_at DESC LIMIT 1) AS n${i}`,
    )
    .join(' UNION ALL ');
  const rows: { k: number | string; captured_at: string | Date }[] = await db.manager.query(sql, q.values);
  const out: (number | null)[] = keys.map(() => null);
  for (const r of rows) out[Number(r.k)] = readTime(r.captured_at);
  return out;
}

/**
 * When the request's run writes go out: once every forecast of the request in flight has reached
 * its write (or ended without one), so the runs a request produces are stored in one transaction
 * even though its forecasts finish one by one, each as its fit comes back from the pool.
 */
export class WriteBarrier {
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  /** A forecast starts; call the returned function (idempotent) when it writes or ends. */
  begin(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.inFlight === 0) for (const cb of this.waiting.splice(0)) process.nextTick(cb);
    };
  }

  /** DataLoader's batchScheduleFn: dispatch now if nothing is in flight, else when the last one is done. */
  schedule(dispatch: () => void): void {
    if (this.inFlight === 0) process.nextTick(dispatch);
    else this.waiting.push(dispatch);
  }
}

/**
 * Per-request loaders of the forecast module: batched history and actuals reads, chunked readings
 * reads, model fits in the worker pool, batched run writes.
 */
export function createForecastLoaders(db: Db, tasks: TaskRunner, signal?: AbortSignal) {
  const writes = new WriteBarrier();
  const rankModels = new Map<number, RankVelocity>();
  return {
    /**
     * A model fit in the worker pool (a failure answers with its error), answered as soon as it
     * comes back: a request's forecasts continue one by one on the event loop, not all together
     * after the slowest fit. `signal` (the request's time budget) drops fits still queued past it.
     */
    fits: { load: (k: FitKey): Promise<ForecastResult> => tasks.run('forecast', [k.y, k.opts], signal) },
    /** A competitor forecast's work on its readings (series, live deal, provenance), in the pool under the same budget. */
    series: (columns: PointColumns, now: number): Promise<CompetitorSeries> => tasks.run('competitorSeries', [columns, now], signal),
    /** Competitors' readings over a window as columns: chunked reads (see ReadingsReader). */
    readings: new ReadingsReader(db, signal),
    /** A product's sales over the MAX_HISTORY_DAYS ending with its last recorded day up to `until`: two statements per batch. */
    history: new DataLoader<HistoryKey, SalesPoint[], string>((keys) => loadHistories(db, keys), {
      cacheKeyFn: (k) => `${k.productId}|${k.until}`,
      maxBatchSize: 500,
    }),
    /** Listings' newest signal readings (rank, badge, estimate) in a window: one statement per 100 (velocity.rank.ts signalRows). */
    rankReadings: new DataLoader<WindowKey, SignalRow[], string>(
      async (keys) => {
        const out = new Map<string, SignalRow[]>(keys.map((k) => [windowKey(k), []]));
        const groups = new Map<string, WindowKey[]>();
        for (const k of keys) groups.set(`${k.from}|${k.to}`, [...(groups.get(`${k.from}|${k.to}`) ?? []), k]);
        for (const [w, group] of groups) {
          const ids = [...new Set(group.map((k) => k.competitorId))];
          for (const r of await signalRows(db, ids, group[0].from, group[0].to, RANK_SERIES_READINGS)) out.get(`${r.id}|${w}`)?.push(r);
        }
        return keys.map((k) => out.get(windowKey(k))!);
      },
      { cacheKeyFn: windowKey, maxBatchSize: 500 },
    ),
    /** The newest reading of each competitor before a time (epoch ms), null without any: one statement per batch. */
    newestBefore: new DataLoader<{ competitorId: string; before: number }, number | null, string>((keys) => newestBefore(db, keys), {
      cacheKeyFn: (k) => `${k.competitorId}|${k.before}`,
      maxBatchSize: 100,
    }),
    /** The rank → sales calibration as of an instant, as Velocity computes it (one per request and instant). */
    rankModel: (now: number): RankVelocity => {
      let r = rankModels.get(now);
      if (!r) {
        r = new RankVelocity(db, createConsumptionLoader(db, now, WINDOWS.edgeMs));
        rankModels.set(now, r);
      }
      return r;
    },
    /** Outcomes of the request's forecasts by argument key, so `forecast` and `forecastUnavailable` compute once. */
    outcomes: new Map<string, Promise<unknown>>(),
    /** Sales from `from` (epoch day) on, per product: one statement per batch (from = the batch minimum). */
    salesSince: new DataLoader<SalesSinceKey, SalesPoint[], string>((keys) => loadSalesSince(db, keys), {
      cacheKeyFn: (k) => `${k.productId}|${k.from}`,
      maxBatchSize: 500,
    }),
    /** Stored runs of the last `days` days per (workspace, type, subject): one statement per batch. */
    runs: new DataLoader<RunsKey, ForecastRun[], string>((keys) => loadRuns(db, keys), { cacheKeyFn: runsKey, maxBatchSize: 500 }),
    /** Marks a forecast in flight until it writes its run or ends (see WriteBarrier). */
    inFlight: () => writes.begin(),
    /** Upserts runs: the request's runs in one transaction (see storeRuns, WriteBarrier). */
    store: new DataLoader<RunRow, string>((rows) => storeRuns(db, rows), {
      cache: false,
      maxBatchSize: 1000,
      batchScheduleFn: (dispatch) => writes.schedule(dispatch),
    }),
    points: createPointsLoader(db),
  };
}
export type ForecastLoaders = ReturnType<typeof createForecastLoaders>;
