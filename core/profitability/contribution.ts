/**
 * Profitability scenario: the contribution of an order of Q units over a planning horizon, as a
 * bounded curve over Q with the best quantity. Larger orders sell more (fewer lost sales), reach
 * cheaper price tiers and spread the order cost; past a point holding and, above the storage
 * capacity, overflow storage cost more than they bring: the contribution rises, then falls.
 *
 * Model (stated in the explanation): the order arrives at the start of the horizon; horizon demand
 * D ~ Normal(d̄·H, σ_d·√H); expected sales E[min(on hand + Q, D)] = μ − n(on hand + Q); stock
 * drains at the mean rate for holding; units left at the end keep their cost value (they are still
 * sellable stock), so over-ordering is penalised by holding and storage, not written off.
 */
import { Explainer, type Explanation } from '../explain';
import { normalLoss } from '../stats/normal';
import type { PriceTier } from '../replenishment/eoq';
import { nonNegative, object, positive, positiveInteger, probability } from '../replenishment/validate';
import { holdingCost, landedCost, type LandedCostInput } from './costs';

export interface ProfitabilityScenarioInput {
  /** Selling price per unit. */
  price: number;
  /** Landed-cost components; `unitCost` is the base supplier price. */
  landed: LandedCostInput;
  /** All-units price tiers on the supplier price (optional). */
  tiers?: PriceTier[];
  /** Fixed cost of placing the order. Default 0. */
  orderCost?: number;
  holding?: { storagePerUnitPerYear?: number; capitalRate?: number; shrinkRate?: number };
  /** Units above `capacity` pay `overflowPerUnitPerDay` on top (overflow warehouse, long-term fees). */
  storage?: { capacity: number; overflowPerUnitPerDay: number };
  demand: { dailyMean: number; dailySd: number };
  /** Days the order must serve, e.g. 90 for a three-month forecast. */
  horizonDays: number;
  onHand?: number;
  /** Long-term effect of lost sales. */
  stockout?: { churnRate?: number; futureContributionPerCustomer?: number };
  /** Largest order quantity to consider. Default 2·(μ + 3σ) of horizon demand. */
  maxQuantity?: number;
}

export interface ContributionPoint {
  quantity: number;
  /** Landed cost of the ordered units at this quantity's price tier. */
  landedUnitCost: number;
  expectedUnitsSold: number;
  expectedLostUnits: number;
  revenue: number;
  costOfGoodsSold: number;
  orderCost: number;
  holdingCost: number;
  overflowCost: number;
  /** Churned customers' future contribution lost to stockouts. */
  stockoutCost: number;
  contribution: number;
  /** contribution / revenue (null without revenue). */
  contributionRate: number | null;
  /** Δcontribution / ΔQ from the previous curve point (null for the first). */
  marginalContributionPerUnit: number | null;
}

export interface ProfitabilityScenario {
  baseLandedUnitCost: number;
  holdingPerUnitPerYear: number;
  curve: ContributionPoint[];
  best: ContributionPoint;
  /** Contribution of ordering nothing, for comparison. */
  noOrder: ContributionPoint;
  explanation: Explanation;
}

const MAX_CURVE_POINTS = 60;

/**
 * Unit-days of stock when S units drain at d per day over H days (never below zero): S²/(2d) when
 * the stock runs out within the horizon (S ≤ d·H), else S·H − d·H²/2 (the trapezoid); S·H at d = 0.
 */
export function unitDays(S: number, d: number, H: number): number {
  if (S <= 0) return 0;
  if (d <= 0) return S * H;
  return S <= d * H ? (S * S) / (2 * d) : S * H - (d * H * H) / 2;
}

