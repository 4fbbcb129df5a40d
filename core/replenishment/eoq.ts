/**
 * Economic order quantity and its classic variants (Snyder & Shen, FoSCT ch. 3): plain EOQ,
 * all-units and incremental quantity discounts, planned backorders, finite production rate.
 * Units: demand per year, holding cost per unit per year (or a rate × unit cost), K per order.
 */
import { Explainer, type Explanation } from '../explain';
import { finite, nonNegative, positive } from './validate';

export interface PriceTier {
  /** The tier's price applies to orders of at least this many units. */
  minQuantity: number;
  unitCost: number;
}

export interface EoqInput {
  /** Units per year (λ). */
  annualDemand: number;
  /** Fixed cost per order (K). */
  orderCost: number;
  /** Annual holding cost as a fraction of the unit cost (i): h = i·c. */
  holdingRate: number;
  /** Price per unit below the first tier (or the only price). */
  unitCost: number;
  /** All-units price breaks (optional). */
  tiers?: PriceTier[];
}

export interface EoqCurvePoint {
  quantity: number;
  annualCost: number;
}

export interface EoqCandidate {
  /** Index into the caller's `tiers`, or null for the base price. */
  tier: number | null;
  quantity: number;
  unitCost: number;
  annualCost: number;
  /** EOQ: the tier's own EOQ lies inside its range. BREAKPOINT: the tier's minimum quantity. */
  kind: 'EOQ' | 'BREAKPOINT';
}

export interface EoqResult {
  quantity: number;
  /** Index into the caller's `tiers` whose price applies at `quantity`, or null for the base price. */
  tier: number | null;
  unitCost: number;
  /** Purchase + ordering + holding cost per year at `quantity`. */
  annualCost: number;
  purchaseCost: number;
  orderingCost: number;
  holdingCost: number;
  ordersPerYear: number;
  /** Days between orders (365-day year). */
  cycleDays: number;
  candidates: EoqCandidate[];
  /** At most 60 points, sorted by quantity, covering every breakpoint and the optimum. */
  curve: EoqCurvePoint[];
  explanation: Explanation;
}

const MAX_TIERS = 50;
const MAX_CURVE_POINTS = 60;

/** Classic EOQ Q* = √(2Kλ/h). */
export function eoqQuantity(orderCost: number, annualDemand: number, holdingCost: number): number {
  nonNegative('orderCost', orderCost);
  nonNegative('annualDemand', annualDemand);
  positive('holdingCost', holdingCost);
  return Math.sqrt((2 * orderCost * annualDemand) / holdingCost);
}

/**
 * Ordering + holding cost per year g(Q) = Kλ/Q + hQ/2; at the optimum (Q omitted) this is √(2Kλh).
 * Purchase cost is excluded here (it does not depend on Q without discounts).
 */
export function eoqCost(orderCost: number, annualDemand: number, holdingCost: number, quantity?: number): number {
  nonNegative('orderCost', orderCost);
  nonNegative('annualDemand', annualDemand);
  positive('holdingCost', holdingCost);
  if (quantity === undefined) return Math.sqrt(2 * orderCost * annualDemand * holdingCost);
  positive('quantity', quantity);
  return (orderCost * annualDemand) / quantity + (holdingCost * quantity) / 2;
}

interface Segment {
  /** Caller's tier index, or null for the base price. */
  tier: number | null;
  min: number;
  /** Exclusive upper bound (Infinity for the last segment). */
  max: number;
  unitCost: number;
}

/** Validates tiers and turns them into contiguous price segments starting at 0. */
function priceSegments(unitCost: number, tiers: PriceTier[] | undefined): Segment[] {
  if (tiers === undefined || tiers.length === 0) return [{ tier: null, min: 0, max: Infinity, unitCost }];
  if (!Array.isArray(tiers)) throw new TypeError('tiers must be an array');
  if (tiers.length > MAX_TIERS) throw new RangeError(`tiers must have at most ${MAX_TIERS} entries, got ${tiers.length}`);
  const indexed = tiers.map((t, i) => {
    if (typeof t !== 'object' || t === null) throw new TypeError(`tiers[${i}] must be an object`);
    return {
      tier: i,
      min: nonNegative(`tiers[${i}].minQuantity`, t.minQuantity),
      unitCost: positive(`tiers[${i}].unitCost`, t.unitCost),
    };
  });
  indexed.sort((a, b) => a.min - b.min);
  const segs: Segment[] = [];
  if (indexed[0].min > 0) segs.push({ tier: null, min: 0, max: indexed[0].min, unitCost });
  for (let k = 0; k < indexed.length; k++) {
    const t = indexed[k];
    const prev = segs[segs.length - 1];
    if (prev && t.min === prev.min) {
      throw new RangeError(`tiers[${t.tier}].minQuantity duplicates another tier (${t.min})`);
    }
    // A "discount" that raises the price is a data error; it would also break the argument that
    // a tier whose EOQ overshoots its range is dominated by the next tier.
    if (prev && t.unitCost > prev.unitCost) {
      throw new RangeError(`tiers[${t.tier}].unitCost must not exceed the price below its break (${prev.unitCost}), got ${t.unitCost}`);
    }
    segs.push({ tier: t.tier, min: t.min, max: k + 1 < indexed.length ? indexed[k + 1].min : Infinity, unitCost: t.unitCost });
  }
  return segs;
}

