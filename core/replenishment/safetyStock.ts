/**
 * Safety stock, reorder point, cycle service level, expected shortage and fill rate.
 * Demand and lead time must share one time unit (days throughout the product; the golden vectors
 * use weeks in places, which works the same).
 */
import { Explainer, type Explanation } from '../explain';
import { Phi, PhiInv, stdNormalLoss, stdNormalLossInverse } from '../stats/normal';
import { finite, nonNegative, openProbability, positive } from './validate';

/** z = Φ⁻¹(CSL): the safety factor for a cycle service level (probability of no stockout per cycle). */
export function zScore(serviceLevel: number): number {
  return PhiInv(openProbability('serviceLevel', serviceLevel));
}

export interface DemandLeadTime {
  /** Mean demand per period (d̄). */
  demandMean: number;
  /** Sd of demand per period (σ_d); periods independent. */
  demandSd: number;
  /** Mean lead time in periods (L̄). */
  leadTimeMean: number;
  /** Sd of the lead time in periods (σ_L). */
  leadTimeSd: number;
}

function checkDemandLeadTime(i: DemandLeadTime): void {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  nonNegative('demandMean', i.demandMean);
  nonNegative('demandSd', i.demandSd);
  nonNegative('leadTimeMean', i.leadTimeMean);
  nonNegative('leadTimeSd', i.leadTimeSd);
}

/** σ_LTD = √(L̄·σ_d² + d̄²·σ_L²): sd of demand over a random lead time. */
export function leadTimeDemandSd(i: DemandLeadTime): number {
  checkDemandLeadTime(i);
  return Math.sqrt(i.leadTimeMean * i.demandSd ** 2 + i.demandMean ** 2 * i.leadTimeSd ** 2);
}

export interface SafetyStockResult {
  value: number;
  explanation: Explanation;
}

/**
 * Max-minus-average rule: SS = max daily × max lead time − avg daily × avg lead time, the stock
 * that covers the worst observed day and the longest lead time at once beyond the usual lead-time
 * demand. Worked example: 800 × 12 − 500 × 7 = 6100.
 */
export function maxMinusAverageSafetyStock(i: {
  maxDaily: number;
  maxLeadTime: number;
  avgDaily: number;
  avgLeadTime: number;
}): SafetyStockResult {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  const maxDaily = nonNegative('maxDaily', i.maxDaily);
  const maxLeadTime = nonNegative('maxLeadTime', i.maxLeadTime);
  const avgDaily = nonNegative('avgDaily', i.avgDaily);
  const avgLeadTime = nonNegative('avgLeadTime', i.avgLeadTime);
  if (maxDaily < avgDaily) throw new RangeError(`maxDaily must be ≥ avgDaily (${avgDaily}), got ${maxDaily}`);
  if (maxLeadTime < avgLeadTime) throw new RangeError(`maxLeadTime must be ≥ avgLeadTime (${avgLeadTime}), got ${maxLeadTime}`);
  const worst = maxDaily * maxLeadTime;
  const usual = avgDaily * avgLeadTime;
  const value = worst - usual;
  const explanation = new Explainer('SS = max daily × max lead time − avg daily × avg lead time', {
    maxDaily,
    maxLeadTime,
    avgDaily,
    avgLeadTime,
  })
    .step('max daily × max lead time', worst)
    .step('avg daily × avg lead time', usual)
    .step('safety stock', value)
    .build();
  return { value, explanation };
}

export interface ServiceLevelSafetyStockResult extends SafetyStockResult {
  z: number;
  /** σ_LTD, sd of lead-time demand. */
  sigmaLTD: number;
}

/** SS = z·√(L̄σ_d² + d̄²σ_L²), z = Φ⁻¹(service level). */
export function serviceLevelSafetyStock(i: DemandLeadTime & { serviceLevel: number }): ServiceLevelSafetyStockResult {
  checkDemandLeadTime(i);
  const z = zScore(i.serviceLevel);
  const sigmaLTD = leadTimeDemandSd(i);
  // Without variability there is nothing to buffer (and z·0 would be −0 below a 50 % level).
  const value = sigmaLTD === 0 ? 0 : z * sigmaLTD;
  const explanation = new Explainer('SS = z·√(L̄·σ_d² + d̄²·σ_L²), z = Φ⁻¹(CSL)', {
    serviceLevel: i.serviceLevel,
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTimeMean: i.leadTimeMean,
    leadTimeSd: i.leadTimeSd,
  })
    .step('z', z)
    .step('L̄·σ_d²', i.leadTimeMean * i.demandSd ** 2)
    .step('d̄²·σ_L²', i.demandMean ** 2 * i.leadTimeSd ** 2)
    .step('σ_LTD', sigmaLTD)
    .step('safety stock', value)
    .build();
  return { value, z, sigmaLTD, explanation };
}

