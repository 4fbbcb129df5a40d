import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/**
 * Restock events and stockout windows kept at ingest (server/modules/facts/restocks.facts.ts):
 * `restock_event` one row per restock (core/restock/detect.ts) with where its draft opened and its
 * last activity (the maintenance restarts from them) and the event as JSON; `stockout_window` one
 * row per out-of-stock run (core/restock/stockout.ts) before the duration filter, with its first 0,
 * start, end (null while open), the reading of the restock that ended it, its closed duration and
 * the window with its baseline as JSON. `rules` the version of the rules that made the row.
 */
export class RestockFacts1765500000000 implements MigrationInterface {
  name = 'RestockFacts1765500000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(
      new Table({
        name: 'restock_event',
        columns: [
          d.serial('id'),
          d.uuid('competitor_id'),
          d.date('at'),
          d.date('opened_at'),
          d.date('last_activity_at'),
          d.text('kind', 12),
          d.float('confidence', false),
          { name: 'event', type: 'text', isNullable: false },
          d.int('rules', false),
        ],
        foreignKeys: [fk('competitor_id', 'competitor')],
        indices: [
          { name: 'IDX_restock_event_at', columnNames: ['competitor_id', 'at'], isUnique: true },
          { name: 'IDX_restock_event_activity', columnNames: ['competitor_id', 'last_activity_at'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stockout_window',
        columns: [
          d.serial('id'),
          d.uuid('competitor_id'),
          d.date('first_zero_at'),
          d.date('start_at'),
          d.date('end_at', true),
          d.date('end_reading_at', true),
          d.float('duration_h', true),
          { name: 'fact', type: 'text', isNullable: false },
          d.int('rules', false),
        ],
        foreignKeys: [fk('competitor_id', 'competitor')],
        indices: [
          { name: 'IDX_stockout_window_first_zero', columnNames: ['competitor_id', 'first_zero_at'], isUnique: true },
          { name: 'IDX_stockout_window_start', columnNames: ['competitor_id', 'start_at'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('stockout_window');
    await qr.dropTable('restock_event');
  }
}
