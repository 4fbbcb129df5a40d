/**
 * What the menu items do. Each action talks to the planner through Ui (prompts, alerts, toasts) and
 * keeps errors short; the same pulls run unattended from the hourly trigger.
 */
import { ApiError, gql } from './api';
import { pullAlerts } from './alerts';
import { pullDeals } from './deals';
import { pullPlans } from './plan';
import { pullCompetitors } from './pulls';
import { type Connection, lastUsedUrl, maskKey, normaliseApiUrl, readConnection, saveConnection } from './settings';
import { chartData } from './sidebar/data';
import pingQuery from '../../schema/operations/Ping.graphql?raw';

export const TRIGGER_HANDLER = 'rrScheduledRefresh';
const LAST_AUTO_REFRESH = 'RR_LAST_AUTO_REFRESH';

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.slice(0, 300);
}

export function connect(): void {
  const ui = SpreadsheetApp.getUi();
  const current = readConnection();
  const suggested = current?.url ?? lastUsedUrl();
  const urlAnswer = ui.prompt(
    'Connect to Restock Radar (1/2)',
    `API address, e.g. https://radar.example.com${suggested ? `\nLeave empty to use ${suggested}` : ''}`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (urlAnswer.getSelectedButton() !== ui.Button.OK) return;
  let url: string;
  try {
    url = normaliseApiUrl(urlAnswer.getResponseText().trim() || suggested || '');
  } catch (e) {
    ui.alert('Restock Radar', message(e), ui.ButtonSet.OK);
    return;
  }
  const keyAnswer = ui.prompt(
    'Connect to Restock Radar (2/2)',
    `API key for ${url}${current ? `\nLeave empty to keep ${maskKey(current.apiKey)}` : ''}`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (keyAnswer.getSelectedButton() !== ui.Button.OK) return;
  const apiKey = keyAnswer.getResponseText().trim() || current?.apiKey || '';
  if (!apiKey) {
    ui.alert('Restock Radar', 'An API key is needed (ask your admin, or run `restock-radar apikey create`).', ui.ButtonSet.OK);
    return;
  }
  const conn: Connection = { url, apiKey, marketplace: current?.marketplace ?? 'US' };
  // Test before saving, so a typo never replaces a working connection.
  let total: number;
  try {
    total = gql<{ competitors: { totalCount: number } }>(conn, pingQuery).competitors.totalCount;
  } catch (e) {
    ui.alert('Connection failed', `${message(e)}\nNothing was saved.`, ui.ButtonSet.OK);
    return;
  }
  saveConnection(conn);
  ui.alert('Restock Radar', `Connected to ${url} (key ${maskKey(apiKey)}): ${total} competitors visible.`, ui.ButtonSet.OK);
}

export type PullKind = 'competitors' | 'deals' | 'plan' | 'alerts';

interface PullOutcome {
  sheetName: string;
  rows: number;
  added: number;
  missing: number;
  /** Something the planner should know about this pull (e.g. products the server could not plan). */
  note?: string;
}

export const PULLS: Record<PullKind, { label: string; run: () => PullOutcome }> = {
  competitors: { label: 'competitors', run: () => pullCompetitors() },
  deals: { label: 'deals', run: () => pullDeals() },
  plan: {
    label: 'replenishment plan',
    run: () => {
      const r = pullPlans();
      return { ...r, note: r.withoutPlan ? `${r.withoutPlan} without a plan (see Warnings)` : undefined };
    },
  },
  alerts: { label: 'alerts', run: () => pullAlerts() },
};

export function runPull(kind: PullKind): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    const r = PULLS[kind].run();
    ss.toast(
      `${r.rows} rows in "${r.sheetName}" (${r.added} new${r.missing ? `, ${r.missing} not in this pull` : ''}${r.note ? `; ${r.note}` : ''}).`,
      'Restock Radar',
      5,
    );
  } catch (e) {
    SpreadsheetApp.getUi().alert(`Pull ${PULLS[kind].label} failed`, message(e), SpreadsheetApp.getUi().ButtonSet.OK);
  }
}

