/**
 * Read benchmark (issue 13): the add-on's pull `competitors(first: 500) { latestSnapshot activeDeal
 * velocity }` against the floor `competitors(first: 500) { id asin }`, both over real HTTP against
 * the server as its own production process, measured in the same run, at several history lengths
 * (snapshots per competitor, 10-minute captures; bench/lib/read-data.ts) on SQLite and PostgreSQL.
 *
 * Per request it reports p50/p90 latency, the rows the database returned and the SQL statements sent
 * (both from the server's /metrics, the scrape's own cost subtracted), and the statements of the
 * same query at first: 50 (must equal first: 500's). The server's peak RSS over the timed requests is
 * sampled from /proc every 25 ms. Every request uses a fresh connection (no keep-alive socket can be
 * reused after a stall) and nothing is retried: an error ends the run with that error.
 *
 *   npx tsx bench/read.ts [--competitors 200] [--snapshots 100,1000,5000] [--runs 20]
 *                         [--db sqlite,postgres] [--page 500]
 * PostgreSQL needs TEST_DATABASE_URL (a fresh database is created and dropped per scale).
 */
import 'reflect-metadata';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DAY_MS } from '../core/series/types';
import { Db } from '../server/db/db';
import { FactsService } from '../server/modules/facts/facts.service';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';
import { freshDatabaseUrl } from '../tests/helpers/server';
import { spawnServer } from '../tests/helpers/server-process';
import { CAPTURE_MS, generateReadData } from './lib/read-data';

const { values } = parseArgs({
  options: {
    competitors: { type: 'string', default: '200' },
    snapshots: { type: 'string', default: '100,1000,5000' },
    runs: { type: 'string', default: '20' },
    db: { type: 'string', default: process.env.TEST_DATABASE_URL ? 'sqlite,postgres' : 'sqlite' },
    page: { type: 'string', default: '500' },
  },
});
const C = Number(values.competitors);
const SCALES = values.snapshots.split(',').map(Number);
const RUNS = Number(values.runs);
const PAGE = Number(values.page);
const DBS = values.db.split(',') as ('sqlite' | 'postgres')[];
if (DBS.includes('postgres') && !process.env.TEST_DATABASE_URL) throw new Error('--db postgres needs TEST_DATABASE_URL');

const FULL = (n: number) =>
  `{ competitors(first: ${n}) { edges { node { id latestSnapshot { stock capturedAt } activeDeal { id } velocity { perHour { value lower upper } } } } } }`;
const FLOOR = (n: number) => `{ competitors(first: ${n}) { edges { node { id asin } } } }`;

/** One HTTP exchange on a connection of its own (agent: false, Connection: close). */
function http(url: string, method: 'GET' | 'POST', key: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: { connection: 'close', authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        timeout: 600_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`${method} ${url}: HTTP ${res.statusCode}: ${text.slice(0, 500)}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 600 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface Counters {
  statements: number;
  rows: number;
}

async function scrape(base: string, key: string): Promise<Counters> {
  const text = await http(`${base}/metrics`, 'GET', key);
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { statements: metric('restock_radar_db_statements_total'), rows: metric('restock_radar_db_rows_read_total') };
}

/** Peak resident set of a process, sampled from /proc every 25 ms until stopped (MB). */
function rssSampler(pid: number) {
  let peak = 0;
  const sample = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  };
  sample();
  const timer = setInterval(sample, 25);
  return {
    reset: () => ((peak = 0), sample()),
    stop: () => (clearInterval(timer), sample(), peak),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

interface Measured {
  db: string;
  snapshots: number;
  floor: number[];
  full: number[];
  rowsFull: number;
  rowsFloor: number;
  stmtsFull: number;
  stmtsFull50: number;
  stmtsFloor: number;
  rssMb: number;
  liveDeals: number;
}

async function runScale(dbKind: 'sqlite' | 'postgres', snapshots: number): Promise<Measured> {
  const { url, cleanup } = await freshDatabaseUrl(dbKind === 'postgres' ? process.env.TEST_DATABASE_URL : undefined);
  const now = Math.floor(Date.now() / CAPTURE_MS) * CAPTURE_MS;
  const t0 = performance.now();
  let key: string;
  {
    const db = await Db.open(url);
    key = (await new WorkspaceService(db).createKey('bench')).key;
    const [{ id: workspaceId }] = await db.manager.query(`SELECT id FROM workspace WHERE name = 'bench'`);
    await generateReadData(db, workspaceId, { competitors: C, snapshots, now });
    await prepareFacts(db);
    await db.close();
  }
  const genS = (performance.now() - t0) / 1000;
  const server = await spawnServer({ NODE_ENV: 'production', DATABASE_URL: url }, { stderr: 'inherit' });
  try {
    const gql = async (query: string) => {
      const start = performance.now();
      const text = await http(`${server.url}/graphql`, 'POST', key, JSON.stringify({ query }));
      const body = JSON.parse(text) as { data?: { competitors: { edges: { node: { activeDeal?: unknown } }[] } }; errors?: unknown };
      if (!body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 1000)}`);
      return { ms: performance.now() - start, body };
    };
    // Counters for one request: scrape, request, scrape; minus what a scrape alone costs.
    // The server's background workers (outbox, alert and retention schedulers) also query now and
    // then and only ever add: the least of three measurements is the request's own count.
    const counted = async (query: string) => {
      let best = { statements: Infinity, rows: Infinity };
      let res: Awaited<ReturnType<typeof gql>> | null = null;
      for (let i = 0; i < 3; i++) {
        const a = await scrape(server.url, key);
        const b = await scrape(server.url, key);
        res = await gql(query);
        const c = await scrape(server.url, key);
        const scrapeCost = { statements: b.statements - a.statements, rows: b.rows - a.rows };
        best = {
          statements: Math.min(best.statements, c.statements - b.statements - scrapeCost.statements),
          rows: Math.min(best.rows, c.rows - b.rows - scrapeCost.rows),
        };
      }
      return { res: res!, ...best };
    };
    const warm = await counted(FULL(PAGE));
    const liveDeals = warm.res.body.data!.competitors.edges.filter((e) => e.node.activeDeal).length;
    const full50 = await counted(FULL(50));
    const floorC = await counted(FLOOR(PAGE));
    const rss = rssSampler(server.child.pid!);
    const floor: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push((await gql(FLOOR(PAGE))).ms);
      full.push((await gql(FULL(PAGE))).ms);
    }
    const rssMb = rss.stop();
    console.error(
      `  ${dbKind} ${C} × ${snapshots}: data in ${genS.toFixed(1)} s; full p50 ${pct(full, 50).toFixed(1)} / p90 ${pct(full, 90).toFixed(1)} ms, ` +
        `floor p50 ${pct(floor, 50).toFixed(1)} / p90 ${pct(floor, 90).toFixed(1)} ms, ratio ${(pct(full, 50) / pct(floor, 50)).toFixed(2)}; ` +
        `rows read ${warm.rows} (floor ${floorC.rows}); statements ${full50.statements} at first: 50, ${warm.statements} at first: ${PAGE}; ` +
        `peak RSS ${rssMb.toFixed(0)} MB; ${liveDeals} live deals (load ${loadavg()[0].toFixed(2)})`,
    );
    return {
      db: dbKind,
      snapshots,
      floor,
      full,
      rowsFull: warm.rows,
      rowsFloor: floorC.rows,
      stmtsFull: warm.statements,
      stmtsFull50: full50.statements,
      stmtsFloor: floorC.statements,
      rssMb,
      liveDeals,
    };
  } finally {
    await server.stop();
    await cleanup();
  }
}

