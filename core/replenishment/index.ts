/** Replenishment formulas and planning models (BRIEF §4, §5; DESIGN §5). */
export * from './eoq';
export * from './leadTime';
export * from './safetyStock';
export * from './policies';
export * from './rounding';
export * from './plan';
export * from './sheets';
export { toEpochDay, isoFromEpochDay, epochDayFromCivil } from './dates';
