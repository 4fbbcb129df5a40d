/**
 * Crash safety: the real server process takes sustained recordSnapshots batches from several
 * concurrent clients, is killed with SIGKILL mid-stream, and restarted on the same database (a
 * SQLite file, or a fresh PostgreSQL database). Every batch acknowledged (HTTP 200 with data) must
 * be fully present, and no batch may be partly present. Batches are told apart by their source tag.
 * SQLite: the file must also pass PRAGMA integrity_check after WAL replay. PostgreSQL: the indexes
 * of the snapshot table must agree with its rows (amcheck's bt_index_check with heapallindexed).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql } from '../../helpers/gql';
import { freshDatabaseUrl } from '../../helpers/server';
import { killServers, spawnServer } from '../../helpers/server-process';
import { describeDatabase } from '../../helpers/database';

const KEY = 'crash-test-bootstrap-key-8c1d0f';

const BATCH = 400;
const T0 = Date.UTC(2026, 0, 1);
const RECORD = `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted duplicates } }`;

/** Batch n: BATCH rows over 4 ASINs, its own minutes, tagged b<n>. */
const batch = (n: number) =>
  Array.from({ length: BATCH }, (_, i) => ({
    asin: `B0CRASH00${i % 4}`,
    capturedAt: new Date(T0 + (n * BATCH + i) * 60_000).toISOString(),
    stock: 1000 - (i % 50),
    price: 10 + (i % 7),
    source: `b${n}`,
  }));

/** Rows per source tag, and the database's own consistency verdict ('ok' when sound). */
async function inspect(databaseUrl: string): Promise<{ bySource: Map<string, number>; integrity: string }> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = db.prepare(`SELECT source, COUNT(*) AS n FROM snapshot GROUP BY source`).all() as { source: string; n: number }[];
      const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
      return { bySource: new Map(rows.map((x) => [x.source, x.n])), integrity };
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const rows = (await c.query(`SELECT source, COUNT(*)::int AS n FROM snapshot GROUP BY source`)).rows as { source: string; n: number }[];
    // amcheck ships with PostgreSQL (contrib); every B-tree index of snapshot must be well formed
    // and index every heap row. Without the extension the per-batch checks below still apply.
    let integrity = 'ok';
    if ((await c.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'`)).rowCount) {
      await c.query('CREATE EXTENSION IF NOT EXISTS amcheck');
      const idx = await c.query(
        `SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = 'snapshot'`,
      );
      expect(idx.rowCount).toBeGreaterThanOrEqual(2); // primary key + (competitor_id, captured_at)
      for (const { name } of idx.rows) {
        try {
          await c.query(`SELECT bt_index_check($1::regclass, true)`, [name]);
        } catch (e) {
          integrity = `${name}: ${(e as Error).message}`;
        }
      }
    } else console.warn('amcheck is not available: index consistency after the crash is not checked');
    return { bySource: new Map(rows.map((x) => [x.source, x.n])), integrity };
  } finally {
    await c.end();
  }
}

describeDatabase('kill -9 during sustained ingest (real server process)', (databaseUrl) => {
  let url: string;
  let cleanup: () => Promise<void>;
  const serve = () => spawnServer({ DATABASE_URL: url, RESTOCK_RADAR_BOOTSTRAP_KEY: KEY });
  beforeAll(async () => {
    ({ url, cleanup } = await freshDatabaseUrl(databaseUrl));
  });
  afterAll(async () => {
    killServers();
    await cleanup?.();
  });

  it('keeps every acknowledged batch whole and no batch partly', async () => {
    const first = await serve();
    const acked = new Set<number>();
    const attempted = new Set<number>();
    let next = 0;
    let killed = false;
    const client = async () => {
      while (!killed) {
        const n = next++;
        attempted.add(n);
        try {
          const r = await gql(first.url, KEY, RECORD, { i: batch(n) });
          if (r.status === 200 && r.data?.recordSnapshots?.inserted === BATCH && !r.errors) acked.add(n);
          else if (!killed) throw new Error(`batch ${n} refused: ${r.status} ${JSON.stringify(r.errors)}`);
        } catch (e) {
          if (!killed) throw e;
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    // Kill once a good number of batches went through, while others are in flight.
    while (acked.size < 25) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all(clients);
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode ? r() : first.child.once('exit', () => r())));
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(attempted.size).toBeGreaterThan(acked.size); // some batches were in flight at the kill

    // Restart on the same database: it recovers (SQLite: WAL replay) and serves and ingests again.
    const second = await serve();
    const r = await gql(
      second.url,
      KEY,
      `{ competitors(first: 10) { totalCount edges { node { asin snapshots(first: 1) { totalCount } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.competitors.totalCount).toBe(4);
    const after = next + 1;
    const again = await gql(second.url, KEY, RECORD, { i: batch(after) });
    expect(again.data?.recordSnapshots).toEqual({ inserted: BATCH, duplicates: 0 });
    const total = r.data!.competitors.edges.reduce(
      (a: number, e: { node: { snapshots: { totalCount: number } } }) => a + e.node.snapshots.totalCount,
      0,
    );
    await second.stop();

    const { bySource, integrity } = await inspect(url);
    expect(integrity).toBe('ok');
    for (const n of acked) expect(bySource.get(`b${n}`), `acknowledged batch ${n}`).toBe(BATCH);
    const partial = [...bySource].filter(([, count]) => count !== BATCH);
    expect(partial).toEqual([]);
    // Unacknowledged batches are either whole (committed just before the kill) or absent.
    expect([...bySource.values()].reduce((a, b) => a + b, 0)).toBe(total + BATCH);
  }, 120_000);
});
