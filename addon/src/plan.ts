/**
 * Replenishment plans from the API: "Pull replenishment plan" (every product, key-stable by SKU,
 * one setValues) and =PLAN_FIELD(sku, field) (one batched request per call, cached like
 * DEAL_STATUS). A product the server cannot plan (no lead time known) keeps its row with the
 * server's reason instead of failing the whole pull.
 */
import { ApiError, gqlPartial, paginate } from './api';
import { clip } from './alerts';
import { cachedLookup } from './cache';
import { type Arg, type CellValue, type Result, isBlank, isErrorString, isGrid } from './cells';
import { num } from './format';
import { type Connection, readConnection, requireConnection } from './settings';
import { STATUS_CURRENT, type TableSpec, type WriteResult, writeTable } from './table';
import planFields from '../../schema/operations/PlanProductFields.graphql?raw';
import plansPage from '../../schema/operations/ProductsPlanPage.graphql?raw';

export interface PlanNode {
  today: string;
  demand: { mean: number; sd: number; from: string | null; to: string; inStockDays: number; stockoutDaysExcluded: number };
  leadTimeDays: number;
  leadTimeSdDays: number;
  safetyStock: number;
  safetyStockMethod: string;
  reorderPoint: number;
  orderQuantity: number;
  quantityMethod: string;
  orderNow: boolean;
  orderByDate: string | null;
  daysUntilOrderBy: number | null;
  daysOfCover: number | null;
  projectedStockoutDate: string | null;
  stockPosition: number;
  cycleServiceLevel: number;
  expectedFillRate: number | null;
  warnings: string[];
  /** Absent when not asked for (PLAN_FIELD of another field). */
  explanation?: { text: string };
}

export interface PlanProduct {
  sku: string;
  name: string;
  abcClass: string;
  onHand: number;
  inTransit: number;
  supplier: { name: string } | null;
  replenishmentPlan: PlanNode | null;
  /** Why the server gave no plan (e.g. no lead time known); set by the add-on, not the API. */
  planError?: string;
}

export const PLAN_SHEET = 'RR Replenishment';
/** The page query with the fragment it spreads (operation files keep fragments separate). */
export const PLANS_PAGE_QUERY = `${plansPage}\n${planFields}`;

const round = (x: number | null | undefined, digits: number): CellValue => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Warnings and, when there is no plan, the server's reason, in one readable cell. */
function planNote(p: PlanProduct): string {
  if (!p.replenishmentPlan) return `no plan: ${p.planError ?? 'the server returned none'}`;
  return p.replenishmentPlan.warnings.join(' · ');
}

export function planSpec(): TableSpec<PlanProduct> {
  const pl = (p: PlanProduct) => p.replenishmentPlan;
  return {
    sheetName: PLAN_SHEET,
    key: (p) => p.sku,
    keyOfRow: (r) => String(r[0] ?? ''),
    statusColumn: 25,
    columns: [
      { header: 'SKU', value: (p) => p.sku },
      { header: 'Name', value: (p) => p.name },
      { header: 'ABC', value: (p) => p.abcClass },
      { header: 'Supplier', value: (p) => p.supplier?.name ?? '' },
      { header: 'On hand', value: (p) => p.onHand },
      { header: 'In transit', value: (p) => p.inTransit },
      { header: 'Stock position', value: (p) => num(pl(p)?.stockPosition) },
      { header: 'Daily demand', value: (p) => round(pl(p)?.demand.mean, 3), format: '0.00' },
      { header: 'Demand sd', value: (p) => round(pl(p)?.demand.sd, 3), format: '0.00' },
      { header: 'Lead time (d)', value: (p) => round(pl(p)?.leadTimeDays, 2), format: '0.0' },
      { header: 'Lead time sd (d)', value: (p) => round(pl(p)?.leadTimeSdDays, 2), format: '0.0' },
      { header: 'Safety stock', value: (p) => round(pl(p)?.safetyStock, 1), format: '0' },
      { header: 'Safety stock method', value: (p) => pl(p)?.safetyStockMethod ?? '' },
      { header: 'Reorder point', value: (p) => round(pl(p)?.reorderPoint, 1), format: '0' },
      { header: 'Order now', value: (p) => (pl(p) ? pl(p)!.orderNow : '') },
      { header: 'Order quantity', value: (p) => num(pl(p)?.orderQuantity) },
      { header: 'Quantity method', value: (p) => pl(p)?.quantityMethod ?? '' },
      // ISO days as text: setValues reads "2026-11-30" as that calendar day in the sheet's time zone.
      { header: 'Order by', value: (p) => pl(p)?.orderByDate ?? '' },
      { header: 'Days until order by', value: (p) => num(pl(p)?.daysUntilOrderBy) },
      { header: 'Days of cover', value: (p) => round(pl(p)?.daysOfCover, 1), format: '0.0' },
      { header: 'Projected stockout', value: (p) => pl(p)?.projectedStockoutDate ?? '' },
      { header: 'Cycle service level', value: (p) => round(pl(p)?.cycleServiceLevel, 4), format: '0.0%' },
      { header: 'Plan date', value: (p) => pl(p)?.today ?? '' },
      { header: 'Warnings', value: planNote },
      { header: 'Explanation', value: (p) => clip(pl(p)?.explanation?.text) },
      { header: 'Pull status', value: () => STATUS_CURRENT },
    ],
  };
}

