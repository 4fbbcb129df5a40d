/**
 * The replenishment plan for one own SKU: safety stock by the max-minus-average rule (max daily ×
 * max lead time − avg daily × avg lead time) and by the service-level rule side by side, reorder
 * point, order quantity by peak coverage (peak demand × coefficient − position) and by EOQ, rounded
 * to MOQ / case pack and capped by storage, order-by date, days of cover, projected stockout and
 * expected fill rate. Pure: `today` is an input, and every number is traceable in `explanation`.
 * The steps and their formulas live in planSteps.ts; the types in planTypes.ts.
 */
import { Explainer } from '../explain';
import { isoFromEpochDay, toEpochDay } from './dates';
import { leadTime as combineLeadTime, type LeadTimeResult } from './leadTime';
import {
  type CheckedPromotion,
  chooseSafetyStock,
  defaultPeakCoefficient,
  demandCv,
  type DemandProfile,
  demandProfile,
  eoqBatches,
  expectedFillRate,
  fillRateCycleQuantity,
  fillRateOption,
  type LeadTimeDemand,
  leadTimeDemand,
  maxMinusAverageInputs,
  maxMinusAverageRaw,
  orderByProjection,
  peakCoverageQuantity,
  peakDemandOver,
  type PlanEoq,
  planEoq,
  quantityWarnings,
  round,
  type ScheduledOrder,
  scheduleWarnings,
  stockoutProjection,
  wholeDays,
} from './planSteps';
import type {
  AbcClass,
  DayInput,
  EoqQuantityOption,
  PlanDemand,
  Promotion,
  QuantityMethod,
  QuantityOptions,
  ReplenishmentPlan,
  ReplenishmentPlanInput,
  SafetyStockMethod,
  SafetyStockOptions,
} from './planTypes';
import { type RoundedQuantity, roundOrderQuantity } from './rounding';
import { cycleServiceLevel, daysOfCover as coverDays, expectedShortagePerCycle, zScore } from './safetyStock';
import { finite, nonNegative, object, openProbability, positive, positiveInteger } from './validate';

/** Safety-stock multiplier by ABC class: class A, the most valuable SKUs, carries a 20 % larger buffer. */
const ABC_MULTIPLIER: Record<AbcClass, number> = { A: 1.2, B: 1, C: 1 };
const SAFETY_STOCK_METHODS: SafetyStockMethod[] = ['SERVICE_LEVEL', 'MAX_MINUS_AVERAGE', 'FILL_RATE', 'MAX'];
const QUANTITY_METHODS: QuantityMethod[] = ['PEAK_COVERAGE', 'EOQ'];

/** Validated inputs with their defaults. */
interface PlanInputs {
  inp: ReplenishmentPlanInput;
  today: number;
  dem: PlanDemand;
  forecast: number[] | undefined;
  sdDaily: number;
  meanDaily: number;
  onHand: number;
  orders: ScheduledOrder[];
  lt: LeadTimeResult;
  serviceLevel: number;
  fillRateTarget: number | undefined;
  method: SafetyStockMethod;
  quantityMethod: QuantityMethod;
  abc: AbcClass;
  moq: number | undefined;
  casePack: number | undefined;
  storageLimit: number | undefined;
  horizon: number;
  reviewDays: number;
  promo: CheckedPromotion | undefined;
  /** `promotion` then `promotions`, checked. */
  promos: CheckedPromotion[];
}

/** The safety stock the plan uses, with every option and the reorder point built on it. */
interface SafetyStockChoice {
  safetyStock: number;
  reason: string;
  reorderPoint: number;
}

/** Peak-coverage quantity before rounding, with the position it is netted against. */
interface PeakCoverage {
  inTransit: number;
  position: number;
  coverage: number;
  peakDemand: number;
  coefficient: number;
  raw: number;
}

/** Projected dates as epoch days. */
interface Schedule {
  orderByDay: number | null;
  positionAtOrder: number;
  stockoutDay: number | null;
  orderNow: boolean;
  arrivalDay: number | null;
}

