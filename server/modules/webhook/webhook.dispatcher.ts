import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { log } from '../../http/log';
import { OutboxEntry, Webhook, WebhookDelivery } from './webhook.entity';
import { signingHeaders } from './webhook.signing';
import type { WebhookTargets } from './webhook.targets';
import { errorFailure, postOnce, statusFailure, type WebhookFailure } from './webhook.transport';

export interface DispatcherOptions {
  /** Identifies this process in outbox leases. */
  workerId?: string;
  pollMs?: number;
  /** A claimed row is re-claimable after this long (the process died mid-delivery). */
  leaseMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  batch?: number;
  /** Delay before retry n (1-based). Default: 2^(n−1) s, capped at 15 min, ±20 % jitter. */
  backoffMs?: (attempt: number) => number;
  onDelivery?: (d: WebhookDelivery) => void;
}

const defaultBackoff = (attempt: number) => Math.min(15 * 60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + 0.4 * Math.random());

/**
 * Delivers the outbox: claims due rows under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so
 * with several server processes each row goes to exactly one), records the attempt, POSTs the
 * signed body to a checked address (webhook.targets.ts), records the outcome as a failure class,
 * and retries failures with exponential backoff. At-least-once: a process that dies mid-delivery
 * leaves a lease that expires, and the row is sent again with the same event id as the next attempt.
 */
export class WebhookDispatcher {
  readonly workerId: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly o: Required<Omit<DispatcherOptions, 'workerId' | 'onDelivery'>> & Pick<DispatcherOptions, 'onDelivery'>;

  constructor(
    private readonly db: Db,
    private readonly targets: WebhookTargets,
    opts: DispatcherOptions = {},
  ) {
    this.workerId = opts.workerId ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.o = {
      pollMs: opts.pollMs ?? 1000,
      leaseMs: opts.leaseMs ?? 30_000,
      maxAttempts: opts.maxAttempts ?? 8,
      timeoutMs: opts.timeoutMs ?? 10_000,
      batch: opts.batch ?? 20,
      backoffMs: opts.backoffMs ?? defaultBackoff,
      onDelivery: opts.onDelivery,
    };
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.o.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /** Runs a pass now (e.g. right after an alert commit) unless one is in progress. */
  nudge(): void {
    if (this.stopped) return;
    this.running ??= this.runOnce()
      .then(() => undefined)
      .catch((e) => log('error', 'webhook dispatch failed', { error: String(e) }))
      .finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: claim due rows and deliver them. Returns how many were attempted. */
  async runOnce(now = new Date()): Promise<number> {
    const claimed = await this.claim(now);
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  /**
   * Claims due rows under a lease and records each attempt before anything is sent: the row's
   * attempt count goes up and a delivery row (INTERRUPTED until the outcome replaces it) is
   * written in the same transaction, so an attempt cut short by a crash stays in the log and the
   * retry after the lease expires carries the next number.
   */
  private claim(now: Date): Promise<Claimed[]> {
    return this.db.write(async (m) => {
      const qb = m
        .createQueryBuilder(OutboxEntry, 'o')
        .where("o.status = 'PENDING'")
        .andWhere('o.nextAttemptAt <= :now', { now })
        .andWhere('(o.lockedUntil IS NULL OR o.lockedUntil < :now)', { now })
        .orderBy('o.id', 'ASC')
        .limit(this.o.batch);
      // Concurrent dispatchers skip each other's claimed rows.
      const rows = await this.db.claimLock(qb).getMany();
      if (!rows.length) return [];
      const lockedUntil = new Date(now.getTime() + this.o.leaseMs);
      const hooks = new Map(
        (await m.find(Webhook, { where: { id: In([...new Set(rows.map((r) => r.webhookId))]) } })).map((h) => [h.id, h]),
      );
      const claimed: Claimed[] = [];
      for (const row of rows) {
        const attempt = row.attempts + 1;
        await m.update(OutboxEntry, { id: row.id }, { lockedBy: this.workerId, lockedUntil, attempts: attempt });
        const hook = hooks.get(row.webhookId);
        let delivery: WebhookDelivery | null = null;
        if (hook) {
          delivery = m.create(WebhookDelivery, {
            workspaceId: row.workspaceId,
            webhookId: row.webhookId,
            outboxId: row.id,
            eventId: row.eventId,
            attempt,
            attemptedAt: new Date(),
            statusCode: null,
            ok: false,
            error: 'INTERRUPTED' satisfies WebhookFailure,
            durationMs: 0,
          });
          await m.insert(WebhookDelivery, delivery);
        }
        claimed.push({ row, hook, delivery, attempt });
      }
      return claimed;
    });
  }

  /** Sends one claimed attempt and records its outcome (a failure class, never the receiver's answer). */
  private async deliver({ row, hook, delivery, attempt }: Claimed): Promise<void> {
    const started = Date.now();
    const { statusCode, failure } = hook ? await this.send(hook, row, attempt) : { statusCode: null, failure: 'WEBHOOK_DELETED' as const };
    const ok = failure === null;
    const outcome = { statusCode, ok, error: failure, durationMs: Date.now() - started };
    await this.db.write(async (m) => {
      if (delivery) await m.update(WebhookDelivery, { id: delivery.id }, outcome);
      const done = ok || attempt >= this.o.maxAttempts || !hook;
      await m.update(
        OutboxEntry,
        { id: row.id, lockedBy: this.workerId },
        {
          status: ok ? 'DELIVERED' : done ? 'FAILED' : 'PENDING',
          deliveredAt: ok ? new Date() : null,
          nextAttemptAt: done ? row.nextAttemptAt : new Date(Date.now() + this.o.backoffMs(attempt)),
          lockedBy: null,
          lockedUntil: null,
        },
      );
    });
    if (!ok) log('warn', 'webhook delivery failed', { webhookId: row.webhookId, eventId: row.eventId, attempt, failure });
    if (delivery) this.o.onDelivery?.(Object.assign(delivery, outcome));
  }

  /** One POST, signed with every valid secret (Standard Webhooks headers plus the deprecated one). */
  private async send(
    hook: Webhook,
    row: OutboxEntry,
    attempt: number,
  ): Promise<{ statusCode: number | null; failure: WebhookFailure | null }> {
    const secrets = [hook.secret];
    if (hook.previousSecret && hook.previousSecretExpiresAt && hook.previousSecretExpiresAt.getTime() > Date.now())
      secrets.push(hook.previousSecret);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'RestockRadar-Webhook/1',
      ...signingHeaders(secrets, row.eventId, new Date(), row.payload),
      'X-RestockRadar-Event-Id': row.eventId,
      'X-RestockRadar-Attempt': String(attempt),
    };
    try {
      const status = await postOnce(this.targets, new URL(hook.url), headers, row.payload, this.o.timeoutMs);
      return { statusCode: status, failure: statusFailure(status) };
    } catch (e) {
      return { statusCode: null, failure: errorFailure(e) };
    }
  }
}

/** A claimed outbox row with its webhook (undefined when deleted) and the attempt's delivery row. */
interface Claimed {
  row: OutboxEntry;
  hook: Webhook | undefined;
  delivery: WebhookDelivery | null;
  attempt: number;
}
