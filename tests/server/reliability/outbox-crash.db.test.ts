/**
 * Webhook outbox across a crash: 60 alert events are queued in the transactional outbox of the
 * database (a SQLite file, or a fresh PostgreSQL database), the real server process delivers them to a slow local receiver and is killed with SIGKILL
 * mid-stream, then restarted. Every event must arrive (at least once: the dead process's leases
 * expire and its claimed rows are sent again with the same event id), correctly signed, and the
 * outbox must drain. Up to ≈ 35 s when rows were claimed at the kill (the default 30 s lease).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Db } from '../../../server/db/db';
import { compose } from '../../../server/root';
import { WorkspaceService } from '../../../server/modules/workspace/workspace.service';
import { freshDatabaseUrl } from '../../helpers/server';
import { killServers, spawnServer } from '../../helpers/server-process';
import { describeDatabase } from '../../helpers/database';

const EVENTS = 60;

describeDatabase('webhook outbox: kill -9 during deliveries (real server process)', (base) => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  /** The server process; the test only needs it to run its dispatcher (and to be killed). */
  const serve = async () => (await spawnServer({ DATABASE_URL: databaseUrl, RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' })).child;
  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await freshDatabaseUrl(base));
  });
  afterAll(async () => {
    killServers();
    await cleanup?.();
  });

  it('delivers every queued event at least once, signed, after a restart; the outbox drains', async () => {
    const got: { id: string; ok: boolean }[] = [];
    let secret = '';
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        got.push({ id: JSON.parse(body).id, ok: req.headers['x-restockradar-signature'] === sig });
        setTimeout(() => res.end('ok'), 40); // a slow receiver keeps deliveries in flight
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    // Queue the events before any server runs: they sit in the outbox of the file.
    const eventIds: string[] = [];
    {
      const db = await Db.open(databaseUrl);
      await new WorkspaceService(db).createKey('hooks');
      const wsId = (await db.manager.query(`SELECT id FROM workspace WHERE name = 'hooks'`))[0].id;
      const { services } = compose(db, { webhookAllow: ['127.0.0.1'] });
      secret = (await services.webhooks.register(wsId, { url: hookUrl, kinds: null, minLevel: 'YELLOW' })).secret;
      const events = await services.alerts.apply(
        wsId,
        Array.from({ length: EVENTS }, (_, i) => ({
          action: 'RAISE' as const,
          kind: 'DATA_STALE' as const,
          level: 'ORANGE' as const,
          subjectType: 'COMPETITOR' as const,
          subjectId: `hook-${i}`,
          subjectLabel: `hook-${i}`,
          title: 'stale',
          message: 'stale',
          explanation: { formula: 'f', inputs: {}, steps: [], notes: [] },
          at: new Date(),
        })),
      );
      for (const e of events) eventIds.push(e.id);
      expect(Number((await db.manager.query(`SELECT COUNT(*) AS n FROM outbox`))[0].n)).toBe(EVENTS);
      await db.close();
    }

    const first = await serve();
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out: ${new Set(got.map((g) => g.id)).size}/${EVENTS} events received`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => got.length >= 10, 20_000);
    first.kill('SIGKILL');
    await new Promise<void>((r) => (first.exitCode !== null || first.signalCode ? r() : first.once('exit', () => r())));
    const beforeRestart = new Set(got.map((g) => g.id)).size;
    expect(beforeRestart).toBeLessThan(EVENTS);

    const second = await serve();
    await until(() => eventIds.every((id) => got.some((g) => g.id === id)), 60_000);
    // Rows the dead process had claimed (and perhaps sent) are re-sent once their lease expires.
    const watcher = await Db.open(databaseUrl);
    const undelivered = async () =>
      Number((await watcher.manager.query(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'DELIVERED'`))[0].n);
    const end = Date.now() + 60_000;
    while ((await undelivered()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    await watcher.close();
    await new Promise((r) => setTimeout(r, 300));
    second.kill('SIGTERM');
    await new Promise<void>((r) => second.once('exit', () => r()));
    await new Promise<void>((r) => receiver.close(() => r()));

    expect(got.every((g) => g.ok)).toBe(true);
    expect(new Set(got.map((g) => g.id))).toEqual(new Set(eventIds));
    // Only events claimed by the dead process (one dispatcher batch, 20 rows) may arrive twice.
    expect(got.length - EVENTS).toBeLessThanOrEqual(20);
    const db = await Db.open(databaseUrl);
    const pending = await db.manager.query(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'DELIVERED'`);
    // `WHERE ok`: a true boolean on PostgreSQL, 1 on SQLite.
    const delivered = await db.manager.query(`SELECT COUNT(DISTINCT event_id) AS n FROM webhook_delivery WHERE ok`);
    await db.close();
    expect(Number(pending[0].n)).toBe(0);
    expect(Number(delivered[0].n)).toBe(EVENTS);
  }, 120_000);
});
