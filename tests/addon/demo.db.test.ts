/**
 * The built add-on against the server's demo workspace (36 generated competitors over 21 days:
 * lightning deals, decaying and steady drains, restocks, stockouts, capped "999+" readings, gaps):
 * Refresh all, the live functions and the sidebar on realistic data, each checked against what the
 * API itself answers for the same competitors. Run on SQLite and on PostgreSQL (the database matrix).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { build } from '../../addon/build.mjs';
import { GasWorkerHost } from '../helpers/gas';
import { gqlOk } from '../helpers/gql';
import { type TestServer, startTestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

interface ApiCompetitor {
  id: string;
  asin: string;
  marketplace: string;
  velocity: { perDay: { value: number | null; lower: number; upper: number | null }; isLowerBoundOnly: boolean };
  activeDeal: {
    id: string;
    sellOutEta: { p10: string | null; p50: string | null; p90: string | null } | null;
    sellOutEtaReason: string | null;
    scheduledEndAt: string | null;
    drainModel: string | null;
  } | null;
  latestSnapshot: { dealType: string; source: string | null } | null;
}

let server: TestServer;
let host: GasWorkerHost;
let outDir: string;
let api: ApiCompetitor[];

describeDatabase('built add-on against the demo workspace', (databaseUrl) => {
  beforeAll(async () => {
    server = await startTestServer({ databaseUrl, demo: true });
    // Sell-out ETAs are computed "as of now": pin the server's clock so the API answer fetched here
    // and the sheet's later pulls are evaluated at the same moment.
    const now = Date.now();
    server.app.clock.now = () => now;
    outDir = mkdtempSync(join(tmpdir(), 'rr-addon-demo-'));
    await build({ out: outDir, apiUrls: [`${server.url}/`], allowLoopback: true });
    host = await GasWorkerHost.start({ project: outDir });
    api = (
      await gqlOk(
        server.url,
        server.apiKey,
        `{ competitors(first: 500) { edges { node { id asin marketplace
            velocity { perDay { value lower upper } isLowerBoundOnly }
            activeDeal { id sellOutEta { p10 p50 p90 } sellOutEtaReason scheduledEndAt drainModel }
            latestSnapshot { dealType source } } } } }`,
      )
    ).competitors.edges.map((e: { node: ApiCompetitor }) => e.node);
    await host.eval(
      (env, a) => {
        env.open();
        env.answer(a.url).answer(a.key);
        env.clickMenu('Connect');
      },
      { url: server.url, key: server.apiKey },
    );
  }, 300_000);

  afterAll(async () => {
    await host?.stop();
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const round2 = (x: number) => Math.round(x * 100) / 100;

  describe('demo workspace', () => {
    it('the demo has what these checks need: 36 competitors, capped velocities, at least one live deal', () => {
      expect(api).toHaveLength(36);
      expect(api.some((c) => c.velocity.isLowerBoundOnly)).toBe(true);
      expect(api.some((c) => c.activeDeal)).toBe(true);
    });

    it('Refresh all runs every pull without a failure and each sheet matches the API', async () => {
      const r = await host.eval((env) => {
        const t0 = Date.now();
        env.clickMenu('Refresh all');
        return {
          ms: Date.now() - t0,
          report: env.uiLog.alerts.at(-1),
          competitors: env.sheetValues('RR Competitors'),
          deals: env.sheetValues('RR Deals'),
          plan: env.sheetValues('RR Replenishment'),
          alerts: env.sheetValues('RR Alerts'),
        };
      });
      console.log(`Refresh all on the demo workspace: ${r.ms} ms\n${r.report?.prompt}`);
      expect(r.report?.title).toBe('Restock Radar: refresh all');
      const lines = String(r.report?.prompt).split('\n');
      expect(lines).toEqual([
        'competitors: 36 rows',
        `deals: ${api.filter((c) => c.activeDeal).length} rows`,
        'replenishment plan: 8 rows', // the demo's own SKUs
        expect.stringMatching(/^alerts: \d+ rows$/),
      ]);

      // Velocity per competitor, exactly as the API computes it; capped ones as a lower bound.
      const [ch, ...crows] = r.competitors;
      const vcol = ch!.indexOf('Velocity (units/day, 30 d)');
      for (const c of api) {
        const row = crows.find((x) => x[0] === c.asin && x[1] === c.marketplace)!;
        const want =
          c.velocity.isLowerBoundOnly || c.velocity.perDay.value === null
            ? `≥${round2(c.velocity.perDay.lower)}`
            : round2(c.velocity.perDay.value);
        expect([c.asin, row[vcol]]).toEqual([c.asin, want]);
      }

      // One deal row per live deal, with the API's P50 or its reason for none.
      const [dh, ...drows] = r.deals;
      const p50 = dh!.indexOf('Sell-out P50 (UTC)');
      const why = dh!.indexOf('No ETA because');
      for (const c of api.filter((x) => x.activeDeal)) {
        const row = drows.find((x) => x[0] === c.activeDeal!.id)!;
        expect(row[1]).toBe(c.asin);
        const eta = c.activeDeal!.sellOutEta;
        if (eta?.p50) expect((row[p50] as Date).toISOString()).toBe(new Date(eta.p50).toISOString());
        else expect(row[p50]).toBe('');
        expect(row[why]).toBe(eta ? '' : (c.activeDeal!.sellOutEtaReason ?? ''));
      }
      // The demo's eight SKUs, each with a computed plan and its explanation.
      const [ph, ...prows] = r.plan;
      expect(ph).toEqual(expect.arrayContaining(['SKU', 'Reorder point', 'Explanation']));
      expect(prows).toHaveLength(8);
      const rop = ph!.indexOf('Reorder point');
      const expl = ph!.indexOf('Explanation');
      for (const row of prows) {
        expect(row[rop]).toBeGreaterThan(0);
        expect(String(row[expl])).toMatch(/^Replenishment plan: /);
      }
    });

    it('DEAL_STATUS and live SELLOUT_ETA over every demo listing (several marketplaces): one request each, no errors', async () => {
      const keys = api.map((c) => [`${c.marketplace}:${c.asin}`]);
      const r = await host.eval(
        (env, a) => {
          const before = env.fetchLog.length;
          const status = env.callCustomFunction('DEAL_STATUS', [a.keys, 'type']);
          const eta = env.callCustomFunction('SELLOUT_ETA', [a.keys]);
          return { status, eta, requests: env.fetchLog.length - before };
        },
        { keys },
      );
      expect(r.requests).toBe(2);
      const status = ('value' in r.status ? r.status.value : []) as unknown[][];
      const eta = ('value' in r.eta ? r.eta.value : []) as unknown[][];
      api.forEach((c, i) => {
        expect(status[i]![0]).toBe(c.latestSnapshot?.dealType ?? '');
        const cell = eta[i]![0];
        if (!c.activeDeal) expect(cell).toMatch(new RegExp(`^no live deal · ${c.latestSnapshot?.source ?? 'unknown source'} · `));
        else if (c.activeDeal.sellOutEta?.p50)
          expect((cell as Date).toISOString()).toBe(new Date(c.activeDeal.sellOutEta.p50).toISOString());
        else if (c.activeDeal.drainModel === null && !c.activeDeal.sellOutEta)
          expect(cell).toBe(`no sell-out ETA yet: ${c.activeDeal.sellOutEtaReason}`);
        else if (c.activeDeal.scheduledEndAt) expect(cell).toMatch(/^P50 does not sell out before the deal ends \(/);
        else expect(cell).toBe('P50 never sells out at the current pace: demand fades first');
      });
    });

    it('the sidebar charts the live-deal competitor (deal claims, capped readings flagged) and a steady one with a forecast', async () => {
      const live = api.find((c) => c.activeDeal)!;
      // A listing whose capped readings make its velocity only a lower bound.
      const capped = api.find((c) => c.velocity.isLowerBoundOnly)!;
      const steady = api.find((c) => !c.velocity.isLowerBoundOnly && !c.activeDeal)!;
      const r = await host.eval(
        (env, a) => {
          type Chart = {
            asin: string;
            points: { stock: number | null; lowerBound: boolean; dealType: string }[];
            forecast: { points: unknown[] } | null;
            source: string | null;
          };
          const init = env.callFromClient('rrSidebarInit') as { competitors: { id: string }[] };
          const summary = (c: Chart) => ({
            asin: c.asin,
            points: c.points.length,
            dealPoints: c.points.filter((p) => p.dealType !== 'NONE').length,
            capped: c.points.filter((p) => p.lowerBound).length,
            forecast: c.forecast?.points.length ?? 0,
            source: c.source,
          });
          return {
            ids: init.competitors.map((c) => c.id),
            live: summary(env.callFromClient('rrChartData', [a.live]) as Chart),
            capped: summary(env.callFromClient('rrChartData', [a.capped]) as Chart),
            steady: summary(env.callFromClient('rrChartData', [a.steady]) as Chart),
          };
        },
        { live: live.id, capped: capped.id, steady: steady.id },
      );
      expect(r.ids).toHaveLength(36);
      expect(r.ids).toEqual(expect.arrayContaining([live.id, steady.id]));
      expect(r.live.asin).toBe(live.asin);
      expect(r.live.points).toBeGreaterThan(20);
      expect(r.live.dealPoints).toBeGreaterThan(0);
      expect(r.live.source).toBe(live.latestSnapshot?.source);
      // A velocity that is only a lower bound comes from capped readings: the chart marks them as such.
      expect(r.capped.asin).toBe(capped.asin);
      expect(r.capped.capped).toBeGreaterThan(0);
      expect(r.steady.asin).toBe(steady.asin);
      expect(r.steady.points).toBeGreaterThan(20);
      expect(r.steady.forecast).toBeGreaterThan(1);
    });
  });
});