export function replenishmentPlan(input: ReplenishmentPlanInput): ReplenishmentPlan {
  const c = readInputs(object('input', input) as unknown as ReplenishmentPlanInput);
  const warnings: string[] = [];
  const ex = new Explainer(
    'Replenishment plan: SS (max-minus-average & service level), ROP = d̄·L̄ + SS, order = peak × coefficient − (on hand + in transit)',
  );
  explainInputs(c, ex);
  const profile = demandProfile(c.meanDaily, c.forecast, c.promos, c.today);
  const ltd = explainedLeadTimeDemand(c, profile, ex);
  const mma = maxMinusAverageInputs(
    {
      maxLeadTimeDays: c.inp.maxLeadTimeDays,
      demandMax: c.dem.max,
      L: c.lt.mean,
      leadTimeSd: c.lt.sd,
      meanDaily: c.meanDaily,
      sdDaily: c.sdDaily,
      ltd,
    },
    ex,
    warnings,
  );
  const mmaRaw = maxMinusAverageRaw(mma.maxDaily, mma.maxLeadTime, ltd.daily, c.lt.mean, ex);
  const z = zScore(c.serviceLevel);
  const slRaw = z * ltd.sd;
  ex.step('z = Φ⁻¹(service level)', z).step('service-level SS = z·σ_LTD', slRaw);
  const eoqQ = planEoq(c.inp, c.meanDaily, ex);
  const peak = explainedPeakCoverage(c, profile.demandOn, ex);
  const abcMult = ABC_MULTIPLIER[c.abc];
  const options: SafetyStockOptions = {
    maxMinusAverage: { raw: mmaRaw, value: Math.max(0, mmaRaw * abcMult), ...mma, avgDaily: ltd.daily, avgLeadTime: c.lt.mean },
    serviceLevel: { raw: slRaw, value: Math.max(0, slRaw * abcMult), serviceLevel: c.serviceLevel, z },
    fillRate:
      c.fillRateTarget === undefined
        ? null
        : fillRateOption(
            c.fillRateTarget,
            fillRateCycleQuantity(eoqQ?.quantity ?? null, peak.raw, ltd.daily, peak.coverage),
            ltd.sd,
            abcMult,
            ex,
          ),
  };
  const choice = explainedSafetyStock(c, options, ltd, ex);
  const schedule = explainedSchedule(c, peak.position, choice, profile.demandOn, ex, warnings);
  const { quantityOptions, chosen, headroom } = explainedQuantities(c, peak, choice, schedule, eoqQ, ex, warnings);
  const doc = coverDays(Math.max(c.onHand, 0), peak.inTransit, ltd.daily);
  const cycleQ = chosen.quantity > 0 ? chosen.quantity : (eoqQ?.quantity ?? null);
  const esc = expectedShortagePerCycle(choice.safetyStock, ltd.sd);
  const csl = cycleServiceLevel(choice.safetyStock, ltd.sd);
  const fr = expectedFillRate(esc, cycleQ);
  ex.step('days of cover = (on hand + in transit) / d̄', Number.isFinite(doc) ? doc : null)
    .step('cycle service level Φ(SS/σ_LTD)', csl)
    .step('expected shortage per cycle σ_LTD·G(SS/σ_LTD)', esc)
    .step('expected fill rate 1 − ESC/Q', fr, cycleQ ? `Q = ${round(cycleQ)}` : 'no order quantity');

  const iso = (day: number | null) => (day === null ? null : isoFromEpochDay(day));
  return {
    sku: c.inp.sku ?? null,
    today: isoFromEpochDay(c.today),
    leadTimeDays: c.lt.mean,
    leadTimeSd: c.lt.sd,
    maxLeadTimeDays: mma.maxLeadTime,
    leadTimeDailyDemand: ltd.daily,
    leadTimeDemandMean: ltd.mean,
    leadTimeDemandSd: ltd.sd,
    safetyStock: choice.safetyStock,
    safetyStockMethod: c.method,
    safetyStockReason: choice.reason,
    abcMultiplier: abcMult,
    safetyStockOptions: options,
    reorderPoint: choice.reorderPoint,
    onHand: c.onHand,
    inTransit: peak.inTransit,
    stockPosition: peak.position,
    orderQuantity: chosen.quantity,
    quantityMethod: c.quantityMethod,
    quantityOptions,
    storageHeadroom: headroom,
    orderByDate: iso(schedule.orderByDay),
    orderNow: schedule.orderNow,
    daysUntilOrderBy: schedule.orderByDay === null ? null : schedule.orderByDay - c.today,
    expectedArrivalDate: iso(schedule.arrivalDay),
    daysOfCover: Number.isFinite(doc) ? doc : null,
    projectedStockoutDate: iso(schedule.stockoutDay),
    expectedFillRate: fr,
    cycleServiceLevel: csl,
    expectedShortagePerCycle: esc,
    warnings,
    explanation: ex.build(),
  };
}

