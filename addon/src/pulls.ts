/**
 * "Pull …" menu actions: page through a connection of the API and write it to a named sheet.
 * Each row carries where its figures came from and how old they are.
 */
import { paginate } from './api';
import type { CellValue } from './cells';
import { ageHours, dateCell, num, stockCell } from './format';
import { requireConnection } from './settings';
import { STATUS_CURRENT, type TableSpec, type WriteResult, writeTable } from './table';
import competitorsPage from '../../schema/operations/CompetitorsPage.graphql?raw';

export const SHEETS = {
  competitors: 'RR Competitors',
  deals: 'RR Deals',
  plan: 'RR Replenishment',
  alerts: 'RR Alerts',
} as const;

export interface SnapshotNode {
  capturedAt: string;
  stock: number | null;
  stockIsLowerBound: boolean;
  price: number | null;
  dealType: string;
  dealClaimedPercent: number | null;
  bsr: number | null;
  source: string | null;
}

export interface CompetitorNode {
  id: string;
  asin: string;
  marketplace: string;
  title: string | null;
  brand: string | null;
  tier: string;
  latestSnapshot: SnapshotNode | null;
  /** Units sold per day over the last 30 days, with its interval (core velocity). */
  velocity: { perDay: { value: number | null; lower: number; upper: number | null }; isLowerBoundOnly: boolean } | null;
}

const r2 = (x: number | null | undefined): CellValue =>
  x === null || x === undefined || !Number.isFinite(x) ? '' : Math.round(x * 100) / 100;

/** With capped readings in the window the API only bounds the rate from below: shown as "≥x", never exact. */
export function velocityCell(v: CompetitorNode['velocity']): CellValue {
  if (!v) return '';
  if (v.isLowerBoundOnly || v.perDay.value === null) return `≥${r2(v.perDay.lower)}`;
  return r2(v.perDay.value);
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

export function competitorSpec(now: number): TableSpec<CompetitorNode> {
  const s = (n: CompetitorNode) => n.latestSnapshot;
  return {
    sheetName: SHEETS.competitors,
    key: (n) => `${n.marketplace}:${n.asin}`,
    keyOfRow: (r) => (r[0] !== '' ? `${String(r[1])}:${String(r[0])}` : ''),
    statusColumn: 16,
    columns: [
      { header: 'ASIN', value: (n) => n.asin },
      { header: 'Marketplace', value: (n) => n.marketplace },
      { header: 'Title', value: (n) => n.title },
      { header: 'Brand', value: (n) => n.brand },
      { header: 'Tier', value: (n) => n.tier },
      { header: 'Stock', value: (n) => stockCell(s(n)?.stock, s(n)?.stockIsLowerBound) },
      { header: 'Price', value: (n) => num(s(n)?.price), format: '0.00' },
      { header: 'Deal', value: (n) => s(n)?.dealType ?? '' },
      { header: 'Deal claimed %', value: (n) => num(s(n)?.dealClaimedPercent), format: '0.0' },
      { header: 'BSR', value: (n) => num(s(n)?.bsr) },
      { header: 'Velocity (units/day, 30 d)', value: (n) => velocityCell(n.velocity), format: '0.0' },
      { header: 'Velocity low', value: (n) => r2(n.velocity?.perDay.lower), format: '0.0' },
      { header: 'Velocity high', value: (n) => r2(n.velocity?.perDay.upper), format: '0.0' },
      { header: 'Source', value: (n) => s(n)?.source ?? '' },
      { header: 'Captured at (UTC)', value: (n) => dateCell(s(n)?.capturedAt), format: DATE_FORMAT },
      { header: 'Age (h)', value: (n) => ageHours(s(n)?.capturedAt, now), format: '0.0' },
      { header: 'Pull status', value: () => STATUS_CURRENT },
    ],
  };
}

export function pullCompetitors(now = Date.now()): WriteResult & { totalCount: number; pages: number } {
  const conn = requireConnection();
  const { nodes, totalCount, pages } = paginate<CompetitorNode>(conn, competitorsPage, 'competitors');
  return { ...writeTable(competitorSpec(now), nodes), totalCount, pages };
}
