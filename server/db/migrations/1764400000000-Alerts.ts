import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { type Columns, columns, fk } from '../migration-helpers';

/** Alert rules: a kind, an optional subject, JSON parameters. */
function alertRuleTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace')],
    indices: [{ columnNames: ['workspace_id', 'kind'] }],
  });
}

/** Alerts with their lifecycle times. */
function alertTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace')],
    indices: [
      { columnNames: ['workspace_id', 'status', 'opened_at'] },
      { columnNames: ['workspace_id', 'subject_type', 'subject_id', 'kind'] },
    ],
  });
}

/** The evaluator's state per (subject, kind), as JSON; the primary key is added after creation. */
function alertStateTable(d: Columns): Table {
  return new Table({
    name: 'alert_state',
    columns: [
      d.uuid('workspace_id'),
      d.text('subject_type', 20),
      d.text('subject_id', 64),
      d.text('kind', 40),
      { name: 'state', type: 'text', isNullable: false },
      d.date('updated_at'),
    ],
    foreignKeys: [fk('workspace_id', 'workspace')],
  });
}

/** Webhook subscriptions. */
function webhookTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace')],
  });
}

/** The delivery outbox: one row per (event, webhook), leased by the dispatcher while it sends. */
function outboxTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace'), fk('webhook_id', 'webhook')],
  });
}

/** One row per delivery attempt. */
function deliveryTable(d: Columns): Table {
  return new Table({
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
    foreignKeys: [fk('workspace_id', 'workspace'), fk('webhook_id', 'webhook')],
    indices: [{ columnNames: ['webhook_id', 'attempted_at'] }],
  });
}

/** Alerts, their rules and evaluator state, webhooks, the delivery outbox and the delivery log. */
export class Alerts1764400000000 implements MigrationInterface {
  name = 'Alerts1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.createTable(alertRuleTable(d));
    await qr.createTable(alertTable(d));
    await qr.createTable(alertStateTable(d));
    await qr.createPrimaryKey('alert_state', ['workspace_id', 'subject_type', 'subject_id', 'kind']);
    await qr.createTable(webhookTable(d));
    await qr.createTable(outboxTable(d));
    await qr.createIndex('outbox', new TableIndex({ columnNames: ['status', 'next_attempt_at'] }));
    await qr.createTable(deliveryTable(d));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['webhook_delivery', 'outbox', 'webhook', 'alert_state', 'alert', 'alert_rule']) await qr.dropTable(t);
  }
}
