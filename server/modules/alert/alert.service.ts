import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CAUSE_LABELS, levelRank } from '../../../core/alerts';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import type { EventBus } from '../../events';
import { instantKey, isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput, notFound } from '../../graphql/errors';
import { ALERT_EVENT, type AlertEvent, pubSub } from '../../graphql/pubsub';
import * as v from '../../graphql/validate';
import { Alert } from './alert.entity';
import type { AcknowledgeArgs, AlertChange, AlertsArgs } from './alert.inputs';

/** Where committed alert events are queued for delivery, inside the alert's own transaction (the webhook outbox). */
export interface AlertOutbox {
  enqueue(m: EntityManager, event: AlertEvent): Promise<unknown>;
}

export class AlertService {
  /**
   * Publishes `alert.acknowledged` and `alert.resolved` (user feedback the evaluator learns from) and
   * `alerts.committed` (the webhook dispatcher delivers at once instead of at its next poll).
   */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly outbox: AlertOutbox,
  ) {}

  list(workspaceId: string, args: AlertsArgs): Promise<Page<Alert>> {
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(Alert, 'a').where('a.workspaceId = :ws', { ws: workspaceId });
      if (args.status) qb.andWhere('a.status = :status', { status: args.status });
      if (args.level) qb.andWhere('a.level = :level', { level: args.level });
      if (args.kind) qb.andWhere('a.kind = :kind', { kind: args.kind });
      if (args.subjectType) qb.andWhere('a.subjectType = :st', { st: args.subjectType });
      if (args.subjectId) qb.andWhere('a.subjectId = :sid', { sid: args.subjectId });
      return qb;
    };
    return keysetPage('alerts', args, base, [
      instantKey('a.openedAt', 'DESC', (a) => a.openedAt),
      { column: 'a.id', dir: 'DESC', value: (a) => a.id, check: isText },
    ]);
  }

  async get(workspaceId: string, id: string): Promise<Alert | null> {
    return this.db.manager.findOne(Alert, { where: { workspaceId, id } });
  }

  async acknowledge(workspaceId: string, args: AcknowledgeArgs): Promise<Alert> {
    if (!CAUSE_LABELS.includes(args.cause)) throw badInput('cause', `must be one of ${CAUSE_LABELS.join(', ')}`);
    const note = v.optionalText('note', args.note, { max: 2000 });
    const saved = await this.db.write(async (m) => {
      const a = await m.findOne(Alert, { where: { workspaceId, id: args.id } });
      if (!a) throw notFound('Alert', args.id);
      // A resolved alert keeps its status and is only labelled: an event that opened and resolved in
      // one evaluation (a restock seen after the fact) still needs its cause for the feedback.
      Object.assign(a, {
        status: a.status === 'RESOLVED' ? 'RESOLVED' : 'ACKNOWLEDGED',
        cause: args.cause,
        note,
        acknowledgedAt: new Date(this.clock.now()),
        updatedAt: new Date(this.clock.now()),
      });
      return m.save(a);
    });
    await this.events.publish('alert.acknowledged', { workspaceId, alert: saved });
    return saved;
  }

  async resolve(workspaceId: string, id: string): Promise<Alert> {
    const existing = await this.get(workspaceId, id);
    if (!existing) throw notFound('Alert', id);
    if (existing.status === 'RESOLVED') return existing;
    const [event] = await this.apply(workspaceId, [
      { ...existing, action: 'RESOLVE', explanation: existing.explanationData, at: new Date(this.clock.now()) },
    ]);
    if (event) await this.events.publish('alert.resolved', { workspaceId, alert: event.alert });
    return event?.alert ?? existing;
  }

  /**
   * Applies evaluator decisions in one transaction: one open alert per (subject, kind) — a raise
   * on an open alert escalates it when the level is higher and otherwise only refreshes it. Each
   * change that matters becomes an event, queued for webhooks in the same transaction and
   * published to subscribers after commit.
   */
  async apply(workspaceId: string, changes: AlertChange[]): Promise<AlertEvent[]> {
    if (!changes.length) return [];
    const events = await this.db.write(async (m) => {
      const out: AlertEvent[] = [];
      for (const c of changes) {
        const e = await this.applyOne(m, workspaceId, c);
        if (e) {
          await this.outbox.enqueue(m, e);
          out.push(e);
        }
      }
      return out;
    });
    for (const e of events) pubSub.publish(ALERT_EVENT, e);
    if (events.length) await this.events.publish('alerts.committed', { workspaceId, events });
    return events;
  }

  private async applyOne(m: EntityManager, workspaceId: string, c: AlertChange): Promise<AlertEvent | null> {
    const open = await m
      .createQueryBuilder(Alert, 'a')
      .where('a.workspaceId = :ws AND a.subjectType = :st AND a.subjectId = :sid AND a.kind = :kind', {
        ws: workspaceId,
        st: c.subjectType,
        sid: c.subjectId,
        kind: c.kind,
      })
      .andWhere("a.status <> 'RESOLVED'")
      .getOne();
    const event = (type: AlertEvent['type'], alert: Alert): AlertEvent => ({ id: randomUUID(), type, workspaceId, alert, createdAt: c.at });
    if (c.action === 'RESOLVE') {
      if (!open) return null;
      Object.assign(open, { status: 'RESOLVED', resolvedAt: c.at, updatedAt: c.at });
      return event('RESOLVED', await m.save(open));
    }
    if (!open) {
      const alert = m.create(Alert, {
        id: randomUUID(),
        workspaceId,
        kind: c.kind,
        level: c.level,
        status: 'OPEN',
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        subjectLabel: c.subjectLabel,
        title: c.title,
        message: c.message,
        explanationData: c.explanation,
        cause: null,
        note: null,
        openedAt: c.at,
        updatedAt: c.at,
        acknowledgedAt: null,
        resolvedAt: null,
      });
      return event('RAISED', await m.save(alert));
    }
    const escalates = levelRank(c.level) > levelRank(open.level);
    Object.assign(open, { title: c.title, message: c.message, explanationData: c.explanation, updatedAt: c.at });
    if (escalates) open.level = c.level;
    const saved = await m.save(open);
    return escalates ? event('ESCALATED', saved) : null;
  }
}
