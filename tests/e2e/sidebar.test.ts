/**
 * The built Sidebar.html in headless Chromium, with google.script.run emulated the way Apps Script
 * behaves (asynchronous, JSON-like results, success/failure handlers): the chart renders as SVG,
 * the screenshot is not blank, and Acknowledge / Insert chart call through to the server functions.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { build } from '../../addon/build.mjs';
import { selloutLine } from '../../addon/src/selloutWords';

const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const NOW = Date.UTC(2025, 5, 1, 12);
let browser: Browser;
let html: string;
let outDir: string;

// What the add-on's server functions answer (shapes as in addon/src/sidebar/data.ts and alerts.ts).
const fixtures = {
  rrSidebarInit: () => ({
    connected: true,
    server: 'https://radar.example.com/graphql',
    key: '••••abcd',
    competitors: [
      { id: 'c1', label: 'B0DRILL001 (US) · Cordless drill' },
      { id: 'c2', label: 'B0SAW00002 (US) · Jigsaw' },
      { id: 'c3', label: 'B0LONGDEAL (US) · Impact driver' },
      { id: 'c4', label: 'B0NODEAL04 (US) · Drill bits' },
    ],
  }),
  rrChartData: (id: string) => {
    if (id === 'c2') throw new Error('Competitor c2 was not found.');
    if (id === 'c3') return longHistoryWithLiveDeal();
    if (id === 'c4') return { ...longHistoryWithLiveDeal(), id: 'c4', asin: 'B0NODEAL04', deal: null };
    const points = Array.from({ length: 12 }, (_, i) => ({
      t: NOW - (11 - i) * HOUR,
      stock: i < 3 ? 999 : 900 - i * 60,
      lowerBound: i < 3,
      claimed: i >= 3 ? (i - 3) * 9 : null,
      dealType: i >= 3 ? 'LIGHTNING' : 'NONE',
    }));
    return {
      id,
      asin: 'B0DRILL001',
      marketplace: 'US',
      title: 'Cordless drill',
      points,
      source: 'keepa',
      newestAt: NOW - HOUR,
      now: NOW,
      deal: {
        type: 'LIGHTNING',
        status: 'LIVE',
        startedAt: NOW - 8.5 * HOUR,
        endsAt: NOW + 6 * HOUR,
        claimed: 72.4,
        eta: { p10: NOW + 2 * HOUR, p50: NOW + 3 * HOUR + 30 * 60_000, p90: null },
        reason: null,
        etaText: selloutLine({
          status: 'LIVE',
          scheduledEndAt: iso(NOW + 6 * HOUR),
          drainModel: 'CONSTANT',
          sellOutEta: { p10: iso(NOW + 2 * HOUR), p50: iso(NOW + 3 * HOUR + 30 * 60_000), p90: null },
          sellOutEtaReason: null,
        }),
      },
      forecast: {
        model: 'DECAY',
        points: Array.from({ length: 6 }, (_, i) => ({ t: NOW + i * HOUR, value: 240 - i * 40, lo80: 200 - i * 45, hi80: 280 - i * 30 })),
      },
    };
  },
  rrOpenAlerts: () => [
    {
      id: 'a1',
      kind: 'SAFETY_STOCK_BREACH',
      level: 'RED',
      title: 'Stock below safety stock',
      subject: 'SKU-1 — Cutting board',
      detail: 'on hand 40 < safety stock 120',
      explanation: 'safety stock = z·σ_LTD\n  z = 1.645 <script>x</script>',
      openedAt: NOW - HOUR,
      updatedAt: NOW - HOUR,
    },
    {
      id: 'a2',
      kind: 'COMPETITOR_RESTOCK',
      level: 'YELLOW',
      title: 'Competitor restocked',
      subject: 'B0SAW00002 — Jigsaw',
      detail: '+400 units · scraper · 2 h old',
      explanation: '',
      openedAt: NOW - 2 * HOUR,
      updatedAt: NOW - 2 * HOUR,
    },
  ],
  rrAcknowledgeAlert: (id: string, cause: string) => {
    if (!['MARKETING', 'DATA_ERROR', 'SUPPLY_DELAY', 'COMPETITOR_EVENT', 'OTHER'].includes(cause)) throw new Error(`bad cause ${cause}`);
    return { id, status: 'ACKNOWLEDGED', cause };
  },
  rrResolveAlert: (id: string) => ({ id, status: 'RESOLVED' }),
  rrInsertChart: (id: string) => `RR Chart ${id === 'c1' ? 'B0DRILL001' : id} US`,
} as Record<string, (...a: never[]) => unknown>;

/**
 * 14 days of hourly readings between 250 and 400 units, then a lightning deal live for the last
 * 5 hours (stock 380 → 140, 0 → 63 % claimed) whose P90 does not come before its end in 4 h, and
 * a hold-out forecast whose 80 % band spans 0–2,900 units: the case the chart must still make legible.
 */
