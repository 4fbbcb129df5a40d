/**
 * The named steps of the replenishment plan (core/replenishment/plan.ts). Each step is pure given
 * its arguments; steps that explain themselves append to the plan's Explainer and warnings in the
 * order the plan reports them. Formulas are stated on each step with their source.
 */
import type { Explainer } from '../explain';
import { isoFromEpochDay } from './dates';
import { eoq, type PriceTier } from './eoq';
import type { FillRateOption, QuantityMethod, SafetyStockMethod, SafetyStockOptions } from './planTypes';
import type { RoundedQuantity } from './rounding';
import { fillRateSafetyFactor, maxMinusAverageSafetyStock } from './safetyStock';
import { nonNegative, positive } from './validate';

/** A promotion with its dates as epoch days. */
export interface CheckedPromotion {
  uplift: number;
  start?: number;
  end?: number;
}

/** An open purchase order with its arrival as an epoch day. */
export interface ScheduledOrder {
  quantity: number;
  day: number;
}

/** Expected demand by day offset k from today (k = 0 is today). */
export type DailyDemand = (k: number) => number;

export interface DemandProfile {
  /** Forecast for day k while the forecast lasts, else the mean. */
  baseDay: DailyDemand;
  /** 1 + uplift on promotion days, else 1. */
  upliftOn: DailyDemand;
  /** baseDay(k) × upliftOn(k). */
  demandOn: DailyDemand;
}

/** Whether epoch day `day` falls in the promotion (both ends inclusive, open ends unbounded). */
export function inPromo(p: CheckedPromotion, day: number): boolean {
  return (p.start === undefined || day >= p.start) && (p.end === undefined || day <= p.end);
}

/**
 * Daily demand of the plan: d_k = (forecast_k, or the mean beyond the forecast) × (1 + uplift on promotion days);
 * a day inside several promotions takes the first one's uplift.
 */
export function demandProfile(
  meanDaily: number,
  forecast: number[] | undefined,
  promo: CheckedPromotion | readonly CheckedPromotion[] | undefined,
  today: number,
): DemandProfile {
  const promos: readonly CheckedPromotion[] = promo === undefined ? [] : Array.isArray(promo) ? promo : [promo as CheckedPromotion];
  const baseDay = (k: number) => (forecast && k < forecast.length ? forecast[k] : meanDaily);
  const upliftOn = (k: number) => {
    const p = promos.find((q) => inPromo(q, today + k));
    return p ? 1 + p.uplift : 1;
  };
  const demandOn = (k: number) => baseDay(k) * upliftOn(k);
  return { baseDay, upliftOn, demandOn };
}

/** ⌈x⌉ tolerant of floating-point noise just above an integer (6.000000000001 → 6). */
export function wholeDays(x: number): number {
  return Math.ceil(x - 1e-9);
}

/**
 * Expected demand over a span of `days` (possibly fractional) starting on day `start`:
 * Σ_{k=0}^{⌈days⌉−1} min(1, days − k)·d(start + k) — whole days count fully, the last day by its fraction.
 * Used for the lead-time demand (days = L̄) and the peak-coverage demand (days = coverage days).
 */
export function demandOver(days: number, start: number, day: DailyDemand): number {
  let sum = 0;
  for (let k = 0; k < wholeDays(days); k++) sum += Math.min(1, days - k) * day(start + k);
  return sum;
}

export interface LeadTimeDemand {
  /** Expected demand over the lead time, uplift included (d̄·L̄). */
  mean: number;
  /** d̄: mean daily demand over the lead time. */
  daily: number;
  /** Lead-time demand with uplift over lead-time demand without. */
  upliftFactor: number;
  /** σ_d scaled by the uplift factor. */
  dailySd: number;
  /** σ_LTD. */
  sd: number;
}

/**
 * Lead-time demand statistics. d̄ = LTD/L̄ (today's demand when L̄ = 0); uplift factor =
 * LTD/LTD_without-uplift; σ_d × uplift factor keeps the coefficient of variation constant under the
 * uplift; σ_LTD = √(L̄·σ_d² + d̄²·σ_L²), the sd of demand over a random lead time with independent
 * days (Silver, Pyke & Peterson, "Inventory Management and Production Planning and Scheduling").
 */
export function leadTimeDemand(L: number, leadTimeSd: number, sdDaily: number, profile: DemandProfile): LeadTimeDemand {
  const mean = demandOver(L, 0, profile.demandOn);
  const base = demandOver(L, 0, profile.baseDay);
  const daily = L > 0 ? mean / L : profile.demandOn(0);
  const upliftFactor = base > 0 ? mean / base : profile.upliftOn(0);
  const dailySd = sdDaily * upliftFactor;
  const sd = Math.sqrt(L * dailySd ** 2 + daily ** 2 * leadTimeSd ** 2);
  return { mean, daily, upliftFactor, dailySd, sd };
}

