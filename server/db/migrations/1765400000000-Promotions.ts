import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/**
 * The seller's own promotions (server/modules/promotion): one row per promotion period of a product
 * (lightning deal, coupon, price discount, other), its first and last day (UTC midnights, inclusive),
 * the discount in percent and the units offered when known. Whether it is planned, running or past
 * follows from the days and today, so it is not stored.
 */
export class Promotions1765400000000 implements MigrationInterface {
  name = 'Promotions1765400000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(
      new Table({
        name: 'promotion',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.uuid('product_id'),
          d.text('type', 20),
          d.date('start_day'),
          d.date('end_day'),
          d.float('discount_pct'),
          d.int('quantity'),
          d.text('note', 200, true),
          d.createdAt(),
          d.createdAt('updated_at'),
        ],
        foreignKeys: [fk('workspace_id', 'workspace'), fk('product_id', 'product')],
        indices: [
          { name: 'IDX_promotion_workspace_start', columnNames: ['workspace_id', 'start_day', 'id'] },
          { name: 'IDX_promotion_product_start', columnNames: ['product_id', 'start_day'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('promotion');
  }
}
