import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columns } from '../migration-helpers';

/**
 * Sales signals of real exports: the marketplace's "bought in past month" (Keepa `monthlySold`, Helium 10
 * "Recent Purchases") and a third-party monthly sales estimate (Helium 10 "ASIN Sales"). See docs/import.md.
 */
export class MonthlySales1765100000000 implements MigrationInterface {
  name = 'MonthlySales1765100000000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.addColumns('snapshot', [new TableColumn(c.int('monthly_sold')), new TableColumn(c.int('est_monthly_sales'))]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('snapshot', 'est_monthly_sales');
    await qr.dropColumn('snapshot', 'monthly_sold');
  }
}
