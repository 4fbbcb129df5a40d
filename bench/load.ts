/**
 * Load test (issue 8): mixed traffic on loopback against the spawned server (SQLite file,
 * NODE_ENV=production) from a bounded concurrent fetch script: ingest batches, deal queries, plan
 * queries and alert acknowledgements. Zero errors expected; prints throughput and p50/p95/p99 per
 * operation.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--concurrency 8]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../server/db/db';
import { compose } from '../server/root';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';
import { spawnServer } from '../tests/helpers/server-process';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '8' } } });
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
if (!(SECONDS > 0) || !(CONCURRENCY >= 1))
  throw new RangeError(`--seconds must be > 0 and --concurrency ≥ 1, got ${SECONDS}, ${CONCURRENCY}`);

const H = 3_600_000;
const NOW = Date.now();
const COMPETITORS = 100;
const PRODUCTS = 100;
const ALERTS = 200;
const dir = mkdtempSync(join(tmpdir(), 'rr-load-'));
const databaseUrl = `sqlite:${join(dir, 'load.db')}`;

// Alerts are raised by the evaluator inside the server; seed a set directly before it starts.
let key: string;
const alertIds: string[] = [];
{
  const db = await Db.open(databaseUrl);
  key = (await new WorkspaceService(db).createKey('load')).key;
  const wsId = (await db.manager.query(`SELECT id FROM workspace WHERE name = 'load'`))[0].id;
  const { services } = compose(db);
  const events = await services.alerts.apply(
    wsId,
    Array.from({ length: ALERTS }, (_, i) => ({
      action: 'RAISE' as const,
      kind: 'DATA_STALE' as const,
      level: 'ORANGE' as const,
      subjectType: 'COMPETITOR' as const,
      subjectId: `load-${i}`,
      subjectLabel: `load-${i}`,
      title: 'stale',
      message: 'stale',
      explanation: { formula: 'f', inputs: {}, steps: [], notes: [] },
      at: new Date(NOW - H),
    })),
  );
  for (const e of events) alertIds.push(e.alert.id);
  await db.close();
}

const server = await spawnServer({ NODE_ENV: 'production', DATABASE_URL: databaseUrl }, { stderr: 'inherit' });
const url = server.url;

async function call(query: string, variables?: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: { message: string }[] };
  if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors).slice(0, 300)}`);
}

// ---- seed: 100 competitors × 7 days hourly (every 5th with a live deal), 100 products with sales ----
const asin = (i: number) => `B0LOAD${String(i).padStart(4, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();
const RECORD = `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`;
{
  const rows: object[] = [];
  const start = Math.floor(NOW / H) * H - 168 * H;
  for (let c = 0; c < COMPETITORS; c++) {
    for (let k = 0; k < 168; k++) {
      const deal = c % 5 === 0 && k >= 162;
      rows.push({
        asin: asin(c),
        capturedAt: iso(start + k * H),
        stock: deal ? 300 - (k - 162) * 25 : 900 - ((k * 7) % 200),
        price: 19.99,
        source: 'load',
        ...(deal ? { dealType: 'LIGHTNING', dealQuantity: 200, dealClaimedPercent: (k - 161) * 10, dealEndsAt: iso(start + 172 * H) } : {}),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 10_000) await call(RECORD, { i: rows.slice(i, i + 10_000) });
  await call(
    `mutation { upsertSupplier(input: { name: "Load supplier", procurement: { mean: 5, sd: 1 }, shipping: { mean: 12, sd: 3 }, inbound: { mean: 2 }, orderCost: 40 }) { id } }`,
  );
  const sales: object[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    await call(`mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
      i: { sku: `LOAD-${p}`, name: `Product ${p}`, unitCost: 4 + (p % 5), price: 15 + (p % 9), onHand: 50 + p, supplier: 'Load supplier' },
    });
    for (let d = 1; d <= 90; d++)
      sales.push({ sku: `LOAD-${p}`, date: iso(NOW - d * 24 * H).slice(0, 10), units: (p + d) % 9, inStock: d % 17 !== 0 });
  }
  for (let i = 0; i < sales.length; i += 10_000)
    await call(`mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted } }`, { i: sales.slice(i, i + 10_000) });
}

// ---- the mix ----------------------------------------------------------------------------------------
let seq = 0;
const CAUSES = ['COMPETITOR_EVENT', 'MARKETING', 'SUPPLY_DELAY', 'OTHER'];
const OPS: { name: string; weight: number; run: (n: number) => Promise<void> }[] = [
  {
    name: 'ingest (100-row batch)',
    weight: 2,
    run: (n) => {
      const base = NOW - 30 * 24 * H;
      return call(RECORD, {
        i: Array.from({ length: 100 }, (_, k) => ({
          asin: asin(n % COMPETITORS),
          capturedAt: iso(base + seq++ * 1000 + k),
          stock: 500 - k,
          source: 'load-live',
        })),
      });
    },
  },
  {
    name: 'deal query (50 competitors)',
    weight: 3,
    run: () =>
      call(
        `{ competitors(first: 50) { edges { node { asin activeDeal { id status unitsSold sellOutEta { p10 p50 p90 } } deals(first: 3) { totalCount } latestSnapshot { stock } } } } }`,
      ),
  },
  {
    name: 'plan query (50 products)',
    weight: 3,
    run: () => call(`{ products(first: 50) { edges { node { sku replenishmentPlan { reorderPoint orderQuantity orderByDate } } } } }`),
  },
  {
    name: 'acknowledgeAlert',
    weight: 2,
    run: (n) =>
      call(`mutation($id: ID!, $c: AlertCause!) { acknowledgeAlert(id: $id, cause: $c) { status } }`, {
        id: alertIds[n % ALERTS],
        c: CAUSES[n % CAUSES.length],
      }),
  },
];
const wheel = OPS.flatMap((op) => Array.from({ length: op.weight }, () => op));
const lat = new Map<string, number[]>(OPS.map((o) => [o.name, []]));
const errs = new Map<string, string[]>(OPS.map((o) => [o.name, []]));

console.log(
  `Load: ${SECONDS} s, ${CONCURRENCY} concurrent clients, mix ${OPS.map((o) => `${o.name}×${o.weight}`).join(', ')}; server NODE_ENV=production on SQLite`,
);
const end = performance.now() + SECONDS * 1000;
let counter = 0;
async function worker(): Promise<void> {
  while (performance.now() < end) {
    const n = counter++;
    const op = wheel[(n * 7) % wheel.length];
    const t = performance.now();
    try {
      await op.run(n);
      lat.get(op.name)!.push(performance.now() - t);
    } catch (e) {
      errs.get(op.name)!.push(String(e));
    }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const elapsed = (performance.now() - started) / 1000;
await server.stop();
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(1) : NaN;
};
console.table(
  OPS.map((o) => {
    const xs = lat.get(o.name)!;
    return {
      operation: o.name,
      requests: xs.length,
      errors: errs.get(o.name)!.length,
      'req/s': +(xs.length / elapsed).toFixed(1),
      'p50 ms': pct(xs, 50),
      'p95 ms': pct(xs, 95),
      'p99 ms': pct(xs, 99),
    };
  }),
);
const all = [...lat.values()].flat();
const errors = [...errs.values()].flat();
console.log(
  `total ${all.length} requests in ${elapsed.toFixed(1)} s = ${(all.length / elapsed).toFixed(1)} req/s; p50 ${pct(all, 50)} ms, p95 ${pct(all, 95)} ms, p99 ${pct(all, 99)} ms; errors ${errors.length}`,
);
if (errors.length) console.log(`first error: ${errors[0]}`);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${new Date().toISOString()}`);
process.exitCode = errors.length ? 1 : 0;
