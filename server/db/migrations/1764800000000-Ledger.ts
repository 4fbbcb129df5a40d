import { createHash } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { SqlParams } from '../dialect';
import { type Columns, columns, fk, sqlDialectOf } from '../migration-helpers';

/** Warehouse stock movements; idempotent per (product, dedupe key). */
function stockMovementTable(d: Columns): Table {
  return new Table({
    name: 'stock_movement',
    columns: [
      d.serial('id'),
      d.uuid('product_id'),
      d.date('at'),
      { ...d.int('quantity'), isNullable: false },
      d.text('type', 12),
      d.text('reference', 100, true),
      d.text('dedupe_key', 120),
      d.createdAt('ingested_at'),
    ],
    foreignKeys: [fk('product_id', 'product')],
    indices: [{ columnNames: ['product_id', 'dedupe_key'], isUnique: true }, { columnNames: ['product_id', 'at'] }],
  });
}

/** Order-system sales; idempotent per (product, order). */
function orderSaleTable(d: Columns): Table {
  return new Table({
    name: 'order_sale',
    columns: [
      d.serial('id'),
      d.uuid('product_id'),
      d.text('order_id', 100),
      d.date('at'),
      { ...d.int('units'), isNullable: false },
      d.createdAt('ingested_at'),
    ],
    foreignKeys: [fk('product_id', 'product')],
    indices: [{ columnNames: ['product_id', 'order_id'], isUnique: true }, { columnNames: ['product_id', 'at'] }],
  });
}

/** Own-listing stock readings; one per (product, time). */
function stockReadingTable(d: Columns): Table {
  return new Table({
    name: 'stock_reading',
    columns: [
      d.serial('id'),
      d.uuid('product_id'),
      d.date('at'),
      d.int('stock'),
      d.bool('stock_is_lower_bound', false),
      d.text('source', 40, true),
      d.text('deal_type', 20, false, 'NONE'),
      d.date('deal_ends_at', true),
      d.createdAt('ingested_at'),
    ],
    foreignKeys: [fk('product_id', 'product')],
    indices: [{ columnNames: ['product_id', 'at'], isUnique: true }],
  });
}

/** The stored params of a rule with every setting at its kind's default (as AlertRuleService stores them). */
const DEFAULT_PARAMS = JSON.stringify({
  scope: { type: 'ALL', tier: null, abcClass: null },
  k: null,
  debouncePeriods: null,
  escalateAfterPeriods: null,
  selloutWithinHours: null,
  minStockoutHours: null,
  staleFactor: null,
  eventLevel: null,
  exclusions: [],
  quietHours: null,
  toleranceAbsolute: null,
  toleranceRelative: null,
  reconcileWindowHours: null,
  settleHours: null,
});

/**
 * The default RECONCILIATION_MISMATCH rule for workspaces seeded before this kind was evaluated
 * (same id formula as AlertRuleService.ensureDefaults, so a concurrent seeding inserts the same row).
 */
async function seedReconciliationRules(qr: QueryRunner): Promise<void> {
  const seeded: { workspace_id: string }[] = await qr.query(
    `SELECT DISTINCT workspace_id FROM alert_rule WHERE workspace_id NOT IN (SELECT workspace_id FROM alert_rule WHERE kind = 'RECONCILIATION_MISMATCH')`,
  );
  for (const { workspace_id: ws } of seeded) {
    const h = createHash('sha1').update(`default-rule|${ws}|RECONCILIATION_MISMATCH`).digest('hex');
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const q = new SqlParams(sqlDialectOf(qr));
    const values = q.tuple([id, ws, 'Own SKU ledger mismatch', 'RECONCILIATION_MISMATCH', null, null, DEFAULT_PARAMS, true]);
    await qr.query(
      `INSERT INTO alert_rule (id, workspace_id, name, kind, subject_type, subject_id, params, enabled) VALUES ${values}`,
      q.values,
    );
  }
}

/**
 * Own-SKU ledgers, reconciled against each other after an own deal: warehouse stock movements,
 * order-system sales and own-listing stock readings. Workspaces that already have alert rules get
 * the default RECONCILIATION_MISMATCH rule (new workspaces get it with the other defaults on first use).
 */
export class Ledger1764800000000 implements MigrationInterface {
  name = 'Ledger1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(stockMovementTable(d));
    await qr.createTable(orderSaleTable(d));
    await qr.createTable(stockReadingTable(d));
    await seedReconciliationRules(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM alert_rule WHERE kind = 'RECONCILIATION_MISMATCH'`);
    await qr.dropTable('stock_reading');
    await qr.dropTable('order_sale');
    await qr.dropTable('stock_movement');
  }
}