/** Validated scenario inputs with their defaults. */
function scenarioSettings(input: ProfitabilityScenarioInput) {
  const i = object('profitabilityScenario input', input) as unknown as ProfitabilityScenarioInput;
  const price = positive('price', i.price);
  const base = landedCost(i.landed);
  const K = nonNegative('orderCost', i.orderCost ?? 0);
  const hold = object('holding', i.holding ?? {});
  const storagePerYear = nonNegative('holding.storagePerUnitPerYear', hold.storagePerUnitPerYear ?? 0);
  const capitalRate = nonNegative('holding.capitalRate', hold.capitalRate ?? 0);
  const shrinkRate = probability('holding.shrinkRate', hold.shrinkRate ?? 0);
  const dem = object('demand', i.demand);
  const d = nonNegative('demand.dailyMean', dem.dailyMean);
  const sdDay = nonNegative('demand.dailySd', dem.dailySd);
  const H = positiveInteger('horizonDays', i.horizonDays);
  const onHand = nonNegative('onHand', i.onHand ?? 0);
  let capacity = Infinity;
  let overflowRate = 0;
  if (i.storage !== undefined) {
    const st = object('storage', i.storage);
    capacity = nonNegative('storage.capacity', st.capacity);
    overflowRate = nonNegative('storage.overflowPerUnitPerDay', st.overflowPerUnitPerDay);
  }
  const so = object('stockout', i.stockout ?? {});
  const churn = probability('stockout.churnRate', so.churnRate ?? 0);
  const future = nonNegative('stockout.futureContributionPerCustomer', so.futureContributionPerCustomer ?? 0);
  // Price tiers (all-units) on the supplier price; validated like EOQ tiers.
  const tiers = (i.tiers ?? []).map((t, k) => {
    const o = object(`tiers[${k}]`, t);
    return { min: nonNegative(`tiers[${k}].minQuantity`, o.minQuantity), unitCost: positive(`tiers[${k}].unitCost`, o.unitCost) };
  });
  tiers.sort((a, b) => a.min - b.min);
  return { i, price, base, K, storagePerYear, capitalRate, shrinkRate, d, sdDay, H, onHand, capacity, overflowRate, churn, future, tiers };
}

type Settings = ReturnType<typeof scenarioSettings>;

/** Landed unit cost of an order of q units: the highest tier reached sets the supplier price (memoised per price). */
function tierPricer(st: Settings): (q: number) => number {
  const landedAt = new Map<number, number>();
  return (q) => {
    let unit = st.base.unitCost;
    for (const t of st.tiers) if (q >= t.min) unit = t.unitCost;
    let v = landedAt.get(unit);
    if (v === undefined) {
      v = landedCost({ ...st.i.landed, unitCost: unit }).landedUnitCost;
      landedAt.set(unit, v);
    }
    return v;
  };
}

/**
 * Contribution of ordering Q: horizon demand D ~ N(μ, σ), stock S₀ = on hand + Q;
 * sold = μ − n(S₀) (n the normal loss function), of which the order supplies n(on hand) − n(S₀);
 * COGS prices on-hand units at the base landed cost and ordered ones at Q's tier; holding =
 * unitDays(S₀) × (storage + (capital + shrink) × average unit value) ÷ 365; overflow = unitDays(S₀ −
 * capacity) × overflow rate; churn loss = lost × churn × future contribution.
 */
function contributionAt(
  Q: number,
  st: Settings,
  landedFor: (q: number) => number,
  mu: number,
  sigma: number,
  lossOnHand: number,
): ContributionPoint {
  const S0 = st.onHand + Q;
  const lost = normalLoss(S0, mu, sigma).n;
  const sold = mu - lost;
  const soldFromOrder = lossOnHand - lost; // E[min(S0, D)] − E[min(onHand, D)]
  const landedQ = landedFor(Q);
  const baseCost = st.base.landedUnitCost;
  const cogs = (sold - soldFromOrder) * baseCost + soldFromOrder * landedQ;
  const avgValue = S0 > 0 ? (st.onHand * baseCost + Q * landedQ) / S0 : baseCost;
  const perUnitDay = st.storagePerYear / 365 + ((st.capitalRate + st.shrinkRate) * avgValue) / 365;
  const holding = unitDays(S0, st.d, st.H) * perUnitDay;
  const overflow = Number.isFinite(st.capacity) ? unitDays(S0 - st.capacity, st.d, st.H) * st.overflowRate : 0;
  const orderCost = Q > 0 ? st.K : 0;
  const stockoutCost = lost * st.churn * st.future;
  const revenue = st.price * sold;
  const contribution = revenue - cogs - orderCost - holding - overflow - stockoutCost;
  return {
    quantity: Q,
    landedUnitCost: landedQ,
    expectedUnitsSold: sold,
    expectedLostUnits: lost,
    revenue,
    costOfGoodsSold: cogs,
    orderCost,
    holdingCost: holding,
    overflowCost: overflow,
    stockoutCost,
    contribution,
    contributionRate: revenue > 0 ? contribution / revenue : null,
    marginalContributionPerUnit: null,
  };
}

/** Best quantity: coarse grid (step = max(1, ⌊qMax ÷ 2000⌋)), the tier breaks and the capacity edge, then every integer within a step of the winner. */
function bestQuantity(
  evaluate: (q: number) => ContributionPoint,
  qMax: number,
  special: readonly number[],
): { best: ContributionPoint; step: number } {
  const step = Math.max(1, Math.floor(qMax / 2000));
  let best = evaluate(0);
  const consider = (q: number) => {
    const p = evaluate(q);
    if (p.contribution > best.contribution) best = p;
  };
  for (let q = step; q <= qMax; q += step) consider(q);
  for (const q of special) consider(Math.ceil(q));
  const centre = best.quantity;
  for (let q = Math.max(0, centre - step); q <= Math.min(qMax, centre + step); q++) consider(q);
  return { best, step };
}

