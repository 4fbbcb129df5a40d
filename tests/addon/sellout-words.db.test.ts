/**
 * SELLOUT_ETA("ASIN") and the sidebar say what the API says about a live deal's sell-out: the built
 * add-on (Apps Script emulation in a worker) against the real server, one listing per API case —
 * sells out at T, not before the deal's end (every quantile, or only the slow ones), demand fades
 * with no end, too little data for an ETA, no live deal. Each case is first checked on the API
 * itself, so a change of the API's answer shows up as that precondition, not as a wording failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { build } from '../../addon/build.mjs';
import { describeDatabase } from '../helpers/database';
import { GasWorkerHost } from '../helpers/gas';
import { gqlOk } from '../helpers/gql';
import { type TestServer, startTestServer } from '../helpers/server';

const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const iso = (t: number) => new Date(t).toISOString();

interface Drain {
  asin: string;
  quantity: number | null;
  /** Cumulative units claimed t hours into the deal. */
  claimed: (t: number) => number;
  /** Hours of readings before now, every half hour. */
  hours: number;
  endsInHours: number | null;
}

const DRAINS: Drain[] = [
  { asin: 'B0WORDSA01', quantity: 400, claimed: (t) => 30 * t, hours: 4, endsInHours: 48 },
  { asin: 'B0WORDSB02', quantity: 400, claimed: (t) => 30 * t, hours: 4, endsInHours: 10 },
  { asin: 'B0WORDSC03', quantity: 400, claimed: (t) => 10 * t, hours: 4, endsInHours: 3 },
  // A decaying drain whose demand limit (420 units) barely exceeds the quantity (400): the median draw sells out, the slow P90 one fades first.
  { asin: 'B0WORDSD04', quantity: 400, claimed: (t) => 420 * (1 - Math.exp(-0.25 * t)), hours: 4, endsInHours: null },
  { asin: 'B0WORDSE05', quantity: null, claimed: (t) => 20 * t, hours: 2, endsInHours: 6 },
];

function snapshots(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const d of DRAINS) {
    const start = NOW - d.hours * HOUR;
    out.push({ asin: d.asin, capturedAt: iso(start - HOUR), stock: 800, source: 'scraper' });
    for (let t = 0; t <= d.hours; t += 0.5) {
      const units = Math.round(d.claimed(t));
      out.push({
        asin: d.asin,
        capturedAt: iso(start + t * HOUR),
        stock: 800 - units,
        dealType: 'LIGHTNING',
        dealQuantity: d.quantity,
        dealClaimedPercent: d.quantity ? Math.round((1000 * units) / d.quantity) / 10 : null,
        dealEndsAt: d.endsInHours === null ? null : iso(NOW + d.endsInHours * HOUR),
        source: 'scraper',
      });
    }
  }
  out.push({ asin: 'B0WORDSF06', capturedAt: iso(NOW - HOUR), stock: 120, source: 'keepa' });
  return out;
}

