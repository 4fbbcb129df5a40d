/**
 * What each expensive field costs, measured (issue 16: "the price of each field reflects what it
 * costs"). Starts the real production server (child process, one worker thread so a request's
 * wall time is its work, a budget out of the way) on the demo data, and for each field measures
 * the server's CPU time (/proc, every thread) of a request that asks it for many subjects against
 * the same request without it:
 *
 *   ms per field = (CPU ms of the request with the field − CPU ms of the floor) / subjects
 *
 * The suggested weight is ms per field / POINT_MS: one complexity point stands for 0.1 ms of CPU,
 * so the default limit (100,000) is about the default time budget (10 s) of work on one thread. A
 * plain stored field (measured too, for reference) costs far less but still counts 1.
 * docs/performance.md holds the table; server/graphql/limits.ts FIELD_WEIGHTS the weights.
 *
 *   node --import tsx bench/field-costs.ts [--repeat 10]
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../server/db/db';
import { DEMO_SEED, seedDemo } from '../server/demo/seed';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '10' } } });
const REPEAT = Number(values.repeat);
/** CPU ms one complexity point stands for. */
const POINT_MS = 0.1;

async function post(url: string, key: string, query: string): Promise<{ ms: number; body: any }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${query.slice(0, 120)}: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return { ms: performance.now() - t0, body };
}

/** CPU time (user + system, every thread: the event loop and the pool) of a process so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/**
 * The server's CPU ms per request of `query` (mean over REPEAT after a warm-up). CPU time, not
 * wall time: on a shared machine the wall clock measures the other jobs as much as the request.
 */
async function timed(url: string, key: string, query: string, pid: number): Promise<number> {
  await post(url, key, query); // warm-up (JIT, caches of this shape)
  const before = cpuMs(pid);
  for (let i = 0; i < REPEAT; i++) await post(url, key, query);
  return (cpuMs(pid) - before) / REPEAT;
}

interface Case {
  field: string;
  subjects: number;
  query: string;
  floor: string;
}

