/**
 * The alert evaluator's per-workspace lease across processes on one database: two holders (two
 * database handles, as two replicas or `import` next to `serve` would have) never run a pass of
 * one workspace at once; a dead holder's lease expires; a holder that lost its lease does not
 * write; two servers running the scheduled pass together raise each alert once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { type App, createApp } from '../../server/http/app';
import { LeaseLostError, WorkspaceLease } from '../../server/modules/alert-eval/alert.lease';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeDatabase('alert evaluation lease', (databaseUrl) => {
  let s: TestServer;
  let other: Db;
  let otherApp: App;
  let ws: string;
  let wsB: string;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    if (s.db.dialect === 'postgres') {
      // A second pool on the same database, like another replica.
      other = await Db.open(s.databaseUrl);
      otherApp = await createApp(other, loadConfig({ ...process.env, DATABASE_URL: s.databaseUrl, RESTOCK_RADAR_QUIET: '1' }), {
        dispatcher: { pollMs: 3_600_000 },
      });
    } else {
      // better-sqlite3 is synchronous: a second connection in this process would busy-wait on the
      // first one's write lock and block the thread that must release it. The holders share the
      // connection here (the lease is a row either way); separate processes are covered by the
      // CLI import test, which evaluates next to a running server.
      other = s.db;
    }
    await s.newKey('lease-b');
    const id = async (name: string) =>
      (await s.db.manager.query(`SELECT id FROM workspace WHERE name = ${s.db.param(1)}`, [name]))[0].id as string;
    ws = await id('test');
    wsB = await id('lease-b');
  });

  afterAll(async () => {
    await otherApp?.close();
    if (other !== s.db) await other?.close();
    await s?.stop();
  });

  const leaseRows = async (db: Db) =>
    (await db.manager.query(`SELECT holder, expires_at FROM alert_eval_lease`)) as { holder: string; expires_at: unknown }[];

  it('two holders take turns: the second enters only after the first left', async () => {
    const a = new WorkspaceLease(s.db, { retryMs: 10 });
    const b = new WorkspaceLease(other, { retryMs: 10 });
    const events: string[] = [];
    const pass = (name: string, lease: WorkspaceLease) =>
      lease.hold(ws, async () => {
        events.push(`${name} in`);
        await sleep(250);
        events.push(`${name} out`);
      });
    const first = pass('A', a);
    await sleep(30);
    await Promise.all([first, pass('B', b)]);
    expect(events).toEqual(['A in', 'A out', 'B in', 'B out']);
    expect(await leaseRows(s.db)).toEqual([]);
  });

  it('a lease left by a dead holder blocks until it expires, then is taken over', async () => {
    const p = (n: number) => s.db.param(n);
    const expiresAt = Date.now() + 400;
    await s.db.write((m) =>
      m.query(`INSERT INTO alert_eval_lease (workspace_id, holder, expires_at) VALUES (${p(1)}, ${p(2)}, ${p(3)})`, [
        ws,
        'dead-process',
        expiresAt,
      ]),
    );
    const b = new WorkspaceLease(other, { retryMs: 10 });
    let enteredAt = 0;
    await b.hold(ws, async () => {
      enteredAt = Date.now();
    });
    expect(enteredAt).toBeGreaterThanOrEqual(expiresAt);
    expect(await leaseRows(s.db)).toEqual([]);
  });

  it('a holder whose lease was taken over learns it before writing (fencing)', async () => {
    const a = new WorkspaceLease(s.db, { retryMs: 10 });
    const p = (n: number) => s.db.param(n);
    await expect(
      a.hold(ws, async () => {
        await a.assertHeld(ws);
        // Another process took the lease over (as after our expiry).
        await s.db.write((m) => m.query(`UPDATE alert_eval_lease SET holder = ${p(1)} WHERE workspace_id = ${p(2)}`, ['thief', ws]));
        await a.assertHeld(ws);
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    // Releasing never deletes someone else's lease.
    expect((await leaseRows(s.db)).map((r) => r.holder)).toEqual(['thief']);
    await s.db.write((m) => m.query(`DELETE FROM alert_eval_lease`));
  });

  it('leases of different workspaces do not wait for each other', async () => {
    const a = new WorkspaceLease(s.db, { retryMs: 10 });
    const b = new WorkspaceLease(other, { retryMs: 10 });
    const events: string[] = [];
    await Promise.all([
      a.hold(ws, async () => {
        events.push('A in');
        await sleep(200);
        events.push('A out');
      }),
      b.hold(wsB, async () => {
        events.push('B in');
        await sleep(200);
        events.push('B out');
      }),
    ]);
    expect(events.slice(0, 2).sort()).toEqual(['A in', 'B in']);
  });

  // PostgreSQL only by nature: two apps need two connections to one database, which one process cannot hold on
  // better-sqlite3 (see beforeAll); on SQLite this one test is skipped.
  it.skipIf(!databaseUrl)('two servers running the scheduled pass at once raise each stale-data alert exactly once', async () => {
    const n = 30;
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    const input = [];
    for (let c = 0; c < n; c++) {
      // CORE listings (1 h expected interval) captured hourly until 5 h ago: stale (≥ 2 intervals, at least 2 h).
      for (let h = 30; h >= 5; h--)
        input.push({
          asin: `B0LEASE${String(c).padStart(3, '0')}`,
          capturedAt: new Date(now - h * HOUR).toISOString(),
          stock: 500 - h,
          price: 20,
        });
    }
    for (let c = 0; c < n; c++) {
      await gqlOk(s.url, s.apiKey, `mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
        i: { asin: `B0LEASE${String(c).padStart(3, '0')}`, marketplace: 'US', tier: 'CORE' },
      });
    }
    // Sent as they were taken (the last one arrived 5 h ago): staleness is judged on arrival, so a batch of old
    // history sent now would not be stale.
    s.app.clock.now = () => now - 5 * HOUR + 60_000;
    await gqlOk(s.url, s.apiKey, `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`, { input });
    await s.app.services.alertEvaluator.idle();
    s.app.clock.now = () => now;
    const [a, b] = [s.app.services.alertEvaluator, otherApp.services.alertEvaluator];
    await Promise.all([a.runOnce(now), b.runOnce(now), a.runOnce(now), b.runOnce(now)]);
    const stale = await gqlOk(
      s.url,
      s.apiKey,
      `{ alerts(kind: DATA_STALE, first: 100) { totalCount edges { node { subjectId level status } } } }`,
    );
    expect(stale.alerts.totalCount).toBe(n);
    expect(new Set(stale.alerts.edges.map((e: { node: { subjectId: string } }) => e.node.subjectId)).size).toBe(n);
    expect(await leaseRows(s.db)).toEqual([]);
  });
});
