/**
 * Public input and output types of the replenishment plan (core/replenishment/plan.ts).
 */
import type { Explanation } from '../explain';
import type { PriceTier } from './eoq';
import type { LeadTimeComponents } from './leadTime';
import type { RoundedQuantity } from './rounding';

export type AbcClass = 'A' | 'B' | 'C';
/**
 * Which safety stock the plan uses: SERVICE_LEVEL z·σ_LTD, MAX_MINUS_AVERAGE max daily × max lead
 * time − avg daily × avg lead time, FILL_RATE the loss-function rule; MAX takes the larger of those computed.
 */
export type SafetyStockMethod = 'SERVICE_LEVEL' | 'MAX_MINUS_AVERAGE' | 'FILL_RATE' | 'MAX';
/**
 * Which order quantity becomes `orderQuantity`: PEAK_COVERAGE peak demand × coefficient − (on hand +
 * in transit), EOQ whole EOQ batches.
 */
export type QuantityMethod = 'PEAK_COVERAGE' | 'EOQ';
export type DayInput = string | number;

export interface PlanDemand {
  /** Mean units per day (optional when `forecast` is given: then its average). */
  mean?: number;
  /** Sd of daily demand (forecast error when planning on a forecast). */
  sd: number;
  /** Largest daily demand observed (the "max daily" of the max-minus-average rule); default mean + 3·sd. */
  max?: number;
  /** Expected daily demand at the peak (deal days) for the peak-coverage quantity; default: the day's forecast or mean. */
  peak?: number;
  /** Expected units for day today + k, k = 0, 1, … (beyond its end the mean is used). */
  forecast?: number[];
}

export interface OpenPurchaseOrder {
  quantity: number;
  /** Expected arrival: ISO date or epoch day. A date before today counts as arriving today (overdue). */
  arrival: DayInput;
}

export interface Promotion {
  /** Demand uplift as a fraction: 0.3 = +30 %. */
  uplift: number;
  /** First and last day of the uplift (inclusive). Omitted = from today / open-ended. */
  start?: DayInput;
  end?: DayInput;
}

export interface ReplenishmentPlanInput {
  sku?: string;
  /** The plan date: ISO `YYYY-MM-DD` or epoch day. */
  today: DayInput;
  demand: PlanDemand;
  onHand: number;
  openPurchaseOrders?: OpenPurchaseOrder[];
  leadTime: LeadTimeComponents;
  /** Longest lead time seen (the "max lead time" of the max-minus-average rule); default L̄ + 3·σ_L. */
  maxLeadTimeDays?: number;
  /** Cycle service level for the service-level rule. Default 0.95. */
  serviceLevel?: number;
  /** Fill-rate target for the loss-function variant (computed when given). */
  fillRateTarget?: number;
  safetyStockMethod?: SafetyStockMethod;
  quantityMethod?: QuantityMethod;
  abcClass?: AbcClass;
  promotion?: Promotion;
  /** Further promotions (e.g. the seller's planned ones); a day in several takes the first one's uplift, `promotion` first. */
  promotions?: Promotion[];
  /** Warning coefficient (预警系数) on peak demand; default 1.2 (1.3 when demand CV ≥ 0.5). */
  peakCoefficient?: number;
  /** Total units the peak-coverage quantity must cover; default: daily peak demand summed over `coverageDays`. */
  peakDemand?: number;
  /** Days the peak-coverage order covers; default ⌈L̄⌉ + reviewPeriodDays. */
  coverageDays?: number;
  /** Days until the next planned review. Default 14. */
  reviewPeriodDays?: number;
  moq?: number;
  casePack?: number;
  /** Most units the warehouse can hold for this SKU. */
  storageLimit?: number;
  /** EOQ inputs: fixed cost per order, annual holding rate, unit cost and optional all-units tiers. */
  orderCost?: number;
  holdingRate?: number;
  unitCost?: number;
  tiers?: PriceTier[];
  /** Days projected forward for the order-by and stockout dates. Default 365. */
  horizonDays?: number;
}

export interface SafetyStockOption {
  /** After the ABC multiplier and clamping at 0. */
  value: number;
  /** Before the ABC multiplier. */
  raw: number;
}

export interface QuantityOption {
  raw: number;
  rounded: RoundedQuantity;
}

export type MaxMinusAverageOption = SafetyStockOption & { maxDaily: number; maxLeadTime: number; avgDaily: number; avgLeadTime: number };
export type ServiceLevelOption = SafetyStockOption & { serviceLevel: number; z: number };
export type FillRateOption = SafetyStockOption & { fillRate: number; k: number; cycleQuantity: number };

/** Every safety stock computed, side by side. */
export interface SafetyStockOptions {
  maxMinusAverage: MaxMinusAverageOption;
  serviceLevel: ServiceLevelOption;
  /** Only when a fill-rate target is given. */
  fillRate: FillRateOption | null;
}

export type PeakCoverageOption = QuantityOption & { peakDemand: number; coefficient: number };
export type EoqQuantityOption = QuantityOption & { eoq: number; unitCost: number; tier: number | null };

/** Order quantities by both rules. */
export interface QuantityOptions {
  peakCoverage: PeakCoverageOption;
  /** Null without order cost, holding rate and unit cost, or at zero demand. */
  eoq: EoqQuantityOption | null;
}

export interface ReplenishmentPlan {
  sku: string | null;
  today: string;
  leadTimeDays: number;
  leadTimeSd: number;
  maxLeadTimeDays: number;
  /** Mean daily demand over the coming lead time, promotion uplift included. */
  leadTimeDailyDemand: number;
  leadTimeDemandMean: number;
  /** σ_LTD = √(L̄σ_d² + d̄²σ_L²). */
  leadTimeDemandSd: number;
  safetyStock: number;
  safetyStockMethod: SafetyStockMethod;
  safetyStockReason: string;
  abcMultiplier: number;
  safetyStockOptions: SafetyStockOptions;
  reorderPoint: number;
  onHand: number;
  inTransit: number;
  stockPosition: number;
  orderQuantity: number;
  quantityMethod: QuantityMethod;
  quantityOptions: QuantityOptions;
  /** Largest order that fits the storage limit, or null without a limit. */
  storageHeadroom: number | null;
  /** Day the stock position reaches the reorder point (may be in the past); null if not within the horizon. */
  orderByDate: string | null;
  orderNow: boolean;
  /** Negative when overdue. */
  daysUntilOrderBy: number | null;
  /** When an order placed on the order-by date is expected (order-by + ⌈L̄⌉; today + ⌈L̄⌉ when overdue). */
  expectedArrivalDate: string | null;
  /** (on hand + in transit) / mean daily demand over the lead time; null at zero demand. */
  daysOfCover: number | null;
  /** First day the projected on-hand stock (open POs on their dates, no new order) cannot meet demand. */
  projectedStockoutDate: string | null;
  expectedFillRate: number | null;
  cycleServiceLevel: number;
  expectedShortagePerCycle: number;
  warnings: string[];
  explanation: Explanation;
}