export interface MaxMinusAverageArgs {
  /** Given longest lead time, if any. */
  maxLeadTimeDays: number | undefined;
  /** Given largest daily demand, if any (before the uplift). */
  demandMax: number | undefined;
  L: number;
  leadTimeSd: number;
  meanDaily: number;
  sdDaily: number;
  ltd: LeadTimeDemand;
}

/**
 * The "max" inputs of the max-minus-average rule. Max lead time: given, else L̄ + 3·σ_L; max daily:
 * given × uplift factor, else (d̄ + 3·σ_d) × uplift factor (three sigma covers 99.87 % of a normal
 * day). Each is floored at its average (a maximum below the mean is a data error, warned about).
 */
export function maxMinusAverageInputs(
  a: MaxMinusAverageArgs,
  ex: Explainer,
  warnings: string[],
): { maxDaily: number; maxLeadTime: number } {
  let maxLeadTime: number;
  if (a.maxLeadTimeDays !== undefined) maxLeadTime = nonNegative('maxLeadTimeDays', a.maxLeadTimeDays);
  else {
    maxLeadTime = a.L + 3 * a.leadTimeSd;
    ex.note('maxLeadTimeDays not given: estimated as L̄ + 3·σ_L.');
  }
  if (maxLeadTime < a.L) {
    warnings.push(`maxLeadTimeDays ${maxLeadTime} is below the mean lead time ${a.L}; the mean is used as the maximum`);
    maxLeadTime = a.L;
  }
  let maxDaily: number;
  if (a.demandMax !== undefined) maxDaily = nonNegative('demand.max', a.demandMax) * a.ltd.upliftFactor;
  else {
    maxDaily = (a.meanDaily + 3 * a.sdDaily) * a.ltd.upliftFactor;
    ex.note('demand.max not given: estimated as mean + 3·sd (× uplift).');
  }
  if (maxDaily < a.ltd.daily) {
    warnings.push(
      `max daily demand ${round(maxDaily)} is below the lead-time average ${round(a.ltd.daily)}; the average is used as the maximum`,
    );
    maxDaily = a.ltd.daily;
  }
  return { maxDaily, maxLeadTime };
}

/** Max-minus-average safety stock before the ABC multiplier, explained: max daily × max LT − avg daily × avg LT. */
export function maxMinusAverageRaw(maxDaily: number, maxLeadTime: number, avgDaily: number, avgLeadTime: number, ex: Explainer): number {
  const r = maxMinusAverageSafetyStock({ maxDaily, maxLeadTime, avgDaily, avgLeadTime });
  ex.step(
    'max-minus-average SS = max daily × max LT − avg daily × avg LT',
    r.value,
    `${round(maxDaily)} × ${round(maxLeadTime)} − ${round(avgDaily)} × ${round(avgLeadTime)}`,
  );
  return r.value;
}

export interface EoqCosts {
  orderCost?: number;
  holdingRate?: number;
  unitCost?: number;
  tiers?: PriceTier[];
}

export interface PlanEoq {
  quantity: number;
  unitCost: number;
  tier: number | null;
}

/**
 * EOQ = √(2·K·D/(i·c)) with D = mean daily demand × 365 (Harris 1913; all-units tiers per
 * core/replenishment/eoq.ts), or null without costs or at zero demand (the reason is noted).
 */
export function planEoq(costs: EoqCosts, meanDaily: number, ex: Explainer): PlanEoq | null {
  const haveCosts = costs.orderCost !== undefined && costs.holdingRate !== undefined && costs.unitCost !== undefined;
  if (!haveCosts) {
    ex.note('orderCost, holdingRate or unitCost missing: no EOQ-based quantity.');
    return null;
  }
  if (!(meanDaily > 0)) {
    ex.note('Mean demand is 0: no EOQ-based quantity.');
    return null;
  }
  const e = eoq({
    annualDemand: meanDaily * 365,
    orderCost: positive('orderCost', costs.orderCost),
    holdingRate: positive('holdingRate', costs.holdingRate),
    unitCost: positive('unitCost', costs.unitCost),
    tiers: costs.tiers,
  });
  ex.step(
    'EOQ = √(2·K·D/(i·c)), D = mean × 365',
    e.quantity,
    e.tier === null ? `unit cost ${e.unitCost}` : `tier ${e.tier} at ${e.unitCost}`,
  );
  return { quantity: e.quantity, unitCost: e.unitCost, tier: e.tier };
}