export interface FillRateFactor {
  /** Target standardized loss G(k) = Q(1 − fill rate)/σ. */
  lossTarget: number;
  /** Safety factor k with G(k) = lossTarget (may be negative for loose targets). */
  k: number;
  /** Safety stock k·σ. */
  safetyStock: number;
  /** Expected shortage per cycle (1 − fill rate)·Q. */
  expectedShortage: number;
}

/**
 * Fill-rate (P2 / type-II) target: choose k so that the expected shortage per cycle σ·G(k) equals
 * (1 − P2)·Q (Silver–Pyke–Peterson). σ is the sd of lead-time demand.
 */
export function fillRateSafetyFactor(i: { fillRate: number; orderQuantity: number; sigma: number }): FillRateFactor {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  const fr = openProbability('fillRate', i.fillRate);
  const Q = positive('orderQuantity', i.orderQuantity);
  const sigma = positive('sigma', i.sigma);
  const expectedShortage = Q * (1 - fr);
  const lossTarget = expectedShortage / sigma;
  const k = stdNormalLossInverse(lossTarget);
  return { lossTarget, k, safetyStock: k * sigma, expectedShortage };
}

export interface FillRateSafetyStockResult extends SafetyStockResult {
  k: number;
  lossTarget: number;
  sigmaLTD: number;
  expectedShortagePerCycle: number;
}

/** Safety stock for a fill-rate target via the normal loss function (see fillRateSafetyFactor). */
export function fillRateSafetyStock(i: DemandLeadTime & { fillRate: number; orderQuantity: number }): FillRateSafetyStockResult {
  checkDemandLeadTime(i);
  const sigmaLTD = leadTimeDemandSd(i);
  const ex = new Explainer('σ_LTD·G(k) = (1 − fill rate)·Q, SS = k·σ_LTD', {
    fillRate: i.fillRate,
    orderQuantity: i.orderQuantity,
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTimeMean: i.leadTimeMean,
    leadTimeSd: i.leadTimeSd,
  }).step('σ_LTD', sigmaLTD);
  if (sigmaLTD === 0) {
    openProbability('fillRate', i.fillRate);
    positive('orderQuantity', i.orderQuantity);
    ex.step('safety stock', 0).note('No demand or lead-time variability: no safety stock is needed for any fill rate.');
    return { value: 0, k: 0, lossTarget: 0, sigmaLTD, expectedShortagePerCycle: 0, explanation: ex.build() };
  }
  const f = fillRateSafetyFactor({ fillRate: i.fillRate, orderQuantity: i.orderQuantity, sigma: sigmaLTD });
  ex.step('expected shortage per cycle (1 − P2)·Q', f.expectedShortage)
    .step('G(k) target', f.lossTarget)
    .step('k', f.k)
    .step('safety stock', f.safetyStock);
  if (f.k < 0) ex.note('k < 0: the fill-rate target is met even with negative safety stock (large order quantity).');
  return {
    value: f.safetyStock,
    k: f.k,
    lossTarget: f.lossTarget,
    sigmaLTD,
    expectedShortagePerCycle: f.expectedShortage,
    explanation: ex.build(),
  };
}

/** Probability of no stockout in a replenishment cycle, Φ(SS/σ_LTD). */
export function cycleServiceLevel(safetyStock: number, sigmaLTD: number): number {
  finite('safetyStock', safetyStock);
  nonNegative('sigmaLTD', sigmaLTD);
  if (sigmaLTD === 0) return safetyStock >= 0 ? 1 : 0;
  return Phi(safetyStock / sigmaLTD);
}

/** Expected units short per cycle, ESC = σ_LTD·G(SS/σ_LTD). */
export function expectedShortagePerCycle(safetyStock: number, sigmaLTD: number): number {
  finite('safetyStock', safetyStock);
  nonNegative('sigmaLTD', sigmaLTD);
  if (sigmaLTD === 0) return Math.max(-safetyStock, 0);
  return sigmaLTD * stdNormalLoss(safetyStock / sigmaLTD);
}

