/// <reference lib="dom" />
/**
 * Browser side of the sidebar (bundled into Sidebar.html by build.mjs). Talks to the add-on only
 * through google.script.run; draws the chart with chart.ts.
 */
import { type ChartBand, type ChartSeries, renderChart } from './chart';
import type { ChartData, SidebarInit } from './data';
import { ALERT_CAUSES } from '../alertCauses';
import type { AlertItem } from '../alerts';

interface Runner {
  withSuccessHandler(f: (v: unknown) => void): Runner;
  withFailureHandler(f: (e: Error) => void): Runner;
  [fn: string]: unknown;
}
declare const google: { script: { run: Runner } };

export type SidebarChart = ChartData;

function call<T>(fn: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const r = google.script.run.withSuccessHandler((v) => resolve(v as T)).withFailureHandler(reject);
    (r[fn] as (...a: unknown[]) => void)(...args);
  });
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function status(text: string, isError = false): void {
  const el = $('status');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

function age(newestAt: number | null, now: number): string {
  if (newestAt === null) return 'no readings';
  const h = (now - newestAt) / 3_600_000;
  return h < 1 ? `${Math.round(h * 60)} min old` : h < 48 ? `${h.toFixed(1)} h old` : `${Math.round(h / 24)} d old`;
}

const HOUR = 3_600_000;

/**
 * The time window around a live deal: from its start less a quarter of its age (at least 1 h) of
 * context, to the latest of now, P10, P50 and P90 (or, without a P90, the deal's scheduled end) but
 * no further than 3 deal ages past now unless P50 lies beyond, plus 5 % so the last mark is not on
 * the edge. Null without a live deal.
 */
export function dealWindow(d: SidebarChart): [number, number] | null {
  if (!d.deal || d.deal.status !== 'LIVE' || !Number.isFinite(d.deal.startedAt)) return null;
  const age = Math.max(HOUR, d.now - d.deal.startedAt);
  const from = d.deal.startedAt - Math.max(HOUR, age / 4);
  const e = d.deal.eta;
  const marks = [d.now, e?.p10, e?.p50, e?.p90 ?? d.deal.endsAt].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  const p50 = e?.p50 ?? null;
  const to = Math.max(Math.min(Math.max(...marks), d.now + 3 * age), p50 ?? d.now, d.now);
  return [from, to + 0.05 * (to - from)];
}

/** The chart: zoomed to the live deal unless `full`; the forecast line and band are context (clipped to the stock's axis). */
export function chartSvg(d: SidebarChart, width: number, full = false): string {
  const series: ChartSeries[] = [
    { name: 'Stock', color: '#1a73e8', axis: 'left', points: d.points.map((p) => ({ t: p.t, y: p.stock, lowerBound: p.lowerBound })) },
  ];
  if (d.points.some((p) => p.claimed !== null)) {
    series.push({ name: 'Deal claimed %', color: '#e8711a', axis: 'right', points: d.points.map((p) => ({ t: p.t, y: p.claimed })) });
  }
  const bands: ChartBand[] = [];
  if (d.forecast && d.forecast.points.length) {
    series.push({
      name: `Forecast (${d.forecast.model})`,
      color: '#188038',
      axis: 'left',
      dashed: true,
      context: true,
      points: d.forecast.points.map((p) => ({ t: p.t, y: p.value })),
    });
    bands.push({
      name: '80% interval',
      color: '#188038',
      axis: 'left',
      context: true,
      points: d.forecast.points.map((p) => ({ t: p.t, lo: p.lo80, hi: p.hi80 })),
    });
  }
  const window = full ? null : dealWindow(d);
  return renderChart({
    width,
    height: 240,
    title: `${d.asin} (${d.marketplace})`,
    leftLabel: 'units',
    rightLabel: '% claimed',
    series,
    bands,
    now: d.now,
    eta: d.deal?.eta ? { ...d.deal.eta, end: d.deal.endsAt } : undefined,
    ...(window ? { xRange: window } : {}),
  });
}

/** "LIGHTNING deal live · 50% claimed · sells out ≈ 11-25 02:30 UTC (P10 … – P90 …)": the sell-out in SELLOUT_ETA's words. */
export function dealText(d: SidebarChart): string {
  if (!d.deal) return 'No live deal.';
  const head = `${d.deal.type} deal ${d.deal.status.toLowerCase()}${d.deal.claimed !== null ? ` · ${Math.round(d.deal.claimed)}% claimed` : ''}`;
  return `${head} · ${d.deal.etaText}`;
}

let current: SidebarChart | null = null;
/** Whether the chart shows the whole history instead of the live deal (the toggle under the chart). */
let fullHistory = false;

/** Draws `current` at the container's width; the toggle shows only when there is a live deal to zoom to. */
function drawCurrent(): void {
  if (!current) return;
  $('chart').innerHTML = chartSvg(current, Math.max(260, $('chart').clientWidth || 280), fullHistory);
  const zoom = $<HTMLButtonElement>('zoom');
  zoom.hidden = dealWindow(current) === null;
  zoom.textContent = fullHistory ? 'Zoom to live deal' : 'Show full history';
}

async function showChart(id: string): Promise<void> {
  if (!id) return;
  status('Loading…');
  try {
    const d = await call<SidebarChart>('rrChartData', id);
    current = d;
    drawCurrent();
    $('provenance').textContent = `${d.points.length} readings · ${d.source ?? 'unknown source'} · newest ${age(d.newestAt, d.now)}`;
    $('deal').textContent = dealText(d);
    status('');
  } catch (e) {
    status((e as Error).message, true);
  }
}

function noAlertsLeft(list: HTMLElement): void {
  if (!list.children.length) list.innerHTML = '<li class="muted">No open alerts.</li>';
}

/** One alert: what fired, why (explanation), a cause picker, Acknowledge and Resolve. */
function renderAlerts(alerts: AlertItem[]): void {
  const list = $('alerts');
  list.innerHTML = '';
  if (!alerts.length) return noAlertsLeft(list);
  for (const a of alerts) {
    const li = document.createElement('li');
    li.className = `alert level-${a.level.toLowerCase()}`;
    li.dataset.id = a.id;
    const text = document.createElement('div');
    text.className = 'text';
    text.innerHTML =
      `<b>${escapeHtml(a.level)}</b> ${escapeHtml(a.title)}<br><small>${escapeHtml(a.subject)} · ${escapeHtml(a.detail)}</small>` +
      (a.explanation ? `<details><summary>Why</summary><pre>${escapeHtml(a.explanation)}</pre></details>` : '');
    const cause = document.createElement('select');
    cause.className = 'cause';
    cause.setAttribute('aria-label', 'Cause');
    cause.innerHTML =
      '<option value="">Cause…</option>' + ALERT_CAUSES.map((c) => `<option value="${c.value}">${escapeHtml(c.label)}</option>`).join('');
    const ack = document.createElement('button');
    ack.textContent = 'Acknowledge';
    ack.className = 'ack';
    const resolve = document.createElement('button');
    resolve.textContent = 'Resolve';
    resolve.className = 'resolve secondary';
    const act = async (fn: string, args: unknown[], done: string) => {
      ack.disabled = resolve.disabled = true;
      try {
        await call(fn, ...args);
        li.remove();
        noAlertsLeft(list);
        status(done);
      } catch (e) {
        ack.disabled = resolve.disabled = false;
        status((e as Error).message, true);
      }
    };
    ack.onclick = () => {
      // The cause is required by the API and tunes that subject's thresholds: never guess it.
      if (!cause.value) return status('Pick a cause first: it tells the alerting what this was.', true);
      void act('rrAcknowledgeAlert', [a.id, cause.value], 'Alert acknowledged.');
    };
    resolve.onclick = () => void act('rrResolveAlert', [a.id], 'Alert resolved.');
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(cause, ack, resolve);
    li.append(text, actions);
    list.append(li);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

async function init(): Promise<void> {
  status('Loading…');
  try {
    const s = await call<SidebarInit>('rrSidebarInit');
    if (!s.connected) {
      status('Not connected: use Extensions › Restock Radar › Connect… first.', true);
      return;
    }
    $('server').textContent = `${s.server} (key ${s.key})`;
    const picker = $('picker') as HTMLSelectElement;
    picker.innerHTML = s.competitors.map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.label)}</option>`).join('');
    picker.onchange = () => void showChart(picker.value);
    $('zoom').onclick = () => {
      fullHistory = !fullHistory;
      drawCurrent();
    };
    $('insert').onclick = async () => {
      if (!current) return;
      status('Inserting chart…');
      try {
        const where = await call<string>('rrInsertChart', current.id);
        status(`Chart inserted in sheet "${where}".`);
      } catch (e) {
        status((e as Error).message, true);
      }
    };
    const alerts = call<AlertItem[]>('rrOpenAlerts').then(renderAlerts, (e: Error) => status(e.message, true));
    if (s.competitors.length) await showChart(s.competitors[0]!.id);
    else status('No competitors yet.');
    await alerts;
  } catch (e) {
    status((e as Error).message, true);
  }
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void init());
  else void init();
}
