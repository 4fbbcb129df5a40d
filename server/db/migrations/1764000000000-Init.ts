import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

/** Column helpers so one migration produces the same schema on SQLite and PostgreSQL. */
export function dialect(qr: QueryRunner) {
  const pg = qr.connection.options.type === 'postgres';
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

export class Init1764000000000 implements MigrationInterface {
  name = 'Init1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = dialect(qr);
    await qr.createTable(
      new Table({
        name: 'workspace',
        columns: [{ ...d.uuid('id'), isPrimary: true }, d.text('name', 100), d.createdAt()],
        indices: [{ columnNames: ['name'], isUnique: true }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'api_key',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('hash', 64),
          d.text('prefix', 16),
          d.text('label', 100, false, ''),
          d.createdAt(),
          d.date('revoked_at', true),
        ],
        foreignKeys: [
          { columnNames: ['workspace_id'], referencedTableName: 'workspace', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [{ columnNames: ['hash'], isUnique: true }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'competitor',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('asin', 40),
          d.text('marketplace', 8),
          d.text('title', 500, true),
          d.text('brand', 200, true),
          d.text('tier', 12),
          d.createdAt(),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [
          { columnNames: ['workspace_id'], referencedTableName: 'workspace', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [{ columnNames: ['workspace_id', 'marketplace', 'asin'], isUnique: true }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'snapshot',
        columns: [
          d.serial('id'),
          d.uuid('competitor_id'),
          d.date('captured_at'),
          d.int('stock'),
          d.bool('stock_is_lower_bound', false),
          d.int('price_cents'),
          d.int('list_price_cents'),
          d.text('deal_type', 20, false, 'NONE'),
          d.int('deal_quantity'),
          d.float('deal_claimed_percent'),
          d.date('deal_ends_at', true),
          d.int('bsr'),
          d.float('rating'),
          d.int('review_count'),
          d.int('offer_count'),
          d.text('source', 40, true),
          d.createdAt('ingested_at'),
        ],
        foreignKeys: [
          { columnNames: ['competitor_id'], referencedTableName: 'competitor', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await qr.createIndex('snapshot', new TableIndex({ columnNames: ['competitor_id', 'captured_at'], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['snapshot', 'competitor', 'api_key', 'workspace']) await qr.dropTable(t);
  }
}
