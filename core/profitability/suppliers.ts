/**
 * Supplier comparison by seeded Monte Carlo over lead-time outcomes: a supplier 5 % cheaper whose
 * lead time swings (say 90 % on time) can end with a lower overall margin than a dearer, steady one.
 *
 * Each supplier is run under the same daily demand paths (common random numbers, so differences
 * come from the suppliers, not the dice) with its own (ROP, Q) policy: Q = EOQ at its price (tiers
 * included), ROP = d̄·L + z·σ_LTD on the effective lead time (late deliveries add an exponential
 * delay with probability 1 − on-time) or, by choice, on the quoted lead time.
 * Demand that finds no stock is lost. Profit = sales margin − order costs − holding − lost-sale penalty.
 */
import { Explainer, type Explanation } from '../explain';
import { createRng, type Rng } from '../random';
import { eoq, type PriceTier } from '../replenishment/eoq';
import { leadTime as combineLeadTime, meanSd, type LeadTimeComponents, type MeanSd } from '../replenishment/leadTime';
import { zScore } from '../replenishment/safetyStock';
import { finite, integer, nonNegative, object, openProbability, positive, positiveInteger, probability } from '../replenishment/validate';

export interface SupplierOption {
  name: string;
  unitCost: number;
  tiers?: PriceTier[];
  /** Stage components (procurement, shipping, inbound) or one {mean, sd} in days. */
  leadTime: LeadTimeComponents | MeanSd;
  /** Share of deliveries on time, in [0, 1]. */
  onTimeRate: number;
  /** Mean extra days of a late delivery. Default max(1, half the mean lead time). */
  lateDelayDays?: number;
  /** Fixed cost per order. */
  orderCost: number;
}

export interface CompareSuppliersInput {
  suppliers: SupplierOption[];
  demand: { dailyMean: number; dailySd: number };
  /** Selling price per unit. */
  price: number;
  /** Annual holding cost as a fraction of the unit cost. */
  holdingRate: number;
  /** Cycle service level the reorder point is set for. Default 0.95. */
  serviceLevel?: number;
  /**
   * Lead time the reorder point is planned on. EFFECTIVE (default): the quoted distribution plus the
   * late-delivery mixture, i.e. a planner who buffers for the on-time rate. QUOTED: the quoted
   * mean and sd only, as many sellers set their ROP; late deliveries then surface as stockouts.
   */
  reorderPointBasis?: 'EFFECTIVE' | 'QUOTED';
  /** Extra penalty per lost unit beyond the lost margin (goodwill). Default 0. */
  lostSalePenalty?: number;
  /** Days simulated per run. Default 365. */
  horizonDays?: number;
  seed: number;
  /** Default 500. */
  runs?: number;
}

export interface SupplierOutcome {
  name: string;
  /** Price per unit at the EOQ's tier. */
  unitCost: number;
  orderQuantity: number;
  reorderPoint: number;
  safetyStock: number;
  leadTimeMean: number;
  leadTimeSd: number;
  /** Lead-time mean and sd including late deliveries (what the ROP is planned on). */
  effectiveLeadTimeMean: number;
  effectiveLeadTimeSd: number;
  expectedProfit: number;
  profitP10: number;
  profitP90: number;
  /** Expected profit / expected revenue. */
  profitMargin: number;
  expectedStockoutDays: number;
  stockoutDaysP90: number;
  /** Units sold / units demanded over all runs. */
  fillRate: number;
  expectedLostUnits: number;
  /** Share of simulated deliveries that came late. */
  lateShare: number;
  ordersPerRun: number;
}

export interface SupplierComparison {
  suppliers: SupplierOutcome[];
  recommended: string;
  reason: string;
  seed: number;
  runs: number;
  horizonDays: number;
  explanation: Explanation;
}

const WORK_LIMIT = 20_000_000; // supplier-days per call: keeps the add-on within Apps Script's time limit

/** Deterministic 32-bit mix of integers (for per-run, per-supplier seeds). */
function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

interface Policy {
  name: string;
  unitCost: number;
  Q: number;
  rop: number;
  ss: number;
  ltMean: number;
  ltSd: number;
  lateP: number;
  lateMean: number;
  effMean: number;
  effSd: number;
  orderCost: number;
}

/**
 * Lead time with late deliveries: L + B·X with L ~ (mean, sd), B ~ Bernoulli(p) and X ~ Exp(mean m):
 * B·X has mean p·m and variance 2p·m² − p²·m² (E[X²] = 2m²), so the mixture has mean L̄ + p·m and
 * variance sd² + 2p·m² − (p·m)².
 */
export function lateMixture(ltMean: number, ltSd: number, p: number, lateMean: number): { mean: number; variance: number } {
  return { mean: ltMean + p * lateMean, variance: ltSd ** 2 + 2 * p * lateMean ** 2 - (p * lateMean) ** 2 };
}

