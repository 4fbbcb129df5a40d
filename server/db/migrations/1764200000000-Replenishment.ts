import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { dialect } from './1764000000000-Init';

/**
 * Own SKUs, their suppliers, daily sales, purchase orders and saved profitability scenarios
 * (issue 5). Same schema on SQLite and PostgreSQL through the Init column helpers.
 */
export class Replenishment1764200000000 implements MigrationInterface {
  name = 'Replenishment1764200000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = dialect(qr);
    const workspaceFk = {
      columnNames: ['workspace_id'],
      referencedTableName: 'workspace',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    await qr.createTable(
      new Table({
        name: 'supplier',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('name', 200),
          // Lower-cased, trimmed name: makes "Acme" and "acme " the same supplier.
          d.text('name_key', 200),
          { ...d.float('procurement_mean', false) },
          { ...d.float('procurement_sd', false) },
          { ...d.float('shipping_mean', false) },
          { ...d.float('shipping_sd', false) },
          { ...d.float('inbound_mean', false) },
          { ...d.float('inbound_sd', false) },
          d.float('max_lead_time_days'),
          { ...d.float('on_time_rate', false), default: 1 },
          d.float('late_delay_days'),
          { ...d.int('order_cost_cents', false), default: 0 },
          d.createdAt(),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [workspaceFk],
        indices: [{ columnNames: ['workspace_id', 'name_key'], isUnique: true }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'supplier_price_tier',
        columns: [d.serial('id'), d.uuid('supplier_id'), d.int('min_quantity', false), d.int('unit_cost_cents', false)],
        foreignKeys: [
          { columnNames: ['supplier_id'], referencedTableName: 'supplier', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [{ columnNames: ['supplier_id', 'min_quantity'], isUnique: true }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'product',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('sku', 64),
          d.text('name', 500),
          d.int('unit_cost_cents', false),
          d.int('price_cents', false),
          d.text('abc_class', 1, false, 'B'),
          { ...d.int('on_hand', false), default: 0 },
          { ...d.int('moq', false), default: 0 },
          { ...d.int('case_pack', false), default: 1 },
          d.int('storage_limit'),
          d.uuid('supplier_id', true),
          d.createdAt(),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [
          workspaceFk,
          { columnNames: ['supplier_id'], referencedTableName: 'supplier', referencedColumnNames: ['id'], onDelete: 'SET NULL' },
        ],
        indices: [{ columnNames: ['workspace_id', 'sku'], isUnique: true }],
      }),
    );
    await qr.createIndex('product', new TableIndex({ columnNames: ['supplier_id'] }));
    await qr.createTable(
      new Table({
        name: 'sales_day',
        columns: [
          d.serial('id'),
          d.uuid('product_id'),
          // The calendar day, stored as its UTC midnight.
          d.date('sale_date'),
          d.int('units', false),
          d.bool('in_stock', true),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [{ columnNames: ['product_id'], referencedTableName: 'product', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await qr.createIndex('sales_day', new TableIndex({ columnNames: ['product_id', 'sale_date'], isUnique: true }));
    await qr.createTable(
      new Table({
        name: 'purchase_order',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.uuid('product_id'),
          d.uuid('supplier_id', true),
          d.int('quantity', false),
          d.date('expected_at'),
          d.text('status', 12, false, 'OPEN'),
          d.text('reference', 100, true),
          d.int('received_quantity'),
          d.date('received_at', true),
          d.date('cancelled_at', true),
          d.createdAt(),
        ],
        foreignKeys: [
          workspaceFk,
          { columnNames: ['product_id'], referencedTableName: 'product', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['supplier_id'], referencedTableName: 'supplier', referencedColumnNames: ['id'], onDelete: 'SET NULL' },
        ],
      }),
    );
    await qr.createIndex('purchase_order', new TableIndex({ columnNames: ['product_id', 'status', 'expected_at'] }));
    await qr.createIndex('purchase_order', new TableIndex({ columnNames: ['workspace_id', 'created_at'] }));
    await qr.createTable(
      new Table({
        name: 'profitability_scenario',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('name', 200),
          d.text('name_key', 200),
          // The scenario input as JSON text (portable; it is only ever read whole).
          { name: 'input', type: 'text', isNullable: false },
          d.createdAt(),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [workspaceFk],
        indices: [{ columnNames: ['workspace_id', 'name_key'], isUnique: true }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['profitability_scenario', 'purchase_order', 'sales_day', 'product', 'supplier_price_tier', 'supplier'])
      await qr.dropTable(t);
  }
}
