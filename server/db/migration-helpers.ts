/**
 * Helpers the migrations share, so one migration produces the same schema on SQLite and
 * PostgreSQL. Migrations import from here, never from each other. Changing what a helper returns
 * changes the schema of databases created afterwards only: keep existing helpers as they are and
 * add new ones instead (tests/server/migrations.test.ts compares both databases).
 */
import type { QueryRunner, TableColumnOptions, TableForeignKeyOptions } from 'typeorm';
import { type SqlDialect, sqlDialect } from './dialect';

/** The dialect a migration runs on. */
export function sqlDialectOf(qr: QueryRunner): SqlDialect {
  return sqlDialect(qr.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
}

/** Column builders: the portable column types of the schema. */
export function columns(qr: QueryRunner) {
  const pg = sqlDialectOf(qr).name === 'postgres';
  return {
    uuid: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable }),
    text: (name: string, length: number, nullable = false, def?: string): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
      ...(def === undefined ? {} : { default: `'${def}'` }),
    }),
    int: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable }),
    float: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'double precision', isNullable: nullable }),
    bool: (name: string, def: boolean): TableColumnOptions => ({
      name,
      type: 'boolean',
      default: pg ? String(def) : def ? 1 : 0,
      isNullable: false,
    }),
    date: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: pg ? 'timestamptz' : 'datetime',
      isNullable: nullable,
    }),
    createdAt: (name = 'created_at'): TableColumnOptions => ({
      name,
      type: pg ? 'timestamptz' : 'datetime',
      default: pg ? 'now()' : "(datetime('now'))",
      isNullable: false,
    }),
    serial: (name: string): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
  };
}

export type Columns = ReturnType<typeof columns>;

/** A foreign key from `column` to `table`.id. */
export function fk(column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' = 'CASCADE'): TableForeignKeyOptions {
  return { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete };
}
