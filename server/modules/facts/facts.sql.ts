/**
 * Statements of fact maintenance, in the writer's transaction. SQLite: prepared statements cached
 * per connection on the raw handle (TypeORM's query() prepares every call anew, and maintenance runs
 * a handful of statements per competitor and batch); readings come back as arrays (raw mode).
 * PostgreSQL: the transaction's manager.
 */
import type { EntityManager } from 'typeorm';
import type { DealType, SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime } from '../../db/dialect';
import { toPoint } from '../snapshot/snapshot.points';

/** The snapshot columns a reading (SnapshotPoint) is made of, in pointOfRow's order. */
export const POINT_COLUMNS = `captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity,
  deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source`;

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
  raw(on: boolean): SqliteStatement;
}
const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();

/** SQLite: the prepared statement for `sql` on the raw handle, cached per connection (`raw`: rows as arrays). */
function prepared(db: Db, sql: string, raw = false): SqliteStatement {
  const h = db.sqlite() as unknown as { prepare(sql: string): SqliteStatement };
  let cache = sqliteStatements.get(h);
  if (!cache) sqliteStatements.set(h, (cache = new Map()));
  const key = raw ? `raw:${sql}` : sql;
  let stmt = cache.get(key);
  if (!stmt) cache.set(key, (stmt = raw ? h.prepare(sql).raw(true) : h.prepare(sql)));
  return stmt;
}

/**
 * Runs one statement in the writer's transaction and returns its rows. SQLite: a cached prepared
 * statement on the raw handle (TypeORM's query() prepares every call anew, and maintenance runs a
 * handful of statements per competitor and batch); PostgreSQL: the transaction's manager.
 */
export async function read<T>(db: Db, m: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  return db.bulk(
    () => prepared(db, sql).all(...values) as T[],
    () => m.query(sql, values),
  );
}

const digits2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/**
 * readTime of SQLite's datetime text `YYYY-MM-DD HH:MM:SS.sss` (what TypeORM and the ingest write,
 * toSqliteDatetime) by its digits, a third of Date.parse's cost on the readings maintenance re-reads;
 * any other form goes to readTime.
 */
export function sqliteTime(s: string): number {
  if (s.length !== 23 || s[4] !== '-' || s[7] !== '-' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.')
    return readTime(s);
  const year = digits2(s, 0) * 100 + digits2(s, 2);
  const ms = digits2(s, 20) * 10 + s.charCodeAt(22) - 48;
  const t = Date.UTC(year, digits2(s, 5) - 1, digits2(s, 8), digits2(s, 11), digits2(s, 14), digits2(s, 17), ms);
  return year >= 100 && Number.isFinite(t) ? t : readTime(s);
}

/**
 * A reading from a row of POINT_COLUMNS as an array (SQLite's raw mode: half the cost of row
 * objects and toPoint on the hundreds of readings a batch re-reads per competitor); the same
 * conversion as snapshot.points.ts toPoint.
 */
function pointOfRow(r: unknown[]): SnapshotPoint {
  const num = (v: unknown) => (v === null ? null : Number(v));
  return {
    at: sqliteTime(r[0] as string),
    stock: num(r[1]),
    stockIsLowerBound: Boolean(r[2]),
    price: r[3] === null ? null : Number(r[3]) / 100,
    listPrice: r[4] === null ? null : Number(r[4]) / 100,
    dealType: r[5] as DealType,
    dealQuantity: num(r[6]),
    dealClaimedPercent: num(r[7]),
    dealStartsAt: r[8] === null ? null : sqliteTime(r[8] as string),
    dealEndsAt: r[9] === null ? null : sqliteTime(r[9] as string),
    bsr: num(r[10]),
    source: r[11] as string | null,
  };
}

/** read() for statements selecting POINT_COLUMNS, as readings. */
export async function readPoints(db: Db, m: EntityManager, sql: string, values: unknown[]): Promise<SnapshotPoint[]> {
  return db.bulk(
    () => (prepared(db, sql, true).all(...values) as unknown[][]).map(pointOfRow),
    async () => ((await m.query(sql, values)) as Parameters<typeof toPoint>[0][]).map(toPoint),
  );
}

/** read() for a statement without rows. */
export async function exec(db: Db, m: EntityManager, sql: string, values: unknown[]): Promise<void> {
  await db.bulk(
    () => void prepared(db, sql).run(...values),
    async () => void (await m.query(sql, values)),
  );
}
