import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { log } from '../../http/log';
import { OutboxEntry, Webhook, WebhookDelivery } from './webhook.entity';
import { SIGNATURE_HEADER, sign } from './webhook.service';

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
 * with several server processes each row goes to exactly one), POSTs the signed body, records
 * every attempt, and retries failures with exponential backoff. At-least-once: a process that dies
 * mid-delivery leaves a lease that expires, and the row is sent again with the same event id.
 */
export class WebhookDispatcher {
  readonly workerId: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly o: Required<Omit<DispatcherOptions, 'workerId' | 'onDelivery'>> & Pick<DispatcherOptions, 'onDelivery'>;

  constructor(
    private readonly db: Db,
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
    if (!claimed.length) return 0;
    const hooks = new Map(
      (await this.db.manager.find(Webhook, { where: { id: In([...new Set(claimed.map((c) => c.webhookId))]) } })).map((h) => [h.id, h]),
    );
    await Promise.all(claimed.map((row) => this.deliver(row, hooks.get(row.webhookId))));
    return claimed.length;
  }

  private claim(now: Date): Promise<OutboxEntry[]> {
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
      if (!rows.length) return rows;
      const lockedUntil = new Date(now.getTime() + this.o.leaseMs);
      await m.update(OutboxEntry, { id: In(rows.map((r) => r.id)) }, { lockedBy: this.workerId, lockedUntil });
      return rows;
    });
  }

  private async deliver(row: OutboxEntry, hook: Webhook | undefined): Promise<void> {
    const attempt = row.attempts + 1;
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!hook) error = 'webhook deleted';
    else {
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'RestockRadar-Webhook/1',
            [SIGNATURE_HEADER]: sign(hook.secret, row.payload),
            'X-RestockRadar-Event-Id': row.eventId,
            'X-RestockRadar-Attempt': String(attempt),
          },
          body: row.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        statusCode = res.status;
        await res.body?.cancel();
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (e) {
        error =
          (e as Error).name === 'TimeoutError'
            ? `no response within ${this.o.timeoutMs} ms`
            : String((e as Error).message ?? e).slice(0, 500);
      }
    }
    const ok = error === null;
    const delivery = await this.db.write(async (m) => {
      const d = m.create(WebhookDelivery, {
        workspaceId: row.workspaceId,
        webhookId: row.webhookId,
        outboxId: row.id,
        eventId: row.eventId,
        attempt,
        attemptedAt: new Date(started),
        statusCode,
        ok,
        error,
        durationMs: Date.now() - started,
      });
      if (hook) await m.insert(WebhookDelivery, d);
      const done = ok || attempt >= this.o.maxAttempts || !hook;
      await m.update(
        OutboxEntry,
        { id: row.id, lockedBy: this.workerId },
        {
          attempts: attempt,
          status: ok ? 'DELIVERED' : done ? 'FAILED' : 'PENDING',
          deliveredAt: ok ? new Date() : null,
          nextAttemptAt: done ? row.nextAttemptAt : new Date(Date.now() + this.o.backoffMs(attempt)),
          lockedBy: null,
          lockedUntil: null,
        },
      );
      return d;
    });
    if (!ok) log('warn', 'webhook delivery failed', { webhookId: row.webhookId, eventId: row.eventId, attempt, error });
    this.o.onDelivery?.(delivery);
  }
}