/** Runs every pull; one failing does not stop the others. Returns one line per pull. */
export function refreshAllPulls(): string[] {
  return (Object.keys(PULLS) as PullKind[]).map((k) => {
    try {
      const r = PULLS[k].run();
      return `${PULLS[k].label}: ${r.rows} rows${r.note ? ` (${r.note})` : ''}`;
    } catch (e) {
      return `${PULLS[k].label}: FAILED (${message(e)})`;
    }
  });
}

export function refreshAll(): void {
  const lines = refreshAllPulls();
  SpreadsheetApp.getUi().alert('Restock Radar: refresh all', lines.join('\n'), SpreadsheetApp.getUi().ButtonSet.OK);
}

function ourTrigger(): GoogleAppsScript.Script.Trigger | undefined {
  return ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()).find((t) => t.getHandlerFunction() === TRIGGER_HANDLER);
}

/** Hourly refresh on/off. Add-ons may run a time-driven trigger at most hourly. */
export function toggleAutoRefresh(): boolean {
  const ui = SpreadsheetApp.getUi();
  const existing = ourTrigger();
  if (existing) {
    ScriptApp.deleteTrigger(existing);
    ui.alert('Restock Radar', 'Hourly refresh is now OFF.', ui.ButtonSet.OK);
    return false;
  }
  if (!readConnection()) {
    ui.alert('Restock Radar', 'Connect first: the hourly refresh pulls from the API.', ui.ButtonSet.OK);
    return false;
  }
  ScriptApp.newTrigger(TRIGGER_HANDLER).timeBased().everyHours(1).create();
  ui.alert('Restock Radar', 'Hourly refresh is now ON: every pulled sheet is refreshed once an hour.', ui.ButtonSet.OK);
  return true;
}

/** The time-driven trigger: no UI here, so results go to a document property and the log. */
export function scheduledRefresh(): string[] {
  const lock = LockService.getDocumentLock();
  if (!lock || !lock.tryLock(1000)) return ['skipped: another refresh is running'];
  try {
    const lines = readConnection() ? refreshAllPulls() : ['skipped: not connected'];
    PropertiesService.getDocumentProperties().setProperty(
      LAST_AUTO_REFRESH,
      `${new Date().toISOString()} ${lines.join('; ')}`.slice(0, 2000),
    );
    console.log(`Restock Radar hourly refresh: ${lines.join('; ')}`);
    return lines;
  } finally {
    lock.releaseLock();
  }
}

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Restock Radar');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** Writes a competitor's history to its own sheet (one setValues) and embeds a line chart over it. */
export function insertChart(id: string, now = Date.now()): string {
  const d = chartData(id, now);
  if (d.points.length === 0) throw new Error(`${d.asin} has no readings in the last days to chart.`);
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const name = `RR Chart ${d.asin} ${d.marketplace}`;
  const sheet = ss.getSheetByName(name) ?? ss.insertSheet(name);
  const header = ['Time (UTC)', 'Stock', 'Deal claimed %', 'Stock is a lower bound (capped reading)'];
  const rows = d.points.map((p) => [new Date(p.t), p.stock ?? '', p.claimed ?? '', p.lowerBound]);
  const total = rows.length + 1;
  if (sheet.getMaxRows() < total) sheet.insertRowsAfter(sheet.getMaxRows(), total - sheet.getMaxRows());
  const old = sheet.getLastRow();
  if (old > total) sheet.getRange(total + 1, 1, old - total, header.length).clearContent();
  sheet.getRange(1, 1, total, header.length).setValues([header, ...rows]);
  for (const c of sheet.getCharts()) sheet.removeChart(c);
  const chart = sheet
    .newChart()
    .setChartType(Charts.ChartType.LINE)
    .addRange(sheet.getRange(1, 1, total, 3))
    .setOption('title', `${d.asin} (${d.marketplace}) stock and deal claims · source ${d.source ?? 'unknown'}`)
    .setOption('series', { 1: { targetAxisIndex: 1 } })
    .setOption('vAxes', { 0: { title: 'units' }, 1: { title: '% claimed' } })
    .setPosition(2, header.length + 2, 0, 0)
    .build();
  sheet.insertChart(chart);
  return name;
}