function segmentAt(segs: Segment[], q: number): Segment {
  let s = segs[0];
  for (const seg of segs) if (q >= seg.min) s = seg;
  return s;
}

function validateEoqInput(input: EoqInput): void {
  if (typeof input !== 'object' || input === null) throw new TypeError('eoq input must be an object');
  positive('annualDemand', input.annualDemand);
  positive('orderCost', input.orderCost);
  positive('holdingRate', input.holdingRate);
  positive('unitCost', input.unitCost);
}

/** Builds a bounded, sorted cost curve: an even grid plus the must-show quantities. */
function buildCurve(mustShow: number[], lo: number, hi: number, cost: (q: number) => number): EoqCurvePoint[] {
  const special = [...new Set(mustShow.filter((q) => q > 0 && Number.isFinite(q)))].slice(0, MAX_CURVE_POINTS - 10);
  const gridN = MAX_CURVE_POINTS - special.length;
  const qs = new Set<number>(special);
  for (let k = 0; k < gridN; k++) qs.add(lo + ((hi - lo) * k) / (gridN - 1));
  return [...qs]
    .filter((q) => q > 0)
    .sort((a, b) => a - b)
    .slice(0, MAX_CURVE_POINTS)
    .map((quantity) => ({ quantity, annualCost: cost(quantity) }));
}

/**
 * EOQ with optional all-units discounts: each tier's realizable EOQ (√(2Kλ/(i·c_j)) inside the
 * tier's range) and each breakpoint are evaluated at c_j·λ + Kλ/Q + i·c_j·Q/2, and the cheapest
 * wins (a tier whose EOQ overshoots its range is dominated by the next tier's breakpoint).
 */
export function eoq(input: EoqInput): EoqResult {
  validateEoqInput(input);
  const { annualDemand: lam, orderCost: K, holdingRate: i, unitCost } = input;
  const segs = priceSegments(unitCost, input.tiers);
  const annual = (q: number, c: number) => c * lam + (K * lam) / q + (i * c * q) / 2;

  const ex = new Explainer('EOQ = √(2·K·λ / (i·c)); annual cost = c·λ + K·λ/Q + i·c·Q/2', {
    annualDemand: lam,
    orderCost: K,
    holdingRate: i,
    unitCost,
  });
  input.tiers?.forEach((t, k) => ex.input(`tiers[${k}]`, `≥ ${t.minQuantity} units @ ${t.unitCost}`));

  const candidates: EoqCandidate[] = [];
  const eoqs: number[] = [];
  for (const s of segs) {
    const q = Math.sqrt((2 * K * lam) / (i * s.unitCost));
    eoqs.push(q);
    const label = s.tier === null ? 'base price' : `tier ${s.tier}`;
    ex.step(
      `EOQ at ${label} (c=${s.unitCost})`,
      q,
      q >= s.min && q < s.max ? 'realizable' : q < s.min ? 'below the break' : 'above the range: dominated',
    );
    if (q >= s.min && q < s.max) {
      candidates.push({ tier: s.tier, quantity: q, unitCost: s.unitCost, annualCost: annual(q, s.unitCost), kind: 'EOQ' });
    }
    if (s.min > 0) {
      candidates.push({ tier: s.tier, quantity: s.min, unitCost: s.unitCost, annualCost: annual(s.min, s.unitCost), kind: 'BREAKPOINT' });
    }
  }
  let best = candidates[0];
  for (const c of candidates) {
    ex.step(`annual cost at Q=${round6(c.quantity)} (${c.kind}, c=${c.unitCost})`, c.annualCost);
    if (c.annualCost < best.annualCost) best = c;
  }

  const Q = best.quantity;
  const c = best.unitCost;
  const purchaseCost = c * lam;
  const orderingCost = (K * lam) / Q;
  const holdingCost = (i * c * Q) / 2;
  ex.step('chosen quantity Q', Q, best.tier === null ? 'base price' : `tier ${best.tier}`)
    .step('purchase cost c·λ', purchaseCost)
    .step('ordering cost K·λ/Q', orderingCost)
    .step('holding cost i·c·Q/2', holdingCost)
    .step('annual cost', best.annualCost)
    .step('orders per year λ/Q', lam / Q)
    .step('days between orders 365·Q/λ', (365 * Q) / lam);
  if (segs.length > 1) ex.note('All-units discount: the tier price applies to every unit of the order.');

  const breaks = segs.filter((s) => s.min > 0).map((s) => s.min);
  const lo = Math.max(Math.min(...eoqs, Q) * 0.4, 1e-9);
  const hi = Math.max(Q * 2, ...breaks.map((b) => b * 1.25), ...eoqs.map((q) => q * 1.25));
  const curve = buildCurve([Q, ...breaks, ...eoqs], lo, hi, (q) => annual(q, segmentAt(segs, q).unitCost));

  return {
    quantity: Q,
    tier: best.tier,
    unitCost: c,
    annualCost: best.annualCost,
    purchaseCost,
    orderingCost,
    holdingCost,
    ordersPerYear: lam / Q,
    cycleDays: (365 * Q) / lam,
    candidates,
    curve,
    explanation: ex.build(),
  };
}

