import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ALERT_KINDS, type AlertLevel, levelRank } from '../../../core/alerts';
import type { Db } from '../../db/db';
import { isInt, isText, keysetPage, type Page, type PageArgs } from '../../graphql/connection';
import { badInput, notFound } from '../../graphql/errors';
import type { AlertEvent } from '../../graphql/pubsub';
import * as v from '../../graphql/validate';
import { OutboxEntry, Webhook, WebhookDelivery } from './webhook.entity';
import type { RegisterWebhookInput } from './webhook.inputs';
import { newSecret } from './webhook.signing';
import type { WebhookTargets } from './webhook.targets';

/** Grace period of the previous secret after a rotation: default 24 h, at most 30 days. */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ROTATION_GRACE_HOURS = 30 * 24;

/** The JSON body of a delivery, documented for receivers: `{id kind level alert{…} createdAt}` plus the event type. */
export function deliveryBody(e: AlertEvent): string {
  const a = e.alert;
  return JSON.stringify({
    id: e.id,
    event: e.type,
    kind: a.kind,
    level: a.level,
    alert: {
      id: a.id,
      kind: a.kind,
      level: a.level,
      status: a.status,
      subjectType: a.subjectType,
      subjectId: a.subjectId,
      subjectLabel: a.subjectLabel,
      title: a.title,
      message: a.message,
      openedAt: a.openedAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      explanation: a.explanationData,
    },
    createdAt: e.createdAt.toISOString(),
  });
}

export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly targets: WebhookTargets,
  ) {}

  /**
   * The target URL, checked: http(s), no credentials, and a host that resolves to public
   * addresses only (or is on the operator's allowlist). An unresolvable host gets the same answer
   * as a private one, so registration cannot probe which internal names exist.
   */
  private async targetUrl(raw: string): Promise<URL> {
    const url = v.text('input.url', raw, { max: 2000 });
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badInput('input.url', `is not a URL: "${url.slice(0, 80)}"`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badInput('input.url', 'must be an http(s) URL');
    if (parsed.username || parsed.password) throw badInput('input.url', 'must not carry credentials');
    try {
      await this.targets.check(parsed);
    } catch {
      throw badInput(
        'input.url',
        'must name a host that resolves to public addresses only (loopback, private, link-local, multicast, reserved and cloud-metadata addresses are refused)',
      );
    }
    return parsed;
  }

  async register(workspaceId: string, input: RegisterWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const parsed = await this.targetUrl(input.url);
    const kinds = [...new Set(input.kinds ?? [])];
    for (const [i, k] of kinds.entries()) if (!ALERT_KINDS.includes(k)) throw badInput(`input.kinds[${i}]`, `unknown alert kind ${k}`);
    const secret = newSecret();
    return this.db.write(async (m) => {
      const webhook = m.create(Webhook, {
        id: randomUUID(),
        workspaceId,
        url: parsed.toString(),
        secret,
        kinds,
        minLevel: input.minLevel ?? 'YELLOW',
        active: true,
        previousSecret: null,
        previousSecretExpiresAt: null,
      });
      await m.insert(Webhook, webhook);
      return { webhook: await m.findOneByOrFail(Webhook, { id: webhook.id }), secret };
    });
  }

  list(workspaceId: string, args: PageArgs): Promise<Page<Webhook>> {
    const base = () => this.db.manager.createQueryBuilder(Webhook, 'w').where('w.workspaceId = :ws', { ws: workspaceId });
    return keysetPage('webhooks', args, base, [{ column: 'w.id', dir: 'ASC', value: (w) => w.id, check: isText }]);
  }

  async get(workspaceId: string, id: string): Promise<Webhook> {
    const w = await this.db.manager.findOne(Webhook, { where: { workspaceId, id } });
    if (!w) throw notFound('Webhook', id);
    return w;
  }

  /**
   * A new secret for a webhook; the current one stays valid for `graceHours` (deliveries carry a
   * signature with each), so the receiver can switch without losing a delivery.
   */
  rotateSecret(workspaceId: string, id: string, graceHours: number | null | undefined): Promise<{ webhook: Webhook; secret: string }> {
    // A duration on the system timer, like the dispatcher's comparison with it (not the business clock).
    const now = new Date();
    const hours = v.finite('graceHours', graceHours ?? DEFAULT_ROTATION_GRACE_HOURS, { min: 0, max: MAX_ROTATION_GRACE_HOURS });
    v.id('id', id);
    return this.db.write(async (m) => {
      const w = await m.findOne(Webhook, { where: { workspaceId, id } });
      if (!w) throw notFound('Webhook', id);
      const secret = newSecret();
      const expires = hours > 0 ? new Date(now.getTime() + hours * 3_600_000) : null;
      await m.update(Webhook, { id }, { secret, previousSecret: expires ? w.secret : null, previousSecretExpiresAt: expires });
      return { webhook: await m.findOneByOrFail(Webhook, { id }), secret };
    });
  }

  /** Stops deliveries; pending outbox rows are dropped with it (cascade). */
  remove(workspaceId: string, id: string): Promise<boolean> {
    return this.db.write(async (m) => {
      const w = await m.findOne(Webhook, { where: { workspaceId, id } });
      if (!w) throw notFound('Webhook', id);
      await m.delete(Webhook, { id });
      return true;
    });
  }

  async deliveries(workspaceId: string, webhookId: string, args: PageArgs): Promise<Page<WebhookDelivery>> {
    await this.get(workspaceId, webhookId);
    const base = () =>
      this.db.manager
        .createQueryBuilder(WebhookDelivery, 'd')
        .where('d.workspaceId = :ws AND d.webhookId = :id', { ws: workspaceId, id: webhookId });
    return keysetPage('webhookDeliveries', args, base, [{ column: 'd.id', dir: 'DESC', value: (d) => d.id, check: isInt }]);
  }

  /**
   * Queues `event` for every matching webhook of its workspace, inside the caller's transaction:
   * the delivery commits (or rolls back) together with the alert change it reports.
   */
  async enqueue(m: EntityManager, event: AlertEvent): Promise<number> {
    const hooks = await m.find(Webhook, { where: { workspaceId: event.workspaceId, active: true } });
    const matching = hooks.filter(
      (h) =>
        (h.kinds.length === 0 || h.kinds.includes(event.alert.kind)) && levelRank(event.alert.level) >= levelRank(h.minLevel as AlertLevel),
    );
    if (!matching.length) return 0;
    const payload = deliveryBody(event);
    await m.insert(
      OutboxEntry,
      matching.map((h) => ({
        workspaceId: event.workspaceId,
        webhookId: h.id,
        eventId: event.id,
        alertId: event.alert.id,
        payload,
        status: 'PENDING' as const,
        attempts: 0,
        nextAttemptAt: event.createdAt,
        lockedUntil: null,
        lockedBy: null,
        deliveredAt: null,
      })),
    );
    return matching.length;
  }
}
