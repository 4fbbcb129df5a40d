/**
 * Scale-out (issue 8): two server processes on one PostgreSQL database both run the webhook
 * dispatcher. Every queued delivery must reach the receiver exactly once — each outbox row is
 * claimed by one process (FOR UPDATE SKIP LOCKED) — and the outbox must drain.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Db } from '../../../server/db/db';
import { createServices } from '../../../server/graphql/context';
import type { AlertChange } from '../../../server/modules/alert/alert.inputs';
import { OutboxEntry, WebhookDelivery } from '../../../server/modules/webhook/webhook.entity';
import { freshDatabaseUrl } from '../../helpers/server';
import { killServers, spawnServer } from '../../helpers/server-process';

const base = process.env.TEST_DATABASE_URL;
const EVENTS = 120;

describe.skipIf(!base)('two server processes on one PostgreSQL database (TEST_DATABASE_URL)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    killServers();
    for (const c of cleanups.reverse()) await c();
  });

  it('deliver every outbox row exactly once between them, and the outbox drains', async () => {
    const received = new Map<string, number>();
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const id = JSON.parse(body).id as string;
        received.set(id, (received.get(id) ?? 0) + 1);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => receiver.close(() => r())));

    const { url: databaseUrl, cleanup } = await freshDatabaseUrl(base);
    const db = await Db.open(databaseUrl); // migrates before the servers start
    cleanups.push(cleanup, () => db.close());
    const services = createServices(db);
    const ws = await services.workspaces.findOrCreate('scale');
    await services.webhooks.register(ws.id, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, minLevel: 'YELLOW' });

    const [a, b] = await Promise.all([spawnServer({ DATABASE_URL: databaseUrl }), spawnServer({ DATABASE_URL: databaseUrl })]);
    expect(a.url).not.toBe(b.url);

    // Queue the events from a third connection, in several transactions, while both dispatchers poll.
    const at = new Date();
    for (let i = 0; i < EVENTS; i += 20) {
      const changes: AlertChange[] = Array.from({ length: 20 }, (_, j) => ({
        action: 'RAISE', kind: 'COMPETITOR_RESTOCK', level: 'YELLOW', subjectType: 'COMPETITOR', subjectId: `c-${i + j}`, subjectLabel: null,
        title: 'Competitor restocked', message: 'restock', explanation: null, at,
      }));
      await services.alerts.apply(ws.id, changes);
    }

    const deadline = Date.now() + 60_000;
    while ((await db.manager.count(OutboxEntry, { where: { status: 'PENDING' } })) > 0) {
      if (Date.now() > deadline) throw new Error('outbox did not drain');
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1500)); // a late duplicate would arrive within a poll interval

    expect(received.size).toBe(EVENTS);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(await db.manager.count(OutboxEntry, { where: { status: 'DELIVERED' } })).toBe(EVENTS);
    const deliveries = await db.manager.find(WebhookDelivery);
    expect(deliveries).toHaveLength(EVENTS);
    expect(deliveries.every((d) => d.ok && d.attempt === 1)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });
});
