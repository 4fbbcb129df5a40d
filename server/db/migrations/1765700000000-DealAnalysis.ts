import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columns } from '../migration-helpers';

/**
 * The analysed deal of a deal episode (server/modules/facts/episodes.facts.ts): core/deals/stored.ts
 * StoredDeal as JSON (`analysis`), made from the readings up to `analysed_to_at`, so `activeDeal`
 * finishes it per request instead of detecting over the readings; `analysis_key` a digest of its
 * input (readings and context), so maintenance re-analyses only an episode whose input changed.
 */
export class DealAnalysis1765700000000 implements MigrationInterface {
  name = 'DealAnalysis1765700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('deal_episode', new TableColumn({ name: 'analysis', type: 'text', isNullable: true }));
    await qr.addColumn('deal_episode', new TableColumn(columns(qr).date('analysed_to_at', true)));
    await qr.addColumn('deal_episode', new TableColumn(columns(qr).text('analysis_key', 64, true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('deal_episode', 'analysis_key');
    await qr.dropColumn('deal_episode', 'analysed_to_at');
    await qr.dropColumn('deal_episode', 'analysis');
  }
}
