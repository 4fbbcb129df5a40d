/**
 * Ingest benchmark (issue 2 §8, issue 8): recordSnapshots over HTTP with 10,000-item batches vs
 * raw better-sqlite3 prepared-statement inserts of the same rows in 10,000-row transactions (the
 * physical limit of this machine), measured in the same run. Target ratio ≥ 0.30.
 *
 *   npx tsx bench/ingest.ts [--rows 100000] [--batch 10000]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toSqliteDatetime } from '../server/db/columns';
import { Db } from '../server/db/db';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, batch: { type: 'string', default: '10000' } } });
const ROWS = Number(values.rows);
const BATCH = Number(values.batch);
const COMPETITORS = 100;
const TARGET = 0.3;

const t0 = Date.UTC(2026, 0, 1);
const rows = Array.from({ length: ROWS }, (_, i) => ({
  asin: `B0BENCH${String(i % COMPETITORS).padStart(3, '0')}`,
  capturedAt: new Date(t0 + Math.floor(i / COMPETITORS) * 300_000).toISOString(),
  stock: 5000 - (i % 997),
  stockIsLowerBound: false,
  price: 19.99 + (i % 7),
  dealType: i % 10 === 0 ? 'LIGHTNING' : 'NONE',
  dealQuantity: i % 10 === 0 ? 500 : null,
  dealClaimedPercent: i % 10 === 0 ? (i % 100) : null,
  bsr: 1000 + (i % 500),
  source: 'bench',
}));

async function tempDb(): Promise<{ db: Db; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-'));
  return { db: await Db.open(`sqlite:${join(dir, 'bench.db')}`), dir };
}

/** Baseline: the same rows through one prepared statement, 10k rows per transaction. */
async function raw(): Promise<number> {
  const { db, dir } = await tempDb();
  const ws = await new WorkspaceService(db).findOrCreate('bench');
  const ids = new Map<string, string>();
  for (const r of rows) if (!ids.has(r.asin)) ids.set(r.asin, randomUUID());
  const h = db.sqlite();
  const insC = h.prepare(`INSERT INTO competitor (id, workspace_id, asin, marketplace, tier) VALUES (?, ?, ?, 'US', 'GENERAL')`);
  for (const [asin, id] of ids) insC.run(id, ws.id, asin);
  const stmt = h.prepare(
    `INSERT INTO snapshot (competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, deal_type, deal_quantity, deal_claimed_percent, bsr, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (competitor_id, captured_at) DO NOTHING`,
  );
  const tx = h.transaction((chunk: typeof rows) => {
    for (const r of chunk) {
      stmt.run(ids.get(r.asin), toSqliteDatetime(new Date(r.capturedAt)), r.stock, 0, Math.round(r.price * 100), r.dealType, r.dealQuantity, r.dealClaimedPercent, r.bsr, r.source);
    }
  });
  const start = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) tx(rows.slice(i, i + BATCH));
  const ms = performance.now() - start;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return (rows.length / ms) * 1000;
}

/** Ours: the real server process over real HTTP, bodies serialized before the clock starts. */
async function api(nodeEnv: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-'));
  const key = `bench-${randomUUID()}`;
  const server = await spawnServer({ NODE_ENV: nodeEnv, DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, RESTOCK_RADAR_BOOTSTRAP_KEY: key }, { stderr: 'inherit' });
  const query = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;
  const bodies: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH) bodies.push(JSON.stringify({ query, variables: { input: rows.slice(i, i + BATCH) } }));
  let inserted = 0;
  const start = performance.now();
  for (const body of bodies) {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
    const json = (await res.json()) as { data?: { recordSnapshots: { inserted: number } }; errors?: unknown };
    if (!json.data) throw new Error(`ingest failed: ${JSON.stringify(json.errors)}`);
    inserted += json.data.recordSnapshots.inserted;
  }
  const ms = performance.now() - start;
  if (inserted !== rows.length) throw new Error(`expected ${rows.length} inserted, got ${inserted}`);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  return (rows.length / ms) * 1000;
}

const best = async (f: () => Promise<number>, runs = 3) => {
  let top = 0;
  for (let i = 0; i < runs; i++) top = Math.max(top, await f());
  return top;
};

console.log(`Ingest benchmark: ${ROWS.toLocaleString()} rows, ${BATCH.toLocaleString()} per batch/transaction, ${COMPETITORS} competitors, SQLite (WAL)`);
const baseline = await best(raw);
// graphql-js checks every instanceof more thoroughly outside production, which is measurable
// when coercing 10,000 input objects; production is how a server is deployed.
const prod = await best(() => api('production'));
const dev = await best(() => api('development'));
const ratio = prod / baseline;
console.table([
  { path: 'raw better-sqlite3 prepared statement (baseline)', 'rows/s': Math.round(baseline), ratio: 1 },
  { path: 'recordSnapshots over HTTP, NODE_ENV=production', 'rows/s': Math.round(prod), ratio: Number(ratio.toFixed(3)) },
  { path: 'recordSnapshots over HTTP, NODE_ENV=development', 'rows/s': Math.round(dev), ratio: Number((dev / baseline).toFixed(3)) },
]);
console.log(`ratio (production) ${ratio.toFixed(3)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'MET' : 'MISSED'}`);
