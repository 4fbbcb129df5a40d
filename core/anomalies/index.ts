export { mean, sampleSd, median, mad, MAD_TO_SIGMA, MEANAD_TO_SIGMA } from './stats';
export { deltas, sigmaOutliers, type SigmaMethod, type SigmaOptions, type SigmaPoint, type SigmaResult } from './sigma';
export {
  EULER_GAMMA,
  averagePathLength,
  fitIsolationForest,
  isolationScore,
  pathLength,
  type ITree,
  type IsolationForest,
  type IsolationForestOptions,
} from './isolationForest';
export {
  ANOMALY_NEIGHBOURHOOD,
  ANOMALY_SEED,
  anomalyFlags,
  anomalyNote,
  anomalySentence,
  checkFlags,
  flagReading,
  neighbourhoodOf,
  mayBeWrongStock,
  rankLagFor,
  stockReadingFlags,
  withoutAnomalousValues,
  wrongFields,
  type FlagOptions,
} from './flags';
export {
  detectSnapshotAnomalies,
  detectSnapshotAnomalyAt,
  anomalyForPeriod,
  type AnomalyCode,
  type AnomalyField,
  type AnomalyReason,
  type SnapshotFlag,
  type AnomalyDetectionOptions,
  type AnomalyReport,
} from './detect';
export {
  reconcileLedger,
  DEFAULT_RECONCILE_TOLERANCE,
  MOVEMENT_TYPES,
  RECONCILIATION_CODES,
  type RecordedSale,
  type StockMovement,
  type MovementType,
  type StockReading,
  type ReconcileInput,
  type ReconcileOptions,
  type ReconciliationCode,
  type ReconciliationFinding,
  type ReconciliationReport,
} from './reconcile';
