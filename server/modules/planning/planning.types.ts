import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { QuantityMethod as CoreQuantityMethod, SafetyStockMethod as CoreSafetyStockMethod } from '../../../core/replenishment';
import { Explanation } from '../../graphql/explanation';

export enum SafetyStockMethod {
  SERVICE_LEVEL = 'SERVICE_LEVEL',
  /** Deprecated alias of MAX_MINUS_AVERAGE (planned with it, reported as it); removed in the next release. */
  BRIEF = 'BRIEF',
  MAX_MINUS_AVERAGE = 'MAX_MINUS_AVERAGE',
  FILL_RATE = 'FILL_RATE',
  MAX = 'MAX',
}
registerEnumType(SafetyStockMethod, {
  name: 'SafetyStockMethod',
  description:
    'SERVICE_LEVEL: z·√(L̄σ_d² + d̄²σ_L²). MAX_MINUS_AVERAGE: max daily × max lead time − avg daily × avg lead time. FILL_RATE: loss-function variant for a fill-rate target. MAX: the largest of those computed.',
  valuesConfig: {
    BRIEF: { deprecationReason: 'Use MAX_MINUS_AVERAGE' },
    MAX_MINUS_AVERAGE: { description: 'max daily × max lead time − avg daily × avg lead time.' },
  },
});

export enum OrderQuantityMethod {
  /** Deprecated alias of PEAK_COVERAGE (planned with it, reported as it); removed in the next release. */
  BRIEF = 'BRIEF',
  PEAK_COVERAGE = 'PEAK_COVERAGE',
  EOQ = 'EOQ',
}
registerEnumType(OrderQuantityMethod, {
  name: 'OrderQuantityMethod',
  description:
    'PEAK_COVERAGE: peak demand × coefficient − (on hand + in transit). EOQ: whole EOQ batches lifting the position above the reorder point.',
  valuesConfig: {
    BRIEF: { deprecationReason: 'Use PEAK_COVERAGE' },
    PEAK_COVERAGE: { description: 'peak demand × coefficient − (on hand + in transit).' },
  },
});

/** The method core plans with: the deprecated alias BRIEF resolves to MAX_MINUS_AVERAGE, the others are themselves. */
export function coreSafetyStockMethod(m: SafetyStockMethod): CoreSafetyStockMethod {
  return m === SafetyStockMethod.BRIEF ? 'MAX_MINUS_AVERAGE' : m;
}

/** The method core plans with: the deprecated alias BRIEF resolves to PEAK_COVERAGE, the others are themselves. */
export function coreQuantityMethod(m: OrderQuantityMethod): CoreQuantityMethod {
  return m === OrderQuantityMethod.BRIEF ? 'PEAK_COVERAGE' : m;
}

export enum DemandSource {
  MOVING_AVERAGE = 'MOVING_AVERAGE',
  FORECAST = 'FORECAST',
}
registerEnumType(DemandSource, {
  name: 'DemandSource',
  description:
    'Where a replenishment plan takes demand from. MOVING_AVERAGE: in-stock moving average over windowDays. FORECAST: the AUTO demand forecast (mean and sd over the lead time, sd from the 95 % interval width).',
});

export enum ReorderPointBasis {
  EFFECTIVE = 'EFFECTIVE',
  QUOTED = 'QUOTED',
}
registerEnumType(ReorderPointBasis, {
  name: 'ReorderPointBasis',
  description: 'Lead time a simulated reorder point is planned on: EFFECTIVE includes late deliveries, QUOTED does not.',
});

export enum PriorityQuadrant {
  REORDER_FIRST = 'REORDER_FIRST',
  REORDER = 'REORDER',
  MONITOR = 'MONITOR',
  PAUSE = 'PAUSE',
}
registerEnumType(PriorityQuadrant, { name: 'PriorityQuadrant', description: 'Profit contribution × stockout risk quadrant.' });

@ObjectType('DemandEstimate', { description: 'Daily demand statistics a plan is computed from.' })
export class DemandEstimateType {
  @Field(() => String, { description: 'IN_STOCK_MOVING_AVERAGE, or FORECAST with demandSource FORECAST.' })
  method!: string;

  @Field(() => Float, { description: 'd̄, units per day.' })
  mean!: number;

  @Field(() => Float, { description: 'σ_d, sample sd of daily units.' })
  sd!: number;

  @Field(() => Float, { description: 'Largest in-stock day.' })
  max!: number;

  @Field(() => Int)
  windowDays!: number;

  @Field(() => String, { nullable: true, description: 'First day used (YYYY-MM-DD); null without sales.' })
  from!: string | null;

  @Field(() => String, { description: 'Last day used: yesterday (today is incomplete).' })
  to!: string;

