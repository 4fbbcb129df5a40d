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
 *   node --import tsx bench/stall.ts [--rounds 3] [--workers N] [--budget-ms 10000]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../server/db/db';
import { DEMO_SEED, seedDemo } from '../server/demo/seed';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string' },
    'budget-ms': { type: 'string' },
    baseline: { type: 'string', default: '300' },
  },
});
const ROUNDS = Number(values.rounds);
const FORECASTS = 95;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const fmt = (x: number) => x.toFixed(1).padStart(8);
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-stall-'));
  const file = join(dir, 'stall.db');
  const db = await Db.open(`sqlite:${file}`);
  const { key } = await seedDemo(db, { workspace: 'demo', seed: DEMO_SEED });
  await db.close();
  const env: Record<string, string> = { DATABASE_URL: `sqlite:${file}`, NODE_ENV: 'production' };
  if (values.workers) env.RESTOCK_RADAR_WORKERS = values.workers;
  if (values['budget-ms']) env.RESTOCK_RADAR_TIME_BUDGET_MS = values['budget-ms'];
  const server = await spawnServer(env);
  try {
    const heavy = await heavyQuery(server.url, key);
    console.log(
      `stall bench: production server, demo data, ${FORECASTS} aliased forecasts; workers ${values.workers ?? 'default (cores)'}`,
    );
    // Warm-up: JIT, pool threads, the forecast runs' table.
    await post(server.url, key, heavy);
    for (let i = 0; i < 50; i++) await post(server.url, key, '{ __typename }');
    for (let round = 1; round <= ROUNDS; round++) {
      const idle: number[] = [];
      for (let i = 0; i < Number(values.baseline); i++) idle.push((await post(server.url, key, '{ __typename }')).ms);
      const during: number[] = [];
      let done = false;
      const h = post(server.url, key, heavy).then((r) => ((done = true), r));
      while (!done) during.push((await post(server.url, key, '{ __typename }')).ms);
      const { ms, body } = await h;
      const outcome = body.errors ? `error ${body.errors[0].extensions?.code}` : `${Object.keys(body.data).length} forecasts`;
      console.log(
        `round ${round}: idle { __typename } p50 ${fmt(quantile(idle, 0.5))} ms p99 ${fmt(quantile(idle, 0.99))} ms (n ${idle.length}) | ` +
          `during heavy p50 ${fmt(quantile(during, 0.5))} ms p99 ${fmt(quantile(during, 0.99))} ms max ${fmt(Math.max(...during))} ms (n ${during.length}) | ` +
          `ratio p99 ${(quantile(during, 0.99) / quantile(idle, 0.99)).toFixed(1)}× | heavy ${ms.toFixed(0)} ms (${outcome}) | load ${load()}`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
