/**
 * The replenishment plan for one own SKU (BRIEF §4, §5; DESIGN §5): safety stock by the brief's
 * rule and by the service-level rule side by side, reorder point, order quantity by the brief's
 * rule (peak demand × coefficient − position) and by EOQ, rounded to MOQ / case pack and capped by
 * storage, order-by date, days of cover, projected stockout and expected fill rate. Pure: `today`
 * is an input, and every number is traceable in `explanation`.
 */
import { Explainer, type Explanation } from '../explain';
import { isoFromEpochDay, toEpochDay } from './dates';
import { eoq, type PriceTier } from './eoq';
import { leadTime as combineLeadTime, type LeadTimeComponents } from './leadTime';
import { roundOrderQuantity, type RoundedQuantity } from './rounding';
import {
  briefSafetyStock,
  cycleServiceLevel,
  daysOfCover as coverDays,
  expectedShortagePerCycle,
  fillRateSafetyFactor,
  zScore,
} from './safetyStock';
import { finite, nonNegative, object, openProbability, positive, positiveInteger } from './validate';

export type AbcClass = 'A' | 'B' | 'C';
/** Which safety stock the plan uses; MAX takes the larger of those computed. */
export type SafetyStockMethod = 'SERVICE_LEVEL' | 'BRIEF' | 'FILL_RATE' | 'MAX';
/** Which order quantity becomes `orderQuantity`. */
export type QuantityMethod = 'BRIEF' | 'EOQ';
export type DayInput = string | number;

export interface PlanDemand {
  /** Mean units per day (optional when `forecast` is given: then its average). */
  mean?: number;
  /** Sd of daily demand (forecast error when planning on a forecast). */
  sd: number;
  /** Largest daily demand observed (the brief's "max daily"); default mean + 3·sd. */
  max?: number;
  /** Expected daily demand at the peak (deal days) for the brief's order rule; default: the day's forecast or mean. */
  peak?: number;
  /** Expected units for day today + k, k = 0, 1, … (beyond its end the mean is used). */
  forecast?: number[];
}

export interface OpenPurchaseOrder {
  quantity: number;
  /** Expected arrival: ISO date or epoch day. A date before today counts as arriving today (overdue). */
  arrival: DayInput;
}

export interface Promotion {
  /** Demand uplift as a fraction: 0.3 = +30 %. */
  uplift: number;
  /** First and last day of the uplift (inclusive). Omitted = from today / open-ended. */
  start?: DayInput;
  end?: DayInput;
}

export interface ReplenishmentPlanInput {
  sku?: string;
  /** The plan date: ISO `YYYY-MM-DD` or epoch day. */
  today: DayInput;
  demand: PlanDemand;
  onHand: number;
  openPurchaseOrders?: OpenPurchaseOrder[];
  leadTime: LeadTimeComponents;
  /** Longest lead time seen (the brief's "max lead time"); default L̄ + 3·σ_L. */
  maxLeadTimeDays?: number;
  /** Cycle service level for the service-level rule. Default 0.95. */
  serviceLevel?: number;
  /** Fill-rate target for the loss-function variant (computed when given). */
  fillRateTarget?: number;
  safetyStockMethod?: SafetyStockMethod;
  quantityMethod?: QuantityMethod;
  abcClass?: AbcClass;
  promotion?: Promotion;
  /** The brief's 预警系数 on peak demand; default 1.2 (1.3 when demand CV ≥ 0.5). */
  peakCoefficient?: number;
  /** Total units the brief's rule must cover; default: daily peak demand summed over `coverageDays`. */
  peakDemand?: number;
  /** Days the brief's order covers; default ⌈L̄⌉ + reviewPeriodDays. */
  coverageDays?: number;
  /** Days until the next planned review. Default 14. */
  reviewPeriodDays?: number;
  moq?: number;
  casePack?: number;
  /** Most units the warehouse can hold for this SKU. */
  storageLimit?: number;
  /** EOQ inputs: fixed cost per order, annual holding rate, unit cost and optional all-units tiers. */
  orderCost?: number;
  holdingRate?: number;
  unitCost?: number;
  tiers?: PriceTier[];
  /** Days projected forward for the order-by and stockout dates. Default 365. */
  horizonDays?: number;
}

