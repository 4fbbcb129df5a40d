/**
 * The Keepa connector end to end: the real CLI (`keepa sync`) in its own process and the server's
 * scheduled job, both against a fake Keepa on 127.0.0.1 (tests/helpers/keepa-fake.ts) that replays
 * the documented `/product` shapes with token accounting and 429s; the stored readings read back
 * through the GraphQL API. Run on SQLite and PostgreSQL (tests/helpers/database.ts).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { type App, createApp } from '../../server/http/app';
import type { KeepaSyncSummary } from '../../server/modules/keepa/keepa.service';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { FakeKeepa, type FakeProduct, keepaMinute } from '../helpers/keepa-fake';
import { freshDatabaseUrl } from '../helpers/server';

/** A port nothing listens on (one just released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const cli = ['--import', 'tsx', 'server/cli.ts'];
const KEY = 'k'.repeat(64);
const HOUR = 3_600_000;

/** Ten days of history: rank, new price, offer count, rating, reviews every 12 h; one offer's stock falling 5 units every 6 h. */
function product(asin: string, domainId: number, now: number, rankBase: number): FakeProduct {
  const t0 = now - 10 * 24 * HOUR;
  const every = (stepH: number, value: (i: number) => number) => {
    const out: number[] = [];
    for (let i = 0; t0 + i * stepH * HOUR <= now - HOUR; i++) out.push(keepaMinute(t0 + i * stepH * HOUR), value(i));
    return out;
  };
  return {
    asin,
    domainId,
    title: `Product ${asin}`,
    brand: 'Acme',
    csv: {
      1: every(12, (i) => 2999 - (i % 2) * 100),
      3: every(12, (i) => rankBase + (i % 3) * 50),
      11: every(12, () => 4),
      16: every(24, () => 45),
      17: every(24, (i) => 100 + i),
    },
    monthlySold: 300,
    lastUpdate: keepaMinute(now - 30 * 60_000),
    offerStock: [every(6, (i) => 200 - 5 * i)],
  };
}

