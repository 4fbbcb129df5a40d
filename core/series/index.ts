/** Public API of core/series: snapshot types, velocity, baseline, deal runs, provenance. */
export * from './types';
export { validatePoints } from './validate';
export { velocity, type VelocityOptions, type VelocityResult } from './velocity';
export { baseline, type Baseline, type BaselineOptions, type RestockCycle } from './baseline';
export { stockIntervals, type StockInterval, type IntervalKind } from './intervals';
export { dealRuns, dealRanges, claimedUnitsCurve, type DealRun } from './dealRuns';
export {
  provenanceOf,
  medianIntervalMs,
  captureIntervalMs,
  captureStaleness,
  staleAfterMs,
  type ProvenanceResult,
  type Staleness,
  type StalenessInput,
} from './provenance';
export { poissonMeanInterval } from './poissonInterval';