export interface SafetyStockOption {
  /** After the ABC multiplier and clamping at 0. */
  value: number;
  /** Before the ABC multiplier. */
  raw: number;
}

export interface QuantityOption {
  raw: number;
  rounded: RoundedQuantity;
}

export interface ReplenishmentPlan {
  sku: string | null;
  today: string;
  leadTimeDays: number;
  leadTimeSd: number;
  maxLeadTimeDays: number;
  /** Mean daily demand over the coming lead time, promotion uplift included. */
  leadTimeDailyDemand: number;
  leadTimeDemandMean: number;
  /** σ_LTD = √(L̄σ_d² + d̄²σ_L²). */
  leadTimeDemandSd: number;
  safetyStock: number;
  safetyStockMethod: SafetyStockMethod;
  safetyStockReason: string;
  abcMultiplier: number;
  safetyStockOptions: {
    brief: SafetyStockOption & { maxDaily: number; maxLeadTime: number; avgDaily: number; avgLeadTime: number };
    serviceLevel: SafetyStockOption & { serviceLevel: number; z: number };
    fillRate: (SafetyStockOption & { fillRate: number; k: number; cycleQuantity: number }) | null;
  };
  reorderPoint: number;
  onHand: number;
  inTransit: number;
  stockPosition: number;
  orderQuantity: number;
  quantityMethod: QuantityMethod;
  quantityOptions: {
    brief: QuantityOption & { peakDemand: number; coefficient: number };
    eoq: (QuantityOption & { eoq: number; unitCost: number; tier: number | null }) | null;
  };
  /** Largest order that fits the storage limit, or null without a limit. */
  storageHeadroom: number | null;
  /** Day the stock position reaches the reorder point (may be in the past); null if not within the horizon. */
  orderByDate: string | null;
  orderNow: boolean;
  /** Negative when overdue. */
  daysUntilOrderBy: number | null;
  /** When an order placed on the order-by date is expected (order-by + ⌈L̄⌉; today + ⌈L̄⌉ when overdue). */
  expectedArrivalDate: string | null;
  /** (on hand + in transit) / mean daily demand over the lead time; null at zero demand. */
  daysOfCover: number | null;
  /** First day the projected on-hand stock (open POs on their dates, no new order) cannot meet demand. */
  projectedStockoutDate: string | null;
  expectedFillRate: number | null;
  cycleServiceLevel: number;
  expectedShortagePerCycle: number;
  warnings: string[];
  explanation: Explanation;
}

const ABC_MULTIPLIER: Record<AbcClass, number> = { A: 1.2, B: 1, C: 1 };

