import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/**
 * Deal episodes (server/modules/facts/episodes.facts.ts): one row per deal run of a competitor
 * (core/series/dealRuns.ts), kept at ingest, with what reading the run's deal needs beyond its own
 * readings: where its context slice starts (`slice_from_at`, CONTEXT_READINGS readings before the
 * run) and its pre-deal context (core/deals/context.ts) as JSON; `rules` the version of the rules
 * that made the row.
 */
export class DealEpisodes1765300000000 implements MigrationInterface {
  name = 'DealEpisodes1765300000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(
      new Table({
        name: 'deal_episode',
        columns: [
          d.serial('id'),
          d.uuid('competitor_id'),
          d.text('deal_type', 20),
          d.date('first_seen_at'),
          d.date('first_live_at', true),
          d.date('last_seen_at'),
          d.date('deal_ends_at', true),
          d.date('slice_from_at'),
          d.int('readings', false),
          { name: 'context', type: 'text', isNullable: true },
          d.int('rules', false),
        ],
        foreignKeys: [fk('competitor_id', 'competitor')],
        indices: [{ name: 'IDX_deal_episode_first_seen', columnNames: ['competitor_id', 'first_seen_at'], isUnique: true }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('deal_episode');
  }
}