/** Validates the inputs (errors name the field) and applies the defaults. */
function readInputs(inp: ReplenishmentPlanInput): PlanInputs {
  const today = toEpochDay('today', inp.today);
  const dem = object('demand', inp.demand) as unknown as PlanDemand;
  const forecast = dem.forecast === undefined ? undefined : checkForecast(dem.forecast);
  const sdDaily = nonNegative('demand.sd', dem.sd);
  let meanDaily: number;
  if (dem.mean !== undefined) meanDaily = nonNegative('demand.mean', dem.mean);
  else if (forecast) meanDaily = forecast.reduce((s, v) => s + v, 0) / forecast.length;
  else throw new RangeError('demand.mean is required unless demand.forecast is given');
  const onHand = finite('onHand', inp.onHand);
  const orders = (inp.openPurchaseOrders ?? []).map((po, k) => {
    const o = object(`openPurchaseOrders[${k}]`, po);
    return {
      quantity: nonNegative(`openPurchaseOrders[${k}].quantity`, o.quantity),
      day: toEpochDay(`openPurchaseOrders[${k}].arrival`, o.arrival as DayInput),
    };
  });
  const lt = combineLeadTime(inp.leadTime);
  const serviceLevel = inp.serviceLevel === undefined ? 0.95 : openProbability('serviceLevel', inp.serviceLevel);
  const fillRateTarget = inp.fillRateTarget === undefined ? undefined : openProbability('fillRateTarget', inp.fillRateTarget);
  const method: SafetyStockMethod = inp.safetyStockMethod ?? 'SERVICE_LEVEL';
  if (!SAFETY_STOCK_METHODS.includes(method)) {
    throw new RangeError(`safetyStockMethod must be SERVICE_LEVEL, MAX_MINUS_AVERAGE, FILL_RATE or MAX, got ${String(method)}`);
  }
  if (method === 'FILL_RATE' && fillRateTarget === undefined)
    throw new RangeError('fillRateTarget is required when safetyStockMethod is FILL_RATE');
  const quantityMethod: QuantityMethod = inp.quantityMethod ?? 'PEAK_COVERAGE';
  if (!QUANTITY_METHODS.includes(quantityMethod))
    throw new RangeError(`quantityMethod must be PEAK_COVERAGE or EOQ, got ${String(quantityMethod)}`);
  const abc: AbcClass = inp.abcClass ?? 'B';
  if (!(abc in ABC_MULTIPLIER)) throw new RangeError(`abcClass must be A, B or C, got ${String(abc)}`);
  const moq = inp.moq === undefined ? undefined : nonNegative('moq', inp.moq);
  const casePack = inp.casePack === undefined ? undefined : positiveInteger('casePack', inp.casePack);
  const storageLimit = inp.storageLimit === undefined ? undefined : nonNegative('storageLimit', inp.storageLimit);
  const horizon = inp.horizonDays === undefined ? 365 : positiveInteger('horizonDays', inp.horizonDays);
  if (horizon > 3660) throw new RangeError(`horizonDays must be ≤ 3660, got ${horizon}`);
  const reviewDays = inp.reviewPeriodDays === undefined ? 14 : nonNegative('reviewPeriodDays', inp.reviewPeriodDays);
  const promo = inp.promotion === undefined ? undefined : checkPromotion(inp.promotion);
  if (inp.promotions !== undefined && !Array.isArray(inp.promotions)) throw new TypeError('promotions must be an array');
  const promos = [...(promo ? [promo] : []), ...(inp.promotions ?? []).map((p, i) => checkPromotion(p, `promotions[${i}]`))];
  return {
    inp,
    today,
    dem,
    forecast,
    sdDaily,
    meanDaily,
    onHand,
    orders,
    lt,
    serviceLevel,
    fillRateTarget,
    method,
    quantityMethod,
    abc,
    moq,
    casePack,
    storageLimit,
    horizon,
    reviewDays,
    promo: promos[0],
    promos,
  };
}

