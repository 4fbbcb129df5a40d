import { createHash } from 'node:crypto';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dialect } from './1764000000000-Init';

/**
 * Own-SKU ledgers for reconciliation (BRIEF §11): warehouse stock movements, order-system sales,
 * own-listing stock readings. Workspaces that already have alert rules get the default
 * RECONCILIATION_MISMATCH rule (new workspaces get it with the other defaults on first use).
 */
export class Ledger1764800000000 implements MigrationInterface {
  name = 'Ledger1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = dialect(qr);
    const product = { columnNames: ['product_id'], referencedTableName: 'product', referencedColumnNames: ['id'], onDelete: 'CASCADE' };
    await qr.createTable(
      new Table({
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
        foreignKeys: [product],
        indices: [{ columnNames: ['product_id', 'dedupe_key'], isUnique: true }, { columnNames: ['product_id', 'at'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'order_sale',
        columns: [
          d.serial('id'),
          d.uuid('product_id'),
          d.text('order_id', 100),
          d.date('at'),
          { ...d.int('units'), isNullable: false },
          d.createdAt('ingested_at'),
        ],
        foreignKeys: [product],
        indices: [{ columnNames: ['product_id', 'order_id'], isUnique: true }, { columnNames: ['product_id', 'at'] }],
      }),
    );
    await qr.createTable(
      new Table({
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
        foreignKeys: [product],
        indices: [{ columnNames: ['product_id', 'at'], isUnique: true }],
      }),
    );

    // The default rule for workspaces seeded before this kind was evaluated (same id formula as
    // AlertRuleService.ensureDefaults, so a concurrent seeding inserts the same row).
    const pg = qr.connection.options.type === 'postgres';
    const p = (i: number) => (pg ? `$${i}` : '?');
    const seeded: { workspace_id: string }[] = await qr.query(
      `SELECT DISTINCT workspace_id FROM alert_rule WHERE workspace_id NOT IN (SELECT workspace_id FROM alert_rule WHERE kind = 'RECONCILIATION_MISMATCH')`,
    );
    const params = JSON.stringify({
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
    for (const { workspace_id: ws } of seeded) {
      const h = createHash('sha1').update(`default-rule|${ws}|RECONCILIATION_MISMATCH`).digest('hex');
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
      await qr.query(
        `INSERT INTO alert_rule (id, workspace_id, name, kind, subject_type, subject_id, params, enabled) VALUES (${[1, 2, 3, 4].map(p).join(', ')}, NULL, NULL, ${p(5)}, ${pg ? 'true' : '1'})`,
        [id, ws, 'Own SKU ledger mismatch', 'RECONCILIATION_MISMATCH', params],
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM alert_rule WHERE kind = 'RECONCILIATION_MISMATCH'`);
    await qr.dropTable('stock_reading');
    await qr.dropTable('order_sale');
    await qr.dropTable('stock_movement');
  }
}
