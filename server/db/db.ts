import type { DataSource, EntityManager } from 'typeorm';
import { type Dialect, dialectOf, openDatabase, StatementCounter } from './data-source';

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
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly ds: DataSource,
    readonly counter: StatementCounter,
  ) {
    this.dialect = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
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

  /** `?`-style placeholders for SQLite, `$n` for PostgreSQL. */
  param(n: number): string {
    return this.dialect === 'postgres' ? `$${n}` : '?';
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
