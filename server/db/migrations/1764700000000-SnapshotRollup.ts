import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Snapshot retention (server/modules/retention): an old UTC hour of raw readings is rolled up in
 * place into its last reading plus the hour's min/max stock and price and the number of readings.
 * Every column is null on raw rows. The partial index holds only rolled-up rows, so the ingest
 * guard ("no raw row into a rolled-up hour") is a seek that finds nothing for fresh data.
 */
export class SnapshotRollup1764700000000 implements MigrationInterface {
  name = 'SnapshotRollup1764700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('snapshot', [
      new TableColumn({ name: 'stock_min', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'stock_min_is_lower_bound', type: 'boolean', isNullable: true }),
      new TableColumn({ name: 'stock_max', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'stock_max_is_lower_bound', type: 'boolean', isNullable: true }),
      new TableColumn({ name: 'price_min_cents', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'price_max_cents', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'sample_count', type: 'integer', isNullable: true }),
    ]);
    await qr.createIndex(
      'snapshot',
      new TableIndex({ name: 'IDX_snapshot_rollup', columnNames: ['competitor_id', 'captured_at'], where: 'sample_count IS NOT NULL' }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('snapshot', 'IDX_snapshot_rollup');
    for (const c of [
      'sample_count',
      'price_max_cents',
      'price_min_cents',
      'stock_max_is_lower_bound',
      'stock_max',
      'stock_min_is_lower_bound',
      'stock_min',
    ]) {
      await qr.dropColumn('snapshot', c);
    }
  }
}