function longHistoryWithLiveDeal() {
  const hours = 14 * 24;
  const points = Array.from({ length: hours + 1 }, (_, i) => {
    const t = NOW - (hours - i) * HOUR;
    const inDeal = hours - i <= 5;
    const k = 5 - (hours - i);
    return {
      t,
      stock: inDeal ? 380 - k * 48 : Math.round(325 + 75 * Math.sin(i / 9)),
      lowerBound: false,
      claimed: inDeal ? k * 12.6 : null,
      dealType: inDeal ? 'LIGHTNING' : 'NONE',
    };
  });
  const held = points.slice(points.length - 84);
  const end = NOW + 4 * HOUR;
  const eta = { p10: iso(NOW + HOUR), p50: iso(NOW + 2 * HOUR + 20 * 60_000), p90: null };
  return {
    id: 'c3',
    asin: 'B0LONGDEAL',
    marketplace: 'US',
    title: 'Impact driver',
    points,
    source: 'scraper',
    newestAt: NOW,
    now: NOW,
    deal: {
      type: 'LIGHTNING',
      status: 'LIVE',
      startedAt: NOW - 5 * HOUR,
      endsAt: end,
      claimed: 63,
      eta: { p10: Date.parse(eta.p10), p50: Date.parse(eta.p50), p90: null },
      reason: null,
      etaText: selloutLine({ status: 'LIVE', scheduledEndAt: iso(end), drainModel: 'CONSTANT', sellOutEta: eta, sellOutEtaReason: null }),
    },
    forecast: {
      model: 'ETS(A,N,N)',
      points: held.map((p, i) => ({ t: p.t, value: 330, lo80: Math.max(0, 330 - 30 * i), hi80: 330 + 31 * i })),
    },
  };
}

