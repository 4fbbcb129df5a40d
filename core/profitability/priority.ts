/**
 * SKU priority matrix: profit contribution × stockout risk. Reorder first what earns
 * the most and is about to run out; pause what earns little and has plenty of stock.
 */
import { Explainer, type Explanation } from '../explain';
import { median } from '../anomalies/stats';
import { Phi } from '../stats/normal';
import { finite, nonEmptyArray, nonNegative, object, positive, probability } from '../replenishment/validate';

export interface PrioritySku {
  sku: string;
  price: number;
  /** Landed cost per unit. */
  unitCost: number;
  dailyDemand: number;
  dailyDemandSd?: number;
  onHand: number;
  inTransit?: number;
  leadTimeDays: number;
  leadTimeSd?: number;
}

export interface PriorityOptions {
  /** Contribution per 30 days that counts as high. Default: the median over the SKUs given. */
  contributionThreshold?: number;
  /** Stockout probability that counts as high. Default 0.2. */
  riskThreshold?: number;
}

export type PriorityQuadrant = 'REORDER_FIRST' | 'REORDER' | 'MONITOR' | 'PAUSE';

export const QUADRANT_LABELS: Record<PriorityQuadrant, string> = {
  REORDER_FIRST: 'Reorder first: high profit contribution, high stockout risk',
  REORDER: 'Reorder: low profit contribution, high stockout risk',
  MONITOR: 'Monitor: high profit contribution, stock sufficient for now',
  PAUSE: 'Pause replenishment: low profit contribution, ample stock',
};

export interface PriorityRow {
  sku: string;
  rank: number;
  quadrant: PriorityQuadrant;
  label: string;
  unitMargin: number;
  marginRate: number;
  /** Unit margin × daily demand × 30. */
  profitContribution30d: number;
  /** P(lead-time demand > on hand + in transit). */
  stockoutRisk: number;
  daysOfCover: number | null;
  /** (contribution / largest contribution) × stockout risk, the within-quadrant order for reordering. */
  score: number;
  explanation: Explanation;
}

export interface PriorityMatrix {
  rows: PriorityRow[];
  /** SKUs to reorder, most urgent first (REORDER_FIRST then REORDER). */
  reorderQueue: string[];
  /** SKUs whose replenishment can pause. */
  pause: string[];
  contributionThreshold: number;
  riskThreshold: number;
  explanation: Explanation;
}

const QUADRANT_ORDER: PriorityQuadrant[] = ['REORDER_FIRST', 'REORDER', 'MONITOR', 'PAUSE'];

/** One SKU's validated inputs and the per-SKU figures the matrix is built from. */
interface PriorityBase {
  sku: string;
  price: number;
  unitCost: number;
  d: number;
  sd: number;
  L: number;
  Lsd: number;
  position: number;
  unitMargin: number;
  contribution: number;
  ltdMean: number;
  sigma: number;
  risk: number;
  cover: number | null;
}

/**
 * Stockout risk over the lead time for demand d̄ ± σ_d per day and lead time L̄ ± σ_L days against a stock
 * position (on hand + in transit):
 *
 *   μ_LTD = d̄·L̄,  σ_LTD = √(L̄·σ_d² + d̄²·σ_L²),  risk = Φ((μ_LTD − position)/σ_LTD)
 *
 * the normal approximation of lead-time demand with independent daily demand and lead time (Silver, Pyke &
 * Thomas, Inventory and Production Management in Supply Chains, 4th ed., ch. 7). With σ_LTD = 0 the demand is
 * certain: risk is 1 when μ_LTD exceeds the position, else 0.
 */
export function leadTimeStockoutRisk(
  d: number,
  sd: number,
  L: number,
  Lsd: number,
  position: number,
): { ltdMean: number; sigma: number; risk: number } {
  const ltdMean = d * L;
  const sigma = Math.sqrt(L * sd * sd + d * d * Lsd * Lsd);
  const risk = sigma > 0 ? Phi((ltdMean - position) / sigma) : ltdMean > position ? 1 : 0;
  return { ltdMean, sigma, risk };
}

/** Validates skus[k] (non-empty unique sku, numeric fields) and computes its margin, 30-day contribution, risk and cover. */
function priorityBase(raw: PrioritySku, k: number, seen: Set<string>): PriorityBase {
  const s = object(`skus[${k}]`, raw);
  if (typeof s.sku !== 'string' || s.sku === '') throw new TypeError(`skus[${k}].sku must be a non-empty string`);
  if (seen.has(s.sku)) throw new RangeError(`skus[${k}].sku "${s.sku}" appears twice`);
  seen.add(s.sku);
  const price = positive(`skus[${k}].price`, s.price);
  const unitCost = nonNegative(`skus[${k}].unitCost`, s.unitCost);
  const d = nonNegative(`skus[${k}].dailyDemand`, s.dailyDemand);
  const sd = nonNegative(`skus[${k}].dailyDemandSd`, s.dailyDemandSd ?? 0);
  const onHand = finite(`skus[${k}].onHand`, s.onHand);
  const inTransit = nonNegative(`skus[${k}].inTransit`, s.inTransit ?? 0);
  const L = nonNegative(`skus[${k}].leadTimeDays`, s.leadTimeDays);
  const Lsd = nonNegative(`skus[${k}].leadTimeSd`, s.leadTimeSd ?? 0);
  const position = onHand + inTransit;
  const unitMargin = price - unitCost;
  const contribution = unitMargin * d * 30;
  const { ltdMean, sigma, risk } = leadTimeStockoutRisk(d, sd, L, Lsd, position);
  const cover = d > 0 ? Math.max(position, 0) / d : null;
  return { sku: s.sku, price, unitCost, d, sd, L, Lsd, position, unitMargin, contribution, ltdMean, sigma, risk, cover };
}