  @Field(() => Int)
  inStockDays!: number;

  @Field(() => Int, { description: 'Days flagged out of stock, left out of mean/sd/max.' })
  stockoutDaysExcluded!: number;

  @Field(() => Int, { description: 'Days without a record, counted as 0 units.' })
  unrecordedDays!: number;

  @Field(() => String, { nullable: true })
  lastRecordedDate!: string | null;

  @Field(() => [String])
  warnings!: string[];

  @Field(() => Explanation)
  explanation!: Explanation;
}

/** Published as BriefSafetyStock, the type's name since the first release. */
@ObjectType('BriefSafetyStock', {
  description: 'The max-minus-average safety stock: max daily × max lead time − avg daily × avg lead time.',
})
export class MaxMinusAverageSafetyStock {
  @Field(() => Float, { description: 'After the ABC multiplier, ≥ 0.' })
  value!: number;

  @Field(() => Float, { description: 'Before the ABC multiplier.' })
  raw!: number;

  @Field(() => Float)
  maxDaily!: number;

  @Field(() => Float)
  maxLeadTime!: number;

  @Field(() => Float)
  avgDaily!: number;

  @Field(() => Float)
  avgLeadTime!: number;
}

@ObjectType({ description: 'Service-level safety stock z·σ_LTD.' })
export class ServiceLevelSafetyStock {
  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  raw!: number;

  @Field(() => Float)
  serviceLevel!: number;

  @Field(() => Float)
  z!: number;
}

@ObjectType({ description: 'Fill-rate safety stock: σ_LTD·G(k) = (1 − fill rate)·Q.' })
export class FillRateSafetyStock {
  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  raw!: number;

  @Field(() => Float)
  fillRate!: number;

  @Field(() => Float)
  k!: number;

  @Field(() => Float)
  cycleQuantity!: number;
}

@ObjectType({ description: 'Every safety stock computed, side by side.' })
export class SafetyStockOptions {
  /** Also published under its first name, `brief` (deprecated: SafetyStockOptionsAliasResolver). */
  @Field(() => MaxMinusAverageSafetyStock, { description: 'max daily × max lead time − avg daily × avg lead time.' })
  maxMinusAverage!: MaxMinusAverageSafetyStock;

  @Field(() => ServiceLevelSafetyStock)
  serviceLevel!: ServiceLevelSafetyStock;

  @Field(() => FillRateSafetyStock, { nullable: true, description: 'Only when fillRateTarget is given.' })
  fillRate!: FillRateSafetyStock | null;
}

@ObjectType({ description: 'An order quantity before and after MOQ, case-pack and storage rounding.' })
export class QuantityOption {
  @Field(() => Float, { description: 'As computed.' })
  raw!: number;

  @Field(() => Float, { description: 'Orderable: ≥ MOQ, whole cases, within storage (0 = no order).' })
  quantity!: number;

  @Field(() => Boolean)
  raisedToMoq!: boolean;

  @Field(() => Boolean)
  roundedToCasePack!: boolean;

  @Field(() => Boolean)
  cappedByStorage!: boolean;

  @Field(() => Boolean, { description: 'Storage leaves no room for an orderable quantity.' })
  infeasible!: boolean;

  @Field(() => [String])
  notes!: string[];
}

/** Published as BriefQuantityOption, the type's name since the first release. */
@ObjectType('BriefQuantityOption')
export class PeakCoverageQuantityOption extends QuantityOption {
  @Field(() => Float, { description: 'Peak demand over the coverage days.' })
  peakDemand!: number;

  @Field(() => Float)
  coefficient!: number;
}

@ObjectType()
export class EoqQuantityOption extends QuantityOption {
  @Field(() => Float)
  eoq!: number;

  @Field(() => Float, { description: "Price per unit at the EOQ's tier." })
  unitCost!: number;

  @Field(() => Int, { nullable: true, description: 'minQuantity of the supplier tier whose price applies; null for the base price.' })
  tierMinQuantity!: number | null;
}

@ObjectType({ description: 'Order quantities by both rules.' })
export class QuantityOptions {
  /** Also published under its first name, `brief` (deprecated: QuantityOptionsAliasResolver). */
  @Field(() => PeakCoverageQuantityOption, { description: 'peak demand × coefficient − (on hand + in transit).' })
  peakCoverage!: PeakCoverageQuantityOption;

  @Field(() => EoqQuantityOption, { nullable: true, description: 'Null without an order cost or without demand.' })
  eoq!: EoqQuantityOption | null;
}

@ObjectType({ description: 'Replenishment plan of one SKU as of today (UTC). Dates are ISO calendar days.' })
export class ReplenishmentPlan {
  @Field(() => String)
  today!: string;