export interface IncrementalEoqResult {
  quantity: number;
  tier: number | null;
  /** Purchase cost of one order of `quantity`, divided by `quantity`. */
  averageUnitCost: number;
  annualCost: number;
  candidates: EoqCandidate[];
  curve: EoqCurvePoint[];
  explanation: Explanation;
}

/**
 * EOQ with incremental discounts: the tier price applies only to the units above its break. With
 * k̄_j = (cost of the first b_j units) − c_j·b_j, one order of Q in tier j costs k̄_j + c_j·Q, so
 * g_j(Q) = c_j·λ + i·k̄_j/2 + (K + k̄_j)·λ/Q + i·c_j·Q/2 and Q_j = √(2(K + k̄_j)λ/(i·c_j)).
 * The total cost is continuous with concave kinks at the breaks, so the optimum is a realizable Q_j.
 */
export function eoqIncrementalDiscounts(input: EoqInput): IncrementalEoqResult {
  validateEoqInput(input);
  const { annualDemand: lam, orderCost: K, holdingRate: i, unitCost } = input;
  const segs = priceSegments(unitCost, input.tiers);
  // k̄_j for every segment.
  const kbar: number[] = [];
  let cumulative = 0; // cost of the first segs[j].min units
  for (let j = 0; j < segs.length; j++) {
    if (j > 0) cumulative += segs[j - 1].unitCost * (segs[j].min - segs[j - 1].min);
    kbar.push(cumulative - segs[j].unitCost * segs[j].min);
  }
  const g = (j: number, q: number) =>
    segs[j].unitCost * lam + (i * kbar[j]) / 2 + ((K + kbar[j]) * lam) / q + (i * segs[j].unitCost * q) / 2;
  const segIndexAt = (q: number) => {
    let j = 0;
    for (let k = 0; k < segs.length; k++) if (q >= segs[k].min) j = k;
    return j;
  };

  const ex = new Explainer('Incremental discounts: Q_j = √(2(K + k̄_j)λ/(i·c_j)), g_j(Q) = c_j·λ + i·k̄_j/2 + (K + k̄_j)λ/Q + i·c_j·Q/2', {
    annualDemand: lam,
    orderCost: K,
    holdingRate: i,
    unitCost,
  });
  input.tiers?.forEach((t, k) => ex.input(`tiers[${k}]`, `units above ${t.minQuantity} @ ${t.unitCost}`));

  const candidates: EoqCandidate[] = [];
  const qs: number[] = [];
  for (let j = 0; j < segs.length; j++) {
    const q = Math.sqrt((2 * (K + kbar[j]) * lam) / (i * segs[j].unitCost));
    qs.push(q);
    const realizable = q >= segs[j].min && q < segs[j].max;
    ex.step(`k̄ for ${segs[j].tier === null ? 'base price' : `tier ${segs[j].tier}`}`, kbar[j]);
    ex.step(`Q for ${segs[j].tier === null ? 'base price' : `tier ${segs[j].tier}`}`, q, realizable ? 'realizable' : 'outside its range');
    if (realizable) candidates.push({ tier: segs[j].tier, quantity: q, unitCost: segs[j].unitCost, annualCost: g(j, q), kind: 'EOQ' });
  }
  // Breakpoints are never optimal (concave kinks) but are shown so a planner can compare.
  for (let j = 1; j < segs.length; j++) {
    candidates.push({
      tier: segs[j].tier,
      quantity: segs[j].min,
      unitCost: segs[j].unitCost,
      annualCost: g(j, segs[j].min),
      kind: 'BREAKPOINT',
    });
  }
  let best = candidates[0];
  for (const c of candidates) {
    ex.step(`annual cost at Q=${round6(c.quantity)} (${c.kind})`, c.annualCost);
    if (c.annualCost < best.annualCost) best = c;
  }
  const jBest = segIndexAt(best.quantity);
  const averageUnitCost = segs[jBest].unitCost + kbar[jBest] / best.quantity;
  ex.step('chosen quantity Q', best.quantity).step('average unit cost', averageUnitCost).step('annual cost', best.annualCost);

  const breaks = segs.slice(1).map((s) => s.min);
  const lo = Math.max(Math.min(...qs, best.quantity) * 0.4, 1e-9);
  const hi = Math.max(best.quantity * 2, ...breaks.map((b) => b * 1.25));
  const curve = buildCurve([best.quantity, ...breaks], lo, hi, (q) => g(segIndexAt(q), q));
  return {
    quantity: best.quantity,
    tier: best.tier,
    averageUnitCost,
    annualCost: best.annualCost,
    candidates,
    curve,
    explanation: ex.build(),
  };
}