/** Fill rate (share of demand served from stock), 1 − ESC/Q. */
export function fillRate(safetyStock: number, sigmaLTD: number, orderQuantity: number): number {
  positive('orderQuantity', orderQuantity);
  return Math.max(0, 1 - expectedShortagePerCycle(safetyStock, sigmaLTD) / orderQuantity);
}

export interface CyclePerformance {
  sigmaLTD: number;
  safetyStock: number;
  cycleServiceLevel: number;
  expectedShortagePerCycle: number;
  fillRate: number;
  explanation: Explanation;
}

/** Service measures of a given (ROP, Q) policy: SS = ROP − d̄·L̄, CSL, ESC, fill rate. */
export function cyclePerformance(i: DemandLeadTime & { reorderPoint: number; orderQuantity: number }): CyclePerformance {
  checkDemandLeadTime(i);
  const rop = finite('reorderPoint', i.reorderPoint);
  const Q = positive('orderQuantity', i.orderQuantity);
  const sigmaLTD = leadTimeDemandSd(i);
  const ss = rop - i.demandMean * i.leadTimeMean;
  const csl = cycleServiceLevel(ss, sigmaLTD);
  const esc = expectedShortagePerCycle(ss, sigmaLTD);
  const fr = Math.max(0, 1 - esc / Q);
  const explanation = new Explainer('SS = ROP − d̄·L̄; CSL = Φ(SS/σ_LTD); ESC = σ_LTD·G(SS/σ_LTD); fill rate = 1 − ESC/Q', {
    reorderPoint: rop,
    orderQuantity: Q,
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTimeMean: i.leadTimeMean,
    leadTimeSd: i.leadTimeSd,
  })
    .step('σ_LTD', sigmaLTD)
    .step('safety stock', ss)
    .step('cycle service level', csl)
    .step('expected shortage per cycle', esc)
    .step('fill rate', fr)
    .build();
  return { sigmaLTD, safetyStock: ss, cycleServiceLevel: csl, expectedShortagePerCycle: esc, fillRate: fr, explanation };
}

/** ROP = d̄·L̄ + SS. */
export function reorderPoint(i: { dailyDemand: number; leadTimeDays: number; safetyStock: number }): number {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  const d = nonNegative('dailyDemand', i.dailyDemand);
  const L = nonNegative('leadTimeDays', i.leadTimeDays);
  const ss = finite('safetyStock', i.safetyStock);
  return d * L + ss;
}

/** Days the stock position (on hand + in transit) lasts at the given daily demand; Infinity at zero demand. */
export function daysOfCover(onHand: number, inTransit: number, dailyDemand: number): number {
  const oh = finite('onHand', onHand);
  const it = nonNegative('inTransit', inTransit);
  const d = nonNegative('dailyDemand', dailyDemand);
  const position = Math.max(oh + it, 0);
  if (d === 0) return position > 0 ? Infinity : 0;
  return position / d;
}

export interface OrderUpToResult {
  /** σ over the protection interval R + L. */
  sigma: number;
  safetyStock: number;
  /** Order-up-to level S = d̄(R + L̄) + SS. */
  orderUpTo: number;
  z: number;
  explanation: Explanation;
}

/** Periodic review: S = d̄(R + L̄) + z·√((R + L̄)σ_d² + d̄²σ_L²) (Silver–Pyke–Peterson). */
export function orderUpToPeriodic(i: DemandLeadTime & { reviewPeriod: number; serviceLevel: number }): OrderUpToResult {
  checkDemandLeadTime(i);
  const R = nonNegative('reviewPeriod', i.reviewPeriod);
  const z = zScore(i.serviceLevel);
  const T = R + i.leadTimeMean;
  const sigma = Math.sqrt(T * i.demandSd ** 2 + i.demandMean ** 2 * i.leadTimeSd ** 2);
  const safetyStock = z * sigma;
  const orderUpTo = i.demandMean * T + safetyStock;
  const explanation = new Explainer('S = d̄(R + L̄) + z·√((R + L̄)σ_d² + d̄²σ_L²)', {
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTimeMean: i.leadTimeMean,
    leadTimeSd: i.leadTimeSd,
    reviewPeriod: R,
    serviceLevel: i.serviceLevel,
  })
    .step('protection interval R + L̄', T)
    .step('z', z)
    .step('σ', sigma)
    .step('safety stock', safetyStock)
    .step('order-up-to level S', orderUpTo)
    .build();
  return { sigma, safetyStock, orderUpTo, z, explanation };
}
