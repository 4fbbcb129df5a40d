/**
 * Stall benchmark (issue 13 item 5, issue 16 "one request stalls the server"): how long does a
 * trivial request wait while a heavy one runs? Starts the real server in production mode as a
 * child process (`serve`, the way `npm start` runs it) on a fresh SQLite file with the demo data,
 * then, in one run:
 *   1. baseline: `{ __typename }` one after another on the idle server (p50, p99);
 *   2. the heavy request: 95 aliased competitor and product forecasts (inside the complexity
 *      limit), and concurrently a stream of `{ __typename }` requests, one after another, until the
 *      heavy one answers: their p50 / p99 / max, and the heavy request's duration and outcome;
 *   3. the ratio of the loaded p99 to the idle p99.
 * Target: p99 of `{ __typename }` during the heavy request ≤ 50 ms. Prints the machine load.
 *
 * The server runs with bench/lib/loop-monitor.mjs preloaded: per phase (idle, heavy) it reports the
 * event loop's delay (perf_hooks.monitorEventLoopDelay) and every block over 20 ms, so a slow
 * `{ __typename }` can be told apart from a blocked loop (the machine's other jobs delay the
 * process too; a block is the server's own doing).
 *
 *   node --import tsx bench/stall.ts [--rounds 3] [--workers N] [--nice N] [--budget-ms 10000]
 *        [--root DIR]        the checkout whose server runs (compare two versions on one machine)
 *        [--profile DIR]     write the server's CPU profiles there (node --cpu-prof, every thread)
 *        [--blocks]          list every block of the heavy phase (ms after the request: wall (CPU))
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Db } from '../server/db/db';
import { DEMO_SEED, seedDemo } from '../server/demo/seed';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string' },
    nice: { type: 'string' },
    'budget-ms': { type: 'string' },
    baseline: { type: 'string', default: '300' },
    root: { type: 'string' },
    profile: { type: 'string' },
    blocks: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const FORECASTS = 95;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const fmt = (x: number) => x.toFixed(1).padStart(7);
/** "p50 / p95 / p99 / max" of latencies in ms. */
const dist = (xs: number[]) => [0.5, 0.95, 0.99].map((q) => fmt(quantile(xs, q))).join(' /') + ' /' + fmt(Math.max(...xs));
const median = (xs: number[]) => quantile(xs, 0.5);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function post(url: string, key: string, query: string): Promise<{ ms: number; body: any }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  return { ms: performance.now() - t0, body };
}

/** 95 aliased forecasts: every demo competitor at two horizons, then products, until 95. */
async function heavyQuery(url: string, key: string): Promise<string> {
  const ids = (await post(url, key, '{ competitors(first: 100) { edges { node { id } } } }')).body.data.competitors.edges.map(
    (e: any) => e.node.id as string,
  );
  const skus = (await post(url, key, '{ products(first: 100) { edges { node { sku } } } }')).body.data.products.edges.map(
    (e: any) => e.node.sku as string,
  );
  const fields: string[] = [];
  for (const h of [24, 48, 72])
    for (const id of ids) fields.push(`c${fields.length}: competitor(id: "${id}") { forecast(horizonHours: ${h}) { model } }`);
  for (const d of [14, 28, 56, 90])
    for (const sku of skus) fields.push(`p${fields.length}: product(sku: "${sku}") { forecast(horizonDays: ${d}) { model } }`);
  // Products first (daily series, heavier), then competitors.
  const picked = [...fields.filter((f) => f.startsWith('p')), ...fields.filter((f) => f.startsWith('c'))].slice(0, FORECASTS);
  if (picked.length < FORECASTS) throw new Error(`only ${picked.length} forecasts available in the demo data`);
  return `{ ${picked.join('\n')} }`;
}

/** What bench/lib/loop-monitor.mjs reports for one phase (ms; blocks: start epoch ms, length, main-thread CPU in it). */
interface LoopReport {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  blocks: { at: number; ms: number; cpu: number }[];
}

/** Asks the server's loop monitor for the phase just ended (SIGUSR2) and waits for its line. */
async function loopReport(pid: number, file: string): Promise<LoopReport> {
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200 && lines().length === before; i++) await sleep(10);
  const all = lines();
  if (all.length === before) throw new Error('the server did not answer the loop report (SIGUSR2)');
  return JSON.parse(all[all.length - 1]) as LoopReport;
}

