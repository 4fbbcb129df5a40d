/**
 * CSV import end to end: the real CLI in its own process on fixture files (tests/fixtures/import),
 * then the stored rows read back through the GraphQL API of a server on the same database; and the
 * importSnapshotsCsv mutation. Run on SQLite and PostgreSQL
 * (the database matrix, tests/helpers/database.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { type App, createApp } from '../../server/http/app';
import { gql, gqlOk } from '../helpers/gql';
import { freshDatabaseUrl } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const FIX = 'tests/fixtures/import';
const hasScript = spawnSync('script', ['--version']).status === 0;
const cli = ['--import', 'tsx', 'server/cli.ts'];

describeDatabase('CSV import', (databaseUrl) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let db: Db;
  let app: App;
  let base: string;
  let key: string;
  const tmp = mkdtempSync(join(tmpdir(), 'rr-import-'));

  // Asynchronous on purpose: a blocking spawnSync would also stall this process's HTTP server and
  // its keep-alive timers, and the next request could hit a socket closed meanwhile.
  const run = (args: string[], tty = false, stdin?: string): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve, reject) => {
      const env = { ...process.env, DATABASE_URL: url, RESTOCK_RADAR_QUIET: '1' };
      // util-linux `script` gives the CLI a pseudo-terminal, as an operator's shell would.
      const child = tty
        ? spawn('script', ['-qec', [process.execPath, ...cli, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { env })
        : spawn(process.execPath, [...cli, ...args], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('close', (code) => (clearTimeout(timer), resolve({ code, out, err })));
      if (stdin !== undefined) child.stdin.end(stdin);
    });
  const count = async (asin: string) =>
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
    const k = await run(['apikey', 'create', '--workspace', 'acme']);
    expect(k.code, k.err).toBe(0);
    key = /API key \(shown once\): (\S+)/.exec(k.out)![1];
    db = await Db.open(url);
    // A database failure on one specific row, to show that a failed batch leaves nothing behind.
    if (db.dialect === 'sqlite') {
      await db.manager.query(
        `CREATE TRIGGER fail_4242 BEFORE INSERT ON snapshot WHEN NEW.stock = 4242 BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`,
      );
    } else {
      await db.manager.query(
        `CREATE FUNCTION fail_4242() RETURNS trigger AS $$ BEGIN IF NEW.stock = 4242 THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await db.manager.query(`CREATE TRIGGER fail_4242 BEFORE INSERT ON snapshot FOR EACH ROW EXECUTE FUNCTION fail_4242()`);
    }
    app = await createApp(db, loadConfig({ ...process.env, DATABASE_URL: url, RESTOCK_RADAR_QUIET: '1' }));
    base = await app.listen(0, '127.0.0.1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await cleanup?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('CLI import', () => {
    it('reads Keepa API JSON from standard input, telling the format from the text', async () => {
      const t0 = (Date.parse('2026-10-06T00:00:00Z') - Date.UTC(2011, 0, 1)) / 60_000;
      const doc = { asin: 'B0STDIN001', domainId: 1, csv: [[t0, 1999, t0 + 30, 1899]] };
      const r = await run(['import', '--workspace', 'acme', '-'], false, JSON.stringify(doc));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/-: format keepa-json/);
      expect(r.out).toMatch(/-: 2 rows in [\d.]+ s — 2 inserted, 0 duplicates, 0 rejected/);
      expect(await count('B0STDIN001')).toBe(2);
    }, 60_000);

    it('imports a Keepa export: ASIN from the file name, rejected lines listed, the lightning deal detected', async () => {
      const r = await run(['import', '--workspace', 'acme', '--format', 'keepa', `${FIX}/keepa-B0KEEPA001.csv`]);
      expect(r.code, r.err).toBe(3);
      expect(r.out).toMatch(/ASIN B0KEEPA001 from the file name/);
      // 96 data rows, 4 of them broken by hand.
      expect(r.out).toMatch(
        /keepa-B0KEEPA001\.csv: 96 rows in [\d.]+ s — 92 inserted, 0 duplicates, 4 rejected, 0 failed batch\(es\), 1 competitor\(s\) created/,
      );
      expect(r.out).toContain('line 12: Stock: "lots" is not a stock count');
      expect(r.out).toContain('line 22: Time: "01/10/2026 20:00" is not a date-time');
      expect(r.out).toContain('line 32: Lightning Deal: State: "MAYBE" is not a Keepa deal state');
      expect(r.out).toContain('line 42: Rating: "great" is not a number');
      expect(r.out).toContain('ignored columns: Note');
      // Not a terminal: plain progress lines, the last one at 100 %.
      expect(r.out).toMatch(/keepa-B0KEEPA001\.csv: 100% \| 96 rows \| [\d,]+ rows\/s \| ETA 0 s/);
      expect(await count('B0KEEPA001')).toBe(92);

      const c = (
        await gqlOk(
          base,
          key,
          `{ competitor(asin: "B0KEEPA001") { latestSnapshot { stock price bsr source } snapshots(first: 1) { edges { node { capturedAt stock price bsr offerCount rating reviewCount listPrice } } }
             deals(from: "2026-09-20T00:00:00Z", to: "2026-10-10T00:00:00Z") { edges { node { type status startedAt soldOutAt dealQuantity dealQuantitySource unitsSold claimedPercent discountPercent } } } } }`,
        )
      ).competitor;
      expect(c.snapshots.edges[0].node).toEqual({
        capturedAt: '2026-10-01T00:00:00.000Z',
        stock: 300,
        price: 24.99,
        bsr: 4210,
        offerCount: 3,
        rating: 4.4,
        reviewCount: 1204,
        listPrice: 29.99,
      });
      expect(c.latestSnapshot.source).toBe('keepa');
      const deals = c.deals.edges.map((e: any) => e.node);
      expect(deals).toHaveLength(1);
      // 20 % claimed per hour while stock fell 10 an hour: Q = 100 × 10 / 20 = 50 units, implied.
      expect(deals[0]).toMatchObject({ type: 'LIGHTNING', status: 'SOLD_OUT', dealQuantitySource: 'IMPLIED', claimedPercent: 100 });
      expect(deals[0].dealQuantity).toBeCloseTo(50, 6);
      expect(deals[0].unitsSold).toBeCloseTo(50, 6);
      // Deal price 17.49 against the 29.99 list price.
      expect(deals[0].discountPercent).toBeCloseTo(100 * (1 - 17.49 / 29.99), 6);
    }, 120_000);

    it('imports the long format: censored "999+", deal columns, every bad line with its reason, duplicates', async () => {
      const rejects = join(tmp, 'rejects.csv');
      const r = await run(['import', '--workspace', 'acme', '--format', 'long', '--rejects', rejects, `${FIX}/long.csv`]);
      expect(r.code, r.err).toBe(3);
      expect(r.out).toMatch(/long\.csv: 31 rows in [\d.]+ s — 24 inserted, 1 duplicates, 6 rejected/);
      const lines = [
        'line 26: stock: "-5" is not a stock count',
        'line 27: dealClaimedPercent: must be a percentage 0–100, got 150',
        'line 28: dealType: "FLASH" is not one of NONE, LIGHTNING',
        'line 29: capturedAt: "2026-13-01T15:00:00Z" is not a valid date-time',
        'line 30: dealType: no deal type but dealClaimedPercent is set',
        'line 31: capturedAt: must not be more than 24 h in the future',
      ];
      for (const l of lines) expect(r.out).toContain(l);
      const written = readFileSync(rejects, 'utf8').trim().split('\n');
      expect(written[0]).toBe('file,line,reason');
      expect(written.slice(1).map((l) => Number(l.split(',')[1]))).toEqual([26, 27, 28, 29, 30, 31]);

      const q = await gqlOk(
        base,
        key,
        `{ us: competitor(asin: "B0LONG0001") { marketplace snapshots(first: 1) { totalCount edges { node { stock stockIsLowerBound source } } } velocity(from: "2026-10-01T00:00:00Z", to: "2026-10-01T11:00:00Z") { isLowerBoundOnly perHour { value } } }
           de: competitor(asin: "B0LONG0002", marketplace: "DE") { snapshots(first: 12) { edges { node { dealType dealQuantity dealClaimedPercent stock price } } } } }`,
      );
      expect(q.us.marketplace).toBe('US');
      expect(q.us.snapshots.totalCount).toBe(12);
      expect(q.us.snapshots.edges[0].node).toEqual({ stock: 999, stockIsLowerBound: true, source: 'helium10' });
      // "999+" all day: no exact velocity can be given.
      expect(q.us.velocity.perHour.value).toBeNull();
      const de = q.de.snapshots.edges.map((e: any) => e.node);
      expect(de[4]).toEqual({ dealType: 'LIGHTNING', dealQuantity: 40, dealClaimedPercent: 0, stock: 60, price: 14.99 });
      expect(de[7]).toEqual({ dealType: 'LIGHTNING', dealQuantity: 40, dealClaimedPercent: 37.5, stock: 45, price: 14.99 });
      expect(de[8].dealType).toBe('NONE');

      // Importing again stores nothing new.
      const again = await run(['import', '--workspace', 'acme', '--format', 'long', `${FIX}/long.csv`]);
      expect(again.out).toMatch(/long\.csv: 31 rows in [\d.]+ s — 0 inserted, 25 duplicates, 6 rejected/);
    }, 120_000);

    it('reads ";"-delimited files with decimal commas', async () => {
      const r = await run(['import', '--workspace', 'acme', '--format', 'long', `${FIX}/long-semicolon.csv`]);
      expect(r.code, r.out + r.err).toBe(0);
      const q = await gqlOk(base, key, `{ competitor(asin: "B0SEMI0001") { latestSnapshot { stock price bsr } } }`);
      expect(q.competitor.latestSnapshot).toEqual({ stock: 35, price: 19.99, bsr: 1250 });
    }, 60_000);

    it('a batch whose write fails leaves nothing of it; the other batches land', async () => {
      const r = await run(['import', '--workspace', 'acme', '--format', 'long', '--batch-size', '5', `${FIX}/long-batches.csv`]);
      expect(r.code).toBe(3);
      // Rows 6–10 (lines 7–11) hold the row the database refuses (stock 4242 on line 9).
      expect(r.out).toMatch(/lines 7–11 \(5 rows\): nothing of this batch was written: .*simulated storage failure/);
      expect(r.out).toMatch(/15 rows in [\d.]+ s — 10 inserted, 0 duplicates, 0 rejected, 1 failed batch/);
      const rows: { stock: number }[] = await db.manager.query(
        `SELECT s.stock FROM snapshot s JOIN competitor c ON c.id = s.competitor_id WHERE c.asin = 'B0BATCH001' ORDER BY s.captured_at`,
      );
      expect(rows.map((x) => Number(x.stock))).toEqual([500, 499, 498, 497, 496, 490, 489, 488, 487, 486]);
    }, 60_000);

    it.skipIf(!hasScript)(
      'shows a progress bar with rows/s and ETA on a terminal',
      async () => {
        const r = await run(['import', '--workspace', 'acme', '--format', 'long', `${FIX}/long-semicolon.csv`], true);
        // Terminal escape sequences (ESC [ … letter) stripped: the ESC control character is the point.
        // eslint-disable-next-line no-control-regex
        const screen = r.out.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
        expect(screen).toMatch(/long-semicolon\.csv \|[█░]+\| 100% \| 6 rows \| [\d,]+ rows\/s \| ETA \d+s/);
        expect(screen).toMatch(/6 rows in [\d.]+ s — \d inserted, \d duplicates/);
      },
      60_000,
    );

    it('evaluates alerts for what it imported, next to the running server (--skip-alerts does not)', async () => {
      // A stockout that ended with a restock an hour ago, for two listings: hourly captures.
      const HOUR = 3_600_000;
      const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
      const stocks = [...Array.from({ length: 20 }, (_, i) => 200 - 10 * i), 0, 0, 0, 0, 300, 298];
      const csv = (asin: string) =>
        [
          'asin,marketplace,capturedAt,stock,price',
          ...stocks.map((st, i) => `${asin},US,${new Date(end - (stocks.length - 1 - i) * HOUR).toISOString()},${st},19.99`),
        ].join('\n');
      const alerted = join(tmp, 'restock-alerted.csv');
      const skipped = join(tmp, 'restock-skipped.csv');
      writeFileSync(alerted, csv('B0IMPALRT1'));
      writeFileSync(skipped, csv('B0IMPSKIP1'));
      const restocks = async (asin: string) => {
        const c = await gqlOk(base, key, `{ competitor(asin: "${asin}") { id } }`);
        const a = await gqlOk(
          base,
          key,
          `query($id: String) { alerts(subjectId: $id, kind: COMPETITOR_RESTOCK, first: 5) { edges { node { level status } } } }`,
          { id: c.competitor.id },
        );
        return a.alerts.edges.map((e: { node: unknown }) => e.node);
      };

      const r = await run(['import', '--workspace', 'acme', '--format', 'long', alerted]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/Alerts evaluated in [\d.]+ s/);
      expect(await restocks('B0IMPALRT1')).toEqual([{ level: 'YELLOW', status: 'OPEN' }]);

      const s = await run(['import', '--workspace', 'acme', '--format', 'long', '--skip-alerts', skipped]);
      expect(s.code, s.out + s.err).toBe(0);
      expect(s.out).not.toMatch(/Alerts evaluated/);
      expect(await restocks('B0IMPSKIP1')).toEqual([]);
    }, 120_000);

    it('explains usage errors', async () => {
      expect((await run(['import', '--format', 'long', `${FIX}/long.csv`])).err).toMatch(/needs --workspace NAME/);
      expect((await run(['import', '--workspace', 'nobody', '--format', 'long', `${FIX}/long.csv`])).err).toMatch(
        /workspace "nobody" does not exist/,
      );
      const missing = await run(['import', '--workspace', 'acme', '--format', 'long', `${FIX}/nope.csv`]);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/cannot read .*nope\.csv/);
    }, 120_000);
  });

  describe('importSnapshotsCsv mutation', () => {
    const M = `mutation($csv: String!, $format: CsvFormat!, $asin: String) { importSnapshotsCsv(csv: $csv, format: $format, asin: $asin) {
      rows inserted duplicates competitorsCreated rejectedCount rejected { line reason } failedBatches { firstLine } ignoredColumns } }`;

    it('imports CSV text and reports rejected lines', async () => {
      const other = (await gqlOk(base, key, `{ competitors(asins: ["B0KEEPA001"]) { totalCount } }`)).competitors.totalCount;
      expect(other).toBe(1);
      const csv = [
        'Time,Stock,Sales Rank,Lightning Deal: % Claimed',
        '2026-10-05 00:00,40,900,',
        '2026-10-05 01:00,10+,910,',
        '2026-10-05 02:00,x,920,',
        '2026-10-05 03:00,7,930,25%',
      ].join('\n');
      const r = await gqlOk(base, key, M, { csv, format: 'KEEPA', asin: 'B0MUTATE01' });
      expect(r.importSnapshotsCsv).toEqual({
        rows: 4,
        inserted: 3,
        duplicates: 0,
        competitorsCreated: 1,
        rejectedCount: 1,
        rejected: [{ line: 4, reason: 'Stock: "x" is not a stock count (a whole number, or a capped reading such as "999+")' }],
        failedBatches: [],
        ignoredColumns: [],
      });
      const snaps = await gqlOk(
        base,
        key,
        `{ competitor(asin: "B0MUTATE01") { snapshots { edges { node { stock stockIsLowerBound bsr dealType dealClaimedPercent } } } } }`,
      );
      expect(snaps.competitor.snapshots.edges.map((e: any) => e.node)).toEqual([
        { stock: 40, stockIsLowerBound: false, bsr: 900, dealType: 'NONE', dealClaimedPercent: null },
        { stock: 10, stockIsLowerBound: true, bsr: 910, dealType: 'NONE', dealClaimedPercent: null },
        { stock: 7, stockIsLowerBound: false, bsr: 930, dealType: 'LIGHTNING', dealClaimedPercent: 25 },
      ]);
    });

    it('rejects oversized text, a bad header and a Keepa file without ASIN, naming the field', async () => {
      const big = await gql(base, key, M, { csv: `asin,capturedAt\n${'x'.repeat(5 * 1024 * 1024)}`, format: 'LONG' });
      expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
      const header = await gql(base, key, M, { csv: 'sku,when\nA,2026-10-01', format: 'LONG' });
      expect(header.errors?.[0]).toMatchObject({
        message: 'csv: the header has no "asin" column',
        extensions: { code: 'BAD_USER_INPUT', field: 'csv' },
      });
      const keepa = await gql(base, key, M, { csv: 'Time,Stock\n2026-10-01 00:00,5', format: 'KEEPA' });
      expect(keepa.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
      expect(keepa.errors?.[0].message).toMatch(/no ASIN/);
      const asin = await gql(base, key, M, { csv: 'Time,Stock\n2026-10-01 00:00,5', format: 'KEEPA', asin: 'not valid!' });
      expect(asin.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asin' });
    });
  });
});