/** Coefficient of variation of daily demand, σ_d/d̄ (0 at zero demand). */
export function demandCv(meanDaily: number, sdDaily: number): number {
  return meanDaily > 0 ? sdDaily / meanDaily : 0;
}

/** Default warning coefficient on peak demand: 1.3 for volatile demand (CV ≥ 0.5), else 1.2. */
export function defaultPeakCoefficient(cv: number): number {
  return cv >= 0.5 ? 1.3 : 1.2;
}

/**
 * Peak demand over the coverage: Σ_{k=0}^{⌈C⌉−1} min(1, C − k)·p_k with p_k the given peak daily
 * demand, else the day's demand (forecast and uplift included).
 */
export function peakDemandOver(coverageDays: number, peakDaily: number | undefined, demandOn: DailyDemand): number {
  let peakDemand = 0;
  for (let k = 0; k < wholeDays(coverageDays); k++) {
    const w = Math.min(1, coverageDays - k);
    peakDemand += w * (peakDaily ?? demandOn(k));
  }
  return peakDemand;
}

/** Peak-coverage order quantity: Q = peak demand × coefficient − (on hand + in transit); negative means no order. */
export function peakCoverageQuantity(peakDemand: number, coefficient: number, position: number): number {
  return peakDemand * coefficient - position;
}

/**
 * Cycle quantity Q of the fill-rate rule (what one order brings in): the EOQ, else the peak-coverage
 * quantity when positive, else max(d̄·max(coverage, 1), 1).
 */
export function fillRateCycleQuantity(
  eoqQuantity: number | null,
  peakCoverageRaw: number,
  dailyDemand: number,
  coverageDays: number,
): number {
  return eoqQuantity ?? (peakCoverageRaw > 0 ? peakCoverageRaw : Math.max(dailyDemand * Math.max(coverageDays, 1), 1));
}

/**
 * Fill-rate safety stock: k with σ_LTD·G(k) = (1 − P2)·Q, SS = k·σ_LTD (Silver, Pyke & Peterson,
 * fill-rate P2 with the standard normal loss function G); 0 without variability.
 */
export function fillRateOption(
  target: number,
  cycleQuantity: number,
  sigmaLTD: number,
  abcMultiplier: number,
  ex: Explainer,
): FillRateOption {
  if (!(sigmaLTD > 0)) {
    ex.step('fill-rate SS', 0, 'no variability');
    return { raw: 0, value: 0, fillRate: target, k: 0, cycleQuantity };
  }
  const f = fillRateSafetyFactor({ fillRate: target, orderQuantity: cycleQuantity, sigma: sigmaLTD });
  ex.step(
    'fill-rate SS: σ_LTD·G(k) = (1 − P2)·Q',
    f.safetyStock,
    `Q = ${round(cycleQuantity)}, G(k) = ${round(f.lossTarget)}, k = ${round(f.k)}`,
  );
  return { raw: f.safetyStock, value: Math.max(0, f.safetyStock * abcMultiplier), fillRate: target, k: f.k, cycleQuantity };
}

/** The safety stock the method selects (MAX: the largest computed) and the reason reported with it. */
export function chooseSafetyStock(
  method: SafetyStockMethod,
  options: SafetyStockOptions,
  serviceLevel: number,
  fillRateTarget: number | undefined,
): { safetyStock: number; reason: string } {
  switch (method) {
    case 'MAX_MINUS_AVERAGE':
      return {
        safetyStock: options.maxMinusAverage.value,
        reason: 'max-minus-average rule chosen: covers the worst observed day and the longest lead time at once',
      };
    case 'FILL_RATE':
      return {
        safetyStock: (options.fillRate as FillRateOption).value,
        reason: `fill-rate rule chosen: expected shortage per cycle held to ${round((1 - (fillRateTarget as number)) * 100)}% of the order`,
      };
    case 'MAX': {
      const cands: [string, number][] = [
        ['max-minus-average', options.maxMinusAverage.value],
        ['service level', options.serviceLevel.value],
      ];
      if (options.fillRate) cands.push(['fill rate', options.fillRate.value]);
      const best = cands.reduce((a, b) => (b[1] > a[1] ? b : a));
      return { safetyStock: best[1], reason: `largest of the computed rules (${best[0]}) chosen for caution` };
    }
    default:
      return {
        safetyStock: options.serviceLevel.value,
        reason: `service-level rule chosen: targets a ${round(serviceLevel * 100)}% chance of no stockout per cycle from the measured demand and lead-time variability; the max-minus-average rule stacks two worst cases and is shown for comparison`,
      };
  }
}

