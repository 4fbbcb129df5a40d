import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { dialect } from './1764000000000-Init';

/** Alerts, their rules and evaluator state, webhooks, the delivery outbox and the delivery log. */
export class Alerts1764400000000 implements MigrationInterface {
  name = 'Alerts1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = dialect(qr);
    const ws = { columnNames: ['workspace_id'], referencedTableName: 'workspace', referencedColumnNames: ['id'], onDelete: 'CASCADE' };
    await qr.createTable(
      new Table({
        name: 'alert_rule',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('name', 200),
          d.text('kind', 40),
          d.text('subject_type', 20, true),
          d.text('subject_id', 64, true),
          { name: 'params', type: 'text', isNullable: false },
          d.bool('enabled', true),
          d.createdAt(),
        ],
        foreignKeys: [ws],
        indices: [{ columnNames: ['workspace_id', 'kind'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'alert',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('kind', 40),
          d.text('level', 10),
          d.text('status', 20),
          d.text('subject_type', 20),
          d.text('subject_id', 64),
          d.text('subject_label', 300, true),
          d.text('title', 300),
          { name: 'message', type: 'text', isNullable: false },
          { name: 'explanation', type: 'text', isNullable: true },
          d.text('cause', 30, true),
          { name: 'note', type: 'text', isNullable: true },
          d.date('opened_at'),
          d.date('updated_at'),
          d.date('acknowledged_at', true),
          d.date('resolved_at', true),
        ],
        foreignKeys: [ws],
        indices: [
          { columnNames: ['workspace_id', 'status', 'opened_at'] },
          { columnNames: ['workspace_id', 'subject_type', 'subject_id', 'kind'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'alert_state',
        columns: [
          d.uuid('workspace_id'),
          d.text('subject_type', 20),
          d.text('subject_id', 64),
          d.text('kind', 40),
          { name: 'state', type: 'text', isNullable: false },
          d.date('updated_at'),
        ],
        foreignKeys: [ws],
      }),
    );
    await qr.createPrimaryKey('alert_state', ['workspace_id', 'subject_type', 'subject_id', 'kind']);
    await qr.createTable(
      new Table({
        name: 'webhook',
        columns: [
          { ...d.uuid('id'), isPrimary: true },
          d.uuid('workspace_id'),
          d.text('url', 2000),
          d.text('secret', 100),
          { name: 'kinds', type: 'text', isNullable: false },
          d.text('min_level', 10),
          d.bool('active', true),
          d.createdAt(),
        ],
        foreignKeys: [ws],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'outbox',
        columns: [
          d.serial('id'),
          d.uuid('workspace_id'),
          d.uuid('webhook_id'),
          d.uuid('event_id'),
          d.uuid('alert_id'),
          { name: 'payload', type: 'text', isNullable: false },
          d.text('status', 12),
          d.int('attempts', false),
          d.date('next_attempt_at'),
          d.date('locked_until', true),
          d.text('locked_by', 64, true),
          d.createdAt(),
          d.date('delivered_at', true),
        ],
        foreignKeys: [
          ws,
          { columnNames: ['webhook_id'], referencedTableName: 'webhook', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
    await qr.createIndex('outbox', new TableIndex({ columnNames: ['status', 'next_attempt_at'] }));
    await qr.createTable(
      new Table({
        name: 'webhook_delivery',
        columns: [
          d.serial('id'),
          d.uuid('workspace_id'),
          d.uuid('webhook_id'),
          { name: 'outbox_id', type: 'integer', isNullable: false },
          d.uuid('event_id'),
          d.int('attempt', false),
          d.date('attempted_at'),
          d.int('status_code'),
          d.bool('ok', false),
          d.text('error', 500, true),
          d.int('duration_ms', false),
        ],
        foreignKeys: [
          ws,
          { columnNames: ['webhook_id'], referencedTableName: 'webhook', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [{ columnNames: ['webhook_id', 'attempted_at'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['webhook_delivery', 'outbox', 'webhook', 'alert_state', 'alert', 'alert_rule']) await qr.dropTable(t);
  }
}