function supplierPolicy(s: SupplierOption, k: number, d: number, sd: number, holdingRate: number, z: number, quoted: boolean): Policy {
  const o = object(`suppliers[${k}]`, s);
  if (typeof o.name !== 'string' || o.name.trim() === '') throw new TypeError(`suppliers[${k}].name must be a non-empty string`);
  const lt = object(`suppliers[${k}].leadTime`, o.leadTime);
  const { mean: ltMean, sd: ltSd } =
    'procurement' in lt ? combineLeadTime(lt as unknown as LeadTimeComponents) : meanSd(`suppliers[${k}].leadTime`, lt);
  const onTime = probability(`suppliers[${k}].onTimeRate`, o.onTimeRate);
  const lateMean = o.lateDelayDays === undefined ? Math.max(1, ltMean / 2) : nonNegative(`suppliers[${k}].lateDelayDays`, o.lateDelayDays);
  const orderCost = positive(`suppliers[${k}].orderCost`, o.orderCost);
  const unitCost = positive(`suppliers[${k}].unitCost`, o.unitCost);
  const e = eoq({ annualDemand: d * 365, orderCost, holdingRate, unitCost, tiers: o.tiers as PriceTier[] | undefined });
  const p = 1 - onTime;
  const { mean: effMean, variance: effVar } = lateMixture(ltMean, ltSd, p, lateMean);
  const planMean = quoted ? ltMean : effMean;
  const planVar = quoted ? ltSd ** 2 : effVar;
  const sigmaLTD = Math.sqrt(planMean * sd ** 2 + d ** 2 * planVar);
  const ss = z * sigmaLTD;
  return {
    name: o.name,
    unitCost: e.unitCost,
    Q: e.quantity,
    rop: d * planMean + ss,
    ss,
    ltMean,
    ltSd,
    lateP: p,
    lateMean,
    effMean,
    effSd: Math.sqrt(effVar),
    orderCost,
  };
}

interface RunResult {
  profit: number;
  revenue: number;
  stockoutDays: number;
  demand: number;
  sold: number;
  lost: number;
  orders: number;
  late: number;
}

function simulate(
  pol: Policy,
  demandRng: Rng,
  ltRng: Rng,
  d: number,
  sd: number,
  price: number,
  holdingRate: number,
  penalty: number,
  H: number,
): RunResult {
  let onHand = pol.ss + pol.Q; // start of a cycle: a delivery has just arrived
  const pipeline: { day: number; qty: number }[] = [];
  let inPipeline = 0;
  const r: RunResult = { profit: 0, revenue: 0, stockoutDays: 0, demand: 0, sold: 0, lost: 0, orders: 0, late: 0 };
  let holding = 0;
  for (let t = 0; t < H; t++) {
    for (let j = pipeline.length - 1; j >= 0; j--) {
      if (pipeline[j].day <= t) {
        onHand += pipeline[j].qty;
        inPipeline -= pipeline[j].qty;
        pipeline.splice(j, 1);
      }
    }
    const D = Math.max(0, d + sd * demandRng.normal());
    const sold = Math.min(onHand, D);
    onHand -= sold;
    r.demand += D;
    r.sold += sold;
    if (D - sold > 1e-9) {
      r.lost += D - sold;
      r.stockoutDays += 1;
    }
    holding += (onHand * pol.unitCost * holdingRate) / 365;
    const position = onHand + inPipeline;
    if (position <= pol.rop) {
      const qty = (Math.floor((pol.rop - position) / pol.Q) + 1) * pol.Q;
      let lt = Math.max(0, pol.ltMean + pol.ltSd * ltRng.normal());
      if (ltRng.next() < pol.lateP) {
        lt += -pol.lateMean * Math.log(1 - ltRng.next());
        r.late += 1;
      }
      pipeline.push({ day: t + Math.max(1, Math.round(lt)), qty });
      inPipeline += qty;
      r.orders += 1;
    }
  }
  r.revenue = r.sold * price;
  r.profit = r.sold * (price - pol.unitCost) - r.orders * pol.orderCost - holding - r.lost * penalty;
  return r;
}

