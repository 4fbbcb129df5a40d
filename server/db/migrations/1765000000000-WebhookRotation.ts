import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columns } from '../migration-helpers';

/** Webhook secret rotation: the previous secret stays valid (deliveries signed with both) until its expiry. */
export class WebhookRotation1765000000000 implements MigrationInterface {
  name = 'WebhookRotation1765000000000';

  async up(qr: QueryRunner): Promise<void> {
    const d = columns(qr);
    await qr.addColumns('webhook', [
      new TableColumn(d.text('previous_secret', 100, true)),
      new TableColumn(d.date('previous_secret_expires_at', true)),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('webhook', 'previous_secret_expires_at');
    await qr.dropColumn('webhook', 'previous_secret');
  }
}
