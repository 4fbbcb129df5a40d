/**
 * Crash safety: the real server process on a SQLite file takes sustained recordSnapshots batches
 * from several concurrent clients, is killed with SIGKILL mid-stream, and restarted on the same
 * file. Every batch acknowledged (HTTP 200 with data) must be fully present, and no batch may be
 * partly present. Batches are told apart by their source tag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { gql } from '../../helpers/gql';
import { killServers, spawnServer } from '../../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'rr-crash-'));
const file = join(dir, 'crash.db');
const KEY = 'crash-test-bootstrap-key-8c1d0f';

const serve = () => spawnServer({ DATABASE_URL: `sqlite:${file}`, RESTOCK_RADAR_BOOTSTRAP_KEY: KEY });

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

afterAll(() => {
  killServers();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 during sustained ingest (SQLite file, real server process)', () => {
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

    // Restart on the same file: it recovers (WAL replay) and serves and ingests again.
    const second = await serve();
    const r = await gql(second.url, KEY, `{ competitors(first: 10) { totalCount edges { node { asin snapshots(first: 1) { totalCount } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.competitors.totalCount).toBe(4);
    const after = next + 1;
    const again = await gql(second.url, KEY, RECORD, { i: batch(after) });
    expect(again.data?.recordSnapshots).toEqual({ inserted: BATCH, duplicates: 0 });
    const total = r.data!.competitors.edges.reduce((a: number, e: { node: { snapshots: { totalCount: number } } }) => a + e.node.snapshots.totalCount, 0);
    await second.stop();

    const db = new Database(file, { readonly: true });
    const bySource = new Map<string, number>(
      (db.prepare(`SELECT source, COUNT(*) AS n FROM snapshot GROUP BY source`).all() as { source: string; n: number }[])
        .map((x) => [x.source, x.n]),
    );
    const integrity = db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    db.close();
    expect(integrity.integrity_check).toBe('ok');
    for (const n of acked) expect(bySource.get(`b${n}`), `acknowledged batch ${n}`).toBe(BATCH);
    const partial = [...bySource].filter(([, count]) => count !== BATCH);
    expect(partial).toEqual([]);
    // Unacknowledged batches are either whole (committed just before the kill) or absent.
    expect([...bySource.values()].reduce((a, b) => a + b, 0)).toBe(total + BATCH);
  }, 120_000);
});
