import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columns } from '../migration-helpers';

/** When an announced deal starts: a reading with deal_starts_at in the future shows an UPCOMING deal. */
export class DealStartsAt1764600000000 implements MigrationInterface {
  name = 'DealStartsAt1764600000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('snapshot', new TableColumn(columns(qr).date('deal_starts_at', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('snapshot', 'deal_starts_at');
  }
}