/**
 * The order-by day, when the stock position reaches the reorder point. At or below ROP today:
 * today − ⌊(ROP − position)/d_0⌋ (the crossing in the past at today's rate). Otherwise the first day
 * k with position − Σ_{j≤k} d_j ≤ LTD(k + 1) + SS: a rolling ROP, since an order placed at the end
 * of day k covers the lead time from day k + 1, so a promotion or forecast peak inside that window
 * raises the threshold. `positionAtOrder` is the position on that day (today's when already crossed).
 */
export function orderByProjection(
  position: number,
  reorderPoint: number,
  safetyStock: number,
  L: number,
  horizon: number,
  demandOn: DailyDemand,
): { daysFromToday: number | null; positionAtOrder: number } {
  if (position <= reorderPoint) {
    const rate = demandOn(0);
    const daysAgo = rate > 0 ? Math.floor((reorderPoint - position) / rate) : 0;
    return { daysFromToday: -daysAgo, positionAtOrder: position };
  }
  let p = position;
  for (let k = 0; k < horizon; k++) {
    p -= demandOn(k);
    if (p <= demandOver(L, k + 1, demandOn) + safetyStock) return { daysFromToday: k, positionAtOrder: p };
  }
  return { daysFromToday: null, positionAtOrder: position };
}

/**
 * Days from today to the projected stockout: the first day on-hand stock, with open purchase orders
 * arriving on their dates (overdue ones today) and no new order, falls below 0 after that day's demand.
 */
export function stockoutProjection(
  onHand: number,
  orders: ScheduledOrder[],
  today: number,
  horizon: number,
  demandOn: DailyDemand,
): number | null {
  let oh = onHand;
  for (let k = 0; k < horizon; k++) {
    for (const po of orders) if (Math.max(po.day, today) === today + k) oh += po.quantity;
    oh -= demandOn(k);
    if (oh < 0) return k;
  }
  return null;
}

export interface ScheduleFacts {
  today: number;
  orders: ScheduledOrder[];
  orderByDay: number | null;
  stockoutDay: number | null;
  arrivalDay: number | null;
  orderNow: boolean;
}

/** Warnings about the schedule: overdue purchase orders, a stockout before a new order can land, and an order due now. */
export function scheduleWarnings(f: ScheduleFacts, warnings: string[]): void {
  for (const po of f.orders)
    if (po.day < f.today)
      warnings.push(`purchase order of ${po.quantity} due ${isoFromEpochDay(po.day)} is overdue; counted as arriving today`);
  if (f.stockoutDay !== null && f.arrivalDay !== null && f.stockoutDay < f.arrivalDay) {
    warnings.push(
      `projected stockout on ${isoFromEpochDay(f.stockoutDay)} before a new order could arrive (${isoFromEpochDay(f.arrivalDay)}): expedite inbound stock`,
    );
  }
  if (f.orderNow)
    warnings.push(
      f.orderByDay !== null && f.orderByDay < f.today
        ? `order is overdue since ${isoFromEpochDay(f.orderByDay)}: order now`
        : 'stock position is at the reorder point: order today',
    );
}

/**
 * EOQ batches of an (R, nQ) order: n = ⌊max(ROP − position, 0)/EOQ⌋ + 1 when ordering now (enough
 * whole batches to lift the position above ROP), else 1.
 */
export function eoqBatches(orderNow: boolean, reorderPoint: number, position: number, eoqQuantity: number): number {
  return orderNow ? Math.floor(Math.max(reorderPoint - position, 0) / eoqQuantity) + 1 : 1;
}

/** Warnings about the chosen quantity: capped or blocked by storage, or no order while at or below the reorder point. */
export function quantityWarnings(chosen: RoundedQuantity, method: QuantityMethod, orderNow: boolean, warnings: string[]): void {
  if (chosen.cappedByStorage)
    warnings.push(
      chosen.infeasible ? 'storage limit leaves no room for an orderable quantity' : `order capped by storage at ${chosen.quantity}`,
    );
  if (orderNow && chosen.quantity === 0 && !chosen.infeasible) {
    const rule = method === 'PEAK_COVERAGE' ? 'peak-coverage rule (peak × coefficient − position)' : 'EOQ rule';
    warnings.push(`stock position is at or below the reorder point but the ${rule} asks for no order: check peak demand and coverage days`);
  }
}

/** Expected fill rate of a cycle: max(0, 1 − ESC/Q); null without a cycle quantity. */
export function expectedFillRate(expectedShortage: number, cycleQuantity: number | null): number | null {
  return cycleQuantity && cycleQuantity > 0 ? Math.max(0, 1 - expectedShortage / cycleQuantity) : null;
}

/** Six significant digits, for explanation text. */
export function round(v: number): number {
  return Number(v.toPrecision(6));
}
