export * from './types';
export { levelRank, maxLevel, bumpLevel, levelForPercentOver, describeTier, DEFAULT_TIERS, type TierEdges } from './levels';
export {
  resolveSettings,
  profileFor,
  validateRule,
  baseLevelOf,
  PROFILE_COEFFICIENTS,
  FEEDBACK_DEFAULTS,
  BAND_KINDS,
  TIER_CAPTURE_INTERVAL_MS,
  defaultStaleFactorFor,
  rateSettingsOf,
  type AlertSettings,
  type ProfileCoefficients,
  type FeedbackSettings,
} from './settings';
export {
  emptyBaseline,
  baselineBand,
  updateBaseline,
  seasonIndexOf,
  seasonalWeight,
  peerPrior,
  tQuantileFromZ,
  smallSampleFactor,
  type Band,
  type BaselineSettings,
} from './baseline';
export { classify, baselineSettingsOf, type Classification, type ClassifyResult } from './classify';
export { findExclusion, exclusionCovers, type ExclusionMatch } from './exclusions';
export { isQuietAt, quietEndsAt } from './quietHours';
export { need, confirmedAbove } from './runs';
export { createAlertState, evaluate, releaseHeld } from './evaluate';
export { acknowledgeAlert, resolveAlert, type AcknowledgeOptions, type AcknowledgeResult } from './lifecycle';
export {
  orderSeries,
  snapshotSeries,
  windowCount,
  hourOfDayRates,
  expectedCount,
  poissonQuantile,
  normalQuantile,
  rateLevel,
  validateRateSettings,
  RATE_DEFAULTS,
  MIN_RATE_WINDOW_MS,
  type UnitSpan,
  type UnitSeries,
  type RateSettings,
  type WindowCount,
  type HourOfDayRates,
  type RateVerdict,
} from './rate';