function cases(ids: string[], skus: string[], suppliers: string[], dealIds: string[]): Case[] {
  const C = ids.length;
  const P = skus.length;
  const comp = (sel: string) => `{ competitors(first: ${C}) { edges { node { id ${sel} } } } }`;
  const prod = (sel: string) => `{ products(first: ${P}) { edges { node { sku ${sel} } } } }`;
  const aliased = (n: number, f: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f(i)}`).join('\n')} }`;
  const K = 6;
  return [
    { field: 'Competitor.forecast', subjects: C, query: comp('forecast(horizonHours: 24) { model }'), floor: comp('') },
    { field: 'Product.forecast', subjects: P, query: prod('forecast(horizonDays: 28) { model }'), floor: prod('') },
    { field: 'Product.forecastVsActual', subjects: P, query: prod('forecastVsActual { overall { matched } }'), floor: prod('') },
    { field: 'Product.replenishmentPlan', subjects: P, query: prod('replenishmentPlan { reorderPoint }'), floor: prod('') },
    {
      field: 'Product.replenishmentPlan(FORECAST)',
      subjects: P,
      query: prod('replenishmentPlan(demandSource: FORECAST) { reorderPoint }'),
      floor: prod(''),
    },
    { field: 'Competitor.activeDeal', subjects: C, query: comp('activeDeal { id }'), floor: comp('') },
    { field: 'Competitor.deals', subjects: C, query: comp('deals { edges { node { id } } }'), floor: comp('') },
    { field: 'Competitor.velocity', subjects: C, query: comp('velocity { perHour { value } }'), floor: comp('') },
    { field: 'Competitor.restocks', subjects: C, query: comp('restocks { at }'), floor: comp('') },
    { field: 'Competitor.stockoutWindows', subjects: C, query: comp('stockoutWindows { start }'), floor: comp('') },
    { field: 'Competitor.baseline', subjects: C, query: comp('baseline { coveredDays }'), floor: comp('') },
    { field: 'Competitor.dataStatus', subjects: C, query: comp('dataStatus { stale }'), floor: comp('') },
    ...(dealIds.length
      ? [
          {
            field: 'Competitor.dealComparison',
            subjects: dealIds.length,
            query: aliased(
              dealIds.length,
              (i) =>
                `competitor(id: "${dealIds[i].split('|')[0]}") { dealComparison(dealId: "${dealIds[i].split('|')[1]}") { actualUnits } }`,
            ),
            floor: aliased(dealIds.length, (i) => `competitor(id: "${dealIds[i].split('|')[0]}") { id }`),
          },
        ]
      : []),
    {
      field: 'Query.compareSuppliers',
      subjects: K,
      query: aliased(
        K,
        (i) =>
          `compareSuppliers(input: { sku: "${skus[0]}", seed: ${i + 1}, suppliers: [{ supplierId: "${suppliers[0]}" }, { supplierId: "${suppliers[1]}" }] }) { recommended }`,
      ),
      floor: aliased(K, () => `product(sku: "${skus[0]}") { sku }`),
    },
    {
      field: 'Query.profitabilityScenario',
      subjects: K,
      query: aliased(K, (i) => `profitabilityScenario(input: { sku: "${skus[i % P]}", horizonDays: ${180 + i} }) { best { quantity } }`),
      floor: aliased(K, (i) => `product(sku: "${skus[i % P]}") { sku }`),
    },
    { field: 'Query.skuPriorityMatrix', subjects: 1, query: '{ skuPriorityMatrix { reorderQueue } }', floor: '{ __typename }' },
    {
      field: 'Query.forecastAccuracy',
      subjects: C,
      query: aliased(C, (i) => `forecastAccuracy(subjectType: COMPETITOR, subjectId: "${ids[i]}") { overall { matched } }`),
      floor: aliased(C, (i) => `competitor(id: "${ids[i]}") { id }`),
    },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-costs-'));
  const file = join(dir, 'costs.db');
  const db = await Db.open(`sqlite:${file}`);
  const { key } = await seedDemo(db, { workspace: 'demo', seed: DEMO_SEED });
  await db.close();
  const server = await spawnServer({
    DATABASE_URL: `sqlite:${file}`,
    NODE_ENV: 'production',
    RESTOCK_RADAR_WORKERS: '1',
    RESTOCK_RADAR_TIME_BUDGET_MS: '600000',
    RESTOCK_RADAR_MAX_COMPLEXITY: '100000000',
  });
  try {
    const url = server.url;
    const pid = server.child.pid!;
    const ids: string[] = (await post(url, key, '{ competitors(first: 100) { edges { node { id } } } }')).body.data.competitors.edges.map(
      (e: any) => e.node.id,
    );
    const skus: string[] = (await post(url, key, '{ products(first: 100) { edges { node { sku } } } }')).body.data.products.edges.map(
      (e: any) => e.node.sku,
    );
    const suppliers: string[] = (await post(url, key, '{ suppliers(first: 10) { edges { node { id } } } }')).body.data.suppliers.edges.map(
      (e: any) => e.node.id,
    );
    const deals: any[] = (
      await post(url, key, `{ competitors(first: 100) { edges { node { id deals(first: 1) { edges { node { id } } } } } } }`)
    ).body.data.competitors.edges;
    const dealIds = deals
      .filter((e) => e.node.deals.edges.length)
      .map((e) => `${e.node.id}|${e.node.deals.edges[0].node.id}`)
      .slice(0, 12);
    // A plain field: 36 competitors × 40 aliased stored fields, minus the page of ids, per field.
    const plainFields = Array.from({ length: 10 }, (_, i) => `a${i}: asin b${i}: brand m${i}: marketplace i${i}: id`).join(' ');
    const plain =
      (await timed(url, key, `{ competitors(first: ${ids.length}) { edges { node { id ${plainFields} } } } }`, pid)) -
      (await timed(url, key, `{ competitors(first: ${ids.length}) { edges { node { id } } } }`, pid));
    const unit = plain / (ids.length * 40);
    console.log(
      `field costs on the demo data (${ids.length} competitors, ${skus.length} products), server CPU ms, mean of ${REPEAT}; load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(`plain stored field: ${unit.toFixed(4)} ms; one complexity point = ${POINT_MS} ms`);
    console.log(`${'field'.padEnd(38)} ${'ms/field'.padStart(9)} ${'weight'.padStart(8)}`);
    for (const c of cases(ids, skus, suppliers, dealIds)) {
      const ms = Math.max(0, (await timed(url, key, c.query, pid)) - (await timed(url, key, c.floor, pid))) / c.subjects;
      console.log(
        `${c.field.padEnd(38)} ${ms.toFixed(2).padStart(9)} ${Math.round(ms / POINT_MS)
          .toString()
          .padStart(8)}`,
      );
    }
    console.log(
      `load after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