/** Validated comparison inputs with their defaults. */
function comparisonSettings(input: CompareSuppliersInput) {
  const i = object('compareSuppliers input', input) as unknown as CompareSuppliersInput;
  if (!Array.isArray(i.suppliers) || i.suppliers.length < 2) throw new RangeError('suppliers must list at least two suppliers');
  const dem = object('demand', i.demand);
  const d = positive('demand.dailyMean', dem.dailyMean);
  const sd = nonNegative('demand.dailySd', dem.dailySd);
  const price = positive('price', i.price);
  const holdingRate = positive('holdingRate', i.holdingRate);
  const serviceLevel = i.serviceLevel === undefined ? 0.95 : openProbability('serviceLevel', i.serviceLevel);
  const penalty = nonNegative('lostSalePenalty', i.lostSalePenalty ?? 0);
  const H = i.horizonDays === undefined ? 365 : positiveInteger('horizonDays', i.horizonDays);
  const seed = integer('seed', finite('seed', i.seed));
  const runs = i.runs === undefined ? 500 : positiveInteger('runs', i.runs);
  if (runs * H * i.suppliers.length > WORK_LIMIT) {
    throw new RangeError(`runs × horizonDays × suppliers must be ≤ ${WORK_LIMIT}, got ${runs * H * i.suppliers.length}`);
  }
  const basis = i.reorderPointBasis ?? 'EFFECTIVE';
  if (basis !== 'EFFECTIVE' && basis !== 'QUOTED')
    throw new RangeError(`reorderPointBasis must be EFFECTIVE or QUOTED, got ${String(basis)}`);
  return { i, d, sd, price, holdingRate, serviceLevel, penalty, H, seed, runs, basis };
}

type Settings = ReturnType<typeof comparisonSettings>;

/**
 * One supplier over all runs (the same demand path per run for every supplier; lead-time draws per
 * supplier): expected profit and its P10/P90, margin = Σ profit ÷ Σ revenue, stockout days, fill
 * rate = sold ÷ demanded, lost units, late share = late ÷ orders, orders per run.
 */
function supplierOutcome(pol: Policy, k: number, st: Settings): SupplierOutcome {
  const { runs, seed } = st;
  const profits: number[] = [];
  const stockouts: number[] = [];
  const total = { revenue: 0, demand: 0, sold: 0, lost: 0, orders: 0, late: 0 };
  for (let run = 0; run < runs; run++) {
    const res = simulate(
      pol,
      createRng(mix(seed, run, 0)),
      createRng(mix(seed, run, k + 1)),
      st.d,
      st.sd,
      st.price,
      st.holdingRate,
      st.penalty,
      st.H,
    );
    profits.push(res.profit);
    stockouts.push(res.stockoutDays);
    total.revenue += res.revenue;
    total.demand += res.demand;
    total.sold += res.sold;
    total.lost += res.lost;
    total.orders += res.orders;
    total.late += res.late;
  }
  const sortedProfits = [...profits].sort((a, b) => a - b);
  const sortedStockouts = [...stockouts].sort((a, b) => a - b);
  const expectedProfit = profits.reduce((a, b) => a + b, 0) / runs;
  return {
    name: pol.name,
    unitCost: pol.unitCost,
    orderQuantity: pol.Q,
    reorderPoint: pol.rop,
    safetyStock: pol.ss,
    leadTimeMean: pol.ltMean,
    leadTimeSd: pol.ltSd,
    effectiveLeadTimeMean: pol.effMean,
    effectiveLeadTimeSd: pol.effSd,
    expectedProfit,
    profitP10: quantile(sortedProfits, 0.1),
    profitP90: quantile(sortedProfits, 0.9),
    profitMargin: total.revenue > 0 ? (expectedProfit * runs) / total.revenue : 0,
    expectedStockoutDays: stockouts.reduce((a, b) => a + b, 0) / runs,
    stockoutDaysP90: quantile(sortedStockouts, 0.9),
    fillRate: total.demand > 0 ? total.sold / total.demand : 1,
    expectedLostUnits: total.lost / runs,
    lateShare: total.orders > 0 ? total.late / total.orders : 0,
    ordersPerRun: total.orders / runs,
  };
}

/**
 * Recommendation: the highest expected profit, unless the runner-up is within 1 % of it and has the
 * better P10 (the smaller downside); the reason compares the two.
 */
