import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/**
 * Consumption facts (server/modules/facts): one row per reading with known stock that ends an
 * interval between consecutive known-stock readings, with that interval's classification
 * (core/series/intervals.ts) and running totals of velocity's sums up to and including it, so the
 * sums over any window are a difference of two rows. `run_start_at` is the start of the deal run
 * open at the reading (where incremental maintenance restarts core's deal-run scan); `rules` the
 * version of the rules that made the row.
 */
export class ConsumptionFacts1765200000000 implements MigrationInterface {
  name = 'ConsumptionFacts1765200000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    const real = (name: string) => ({ ...d.float(name, false), default: 0 });
    await qr.createTable(
      new Table({
        name: 'consumption_fact',
        columns: [
          d.serial('id'),
          d.uuid('competitor_id'),
          d.date('at'),
          d.date('start_at'),
          d.text('kind', 10),
          d.float('sold'),
          real('sold_lower'),
          d.float('sold_upper'),
          real('increase'),
          d.bool('in_deal', false),
          d.date('run_start_at', true),
          d.int('rules', false),
          ...[
            'c_units',
            'c_deal_units',
            'c_measured_h',
            'c_censored_h',
            'c_unobserved_h',
            'c_cens_lower',
            'c_cens_upper',
            'c_restock_units',
            'c_x2h',
          ].map(real),
          ...['c_unbounded', 'c_exact', 'c_claims', 'c_censored', 'c_restock', 'c_gap'].map((n) => ({ ...d.int(n, false), default: 0 })),
        ],
        foreignKeys: [fk('competitor_id', 'competitor')],
        indices: [{ name: 'IDX_consumption_fact_at', columnNames: ['competitor_id', 'at'], isUnique: true }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('consumption_fact');
  }
}
