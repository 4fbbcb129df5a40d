/**
 * Scalar signatures for the Google Sheets custom functions (=REORDER_POINT, =SAFETY_STOCK, =EOQ,
 * =DAYS_OF_COVER). Sheets passes plain numbers (blank cells arrive as '' or undefined), so these
 * take positional numbers and return one number; errors carry the argument name and show in the cell.
 */
import { eoq } from './eoq';
import { daysOfCover, reorderPoint, serviceLevelSafetyStock } from './safetyStock';

function num(name: string, v: unknown, fallback?: number): number {
  if ((v === '' || v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${name} must be a number, got ${v === '' ? 'a blank cell' : String(v)}`);
  return v;
}

/** ROP = daily demand × lead time + safety stock. */
export function reorderPointScalar(dailyDemand: number, leadTimeDays: number, safetyStock?: number): number {
  return reorderPoint({
    dailyDemand: num('dailyDemand', dailyDemand),
    leadTimeDays: num('leadTimeDays', leadTimeDays),
    safetyStock: num('safetyStock', safetyStock, 0),
  });
}

/** SS = z·√(L̄σ_d² + d̄²σ_L²); lead-time sd defaults to 0. */
export function safetyStockScalar(
  serviceLevel: number,
  demandMean: number,
  demandSd: number,
  leadTimeMean: number,
  leadTimeSd?: number,
): number {
  return serviceLevelSafetyStock({
    serviceLevel: num('serviceLevel', serviceLevel),
    demandMean: num('demandMean', demandMean),
    demandSd: num('demandSd', demandSd),
    leadTimeMean: num('leadTimeMean', leadTimeMean),
    leadTimeSd: num('leadTimeSd', leadTimeSd, 0),
  }).value;
}

/** Classic EOQ √(2·K·D/(i·c)). */
export function eoqScalar(annualDemand: number, orderCost: number, holdingRate: number, unitCost: number): number {
  return eoq({
    annualDemand: num('annualDemand', annualDemand),
    orderCost: num('orderCost', orderCost),
    holdingRate: num('holdingRate', holdingRate),
    unitCost: num('unitCost', unitCost),
  }).quantity;
}

/** (on hand + in transit) / daily demand; a sheet cannot show Infinity, so zero demand throws. */
export function daysOfCoverScalar(onHand: number, inTransit: number | undefined, dailyDemand: number): number {
  const d = num('dailyDemand', dailyDemand);
  if (d === 0) throw new RangeError('dailyDemand is 0: days of cover is unbounded');
  return daysOfCover(num('onHand', onHand), num('inTransit', inTransit, 0), d);
}
