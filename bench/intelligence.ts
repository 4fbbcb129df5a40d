/**
 * Competitor-intelligence read benchmark: the demo workspace (core/sim scenarios loaded through
 * the API's ingest, 36 competitors × 21 days by default) on a temporary SQLite file, queried over
 * real HTTP. Each query runs --runs times; the table shows SQL statements per request and the
 * median time, against `competitors { latestSnapshot }` measured in the same run as the baseline.
 *
 *   npx tsx bench/intelligence.ts [--competitors 36] [--days 21] [--runs 5]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { Db } from '../server/db/db';
import { seedDemo } from '../server/demo/seed';
import { createApp } from '../server/http/app';

const { values } = parseArgs({
  options: {
    competitors: { type: 'string', default: '36' },
    days: { type: 'string', default: '21' },
    runs: { type: 'string', default: '5' },
  },
});
const COMPETITORS = Number(values.competitors);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);

const QUERIES: [string, string][] = [
  ['baseline: latestSnapshot', 'latestSnapshot { stock }'],
  [
    'latestSnapshot activeDeal velocity',
    'latestSnapshot { stock } activeDeal { id status sellOutEta { p50 } } velocity { perHour { value lower upper } isLowerBoundOnly }',
  ],
  ['… + dataStatus', 'latestSnapshot { stock } activeDeal { id } velocity { perHour { value } } dataStatus { stale ageHours }'],
  ['deals (all detected)', 'deals(first: 10) { totalCount edges { node { id status unitsSold curveShape strategy } } }'],
  [
    'deals restocks stockoutWindows baseline',
    'deals(first: 10) { totalCount } restocks { at quantity } stockoutWindows { start durationHours opportunityUnits } baseline { avgStock dailyConsumption { value } }',
  ],
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-intel-'));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  const db = await Db.open(url);
  try {
    const t0 = performance.now();
    const { key, snapshots } = await seedDemo(db, { workspace: 'demo', seed: 42, competitors: COMPETITORS, days: DAYS });
    console.log(
      `seeded ${COMPETITORS} competitors × ${DAYS} days: ${snapshots.toLocaleString('en-US')} snapshots in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const app = await createApp(db, loadConfig({ ...process.env, DATABASE_URL: url, RESTOCK_RADAR_QUIET: '1' }));
    const base = await app.listen(0, '127.0.0.1');
    const post = async (fields: string) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: `{ competitors(first: 500) { edges { node { asin ${fields} } } } }` }),
      });
      const body = (await res.json()) as { errors?: unknown[]; data?: { competitors: { edges: unknown[] } } };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
      return body.data!.competitors.edges.length;
    };
    // Count the request's statements only (the webhook dispatcher polls its outbox in the background).
    let counted = 0;
    const log = db.counter.logQuery.bind(db.counter);
    db.counter.logQuery = (query: string) => {
      if (!/outbox|webhook|^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(query)) counted++;
      log(query);
    };
    const rows: { name: string; statements: number; median: number; n: number }[] = [];
    for (const [name, fields] of QUERIES) {
      await post(fields); // warm-up (JIT, SQLite page cache)
      const times: number[] = [];
      let statements = 0;
      let n = 0;
      for (let i = 0; i < RUNS; i++) {
        const before = counted;
        const t = performance.now();
        n = await post(fields);
        times.push(performance.now() - t);
        statements = counted - before;
      }
      times.sort((a, b) => a - b);
      rows.push({ name, statements, median: times[Math.floor(times.length / 2)], n });
    }
    const baseline = rows[0].median;
    console.log(`\ncompetitors(first: 500) { … } over HTTP, median of ${RUNS} runs (${rows[0].n} competitors)\n`);
    console.log(`| query | SQL statements | median ms | ms / competitor | × baseline |`);
    console.log(`|---|---:|---:|---:|---:|`);
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${r.statements} | ${r.median.toFixed(0)} | ${(r.median / Math.max(1, r.n)).toFixed(2)} | ${(r.median / baseline).toFixed(1)} |`,
      );
    }
    await app.close();
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
