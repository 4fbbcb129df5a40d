/**
 * Read benchmark (issue 8): `competitors(first: 500) { latestSnapshot activeDeal velocity }` on a
 * database of 1,000 competitors × 1,000 hourly snapshots, over real HTTP against the spawned server,
 * vs a hand-written baseline returning the same data: SQL for the latest snapshot per competitor and
 * the windowed rows, the same core functions in plain JS. Also the SQL statement count for first: 50
 * vs 500 (must be constant), measured in-process on the same file.
 *
 *   npx tsx bench/read.ts [--competitors 1000] [--snapshots 1000] [--runs 20]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { activeDeal, detectDeals } from '../core/deals';
import { velocity } from '../core/series';
import { DAY_MS, HOUR_MS } from '../core/series/types';
import { loadConfig } from '../server/config';
import { toSqliteDatetime } from '../server/db/columns';
import { Db } from '../server/db/db';
import { createApp } from '../server/http/app';
import { WINDOWS } from '../server/modules/intelligence/intelligence.request';
import { mayHaveLiveDeal } from '../server/modules/intelligence/intelligence.loaders';
import { toPoint } from '../server/modules/snapshot/snapshot.points';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({
  options: {
    competitors: { type: 'string', default: '1000' },
    snapshots: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '20' },
  },
});
const C = Number(values.competitors);
const S = Number(values.snapshots);
const RUNS = Number(values.runs);
const QUERY = (n: number) =>
  `{ competitors(first: ${n}) { edges { node { id latestSnapshot { stock capturedAt } activeDeal { id } velocity { perHour { value } } } } } }`;

const dir = mkdtempSync(join(tmpdir(), 'rr-read-'));
const file = join(dir, 'read.db');
const NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;

// ---- data: migrations through Db.open, rows through raw prepared statements ----------------------
const t0 = performance.now();
let key: string;
let workspaceId: string;
{
  const db = await Db.open(`sqlite:${file}`);
  const created = await new WorkspaceService(db).createKey('bench');
  key = created.key;
  workspaceId = (await db.manager.query(`SELECT id FROM workspace WHERE name = 'bench'`))[0].id;
  await db.close();
}
{
  const h = new Database(file);
  h.pragma('journal_mode = WAL');
  const insC = h.prepare(`INSERT INTO competitor (id, workspace_id, asin, marketplace, tier) VALUES (?, ?, ?, 'US', 'GENERAL')`);
  const insS = h.prepare(
    `INSERT INTO snapshot (competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, deal_type, deal_quantity, deal_claimed_percent, deal_ends_at, bsr, source)
     VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 'bench')`,
  );
  const fill = h.transaction((c: number) => {
    const id = randomUUID();
    insC.run(id, workspaceId, `B0READ${String(c).padStart(4, '0')}`);
    const dealFrom = S - 6; // every 10th competitor: a lightning deal live for the last 6 hours
    for (let i = 0; i < S; i++) {
      const at = NOW - (S - 1 - i) * HOUR_MS;
      const deal = c % 10 === 0 && i >= dealFrom;
      const stock = deal ? 400 - (i - dealFrom) * 30 : 2000 - ((i * 3) % 500) - (c % 50);
      insS.run(
        id,
        toSqliteDatetime(new Date(at)),
        stock,
        1999 + (c % 100),
        deal ? 'LIGHTNING' : 'NONE',
        deal ? 300 : null,
        deal ? (i - dealFrom + 1) * 12 : null,
        deal ? toSqliteDatetime(new Date(NOW + 6 * HOUR_MS)) : null,
        1000 + c,
      );
    }
  });
  for (let c = 0; c < C; c++) fill(c);
  h.close();
}
console.log(
  `Read benchmark: ${C.toLocaleString()} competitors × ${S.toLocaleString()} hourly snapshots (SQLite WAL), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// ---- SQL statement count, in-process on the same file --------------------------------------------
const statements: Record<number, number> = {};
{
  const db = await Db.open(`sqlite:${file}`);
  const app = await createApp(db, loadConfig({ ...process.env, DATABASE_URL: `sqlite:${file}`, RESTOCK_RADAR_QUIET: '1' }), {
    dispatcher: { pollMs: 3_600_000 },
    alertScheduler: { intervalMs: 3_600_000 },
  });
  const url = await app.listen(0, '127.0.0.1');
  for (const n of [50, 500]) {
    const before = db.counter.count;
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: QUERY(n) }),
    });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    statements[n] = db.counter.count - before;
  }
  await app.close();
  await db.close();
}

// ---- API over HTTP against the spawned server -----------------------------------------------------
const server = await spawnServer({ NODE_ENV: 'production', DATABASE_URL: `sqlite:${file}` }, { stderr: 'inherit' });
const url = server.url;
type Row = {
  id: string;
  latestSnapshot: { stock: number } | null;
  activeDeal: { id: string } | null;
  velocity: { perHour: { value: number | null } };
};
async function api(n: number): Promise<{ ms: number; rows: Row[] }> {
  const start = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: QUERY(n) }),
  });
  const body = (await res.json()) as { data?: { competitors: { edges: { node: Row }[] } }; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - start, rows: body.data.competitors.edges.map((e) => e.node) };
}

// ---- baseline: hand-written SQL + the same core functions ----------------------------------------
const h = new Database(file, { readonly: true });
const COLS = `competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity, deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source`;
const pt = toPoint;
const pageQ = h.prepare(`SELECT id FROM competitor WHERE workspace_id = ? ORDER BY asin, marketplace LIMIT ?`);
function baseline(n: number): { ms: number; rows: { id: string; stock: number | null; deal: string | null; perHour: number | null }[] } {
  const start = performance.now();
  const now = Date.now();
  const ids = (pageQ.all(workspaceId, n) as { id: string }[]).map((r) => r.id);
  const inList = ids.map(() => '?').join(',');
  const latest = h
    .prepare(
      `SELECT ${COLS} FROM snapshot s WHERE competitor_id IN (${inList})
         AND captured_at = (SELECT MAX(captured_at) FROM snapshot t WHERE t.competitor_id = s.competitor_id)`,
    )
    .all(...ids) as Parameters<typeof toPoint>[0][];
  const vFrom = now - WINDOWS.velocityDays * DAY_MS;
  const windowRows = h
    .prepare(
      `SELECT ${COLS} FROM snapshot WHERE competitor_id IN (${inList}) AND captured_at >= ? AND captured_at < ? ORDER BY competitor_id, captured_at`,
    )
    .all(...ids, toSqliteDatetime(new Date(vFrom - WINDOWS.edgeMs)), toSqliteDatetime(new Date(now + 1))) as Parameters<
    typeof toPoint
  >[0][];
  const byId = new Map<string, ReturnType<typeof toPoint>[]>(ids.map((id) => [id, []]));
  for (const r of windowRows) byId.get(r.competitor_id)!.push(pt(r));
  const latestBy = new Map(latest.map((r) => [r.competitor_id, pt(r)]));
  // Deal history only where the newest two readings show a deal (the server's pre-check).
  const dealIds = ids.filter((id) => mayHaveLiveDeal((byId.get(id) ?? []).slice(-2).map((p) => p.dealType)));
  const histFrom = now - (WINDOWS.dealDays + WINDOWS.historyMarginDays) * DAY_MS;
  const hist = new Map<string, ReturnType<typeof toPoint>[]>(dealIds.map((id) => [id, []]));
  if (dealIds.length) {
    const rows = h
      .prepare(
        `SELECT ${COLS} FROM snapshot WHERE competitor_id IN (${dealIds.map(() => '?').join(',')}) AND captured_at >= ? ORDER BY competitor_id, captured_at`,
      )
      .all(...dealIds, toSqliteDatetime(new Date(histFrom))) as Parameters<typeof toPoint>[0][];
    for (const r of rows) hist.get(r.competitor_id)!.push(pt(r));
  }
  const rows = ids.map((id) => {
    const live = hist.has(id) ? activeDeal(detectDeals(hist.get(id)!, { now })) : null;
    const v = velocity(byId.get(id)!, { now, from: vFrom, to: now, confidence: 0.9 });
    return { id, stock: latestBy.get(id)?.stock ?? null, deal: live ? String(live.startedAt) : null, perHour: v.perHour.value };
  });
  return { ms: performance.now() - start, rows };
}

// Same data check, then timed runs (first run of each discarded as warm-up).
const check = await api(500);
const base = baseline(500);
const mismatch = check.rows.filter((r, i) => {
  const b = base.rows[i];
  const near = (x: number | null, y: number | null) =>
    x === null ? y === null : y !== null && Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y));
  return (
    r.id !== b.id ||
    r.latestSnapshot?.stock !== b.stock ||
    (r.activeDeal === null) !== (b.deal === null) ||
    !near(r.velocity.perHour.value, b.perHour)
  );
});
if (mismatch.length)
  console.log(`WARNING: ${mismatch.length} rows differ between the API and the baseline, e.g. ${JSON.stringify(mismatch[0])}`);
const results: Record<string, number[]> = { api50: [], api500: [], base50: [], base500: [] };
for (let i = 0; i < RUNS; i++) {
  results.api50.push((await api(50)).ms);
  results.api500.push((await api(500)).ms);
  results.base50.push(baseline(50).ms);
  results.base500.push(baseline(500).ms);
}
h.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });

const row = (label: string, xs: number[], stmts?: number) => ({
  path: label,
  'p50 ms': +pct(xs, 50).toFixed(1),
  'p95 ms': +pct(xs, 95).toFixed(1),
  'SQL statements': stmts ?? '',
});
console.table([
  row('API competitors(first: 50), HTTP, production', results.api50, statements[50]),
  row('API competitors(first: 500), HTTP, production', results.api500, statements[500]),
  row('baseline SQL + core, 50', results.base50, 4),
  row('baseline SQL + core, 500', results.base500, 4),
]);
const ratio = pct(results.base500, 50) / pct(results.api500, 50);
console.log(
  `same data: ${mismatch.length === 0 ? 'yes' : `NO (${mismatch.length} rows differ)`} (${check.rows.filter((r) => r.activeDeal).length} live deals in the page)`,
);
console.log(
  `SQL statements first: 50 → ${statements[50]}, first: 500 → ${statements[500]} (${statements[50] === statements[500] ? 'constant' : 'NOT constant'})`,
);
console.log(
  `ratio baseline/API at p50 (first: 500): ${ratio.toFixed(3)} (1 = as fast as the hand-written path); ${RUNS} runs, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${new Date().toISOString().slice(0, 10)}`,
);