/** The loop's delay and its blocks: wall ms, and in brackets the main thread's CPU ms in them (the server's own work). */
const loopLine = (r: LoopReport) => {
  const top = [...r.blocks].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const cpu = r.blocks.reduce((a, b) => a + b.cpu, 0);
  const ms = r.blocks.reduce((a, b) => a + b.ms, 0);
  return (
    `loop delay p99 ${r.p99} max ${r.max} ms; ${r.blocks.length} block(s) > 20 ms, ${ms} ms (CPU ${cpu} ms)` +
    (top.length ? `, longest ${top.map((b) => `${b.ms} (${b.cpu})`).join(', ')} ms` : '')
  );
};

interface Round {
  idle: number[];
  during: number[];
  heavyMs: number;
  loop: LoopReport;
}

/** One round: the idle baseline, then `{ __typename }` one after another while the heavy request runs. */
async function round(url: string, key: string, heavy: string, pid: number, report: string, n: number): Promise<Round> {
  const idle: number[] = [];
  for (let i = 0; i < Number(values.baseline); i++) idle.push((await post(url, key, '{ __typename }')).ms);
  const idleLoop = await loopReport(pid, report);
  const loadBefore = load();
  const during: number[] = [];
  let done = false;
  const heavyAt = Date.now();
  const h = post(url, key, heavy).then((r) => ((done = true), r));
  while (!done) during.push((await post(url, key, '{ __typename }')).ms);
  const { ms, body } = await h;
  const loop = await loopReport(pid, report);
  const outcome = body.errors ? `error ${body.errors[0].extensions?.code}` : `${Object.keys(body.data).length} forecasts`;
  console.log(
    `round ${n} (load ${loadBefore}):\n` +
      `  idle   { __typename } p50/p95/p99/max ${dist(idle)} ms (n ${idle.length}); ${loopLine(idleLoop)}\n` +
      `  during { __typename } p50/p95/p99/max ${dist(during)} ms (n ${during.length}); ${loopLine(loop)}\n` +
      `  heavy request ${ms.toFixed(0)} ms (${outcome}); p99 during / idle ${(quantile(during, 0.99) / quantile(idle, 0.99)).toFixed(1)}×`,
  );
  if (values.blocks)
    console.log('  blocks (ms after the request: wall (CPU) ms):', loop.blocks.map((b) => `${b.at - heavyAt}:${b.ms}(${b.cpu})`).join(' '));
  return { idle, during, heavyMs: ms, loop };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-stall-'));
  const file = join(dir, 'stall.db');
  const report = join(dir, 'loop.jsonl');
  const db = await Db.open(`sqlite:${file}`);
  const { key } = await seedDemo(db, { workspace: 'demo', seed: DEMO_SEED });
  await db.close();
  const monitor = fileURLToPath(new URL('./lib/loop-monitor.mjs', import.meta.url));
  const nodeOptions = [`--import=${monitor}`];
  if (values.profile) nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${resolve(values.profile)}`);
  const env: Record<string, string> = {
    DATABASE_URL: `sqlite:${file}`,
    NODE_ENV: 'production',
    RESTOCK_RADAR_LOOP_REPORT: report,
    NODE_OPTIONS: nodeOptions.join(' '),
  };
  if (values.workers) env.RESTOCK_RADAR_WORKERS = values.workers;
  if (values.nice) env.RESTOCK_RADAR_WORKER_NICE = values.nice;
  if (values['budget-ms']) env.RESTOCK_RADAR_TIME_BUDGET_MS = values['budget-ms'];
  const root = resolve(values.root ?? '.');
  const server = await spawnServer(env, { cwd: root });
  try {
    const heavy = await heavyQuery(server.url, key);
    console.log(
      `stall bench: production server from ${root}, demo data, ${FORECASTS} aliased forecasts; workers ${values.workers ?? 'default'}, nice ${values.nice ?? 'default'}; ` +
        `${cpus().length} cores; load ${load()}`,
    );
    // Warm-up: JIT, pool threads, the forecast runs' table.
    await post(server.url, key, heavy);
    for (let i = 0; i < 50; i++) await post(server.url, key, '{ __typename }');
    await loopReport(server.child.pid!, report);
    const rounds: Round[] = [];
    for (let n = 1; n <= ROUNDS; n++) rounds.push(await round(server.url, key, heavy, server.child.pid!, report, n));
    const med = (f: (r: Round) => number) => median(rounds.map(f)).toFixed(1);
    console.log(
      `median of ${ROUNDS} round(s): idle p99 ${med((r) => quantile(r.idle, 0.99))} ms; during p50 ${med((r) => quantile(r.during, 0.5))} / ` +
        `p95 ${med((r) => quantile(r.during, 0.95))} / p99 ${med((r) => quantile(r.during, 0.99))} ms (target p99 ≤ 50); ` +
        `loop max ${med((r) => r.loop.max)} ms; heavy ${med((r) => r.heavyMs)} ms; load ${load()}`,
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