describeDatabase('SELLOUT_ETA and sidebar wording', (databaseUrl) => {
  let server: TestServer;
  let host: GasWorkerHost;
  let outDir: string;
  beforeAll(async () => {
    server = await startTestServer({ databaseUrl });
    server.app.clock.now = () => NOW;
    await gqlOk(server.url, server.apiKey, 'mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }', {
      i: snapshots(),
    });
    outDir = mkdtempSync(join(tmpdir(), 'rr-addon-words-'));
    await build({ out: outDir, apiUrls: [`${server.url}/`], allowLoopback: true });
    host = await GasWorkerHost.start({ project: outDir });
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  interface ApiDeal {
    status: string;
    scheduledEndAt: string | null;
    drainModel: string | null;
    sellOutEta: { p10: string | null; p50: string | null; p90: string | null } | null;
    sellOutEtaReason: string | null;
  }
  async function apiDeal(asin: string): Promise<ApiDeal | null> {
    const r = await gqlOk(
      server.url,
      server.apiKey,
      `query($a: String!) { competitor(asin: $a) { activeDeal { status scheduledEndAt drainModel sellOutEta { p10 p50 p90 } sellOutEtaReason } } }`,
      { a: asin },
    );
    return (r.competitor as { activeDeal: ApiDeal | null }).activeDeal;
  }

  /** SELLOUT_ETA(asin, q) for each quantile and the sidebar's deal line, through the built add-on. */
  async function sheetAndSidebar(asin: string) {
    return host.eval(
      (env, a) => {
        if (!env.properties.document.getProperty('RR_API_KEY')) {
          env.open();
          env.answer(a.url).answer(a.key);
          env.clickMenu('Connect');
        }
        const v = (res: { value?: unknown; error?: string }) => ('value' in res ? res.value : res.error);
        const cells = ['p10', 'p50', 'p90'].map((q) => v(env.callCustomFunction('SELLOUT_ETA', [a.asin, q])));
        const init = env.callFromClient('rrSidebarInit') as { competitors: { id: string; label: string }[] };
        const id = init.competitors.find((c) => c.label.startsWith(a.asin))!.id;
        const chart = env.callFromClient('rrChartData', [id]) as { deal: { etaText: string } | null };
        return { cells, sidebar: chart.deal?.etaText ?? null, hasDeal: chart.deal !== null };
      },
      { asin, url: server.url, key: server.apiKey },
    );
  }

  const end = (h: number) =>
    `${iso(NOW + h * HOUR)
      .slice(5, 16)
      .replace('T', ' ')} UTC`;
  const words = (t: string | null) => `sells out ≈ ${t!.slice(5, 16).replace('T', ' ')} UTC`;

  it('sells out at T: every quantile a moment, the cells are those moments and the sidebar gives all three', async () => {
    const api = (await apiDeal('B0WORDSA01'))!;
    expect(api.sellOutEta).not.toBeNull();
    expect(Object.values(api.sellOutEta!).every((x) => x !== null)).toBe(true);
    const r = await sheetAndSidebar('B0WORDSA01');
    expect(r.cells).toEqual([api.sellOutEta!.p10, api.sellOutEta!.p50, api.sellOutEta!.p90].map((t) => new Date(t!)));
    expect(r.sidebar).toBe(
      `${words(api.sellOutEta!.p50)} (P10 ${words(api.sellOutEta!.p10).slice(12)} – P90 ${words(api.sellOutEta!.p90).slice(12)})`,
    );
  });

  it('the deal ends before the slow draws sell out: P90 says "does not sell out before the deal ends", never "demand fades"', async () => {
    const api = (await apiDeal('B0WORDSB02'))!;
    expect(api.scheduledEndAt).not.toBeNull();
    expect(api.sellOutEta?.p50).not.toBeNull();
    expect(api.sellOutEta?.p90).toBeNull();
    const r = await sheetAndSidebar('B0WORDSB02');
    expect(r.cells[1]).toEqual(new Date(api.sellOutEta!.p50!));
    expect(r.cells[2]).toBe(`P90 does not sell out before the deal ends (${end(10)})`);
    expect(r.sidebar).toBe(
      `P50 ${words(api.sellOutEta!.p50)} · P10 ${words(api.sellOutEta!.p10)} · P90 does not sell out before the deal ends (${end(10)})`,
    );
    expect(JSON.stringify(r)).not.toMatch(/never|demand fades/);
  });

  it('the deal ends before any draw sells out: no ETA from the API, and every cell and the sidebar say the deal ends first', async () => {
    const api = (await apiDeal('B0WORDSC03'))!;
    expect(api.sellOutEta).toBeNull();
    expect(api.drainModel).not.toBeNull();
    expect(api.sellOutEtaReason).toMatch(/after the horizon/);
    const r = await sheetAndSidebar('B0WORDSC03');
    expect(r.cells).toEqual(['P10', 'P50', 'P90'].map((q) => `${q} does not sell out before the deal ends (${end(3)})`));
    expect(r.sidebar).toBe(`does not sell out before the deal ends (${end(3)})`);
  });

  it('no scheduled end and a slow draw that never sells out: demand fades, and only for that quantile', async () => {
    const api = (await apiDeal('B0WORDSD04'))!;
    expect(api.scheduledEndAt).toBeNull();
    expect(api.sellOutEta?.p50).not.toBeNull();
    expect(api.sellOutEta?.p90).toBeNull();
    const r = await sheetAndSidebar('B0WORDSD04');
    expect(r.cells[2]).toBe('P90 never sells out at the current pace: demand fades first');
    expect(r.sidebar).toBe(
      `P50 ${words(api.sellOutEta!.p50)} · P10 ${words(api.sellOutEta!.p10)} · P90 never sells out at the current pace: demand fades first`,
    );
  });

  it('too little data for a drain: the API’s reason, in the cell and the sidebar alike', async () => {
    const api = (await apiDeal('B0WORDSE05'))!;
    expect(api.sellOutEta).toBeNull();
    expect(api.drainModel).toBeNull();
    const r = await sheetAndSidebar('B0WORDSE05');
    const text = `no sell-out ETA yet: ${api.sellOutEtaReason}`;
    expect(r.cells).toEqual([text, text, text]);
    expect(r.sidebar).toBe(text);
  });

  it('no live deal: the cell says so with the reading’s source and age, the sidebar has no deal', async () => {
    expect(await apiDeal('B0WORDSF06')).toBeNull();
    const r = await sheetAndSidebar('B0WORDSF06');
    for (const cell of r.cells) expect(cell).toMatch(/^no live deal · keepa · 1(\.\d)? h old$/);
    expect(r.hasDeal).toBe(false);
  });
});