/** Records every input, as given or defaulted, in the explanation. */
function explainInputs(c: PlanInputs, ex: Explainer): void {
  const { inp, dem, promo } = c;
  const day = (d: number | undefined) => (d === undefined ? null : isoFromEpochDay(d));
  ex.input('sku', inp.sku ?? null)
    .input('today', isoFromEpochDay(c.today))
    .input('demand.mean', c.meanDaily)
    .input('demand.sd', c.sdDaily)
    .input('demand.max', dem.max ?? null)
    .input('demand.peak', dem.peak ?? null)
    .input('demand.forecastDays', c.forecast ? c.forecast.length : null)
    .input('onHand', c.onHand)
    .input('openPurchaseOrders', c.orders.map((p) => `${p.quantity}@${isoFromEpochDay(p.day)}`).join(', ') || null)
    .input('serviceLevel', c.serviceLevel)
    .input('fillRateTarget', c.fillRateTarget ?? null)
    .input('abcClass', c.abc)
    .input('promotion.uplift', promo?.uplift ?? null)
    .input('promotion.start', day(promo?.start))
    .input('promotion.end', day(promo?.end))
    .input(
      'promotions',
      c.promos.length > 1 ? c.promos.map((p) => `+${p.uplift * 100}% ${day(p.start) ?? '…'} to ${day(p.end) ?? '…'}`).join(', ') : null,
    )
    .input('moq', c.moq ?? null)
    .input('casePack', c.casePack ?? null)
    .input('storageLimit', c.storageLimit ?? null)
    .input('orderCost', inp.orderCost ?? null)
    .input('holdingRate', inp.holdingRate ?? null)
    .input('unitCost', inp.unitCost ?? null)
    .input('tiers', inp.tiers?.map((t) => `≥ ${t.minQuantity} @ ${t.unitCost}`).join(', ') || null)
    .input('maxLeadTimeDays', inp.maxLeadTimeDays ?? null)
    .input('peakCoefficient', inp.peakCoefficient ?? null)
    .input('peakDemand', inp.peakDemand ?? null)
    .input('coverageDays', inp.coverageDays ?? null)
    .input('reviewPeriodDays', c.reviewDays)
    .input('safetyStockMethod', c.method)
    .input('quantityMethod', c.quantityMethod)
    .input('horizonDays', c.horizon);
  for (const [name, s] of Object.entries(c.lt.stages)) ex.input(`leadTime.${name}`, `mean ${s.mean} d, sd ${s.sd} d`);
}

/** Lead time and lead-time demand (see leadTimeDemand), explained. */
function explainedLeadTimeDemand(c: PlanInputs, profile: DemandProfile, ex: Explainer): LeadTimeDemand {
  ex.step('L̄ = Σ stage means (days)', c.lt.mean).step('σ_L = √Σ stage variances (days)', c.lt.sd);
  const ltd = leadTimeDemand(c.lt.mean, c.lt.sd, c.sdDaily, profile);
  ex.step('d̄ over the lead time (units/day)', ltd.daily, c.forecast ? 'from the forecast' : 'mean demand')
    .step('lead-time demand d̄·L̄', ltd.mean)
    .step('promotion uplift factor over the lead time', ltd.upliftFactor)
    .step('σ_d used (sd × uplift factor)', ltd.dailySd)
    .step('σ_LTD = √(L̄·σ_d² + d̄²·σ_L²)', ltd.sd);
  for (const promo of c.promos)
    ex.note(
      `Promotion uplift +${promo.uplift * 100}% raises demand on its days, so the reorder point rises by the same proportion (the lead-time demand carries the uplift).`,
    );
  return ltd;
}

