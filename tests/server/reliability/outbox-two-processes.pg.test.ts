/**
 * Scale-out (issue 8): two server processes on one PostgreSQL database. Both run the webhook
 * dispatcher: every queued delivery must reach the receiver exactly once — each outbox row is
 * claimed by one process (FOR UPDATE SKIP LOCKED) — and the outbox must drain. Writes sent to
 * either process are read back identically from both, and the alerts both evaluate (under the
 * per-workspace lease) exist once.
 * PostgreSQL only by nature (SQLite has a single writer and no SKIP LOCKED), so it is not in the database
 * matrix: vitest.config.ts runs `*.pg.test.ts` in the "postgres" project only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Db } from '../../../server/db/db';
import { compose } from '../../../server/root';
import type { AlertChange } from '../../../server/modules/alert/alert.inputs';
import { OutboxEntry, WebhookDelivery } from '../../../server/modules/webhook/webhook.entity';
import { gqlOk } from '../../helpers/gql';
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
    const { services } = compose(db, { webhookAllow: ['127.0.0.1'] });
    const ws = await services.workspaces.findOrCreate('scale');
    await services.webhooks.register(ws.id, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      minLevel: 'YELLOW',
    });

    const allow = { DATABASE_URL: databaseUrl, RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' };
    const [a, b] = await Promise.all([spawnServer(allow), spawnServer(allow)]);
    expect(a.url).not.toBe(b.url);

    // Queue the events from a third connection, in several transactions, while both dispatchers poll.
    const at = new Date();
    for (let i = 0; i < EVENTS; i += 20) {
      const changes: AlertChange[] = Array.from({ length: 20 }, (_, j) => ({
        action: 'RAISE',
        kind: 'COMPETITOR_RESTOCK',
        level: 'YELLOW',
        subjectType: 'COMPETITOR',
        subjectId: `c-${i + j}`,
        subjectLabel: null,
        title: 'Competitor restocked',
        message: 'restock',
        explanation: null,
        at,
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

  it('serve the same answers whichever process took the writes, and evaluate each alert once', async () => {
    const { url: databaseUrl, cleanup } = await freshDatabaseUrl(base);
    const db = await Db.open(databaseUrl);
    cleanups.push(cleanup, () => db.close());
    const key = (await compose(db).services.workspaces.createKey('replicas')).key;
    const allow = { DATABASE_URL: databaseUrl, RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' };
    const [a, b] = await Promise.all([spawnServer(allow), spawnServer(allow)]);

    // 20 listings, 48 hourly captures each ending an hour ago; a stockout then a restock in the
    // last hours. Batches alternate between the processes, two in flight at a time.
    const HOUR = 3_600_000;
    const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    const stock = (h: number) => (h < 40 ? 400 - 5 * h : h < 45 ? 0 : 300 - (h - 45));
    const batches = Array.from({ length: 8 }, (_, k) =>
      Array.from({ length: 20 }, (_, c) =>
        Array.from({ length: 6 }, (_, j) => {
          const h = k * 6 + j;
          return {
            asin: `B0REPL${String(c).padStart(4, '0')}`,
            capturedAt: new Date(end - (47 - h) * HOUR).toISOString(),
            stock: stock(h),
            price: 20,
          };
        }),
      ).flat(),
    );
    const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;
    for (let k = 0; k < batches.length; k += 2) {
      await Promise.all([gqlOk(a.url, key, RECORD, { input: batches[k] }), gqlOk(b.url, key, RECORD, { input: batches[k + 1] })]);
    }
    await Promise.all([
      gqlOk(
        a.url,
        key,
        `mutation { upsertProduct(input: { sku: "R-1", name: "Replica SKU", unitCost: 4, price: 10, onHand: 50 }) { id } }`,
      ),
      gqlOk(
        b.url,
        key,
        `mutation { upsertSupplier(input: { name: "Replica supplier", procurement: { mean: 5, sd: 1 }, shipping: { mean: 3, sd: 1 }, inbound: { mean: 1, sd: 0 } }) { id } }`,
      ),
    ]);

    const READ = `query($from: DateTime!, $to: DateTime!) { competitors(first: 50) { totalCount edges { node { asin
      latestSnapshot { capturedAt stock } snapshots(first: 3) { edges { node { capturedAt stock } } }
      velocity(to: $to) { perHour { value lower upper } }
      restocks(from: $from, to: $to) { at } } } }
      products(first: 10) { totalCount edges { node { sku onHand } } } suppliers(first: 10) { totalCount } }`;
    const to = new Date(end + HOUR).toISOString();
    const from = new Date(end - 3 * 24 * HOUR).toISOString();
    const [ra, rb] = await Promise.all([gqlOk(a.url, key, READ, { from, to }), gqlOk(b.url, key, READ, { from, to })]);
    expect(ra.competitors.totalCount).toBe(20);
    expect(ra.competitors.edges[0].node.snapshots.edges).toHaveLength(3);
    expect(rb).toEqual(ra);

    // Both processes evaluated the batches they took (queued after each response): one restock
    // alert per listing, not two, whichever process raised it.
    const ALERTS = `{ alerts(kind: COMPETITOR_RESTOCK, first: 100) { totalCount edges { node { subjectId level status } } } }`;
    const deadline = Date.now() + 60_000;
    let alerts = await gqlOk(a.url, key, ALERTS);
    while (alerts.alerts.totalCount < 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      alerts = await gqlOk(a.url, key, ALERTS);
    }
    await new Promise((r) => setTimeout(r, 1500)); // a second raise would land within this
    alerts = await gqlOk(a.url, key, ALERTS);
    expect(alerts.alerts.totalCount).toBe(20);
    expect(new Set(alerts.alerts.edges.map((e: { node: { subjectId: string } }) => e.node.subjectId)).size).toBe(20);
    expect(await gqlOk(b.url, key, ALERTS)).toEqual(alerts);
    await Promise.all([a.stop(), b.stop()]);
  }, 120_000);
});
