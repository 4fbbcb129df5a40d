import 'reflect-metadata';
import { resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type EntitySubscriberInterface, type Logger } from 'typeorm';
import { ENTITIES } from '../modules/entities';
import type { Dialect } from './dialect';
import { MIGRATIONS } from './migrations';

/**
 * Counts every SQL statement TypeORM sends. Tests use it to prove that list fields are batched
 * (a constant number of statements however many competitors are asked for).
 */
export class StatementCounter implements Logger {
  count = 0;
  /**
   * Rows returned by SELECTs (and RETURNING clauses) since start: what a request materializes.
   * The benchmarks read it through /metrics to show that reads do not grow with history length.
   */
  rows = 0;
  constructor(private readonly echo = false) {}
  /** The TypeORM subscriber that adds each statement's result rows to `rows`. */
  readonly subscriber: EntitySubscriberInterface = {
    afterQuery: (event) => {
      this.rows += resultRows(event.rawResults);
    },
  };
  logQuery(query: string): void {
    this.count += 1;
    if (this.echo) console.error(`[sql] ${query}`);
  }
  logQueryError(error: string | Error, query: string): void {
    if (this.echo) console.error(`[sql error] ${String(error)} in ${query}`);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    if (this.echo) console.error(`[migration] ${message}`);
  }
  log(): void {}
}

/**
 * Rows in a raw driver result: better-sqlite3 returns the row array for readers (a number for
 * writes); node-postgres a result object with `rows`, or an array of them for multi-statements.
 */
function resultRows(raw: unknown): number {
  if (Array.isArray(raw)) return raw.reduce((n: number, r: unknown) => n + (isPgResult(r) ? r.rows.length : 1), 0);
  return isPgResult(raw) ? raw.rows.length : 0;
}

function isPgResult(x: unknown): x is { rows: unknown[] } {
  return typeof x === 'object' && x !== null && Array.isArray((x as { rows?: unknown }).rows);
}

export function dialectOf(url: string): Dialect {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('sqlite:') || url === ':memory:') return 'sqlite';
  throw new Error(`DATABASE_URL must start with postgres:// or sqlite: (got "${url}")`);
}

export function sqlitePath(url: string): string {
  const p = url.replace(/^sqlite:(\/\/)?/, '');
  return p === ':memory:' || p === '' ? ':memory:' : resolve(p);
}

/** Builds (but does not open) the data source for a DATABASE_URL. */
export function createDataSource(url: string, logger: Logger = new StatementCounter()): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logger,
    // Statements are always handed to the logger so the counter sees them; it decides what to print.
    logging: ['query', 'error', 'migration'] as ('query' | 'error' | 'migration')[],
  };
  const options: DataSourceOptions =
    dialectOf(url) === 'postgres'
      ? { type: 'postgres', url, poolSize: 10, ...common }
      : {
          type: 'better-sqlite3',
          database: sqlitePath(url),
          enableWAL: true,
          // One writer at a time: wait for the lock instead of failing with SQLITE_BUSY.
          timeout: 15_000,
          prepareDatabase: (db: { pragma(s: string): unknown }) => {
            db.pragma('synchronous = NORMAL');
          },
          ...common,
        };
  return new DataSource(options);
}

/** Opens the data source and brings the schema up to date. */
export async function openDatabase(url: string, logger?: Logger): Promise<DataSource> {
  const ds = createDataSource(url, logger);
  await ds.initialize();
  // TypeORM builds subscribers from classes; the counter's is an instance, so it joins afterwards.
  if (logger instanceof StatementCounter) ds.subscribers.push(logger.subscriber);
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