/** Peak-coverage quantity as of today: coverage defaults to ⌈L̄⌉ + review period, the coefficient to the CV rule. */
function explainedPeakCoverage(c: PlanInputs, demandOn: (k: number) => number, ex: Explainer): PeakCoverage {
  const { inp, dem } = c;
  const inTransit = c.orders.reduce((s, p) => s + p.quantity, 0);
  const position = c.onHand + inTransit;
  const cv = demandCv(c.meanDaily, c.sdDaily);
  const coefficient = inp.peakCoefficient === undefined ? defaultPeakCoefficient(cv) : positive('peakCoefficient', inp.peakCoefficient);
  const coverage = inp.coverageDays === undefined ? wholeDays(c.lt.mean) + c.reviewDays : nonNegative('coverageDays', inp.coverageDays);
  const peakDemand =
    inp.peakDemand !== undefined
      ? nonNegative('peakDemand', inp.peakDemand)
      : peakDemandOver(coverage, dem.peak === undefined ? undefined : nonNegative('demand.peak', dem.peak), demandOn);
  const raw = peakCoverageQuantity(peakDemand, coefficient, position);
  const peakSource =
    inp.peakDemand !== undefined ? 'given' : dem.peak === undefined ? 'daily demand (uplift incl.) summed' : 'demand.peak × coverage days';
  ex.step('on hand + in transit (stock position)', position, `${c.onHand} + ${inTransit}`)
    .step('coverage days', coverage, inp.coverageDays === undefined ? `⌈L̄⌉ + review period ${c.reviewDays}` : 'given')
    .step('peak demand over the coverage', peakDemand, peakSource)
    .step('peak coefficient', coefficient, inp.peakCoefficient === undefined ? `default for CV ${round(cv)}` : 'given')
    .step('peak-coverage quantity = peak × coefficient − position', raw, 'as of today');
  return { inTransit, position, coverage, peakDemand, coefficient, raw };
}

/** The safety stock the method selects and the reorder point ROP = d̄·L̄ + SS, explained. */
function explainedSafetyStock(c: PlanInputs, options: SafetyStockOptions, ltd: LeadTimeDemand, ex: Explainer): SafetyStockChoice {
  const { safetyStock, reason } = chooseSafetyStock(c.method, options, c.serviceLevel, c.fillRateTarget);
  const abcMult = ABC_MULTIPLIER[c.abc];
  if (abcMult !== 1) ex.note(`ABC class ${c.abc}: safety stock × ${abcMult} (class A gets a 20% larger buffer).`);
  ex.step('ABC multiplier', abcMult).step(`safety stock used (${c.method})`, safetyStock, reason);
  const reorderPoint = ltd.mean + safetyStock;
  ex.step('reorder point ROP = d̄·L̄ + SS', reorderPoint);
  return { safetyStock, reason, reorderPoint };
}

/** Order-by date, projected stockout and expected arrival (order-by or today, + ⌈L̄⌉), explained and warned about. */
function explainedSchedule(
  c: PlanInputs,
  position: number,
  choice: SafetyStockChoice,
  demandOn: (k: number) => number,
  ex: Explainer,
  warnings: string[],
): Schedule {
  const at = (k: number | null) => (k === null ? null : c.today + k);
  const orderBy = orderByProjection(position, choice.reorderPoint, choice.safetyStock, c.lt.mean, c.horizon, demandOn);
  const orderByDay = at(orderBy.daysFromToday);
  const stockoutDay = at(stockoutProjection(c.onHand, c.orders, c.today, c.horizon, demandOn));
  const orderNow = orderByDay !== null && orderByDay <= c.today;
  const arrivalDay = orderByDay === null ? null : Math.max(orderByDay, c.today) + wholeDays(c.lt.mean);
  ex.step(
    'order-by date (position reaches ROP)',
    orderByDay === null ? null : isoFromEpochDay(orderByDay),
    orderByDay === null ? `not within ${c.horizon} days` : orderNow ? 'ORDER NOW' : undefined,
  ).step('projected stockout date (no new order)', stockoutDay === null ? null : isoFromEpochDay(stockoutDay));
  ex.note(
    'Order-by = the day on hand + in transit falls to ROP; ROP already holds the lead-time demand, so this is the day stock would reach the safety stock minus the lead time.',
  );
  ex.note('For later days the ROP rolls: demand over the lead time that would follow that day (promotion and forecast included) + SS.');
  scheduleWarnings({ today: c.today, orders: c.orders, orderByDay, stockoutDay, arrivalDay, orderNow }, warnings);
  return { orderByDay, positionAtOrder: orderBy.positionAtOrder, stockoutDay, orderNow, arrivalDay };
}