/**
 * Places one SKU in its quadrant (high profit: contribution ≥ threshold and > 0; high risk: risk ≥ threshold) and
 * scores it: score = (max(contribution, 0) / largest contribution) × risk, 0 when no SKU contributes.
 */
function priorityRow(b: PriorityBase, contributionThreshold: number, riskThreshold: number, maxContribution: number): PriorityRow {
  const highProfit = b.contribution >= contributionThreshold && b.contribution > 0;
  const highRisk = b.risk >= riskThreshold;
  const quadrant: PriorityQuadrant = highRisk ? (highProfit ? 'REORDER_FIRST' : 'REORDER') : highProfit ? 'MONITOR' : 'PAUSE';
  const share = maxContribution > 0 ? Math.max(b.contribution, 0) / maxContribution : 0;
  const score = share * b.risk;
  const explanation = new Explainer(
    'risk = P(lead-time demand > on hand + in transit) = Φ((d̄·L̄ − position)/σ_LTD); contribution = (price − cost) × d̄ × 30',
    {
      sku: b.sku,
      price: b.price,
      unitCost: b.unitCost,
      dailyDemand: b.d,
      dailyDemandSd: b.sd,
      leadTimeDays: b.L,
      leadTimeSd: b.Lsd,
      position: b.position,
    },
  )
    .step('unit margin', b.unitMargin)
    .step('profit contribution per 30 days', b.contribution)
    .step('lead-time demand mean', b.ltdMean)
    .step('σ_LTD', b.sigma)
    .step('stockout risk', b.risk)
    .step('days of cover', b.cover)
    .step(
      'quadrant',
      quadrant,
      `${highProfit ? 'high' : 'low'} contribution (threshold ${contributionThreshold.toFixed(2)}), ${highRisk ? 'high' : 'low'} risk (threshold ${riskThreshold})`,
    )
    .build();
  return {
    sku: b.sku,
    rank: 0,
    quadrant,
    label: QUADRANT_LABELS[quadrant],
    unitMargin: b.unitMargin,
    marginRate: b.unitMargin / b.price,
    profitContribution30d: b.contribution,
    stockoutRisk: b.risk,
    daysOfCover: b.cover,
    score,
    explanation,
  };
}

/** Row order: quadrant (REORDER_FIRST, REORDER, MONITOR, PAUSE); reorder quadrants and MONITOR by score, then risk, then contribution; PAUSE by most cover first; sku breaks ties. */
function compareRows(a: PriorityRow, b: PriorityRow): number {
  const qa = QUADRANT_ORDER.indexOf(a.quadrant);
  const qb = QUADRANT_ORDER.indexOf(b.quadrant);
  if (qa !== qb) return qa - qb;
  if (a.quadrant === 'PAUSE') return (b.daysOfCover ?? Infinity) - (a.daysOfCover ?? Infinity) || a.sku.localeCompare(b.sku);
  return (
    b.score - a.score || b.stockoutRisk - a.stockoutRisk || b.profitContribution30d - a.profitContribution30d || a.sku.localeCompare(b.sku)
  );
}

/** The matrix-level explanation: thresholds and how many SKUs fall in each quadrant. */
function matrixExplanation(
  rows: PriorityRow[],
  contributionThreshold: number,
  riskThreshold: number,
  thresholdGiven: boolean,
): Explanation {
  return new Explainer('Priority matrix: profit contribution × stockout risk', {
    skus: rows.length,
    contributionThreshold,
    riskThreshold,
  })
    .step('reorder first', rows.filter((r) => r.quadrant === 'REORDER_FIRST').length)
    .step('reorder', rows.filter((r) => r.quadrant === 'REORDER').length)
    .step('monitor', rows.filter((r) => r.quadrant === 'MONITOR').length)
    .step('pause', rows.filter((r) => r.quadrant === 'PAUSE').length)
    .note(thresholdGiven ? 'Contribution threshold given.' : 'Contribution threshold = median over the SKUs given.')
    .build();
}

export function priorityMatrix(skus: PrioritySku[], options: PriorityOptions = {}): PriorityMatrix {
  const list = nonEmptyArray<PrioritySku>('skus', skus);
  const opts = object('options', options);
  const riskThreshold = opts.riskThreshold === undefined ? 0.2 : probability('riskThreshold', opts.riskThreshold);
  const seen = new Set<string>();
  const base = list.map((raw, k) => priorityBase(raw, k, seen));

  const contributionThreshold =
    opts.contributionThreshold === undefined
      ? median(base.map((b) => b.contribution))
      : finite('contributionThreshold', opts.contributionThreshold);
  const maxContribution = Math.max(...base.map((b) => b.contribution), 0);

  const rows = base.map((b) => priorityRow(b, contributionThreshold, riskThreshold, maxContribution));
  rows.sort(compareRows);
  rows.forEach((r, k) => (r.rank = k + 1));

  return {
    rows,
    reorderQueue: rows.filter((r) => r.quadrant === 'REORDER_FIRST' || r.quadrant === 'REORDER').map((r) => r.sku),
    pause: rows.filter((r) => r.quadrant === 'PAUSE').map((r) => r.sku),
    contributionThreshold,
    riskThreshold,
    explanation: matrixExplanation(rows, contributionThreshold, riskThreshold, opts.contributionThreshold !== undefined),
  };
}