  @Field(() => Float, { description: 'Safety stock used (see safetyStockMethod).' })
  safetyStock!: number;

  @Field(() => SafetyStockMethod)
  safetyStockMethod!: SafetyStockMethod;

  @Field(() => String)
  safetyStockReason!: string;

  @Field(() => SafetyStockOptions)
  safetyStockOptions!: SafetyStockOptions;

  @Field(() => Float, { description: '1.2 for ABC class A, else 1.' })
  abcMultiplier!: number;

  @Field(() => Float, { description: 'ROP = d̄·L̄ + SS.' })
  reorderPoint!: number;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  inTransit!: number;

  @Field(() => Float, { description: 'On hand + in transit.' })
  stockPosition!: number;

  @Field(() => Float, { description: 'Orderable quantity by quantityMethod.' })
  orderQuantity!: number;

  @Field(() => OrderQuantityMethod)
  quantityMethod!: OrderQuantityMethod;

  @Field(() => QuantityOptions)
  quantityOptions!: QuantityOptions;

  @Field(() => Float, { nullable: true, description: 'Largest order that fits storage; null without a limit.' })
  storageHeadroom!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Day the stock position reaches the reorder point (may be past); null beyond the horizon.',
  })
  orderByDate!: string | null;

  @Field(() => Boolean)
  orderNow!: boolean;

  @Field(() => Int, { nullable: true, description: 'Negative when overdue.' })
  daysUntilOrderBy!: number | null;

  @Field(() => String, { nullable: true })
  expectedArrivalDate!: string | null;

  @Field(() => Float, { nullable: true, description: '(on hand + in transit) / d̄; null at zero demand.' })
  daysOfCover!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'First day projected on hand (open POs on their days, no new order) cannot meet demand.',
  })
  projectedStockoutDate!: string | null;

  @Field(() => Float, { nullable: true, description: '1 − expected shortage per cycle / Q.' })
  expectedFillRate!: number | null;

  @Field(() => Float, { description: 'Φ(SS/σ_LTD).' })
  cycleServiceLevel!: number;

  @Field(() => Float)
  expectedShortagePerCycle!: number;

  @Field(() => Float, { description: 'L̄ = procurement + shipping + inbound means.' })
  leadTimeDays!: number;

  @Field(() => Float, { description: 'σ_L = √(sum of stage variances).' })
  leadTimeSdDays!: number;

  @Field(() => Float)
  maxLeadTimeDays!: number;

  @Field(() => Float, { description: 'Mean daily demand over the coming lead time (uplift included).' })
  leadTimeDailyDemand!: number;

  @Field(() => Float)
  leadTimeDemandMean!: number;

  @Field(() => Float, { description: 'σ_LTD = √(L̄σ_d² + d̄²σ_L²).' })
  leadTimeDemandSd!: number;

  @Field(() => DemandEstimateType)
  demand!: DemandEstimateType;

  @Field(() => [String])
  warnings!: string[];

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType()
export class EoqCurvePoint {
  @Field(() => Float)
  quantity!: number;

  @Field(() => Float)
  annualCost!: number;
}

@ObjectType({ description: "A quantity EOQ evaluated: a tier's realizable EOQ or a price break." })
export class EoqCandidate {
  @Field(() => Int, { nullable: true, description: 'Index into the input tiers; null for the base price.' })
  tier!: number | null;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Float)
  unitCost!: number;

  @Field(() => Float)
  annualCost!: number;

  @Field(() => String, { description: 'EOQ or BREAKPOINT.' })
  kind!: string;
}

@ObjectType({ description: 'Economic order quantity with all-units price tiers.' })
export class EoqResult {
  @Field(() => Float)
  quantity!: number;

  @Field(() => Int, { nullable: true, description: 'Index into the input tiers whose price applies; null for the base price.' })
  tier!: number | null;

  @Field(() => Float)
  unitCost!: number;

  @Field(() => Float, { description: 'Purchase + ordering + holding per year.' })
  annualCost!: number;

  @Field(() => Float)
  purchaseCost!: number;

  @Field(() => Float)
  orderingCost!: number;

  @Field(() => Float)
  holdingCost!: number;

  @Field(() => Float)
  ordersPerYear!: number;

  @Field(() => Float)
  cycleDays!: number;

  @Field(() => [EoqCandidate])
  candidates!: EoqCandidate[];

  @Field(() => [EoqCurvePoint], { description: 'At most 60 points, by quantity.' })
  curve!: EoqCurvePoint[];

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'Contribution of ordering `quantity` units over the horizon.' })
export class ContributionPoint {
  @Field(() => Float)
  quantity!: number;

  @Field(() => Float)
  landedUnitCost!: number;

