import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columns, fk } from '../migration-helpers';

/** One row per workspace whose alert evaluation is under way in some process (server/modules/alert-eval/alert.lease.ts). */
export class AlertEvalLease1764900000000 implements MigrationInterface {
  name = 'AlertEvalLease1764900000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(
      new Table({
        name: 'alert_eval_lease',
        columns: [
          { ...d.uuid('workspace_id'), isPrimary: true },
          d.text('holder', 80),
          // Epoch milliseconds: compared in SQL the same way on both databases.
          { name: 'expires_at', type: 'bigint', isNullable: false },
        ],
        foreignKeys: [fk('workspace_id', 'workspace')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('alert_eval_lease');
  }
}
