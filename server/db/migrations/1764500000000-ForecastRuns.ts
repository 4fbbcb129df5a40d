import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/** Stored forecast runs (one per subject per day) for forecast-vs-actual reporting. */
export class ForecastRuns1764500000000 implements MigrationInterface {
  name = 'ForecastRuns1764500000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(
      new Table({
        name: 'forecast_run',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('subject_type', 20),
          d.uuid('subject_id'),
          d.date('run_day'),
          d.date('created_at'),
          d.text('model', 100),
          { ...d.int('horizon'), isNullable: false },
          d.text('granularity', 8),
          d.date('origin_at'),
          { ...d.int('period'), isNullable: false },
          d.float('mase_scale'),
          { name: 'accuracy', type: 'text', isNullable: true },
          { name: 'points', type: 'text', isNullable: false },
        ],
        foreignKeys: [fk('workspace_id', 'workspace')],
        indices: [{ columnNames: ['workspace_id', 'subject_type', 'subject_id', 'run_day'], isUnique: true }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('forecast_run');
  }
}
