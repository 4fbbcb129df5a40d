/**
 * Alert storage and delivery: the alert lifecycle over HTTP, signed webhooks to a real local
 * receiver (retries, restarts, leases), and the graphql-ws subscription. Alerts are raised through
 * AlertService.apply, the entry point the evaluator uses.
 */
import { createHmac } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { createApp } from '../../server/http/app';
import type { AlertChange } from '../../server/modules/alert/alert.inputs';
import { WebhookDispatcher } from '../../server/modules/webhook/webhook.dispatcher';
import { OutboxEntry } from '../../server/modules/webhook/webhook.entity';
import { WebhookTargets } from '../../server/modules/webhook/webhook.targets';
import { receiver, until } from '../helpers/receiver';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const change = (over: Partial<AlertChange> = {}): AlertChange => ({
  action: 'RAISE',
  kind: 'COMPETITOR_RESTOCK',
  level: 'YELLOW',
  subjectType: 'COMPETITOR',
  subjectId: 'c-1',
  subjectLabel: 'B0TEST — Board',
  title: 'Competitor restocked',
  message: '+400 units at 10:00',
  explanation: { formula: 'restock', inputs: { quantity: 400 }, steps: [], notes: [] },
  at: new Date('2026-11-20T10:00:00Z'),
  ...over,
});

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id secret webhook { id url kinds minLevel active } } }`;

describeDatabase('alerts, webhooks and subscriptions', (databaseUrl) => {
  let s: TestServer;
  let wsId: string;
  beforeAll(async () => {
    // The receivers listen on loopback: the operator allowlist lets deliveries reach them.
    s = await startTestServer({
      databaseUrl,
      env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' },
      dispatcher: { pollMs: 25, backoffMs: () => 30 },
    });
    wsId = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
  });
  afterAll(async () => s?.stop());

  describe('alert lifecycle', () => {
    it('keeps one open alert per subject and kind, escalating instead of duplicating', async () => {
      const [raised] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'life-1' })]);
      expect(raised.type).toBe('RAISED');
      expect(await s.app.services.alerts.apply(wsId, [change({ subjectId: 'life-1' })])).toEqual([]);
      const [esc] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'life-1', level: 'RED', message: 'now red' })]);
      expect(esc).toMatchObject({ type: 'ESCALATED', alert: { id: raised.alert.id, level: 'RED', message: 'now red' } });
      const list = await gqlOk(
        s.url,
        s.apiKey,
        `{ alerts(subjectId: "life-1") { totalCount edges { node { id level status explanation { formula text } } } } }`,
      );
      expect(list.alerts.totalCount).toBe(1);
      expect(list.alerts.edges[0].node).toMatchObject({ level: 'RED', status: 'OPEN', explanation: { formula: 'restock' } });
    });

    it('acknowledges with a cause, resolves, and a later breach opens a new alert', async () => {
      const [e] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'life-2' })]);
      const ack = await gqlOk(
        s.url,
        s.apiKey,
        `mutation($id: ID!) { acknowledgeAlert(id: $id, cause: DATA_ERROR, note: "scraper glitch") { status cause note acknowledgedAt } }`,
        { id: e.alert.id },
      );
      expect(ack.acknowledgeAlert).toMatchObject({ status: 'ACKNOWLEDGED', cause: 'DATA_ERROR', note: 'scraper glitch' });
      const res = await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { resolveAlert(id: $id) { status resolvedAt } }`, { id: e.alert.id });
      expect(res.resolveAlert.status).toBe('RESOLVED');
      // A resolved alert can still be labelled (the cause feeds the thresholds); it stays RESOLVED.
      const again = await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { acknowledgeAlert(id: $id, cause: OTHER) { status cause } }`, {
        id: e.alert.id,
      });
      expect(again.acknowledgeAlert).toEqual({ status: 'RESOLVED', cause: 'OTHER' });
      const [next] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'life-2' })]);
      expect(next.type).toBe('RAISED');
      expect(next.alert.id).not.toBe(e.alert.id);
    });

    it('filters, pages newest first, and hides other workspaces', async () => {
      const r = await gqlOk(
        s.url,
        s.apiKey,
        `{ alerts(status: OPEN, first: 1) { totalCount edges { node { subjectId } } pageInfo { hasNextPage endCursor } } }`,
      );
      expect(r.alerts.totalCount).toBeGreaterThanOrEqual(2);
      expect(r.alerts.pageInfo.hasNextPage).toBe(true);
      const other = await s.newKey('alerts-other');
      const [e] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'private' })]);
      expect((await gqlOk(s.url, other, `{ alerts { totalCount } }`)).alerts.totalCount).toBe(0);
      expect((await gqlOk(s.url, other, `query($id: ID!) { alert(id: $id) { id } }`, { id: e.alert.id })).alert).toBeNull();
      const ack = await gql(s.url, other, `mutation($id: ID!) { acknowledgeAlert(id: $id, cause: OTHER) { id } }`, { id: e.alert.id });
      expect(ack.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('signed webhooks', () => {
    let r: Awaited<ReturnType<typeof receiver>>;
    afterEach(async () => r?.close());

    it('delivers a POST whose signature verifies with the secret shown once', async () => {
      r = await receiver();
      const reg = await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url, kinds: ['COMPETITOR_STOCKOUT'], minLevel: 'ORANGE' } });
      const { secret, id } = reg.registerWebhook;
      expect(secret).toMatch(/^whsec_/);
      const listed = await gql(s.url, s.apiKey, `{ webhooks { edges { node { id secret } } } }`);
      expect(listed.errors?.[0].message).toMatch(/Cannot query field "secret"/);

      await s.app.services.alerts.apply(wsId, [change({ subjectId: 'wh-1', kind: 'COMPETITOR_STOCKOUT', level: 'YELLOW' })]); // below minLevel
      await s.app.services.alerts.apply(wsId, [change({ subjectId: 'wh-1b', kind: 'COMPETITOR_RESTOCK', level: 'RED' })]); // other kind
      const [e] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'wh-2', kind: 'COMPETITOR_STOCKOUT', level: 'RED' })]);
      await until(() => r.got.length >= 1);
      await new Promise((res) => setTimeout(res, 150));
      expect(r.got).toHaveLength(1);
      const [{ body, headers }] = r.got;
      expect(headers['x-restockradar-signature']).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      expect(headers['x-restockradar-event-id']).toBe(e.id);
      expect(JSON.parse(body)).toMatchObject({
        id: e.id,
        event: 'RAISED',
        kind: 'COMPETITOR_STOCKOUT',
        level: 'RED',
        alert: { id: e.alert.id, subjectId: 'wh-2' },
      });
      await until(
        async () =>
          // The attempt is listed from the moment it is claimed; wait for its outcome.
          (await gqlOk(s.url, s.apiKey, `query($id: ID!) { webhookDeliveries(webhookId: $id) { edges { node { ok } } } }`, { id }))
            .webhookDeliveries.edges[0]?.node.ok === true,
      );
      const d = await gqlOk(
        s.url,
        s.apiKey,
        `query($id: ID!) { webhookDeliveries(webhookId: $id) { edges { node { eventId attempt ok statusCode } } } }`,
        { id },
      );
      expect(d.webhookDeliveries.edges[0].node).toEqual({ eventId: e.id, attempt: 1, ok: true, statusCode: 200 });
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    });

    it('retries after failures with the same event id and records every attempt', async () => {
      r = await receiver((n) => (n <= 2 ? 500 : 200));
      const { id } = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url } })).registerWebhook;
      const [e] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'wh-retry' })]);
      await until(() => r.got.length >= 3);
      expect(new Set(r.got.map((g) => JSON.parse(g.body).id))).toEqual(new Set([e.id]));
      expect(r.got.map((g) => g.headers['x-restockradar-attempt'])).toEqual(['1', '2', '3']);
      await until(
        async () =>
          (await gqlOk(s.url, s.apiKey, `query($id: ID!) { webhookDeliveries(webhookId: $id) { edges { node { ok } } } }`, { id }))
            .webhookDeliveries.edges[0]?.node.ok === true,
      );
      const d = await gqlOk(
        s.url,
        s.apiKey,
        `query($id: ID!) { webhookDeliveries(webhookId: $id) { edges { node { attempt ok statusCode failure } } } }`,
        { id },
      );
      expect(d.webhookDeliveries.edges.map((x: any) => x.node)).toEqual([
        { attempt: 3, ok: true, statusCode: 200, failure: null },
        { attempt: 2, ok: false, statusCode: 500, failure: 'HTTP_5XX' },
        { attempt: 1, ok: false, statusCode: 500, failure: 'HTTP_5XX' },
      ]);
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    });

    it('rejects bad webhook input naming the field', async () => {
      for (const [input, field] of [
        [{ url: 'ftp://example.com/x' }, 'input.url'],
        [{ url: 'not a url' }, 'input.url'],
        [{ url: 'https://user:pw@example.com/' }, 'input.url'],
      ] as const) {
        const res = await gql(s.url, s.apiKey, REGISTER, { input });
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });
  });

  describe('crash safety', () => {
    it('delivers after a restart what was committed but not sent, and re-sends a delivery whose process died holding the lease', async () => {
      const r = await receiver();
      const { id } = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url, kinds: ['DATA_STALE'] } })).registerWebhook;
      // Process A commits alerts but stops before delivering (its dispatcher is stopped = a crash).
      await s.app.dispatcher.stop();
      const events = await s.app.services.alerts.apply(wsId, [
        change({ kind: 'DATA_STALE', subjectId: 'crash-1' }),
        change({ kind: 'DATA_STALE', subjectId: 'crash-2' }),
      ]);
      // A dies holding the lease of crash-1's delivery.
      const dying = new WebhookDispatcher(s.db, new WebhookTargets(['127.0.0.1']), { workerId: 'dying', leaseMs: 200 });
      const claimed = await (dying as unknown as { claim(now: Date): Promise<OutboxEntry[]> }).claim(new Date());
      expect(claimed.length).toBeGreaterThanOrEqual(1);
      // Process B starts on the same database.
      const db2 = await Db.open(s.databaseUrl);
      const app2 = await createApp(
        db2,
        loadConfig({ ...process.env, RESTOCK_RADAR_QUIET: '1', RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' }),
        { dispatcher: { pollMs: 25 } },
      );
      try {
        await until(() => new Set(r.got.map((g) => JSON.parse(g.body).id)).size === 2);
        expect(new Set(r.got.map((g) => JSON.parse(g.body).id))).toEqual(new Set(events.map((e) => e.id)));
        // The receiver answers before the dispatcher records the outcome: wait for the outbox to drain.
        await until(async () => (await db2.manager.count(OutboxEntry, { where: { webhookId: id, status: 'PENDING' } })) === 0);
        expect(await db2.manager.count(OutboxEntry, { where: { webhookId: id, status: 'DELIVERED' } })).toBe(2);
      } finally {
        await app2.close();
        await db2.close();
        await r.close();
        s.app.dispatcher.start();
      }
    });
  });

  describe('alertRaised subscription (graphql-ws)', () => {
    const subscribe = (key: string, query: string) => {
      const client = createClient({
        url: s.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
        lazy: false,
      });
      const got: any[] = [];
      const errors: unknown[] = [];
      let ready!: () => void;
      const started = new Promise<void>((res) => (ready = res));
      client.on('connected', () => setTimeout(ready, 50));
      const stop = client.subscribe({ query }, { next: (v) => got.push(v), error: (e) => errors.push(e), complete: () => {} });
      return { got, errors, started, close: async () => (stop(), await client.dispose()) };
    };

    it("pushes this workspace's alert events, filtered, and nothing of other workspaces", async () => {
      const other = await s.newKey('sub-other');
      const mine = subscribe(s.apiKey, `subscription { alertRaised(minLevel: ORANGE) { id type alert { subjectId level } } }`);
      const theirs = subscribe(other, `subscription { alertRaised { id } }`);
      await Promise.all([mine.started, theirs.started]);
      await s.app.services.alerts.apply(wsId, [change({ subjectId: 'sub-1', level: 'YELLOW' })]);
      const [e] = await s.app.services.alerts.apply(wsId, [change({ subjectId: 'sub-2', level: 'ORANGE' })]);
      await until(() => mine.got.length >= 1);
      await new Promise((res) => setTimeout(res, 100));
      expect(mine.got).toEqual([{ data: { alertRaised: { id: e.id, type: 'RAISED', alert: { subjectId: 'sub-2', level: 'ORANGE' } } } }]);
      expect(theirs.got).toEqual([]);
      await mine.close();
      await theirs.close();
    });

    it('refuses a connection without a valid key', async () => {
      const bad = subscribe('rr_wrong', `subscription { alertRaised { id } }`);
      await until(() => bad.errors.length > 0, 5000);
      await bad.close();
    });
  });
});