/**
 * Derived facts for data written straight into the tables: the server keeps them at ingest, so rows
 * that bypassed the API are rebuilt once here, before the server starts (timed and reported apart).
 */
async function prepareFacts(db: Db): Promise<void> {
  const t = performance.now();
  const r = await new FactsService(db).rebuild();
  console.error(
    `  facts rebuilt for ${r.competitors} competitors (${r.facts} intervals) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

console.log(
  `Read benchmark: ${C.toLocaleString()} competitors, page ${PAGE}, ${RUNS} runs per query; snapshots per competitor ${SCALES.join(', ')} (10-minute captures, ${(
    (Math.max(...SCALES) * CAPTURE_MS) /
    DAY_MS
  ).toFixed(1)} days at most); ${DBS.join(' and ')}; load at start ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const results: Measured[] = [];
for (const d of DBS) for (const s of SCALES) results.push(await runScale(d, s));

console.table(
  results.map((r) => ({
    db: r.db,
    'snapshots/comp': r.snapshots,
    'full p50 ms': +pct(r.full, 50).toFixed(1),
    'full p90 ms': +pct(r.full, 90).toFixed(1),
    'floor p50 ms': +pct(r.floor, 50).toFixed(1),
    'floor p90 ms': +pct(r.floor, 90).toFixed(1),
    'p50 ratio full/floor': +(pct(r.full, 50) / pct(r.floor, 50)).toFixed(2),
    'rows read (full)': r.rowsFull,
    'rows read (floor)': r.rowsFloor,
    'SQL stmts first:50 / first:500': `${r.stmtsFull50} / ${r.stmtsFull}`,
    'server peak RSS MB': +r.rssMb.toFixed(0),
    'live deals': r.liveDeals,
  })),
);
for (const d of DBS) {
  const rs = results.filter((r) => r.db === d);
  const rows = rs.map((r) => r.rowsFull);
  console.log(
    `${d}: rows read per request across ${rs.map((r) => r.snapshots).join('/')} snapshots: ${rows.join(' / ')} (max/min ${(Math.max(...rows) / Math.max(1, Math.min(...rows))).toFixed(2)}, target ≤ 1.5); ` +
      `p50 ratio full/floor ${rs.map((r) => (pct(r.full, 50) / pct(r.floor, 50)).toFixed(2)).join(' / ')} (target ≤ 4); ` +
      `statements constant in page size: ${rs.every((r) => r.stmtsFull === r.stmtsFull50) ? 'yes' : 'NO'}; peak RSS ${rs.map((r) => r.rssMb.toFixed(0)).join(' / ')} MB (target ≤ 400)`,
  );
}
console.log(
  `${cpus()[0]?.model ?? '?'} × ${cpus().length}; load at end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${new Date().toISOString()}`,
);