/**
 * Both order quantities rounded to MOQ and case pack and capped by the storage headroom, explained.
 * Headroom = storage limit − position at the moment of ordering (≈ ROP on a future order-by date),
 * assuming no sales during the lead time: the conservative reading.
 */
function explainedQuantities(
  c: PlanInputs,
  peak: PeakCoverage,
  choice: SafetyStockChoice,
  schedule: Schedule,
  eoqQ: PlanEoq | null,
  ex: Explainer,
  warnings: string[],
): { quantityOptions: QuantityOptions; chosen: RoundedQuantity; headroom: number | null } {
  let headroom: number | null = null;
  if (c.storageLimit !== undefined) {
    headroom = c.storageLimit - schedule.positionAtOrder;
    ex.step('storage headroom = limit − position at ordering', headroom);
  }
  const constraints = { moq: c.moq, casePack: c.casePack, maxQuantity: headroom ?? undefined };
  const peakRounded = roundOrderQuantity(peak.raw, constraints);
  let eoqOption: EoqQuantityOption | null = null;
  if (eoqQ !== null) {
    const n = eoqBatches(schedule.orderNow, choice.reorderPoint, peak.position, eoqQ.quantity);
    const raw = n * eoqQ.quantity;
    eoqOption = { raw, rounded: roundOrderQuantity(raw, constraints), eoq: eoqQ.quantity, unitCost: eoqQ.unitCost, tier: eoqQ.tier };
    ex.step('EOQ-based quantity (whole EOQ batches lifting the position above ROP)', raw, `${n} × ${round(eoqQ.quantity)}`);
  }
  ex.step('peak-coverage quantity rounded', peakRounded.quantity, peakRounded.notes.join('; ') || 'no rounding');
  if (eoqOption) ex.step('EOQ-based quantity rounded', eoqOption.rounded.quantity, eoqOption.rounded.notes.join('; ') || 'no rounding');
  if (c.quantityMethod === 'EOQ' && !eoqOption)
    throw new RangeError('quantityMethod EOQ needs orderCost, holdingRate, unitCost and demand > 0');
  const chosen = c.quantityMethod === 'EOQ' ? (eoqOption as EoqQuantityOption).rounded : peakRounded;
  ex.step(`order quantity (${c.quantityMethod})`, chosen.quantity);
  quantityWarnings(chosen, c.quantityMethod, schedule.orderNow, warnings);
  const peakCoverage = { raw: peak.raw, rounded: peakRounded, peakDemand: peak.peakDemand, coefficient: peak.coefficient };
  return { quantityOptions: { peakCoverage, eoq: eoqOption }, chosen, headroom };
}

function checkForecast(f: unknown): number[] {
  if (!Array.isArray(f) || f.length === 0) throw new TypeError('demand.forecast must be a non-empty array of daily units');
  return f.map((v, k) => nonNegative(`demand.forecast[${k}]`, v));
}

function checkPromotion(p: Promotion, field = 'promotion'): CheckedPromotion {
  const o = object(field, p);
  const uplift = finite(`${field}.uplift`, o.uplift);
  if (uplift <= -1) throw new RangeError(`${field}.uplift must be > −1 (a fraction, 0.3 = +30%), got ${uplift}`);
  const start = o.start === undefined ? undefined : toEpochDay(`${field}.start`, o.start as DayInput);
  const end = o.end === undefined ? undefined : toEpochDay(`${field}.end`, o.end as DayInput);
  if (start !== undefined && end !== undefined && end < start) throw new RangeError(`${field}.end must not be before ${field}.start`);
  return { uplift, start, end };
}
