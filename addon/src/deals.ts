/**
 * Detected competitor deals from the API: "Pull deals" (the live deal of every competitor, keyed by
 * deal id) and SELLOUT_ETA("ASIN") (the live deal's P10/P50/P90 sell-out moment, batched and cached
 * like DEAL_STATUS). Every row and cell keeps the reading's source and age or the reason for no ETA.
 */
import { paginate } from './api';
import { clip } from './alerts';
import { type Arg, type CellValue, type Result, isBlank, isGrid } from './cells';
import { ageHours, dateCell, num, provenance } from './format';
import { mapListings } from './live';
import { type EtaQuantile, quantilePhrase, selloutCase } from './selloutWords';
import { requireConnection } from './settings';
import { STATUS_CURRENT, type TableSpec, type WriteResult, writeTable } from './table';
import dealFields from '../../schema/operations/DealFields.graphql?raw';
import dealsPage from '../../schema/operations/DealsPage.graphql?raw';
import etaFields from '../../schema/operations/CompetitorEtaFields.graphql?raw';

export interface DealNode {
  id: string;
  type: string;
  status: string;
  startedAt: string;
  scheduledEndAt: string | null;
  drainModel: string | null;
  claimedPercent: number | null;
  dealQuantity: number | null;
  dealQuantitySource: string;
  remainingUnits: number | null;
  unitsSold: number | null;
  velocityPerHour: number | null;
  velocityPercentPerHour: number | null;
  sellOutEta: { p10: string | null; p50: string | null; p90: string | null } | null;
  sellOutEtaReason: string | null;
  sellOutProbability: number | null;
  strategy: string;
  percentMode: boolean;
  explanation: { text: string };
}

export interface DealCompetitor {
  asin: string;
  marketplace: string;
  title?: string | null;
  latestSnapshot: { capturedAt: string; source: string | null } | null;
  activeDeal: DealNode | null;
}

export const DEALS_SHEET = 'RR Deals';
export const DEALS_PAGE_QUERY = `${dealsPage}\n${dealFields}`;
/** CompetitorEtaFields spreads DealFields: the batch query carries both (the spread one first). */
export const ETA_FRAGMENTS = `${etaFields}\n${dealFields}`;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

const r = (x: number | null | undefined, digits: number): CellValue => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function dealsSpec(now: number): TableSpec<DealCompetitor> {
  const d = (c: DealCompetitor) => c.activeDeal!;
  return {
    sheetName: DEALS_SHEET,
    key: (c) => d(c).id,
    keyOfRow: (row) => String(row[0] ?? ''),
    statusColumn: 24,
    columns: [
      { header: 'Deal id', value: (c) => d(c).id },
      { header: 'ASIN', value: (c) => c.asin },
      { header: 'Marketplace', value: (c) => c.marketplace },
      { header: 'Title', value: (c) => c.title ?? '' },
      { header: 'Type', value: (c) => d(c).type },
      { header: 'Status', value: (c) => d(c).status },
      { header: 'Started at (UTC)', value: (c) => dateCell(d(c).startedAt), format: DATE_FORMAT },
      { header: 'Scheduled end (UTC)', value: (c) => dateCell(d(c).scheduledEndAt), format: DATE_FORMAT },
      { header: 'Claimed %', value: (c) => r(d(c).claimedPercent, 1), format: '0.0' },
      { header: 'Deal quantity', value: (c) => num(d(c).dealQuantity) },
      { header: 'Quantity source', value: (c) => d(c).dealQuantitySource },
      { header: 'Units sold', value: (c) => r(d(c).unitsSold, 1) },
      { header: 'Remaining units', value: (c) => r(d(c).remainingUnits, 1) },
      { header: 'Pace (units/h)', value: (c) => r(d(c).velocityPerHour, 2), format: '0.0' },
      { header: 'Pace (%/h)', value: (c) => r(d(c).velocityPercentPerHour, 2), format: '0.0' },
      { header: 'Sell-out P10 (UTC)', value: (c) => dateCell(d(c).sellOutEta?.p10), format: DATE_FORMAT },
      { header: 'Sell-out P50 (UTC)', value: (c) => dateCell(d(c).sellOutEta?.p50), format: DATE_FORMAT },
      { header: 'Sell-out P90 (UTC)', value: (c) => dateCell(d(c).sellOutEta?.p90), format: DATE_FORMAT },
      { header: 'P(sells out before end)', value: (c) => r(d(c).sellOutProbability, 3), format: '0%' },
      { header: 'No ETA because', value: (c) => (d(c).sellOutEta ? '' : (d(c).sellOutEtaReason ?? '')) },
      { header: 'Strategy', value: (c) => d(c).strategy },
      { header: 'Source', value: (c) => c.latestSnapshot?.source ?? '' },
      { header: 'Age (h)', value: (c) => ageHours(c.latestSnapshot?.capturedAt, now), format: '0.0' },
      { header: 'Explanation', value: (c) => clip(d(c).explanation.text) },
      { header: 'Pull status', value: () => STATUS_CURRENT },
    ],
  };
}

/** The live (or upcoming) deal of every competitor; deals no longer returned are marked, not deleted. */
export function pullDeals(now = Date.now()): WriteResult & { competitors: number } {
  const { nodes } = paginate<DealCompetitor>(requireConnection(), DEALS_PAGE_QUERY, 'competitors');
  return {
    ...writeTable(
      dealsSpec(now),
      nodes.filter((n) => n.activeDeal),
    ),
    competitors: nodes.length,
  };
}

// ---- SELLOUT_ETA("ASIN", [quantile])

export type LiveQuantile = EtaQuantile;

export function parseLiveQuantile(v: Arg): LiveQuantile {
  const x = isGrid(v) ? v[0]?.[0] : v;
  if (isBlank(x)) return 'p50';
  const t = String(x).trim().toLowerCase();
  if (t === 'p10' || t === 'p50' || t === 'p90') return t;
  throw new Error(`quantile must be "p10", "p50" or "p90" for a live ASIN, got "${String(x)}"`);
}

/** The live form applies when the first argument holds text (ASINs), not stock numbers. */
export function isLiveSelloutCall(first: Arg, second: Arg): boolean {
  const cells = isGrid(first) ? first.flat() : [first];
  const filled = cells.filter((c) => !isBlank(c));
  if (!filled.length || !filled.every((c) => typeof c === 'string' && c.trim() !== '' && Number.isNaN(Number(c)))) return false;
  return isBlank(second) || (!isGrid(second) && typeof second === 'string' && Number.isNaN(Number(second)));
}

/** The quantile's sell-out moment as a date cell, else the words the sidebar uses too (selloutWords.ts). */
export function etaCell(c: DealCompetitor, q: LiveQuantile, now: number): CellValue {
  const sc = selloutCase(c.activeDeal, q);
  if (sc.kind === 'SELLS_OUT') return new Date(sc.at);
  if (sc.kind === 'NO_LIVE_DEAL') return `no live deal · ${provenance(c.latestSnapshot?.source, c.latestSnapshot?.capturedAt, now)}`;
  return quantilePhrase(sc, q);
}

export function selloutLive(asins: Arg, quantile?: Arg, now = Date.now()): Result {
  let q: LiveQuantile;
  try {
    q = parseLiveQuantile(quantile);
  } catch (e) {
    return `#BAD_INPUT: ${(e as Error).message}`;
  }
  return mapListings<DealCompetitor>(asins, (node, t) => etaCell(node, q, t), now, ETA_FRAGMENTS, 'eta');
}
