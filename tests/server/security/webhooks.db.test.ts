/**
 * Webhooks against the findings of issue 16: SSRF (a tenant pointing deliveries at the server's own
 * network, checked at registration and again at delivery, redirects not followed, failures shown
 * as classes), Standard Webhooks signatures verified with the `standardwebhooks` library, secret
 * rotation with two valid secrets, and true attempt numbers across a crash.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertChange } from '../../../server/modules/alert/alert.inputs';
import { WebhookDispatcher } from '../../../server/modules/webhook/webhook.dispatcher';
import { Webhook } from '../../../server/modules/webhook/webhook.entity';
import { WebhookTargets } from '../../../server/modules/webhook/webhook.targets';
import { describeDatabase } from '../../helpers/database';
import { gql, gqlOk } from '../../helpers/gql';
import { receiver, until } from '../../helpers/receiver';
import { startTestServer, type TestServer } from '../../helpers/server';

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id secret } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(webhookId: $id) { edges { node { attempt ok statusCode failure error } } } }`;

let subject = 0;
const change = (over: Partial<AlertChange> = {}): AlertChange => ({
  action: 'RAISE',
  kind: 'DATA_STALE',
  level: 'RED',
  subjectType: 'COMPETITOR',
  subjectId: `hook-subject-${++subject}`,
  subjectLabel: 'B0HOOK',
  title: 'Stale',
  message: 'no reading for 3 days',
  explanation: { formula: 'stale', inputs: {}, steps: [], notes: [] },
  at: new Date(),
  ...over,
});

/** A webhook row written straight to the database: what a DNS answer changed after registration looks like. */
async function plantWebhook(s: TestServer, workspaceId: string, url: string): Promise<string> {
  const id = crypto.randomUUID();
  await s.db.manager.insert(Webhook, {
    id,
    workspaceId,
    url,
    secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64'),
    kinds: [],
    minLevel: 'YELLOW',
    active: true,
    previousSecret: null,
    previousSecretExpiresAt: null,
  });
  return id;
}