export function pullPlans(
  opts: { search?: string; abcClass?: string } = {},
): WriteResult & { totalCount: number; pages: number; withoutPlan: number } {
  const conn = requireConnection();
  const { nodes, totalCount, pages, rowErrors } = paginate<PlanProduct>(
    conn,
    PLANS_PAGE_QUERY,
    'products',
    { search: opts.search ?? null, abcClass: opts.abcClass ?? null },
    { partial: true },
  );
  nodes.forEach((n, i) => {
    if (!n.replenishmentPlan && rowErrors.has(i)) n.planError = rowErrors.get(i);
  });
  return { ...writeTable(planSpec(), nodes), totalCount, pages, withoutPlan: nodes.filter((n) => !n.replenishmentPlan).length };
}

// ---- =PLAN_FIELD(sku, field)

export const MAX_PLAN_BATCH = 1000;

/** One query fetching every SKU through aliases p0…pN (variables keep it injection-free). */
export function planBatchQuery(count: number): string {
  const fragName = /fragment\s+(\w+)/.exec(planFields)![1];
  const vars: string[] = ['$withExplanation: Boolean!'];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    vars.push(`$s${i}: String!`);
    fields.push(`p${i}: product(sku: $s${i}) { ...${fragName} }`);
  }
  return `query PlanBatch(${vars.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n${planFields}`;
}

/** Looks up many SKUs with at most one request; null = no such product. Answers cached 5 minutes. */
export function lookupPlans(
  conn: Connection,
  skus: string[],
  withExplanation = false,
): { found: Map<string, PlanProduct | null>; requests: number } {
  const unique = [...new Set(skus)];
  if (unique.length > MAX_PLAN_BATCH)
    throw new ApiError('TOO_MANY', `at most ${MAX_PLAN_BATCH} different SKUs per formula, got ${unique.length}`);
  const r = cachedLookup<PlanProduct | null>(`${conn.url}|${conn.apiKey}`, withExplanation ? 'plan-why' : 'plan', unique, (missing) => {
    const variables: Record<string, string | boolean> = { withExplanation };
    missing.forEach((s, i) => (variables[`s${i}`] = s));
    // A product without a plan comes back with the server's reason on path [pN, "replenishmentPlan"].
    const { data, errors } = gqlPartial<Record<string, PlanProduct | null>>(
      conn,
      planBatchQuery(missing.length),
      variables,
      (p) => p.length >= 2 && /^p\d+$/.test(String(p[0])) && p[1] === 'replenishmentPlan',
    );
    const reasons = new Map<string, string>();
    for (const e of errors) if (!reasons.has(String(e.path![0]))) reasons.set(String(e.path![0]), e.message);
    return new Map(
      missing.map((s, i) => {
        const node = data[`p${i}`] ?? null;
        if (node && !node.replenishmentPlan && reasons.has(`p${i}`)) node.planError = reasons.get(`p${i}`);
        return [s, node];
      }),
    );
  });
  return { found: r.found, requests: r.requests };
}

type PlanGetter = (p: PlanProduct, plan: PlanNode) => CellValue;