describeDatabase('Keepa connector', (databaseUrl) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let db: Db;
  let app: App;
  let base: string;
  let apiKey: string;
  const fake = new FakeKeepa({ key: KEY, tokens: 1000, refillRate: 100, refillPeriodMs: 300 });
  const now = Date.now();
  const US = Array.from({ length: 120 }, (_, i) => `B0US${String(i).padStart(6, '0')}`);

  const run = (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...cli, ...args], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          RESTOCK_RADAR_QUIET: '1',
          RESTOCK_RADAR_KEEPA_KEY: KEY,
          RESTOCK_RADAR_KEEPA_URL: fake.url,
          ...env,
        },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('close', (code) => (clearTimeout(timer), resolve({ code, out, err })));
    });
  const rows = async (asin: string) =>
    Number(
      (
        await db.manager.query(
          `SELECT COUNT(*) AS n FROM snapshot s JOIN competitor c ON c.id = s.competitor_id WHERE c.asin = ${db.param(1)}`,
          [asin],
        )
      )[0].n,
    );

  beforeAll(async () => {
    ({ url, cleanup } = await freshDatabaseUrl(databaseUrl));
    await fake.start();
    fake.add(product('B0DE000001', 3, now, 1200));
    fake.add(product('B0DE000002', 3, now, 40_000));
    US.forEach((a, i) => fake.add(product(a, 1, now, 500 + i * 100)));
    const k = await run(['apikey', 'create', '--workspace', 'acme']);
    expect(k.code, k.err).toBe(0);
    apiKey = /API key \(shown once\): (\S+)/.exec(k.out)![1];
    db = await Db.open(url);
    app = await createApp(
      db,
      loadConfig({
        ...process.env,
        DATABASE_URL: url,
        RESTOCK_RADAR_QUIET: '1',
        RESTOCK_RADAR_KEEPA_KEY: KEY,
        RESTOCK_RADAR_KEEPA_URL: fake.url,
        RESTOCK_RADAR_KEEPA_WORKSPACES: 'acme',
      }),
    );
    base = await app.listen(0, '127.0.0.1');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await fake.stop();
    await cleanup?.();
  });

  it('is off without a key, and says how to turn it on', async () => {
    const r = await run(['keepa', 'sync', '--workspace', 'acme'], { RESTOCK_RADAR_KEEPA_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Keepa connector is off: set RESTOCK_RADAR_KEEPA_KEY/);
    expect(fake.requests).toHaveLength(0);
  }, 240_000);

  it('stores named ASINs as new listings with their histories, title and brand; a second sync merges', async () => {
    const r = await run([
      'keepa',
      'sync',
      '--workspace',
      'acme',
      '--asin',
      'B0DE000001,B0DE000002',
      '--marketplace',
      'DE',
      '--offers',
      '20',
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/DE: 2\/2 ASINs \| [\d,]+ readings inserted \| [\d,]+ tokens left/);
    expect(r.out).toMatch(/2 listing\(s\) created, 2 title\/brand\(s\) updated/);
    const req = fake.requests.at(-1)!;
    expect(req).toMatchObject({ status: 200, domain: 3, asins: ['B0DE000001', 'B0DE000002'] });
    expect(req.params).toMatchObject({ key: KEY, history: '1', rating: '1', days: '90', offers: '20', stock: '1' });
    const stored = await rows('B0DE000001');
    expect(stored).toBeGreaterThan(20);

    const d = await gqlOk(
      base,
      apiKey,
      `{ competitor(asin: "B0DE000001", marketplace: "DE") { title brand latestSnapshot { bsr price offerCount monthlySold source }
         velocity(from: "${new Date(now - 9 * 24 * HOUR).toISOString()}", to: "${new Date(now - 2 * HOUR).toISOString()}") { perDay { value } } } }`,
    );
    expect(d.competitor).toMatchObject({ title: 'Product B0DE000001', brand: 'Acme' });
    expect(d.competitor.latestSnapshot).toMatchObject({ offerCount: 4, monthlySold: 300, source: 'keepa-api' });
    // The offer's stock falls 5 units every 6 h: about 20 a day (the window's edges cut drops pro rata),
    // from the consumption facts the stored batch maintained.
    expect(d.competitor.velocity.perDay.value).toBeGreaterThan(19);
    expect(d.competitor.velocity.perDay.value).toBeLessThan(21);

    const again = await run([
      'keepa',
      'sync',
      '--workspace',
      'acme',
      '--asin',
      'B0DE000001,B0DE000002',
      '--marketplace',
      'DE',
      '--offers',
      '20',
    ]);
    expect(again.code, again.out + again.err).toBe(0);
    expect(again.out).toMatch(/ 0 inserted, [1-9][\d,]* already stored/);
    expect(await rows('B0DE000001')).toBe(stored);
  }, 240_000);

  it('cuts batches to the token balance, never sends more than 100 ASINs, and waits for refills', async () => {
    fake.setTokens(150);
    const before = fake.requests.length;
    const r = await run(['keepa', 'sync', '--workspace', 'acme', '--asin', US.join(','), '--marketplace', 'US']);
    expect(r.code, r.out + r.err).toBe(0);
    const sent = fake.requests.slice(before);
    // 150 tokens at 2 per ASIN (1 + rating) cover 75; the rest after a refill of 100 tokens.
    expect(sent.map((q) => [q.status, q.asins.length])).toEqual([
      [200, 75],
      [200, 45],
    ]);
    expect(sent.every((q) => q.tokensBefore > 0 && q.domain === 1)).toBe(true);
    expect(r.out).toMatch(/US: 120\/120 ASINs/);
    expect(await rows(US[119])).toBeGreaterThan(10);
  }, 240_000);

  it('waits after a 429 (the balance spent by another client of the key) and retries', async () => {
    fake.setTokens(1000);
    fake.drainBeforeNextProduct = true;
    const before = fake.requests.length;
    const r = await run(['keepa', 'sync', '--workspace', 'acme', '--asin', 'B0DE000002']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/waiting [\d.]+ s for Keepa tokens \(Keepa answered 429; 0 left, 100 per minute\)/);
    expect(fake.requests.slice(before).map((q) => q.status)).toEqual([429, 200]);
  }, 240_000);

  it('stops with a clear error on a bad key, a spent quota and an unreachable Keepa', async () => {
    const bad = await run(['keepa', 'sync', '--workspace', 'acme', '--asin', 'B0DE000001', '--marketplace', 'DE'], {
      RESTOCK_RADAR_KEEPA_KEY: 'nope',
    });
    expect(bad.code).toBe(4);
    expect(bad.err).toMatch(/Keepa sync stopped \(BAD_KEY\): Keepa refused the key \(400: Invalid key\); check RESTOCK_RADAR_KEEPA_KEY/);

    fake.setTokens(-1000);
    const quota = await run([
      'keepa',
      'sync',
      '--workspace',
      'acme',
      '--asin',
      'B0DE000001',
      '--marketplace',
      'DE',
      '--max-wait-seconds',
      '5',
    ]);
    expect(quota.code).toBe(4);
    expect(quota.err).toMatch(
      /\(QUOTA\): Keepa token budget spent \(-1000 tokens left, 100 per minute\): the next token comes in \d+ s, longer than the 5 s/,
    );

    const closed = await closedPort();
    const net = await run(['keepa', 'sync', '--workspace', 'acme', '--asin', 'B0DE000001'], {
      RESTOCK_RADAR_KEEPA_URL: `http://127.0.0.1:${closed}`,
    });
    expect(net.code).toBe(4);
    expect(net.err).toMatch(new RegExp(`\\(NETWORK\\): cannot reach Keepa at http://127\\.0\\.0\\.1:${closed}: ECONNREFUSED`));
  }, 240_000);

  it('the scheduled job polls every tracked listing of the configured workspaces and stores new readings', async () => {
    fake.setTokens(100_000);
    const p = fake.products.get('3|B0DE000001')!;
    p.csv[3].push(keepaMinute(now - 5 * 60_000), 777);
    const before = fake.requests.length;
    const result = await app.keepaScheduler.runOnce();
    const s = result.get('acme') as KeepaSyncSummary;
    expect(s).toMatchObject({ listings: 122, requests: 3 });
    expect(s.stored.inserted).toBeGreaterThanOrEqual(1);
    const sent = fake.requests.slice(before);
    expect(sent.map((q) => [q.domain, q.asins.length])).toEqual([
      [3, 2],
      [1, 100],
      [1, 20],
    ]);
    expect(sent.every((q) => q.params.days === '2' && q.params.offers === undefined)).toBe(true);
    const d = await gqlOk(base, apiKey, `{ competitor(asin: "B0DE000001", marketplace: "DE") { latestSnapshot { bsr } } }`);
    expect(d.competitor.latestSnapshot.bsr).toBe(777);
  }, 240_000);
});
