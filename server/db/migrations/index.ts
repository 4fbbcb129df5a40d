/**
 * Every migration, a leaf list applied in this order (the timestamps in the class names keep it
 * explicit). Only the data source imports it.
 */
import { Init1764000000000 } from './1764000000000-Init';
import { Replenishment1764200000000 } from './1764200000000-Replenishment';
import { Alerts1764400000000 } from './1764400000000-Alerts';
import { ForecastRuns1764500000000 } from './1764500000000-ForecastRuns';
import { DealStartsAt1764600000000 } from './1764600000000-DealStartsAt';
import { SnapshotRollup1764700000000 } from './1764700000000-SnapshotRollup';
import { Ledger1764800000000 } from './1764800000000-Ledger';
import { AlertEvalLease1764900000000 } from './1764900000000-AlertEvalLease';
import { WebhookRotation1765000000000 } from './1765000000000-WebhookRotation';
import { MonthlySales1765100000000 } from './1765100000000-MonthlySales';
import { ConsumptionFacts1765200000000 } from './1765200000000-ConsumptionFacts';
import { DealEpisodes1765300000000 } from './1765300000000-DealEpisodes';
import { Promotions1765400000000 } from './1765400000000-Promotions';
import { RestockFacts1765500000000 } from './1765500000000-RestockFacts';

export const MIGRATIONS = [
  Init1764000000000,
  Replenishment1764200000000,
  Alerts1764400000000,
  ForecastRuns1764500000000,
  DealStartsAt1764600000000,
  SnapshotRollup1764700000000,
  Ledger1764800000000,
  AlertEvalLease1764900000000,
  WebhookRotation1765000000000,
  MonthlySales1765100000000,
  ConsumptionFacts1765200000000,
  DealEpisodes1765300000000,
  Promotions1765400000000,
  RestockFacts1765500000000,
];