describeDatabase('webhooks: SSRF, Standard Webhooks, rotation and attempts', (databaseUrl) => {
  describe('without an allowlist (the default)', () => {
    let s: TestServer;
    let wsId: string;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl, dispatcher: { pollMs: 25, backoffMs: () => 20, maxAttempts: 2, timeoutMs: 500 } });
      wsId = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
    });
    afterAll(async () => s?.stop());

    it('refuses loopback, private, link-local, multicast, unspecified and metadata targets in every spelling', async () => {
      const urls = [
        'http://127.0.0.1:8080/x',
        'http://localhost:8080/x',
        'http://LOCALHOST./x',
        'http://[::1]/x',
        'http://0x7f000001/x',
        'http://2130706433/x',
        'http://0177.0.0.1/x',
        'http://127.1/x',
        'http://[::ffff:127.0.0.1]/x',
        'http://[::ffff:7f00:1]/x',
        'http://[::ffff:a9fe:a9fe]/x',
        'http://[64:ff9b::a9fe:a9fe]/x',
        'http://[2002:7f00:1::]/x',
        'http://169.254.169.254/latest/meta-data/',
        'http://[fd00:ec2::254]/',
        'http://100.100.100.200/',
        'http://10.1.2.3/x',
        'http://172.16.0.1/x',
        'http://192.168.1.1/x',
        'http://100.64.0.1/x',
        'http://[fe80::1]/x',
        'http://[fc00::1]/x',
        'http://224.0.0.1/x',
        'http://[ff02::1]/x',
        'http://0.0.0.0/x',
        'http://[::]/x',
        'http://255.255.255.255/x',
        'https://no-such-host.invalid/x',
      ];
      for (const url of urls) {
        const r = await gql(s.url, s.apiKey, REGISTER, { input: { url } });
        expect(r.errors?.[0]?.extensions, url).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
        expect(r.errors?.[0].message).toMatch(/public addresses only/);
      }
      expect(Number((await s.db.manager.query(`SELECT COUNT(*) AS n FROM webhook`))[0].n)).toBe(0);
      // A public address literal passes (no DNS needed); deleted again so nothing is sent to it.
      const pub = await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: 'https://93.184.215.14/hook' } });
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: pub.registerWebhook.id });
    });

    it('checks again at delivery: a target that became private is never contacted, and the log shows only BLOCKED_ADDRESS', async () => {
      const r = await receiver();
      try {
        const port = new URL(r.url).port;
        const literal = await plantWebhook(s, wsId, `http://127.0.0.1:${port}/rebound`);
        const named = await plantWebhook(s, wsId, `http://localhost:${port}/rebound`);
        await s.app.services.alerts.apply(wsId, [change()]);
        for (const id of [literal, named]) {
          await until(async () => {
            const edges = (await gqlOk(s.url, s.apiKey, DELIVERIES, { id })).webhookDeliveries.edges;
            return edges.length === 2 && edges.every((e: any) => e.node.failure !== 'INTERRUPTED');
          });
          const log = (await gqlOk(s.url, s.apiKey, DELIVERIES, { id })).webhookDeliveries.edges.map((e: any) => e.node);
          expect(log).toEqual([
            { attempt: 2, ok: false, statusCode: null, failure: 'BLOCKED_ADDRESS', error: 'BLOCKED_ADDRESS' },
            { attempt: 1, ok: false, statusCode: null, failure: 'BLOCKED_ADDRESS', error: 'BLOCKED_ADDRESS' },
          ]);
        }
        expect(r.got).toEqual([]);
      } finally {
        await r.close();
      }
    });
  });

  describe('with RESTOCK_RADAR_WEBHOOK_ALLOW for on-premises receivers', () => {
    let s: TestServer;
    let wsId: string;
    let allowedHook: Awaited<ReturnType<typeof receiver>>;
    let redirectTarget: Awaited<ReturnType<typeof receiver>>;
    let slow: Server;
    let slowPort: number;
    let redirecting: Server;
    let redirectPort: number;
    beforeAll(async () => {
      allowedHook = await receiver((n) => (n === 1 ? 503 : 200));
      redirectTarget = await receiver();
      slow = createServer(() => {}); // accepts, never answers
      redirecting = createServer((_req, res) => {
        res.writeHead(302, { location: redirectTarget.url });
        res.end('moved');
      });
      for (const srv of [slow, redirecting]) await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      slowPort = (slow.address() as AddressInfo).port;
      redirectPort = (redirecting.address() as AddressInfo).port;
      const allow = [`127.0.0.1:${new URL(allowedHook.url).port}`, `127.0.0.1:${slowPort}`, `127.0.0.1:${redirectPort}`, '127.0.0.1:9'];
      s = await startTestServer({
        databaseUrl,
        env: { RESTOCK_RADAR_WEBHOOK_ALLOW: allow.join(',') },
        dispatcher: { pollMs: 25, backoffMs: () => 20, maxAttempts: 2, timeoutMs: 400 },
      });
      wsId = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
    });
    afterAll(async () => {
      await s?.stop();
      slow?.closeAllConnections();
      for (const srv of [slow, redirecting]) await new Promise((r) => srv?.close(r));
      await allowedHook?.close();
      await redirectTarget?.close();
    });

    it('allows exactly the listed host:port entries', async () => {
      const ok = await gql(s.url, s.apiKey, REGISTER, { input: { url: allowedHook.url } });
      expect(ok.errors).toBeUndefined();
      const other = await gql(s.url, s.apiKey, REGISTER, { input: { url: 'http://127.0.0.1:1/x' } });
      expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: ok.data!.registerWebhook.id });
    });

    it('logs failure classes, never the response or network details; redirects are not followed', async () => {
      const ids: Record<string, string> = {};
      for (const [name, url] of [
        ['flaky', allowedHook.url],
        ['slow', `http://127.0.0.1:${slowPort}/`],
        ['redirect', `http://127.0.0.1:${redirectPort}/`],
        ['refused', 'http://127.0.0.1:9/'],
      ]) {
        ids[name] = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url } })).registerWebhook.id;
      }
      await s.app.services.alerts.apply(wsId, [change()]);
      const log = async (id: string) => (await gqlOk(s.url, s.apiKey, DELIVERIES, { id })).webhookDeliveries.edges.map((e: any) => e.node);
      for (const id of Object.values(ids))
        await until(async () => (await log(id)).length === 2 && !(await log(id)).some((n: any) => n.failure === 'INTERRUPTED'));
      expect((await log(ids.flaky)).map((n: any) => [n.attempt, n.failure, n.statusCode])).toEqual([
        [2, null, 200],
        [1, 'HTTP_5XX', 503],
      ]);
      expect((await log(ids.slow)).map((n: any) => n.failure)).toEqual(['TIMEOUT', 'TIMEOUT']);
      expect((await log(ids.redirect)).map((n: any) => n.failure)).toEqual(['HTTP_3XX', 'HTTP_3XX']);
      expect((await log(ids.refused)).map((n: any) => n.failure)).toEqual(['CONNECTION_REFUSED', 'CONNECTION_REFUSED']);
      expect(redirectTarget.got).toEqual([]);
      for (const id of Object.values(ids)) await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    });
  });

  describe('Standard Webhooks, rotation and attempts', () => {
    let s: TestServer;
    let wsId: string;
    let r: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      r = await receiver();
      s = await startTestServer({
        databaseUrl,
        env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' },
        dispatcher: { pollMs: 25, backoffMs: () => 20 },
      });
      wsId = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
    });
    afterAll(async () => {
      await s?.stop();
      await r?.close();
    });
    const verify = (secret: string, g: { body: string; headers: Record<string, unknown> }) =>
      new StandardWebhook(secret).verify(g.body, g.headers as Record<string, string>);

    it('signs every delivery as Standard Webhooks (verified by the standardwebhooks library) and keeps the legacy header', async () => {
      const { id, secret } = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url } })).registerWebhook;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const [e] = await s.app.services.alerts.apply(wsId, [change()]);
      await until(() => r.got.length === 1);
      const g = r.got[0];
      expect(verify(secret, g)).toMatchObject({ id: e.id });
      expect(g.headers['webhook-id']).toBe(e.id);
      expect(Math.abs(Number(g.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(g.headers['x-restockradar-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      // Tampering with the body or the timestamp fails verification (replay protection).
      expect(() => verify(secret, { ...g, body: g.body.replace('RED', 'YELLOW') })).toThrow();
      expect(() =>
        verify(secret, { ...g, headers: { ...g.headers, 'webhook-timestamp': String(Number(g.headers['webhook-timestamp']) - 3600) } }),
      ).toThrow();
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
      r.got.length = 0;
    });

    it('rotates a secret: both secrets verify during the grace period, only the new one after', async () => {
      const { id, secret: old } = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url } })).registerWebhook;
      const ROTATE = `mutation($id: ID!, $h: Float) { rotateWebhookSecret(id: $id, graceHours: $h) { secret webhook { previousSecretExpiresAt } } }`;
      const rotated = (await gqlOk(s.url, s.apiKey, ROTATE, { id, h: 2 })).rotateWebhookSecret;
      expect(rotated.secret).not.toBe(old);
      expect(new Date(rotated.webhook.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(7100_000);
      await s.app.services.alerts.apply(wsId, [change()]);
      await until(() => r.got.length === 1);
      expect(String(r.got[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verify(old, r.got[0])).toBeTruthy();
      expect(verify(rotated.secret, r.got[0])).toBeTruthy();
      const final = (await gqlOk(s.url, s.apiKey, ROTATE, { id, h: 0 })).rotateWebhookSecret;
      expect(final.webhook.previousSecretExpiresAt).toBeNull();
      await s.app.services.alerts.apply(wsId, [change()]);
      await until(() => r.got.length === 2);
      expect(verify(final.secret, r.got[1])).toBeTruthy();
      expect(() => verify(rotated.secret, r.got[1])).toThrow();
      const bad = await gql(s.url, s.apiKey, ROTATE, { id, h: 10_000 });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'graceHours' });
      await gqlOk(s.url, s.apiKey, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
      r.got.length = 0;
    });

    it('numbers attempts truly across a crash: the interrupted attempt stays in the log and the resend is attempt 2', async () => {
      const { id } = (await gqlOk(s.url, s.apiKey, REGISTER, { input: { url: r.url } })).registerWebhook;
      await s.app.dispatcher.stop();
      try {
        await s.app.services.alerts.apply(wsId, [change()]);
        // A process claims the row (the attempt is recorded) and dies before sending.
        const dying = new WebhookDispatcher(s.db, new WebhookTargets(['127.0.0.1']), { workerId: 'dying', leaseMs: 100 });
        expect(await (dying as unknown as { claim(now: Date): Promise<unknown[]> }).claim(new Date())).toHaveLength(1);
        await new Promise((res) => setTimeout(res, 150));
      } finally {
        s.app.dispatcher.start();
      }
      await until(() => r.got.length === 1);
      expect(r.got[0].headers['x-restockradar-attempt']).toBe('2');
      await until(async () => (await gqlOk(s.url, s.apiKey, DELIVERIES, { id })).webhookDeliveries.edges[0]?.node.ok === true);
      expect(
        (await gqlOk(s.url, s.apiKey, DELIVERIES, { id })).webhookDeliveries.edges.map((e: any) => [e.node.attempt, e.node.failure]),
      ).toEqual([
        [2, null],
        [1, 'INTERRUPTED'],
      ]);
    });
  });
});
