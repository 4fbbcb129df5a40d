/**
 * The one home of what differs between SQLite and PostgreSQL in the SQL the application writes by
 * hand (TypeORM's entity and query-builder paths already bridge the two): placeholders, how a Date
 * or a boolean is bound, how a datetime comes back in a raw row, and the few expressions that are
 * spelled differently. Modelled on Vendure's per-database strategies and TypeORM value
 * transformers: callers describe the statement once and the dialect supplies the spelling.
 */
import { toSqliteDatetime } from './columns';

export type Dialect = 'sqlite' | 'postgres';

/** The spelling of one database. */
export interface SqlDialect {
  readonly name: Dialect;
  /** Placeholder of the n-th (1-based) parameter: `?` on SQLite (positional), `$n` on PostgreSQL. */
  placeholder(n: number): string;
  /**
   * A JS value as a raw-SQL parameter. SQLite stores datetimes as TypeORM's UTC text
   * (`YYYY-MM-DD HH:mm:ss.sss`, so raw and entity writes compare equal) and booleans as 1/0;
   * PostgreSQL takes Dates (timestamptz) and booleans as they are. Other values pass unchanged.
   */
  value(v: unknown): unknown;
  /** SQL literal of a boolean, for statements that cannot bind one (migration seeds). */
  booleanLiteral(b: boolean): string;
  /** SQL expression: the UTC hour of a datetime column as text `YYYY-MM-DD HH` (parse with hourKeyStart). */
  utcHourKey(column: string): string;
  /**
   * Whether claims need row locks (FOR UPDATE SKIP LOCKED) so concurrent claimers skip each other's
   * rows: PostgreSQL runs transactions concurrently; SQLite has one writer at a time (Db.write queues).
   */
  readonly rowLocks: boolean;
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
  value: (v) => (v instanceof Date ? toSqliteDatetime(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v),
  booleanLiteral: (b) => (b ? '1' : '0'),
  // TypeORM's text form starts with "YYYY-MM-DD HH", already UTC.
  utcHourKey: (column) => `substr(${column}, 1, 13)`,
  rowLocks: false,
};

const POSTGRES: SqlDialect = {
  name: 'postgres',
  placeholder: (n) => `$${n}`,
  value: (v) => v,
  booleanLiteral: (b) => (b ? 'true' : 'false'),
  utcHourKey: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')`,
  rowLocks: true,
};

export function sqlDialect(name: Dialect): SqlDialect {
  return name === 'postgres' ? POSTGRES : SQLITE;
}

/**
 * The parameters of one raw statement, numbered as they are bound. Each method binds values and
 * returns the placeholder text to splice into the SQL, so a statement reads
 * `WHERE id IN (${q.list(ids)}) AND at >= ${q.add(from)}` and is run with `q.values`.
 * Bind in the order the placeholders appear in the final SQL: SQLite's `?` are positional.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** Binds one value (Dates and booleans converted for the dialect); returns its placeholder. */
  add(v: unknown): string {
    this.values.push(this.dialect.value(v));
    return this.dialect.placeholder(this.values.length);
  }

  /** Binds a list, e.g. for `IN (…)`; returns the comma-separated placeholders. */
  list(vs: readonly unknown[]): string {
    return vs.map((v) => this.add(v)).join(', ');
  }

  /** Binds one row of a multi-row VALUES clause; returns `(p1, p2, …)`. */
  tuple(vs: readonly unknown[]): string {
    return `(${this.list(vs)})`;
  }
}

/** A multi-row INSERT … ON CONFLICT; the same SQL on both databases (SQLite ≥ 3.35 has RETURNING). */
export interface InsertSpec {
  table: string;
  columns: readonly string[];
  /** The unique key a conflicting row is detected on. */
  conflict: readonly string[];
  /** Columns overwritten from the new row on conflict (`DO UPDATE SET c = excluded.c`); omitted: `DO NOTHING`. */
  update?: readonly string[];
  /** A RETURNING list; the statement then yields one row per row actually written. */
  returning?: string;
}

/** The SQL text of an INSERT of `tuples` (from SqlParams.tuple) under `spec`. */
export function insertSql(spec: InsertSpec, tuples: readonly string[]): string {
  const action = spec.update?.length ? `DO UPDATE SET ${spec.update.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'DO NOTHING';
  const returning = spec.returning ? ` RETURNING ${spec.returning}` : '';
  return `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${spec.conflict.join(', ')}) ${action}${returning}`;
}

/**
 * A datetime read back from a raw row, as epoch ms. SQLite returns TypeORM's UTC text without a
 * zone (`YYYY-MM-DD HH:mm:ss.sss`); PostgreSQL returns a Date.
 */
export function readTime(v: string | Date): number {
  return v instanceof Date ? v.getTime() : Date.parse(`${v.replace(' ', 'T')}Z`);
}

/** readTime for a nullable column. */
export function readTimeOrNull(v: string | Date | null | undefined): number | null {
  return v === null || v === undefined ? null : readTime(v);
}

/** Start (epoch ms) of the UTC hour named by a `YYYY-MM-DD HH` key from SqlDialect.utcHourKey. */
export function hourKeyStart(key: string): number {
  return Date.parse(`${key.replace(' ', 'T')}:00:00Z`);
}

/** `items` in consecutive slices of at most `size` (statements stay under the databases' parameter limits). */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