/** PLAN_FIELD's fields: names as in the API (case and underscores ignored), plus a few short ones. */
export const PLAN_FIELDS: Record<string, PlanGetter> = {
  summary: (_p, x) =>
    `${x.orderNow ? `ORDER NOW ${x.orderQuantity}` : x.orderByDate ? `order ${x.orderQuantity} by ${x.orderByDate}` : 'no order due'} · ROP ${Math.round(x.reorderPoint)} · SS ${Math.round(x.safetyStock)} · position ${x.stockPosition}` +
    (x.daysOfCover !== null ? ` · ${Math.round(x.daysOfCover * 10) / 10} d cover` : ''),
  reorderPoint: (_p, x) => x.reorderPoint,
  safetyStock: (_p, x) => x.safetyStock,
  safetyStockMethod: (_p, x) => x.safetyStockMethod,
  orderQuantity: (_p, x) => x.orderQuantity,
  quantityMethod: (_p, x) => x.quantityMethod,
  orderNow: (_p, x) => x.orderNow,
  orderByDate: (_p, x) => x.orderByDate ?? '',
  daysUntilOrderBy: (_p, x) => num(x.daysUntilOrderBy),
  daysOfCover: (_p, x) => (x.daysOfCover === null ? '∞' : x.daysOfCover),
  projectedStockoutDate: (_p, x) => x.projectedStockoutDate ?? '',
  stockPosition: (_p, x) => x.stockPosition,
  onHand: (p) => p.onHand,
  inTransit: (p) => p.inTransit,
  demand: (_p, x) => x.demand.mean,
  demandSd: (_p, x) => x.demand.sd,
  leadTimeDays: (_p, x) => x.leadTimeDays,
  leadTimeSdDays: (_p, x) => x.leadTimeSdDays,
  cycleServiceLevel: (_p, x) => x.cycleServiceLevel,
  expectedFillRate: (_p, x) => num(x.expectedFillRate),
  warnings: (_p, x) => x.warnings.join(' · '),
  explanation: (_p, x) => clip(x.explanation?.text),
  today: (_p, x) => x.today,
};
const ALIASES: Record<string, string> = {
  orderby: 'orderByDate',
  stockout: 'projectedStockoutDate',
  leadtime: 'leadTimeDays',
  rop: 'reorderPoint',
  ss: 'safetyStock',
};

export function parsePlanField(v: Arg): string {
  const x = isGrid(v) ? v[0]?.[0] : v;
  if (isBlank(x)) return 'summary';
  const norm = String(x)
    .trim()
    .replace(/[_\s-]/g, '')
    .toLowerCase();
  const name = Object.keys(PLAN_FIELDS).find((k) => k.toLowerCase() === norm) ?? ALIASES[norm];
  if (!name) throw new Error(`field must be one of ${Object.keys(PLAN_FIELDS).join(', ')}, got "${String(x)}"`);
  return name;
}

export function planField(skusArg: Arg, fieldArg?: Arg): Result {
  let field: string;
  try {
    field = parsePlanField(fieldArg);
  } catch (e) {
    return `#BAD_INPUT: ${(e as Error).message}`;
  }
  const get = PLAN_FIELDS[field]!;
  const grid: CellValue[][] = isGrid(skusArg) ? skusArg : [[(skusArg ?? '') as CellValue]];
  const shape = (f: (v: CellValue) => CellValue): Result => (isGrid(skusArg) ? grid.map((r) => r.map(f)) : f(grid[0]![0]!));
  const conn = readConnection();
  if (!conn) return shape((v) => (isBlank(v) ? '' : '#NOT_CONNECTED: use Extensions › Restock Radar › Connect…'));
  const sku = (v: CellValue): string | null => {
    if (isBlank(v) || isErrorString(v)) return null;
    const t = String(v).trim();
    return t.length > 0 && t.length <= 100 ? t : null;
  };
  const skus = grid
    .flat()
    .map(sku)
    .filter((s): s is string => s !== null);
  let found: Map<string, PlanProduct | null>;
  try {
    found = skus.length ? lookupPlans(conn, skus, field === 'explanation').found : new Map();
  } catch (e) {
    const text = `#${e instanceof ApiError ? e.code : 'ERROR'}: ${(e as Error).message}`.slice(0, 120);
    return shape((v) => (isBlank(v) ? '' : text));
  }
  return shape((v) => {
    if (isBlank(v)) return '';
    if (isErrorString(v)) return v;
    const s = sku(v);
    if (s === null) return `#BAD_INPUT: "${String(v).slice(0, 24)}" is not a SKU (1–100 characters)`;
    const p = found.get(s);
    if (!p) return `#NOT_FOUND: ${s}`;
    if (!p.replenishmentPlan) return `#NO_PLAN: ${(p.planError ?? 'the server returned none').slice(0, 100)}`;
    return get(p, p.replenishmentPlan);
  });
}
