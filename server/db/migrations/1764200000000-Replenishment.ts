import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { type Columns, columns, fk } from '../migration-helpers';

/** Suppliers: lead-time components (mean and sd), reliability, order cost; name unique per workspace. */
function supplierTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace')],
    indices: [{ columnNames: ['workspace_id', 'name_key'], isUnique: true }],
  });
}

/** A supplier's all-units price tiers, one per minimum quantity. */
function priceTierTable(d: Columns): Table {
  return new Table({
    name: 'supplier_price_tier',
    columns: [d.serial('id'), d.uuid('supplier_id'), d.int('min_quantity', false), d.int('unit_cost_cents', false)],
    foreignKeys: [fk('supplier_id', 'supplier')],
    indices: [{ columnNames: ['supplier_id', 'min_quantity'], isUnique: true }],
  });
}

/** Own SKUs; SKU unique per workspace. */
function productTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace'), fk('supplier_id', 'supplier', 'SET NULL')],
    indices: [{ columnNames: ['workspace_id', 'sku'], isUnique: true }],
  });
}

/** Daily sales per product. */
function salesDayTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('product_id', 'product')],
  });
}

/** Purchase orders: OPEN until received or cancelled. */
function purchaseOrderTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace'), fk('product_id', 'product'), fk('supplier_id', 'supplier', 'SET NULL')],
  });
}

/** Saved profitability scenarios; name unique per workspace. */
function scenarioTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace')],
    indices: [{ columnNames: ['workspace_id', 'name_key'], isUnique: true }],
  });
}

/**
 * Own SKUs, their suppliers, daily sales, purchase orders and saved profitability scenarios
 * (issue 5). Same schema on SQLite and PostgreSQL through the shared column helpers.
 */
export class Replenishment1764200000000 implements MigrationInterface {
  name = 'Replenishment1764200000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(supplierTable(d));
    await qr.createTable(priceTierTable(d));
    await qr.createTable(productTable(d));
    await qr.createIndex('product', new TableIndex({ columnNames: ['supplier_id'] }));
    await qr.createTable(salesDayTable(d));
    await qr.createIndex('sales_day', new TableIndex({ columnNames: ['product_id', 'sale_date'], isUnique: true }));
    await qr.createTable(purchaseOrderTable(d));
    await qr.createIndex('purchase_order', new TableIndex({ columnNames: ['product_id', 'status', 'expected_at'] }));
    await qr.createIndex('purchase_order', new TableIndex({ columnNames: ['workspace_id', 'created_at'] }));
    await qr.createTable(scenarioTable(d));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['profitability_scenario', 'purchase_order', 'sales_day', 'product', 'supplier_price_tier', 'supplier'])
      await qr.dropTable(t);
  }
}
