/**
 * Replenishment formulas and planning models: lead time, safety stock, reorder point, EOQ,
 * inventory policies, order rounding and the per-SKU replenishment plan.
 */
export * from './eoq';
export * from './leadTime';
export * from './safetyStock';
export * from './policies';
export * from './rounding';
export * from './plan';
export * from './planTypes';
export * from './sheets';
export { toEpochDay, isoFromEpochDay, epochDayFromCivil } from './dates';
