/**
 * SKU priority matrix: profit contribution × stockout risk. Reorder first what earns
 * the most and is about to run out; pause what earns little and has plenty of stock.
 */
import { Explainer, type Explanation } from '../explain';
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

export function priorityMatrix(skus: PrioritySku[], options: PriorityOptions = {}): PriorityMatrix {
  const list = nonEmptyArray<PrioritySku>('skus', skus);
  const opts = object('options', options);
  const riskThreshold = opts.riskThreshold === undefined ? 0.2 : probability('riskThreshold', opts.riskThreshold);
  const seen = new Set<string>();

  const base = list.map((raw, k) => {
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
    const ltdMean = d * L;
    const sigma = Math.sqrt(L * sd * sd + d * d * Lsd * Lsd);
    // Probability that demand over the lead time exceeds the stock position.
    const risk = sigma > 0 ? Phi((ltdMean - position) / sigma) : ltdMean > position ? 1 : 0;
    const cover = d > 0 ? Math.max(position, 0) / d : null;
    return { sku: s.sku, price, unitCost, d, sd, L, Lsd, position, unitMargin, contribution, ltdMean, sigma, risk, cover };
  });

  const sortedContrib = base.map((b) => b.contribution).sort((a, b) => a - b);
  const median =
    sortedContrib.length % 2 === 1
      ? sortedContrib[(sortedContrib.length - 1) / 2]
      : (sortedContrib[sortedContrib.length / 2 - 1] + sortedContrib[sortedContrib.length / 2]) / 2;
  const contributionThreshold =
    opts.contributionThreshold === undefined ? median : finite('contributionThreshold', opts.contributionThreshold);
  const maxContribution = Math.max(...base.map((b) => b.contribution), 0);

  const rows: PriorityRow[] = base.map((b) => {
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
  });

  // Reorder quadrants by urgency (score, then risk); MONITOR by risk; PAUSE by most cover first.
  const cmp = (a: PriorityRow, b: PriorityRow): number => {
    const qa = QUADRANT_ORDER.indexOf(a.quadrant);
    const qb = QUADRANT_ORDER.indexOf(b.quadrant);
    if (qa !== qb) return qa - qb;
    if (a.quadrant === 'PAUSE') return (b.daysOfCover ?? Infinity) - (a.daysOfCover ?? Infinity) || a.sku.localeCompare(b.sku);
    return (
      b.score - a.score ||
      b.stockoutRisk - a.stockoutRisk ||
      b.profitContribution30d - a.profitContribution30d ||
      a.sku.localeCompare(b.sku)
    );
  };
  rows.sort(cmp);
  rows.forEach((r, k) => (r.rank = k + 1));

  const explanation = new Explainer('Priority matrix: profit contribution × stockout risk', {
    skus: rows.length,
    contributionThreshold,
    riskThreshold,
  })
    .step('reorder first', rows.filter((r) => r.quadrant === 'REORDER_FIRST').length)
    .step('reorder', rows.filter((r) => r.quadrant === 'REORDER').length)
    .step('monitor', rows.filter((r) => r.quadrant === 'MONITOR').length)
    .step('pause', rows.filter((r) => r.quadrant === 'PAUSE').length)
    .note(
      opts.contributionThreshold === undefined ? 'Contribution threshold = median over the SKUs given.' : 'Contribution threshold given.',
    )
    .build();
  return {
    rows,
    reorderQueue: rows.filter((r) => r.quadrant === 'REORDER_FIRST' || r.quadrant === 'REORDER').map((r) => r.sku),
    pause: rows.filter((r) => r.quadrant === 'PAUSE').map((r) => r.sku),
    contributionThreshold,
    riskThreshold,
    explanation,
  };
}