  @Field(() => Float)
  expectedUnitsSold!: number;

  @Field(() => Float)
  expectedLostUnits!: number;

  @Field(() => Float)
  revenue!: number;

  @Field(() => Float)
  costOfGoodsSold!: number;

  @Field(() => Float)
  orderCost!: number;

  @Field(() => Float)
  holdingCost!: number;

  @Field(() => Float)
  overflowCost!: number;

  @Field(() => Float)
  stockoutCost!: number;

  @Field(() => Float)
  contribution!: number;

  @Field(() => Float, { nullable: true })
  contributionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Δcontribution / ΔQ from the previous curve point.' })
  marginalContributionPerUnit!: number | null;
}

@ObjectType({
  description: 'Profitability of an order quantity: landed and holding cost, lost sales, the contribution curve and its best point.',
})
export class ProfitabilityScenarioResult {
  @Field(() => String, { nullable: true })
  sku!: string | null;

  @Field(() => Float)
  baseLandedUnitCost!: number;

  @Field(() => Float)
  holdingPerUnitPerYear!: number;

  @Field(() => [ContributionPoint], { description: 'At most 60 points, by quantity.' })
  curve!: ContributionPoint[];

  @Field(() => ContributionPoint)
  best!: ContributionPoint;

  @Field(() => ContributionPoint)
  noOrder!: ContributionPoint;

  @Field(() => [String])
  warnings!: string[];

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: "One supplier's simulated outcome." })
export class SupplierOutcome {
  @Field(() => String)
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Set when the supplier is a stored one.' })
  supplierId!: string | null;

  @Field(() => Float)
  unitCost!: number;

  @Field(() => Float)
  orderQuantity!: number;

  @Field(() => Float)
  reorderPoint!: number;

  @Field(() => Float)
  safetyStock!: number;

  @Field(() => Float)
  leadTimeMean!: number;

  @Field(() => Float)
  leadTimeSd!: number;

  @Field(() => Float)
  effectiveLeadTimeMean!: number;

  @Field(() => Float)
  effectiveLeadTimeSd!: number;

  @Field(() => Float)
  expectedProfit!: number;

  @Field(() => Float)
  profitP10!: number;

  @Field(() => Float)
  profitP90!: number;

  @Field(() => Float)
  profitMargin!: number;

  @Field(() => Float)
  expectedStockoutDays!: number;

  @Field(() => Float)
  stockoutDaysP90!: number;

  @Field(() => Float)
  fillRate!: number;

  @Field(() => Float)
  expectedLostUnits!: number;

  @Field(() => Float)
  lateShare!: number;

  @Field(() => Float)
  ordersPerRun!: number;
}

@ObjectType({ description: 'Suppliers compared by seeded Monte Carlo over lead-time outcomes.' })
export class SupplierComparison {
  @Field(() => [SupplierOutcome])
  suppliers!: SupplierOutcome[];

  @Field(() => String)
  recommended!: string;

  @Field(() => ID, { nullable: true })
  recommendedSupplierId!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Int)
  seed!: number;

  @Field(() => Int)
  runs!: number;

  @Field(() => Int)
  horizonDays!: number;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'One SKU in the priority matrix.' })
export class PriorityRow {
  @Field(() => String)
  sku!: string;

  @Field(() => Int)
  rank!: number;

  @Field(() => PriorityQuadrant)
  quadrant!: PriorityQuadrant;

  @Field(() => String)
  label!: string;

  @Field(() => Float)
  unitMargin!: number;

  @Field(() => Float)
  marginRate!: number;

  @Field(() => Float, { description: 'Unit margin × d̄ × 30.' })
  profitContribution30d!: number;

  @Field(() => Float, { description: 'P(lead-time demand > on hand + in transit).' })
  stockoutRisk!: number;

  @Field(() => Float, { nullable: true })
  daysOfCover!: number | null;

  @Field(() => Float)
  score!: number;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'A product left out of the matrix, and why.' })
export class SkippedSku {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'SKU priority matrix: profit contribution × stockout risk.' })
export class PriorityMatrix {
  @Field(() => [PriorityRow], { description: 'Most urgent first.' })
  rows!: PriorityRow[];

  @Field(() => [String], { description: 'SKUs to reorder, most urgent first.' })
  reorderQueue!: string[];

  @Field(() => [String], { description: 'SKUs whose replenishment can pause.' })
  pause!: string[];

  @Field(() => Float, { nullable: true })
  contributionThreshold!: number | null;

  @Field(() => Float)
  riskThreshold!: number;

  @Field(() => [SkippedSku])
  skipped!: SkippedSku[];

  @Field(() => Explanation)
  explanation!: Explanation;
}
