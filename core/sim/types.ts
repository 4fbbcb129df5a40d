/** Types of the labelled scenario generator (core/sim/generate.ts). */
import type { DealType, SnapshotPoint } from '../series/types';

export type Tier = 'CORE' | 'GENERAL' | 'POTENTIAL';

export interface CompetitorMeta {
  asin: string;
  title: string;
  brand: string;
  tier: Tier;
  marketplace: string;
  /** Nominal minutes between captures. */
  captureIntervalMinutes: number;
  /** Stock shown at most as this with stockIsLowerBound (10 like Keepa, 999 like many tools); null = exact. */
  stockCap: number | null;
  source: string;
  /** Whether snapshots carry the deal quantity (otherwise only % claimed). */
  dealQuantityShown: boolean;
  /** Mean ordinary demand, units/day. */
  baseDailyDemand: number;
  basePrice: number;
}

export type TrueDealShape = 'DECAY' | 'CONSTANT' | 'ACCELERATING' | 'FLAT_PRICE';

export interface TrueDeal {
  type: DealType;
  announcedAt: number | null;
  startAt: number;
  scheduledEndAt: number;
  /** Quantity at the start. */
  quantity: number;
  /** Quantity after batch releases. */
  finalQuantity: number | null;
  batches: { at: number; quantity: number }[];
  /** Minute the last unit was claimed; null if it did not sell out. */
  soldOutAt: number | null;
  /** soldOutAt, the scheduled end, or null while live. */
  endedAt: number | null;
  status: 'UPCOMING' | 'LIVE' | 'SOLD_OUT' | 'EXPIRED';
  unitsSold: number;
  shape: TrueDealShape;
  /** Deal-rate parameters (units/h): r(t) = r0·e^(−k t) (k = 0 for constant). */
  r0: number;
  k: number;
  plateaus: { start: number; end: number }[];
  discount: number;
  /** Whether the deal badge stays (at 100 %) after selling out until the scheduled end. */
  badgeStaysAfterSellOut: boolean;
}

export interface TrueRestock {
  /** First units arrive. */
  at: number;
  quantity: number;
  tranches: number;
  /** A batch released into a live deal. */
  inDeal: boolean;
  /** False when stock was above the source's cap before and after: no reading can show it. */
  observable: boolean;
}

export interface TrueStockout {
  start: number;
  end: number | null;
  durationHours: number;
}

export interface TrueFlap {
  start: number;
  end: number;
}

export interface ScenarioTruth {
  deals: TrueDeal[];
  restocks: TrueRestock[];
  /** Every out-of-stock period (returns during it do not end it), any duration. */
  stockouts: TrueStockout[];
  flaps: TrueFlap[];
  /** When captures stopped early (a stale competitor), else null. */
  capturesStoppedAt: number | null;
}

export interface Scenario {
  meta: CompetitorMeta;
  points: SnapshotPoint[];
  truth: ScenarioTruth;
}

export interface ScenarioSet {
  seed: number;
  start: number;
  /** End of the simulated period: evaluate figures "as of" this time. */
  now: number;
  scenarios: Scenario[];
}

export interface ScenarioOptions {
  seed: number;
  competitors: number;
  days: number;
  /** Epoch ms of the first simulated minute. */
  start: number;
}