function recommend(outcomes: readonly SupplierOutcome[], policies: Policy[], H: number): { pick: SupplierOutcome; reason: string } {
  const ranked = [...outcomes].sort((a, b) => b.expectedProfit - a.expectedProfit);
  const pick = ranked[0];
  const runnerUp = ranked[1];
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  const gap = pick.expectedProfit - runnerUp.expectedProfit;
  const close = Math.abs(gap) <= 0.01 * Math.abs(pick.expectedProfit);
  if (close && runnerUp.profitP10 > pick.profitP10) {
    const reason =
      `${runnerUp.name} and ${pick.name} earn about the same (${fmt(runnerUp.expectedProfit)} vs ${fmt(pick.expectedProfit)} per ${H} days), ` +
      `but ${runnerUp.name} has the smaller downside (P10 ${fmt(runnerUp.profitP10)} vs ${fmt(pick.profitP10)}) and ` +
      `${runnerUp.expectedStockoutDays.toFixed(1)} vs ${pick.expectedStockoutDays.toFixed(1)} stockout days.`;
    return { pick: runnerUp, reason };
  }
  const other = runnerUp;
  const cheaper = pick.unitCost > other.unitCost;
  const reason =
    `${pick.name} earns ${fmt(pick.expectedProfit)} per ${H} days vs ${fmt(other.expectedProfit)} for ${other.name} ` +
    `(+${fmt(gap)}; fill rate ${(pick.fillRate * 100).toFixed(1)}% vs ${(other.fillRate * 100).toFixed(1)}%)` +
    (cheaper
      ? `, although ${other.name} is ${(((pick.unitCost - other.unitCost) / pick.unitCost) * 100).toFixed(1)}% cheaper per unit: ` +
        `its lead time (on time ${((1 - policiesByName(policies, other.name).lateP) * 100).toFixed(0)}%, effective sd ${other.effectiveLeadTimeSd.toFixed(1)} d) ` +
        `costs ${other.expectedStockoutDays.toFixed(1)} stockout days and ${fmt(other.expectedLostUnits)} lost units vs ` +
        `${pick.expectedStockoutDays.toFixed(1)} and ${fmt(pick.expectedLostUnits)}` +
        (other.safetyStock > pick.safetyStock
          ? `, and needs ${fmt(other.safetyStock - pick.safetyStock)} more units of safety stock.`
          : '.')
      : `; stockout days ${pick.expectedStockoutDays.toFixed(1)} vs ${other.expectedStockoutDays.toFixed(1)}, P10 profit ${fmt(pick.profitP10)} vs ${fmt(other.profitP10)}.`);
  return { pick, reason };
}

/** Each supplier's (ROP, Q) policy simulated under common demand paths; the recommended one (see the header). */
export function compareSuppliers(input: CompareSuppliersInput): SupplierComparison {
  const st = comparisonSettings(input);
  const { d, sd, price, holdingRate, serviceLevel, penalty, H, seed, runs, basis } = st;
  const z = zScore(serviceLevel);
  const policies = st.i.suppliers.map((s, k) => supplierPolicy(s, k, d, sd, holdingRate, z, basis === 'QUOTED'));
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name)) throw new RangeError(`suppliers names must be unique: "${p.name}" appears twice`);
    names.add(p.name);
  }
  const outcomes = policies.map((pol, k) => supplierOutcome(pol, k, st));
  const { pick, reason } = recommend(outcomes, policies, H);

  const ex = new Explainer('Monte Carlo over lead-time outcomes: (ROP, EOQ) per supplier, common demand paths, lost sales', {
    'demand.dailyMean': d,
    'demand.dailySd': sd,
    price,
    holdingRate,
    serviceLevel,
    reorderPointBasis: basis,
    lostSalePenalty: penalty,
    horizonDays: H,
    seed,
    runs,
  });
  for (const [k, p] of policies.entries()) {
    ex.input(
      `suppliers[${k}]`,
      `${p.name}: unit ${p.unitCost}, lead time ${p.ltMean}±${p.ltSd.toFixed(2)} d, on time ${((1 - p.lateP) * 100).toFixed(1)}%, late +${p.lateMean.toFixed(1)} d, K ${p.orderCost}`,
    );
  }
  for (const o of outcomes) {
    ex.step(`${o.name}: effective lead time mean / sd`, `${o.effectiveLeadTimeMean.toFixed(2)} / ${o.effectiveLeadTimeSd.toFixed(2)} d`)
      .step(`${o.name}: Q (EOQ) / ROP / SS`, `${o.orderQuantity.toFixed(1)} / ${o.reorderPoint.toFixed(1)} / ${o.safetyStock.toFixed(1)}`)
      .step(`${o.name}: expected profit`, o.expectedProfit)
      .step(`${o.name}: profit P10 / P90`, `${o.profitP10.toFixed(0)} / ${o.profitP90.toFixed(0)}`)
      .step(`${o.name}: stockout days (mean, P90)`, `${o.expectedStockoutDays.toFixed(2)}, ${o.stockoutDaysP90.toFixed(0)}`)
      .step(`${o.name}: fill rate`, o.fillRate);
  }
  ex.step('recommended', pick.name, reason)
    .note('Late deliveries: with probability 1 − on-time rate an exponential delay (mean lateDelayDays) is added to a normal lead time.')
    .note(
      basis === 'EFFECTIVE'
        ? 'The reorder point is planned on the effective lead-time mean and sd (normal approximation); the delay tail is what that approximation misses.'
        : 'The reorder point is planned on the quoted lead time only; late deliveries are not buffered.',
    )
    .note('Every run starts just after a delivery (on hand = SS + Q); all suppliers see the same demand paths.');
  return { suppliers: outcomes, recommended: pick.name, reason, seed, runs, horizonDays: H, explanation: ex.build() };
}

function policiesByName(ps: Policy[], name: string): Policy {
  return ps.find((p) => p.name === name) as Policy;
}
