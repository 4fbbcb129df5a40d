/**
 * The migrations are identical in effect on SQLite and PostgreSQL: all of them run on a fresh SQLite
 * file and on a fresh PostgreSQL database, and the resulting schemas (tables; columns with their
 * normalized type, length, nullability and default; primary keys; indexes with their columns and
 * uniqueness; foreign keys with their ON DELETE) are compared. Every migration's down() is run too
 * (newest first) and must leave no table behind, and running up() again must rebuild the same schema.
 * The PostgreSQL part is skipped without TEST_DATABASE_URL.
 */
import type { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../server/db/data-source';
import { MIGRATIONS } from '../../server/db/migrations';
import { freshDatabaseUrl } from '../helpers/server';

interface Column {
  type: string;
  nullable: boolean;
  default: string | null;
}
interface Schema {
  [table: string]: {
    columns: Record<string, Column>;
    primaryKey: string[];
    /** "UNIQUE (a, b)" or "INDEX (a, b)", sorted. */
    indexes: string[];
    /** "(a) → other(b) ON DELETE CASCADE", sorted. */
    foreignKeys: string[];
  };
}

/** One vocabulary for both dialects' column types. */
function normalizeType(raw: string, length?: number | null): string {
  const t = raw.toLowerCase().trim();
  const m = /^(?:varchar|character varying)(?:\((\d+)\))?$/.exec(t);
  if (m) return `varchar(${m[1] ?? length ?? ''})`;
  if (t === 'datetime' || t === 'timestamp with time zone' || t === 'timestamptz') return 'timestamp';
  if (t === 'int' || t === 'integer' || t === 'int4') return 'integer';
  if (t === 'double precision' || t === 'float8' || t === 'double') return 'double';
  if (t === 'bool' || t === 'boolean') return 'boolean';
  return t;
}

/** Defaults compared by meaning: casts, parentheses, quotes and boolean spellings removed. */
function normalizeDefault(raw: string | null): string | null {
  if (raw === null || raw === undefined) return null;
  let d = String(raw).trim();
  while (/^\(.*\)$/.test(d) && !/^\(.*\)\s*\(/.test(d)) d = d.slice(1, -1).trim();
  d = d.replace(/::[a-z ]+(\(\d+\))?$/i, '');
  if (/^now\(\)$|^datetime\('now'\)$|^current_timestamp$/i.test(d)) return 'now';
  if (d === 'true') return '1';
  if (d === 'false') return '0';
  return d.replace(/^'(.*)'$/, '$1');
}

const sortedObject = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

async function sqliteSchema(ds: DataSource): Promise<Schema> {
  const q = (sql: string) => ds.query(sql) as Promise<Record<string, any>[]>;
  const schema: Schema = {};
  const tables = await q(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  for (const { name } of tables) {
    const info = await q(`PRAGMA table_info("${name}")`);
    const columns: Record<string, Column> = {};
    for (const c of info) {
      // SQLite lets a PRIMARY KEY column hold NULL unless it is declared NOT NULL; only an INTEGER
      // PRIMARY KEY (the rowid) never can.
      const rowid = c.pk === 1 && info.filter((x) => x.pk > 0).length === 1 && /^integer$/i.test(c.type);
      columns[c.name] = { type: normalizeType(c.type), nullable: c.notnull === 0 && !rowid, default: normalizeDefault(c.dflt_value) };
    }
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name as string);
    const indexes: string[] = [];
    for (const idx of await q(`PRAGMA index_list("${name}")`)) {
      if (idx.origin === 'pk') continue;
      const cols = (await q(`PRAGMA index_info("${idx.name}")`)).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
      indexes.push(`${idx.unique ? 'UNIQUE' : 'INDEX'} (${cols.join(', ')})`);
    }
    const fks = new Map<number, { table: string; from: string[]; to: string[]; onDelete: string }>();
    for (const fk of (await q(`PRAGMA foreign_key_list("${name}")`)).sort((a, b) => a.id - b.id || a.seq - b.seq)) {
      const e = fks.get(fk.id) ?? { table: fk.table as string, from: [] as string[], to: [] as string[], onDelete: fk.on_delete as string };
      e.from.push(fk.from);
      e.to.push(fk.to);
      fks.set(fk.id, e);
    }
    schema[name] = {
      columns: sortedObject(columns),
      primaryKey,
      indexes: indexes.sort(),
      foreignKeys: [...fks.values()].map((f) => `(${f.from.join(', ')}) → ${f.table}(${f.to.join(', ')}) ON DELETE ${f.onDelete}`).sort(),
    };
  }
  return schema;
}

const PG_ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function postgresSchema(ds: DataSource): Promise<Schema> {
  const q = (sql: string, p: unknown[] = []) => ds.query(sql, p) as Promise<Record<string, any>[]>;
  const schema: Schema = {};
  const tables = await q(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  for (const { name } of tables) {
    const columns: Record<string, Column> = {};
    const cols = await q(
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1`,
      [name],
    );
    // PRIMARY KEY columns, in key order.
    const pk = await q(
      `SELECT a.attname AS name FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE t.relname = $1 AND t.relnamespace = 'public'::regnamespace AND i.indisprimary ORDER BY k.ord`,
      [name],
    );
    const primaryKey = pk.map((r) => r.name as string);
    for (const c of cols) {
      // A serial key's sequence default is SQLite's INTEGER PRIMARY KEY AUTOINCREMENT: not a default.
      const def = /^nextval\(/.test(c.column_default ?? '') ? null : normalizeDefault(c.column_default);
      columns[c.column_name] = {
        type: normalizeType(c.data_type, c.character_maximum_length),
        nullable: c.is_nullable === 'YES',
        default: def,
      };
    }
    const idx = await q(
      `SELECT ic.relname AS index, i.indisunique AS unique, array_agg(a.attname ORDER BY k.ord) AS cols
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE t.relname = $1 AND t.relnamespace = 'public'::regnamespace AND NOT i.indisprimary
       GROUP BY ic.relname, i.indisunique`,
      [name],
    );
    const fks = await q(
      `SELECT c.confrelid::regclass::text AS table, c.confdeltype AS on_delete,
         (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS from,
         (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS to
       FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = $1::regclass`,
      [`public."${name}"`],
    );
    const arr = (v: string[] | string): string[] =>
      Array.isArray(v)
        ? v
        : String(v)
            .replace(/^\{|\}$/g, '')
            .split(',');
    schema[name] = {
      columns: sortedObject(columns),
      primaryKey,
      indexes: idx.map((i) => `${i.unique ? 'UNIQUE' : 'INDEX'} (${arr(i.cols).join(', ')})`).sort(),
      foreignKeys: fks
        .map((f) => `(${arr(f.from).join(', ')}) → ${f.table}(${arr(f.to).join(', ')}) ON DELETE ${PG_ON_DELETE[f.on_delete]}`)
        .sort(),
    };
  }
  return schema;
}

const schemaOf = (ds: DataSource) => (ds.options.type === 'postgres' ? postgresSchema(ds) : sqliteSchema(ds));

/** TypeORM's own bookkeeping table differs by driver (bigint timestamp, unbounded name) and is not ours. */
const withoutBookkeeping = (s: Schema): Schema => Object.fromEntries(Object.entries(s).filter(([t]) => t !== 'migrations'));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A fresh database with every migration applied, and its schema. */
async function migrated(base?: string): Promise<{ ds: DataSource; schema: Schema }> {
  const { url, cleanup } = await freshDatabaseUrl(base);
  cleanups.push(cleanup);
  const ds = createDataSource(url);
  await ds.initialize();
  cleanups.push(async () => {
    if (ds.isInitialized) await ds.destroy();
  });
  const ran = await ds.runMigrations({ transaction: 'each' });
  expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name.replace(/^class /, '')));
  return { ds, schema: withoutBookkeeping(await schemaOf(ds)) };
}

/** Every down() (newest first) leaves no table of ours; up() again rebuilds the same schema. */
async function expectDownThenUp(ds: DataSource, schema: Schema): Promise<void> {
  for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
  expect(Object.keys(withoutBookkeeping(await schemaOf(ds)))).toEqual([]);
  expect(Number((await ds.query(`SELECT COUNT(*) AS n FROM migrations`))[0].n)).toBe(0);
  expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
  expect(withoutBookkeeping(await schemaOf(ds))).toEqual(schema);
}

describe('migrations on SQLite', () => {
  it('build the schema the entities expect, and down() then up() rebuilds it', async () => {
    const { ds, schema } = await migrated();
    expect(Object.keys(schema)).toEqual(
      expect.arrayContaining(['workspace', 'api_key', 'competitor', 'snapshot', 'product', 'sales_day', 'alert', 'outbox', 'forecast_run']),
    );
    expect(schema.snapshot.indexes).toContain('UNIQUE (competitor_id, captured_at)');
    expect(schema.snapshot.columns.deal_starts_at).toEqual({ type: 'timestamp', nullable: true, default: null });
    await expectDownThenUp(ds, schema);
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('migrations on SQLite and PostgreSQL (TEST_DATABASE_URL)', () => {
  it('are identical in effect: same tables, columns, types, nullability, defaults, keys and indexes', async () => {
    const [lite, pg] = [await migrated(), await migrated(url)];
    expect(Object.keys(pg.schema)).toEqual(Object.keys(lite.schema));
    for (const table of Object.keys(lite.schema)) expect(pg.schema[table], table).toEqual(lite.schema[table]);
  });

  it('down() then up() works on PostgreSQL and rebuilds the same schema', async () => {
    const { ds, schema } = await migrated(url);
    await expectDownThenUp(ds, schema);
  });
});
