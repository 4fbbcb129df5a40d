import { Node } from '../../graphql/node';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertKind, AlertLevel } from '../../../core/alerts/types';
import { AlertKindEnum, AlertLevelEnum } from '../alert/alert.entity';
import { WorkspaceOwned } from '../../db/workspace-owned';
import { WEBHOOK_FAILURES, type WebhookFailure, WebhookFailureEnum } from './webhook.transport';

/** A receiver of signed alert deliveries. The secret signs bodies and is never returned again. */
@ObjectType({ description: 'An HTTPS endpoint that receives signed alert deliveries.', implements: Node })
@Entity({ name: 'webhook' })
export class Webhook extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'Where deliveries are POSTed.' })
  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** `whsec_<base64 key>` (Standard Webhooks); never returned after registration or rotation. */
  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  /** The secret before the last rotation: deliveries are signed with both until previousSecretExpiresAt. */
  @Column({ name: 'previous_secret', type: 'varchar', length: 100, nullable: true })
  previousSecret!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'After a rotation, until when deliveries also carry a signature made with the previous secret; null otherwise.',
  })
  @Column({ name: 'previous_secret_expires_at', type: Date, nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Field(() => [AlertKindEnum], { description: 'Alert kinds delivered; empty = all kinds.' })
  @Column({ type: 'simple-json' })
  kinds!: AlertKind[];

  @Field(() => AlertLevelEnum, { description: 'Lowest level delivered.' })
  @Column({ name: 'min_level', type: 'varchar', length: 10 })
  minLevel!: AlertLevel;

  @Field(() => Boolean, { description: 'False: nothing is delivered to it.' })
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Field(() => Date, { description: 'When it was registered.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;
}

export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/**
 * A delivery owed to a webhook. Written in the same transaction as the alert change it reports,
 * so a crash can delay a delivery but never lose it; claimed with a lease so exactly one server
 * process sends it at a time.
 */
@Entity({ name: 'outbox' })
export class OutboxEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId!: string;

  @Column({ name: 'webhook_id', type: 'varchar', length: 36 })
  webhookId!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'alert_id', type: 'varchar', length: 36 })
  alertId!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: OutboxStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt!: Date;

  @Column({ name: 'locked_until', type: Date, nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true })
  lockedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType({ description: 'One attempt to deliver an alert event to a webhook.' })
@Entity({ name: 'webhook_delivery' })
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId!: string;

  @Field(() => ID, { description: 'The webhook attempted.' })
  @Column({ name: 'webhook_id', type: 'varchar', length: 36 })
  webhookId!: string;

  @Column({ name: 'outbox_id', type: 'integer' })
  outboxId!: number;

  @Field(() => ID, { description: 'The event id sent in the body; the same on every retry.' })
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Field(() => Int, { description: 'Attempt number for the event, 1 for the first (kept across restarts).' })
  @Column({ type: 'integer' })
  attempt!: number;

  @Field(() => Date, { description: 'When the attempt started.' })
  @Column({ name: 'attempted_at', type: Date })
  attemptedAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status of the receiver, null when no response arrived (or the attempt was refused or interrupted).',
  })
  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Field(() => Boolean, { description: 'True when the receiver answered 2xx.' })
  @Column({ type: 'boolean' })
  ok!: boolean;

  /** The failure class (WEBHOOK_FAILURES), null when the attempt succeeded. */
  @Field(() => String, {
    nullable: true,
    deprecationReason: 'Use `failure`: the same class as text.',
    description: 'The failure class as text; null when the attempt succeeded.',
  })
  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Field(() => WebhookFailureEnum, {
    nullable: true,
    description: 'Why the attempt failed, as a class; null when it succeeded. INTERRUPTED: the server stopped mid-attempt.',
  })
  get failure(): WebhookFailure | null {
    return this.ok
      ? null
      : (WEBHOOK_FAILURES as readonly string[]).includes(this.error ?? '')
        ? (this.error as WebhookFailure)
        : 'NETWORK_ERROR';
  }

  @Field(() => Int, { description: 'Milliseconds the attempt took.' })
  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;
}
