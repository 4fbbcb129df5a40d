import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf, openDatabase, StatementCounter } from './data-source';
import { chunks, type Dialect, type InsertSpec, insertSql, type SqlDialect, sqlDialect, SqlParams } from './dialect';

/** The raw better-sqlite3 handle, used only by the bulk-ingest fast path. */
export interface SqliteHandle {
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

/**
 * The application's view of the database. SQLite has one connection and one writer, so every
 * write transaction goes through a FIFO queue: two requests never interleave statements of their
 * transactions on the shared connection (which SQLite would reject) and clients never see
 * SQLITE_BUSY. PostgreSQL transactions run concurrently on the pool.
 */
export class Db {
  readonly dialect: Dialect;
  /** The spelling of raw SQL on this database (server/db/dialect.ts). */
  readonly sql: SqlDialect;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly ds: DataSource,
    readonly counter: StatementCounter,
  ) {
    this.dialect = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.sql = sqlDialect(this.dialect);
  }

  static async open(url: string, opts: { logSql?: boolean } = {}): Promise<Db> {
    const counter = new StatementCounter(opts.logSql ?? false);
    dialectOf(url);
    return new Db(await openDatabase(url, counter), counter);
  }

  get manager(): EntityManager {
    return this.ds.manager;
  }

  /**
   * Runs `fn` in one transaction, serialized on SQLite. Throwing rolls everything back.
   * PostgreSQL runs transactions concurrently (and replicas share the database): when two of them
   * create the same unique row (read "missing", then insert), the loser is retried once, and its
   * read then finds the winner's row. A genuine duplicate fails again and is reported.
   */
  write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') {
      return this.ds.transaction(fn).catch((e: unknown) => (isUniqueViolation(e) ? this.ds.transaction(fn) : Promise.reject(e)));
    }
    return this.serialized(() => this.ds.transaction(fn));
  }

  /** Runs `fn` with exclusive use of the SQLite connection (no TypeORM transaction is open meanwhile). */
  serialized<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  sqlite(): SqliteHandle {
    if (this.dialect !== 'sqlite') throw new Error('not a SQLite database');
    return (this.ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
  }

  /**
   * The bulk-ingest strategy: on SQLite `sqliteFastPath` (synchronous work on the raw handle from
   * sqlite(), inside the transaction the caller holds, so nothing interleaves with it); elsewhere
   * `portable` (ordinary statements on the transaction's manager).
   */
  async bulk<T>(sqliteFastPath: () => T, portable: () => Promise<T>): Promise<T> {
    return this.dialect === 'sqlite' ? sqliteFastPath() : portable();
  }

  /** `?`-style placeholders for SQLite, `$n` for PostgreSQL. */
  param(n: number): string {
    return this.sql.placeholder(n);
  }

  /** A fresh parameter list for one raw statement (placeholders numbered as values are bound). */
  params(): SqlParams {
    return new SqlParams(this.sql);
  }

  /**
   * Multi-row INSERT … ON CONFLICT of `rows` (values in `spec.columns` order; Dates and booleans
   * converted), `chunkRows` rows per statement. Returns the RETURNING rows (empty without `returning`).
   */
  async insertRows(m: EntityManager, spec: InsertSpec, rows: readonly unknown[][], chunkRows: number): Promise<ObjectLiteral[]> {
    const returned: ObjectLiteral[] = [];
    for (const chunk of chunks(rows, chunkRows)) {
      const q = this.params();
      const tuples = chunk.map((r) => q.tuple(r));
      const res: ObjectLiteral[] = await m.query(insertSql(spec, tuples), q.values);
      if (spec.returning) returned.push(...res);
    }
    return returned;
  }

  /** Makes a claiming SELECT skip rows another transaction holds (FOR UPDATE SKIP LOCKED where the database needs it). */
  claimLock<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.sql.rowLocks ? qb.setLock('pessimistic_write').setOnLocked('skip_locked') : qb;
  }

  /**
   * Holds `ids`' rows of `table` until the transaction ends (SELECT … ORDER BY id FOR NO KEY UPDATE
   * where transactions run concurrently; a no-op on SQLite, whose writers are serialised), so two
   * writers maintaining state derived from the same rows take turns, in one order, instead of racing.
   * NO KEY UPDATE, not UPDATE: it does not wait on the KEY SHARE locks that inserting rows which
   * reference these (foreign keys) takes, so writers that inserted first cannot deadlock on it.
   */
  async lockRows(m: EntityManager, table: string, ids: readonly string[]): Promise<void> {
    if (!this.sql.rowLocks || !ids.length) return;
    const q = this.params();
    await m.query(`SELECT id FROM ${table} WHERE id IN (${q.list([...ids].sort())}) ORDER BY id FOR NO KEY UPDATE`, q.values);
  }

  /** Connections by state: the PostgreSQL pool's counts; SQLite has one connection. */
  connections(): { total: number; idle: number; waiting: number } {
    if (this.dialect !== 'postgres') return { total: 1, idle: 0, waiting: 0 };
    const pool = (this.ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : { total: 1, idle: 0, waiting: 0 };
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** A unique-constraint violation (PostgreSQL 23505), as TypeORM wraps it. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  return err?.driverError?.code === '23505' || err?.code === '23505';
}
