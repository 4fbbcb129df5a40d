/**
 * Server side of the sidebar: what google.script.run calls return. Plain JSON-safe objects only
 * (google.script.run drops Dates and functions), times as epoch ms.
 */
import { forecast } from '../../../core/forecast';
import { type Page, paginate } from '../api';
import { type DealEtaFacts, selloutLine } from '../selloutWords';
import { requireConnection, readConnection, maskKey } from '../settings';
import pickerQuery from '../../../schema/operations/CompetitorPicker.graphql?raw';
import historyQuery from '../../../schema/operations/CompetitorHistory.graphql?raw';

export interface PickerItem {
  id: string;
  label: string;
}

export interface HistoryPoint {
  t: number;
  stock: number | null;
  lowerBound: boolean;
  claimed: number | null;
  dealType: string;
}

export interface ChartData {
  id: string;
  asin: string;
  marketplace: string;
  title: string | null;
  points: HistoryPoint[];
  /** Newest reading's source and time, so the chart can say how old its data is. */
  source: string | null;
  newestAt: number | null;
  now: number;
  /** The deal live now with its sell-out ETA (epoch ms), or why there is none. */
  deal: {
    type: string;
    status: string;
    /** When the deal started and its scheduled end (epoch ms; null without one). */
    startedAt: number;
    endsAt: number | null;
    claimed: number | null;
    eta: { p10: number | null; p50: number | null; p90: number | null } | null;
    reason: string | null;
    /** The sell-out in the words SELLOUT_ETA uses (selloutWords.ts selloutLine). */
    etaText: string;
  } | null;
  /** Forecast vs actual: the model fitted on the earlier readings, drawn over the held-out newest ones. */
  forecast: { model: string; points: { t: number; value: number; lo80: number; hi80: number }[] } | null;
}

/**
 * Holds out the newest quarter of the readings (at least 2), fits core/forecast on the rest and
 * returns its forecast at the held-out times, so the chart shows forecast against what happened.
 * Capped readings count as missing: their true value is unknown.
 */
export function holdoutForecast(points: HistoryPoint[]): ChartData['forecast'] {
  if (points.length < 8) return null;
  const h = Math.max(2, Math.round(points.length / 4));
  const train = points.slice(0, points.length - h).map((p) => (p.stock === null || p.lowerBound ? NaN : p.stock));
  if (train.filter(Number.isFinite).length < 4) return null;
  try {
    const r = forecast(train, { horizon: h, backtest: false, period: 1 });
    const held = points.slice(points.length - h);
    return { model: r.model, points: r.points.map((p, i) => ({ t: held[i]!.t, value: p.value, lo80: p.lower80, hi80: p.upper80 })) };
  } catch {
    return null; // a series the models cannot fit simply has no forecast line
  }
}

export interface SidebarInit {
  connected: boolean;
  server: string | null;
  key: string | null;
  competitors: PickerItem[];
}

export function sidebarInit(): SidebarInit {
  const conn = readConnection();
  if (!conn) return { connected: false, server: null, key: null, competitors: [] };
  const { nodes } = paginate<{ id: string; asin: string; marketplace: string; title: string | null }>(conn, pickerQuery, 'competitors');
  return {
    connected: true,
    server: conn.url,
    key: maskKey(conn.apiKey),
    competitors: nodes.map((n) => ({ id: n.id, label: `${n.asin} (${n.marketplace})${n.title ? ` · ${n.title}` : ''}` })),
  };
}

interface HistoryNode {
  capturedAt: string;
  stock: number | null;
  stockIsLowerBound: boolean;
  dealType: string;
  dealClaimedPercent: number | null;
  source: string | null;
}

interface HistoryAnswer {
  competitor: {
    id: string;
    asin: string;
    marketplace: string;
    title: string | null;
    activeDeal:
      | (DealEtaFacts & {
          type: string;
          startedAt: string;
          claimedPercent: number | null;
        })
      | null;
    snapshots: Page<HistoryNode>;
  } | null;
}

export const HISTORY_DAYS = 14;

export function chartData(id: string, now = Date.now()): ChartData {
  if (typeof id !== 'string' || !id) throw new Error('Pick a competitor first.');
  const conn = requireConnection();
  const from = new Date(now - HISTORY_DAYS * 86_400_000).toISOString();
  let head: HistoryAnswer['competitor'] = null;
  const { nodes } = paginate<HistoryNode>(
    conn,
    historyQuery,
    (d) => {
      const c = (d as unknown as HistoryAnswer).competitor;
      head ??= c;
      return c?.snapshots;
    },
    { id, from },
  );
  const c = head as HistoryAnswer['competitor'];
  if (!c) throw new Error(`Competitor ${id} was not found.`);
  const points = nodes.map((n) => ({
    t: Date.parse(n.capturedAt),
    stock: n.stock,
    lowerBound: n.stockIsLowerBound,
    claimed: n.dealType !== 'NONE' ? n.dealClaimedPercent : null,
    dealType: n.dealType,
  }));
  const newest = nodes[nodes.length - 1];
  const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);
  const d = c.activeDeal;
  return {
    id: c.id,
    asin: c.asin,
    marketplace: c.marketplace,
    title: c.title,
    points,
    source: newest?.source ?? null,
    newestAt: newest ? Date.parse(newest.capturedAt) : null,
    now,
    deal: d
      ? {
          type: d.type,
          status: d.status,
          startedAt: Date.parse(d.startedAt),
          endsAt: ms(d.scheduledEndAt),
          claimed: d.claimedPercent,
          eta: d.sellOutEta ? { p10: ms(d.sellOutEta.p10), p50: ms(d.sellOutEta.p50), p90: ms(d.sellOutEta.p90) } : null,
          reason: d.sellOutEtaReason,
          etaText: selloutLine(d),
        }
      : null,
    forecast: holdoutForecast(points),
  };
}