export function replenishmentPlan(input: ReplenishmentPlanInput): ReplenishmentPlan {
  const inp = object('input', input) as unknown as ReplenishmentPlanInput;
  const today = toEpochDay('today', inp.today);
  const warnings: string[] = [];
  const ex = new Explainer(
    'Replenishment plan: SS (brief & service level), ROP = d̄·L̄ + SS, order = peak × coefficient − (on hand + in transit)',
  );

  // ——— Inputs ———
  const dem = object('demand', inp.demand) as unknown as PlanDemand;
  const forecast = dem.forecast === undefined ? undefined : checkForecast(dem.forecast);
  const sdDaily = nonNegative('demand.sd', dem.sd);
  let meanDaily: number;
  if (dem.mean !== undefined) meanDaily = nonNegative('demand.mean', dem.mean);
  else if (forecast) meanDaily = forecast.reduce((s, v) => s + v, 0) / forecast.length;
  else throw new RangeError('demand.mean is required unless demand.forecast is given');
  const onHand = finite('onHand', inp.onHand);
  const pos = (inp.openPurchaseOrders ?? []).map((po, k) => {
    const o = object(`openPurchaseOrders[${k}]`, po);
    return {
      quantity: nonNegative(`openPurchaseOrders[${k}].quantity`, o.quantity),
      day: toEpochDay(`openPurchaseOrders[${k}].arrival`, o.arrival as DayInput),
    };
  });
  const lt = combineLeadTime(inp.leadTime);
  const L = lt.mean;
  const Lceil = Math.ceil(L - 1e-9);
  const serviceLevel = inp.serviceLevel === undefined ? 0.95 : openProbability('serviceLevel', inp.serviceLevel);
  const fillRateTarget = inp.fillRateTarget === undefined ? undefined : openProbability('fillRateTarget', inp.fillRateTarget);
  const method: SafetyStockMethod = inp.safetyStockMethod ?? 'SERVICE_LEVEL';
  if (!['SERVICE_LEVEL', 'BRIEF', 'FILL_RATE', 'MAX'].includes(method)) {
    throw new RangeError(`safetyStockMethod must be SERVICE_LEVEL, BRIEF, FILL_RATE or MAX, got ${String(method)}`);
  }
  if (method === 'FILL_RATE' && fillRateTarget === undefined)
    throw new RangeError('fillRateTarget is required when safetyStockMethod is FILL_RATE');
  const quantityMethod: QuantityMethod = inp.quantityMethod ?? 'BRIEF';
  if (quantityMethod !== 'BRIEF' && quantityMethod !== 'EOQ')
    throw new RangeError(`quantityMethod must be BRIEF or EOQ, got ${String(quantityMethod)}`);
  const abc: AbcClass = inp.abcClass ?? 'B';
  if (!(abc in ABC_MULTIPLIER)) throw new RangeError(`abcClass must be A, B or C, got ${String(abc)}`);
  const moq = inp.moq === undefined ? undefined : nonNegative('moq', inp.moq);
  const casePack = inp.casePack === undefined ? undefined : positiveInteger('casePack', inp.casePack);
  const storageLimit = inp.storageLimit === undefined ? undefined : nonNegative('storageLimit', inp.storageLimit);
  const horizon = inp.horizonDays === undefined ? 365 : positiveInteger('horizonDays', inp.horizonDays);
  if (horizon > 3660) throw new RangeError(`horizonDays must be ≤ 3660, got ${horizon}`);
  const reviewDays = inp.reviewPeriodDays === undefined ? 14 : nonNegative('reviewPeriodDays', inp.reviewPeriodDays);
  const promo = inp.promotion === undefined ? undefined : checkPromotion(inp.promotion);

  ex.input('sku', inp.sku ?? null)
    .input('today', isoFromEpochDay(today))
    .input('demand.mean', meanDaily)
    .input('demand.sd', sdDaily)
    .input('demand.max', dem.max ?? null)
    .input('demand.peak', dem.peak ?? null)
    .input('demand.forecastDays', forecast ? forecast.length : null)
    .input('onHand', onHand)
    .input('openPurchaseOrders', pos.map((p) => `${p.quantity}@${isoFromEpochDay(p.day)}`).join(', ') || null)
    .input('serviceLevel', serviceLevel)
    .input('fillRateTarget', fillRateTarget ?? null)
    .input('abcClass', abc)
    .input('promotion.uplift', promo?.uplift ?? null)
    .input('promotion.start', promo?.start === undefined ? null : isoFromEpochDay(promo.start))
    .input('promotion.end', promo?.end === undefined ? null : isoFromEpochDay(promo.end))
    .input('moq', moq ?? null)
    .input('casePack', casePack ?? null)
    .input('storageLimit', storageLimit ?? null)
    .input('orderCost', inp.orderCost ?? null)
    .input('holdingRate', inp.holdingRate ?? null)
    .input('unitCost', inp.unitCost ?? null)
    .input('tiers', inp.tiers?.map((t) => `≥ ${t.minQuantity} @ ${t.unitCost}`).join(', ') || null)
    .input('maxLeadTimeDays', inp.maxLeadTimeDays ?? null)
    .input('peakCoefficient', inp.peakCoefficient ?? null)
    .input('peakDemand', inp.peakDemand ?? null)
    .input('coverageDays', inp.coverageDays ?? null)
    .input('reviewPeriodDays', reviewDays)
    .input('safetyStockMethod', method)
    .input('quantityMethod', quantityMethod)
    .input('horizonDays', horizon);
  for (const [name, s] of Object.entries(lt.stages)) ex.input(`leadTime.${name}`, `mean ${s.mean} d, sd ${s.sd} d`);

  // ——— Demand per day, with the promotion uplift ———
  const baseDay = (k: number) => (forecast && k < forecast.length ? forecast[k] : meanDaily);
  const upliftOn = (k: number) => (promo && inPromo(promo, today + k) ? 1 + promo.uplift : 1);
  const demandOn = (k: number) => baseDay(k) * upliftOn(k);

  // ——— Lead time and lead-time demand ———
  ex.step('L̄ = Σ stage means (days)', L).step('σ_L = √Σ stage variances (days)', lt.sd);
  // Expected demand over a lead time that starts on day `start` (the last day counts by its fraction).
  const leadTimeDemandFrom = (start: number, day: (k: number) => number) => {
    let sum = 0;
    for (let k = 0; k < Lceil; k++) sum += Math.min(1, L - k) * day(start + k);
    return sum;
  };
  const ltdMean = leadTimeDemandFrom(0, demandOn);
  const ltdBase = leadTimeDemandFrom(0, baseDay);
  const dL = L > 0 ? ltdMean / L : demandOn(0);
  const upliftFactor = ltdBase > 0 ? ltdMean / ltdBase : upliftOn(0);
  const sdL = sdDaily * upliftFactor; // constant coefficient of variation under the uplift
  const sigmaLTD = Math.sqrt(L * sdL ** 2 + dL ** 2 * lt.sd ** 2);
  ex.step('d̄ over the lead time (units/day)', dL, forecast ? 'from the forecast' : 'mean demand')
    .step('lead-time demand d̄·L̄', ltdMean)
    .step('promotion uplift factor over the lead time', upliftFactor)
    .step('σ_d used (sd × uplift factor)', sdL)
    .step('σ_LTD = √(L̄·σ_d² + d̄²·σ_L²)', sigmaLTD);
  if (promo)
    ex.note(
      `Promotion uplift +${promo.uplift * 100}% raises demand on its days, so the reorder point rises by the same proportion (BRIEF §4.1).`,
    );

  // ——— Safety stock, side by side ———
  const abcMult = ABC_MULTIPLIER[abc];
  let maxLT: number;
  if (inp.maxLeadTimeDays !== undefined) maxLT = nonNegative('maxLeadTimeDays', inp.maxLeadTimeDays);
  else {
    maxLT = L + 3 * lt.sd;
    ex.note('maxLeadTimeDays not given: estimated as L̄ + 3·σ_L.');
  }
  if (maxLT < L) {
    warnings.push(`maxLeadTimeDays ${maxLT} is below the mean lead time ${L}; the mean is used as the maximum`);
    maxLT = L;
  }
  let maxDaily: number;
  if (dem.max !== undefined) maxDaily = nonNegative('demand.max', dem.max) * upliftFactor;
  else {
    maxDaily = (meanDaily + 3 * sdDaily) * upliftFactor;
    ex.note('demand.max not given: estimated as mean + 3·sd (× uplift).');
  }
  if (maxDaily < dL) {
    warnings.push(`max daily demand ${round(maxDaily)} is below the lead-time average ${round(dL)}; the average is used as the maximum`);
    maxDaily = dL;
  }
  const briefSS = briefSafetyStock({ maxDaily, maxLeadTime: maxLT, avgDaily: dL, avgLeadTime: L });
  const z = zScore(serviceLevel);
  const slRaw = z * sigmaLTD;
  ex.step(
    'brief SS = max daily × max LT − avg daily × avg LT',
    briefSS.value,
    `${round(maxDaily)} × ${round(maxLT)} − ${round(dL)} × ${round(L)}`,
  )
    .step('z = Φ⁻¹(service level)', z)
    .step('service-level SS = z·σ_LTD', slRaw);

  // EOQ (needed for the fill-rate cycle quantity and the EOQ-based order).
  let eoqQ: number | null = null;
  let eoqUnitCost = 0;
  let eoqTier: number | null = null;
  const haveCosts = inp.orderCost !== undefined && inp.holdingRate !== undefined && inp.unitCost !== undefined;
  if (haveCosts && meanDaily > 0) {
    const e = eoq({
      annualDemand: meanDaily * 365,
      orderCost: positive('orderCost', inp.orderCost),
      holdingRate: positive('holdingRate', inp.holdingRate),
      unitCost: positive('unitCost', inp.unitCost),
      tiers: inp.tiers,
    });
    eoqQ = e.quantity;
    eoqUnitCost = e.unitCost;
    eoqTier = e.tier;
    ex.step('EOQ = √(2·K·D/(i·c)), D = mean × 365', eoqQ, e.tier === null ? `unit cost ${e.unitCost}` : `tier ${e.tier} at ${e.unitCost}`);
  } else if (!haveCosts) {
    ex.note('orderCost, holdingRate or unitCost missing: no EOQ-based quantity.');
  } else {
    ex.note('Mean demand is 0: no EOQ-based quantity.');
  }

  // ——— Brief's order quantity (needs the position) ———
  const inTransit = pos.reduce((s, p) => s + p.quantity, 0);
  const position = onHand + inTransit;
  const cv = meanDaily > 0 ? sdDaily / meanDaily : 0;
  const coefficient = inp.peakCoefficient === undefined ? (cv >= 0.5 ? 1.3 : 1.2) : positive('peakCoefficient', inp.peakCoefficient);
  const coverage = inp.coverageDays === undefined ? Lceil + reviewDays : nonNegative('coverageDays', inp.coverageDays);
  let peakDemand: number;
  if (inp.peakDemand !== undefined) peakDemand = nonNegative('peakDemand', inp.peakDemand);
  else {
    const peakDaily = dem.peak === undefined ? undefined : nonNegative('demand.peak', dem.peak);
    peakDemand = 0;
    for (let k = 0; k < Math.ceil(coverage - 1e-9); k++) {
      const w = Math.min(1, coverage - k);
      peakDemand += w * (peakDaily ?? demandOn(k));
    }
  }
  const briefRaw = peakDemand * coefficient - position;
  ex.step('on hand + in transit (stock position)', position, `${onHand} + ${inTransit}`)
    .step('coverage days', coverage, inp.coverageDays === undefined ? `⌈L̄⌉ + review period ${reviewDays}` : 'given')
    .step(
      'peak demand over the coverage',
      peakDemand,
      inp.peakDemand === undefined
        ? dem.peak === undefined
          ? 'daily demand (uplift incl.) summed'
          : 'demand.peak × coverage days'
        : 'given',
    )
    .step('peak coefficient', coefficient, inp.peakCoefficient === undefined ? `default for CV ${round(cv)}` : 'given')
    .step('brief quantity = peak × coefficient − position', briefRaw, 'as of today');

  // Fill-rate variant: the cycle quantity is what one order brings in.
  let frOption: ReplenishmentPlan['safetyStockOptions']['fillRate'] = null;
  if (fillRateTarget !== undefined) {
    const cycleQ = eoqQ ?? (briefRaw > 0 ? briefRaw : Math.max(dL * Math.max(coverage, 1), 1));
    if (sigmaLTD > 0) {
      const f = fillRateSafetyFactor({ fillRate: fillRateTarget, orderQuantity: cycleQ, sigma: sigmaLTD });
      frOption = {
        raw: f.safetyStock,
        value: Math.max(0, f.safetyStock * abcMult),
        fillRate: fillRateTarget,
        k: f.k,
        cycleQuantity: cycleQ,
      };
      ex.step(
        'fill-rate SS: σ_LTD·G(k) = (1 − P2)·Q',
        f.safetyStock,
        `Q = ${round(cycleQ)}, G(k) = ${round(f.lossTarget)}, k = ${round(f.k)}`,
      );
    } else {
      frOption = { raw: 0, value: 0, fillRate: fillRateTarget, k: 0, cycleQuantity: cycleQ };
      ex.step('fill-rate SS', 0, 'no variability');
    }
  }

  const options = {
    brief: { raw: briefSS.value, value: Math.max(0, briefSS.value * abcMult), maxDaily, maxLeadTime: maxLT, avgDaily: dL, avgLeadTime: L },
    serviceLevel: { raw: slRaw, value: Math.max(0, slRaw * abcMult), serviceLevel, z },
    fillRate: frOption,
  };
  let ss: number;
  let reason: string;
  switch (method) {
    case 'BRIEF':
      ss = options.brief.value;
      reason = 'brief rule chosen: covers the worst observed day and the longest lead time at once';
      break;
    case 'FILL_RATE':
      ss = (frOption as NonNullable<typeof frOption>).value;
      reason = `fill-rate rule chosen: expected shortage per cycle held to ${round((1 - (fillRateTarget as number)) * 100)}% of the order`;
      break;
    case 'MAX': {
      const cands: [string, number][] = [
        ['brief', options.brief.value],
        ['service level', options.serviceLevel.value],
      ];
      if (frOption) cands.push(['fill rate', frOption.value]);
      const best = cands.reduce((a, b) => (b[1] > a[1] ? b : a));
      ss = best[1];
      reason = `largest of the computed rules (${best[0]}) chosen for caution`;
      break;
    }
    default:
      ss = options.serviceLevel.value;
      reason = `service-level rule chosen: targets a ${round(serviceLevel * 100)}% chance of no stockout per cycle from the measured demand and lead-time variability; the brief's rule stacks two worst cases and is shown for comparison`;
  }
  if (abcMult !== 1) ex.note(`ABC class ${abc}: safety stock × ${abcMult} (BRIEF §4.2: class A gets a 20% larger buffer).`);
  ex.step('ABC multiplier', abcMult).step(`safety stock used (${method})`, ss, reason);

  // ——— Reorder point ———
  const rop = ltdMean + ss;
  ex.step('reorder point ROP = d̄·L̄ + SS', rop);

  // ——— Projection: when the position reaches ROP, when on-hand runs out ———
  let orderByDay: number | null = null;
  let positionAtOrder = position;
  if (position <= rop) {
    // Already at or below ROP: the crossing happened in the past at today's demand rate.
    const rate = demandOn(0);
    const daysAgo = rate > 0 ? Math.floor((rop - position) / rate) : 0;
    orderByDay = today - daysAgo;
  } else {
    // Rolling ROP: an order placed at the end of day k covers the lead time from day k + 1, so a
    // promotion or forecast peak inside that window raises the threshold it is compared with.
    let p = position;
    for (let k = 0; k < horizon; k++) {
      p -= demandOn(k);
      if (p <= leadTimeDemandFrom(k + 1, demandOn) + ss) {
        orderByDay = today + k;
        positionAtOrder = p;
        break;
      }
    }
  }
  let stockoutDay: number | null = null;
  {
    let oh = onHand;
    for (let k = 0; k < horizon; k++) {
      for (const po of pos) if (Math.max(po.day, today) === today + k) oh += po.quantity;
      oh -= demandOn(k);
      if (oh < 0) {
        stockoutDay = today + k;
        break;
      }
    }
  }
  const orderNow = orderByDay !== null && orderByDay <= today;
  const arrivalDay = orderByDay === null ? null : Math.max(orderByDay, today) + Lceil;
  ex.step(
    'order-by date (position reaches ROP)',
    orderByDay === null ? null : isoFromEpochDay(orderByDay),
    orderByDay === null ? `not within ${horizon} days` : orderNow ? 'ORDER NOW' : undefined,
  ).step('projected stockout date (no new order)', stockoutDay === null ? null : isoFromEpochDay(stockoutDay));
  ex.note(
    'Order-by = the day on hand + in transit falls to ROP; ROP already holds the lead-time demand, so this is the day stock would reach the safety stock minus the lead time.',
  );
  ex.note('For later days the ROP rolls: demand over the lead time that would follow that day (promotion and forecast included) + SS.');
  for (const po of pos)
    if (po.day < today)
      warnings.push(`purchase order of ${po.quantity} due ${isoFromEpochDay(po.day)} is overdue; counted as arriving today`);
  if (stockoutDay !== null && arrivalDay !== null && stockoutDay < arrivalDay) {
    warnings.push(
      `projected stockout on ${isoFromEpochDay(stockoutDay)} before a new order could arrive (${isoFromEpochDay(arrivalDay)}): expedite inbound stock`,
    );
  }
  if (orderNow)
    warnings.push(
      orderByDay !== null && orderByDay < today
        ? `order is overdue since ${isoFromEpochDay(orderByDay)}: order now`
        : 'stock position is at the reorder point: order today',
    );

  // ——— Quantities, rounded and capped ———
  // Storage: the position at the moment of ordering (≈ ROP on a future order-by date), assuming no
  // sales during the lead time, must leave room for the order — the conservative reading.
  let headroom: number | null = null;
  if (storageLimit !== undefined) {
    headroom = storageLimit - positionAtOrder;
    ex.step('storage headroom = limit − position at ordering', headroom);
  }
  const constraints = { moq, casePack, maxQuantity: headroom ?? undefined };
  const briefRounded = roundOrderQuantity(briefRaw, constraints);
  let eoqOption: ReplenishmentPlan['quantityOptions']['eoq'] = null;
  if (eoqQ !== null) {
    // (R, nQ): enough whole EOQ batches to lift the position above ROP when ordering now.
    const n = orderNow ? Math.floor(Math.max(rop - position, 0) / eoqQ) + 1 : 1;
    const raw = n * eoqQ;
    eoqOption = { raw, rounded: roundOrderQuantity(raw, constraints), eoq: eoqQ, unitCost: eoqUnitCost, tier: eoqTier };
    ex.step('EOQ-based quantity (whole EOQ batches lifting the position above ROP)', raw, `${n} × ${round(eoqQ)}`);
  }
  ex.step('brief quantity rounded', briefRounded.quantity, briefRounded.notes.join('; ') || 'no rounding');
  if (eoqOption) ex.step('EOQ-based quantity rounded', eoqOption.rounded.quantity, eoqOption.rounded.notes.join('; ') || 'no rounding');
  if (quantityMethod === 'EOQ' && !eoqOption)
    throw new RangeError('quantityMethod EOQ needs orderCost, holdingRate, unitCost and demand > 0');
  const chosen = quantityMethod === 'EOQ' ? (eoqOption as NonNullable<typeof eoqOption>).rounded : briefRounded;
  if (chosen.cappedByStorage)
    warnings.push(
      chosen.infeasible ? 'storage limit leaves no room for an orderable quantity' : `order capped by storage at ${chosen.quantity}`,
    );
  ex.step(`order quantity (${quantityMethod})`, chosen.quantity);
  if (orderNow && chosen.quantity === 0 && !chosen.infeasible) {
    warnings.push(
      `stock position is at or below the reorder point but the ${quantityMethod === 'BRIEF' ? "brief's rule (peak × coefficient − position)" : 'EOQ rule'} asks for no order: check peak demand and coverage days`,
    );
  }

  // ——— Cover and service ———
  const doc = coverDays(Math.max(onHand, 0), inTransit, dL);
  const cycleQ = chosen.quantity > 0 ? chosen.quantity : eoqQ;
  const esc = expectedShortagePerCycle(ss, sigmaLTD);
  const csl = cycleServiceLevel(ss, sigmaLTD);
  const fr = cycleQ && cycleQ > 0 ? Math.max(0, 1 - esc / cycleQ) : null;
  ex.step('days of cover = (on hand + in transit) / d̄', Number.isFinite(doc) ? doc : null)
    .step('cycle service level Φ(SS/σ_LTD)', csl)
    .step('expected shortage per cycle σ_LTD·G(SS/σ_LTD)', esc)
    .step('expected fill rate 1 − ESC/Q', fr, cycleQ ? `Q = ${round(cycleQ)}` : 'no order quantity');

  return {
    sku: inp.sku ?? null,
    today: isoFromEpochDay(today),
    leadTimeDays: L,
    leadTimeSd: lt.sd,
    maxLeadTimeDays: maxLT,
    leadTimeDailyDemand: dL,
    leadTimeDemandMean: ltdMean,
    leadTimeDemandSd: sigmaLTD,
    safetyStock: ss,
    safetyStockMethod: method,
    safetyStockReason: reason,
    abcMultiplier: abcMult,
    safetyStockOptions: options,
    reorderPoint: rop,
    onHand,
    inTransit,
    stockPosition: position,
    orderQuantity: chosen.quantity,
    quantityMethod,
    quantityOptions: { brief: { raw: briefRaw, rounded: briefRounded, peakDemand, coefficient }, eoq: eoqOption },
    storageHeadroom: headroom,
    orderByDate: orderByDay === null ? null : isoFromEpochDay(orderByDay),
    orderNow,
    daysUntilOrderBy: orderByDay === null ? null : orderByDay - today,
    expectedArrivalDate: arrivalDay === null ? null : isoFromEpochDay(arrivalDay),
    daysOfCover: Number.isFinite(doc) ? doc : null,
    projectedStockoutDate: stockoutDay === null ? null : isoFromEpochDay(stockoutDay),
    expectedFillRate: fr,
    cycleServiceLevel: csl,
    expectedShortagePerCycle: esc,
    warnings,
    explanation: ex.build(),
  };
}

function checkForecast(f: unknown): number[] {
  if (!Array.isArray(f) || f.length === 0) throw new TypeError('demand.forecast must be a non-empty array of daily units');
  return f.map((v, k) => nonNegative(`demand.forecast[${k}]`, v));
}

interface CheckedPromotion {
  uplift: number;
  start?: number;
  end?: number;
}

function checkPromotion(p: Promotion): CheckedPromotion {
  const o = object('promotion', p);
  const uplift = finite('promotion.uplift', o.uplift);
  if (uplift <= -1) throw new RangeError(`promotion.uplift must be > −1 (a fraction, 0.3 = +30%), got ${uplift}`);
  const start = o.start === undefined ? undefined : toEpochDay('promotion.start', o.start as DayInput);
  const end = o.end === undefined ? undefined : toEpochDay('promotion.end', o.end as DayInput);
  if (start !== undefined && end !== undefined && end < start) throw new RangeError('promotion.end must not be before promotion.start');
  return { uplift, start, end };
}

function inPromo(p: CheckedPromotion, day: number): boolean {
  return (p.start === undefined || day >= p.start) && (p.end === undefined || day <= p.end);
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