export interface EoqBackordersResult {
  quantity: number;
  /** Fraction of the cycle spent in backorder, x = h/(h + p). */
  stockoutFraction: number;
  /** Largest backlog per cycle, x·Q. */
  maxBackorder: number;
  /** Ordering + holding + backorder cost per year, √(2Kλhp/(h + p)). */
  annualCost: number;
  explanation: Explanation;
}

/** EOQ with planned backorders (EOQB): Q = √(2Kλ(h + p)/(hp)). */
export function eoqWithBackorders(input: {
  annualDemand: number;
  orderCost: number;
  holdingCost: number;
  /** Backorder cost per unit per year (p). */
  backorderCost: number;
}): EoqBackordersResult {
  const lam = positive('annualDemand', input.annualDemand);
  const K = positive('orderCost', input.orderCost);
  const h = positive('holdingCost', input.holdingCost);
  const p = positive('backorderCost', input.backorderCost);
  const quantity = Math.sqrt((2 * K * lam * (h + p)) / (h * p));
  const x = h / (h + p);
  const annualCost = Math.sqrt((2 * K * lam * h * p) / (h + p));
  const explanation = new Explainer('EOQB: Q = √(2Kλ(h+p)/(hp)), x = h/(h+p), g = √(2Kλhp/(h+p))', {
    annualDemand: lam,
    orderCost: K,
    holdingCost: h,
    backorderCost: p,
  })
    .step('Q', quantity)
    .step('stockout fraction x', x)
    .step('annual cost', annualCost)
    .build();
  return { quantity, stockoutFraction: x, maxBackorder: x * quantity, annualCost, explanation };
}

export interface EpqResult {
  quantity: number;
  /** Ordering + holding cost per year, √(2Kλh(1 − ρ)). */
  annualCost: number;
  /** Utilisation ρ = λ/μ. */
  utilization: number;
  explanation: Explanation;
}

/** Economic production quantity: Q = √(2Kλ/(h(1 − ρ))), ρ = λ/μ < 1. */
export function epq(input: { annualDemand: number; orderCost: number; holdingCost: number; productionRate: number }): EpqResult {
  const lam = positive('annualDemand', input.annualDemand);
  const K = positive('orderCost', input.orderCost);
  const h = positive('holdingCost', input.holdingCost);
  const mu = positive('productionRate', input.productionRate);
  if (!(mu > lam)) throw new RangeError(`productionRate must exceed annualDemand (${lam}), got ${mu}`);
  const rho = lam / mu;
  const quantity = Math.sqrt((2 * K * lam) / (h * (1 - rho)));
  const annualCost = Math.sqrt(2 * K * lam * h * (1 - rho));
  const explanation = new Explainer('EPQ: Q = √(2Kλ/(h(1−ρ))), ρ = λ/μ, g = √(2Kλh(1−ρ))', {
    annualDemand: lam,
    orderCost: K,
    holdingCost: h,
    productionRate: mu,
  })
    .step('ρ', rho)
    .step('Q', quantity)
    .step('annual cost', annualCost)
    .build();
  return { quantity, annualCost, utilization: rho, explanation };
}

function round6(v: number): number {
  return Number(finite('value', v).toPrecision(6));
}