/** At most MAX_CURVE_POINTS points: 0, the best, the special quantities and an even grid to qMax, with marginal contribution per unit. */
function contributionCurve(
  evaluate: (q: number) => ContributionPoint,
  best: number,
  special: readonly number[],
  qMax: number,
): ContributionPoint[] {
  const qs = new Set<number>([0, best, ...special.map((q) => Math.ceil(q))]);
  const gridN = MAX_CURVE_POINTS - qs.size;
  for (let k = 0; k < gridN; k++) qs.add(Math.round((qMax * k) / Math.max(1, gridN - 1)));
  const curve = [...qs]
    .sort((a, b) => a - b)
    .slice(0, MAX_CURVE_POINTS)
    .map(evaluate);
  for (let k = 1; k < curve.length; k++) {
    const dq = curve[k].quantity - curve[k - 1].quantity;
    curve[k].marginalContributionPerUnit = dq > 0 ? (curve[k].contribution - curve[k - 1].contribution) / dq : null;
  }
  return curve;
}

/** The contribution curve over Q and the best quantity (see the header for the model). */
export function profitabilityScenario(input: ProfitabilityScenarioInput): ProfitabilityScenario {
  const st = scenarioSettings(input);
  const { price, base, K, storagePerYear, capitalRate, shrinkRate, d, sdDay, H, onHand, capacity, overflowRate, churn, future, tiers } = st;
  const baseHolding = holdingCost({ unitValue: base.landedUnitCost, storagePerUnitPerYear: storagePerYear, capitalRate, shrinkRate });
  const mu = d * H;
  const sigma = sdDay * Math.sqrt(H);
  const lossOnHand = normalLoss(onHand, mu, sigma).n;
  const qMax = st.i.maxQuantity === undefined ? Math.max(10, Math.ceil(2 * (mu + 3 * sigma))) : positive('maxQuantity', st.i.maxQuantity);
  const landedFor = tierPricer(st);
  const evaluate = (Q: number): ContributionPoint => contributionAt(Q, st, landedFor, mu, sigma, lossOnHand);

  const special = [...tiers.map((t) => t.min), capacity - onHand].filter((q) => q > 0 && q <= qMax && Number.isFinite(q));
  const { best, step } = bestQuantity(evaluate, qMax, special);
  const curve = contributionCurve(evaluate, best.quantity, special, qMax);
  const noOrder = evaluate(0);

  const ex = new Explainer(
    'contribution(Q) = price·E[sold] − COGS − order cost − holding − overflow storage − churn loss; E[sold] = μ − n(on hand + Q)',
    {
      price,
      orderCost: K,
      'demand.dailyMean': d,
      'demand.dailySd': sdDay,
      horizonDays: H,
      onHand,
      storagePerUnitPerYear: storagePerYear,
      capitalRate,
      shrinkRate,
      'storage.capacity': Number.isFinite(capacity) ? capacity : null,
      'storage.overflowPerUnitPerDay': overflowRate,
      churnRate: churn,
      futureContributionPerCustomer: future,
    },
  );
  tiers.forEach((t, k) => ex.input(`tiers[${k}]`, `≥ ${t.min} @ ${t.unitCost}`));
  ex.step('base landed unit cost', base.landedUnitCost)
    .step('horizon demand mean μ = d̄·H', mu)
    .step('horizon demand sd σ = σ_d·√H', sigma)
    .step('holding per unit per year at base cost', baseHolding.perUnitPerYear)
    .step('quantities searched', `0 … ${qMax} (step ${step}, then ±${step} by 1)`)
    .step('best quantity', best.quantity)
    .step('expected units sold at best', best.expectedUnitsSold)
    .step('contribution at best', best.contribution)
    .step('contribution rate at best', best.contributionRate)
    .step('contribution without ordering', noOrder.contribution)
    .note('The order is assumed to arrive at the start of the horizon and stock drains at the mean rate for holding cost.')
    .note('Units left at the horizon end keep their cost value (still sellable), so over-ordering costs holding and storage only.');
  return {
    baseLandedUnitCost: base.landedUnitCost,
    holdingPerUnitPerYear: baseHolding.perUnitPerYear,
    curve,
    best,
    noOrder,
    explanation: ex.build(),
  };
}
