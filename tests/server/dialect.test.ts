/**
 * server/db/dialect.ts, the one place raw SQL differs between SQLite and PostgreSQL: placeholders
 * are numbered in binding order, values are converted the way each database stores them, and a
 * datetime read back from a raw row is the instant that was bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSqliteDatetime } from '../../server/db/columns';
import { chunks, hourKeyStart, insertSql, readTime, readTimeOrNull, sqlDialect, SqlParams } from '../../server/db/dialect';

const sqlite = sqlDialect('sqlite');
const postgres = sqlDialect('postgres');

describe('SqlParams', () => {
  it('numbers PostgreSQL placeholders in binding order and keeps SQLite positional', () => {
    const pg = new SqlParams(postgres);
    expect(`IN (${pg.list(['a', 'b'])}) AND x = ${pg.add(3)} VALUES ${pg.tuple([4, 5])}`).toBe('IN ($1, $2) AND x = $3 VALUES ($4, $5)');
    expect(pg.values).toEqual(['a', 'b', 3, 4, 5]);
    const lite = new SqlParams(sqlite);
    expect(`IN (${lite.list(['a', 'b'])}) AND x = ${lite.add(3)}`).toBe('IN (?, ?) AND x = ?');
  });

  it('binds Dates as TypeORM text and booleans as 1/0 on SQLite, unchanged on PostgreSQL', () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    const lite = new SqlParams(sqlite);
    lite.list([at, true, false, null, 'x', 7]);
    expect(lite.values).toEqual(['2026-01-02 03:04:05.006', 1, 0, null, 'x', 7]);
    const pg = new SqlParams(postgres);
    pg.list([at, true, null]);
    expect(pg.values).toEqual([at, true, null]);
  });
});

describe('readTime', () => {
  it('reads back the instant bound on either database', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (t) => {
        expect(readTime(sqlite.value(new Date(t)) as string)).toBe(t);
        expect(readTime(postgres.value(new Date(t)) as Date)).toBe(t);
        expect(toSqliteDatetime(new Date(t))).toBe(sqlite.value(new Date(t)));
      }),
    );
    expect(readTimeOrNull(null)).toBeNull();
  });

  it('parses an hour key to the start of its UTC hour', () => {
    expect(hourKeyStart('2026-03-04 05')).toBe(Date.UTC(2026, 2, 4, 5));
    expect(sqlite.utcHourKey('captured_at')).toBe('substr(captured_at, 1, 13)');
  });
});

describe('insertSql and chunks', () => {
  it('spells INSERT … ON CONFLICT DO NOTHING / DO UPDATE with RETURNING', () => {
    const spec = { table: 't', columns: ['a', 'b'], conflict: ['a'] };
    expect(insertSql(spec, ['(?, ?)'])).toBe('INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO NOTHING');
    expect(insertSql({ ...spec, update: ['b'], returning: 'a' }, ['($1, $2)', '($3, $4)'])).toBe(
      'INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING a',
    );
  });

  it('slices a list into consecutive chunks', () => {
    expect([...chunks([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunks([], 3)]).toEqual([]);
  });
});