/** google.script.run as Apps Script gives it to the page: a fresh runner per call chain, async answers. */
const SHIM = `
window.google = { script: { run: (function () {
  function runner(ok, fail) {
    return new Proxy({}, { get: function (_t, name) {
      if (name === 'withSuccessHandler') return function (f) { return runner(f, fail); };
      if (name === 'withFailureHandler') return function (f) { return runner(ok, f); };
      return function () {
        var args = Array.prototype.slice.call(arguments);
        window.__gasCall(String(name), JSON.stringify(args)).then(function (r) {
          var res = JSON.parse(r);
          setTimeout(function () {
            if (res.ok) { if (ok) ok(res.value); } else if (fail) fail(new Error(res.error));
          }, 5);
        });
      };
    } });
  }
  return runner(null, null);
})() } };`;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'rr-addon-e2e-'));
  await build({ out: outDir });
  html = readFileSync(join(outDir, 'Sidebar.html'), 'utf8');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function openSidebar() {
  const calls: { name: string; args: unknown[] }[] = [];
  const page = await browser.newPage({ viewport: { width: 300, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.exposeFunction('__gasCall', (name: string, argsJson: string) => {
    const args = JSON.parse(argsJson) as never[];
    calls.push({ name, args });
    const fn = fixtures[name];
    if (!fn) return JSON.stringify({ ok: false, error: `Script function not found: ${name}` });
    try {
      return JSON.stringify({ ok: true, value: fn(...args) });
    } catch (e) {
      return JSON.stringify({ ok: false, error: (e as Error).message });
    }
  });
  // Apps Script's HtmlService provides google.script before the page's own scripts run.
  await page.setContent(html.replace('<head>', `<head><script>${SHIM}</script>`), { waitUntil: 'load' });
  return { page, calls, errors };
}

describe('sidebar in Chromium', () => {
  it('renders the stock / deal-claim chart with forecast band and censored markers', async () => {
    const { page, calls, errors } = await openSidebar();
    await page.waitForSelector('#chart svg path.series');
    const counts = await page.evaluate(() => ({
      series: document.querySelectorAll('#chart svg path.series').length,
      censored: document.querySelectorAll('#chart svg path.censored').length,
      bands: document.querySelectorAll('#chart svg path.band').length,
      names: [...document.querySelectorAll('#chart svg path.series')].map((p) => p.getAttribute('data-name')),
      d: document.querySelector('#chart svg path.series')?.getAttribute('d') ?? '',
      provenance: document.getElementById('provenance')?.textContent,
      options: document.querySelectorAll('#picker option').length,
      eta: document.querySelectorAll('#chart svg line.eta').length,
      etaRange: document.querySelectorAll('#chart svg rect.eta-range').length,
      deal: document.getElementById('deal')?.textContent,
    }));
    expect(counts.series).toBe(3);
    expect(counts.names).toEqual(['Stock', 'Deal claimed %', 'Forecast (DECAY)']);
    // Zoomed to the live deal (from its start less 2.1 h): two of the three "999+" readings are in
    // view, drawn as lower bounds; the line still runs on to the window's edge.
    expect(counts.censored).toBe(2);
    expect(counts.bands).toBe(1);
    expect(counts.d.match(/L/g)?.length).toBe(11); // 12 readings → M + 11 segments
    expect(counts.provenance).toBe('12 readings · keepa · newest 1.0 h old');
    expect(counts.options).toBe(4);
    expect(counts.eta).toBe(1);
    expect(counts.etaRange).toBe(1);
    expect(counts.deal).toBe(
      'LIGHTNING deal live · 72% claimed · P50 sells out ≈ 06-01 15:30 UTC · P10 sells out ≈ 06-01 14:00 UTC · P90 does not sell out before the deal ends (06-01 18:00 UTC)',
    );
    expect(calls.map((c) => c.name)).toEqual(expect.arrayContaining(['rrSidebarInit', 'rrChartData', 'rrOpenAlerts']));
    const shot = await page.locator('#chart').screenshot();
    mkdirSync('.tmp', { recursive: true });
    writeFileSync(join('.tmp', 'sidebar-chart.png'), shot);
    expect(shot.length).toBeGreaterThan(3_000);
    const full = await page.screenshot({ fullPage: true });
    writeFileSync(join('.tmp', 'sidebar.png'), full);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('each alert has its own cause picker with the API’s causes; Acknowledge needs one and sends it', async () => {
    const { page, calls, errors } = await openSidebar();
    await page.waitForSelector('li.alert button.ack');
    const options = await page.$$eval('li.alert[data-id="a1"] select.cause option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['', 'MARKETING', 'COMPETITOR_EVENT', 'SUPPLY_DELAY', 'DATA_ERROR', 'OTHER']);
    expect(await page.locator('li.alert select.cause').count()).toBe(2);
    // The explanation is shown as text, never as markup.
    expect(await page.textContent('li.alert[data-id="a1"] details pre')).toContain('z = 1.645 <script>x</script>');
    expect(await page.locator('li.alert[data-id="a2"] details').count()).toBe(0);
    // Without a cause nothing is sent.
    await page.click('li.alert[data-id="a1"] button.ack');
    expect(await page.textContent('#status')).toMatch(/^Pick a cause first/);
    expect(calls.filter((c) => c.name === 'rrAcknowledgeAlert')).toEqual([]);
    // The second alert's picker does not leak into the first one's acknowledgement.
    await page.selectOption('li.alert[data-id="a2"] select.cause', 'OTHER');
    await page.selectOption('li.alert[data-id="a1"] select.cause', 'SUPPLY_DELAY');
    await page.click('li.alert[data-id="a1"] button.ack');
    await page.waitForSelector('li.alert[data-id="a1"]', { state: 'detached' });
    expect(calls.filter((c) => c.name === 'rrAcknowledgeAlert')).toEqual([{ name: 'rrAcknowledgeAlert', args: ['a1', 'SUPPLY_DELAY'] }]);
    expect(await page.locator('li.alert').count()).toBe(1);
    expect(await page.textContent('#status')).toBe('Alert acknowledged.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Resolve closes an alert; the list says so when none are left', async () => {
    const { page, calls } = await openSidebar();
    await page.waitForSelector('li.alert button.resolve');
    await page.click('li.alert[data-id="a2"] button.resolve');
    await page.waitForSelector('li.alert[data-id="a2"]', { state: 'detached' });
    await page.selectOption('li.alert[data-id="a1"] select.cause', 'MARKETING');
    await page.click('li.alert[data-id="a1"] button.ack');
    await page.waitForSelector('li.alert[data-id="a1"]', { state: 'detached' });
    expect(calls.filter((c) => c.name === 'rrResolveAlert').map((c) => c.args)).toEqual([['a2']]);
    expect(await page.textContent('#alerts')).toBe('No open alerts.');
    await page.close();
  });

  it('Insert chart calls the server with the shown competitor; a failing call shows its message', async () => {
    const { page, calls } = await openSidebar();
    await page.waitForSelector('#chart svg');
    await page.click('#insert');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Chart inserted'));
    expect(calls.find((c) => c.name === 'rrInsertChart')?.args).toEqual(['c1']);
    expect(await page.textContent('#status')).toBe('Chart inserted in sheet "RR Chart B0DRILL001 US".');
    await page.selectOption('#picker', 'c2');
    await page.waitForFunction(() => document.getElementById('status')?.className === 'error');
    expect(await page.textContent('#status')).toBe('Competitor c2 was not found.');
    await page.close();
  });

  /** Geometry of the rendered chart in CSS pixels, relative to the page (the sidebar is 300 px wide). */
  async function chartGeometry(page: Page) {
    return page.evaluate(() => {
      const svg = document.querySelector('#chart svg') as SVGSVGElement;
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
      };
      const union = (els: Element[]) => {
        const bs = els.map(box).filter((b) => b.width > 0 || b.height > 0);
        if (!bs.length) return { top: 0, bottom: 0, height: 0, width: 0 };
        const top = Math.min(...bs.map((b) => b.top));
        const bottom = Math.max(...bs.map((b) => b.bottom));
        return { top, bottom, height: bottom - top, width: Math.max(...bs.map((b) => b.right)) - Math.min(...bs.map((b) => b.left)) };
      };
      const plot = svg.querySelector('.plot-area') ?? svg.querySelector('path.axis')!;
      return {
        viewport: window.innerWidth,
        svg: box(svg),
        plot: box(plot),
        texts: [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent ?? '', ...box(t) })),
        stock: union([...svg.querySelectorAll('path.series[data-name="Stock"]')]),
        band: union([...svg.querySelectorAll('path.band')]),
        eta: union([...svg.querySelectorAll('rect.eta-range')]),
        zoom: document.getElementById('zoom')?.textContent ?? null,
        zoomHidden: (document.getElementById('zoom') as HTMLElement | null)?.hidden ?? null,
      };
    });
  }

  it('a few-hour live deal in 14 days of history: zoomed to the deal, every label inside 300 px, stock and the P10–P90 band legible', async () => {
    const { page, errors } = await openSidebar();
    await page.waitForSelector('#chart svg path.series');
    await page.selectOption('#picker', 'c3');
    await page.waitForFunction(() => document.getElementById('provenance')?.textContent?.startsWith('337 readings'));
    const g = await chartGeometry(page);
    mkdirSync('.tmp', { recursive: true });
    writeFileSync(join('.tmp', 'sidebar-deal-zoom.png'), await page.locator('#chart').screenshot());
    writeFileSync(join('.tmp', 'sidebar-deal-zoom-full.png'), await page.screenshot({ fullPage: true }));
    expect(g.viewport).toBe(300);
    // Every label (title, ticks, axis names, sell-out label, legend) lies inside the chart and the sidebar.
    for (const t of g.texts) {
      expect(t.left, `"${t.text}" starts left of the chart`).toBeGreaterThanOrEqual(g.svg.left - 0.5);
      expect(t.right, `"${t.text}" runs past the chart's right edge`).toBeLessThanOrEqual(Math.min(g.svg.right, g.viewport) + 0.5);
      expect(t.bottom, `"${t.text}" falls below the chart`).toBeLessThanOrEqual(g.svg.bottom + 0.5);
      expect(t.top, `"${t.text}" starts above the chart`).toBeGreaterThanOrEqual(g.svg.top - 0.5);
    }
    const texts = g.texts.map((t) => t.text);
    expect(texts).toContain('sell-out P50');
    expect(texts.some((t) => t.startsWith('Stock'))).toBe(true);
    // Zoomed to the deal: its P10–P90 span is a band a planner can see, not a sliver.
    expect(g.eta.width).toBeGreaterThan(30);
    // The y axis follows the actual stock (140–400), not the forecast band (0–2,900).
    expect(g.stock.height).toBeGreaterThan(0.5 * g.plot.height);
    // The forecast band stays visible, clipped to the plot, and the legend says it goes beyond.
    expect(g.band.height).toBeGreaterThan(20);
    expect(g.band.top).toBeGreaterThanOrEqual(g.plot.top - 0.5);
    expect(texts.some((t) => /beyond/.test(t))).toBe(true);
    expect(g.zoom).toBe('Show full history');
    expect(g.zoomHidden).toBe(false);

    // The toggle: the whole 14 days, where the deal is only a sliver, and back.
    await page.click('#zoom');
    await page.waitForFunction(() => document.getElementById('zoom')?.textContent === 'Zoom to live deal');
    const h = await chartGeometry(page);
    writeFileSync(join('.tmp', 'sidebar-history.png'), await page.locator('#chart').screenshot());
    expect(h.eta.width).toBeLessThan(g.eta.width / 5);
    for (const t of h.texts) expect(t.right, `"${t.text}" runs past the chart's right edge`).toBeLessThanOrEqual(h.svg.right + 0.5);
    await page.click('#zoom');
    await page.waitForFunction(() => document.getElementById('zoom')?.textContent === 'Show full history');
    expect((await chartGeometry(page)).eta.width).toBeCloseTo(g.eta.width, 0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without a live deal the chart shows the whole history and offers no zoom', async () => {
    const { page } = await openSidebar();
    await page.waitForSelector('#chart svg path.series');
    await page.selectOption('#picker', 'c4');
    await page.waitForFunction(() => document.getElementById('deal')?.textContent === 'No live deal.');
    expect(await page.locator('#zoom').isVisible()).toBe(false);
    const g = await chartGeometry(page);
    for (const t of g.texts) expect(t.right, `"${t.text}" runs past the chart's right edge`).toBeLessThanOrEqual(g.svg.right + 0.5);
    expect(g.stock.width).toBeGreaterThan(0.9 * g.plot.width);
    await page.close();
  });
});
