import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk } from '../migration-helpers';

export class Init1764000000000 implements MigrationInterface {
  name = 'Init1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
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
        foreignKeys: [fk('workspace_id', 'workspace')],
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
        foreignKeys: [fk('workspace_id', 'workspace')],
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
        foreignKeys: [fk('competitor_id', 'competitor')],
      }),
    );
    await qr.createIndex('snapshot', new TableIndex({ columnNames: ['competitor_id', 'captured_at'], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['snapshot', 'competitor', 'api_key', 'workspace']) await qr.dropTable(t);
  }
}
