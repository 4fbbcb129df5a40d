/**
 * The built add-on (addon/dist-style Code.js from addon/build.mjs) loaded in node:vm with the Apps
 * Script emulation, driven like a planner would: onOpen → Connect → Pull competitors → formulas,
 * against the real server on a real port (on SQLite, and on PostgreSQL in bundle.pg.test.ts). The
 * emulation runs in a worker thread because UrlFetchApp blocks its thread while the server answers
 * in this one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { build } from '../../../addon/build.mjs';
import { serviceLevelSafetyStock } from '../../../core/replenishment/safetyStock';
import { randomUUID } from 'node:crypto';
import type { AlertChange } from '../../../server/modules/alert/alert.inputs';
import { AbcClass, Product } from '../../../server/modules/product/product.entity';
import { GasWorkerHost } from '../../helpers/gas';
import { gqlOk } from '../../helpers/gql';
import { type TestServer, startTestServer } from '../../helpers/server';

const NOW = Date.now();
const HOUR = 3_600_000;
const COMPETITORS = 1_103; // > 2 pages of 500: the pull must paginate
const ENDS = new Date(Math.floor((NOW + 5 * HOUR) / 60_000) * 60_000).toISOString();
const ENDS_TEXT = ENDS.slice(0, 16).replace('T', ' ');
const asinOf = (i: number) => `B0TEST${String(i).padStart(4, '0')}`;

let server: TestServer;
let host: GasWorkerHost;
let outDir: string;
let buildInfo: { globals: string[]; customFunctions: string[]; whitelist: string[]; ms: number; bytes: number };

async function seed(): Promise<void> {
  // Every competitor gets one reading; a few get a history and a deal.
  const snapshots: Record<string, unknown>[] = [];
  for (let i = 0; i < COMPETITORS; i++) {
    snapshots.push({
      asin: asinOf(i),
      capturedAt: new Date(NOW - 2 * HOUR).toISOString(),
      stock: i === 1 ? 999 : 100 + i,
      stockIsLowerBound: i === 1,
      price: 19.99,
      source: 'keepa',
    });
  }
  // B0TEST0000: a lightning deal draining over 6 hours.
  for (let h = 8; h >= 3; h--) {
    snapshots.push({
      asin: asinOf(0),
      capturedAt: new Date(NOW - h * HOUR).toISOString(),
      stock: 500 - (8 - h) * 40,
      dealType: 'LIGHTNING',
      dealQuantity: 400,
      dealClaimedPercent: (8 - h) * 10,
      dealEndsAt: new Date(NOW + 6 * HOUR).toISOString(),
      source: 'scraper',
    });
  }
  await gqlOk(server.url, server.apiKey, 'mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }', { i: snapshots });
  await gqlOk(server.url, server.apiKey, 'mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }', {
    i: { asin: asinOf(0), title: 'Cordless drill', brand: 'Acme', tier: 'CORE' },
  });
}

export function bundleSuite(databaseUrl?: string): void {
  beforeAll(async () => {
    server = await startTestServer({ databaseUrl });
    // Live figures (sell-out ETAs) are computed "as of now": the API answers fetched in a test and the
    // sheet's later calls must be evaluated at the same moment.
    server.app.clock.now = () => NOW;
    await seed();
    outDir = mkdtempSync(join(tmpdir(), 'rr-addon-bundle-'));
    buildInfo = await build({ out: outDir, apiUrls: [`${server.url}/`], allowLoopback: true });
    host = await GasWorkerHost.start({ project: outDir });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  describe('build output', () => {
    it('is one classic script of top-level functions with JSDoc above each custom function', () => {
      const code = readFileSync(join(outDir, 'Code.js'), 'utf8');
      expect(code).not.toMatch(/^\s*(import|export)\s/m);
      expect(code).not.toMatch(/\brequire\s*\(/);
      for (const name of [
        'REORDER_POINT',
        'SAFETY_STOCK_MAX_AVG',
        'SAFETY_STOCK_SERVICE',
        'SAFETY_STOCK',
        'EOQ',
        'DAYS_OF_COVER',
        'SELLOUT_ETA',
        'FORECAST_DEMAND',
        'DEAL_STATUS',
        'PLAN_FIELD',
      ]) {
        expect(code).toMatch(new RegExp(`@customfunction\\s*\\*/\\s*function ${name}\\(`));
      }
      expect(buildInfo.customFunctions).toHaveLength(10);
      for (const g of ['onOpen', 'onInstall', 'rrConnect', 'rrPullCompetitors', 'rrScheduledRefresh', 'rrChartData']) {
        expect(code).toMatch(new RegExp(`^function ${g}\\(`, 'm'));
      }
    });

    it('writes a V8 manifest with least scopes and the API in urlFetchWhitelist', () => {
      const manifest = JSON.parse(readFileSync(join(outDir, 'appsscript.json'), 'utf8'));
      expect(manifest.runtimeVersion).toBe('V8');
      expect(manifest.oauthScopes.sort()).toEqual(
        [
          'https://www.googleapis.com/auth/script.container.ui',
          'https://www.googleapis.com/auth/script.external_request',
          'https://www.googleapis.com/auth/script.scriptapp',
          'https://www.googleapis.com/auth/spreadsheets.currentonly',
        ].sort(),
      );
      expect(manifest.urlFetchWhitelist).toEqual([`${server.url}/`]);
      const html = readFileSync(join(outDir, 'Sidebar.html'), 'utf8');
      expect(html).toContain('<script>');
      expect(html).not.toContain('@client-script');
    });

    it('refuses a whitelist entry Apps Script would reject', async () => {
      await expect(build({ out: join(outDir, 'bad'), apiUrls: ['http://radar.example.com/'] })).rejects.toThrow(/must be https/);
      await expect(build({ out: join(outDir, 'bad'), apiUrls: ['https://radar.example.com'] })).rejects.toThrow(/end in a path/);
    });
  });

  describe('planner flow against the real server', () => {
    it('onOpen in AuthMode.NONE builds the menu without touching anything else', async () => {
      const items = await host.eval((env) => {
        env.open('NONE');
        return env.menuItems().map((i) => i.caption);
      });
      expect(items).toEqual(
        expect.arrayContaining(['Connect…', 'Pull competitors', 'Pull alerts', 'Refresh all', 'Hourly refresh on/off', 'Open sidebar']),
      );
    });

    it('Connect refuses a wrong key and saves nothing', async () => {
      const r = await host.eval(
        (env, a) => {
          env.answer(a.url).answer('wrong-key');
          env.clickMenu('Connect');
          return { alert: env.uiLog.alerts.at(-1), saved: env.properties.document.getProperty('RR_API_KEY') };
        },
        { url: server.url },
      );
      expect(r.alert?.title).toBe('Connection failed');
      expect(r.alert?.prompt).toMatch(/API key was refused/);
      expect(r.saved).toBeNull();
    });

    it('Connect refuses an API address outside the manifest whitelist', async () => {
      const r = await host.eval((env) => {
        env.answer('https://elsewhere.example.org').answer('k');
        env.clickMenu('Connect');
        return env.uiLog.alerts.at(-1);
      });
      expect(r?.prompt).toMatch(/urlFetchWhitelist/);
    });

    it('Connect tests the key, then stores URL and key in document properties', async () => {
      const r = await host.eval(
        (env, a) => {
          env.answer(a.url).answer(a.key);
          env.clickMenu('Connect');
          return {
            alert: env.uiLog.alerts.at(-1),
            props: env.properties.document.getProperties(),
            user: env.properties.user.getProperties(),
          };
        },
        { url: server.url, key: server.apiKey },
      );
      expect(r.alert?.prompt).toContain(`${COMPETITORS} competitors visible`);
      expect(r.props.RR_API_URL).toBe(`${server.url}/graphql`);
      expect(r.props.RR_API_KEY).toBe(server.apiKey);
      expect(r.user.RR_LAST_API_URL).toBe(`${server.url}/graphql`);
    });

    it('Pull competitors paginates (first ≤ 500, after cursor) and writes all rows in one setValues', async () => {
      const r = await host.eval((env) => {
        const before = env.fetchLog.length;
        const sv = env.spreadsheet.stats.setValuesCalls;
        env.clickMenu('Pull competitors');
        const requests = env.fetchLog.slice(before).map((f) => JSON.parse(f.payload ?? '{}').variables);
        return {
          requests,
          setValues: env.spreadsheet.stats.setValuesCalls - sv,
          values: env.sheetValues('RR Competitors'),
          toast: env.spreadsheet.toasts.at(-1),
          alerts: env.uiLog.alerts.length,
        };
      });
      expect(r.requests.map((v: { first: number }) => v.first)).toEqual([500, 500, 500]);
      expect(r.requests[0].after).toBeNull();
      expect(r.requests[1].after).toEqual(expect.any(String));
      expect(r.setValues).toBe(1);
      const [header, ...rows] = r.values;
      expect(header.slice(0, 6)).toEqual(['ASIN', 'Marketplace', 'Title', 'Brand', 'Tier', 'Stock']);
      expect(rows).toHaveLength(COMPETITORS);
      const col = (name: string) => header.indexOf(name);
      const row0 = rows.find((x) => x[0] === asinOf(0))!;
      const row1 = rows.find((x) => x[0] === asinOf(1))!;
      const row7 = rows.find((x) => x[0] === asinOf(7))!;
      expect(row0[col('Title')]).toBe('Cordless drill');
      expect(row0[col('Tier')]).toBe('CORE');
      expect(row1[col('Stock')]).toBe('≥999'); // censored: never shown as exact
      expect(row7[col('Stock')]).toBe(107);
      expect(row7[col('Source')]).toBe('keepa');
      expect(row7[col('Captured at (UTC)')]).toBeInstanceOf(Date);
      expect(row7[col('Age (h)')]).toBeGreaterThanOrEqual(2);
      expect(row7[col('Age (h)')]).toBeLessThan(2.5);
      expect(row0[col('Deal')]).toBe('NONE'); // newest reading is the plain one 2 h ago
      expect(r.toast?.message).toContain(`${COMPETITORS} rows`);
    });

    it('a second pull keeps the planner’s extra columns next to the same ASIN', async () => {
      await gqlOk(server.url, server.apiKey, 'mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }', {
        i: [
          { asin: asinOf(5), capturedAt: new Date(NOW - HOUR).toISOString(), stock: 42, source: 'manual' },
          { asin: 'B0NEWONE00', capturedAt: new Date(NOW - HOUR).toISOString(), stock: 7, source: 'manual' },
        ],
      });
      const r = await host.eval(
        (env, a) => {
          const sheet = env.spreadsheet.getSheetByName('RR Competitors')!;
          const values = env.sheetValues('RR Competitors');
          const width = values[0]!.length;
          const rowOf = (asin: string) => values.findIndex((x) => x[0] === asin) + 1;
          env.asUser(() => {
            sheet.getRange(1, width + 1, 1, 2).setValues([['My note', 'Target']]);
            sheet.getRange(rowOf(a.asin5), width + 1, 1, 2).setValues([['watch this one', '=A1']]);
          });
          env.clickMenu('Pull competitors');
          const after = env.sheetValues('RR Competitors');
          const r5 = after.findIndex((x) => x[0] === a.asin5);
          return {
            width,
            header: after[0],
            row5: after[r5],
            formula: env.asUser(() => sheet.getRange(r5 + 1, width + 2).getFormula()),
            last: after.at(-1),
            rows: after.length - 1,
          };
        },
        { asin5: asinOf(5) },
      );
      expect(r.header.slice(r.width)).toEqual(['My note', 'Target']);
      expect(r.row5[5]).toBe(42);
      expect(r.row5[r.width]).toBe('watch this one');
      expect(r.formula).toBe('=A1');
      expect(r.last![0]).toBe('B0NEWONE00'); // new listings are appended, old rows keep their place
      expect(r.rows).toBe(COMPETITORS + 1);
    });

    it('DEAL_STATUS over 1,000 ASINs makes one batched request, then answers from the cache', async () => {
      const r = await host.eval((env) => {
        const sheet = env.spreadsheet.getSheetByName('RR Competitors')!;
        // V: right of the pulled columns (A–Q) and the planner's own (R–S)
        env.asUser(() => sheet.getRange('V1').setFormula('=DEAL_STATUS(A2:A1001)'));
        const before = env.fetchLog.length;
        const first = env.recalculate();
        const requests1 = env.fetchLog.length - before;
        const second = env.recalculate();
        const requests2 = env.fetchLog.length - before - requests1;
        const values = env.sheetValues('RR Competitors');
        return {
          first,
          second,
          requests1,
          requests2,
          col: values.slice(0, 1001).map((x) => x[21]),
          asins: values.slice(0, 1001).map((x) => x[0]),
        };
      });
      console.log(`DEAL_STATUS 1,000 rows: ${r.first.ms.toFixed(0)} ms cold (1 request), ${r.second.ms.toFixed(0)} ms cached`);
      expect(r.requests1).toBe(1);
      expect(r.requests2).toBe(0);
      expect(r.first.ms).toBeLessThan(30_000);
      const i7 = r.asins.indexOf(asinOf(7));
      expect(r.col[i7]).toMatch(/^no deal · keepa · 2(\.\d)? h old$/);
      expect(r.col.slice(0, 1001).filter((v: unknown) => typeof v === 'string' && v.startsWith('#'))).toEqual([]);
    });

    it('DEAL_STATUS shows a live deal with claim, end and provenance; unknown ASINs say so', async () => {
      const earlier = await host.eval((env, a) => env.callCustomFunction('DEAL_STATUS', [a.asin3]), { asin3: asinOf(3) });
      expect('value' in earlier && earlier.value).toMatch(/^no deal · keepa/);
      await gqlOk(server.url, server.apiKey, 'mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }', {
        i: [
          {
            asin: asinOf(3),
            capturedAt: new Date(NOW - HOUR / 2).toISOString(),
            stock: 80,
            dealType: 'LIGHTNING',
            dealQuantity: 300,
            dealClaimedPercent: 63,
            dealEndsAt: ENDS,
            source: 'scraper',
          },
        ],
      });
      const r = await host.eval(
        (env, a) => {
          const n0 = env.fetchLog.length;
          const cached = env.callCustomFunction('DEAL_STATUS', [a.asin3]);
          const cachedRequests = env.fetchLog.length - n0;
          env.advance(301_000); // past the 5-minute lookup cache
          const live = env.callCustomFunction('DEAL_STATUS', [[[a.asin3], ['B0NOPE0000'], [''], ['not an asin!']]]);
          const claimed = env.callCustomFunction('DEAL_STATUS', [a.asin3, 'claimed']);
          return { cached, cachedRequests, live, claimed };
        },
        { asin3: asinOf(3) },
      );
      // Within the cache's lifetime the earlier answer stands (the formula does not refetch).
      expect(r.cachedRequests).toBe(0);
      expect('value' in r.cached && r.cached.value).toMatch(/^no deal · keepa/);
      // The reading is 30 min older than NOW, the suite's start: on a loaded machine a minute or more may have passed since.
      const ageMin = (text: unknown) => Number(/ · (\d+) min old$/.exec(String(text))?.[1]);
      const live = ('value' in r.live ? r.live.value : []) as unknown[][];
      expect(ageMin(live[0]?.[0])).toBeGreaterThanOrEqual(30);
      expect(ageMin(live[0]?.[0])).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - NOW) / 60_000));
      expect('value' in r.live && r.live.value).toEqual([
        [`LIGHTNING · 63% claimed · of 300 · ends ${ENDS_TEXT} UTC · scraper · ${ageMin(live[0]?.[0])} min old`],
        ['#NOT_FOUND: US:B0NOPE0000'],
        [''],
        [expect.stringMatching(/^#BAD_INPUT: /)],
      ]);
      expect('value' in r.claimed && r.claimed.value).toBe(63);
    });

    it('custom functions cannot write to the sheet (Apps Script forbids it), and ours do not try', async () => {
      const r = await host.eval((env) => env.callCustomFunction('REORDER_POINT', [10, 5, 0.95, 3, 1]));
      expect('value' in r && r.value).toBeCloseTo(10 * 5 + 1.6448536269514722 * Math.sqrt(5 * 9 + 100 * 1), 9);
    });

    it('the safety-stock functions give the results of core in the bundle, the deprecated SAFETY_STOCK the same', async () => {
      const r = await host.eval((env) => ({
        maxAvg: env.callCustomFunction('SAFETY_STOCK_MAX_AVG', [800, 12, 500, 7]),
        legacyMaxAvg: env.callCustomFunction('SAFETY_STOCK', ['brief', 800, 12, 500, 7]),
        service: env.callCustomFunction('SAFETY_STOCK_SERVICE', [0.95, 100, 20, 4, 1]),
        legacyService: env.callCustomFunction('SAFETY_STOCK', ['service', 0.95, 100, 20, 4, 1]),
      }));
      expect('value' in r.maxAvg && r.maxAvg.value).toBe(6100);
      expect('value' in r.legacyMaxAvg && r.legacyMaxAvg.value).toBe(6100);
      const service = serviceLevelSafetyStock({ serviceLevel: 0.95, demandMean: 100, demandSd: 20, leadTimeMean: 4, leadTimeSd: 1 }).value;
      expect('value' in r.service && r.service.value).toBe(service);
      expect('value' in r.legacyService && r.legacyService.value).toBe(service);
    });

    it('REORDER_POINT over 10,000 rows runs in well under a second', async () => {
      const r = await host.eval((env) => {
        const demand = Array.from({ length: 10_000 }, (_, i) => [(i % 97) + 1]);
        const lead = Array.from({ length: 10_000 }, (_, i) => [(i % 13) + 2]);
        const sd = Array.from({ length: 10_000 }, (_, i) => [(i % 7) + 0.5]);
        env.callCustomFunction('REORDER_POINT', [demand.slice(0, 100), lead.slice(0, 100), 0.95, sd.slice(0, 100), 1]); // warm-up
        const res = env.callCustomFunction('REORDER_POINT', [demand, lead, 0.95, sd, 1]);
        if (!('value' in res) || !Array.isArray(res.value)) throw new Error(JSON.stringify(res));
        return { ms: res.ms, rows: res.value.length, sample: res.value[123]![0], d: demand[123]![0], L: lead[123]![0], s: sd[123]![0] };
      });
      console.log(`REORDER_POINT 10,000 rows in the emulation: ${r.ms.toFixed(1)} ms`);
      expect(r.rows).toBe(10_000);
      const z = 1.6448536269514722;
      expect(r.sample).toBeCloseTo(r.d * r.L + z * Math.sqrt(r.L * r.s ** 2 + r.d ** 2 * 1), 9);
      expect(r.ms).toBeLessThan(1_000);
    });

    it('hourly refresh: the trigger is created once, refreshes without UI, and is removed again', async () => {
      const r = await host.eval((env) => {
        env.clickMenu('Hourly refresh');
        const created = env.triggers.map((t) => [t.getHandlerFunction(), t.everyMs]);
        const before = env.fetchLog.length;
        const results = env.fireTimeTriggers();
        const fromTrigger = env.fetchLog.slice(before).filter((f) => f.context === 'timeTrigger').length;
        const status = env.properties.document.getProperty('RR_LAST_AUTO_REFRESH');
        env.clickMenu('Hourly refresh');
        return { created, results, fromTrigger, status, left: env.triggers.length };
      });
      expect(r.created).toEqual([['rrScheduledRefresh', 3_600_000]]);
      expect(r.fromTrigger).toBeGreaterThanOrEqual(3);
      expect(r.results[0]).toEqual(expect.arrayContaining([expect.stringMatching(/^competitors: \d+ rows$/)]));
      expect(r.status).toMatch(/competitors: \d+ rows/);
      expect(r.left).toBe(0);
    });

    it('the sidebar opens from the menu and its server functions answer with chart data', async () => {
      const r = await host.eval(
        (env, a) => {
          env.clickMenu('Open sidebar');
          const sidebar = env.uiLog.sidebars.at(-1)!;
          const init = env.callFromClient('rrSidebarInit') as { competitors: { id: string; label: string }[] };
          const drill = init.competitors.find((c) => c.label.startsWith(a.asin0))!;
          const chart = env.callFromClient('rrChartData', [drill.id]) as {
            points: { stock: number; claimed: number | null }[];
            source: string;
          };
          const where = env.callFromClient('rrInsertChart', [drill.id]) as string;
          const sheet = env.spreadsheet.getSheetByName(where)!;
          return {
            title: sidebar.getTitle(),
            html: sidebar.getContent().length,
            competitors: init.competitors.length,
            points: chart.points.length,
            claimed: chart.points.map((p) => p.claimed),
            source: chart.source,
            where,
            charts: sheet.getCharts().map((c) => ({ type: c.getType(), range: c.getRanges()[0]!.getA1Notation() })),
            data: env.sheetValues(where).slice(0, 2),
          };
        },
        { asin0: asinOf(0) },
      );
      expect(r.title).toBe('Restock Radar');
      expect(r.html).toBeGreaterThan(1000);
      expect(r.competitors).toBe(COMPETITORS + 1);
      expect(r.points).toBe(7);
      expect(r.claimed.slice(0, 6)).toEqual([0, 10, 20, 30, 40, 50]);
      expect(r.source).toBe('keepa');
      expect(r.where).toBe(`RR Chart ${asinOf(0)} US`);
      expect(r.charts).toEqual([{ type: 'LINE', range: 'A1:C8' }]);
      expect(r.data[0]).toEqual(['Time (UTC)', 'Stock', 'Deal claimed %', 'Stock is a lower bound (capped reading)']);
      expect(r.data[1]!.slice(1)).toEqual([500, 0, false]);
    });
  });

  describe('alerts against the real server', () => {
    const change = (over: Partial<AlertChange>): AlertChange => ({
      action: 'RAISE',
      kind: 'COMPETITOR_RESTOCK',
      level: 'YELLOW',
      subjectType: 'COMPETITOR',
      subjectId: 'c-1',
      subjectLabel: `${asinOf(2)} — Board`,
      title: 'Competitor restocked',
      message: '+400 units at 10:00',
      explanation: {
        formula: 'restock = jump in stock above the learned threshold',
        inputs: { quantity: 400 },
        steps: [],
        notes: ['keepa reading'],
      },
      at: new Date(NOW - 3 * HOUR),
      ...over,
    });
    let ids: { restock: string; breach: string; stale: string };

    beforeAll(async () => {
      const wsId = (await server.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id as string;
      const svc = server.app.services.alerts;
      const [a] = await svc.apply(wsId, [change({ subjectId: 'c-restock' })]);
      const [b] = await svc.apply(wsId, [
        change({
          kind: 'SAFETY_STOCK_BREACH',
          level: 'RED',
          subjectType: 'PRODUCT',
          subjectId: 'SKU-9',
          subjectLabel: 'SKU-9 — Cutting board',
          title: 'Below safety stock',
          message: 'on hand 40 < safety stock 120',
          at: new Date(NOW - 2 * HOUR),
        }),
      ]);
      const [c] = await svc.apply(wsId, [
        change({
          kind: 'DATA_STALE',
          level: 'ORANGE',
          subjectId: 'c-stale',
          title: 'No reading for 26 h',
          message: 'newest keepa reading is 26 h old',
          at: new Date(NOW - HOUR),
        }),
      ]);
      ids = { restock: a!.alert.id, breach: b!.alert.id, stale: c!.alert.id };
    });

    it('Pull alerts writes every alert with kind, subject, message and explanation in one setValues', async () => {
      const r = await host.eval((env) => {
        const sv = env.spreadsheet.stats.setValuesCalls;
        env.clickMenu('Pull alerts');
        return {
          setValues: env.spreadsheet.stats.setValuesCalls - sv,
          values: env.sheetValues('RR Alerts'),
          alerts: env.uiLog.alerts.length,
        };
      });
      expect(r.setValues).toBe(1);
      const [header, ...rows] = r.values;
      expect(header).toEqual([
        'Alert id',
        'Level',
        'Status',
        'Kind',
        'Subject type',
        'Subject',
        'Title',
        'Message',
        'Opened at (UTC)',
        'Updated at (UTC)',
        'Acknowledged at (UTC)',
        'Cause',
        'Note',
        'Explanation',
        'Pull status',
      ]);
      // Only ours: the server's own evaluator may raise alerts from the competitor readings above.
      const mine = new Set(Object.values(ids));
      expect(rows.map((x) => x[0]).filter((id) => mine.has(String(id)))).toEqual([ids.stale, ids.breach, ids.restock]); // newest first, as the API orders them
      const breach = rows.find((x) => x[0] === ids.breach)!;
      expect(breach.slice(1, 8)).toEqual([
        'RED',
        'OPEN',
        'SAFETY_STOCK_BREACH',
        'PRODUCT',
        'SKU-9 — Cutting board',
        'Below safety stock',
        'on hand 40 < safety stock 120',
      ]);
      expect(breach[8]).toBeInstanceOf(Date);
      expect((breach[8] as Date).getTime()).toBe(NOW - 2 * HOUR);
      expect(String(rows.find((x) => x[0] === ids.restock)![13])).toContain('restock = jump in stock above the learned threshold');
      expect(breach[14]).toBe('current');
    });

    it('the sidebar lists open alerts; Acknowledge sends the cause, a bad cause is refused, Resolve closes', async () => {
      const r = await host.eval(
        (env, a) => {
          const tryCall = (fn: string, args: unknown[]) => {
            try {
              return { ok: env.callFromClient(fn, args) };
            } catch (e) {
              return { error: (e as Error).message };
            }
          };
          const open = env.callFromClient('rrOpenAlerts') as { id: string; kind: string; subject: string; explanation: string }[];
          const bad = tryCall('rrAcknowledgeAlert', [a.ids.breach, 'PROMOTION']);
          const ack = tryCall('rrAcknowledgeAlert', [a.ids.breach, 'SUPPLY_DELAY', 'container held at customs']);
          const resolved = tryCall('rrResolveAlert', [a.ids.stale]);
          const openAfter = (env.callFromClient('rrOpenAlerts') as { id: string }[]).map((x) => x.id);
          return { open, bad, ack, resolved, openAfter };
        },
        { ids },
      );
      const mine = new Set(Object.values(ids));
      expect(r.open.map((x) => x.id).filter((id) => mine.has(id))).toEqual([ids.stale, ids.breach, ids.restock]);
      expect(r.open.find((x) => x.id === ids.restock)).toMatchObject({ kind: 'COMPETITOR_RESTOCK', subject: `${asinOf(2)} — Board` });
      expect(r.open.find((x) => x.id === ids.restock)!.explanation).toContain('restock = jump in stock');
      expect(r.bad.error).toMatch(/cause must be one of MARKETING, COMPETITOR_EVENT, SUPPLY_DELAY, DATA_ERROR, OTHER, got "PROMOTION"/);
      expect(r.ack.ok).toMatchObject({ id: ids.breach, status: 'ACKNOWLEDGED', cause: 'SUPPLY_DELAY' });
      expect(r.resolved.ok).toMatchObject({ id: ids.stale, status: 'RESOLVED' });
      expect(r.openAfter.filter((id) => mine.has(id))).toEqual([ids.restock]);
      // Of the alerts open before, exactly the two handled ones left the list (the server's evaluator
      // may open new ones meanwhile, e.g. a real-time consumption-rate alert).
      expect(r.openAfter.filter((id) => r.open.some((o) => o.id === id)).length).toBe(r.open.length - 2);
      // The server holds what the sidebar did.
      const back = await gqlOk(server.url, server.apiKey, `query($id: ID!) { alert(id: $id) { status cause note } }`, { id: ids.breach });
      expect(back.alert).toEqual({ status: 'ACKNOWLEDGED', cause: 'SUPPLY_DELAY', note: 'container held at customs' });
    });

    it('a second Pull alerts updates the same rows in place (status, cause, note) and keeps the planner’s columns', async () => {
      const r = await host.eval(
        (env, a) => {
          const sheet = env.spreadsheet.getSheetByName('RR Alerts')!;
          const before = env.sheetValues('RR Alerts');
          const width = before[0]!.length;
          const rowOf = before.findIndex((x) => x[0] === a.ids.breach) + 1;
          env.asUser(() => sheet.getRange(rowOf, width + 1).setValue('called supplier'));
          env.clickMenu('Pull alerts');
          const after = env.sheetValues('RR Alerts');
          return {
            rowOf,
            width,
            row: after[rowOf - 1],
            stale: after.find((x) => x[0] === a.ids.stale),
            rows: after.length - 1,
            rowsBefore: before.length - 1,
          };
        },
        { ids },
      );
      // Rows stay in place; alerts the server opened meanwhile are appended below them.
      expect(r.rows).toBeGreaterThanOrEqual(r.rowsBefore);
      expect(r.row![0]).toBe(ids.breach);
      expect(r.row![2]).toBe('ACKNOWLEDGED');
      expect(r.row![10]).toBeInstanceOf(Date);
      expect(r.row!.slice(11, 13)).toEqual(['SUPPLY_DELAY', 'container held at customs']);
      expect(r.row![r.width]).toBe('called supplier');
      expect(r.stale![2]).toBe('RESOLVED');
    });
  });

  describe('replenishment plan against the real server', () => {
    const FILLER = 1_000; // with the three below: > 2 pages of 500, and a 1,000-row PLAN_FIELD column
    const day = (offset: number) =>
      new Date(Date.UTC(new Date(NOW).getUTCFullYear(), new Date(NOW).getUTCMonth(), new Date(NOW).getUTCDate()) + offset * 86_400_000)
        .toISOString()
        .slice(0, 10);
    const skuOf = (i: number) => `SKU-F${String(i).padStart(4, '0')}`;
    // SKU-A by hand: d̄ = 20/day (σ_d = 0), L̄ = 10 + 5 + 1 = 16 d, σ_L = √(2² + 1² + 0²) = √5 d,
    // σ_LTD = √(L̄σ_d² + d̄²σ_L²) = 20√5, SS = z(0.95)·σ_LTD, ROP = d̄·L̄ + SS, cover = 120 / 20 = 6 d.
    const z95 = 1.6448536269514722;
    const ssA = z95 * 20 * Math.sqrt(5);
    const ropA = 20 * 16 + ssA;

    beforeAll(async () => {
      const supplierId = (
        await gqlOk(server.url, server.apiKey, `mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id } }`, {
          i: { name: 'Acme', procurement: { mean: 10, sd: 2 }, shipping: { mean: 5, sd: 1 }, inbound: { mean: 1, sd: 0 }, orderCost: 50 },
        })
      ).upsertSupplier.id as string;
      for (const p of [
        { sku: 'SKU-A', name: 'Cutting board', unitCost: 10, price: 25, onHand: 120, supplier: 'Acme' },
        { sku: 'SKU-B', name: 'Knife block', unitCost: 20, price: 45, onHand: 5_000, supplier: 'Acme' },
        { sku: 'SKU-NOSUP', name: 'Sample without supplier', unitCost: 1, price: 2, onHand: 10 },
      ]) {
        await gqlOk(server.url, server.apiKey, `mutation($p: UpsertProductInput!) { upsertProduct(input: $p) { id } }`, { p });
      }
      // Volume only: the filler rows go into the same table in one statement (1,000 API upserts,
      // each its own transaction with stock-change evaluation, would take ~13 s of this file).
      const workspaceId = (await server.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id as string;
      const filler = Array.from({ length: FILLER }, (_, i) => ({
        id: randomUUID(),
        workspaceId,
        sku: skuOf(i),
        name: `Filler ${i}`,
        unitCost: 5,
        price: 9,
        abcClass: AbcClass.B,
        onHand: 100 + i,
        moq: 0,
        casePack: 1,
        storageLimit: null,
        supplierId,
      }));
      for (let i = 0; i < FILLER; i += 200) await server.db.manager.insert(Product, filler.slice(i, i + 200)); // SQLite's bound-parameter limit
      const sales: { sku: string; date: string; units: number }[] = [];
      for (let d = 1; d <= 100; d++) {
        sales.push({ sku: 'SKU-A', date: day(-d), units: 20 });
        sales.push({ sku: 'SKU-B', date: day(-d), units: d % 2 ? 4 : 6 });
      }
      for (let i = 0; i < FILLER; i++) for (let d = 1; d <= 7; d++) sales.push({ sku: skuOf(i), date: day(-d), units: (i + d) % 5 });
      for (let i = 0; i < sales.length; i += 10_000) {
        await gqlOk(server.url, server.apiKey, `mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted } }`, {
          i: sales.slice(i, i + 10_000),
        });
      }
    }, 120_000);

    it('Pull replenishment plan pages through every product and writes one row per SKU in one setValues', async () => {
      const r = await host.eval((env) => {
        const before = env.fetchLog.length;
        const sv = env.spreadsheet.stats.setValuesCalls;
        const uiAlerts = env.uiLog.alerts.length;
        const t0 = Date.now();
        env.clickMenu('Pull replenishment plan');
        return {
          ms: Date.now() - t0,
          requests: env.fetchLog.slice(before).map((f) => JSON.parse(f.payload ?? '{}').variables),
          setValues: env.spreadsheet.stats.setValuesCalls - sv,
          failures: env.uiLog.alerts.slice(uiAlerts),
          values: env.spreadsheet.getSheetByName('RR Replenishment') ? env.sheetValues('RR Replenishment') : [],
          toast: env.spreadsheet.toasts.at(-1)?.message,
          alerts: env.uiLog.alerts.length,
        };
      });
      expect(r.failures).toEqual([]);
      console.log(`Pull replenishment plan, ${FILLER + 3} products: ${r.ms} ms (${r.requests.length} requests)`);
      expect(r.requests.map((v: { first: number }) => v.first)).toEqual([500, 500, 500]);
      expect(r.setValues).toBe(1);
      const [header, ...rows] = r.values;
      expect(rows).toHaveLength(FILLER + 3);
      const col = (name: string) => {
        const j = header.indexOf(name);
        if (j < 0) throw new Error(`no column ${name}`);
        return j;
      };
      const a = rows.find((x) => x[0] === 'SKU-A')!;
      expect(a.slice(0, 6)).toEqual(['SKU-A', 'Cutting board', 'B', 'Acme', 120, 0]);
      expect(a[col('Daily demand')]).toBe(20);
      expect(a[col('Demand sd')]).toBe(0);
      expect(a[col('Lead time (d)')]).toBe(16);
      expect(a[col('Lead time sd (d)')]).toBeCloseTo(Math.sqrt(5), 2);
      expect(a[col('Safety stock')]).toBeCloseTo(ssA, 1);
      expect(a[col('Reorder point')]).toBeCloseTo(ropA, 1);
      expect(a[col('Order now')]).toBe(true); // position 120 < ROP ≈ 393.6
      expect(a[col('Order quantity')]).toBeGreaterThan(0);
      expect(a[col('Days of cover')]).toBe(6);
      expect(a[col('Plan date')]).toBe(day(0));
      expect(String(a[col('Explanation')])).toMatch(/\S/);
      expect(String(a[col('Explanation')]).length).toBeGreaterThan(100);
      const b = rows.find((x) => x[0] === 'SKU-B')!;
      expect(b[col('Daily demand')]).toBe(5);
      expect(b[col('Order now')]).toBe(false);
      // No supplier, no lead time: the row stays, with the server's reason, and the pull goes on.
      const nosup = rows.find((x) => x[0] === 'SKU-NOSUP')!;
      expect(nosup[col('Reorder point')]).toBe('');
      expect(nosup[col('Warnings')]).toMatch(/^no plan: .*leadTimeDays/);
      expect(nosup[col('Pull status')]).toBe('current');
      expect(r.toast).toBe(`${FILLER + 3} rows in "RR Replenishment" (${FILLER + 3} new; 1 without a plan (see Warnings)).`);
    });

    it('a second pull keeps rows by SKU (the planner’s notes stay) and adds new SKUs at the bottom', async () => {
      await gqlOk(server.url, server.apiKey, `mutation { upsertProduct(input: { sku: "SKU-A", onHand: 1000 }) { id } }`);
      await gqlOk(
        server.url,
        server.apiKey,
        `mutation { upsertProduct(input: { sku: "SKU-NEW", name: "New lid", unitCost: 2, price: 5, supplier: "Acme" }) { id } }`,
      );
      const out = await host.eval((env) => {
        const sheet = env.spreadsheet.getSheetByName('RR Replenishment')!;
        const before = env.sheetValues('RR Replenishment');
        const width = before[0]!.length;
        const rowA = before.findIndex((x) => x[0] === 'SKU-A') + 1;
        env.asUser(() => {
          sheet.insertColumnsAfter(sheet.getMaxColumns(), 4); // the planner makes room for own columns
          sheet.getRange(rowA, width + 1).setValue('promo in May');
        });
        env.clickMenu('Pull replenishment plan');
        const after = env.sheetValues('RR Replenishment');
        return { width, rowA, a: after[rowA - 1], last: after.at(-1), header: after[0] };
      });
      const j = (name: string) => out.header!.indexOf(name);
      expect(out.a![0]).toBe('SKU-A');
      expect(out.a![j('On hand')]).toBe(1000);
      expect(out.a![j('Order now')]).toBe(false);
      expect(out.a![out.width]).toBe('promo in May');
      expect(out.last![0]).toBe('SKU-NEW');
    });

    it('PLAN_FIELD: 1,000 SKUs in one request, cached; fields by name; unknown SKUs and unplannable ones say why', async () => {
      const r = await host.eval((env) => {
        const sheet = env.spreadsheet.getSheetByName('RR Replenishment')!;
        const values = env.sheetValues('RR Replenishment');
        const width = values[0]!.length;
        const cell = (c: number) => String.fromCharCode(64 + Math.floor((c - 1) / 26)) + String.fromCharCode(65 + ((c - 1) % 26));
        const target = cell(width + 3);
        const planRequests = () => env.fetchLog.filter((f) => (f.payload ?? '').includes('query PlanBatch')).length;
        const before = planRequests();
        const first = env.callCustomFunction('PLAN_FIELD', [{ range: 'A2:A1001' }, 'reorderPoint'], 'RR Replenishment');
        const requests1 = planRequests() - before;
        const second = env.callCustomFunction('PLAN_FIELD', [{ range: 'A2:A1001' }, 'reorderPoint'], 'RR Replenishment');
        // The same formula in the sheet: spills down the column, answered from the cache.
        env.asUser(() => sheet.getRange(`${target}2`).setFormula('=PLAN_FIELD(A2:A1001, "reorderPoint")'));
        env.recalculate();
        const requests2 = planRequests() - before - requests1;
        const after = env.sheetValues('RR Replenishment');
        const rop = after[0]!.indexOf('Reorder point');
        const pairs = after.slice(1, 1001).map((x) => [x[0], x[rop], x[width + 2]]);
        const one = (sku: string, field?: string) => {
          const res = env.callCustomFunction('PLAN_FIELD', field === undefined ? [sku] : [sku, field]);
          return 'value' in res ? res.value : res.error;
        };
        return {
          first,
          second,
          requests1,
          requests2,
          pairs,
          a: {
            rop: one('SKU-A', 'reorder_point'),
            ss: one('SKU-A', 'SS'),
            cover: one('SKU-A', 'daysOfCover'),
            now: one('SKU-A', 'orderNow'),
            summary: one('SKU-A'),
            why: one('SKU-A', 'explanation'),
          },
          nosup: one('SKU-NOSUP', 'reorderPoint'),
          nope: one('SKU-NOPE', 'reorderPoint'),
          badField: one('SKU-A', 'colour'),
          grid: env.callCustomFunction('PLAN_FIELD', [[['SKU-B'], [''], ['SKU-NOPE']], 'demand']),
        };
      });
      console.log(`PLAN_FIELD 1,000 SKUs: ${r.first.ms.toFixed(0)} ms cold (${r.requests1} request), ${r.second.ms.toFixed(0)} ms cached`);
      expect(r.requests1).toBe(1);
      expect(r.requests2).toBe(0);
      expect(r.first.ms).toBeLessThan(30_000);
      for (const [sku, pulled, live] of r.pairs) {
        if (sku === 'SKU-NOSUP') expect(live).toMatch(/^#NO_PLAN: .*leadTimeDays/);
        else expect(live as number).toBeCloseTo(pulled as number, 1); // same plan as the pulled row
      }
      expect(r.a.rop).toBeCloseTo(ropA, 6);
      expect(r.a.ss).toBeCloseTo(ssA, 6);
      expect(r.a.cover).toBe(50); // on hand 1,000 / 20 per day
      expect(r.a.now).toBe(false);
      expect(r.a.summary).toMatch(/ROP 394 · SS 74 · position 1000 · 50 d cover$/);
      expect(String(r.a.why).length).toBeGreaterThan(100);
      expect(r.nosup).toMatch(/^#NO_PLAN: .*leadTimeDays/);
      expect(r.nope).toBe('#NOT_FOUND: SKU-NOPE');
      expect(r.badField).toMatch(/^#BAD_INPUT: field must be one of summary, reorderPoint/);
      expect('value' in r.grid && r.grid.value).toEqual([[5], [''], ['#NOT_FOUND: SKU-NOPE']]);
    });
  });

  describe('competitor intelligence against the real server', () => {
    const LIVE = 'B0LIVE0001';
    const ENDS_LIVE = new Date(Math.floor((NOW + 6 * HOUR) / 60_000) * 60_000).toISOString();
    let api: {
      activeDeal: { id: string; sellOutEta: { p10: string; p50: string; p90: string } | null; sellOutEtaReason: string | null };
      velocity: { perDay: { value: number | null; lower: number; upper: number | null }; isLowerBoundOnly: boolean };
    };

    beforeAll(async () => {
      // A lightning deal of 600 units draining 25 units every 30 min for 6 hours, still live.
      const snaps = Array.from({ length: 13 }, (_, i) => ({
        asin: LIVE,
        capturedAt: new Date(NOW - 6.5 * HOUR + (i * HOUR) / 2).toISOString(),
        stock: 600 - 25 * i,
        dealType: 'LIGHTNING',
        dealQuantity: 600,
        dealClaimedPercent: Math.round(((25 * i) / 600) * 1000) / 10,
        dealEndsAt: ENDS_LIVE,
        source: 'scraper',
      }));
      await gqlOk(server.url, server.apiKey, 'mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }', { i: snaps });
      api = (
        await gqlOk(
          server.url,
          server.apiKey,
          `query($a: String!) { competitor(asin: $a) { activeDeal { id sellOutEta { p10 p50 p90 } sellOutEtaReason } velocity { perDay { value lower upper } isLowerBoundOnly } } }`,
          { a: LIVE },
        )
      ).competitor;
    });

    it('the server sees a live deal with a sell-out ETA (precondition for the sheet checks below)', () => {
      expect(api.activeDeal).not.toBeNull();
      expect(api.activeDeal.sellOutEta).not.toBeNull();
      const p50 = Date.parse(api.activeDeal.sellOutEta!.p50);
      // 300 units left at ~50/h: about 6 h after the last reading; the ETA must lie in the future.
      expect(p50).toBeGreaterThan(NOW - HOUR);
      expect(p50).toBeLessThan(NOW + 48 * HOUR);
    });

    it('SELLOUT_ETA("ASIN") returns the API’s sell-out quantiles, and says why when there is none', async () => {
      const r = await host.eval(
        (env, a) => {
          const v = (res: { value?: unknown; error?: string }) => ('value' in res ? res.value : res.error);
          const before = env.fetchLog.length;
          const p50 = v(env.callCustomFunction('SELLOUT_ETA', [a.live]));
          const p90 = v(env.callCustomFunction('SELLOUT_ETA', [a.live, 'p90']));
          const grid = v(env.callCustomFunction('SELLOUT_ETA', [[[a.live], [a.plain], [''], ['B0NOPE0000']], 'p10']));
          const bad = v(env.callCustomFunction('SELLOUT_ETA', [a.live, 'p99']));
          const local = v(env.callCustomFunction('SELLOUT_ETA', [100, 20])); // numbers: still the local form
          return { p50, p90, grid, bad, local, requests: env.fetchLog.length - before };
        },
        { live: LIVE, plain: asinOf(7) },
      );
      expect(r.p50).toBeInstanceOf(Date);
      expect((r.p50 as Date).toISOString()).toBe(new Date(api.activeDeal.sellOutEta!.p50).toISOString());
      // The slow draws may not sell out before the deal's scheduled end: the API's P90 is then null, and the cell says so.
      if (api.activeDeal.sellOutEta!.p90 === null)
        expect(r.p90).toMatch(/^P90 does not sell out before the deal ends \(\d\d-\d\d \d\d:\d\d UTC\)$/);
      else expect((r.p90 as Date).toISOString()).toBe(new Date(api.activeDeal.sellOutEta!.p90).toISOString());
      const grid = r.grid as unknown[][];
      expect((grid[0]![0] as Date).toISOString()).toBe(new Date(api.activeDeal.sellOutEta!.p10).toISOString());
      expect(grid[1]![0]).toMatch(/^no live deal · keepa · \d+(\.\d)? h old$/);
      expect(grid.slice(2)).toEqual([[''], ['#NOT_FOUND: US:B0NOPE0000']]);
      expect(r.bad).toMatch(/^#BAD_INPUT: quantile must be "p10", "p50" or "p90"/);
      expect(r.local).toBe(5);
      expect(r.requests).toBe(2); // the single ASIN once (then cached), the range once
    });

    it('live SELLOUT_ETA over 1,000 ASINs: one request, inside the 30-second custom-function limit', async () => {
      const r = await host.eval((env) => {
        const keys = env
          .sheetValues('RR Competitors')
          .slice(1, 1001)
          .map((x) => [`${String(x[1])}:${String(x[0])}`]);
        const before = env.fetchLog.length;
        const res = env.callCustomFunction('SELLOUT_ETA', [keys]);
        const again = env.callCustomFunction('SELLOUT_ETA', [keys]);
        const values = 'value' in res ? (res.value as unknown[][]) : [];
        return {
          ms: res.ms,
          cachedMs: again.ms,
          requests: env.fetchLog.length - before,
          rows: values.length,
          errors: values.filter((v) => typeof v[0] === 'string' && (v[0] as string).startsWith('#')).length,
          noDeal: values.filter((v) => typeof v[0] === 'string' && (v[0] as string).startsWith('no live deal')).length,
        };
      });
      console.log(`SELLOUT_ETA 1,000 ASINs (live): ${r.ms.toFixed(0)} ms cold (1 request), ${r.cachedMs.toFixed(0)} ms cached`);
      expect(r.requests).toBe(1);
      expect(r.rows).toBe(1000);
      expect(r.errors).toBe(0);
      expect(r.noDeal).toBeGreaterThan(990); // the seeded listings have plain readings; B0LIVE0001 sorts after them
      expect(r.ms).toBeLessThan(30_000);
    });

    it('the sidebar chart of the live-deal competitor carries the API’s sell-out ETA', async () => {
      const r = await host.eval(
        (env, a) => {
          const init = env.callFromClient('rrSidebarInit') as { competitors: { id: string; label: string }[] };
          const id = init.competitors.find((c) => c.label.startsWith(a.live))!.id;
          return env.callFromClient('rrChartData', [id]) as {
            deal: { type: string; status: string; eta: { p10: number | null; p50: number | null; p90: number | null } | null } | null;
            points: unknown[];
          };
        },
        { live: LIVE },
      );
      const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
      const e = api.activeDeal.sellOutEta!;
      expect(r.points).toHaveLength(13);
      expect(r.deal).toMatchObject({ type: 'LIGHTNING', status: 'LIVE', eta: { p10: ms(e.p10), p50: ms(e.p50), p90: ms(e.p90) } });
    });

    it('Pull deals writes each live deal once, keyed by deal id, with the API’s ETA quantiles and pace', async () => {
      const r = await host.eval((env) => {
        const sv = env.spreadsheet.stats.setValuesCalls;
        const ui = env.uiLog.alerts.length;
        env.clickMenu('Pull deals');
        return {
          setValues: env.spreadsheet.stats.setValuesCalls - sv,
          failures: env.uiLog.alerts.slice(ui),
          values: env.sheetValues('RR Deals'),
        };
      });
      expect(r.failures).toEqual([]);
      expect(r.setValues).toBe(1);
      const [header, ...rows] = r.values;
      const col = (h: string) => header!.indexOf(h);
      const row = rows.find((x) => x[0] === api.activeDeal.id)!;
      expect(row).toBeDefined();
      expect(row.slice(1, 6)).toEqual([LIVE, 'US', '', 'LIGHTNING', 'LIVE']);
      expect(row[col('Deal quantity')]).toBe(600);
      expect((row[col('Sell-out P50 (UTC)')] as Date).toISOString()).toBe(new Date(api.activeDeal.sellOutEta!.p50).toISOString());
      expect(row[col('Sell-out P90 (UTC)')]).toEqual(
        api.activeDeal.sellOutEta!.p90 === null ? '' : new Date(api.activeDeal.sellOutEta!.p90),
      );
      expect(row[col('No ETA because')]).toBe('');
      expect((row[col('Scheduled end (UTC)')] as Date).toISOString()).toBe(ENDS_LIVE);
      expect(row[col('Pace (units/h)')]).toBeGreaterThan(0);
      expect(row[col('Source')]).toBe('scraper');
      expect(String(row[col('Explanation')]).length).toBeGreaterThan(50);
      // Every row is a competitor with a deal live now: the plain listings do not appear.
      expect(rows.filter((x) => x[1] === asinOf(7))).toEqual([]);
    });

    it('Pull competitors carries the 30-day velocity and its interval as the API computes it', async () => {
      const r = await host.eval(
        (env, a) => {
          env.clickMenu('Pull competitors');
          const v = env.sheetValues('RR Competitors');
          return { header: v[0], row: v.find((x) => x[0] === a.live) };
        },
        { live: LIVE },
      );
      const col = (h: string) => r.header!.indexOf(h);
      const round2 = (x: number) => Math.round(x * 100) / 100;
      expect(api.velocity.isLowerBoundOnly).toBe(false);
      expect(r.row![col('Velocity (units/day, 30 d)')]).toBe(round2(api.velocity.perDay.value!));
      expect(r.row![col('Velocity low')]).toBe(round2(api.velocity.perDay.lower));
      expect(r.row![col('Velocity high')]).toBe(api.velocity.perDay.upper === null ? '' : round2(api.velocity.perDay.upper));
      expect(r.row![col('Velocity (units/day, 30 d)')]).toBeGreaterThan(0);
    });
  });
}
