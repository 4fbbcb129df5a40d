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
    MAX: { description: 'The largest of the methods computed.' },
    FILL_RATE: { description: 'The smallest safety stock that meets the fill-rate target.' },
    SERVICE_LEVEL: { description: 'z·σ_LTD for the cycle service level.' },
    BRIEF: {
      description: 'Deprecated alias of MAX_MINUS_AVERAGE (planned with it, reported as it).',
      deprecationReason: 'Use MAX_MINUS_AVERAGE',
    },
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
    EOQ: { description: 'Whole EOQ batches (at the supplier price tiers) lifting the position above the reorder point.' },
    BRIEF: { description: 'Deprecated alias of PEAK_COVERAGE (planned with it, reported as it).', deprecationReason: 'Use PEAK_COVERAGE' },
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
  valuesConfig: {
    FORECAST: { description: 'The tracked forecast over the lead time (costs more: a model fit per product).' },
    MOVING_AVERAGE: { description: 'Mean and sd of in-stock days in the sales window.' },
  },
});

export enum ReorderPointBasis {
  EFFECTIVE = 'EFFECTIVE',
  QUOTED = 'QUOTED',
}
registerEnumType(ReorderPointBasis, {
  name: 'ReorderPointBasis',
  description: 'Lead time a simulated reorder point is planned on: EFFECTIVE includes late deliveries, QUOTED does not.',
  valuesConfig: {
    QUOTED: { description: 'Plan on the quoted lead time only: late deliveries show up as stockouts.' },
    EFFECTIVE: { description: 'Plan on the lead time including late deliveries (buffers for the on-time rate).' },
  },
});

export enum PriorityQuadrant {
  REORDER_FIRST = 'REORDER_FIRST',
  REORDER = 'REORDER',
  MONITOR = 'MONITOR',
  PAUSE = 'PAUSE',
}
registerEnumType(PriorityQuadrant, {
  name: 'PriorityQuadrant',
  description: 'Profit contribution × stockout risk quadrant.',
  valuesConfig: {
    PAUSE: { description: 'Low profit, low risk: replenishment can pause.' },
    MONITOR: { description: 'High profit, low risk: watch.' },
    REORDER: { description: 'Low profit, high stockout risk: reorder.' },
    REORDER_FIRST: { description: 'High profit, high stockout risk: reorder first.' },
  },
});

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

  @Field(() => Int, { description: 'Days of sales history asked for.' })
  windowDays!: number;

  @Field(() => String, { nullable: true, description: 'First day used (YYYY-MM-DD); null without sales.' })
  from!: string | null;

  @Field(() => String, { description: 'Last day used: yesterday (today is incomplete).' })
  to!: string;

  @Field(() => Int, { description: 'Days in the window counted (in stock or unrecorded).' })
  inStockDays!: number;

  @Field(() => Int, { description: 'Days flagged out of stock, left out of mean/sd/max.' })
  stockoutDaysExcluded!: number;

  @Field(() => Int, { description: 'Days without a record, counted as 0 units.' })
  unrecordedDays!: number;

  @Field(() => String, { nullable: true, description: 'Newest day with a sales record (YYYY-MM-DD); null without sales.' })
  lastRecordedDate!: string | null;

  @Field(() => [String], { description: 'Why the estimate may be weak (few days, many stockouts).' })
  warnings!: string[];

  @Field(() => Explanation, { description: 'Days used and left out, and the statistics, step by step.' })
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

  @Field(() => Float, { description: 'Largest in-stock daily demand, units.' })
  maxDaily!: number;

  @Field(() => Float, { description: 'Longest lead time, days.' })
  maxLeadTime!: number;

  @Field(() => Float, { description: 'Mean daily demand, units.' })
  avgDaily!: number;

  @Field(() => Float, { description: 'Mean lead time, days.' })
  avgLeadTime!: number;
}

@ObjectType({ description: 'Service-level safety stock z·σ_LTD.' })
export class ServiceLevelSafetyStock {
  @Field(() => Float, { description: 'After the ABC multiplier, ≥ 0, units.' })
  value!: number;

  @Field(() => Float, { description: 'z·σ_LTD before the ABC multiplier, units.' })
  raw!: number;

  @Field(() => Float, { description: 'Cycle service level targeted, 0–1.' })
  serviceLevel!: number;

  @Field(() => Float, { description: 'Standard normal quantile of the service level.' })
  z!: number;
}

@ObjectType({ description: 'Fill-rate safety stock: σ_LTD·G(k) = (1 − fill rate)·Q.' })
export class FillRateSafetyStock {
  @Field(() => Float, { description: 'After the ABC multiplier, ≥ 0, units.' })
  value!: number;

  @Field(() => Float, { description: 'σ_LTD·k before the ABC multiplier, units.' })
  raw!: number;

  @Field(() => Float, { description: 'Fill rate targeted: share of demand served from stock, 0–1.' })
  fillRate!: number;

  @Field(() => Float, { description: 'Safety factor solving σ_LTD·G(k) = (1 − fill rate)·Q.' })
  k!: number;

  @Field(() => Float, { description: 'Order quantity Q the fill rate is computed for, units.' })
  cycleQuantity!: number;
}

@ObjectType({ description: 'Every safety stock computed, side by side.' })
export class SafetyStockOptions {
  /** Also published under its first name, `brief` (deprecated: SafetyStockOptionsAliasResolver). */
  @Field(() => MaxMinusAverageSafetyStock, { description: 'max daily × max lead time − avg daily × avg lead time.' })
  maxMinusAverage!: MaxMinusAverageSafetyStock;

  @Field(() => ServiceLevelSafetyStock, { description: 'Service-level safety stock z·σ_LTD.' })
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

  @Field(() => Boolean, { description: 'True when the quantity was raised to the minimum order quantity.' })
  raisedToMoq!: boolean;

  @Field(() => Boolean, { description: 'True when the quantity was rounded up to whole cases.' })
  roundedToCasePack!: boolean;

  @Field(() => Boolean, { description: 'True when storage capacity cut the quantity.' })
  cappedByStorage!: boolean;

  @Field(() => Boolean, { description: 'Storage leaves no room for an orderable quantity.' })
  infeasible!: boolean;

  @Field(() => [String], { description: 'What changed the raw quantity and why.' })
  notes!: string[];
}

/** Published as BriefQuantityOption, the type's name since the first release. */
@ObjectType('BriefQuantityOption', {
  description: 'Peak-coverage order quantity: peak demand × coefficient − (on hand + in transit), made orderable.',
})
export class PeakCoverageQuantityOption extends QuantityOption {
  @Field(() => Float, { description: 'Peak demand over the coverage days.' })
  peakDemand!: number;

  @Field(() => Float, { description: 'Multiplier on the peak demand (covers growth and uncertainty).' })
  coefficient!: number;
}

@ObjectType({ description: 'Economic order quantity at the supplier tiers, made orderable (MOQ, case pack, storage).' })
export class EoqQuantityOption extends QuantityOption {
  @Field(() => Float, { description: 'The EOQ before making it orderable, units.' })
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
  @Field(() => String, { description: 'The plan date (UTC calendar day, YYYY-MM-DD) all dates count from.' })
  today!: string;

  @Field(() => Float, { description: 'Safety stock used (see safetyStockMethod).' })
  safetyStock!: number;

  @Field(() => SafetyStockMethod, { description: 'Which safety stock the plan uses.' })
  safetyStockMethod!: SafetyStockMethod;

  @Field(() => String, { description: 'Why that method was used, in words.' })
  safetyStockReason!: string;

  @Field(() => SafetyStockOptions, { description: 'Every safety stock method computed side by side.' })
  safetyStockOptions!: SafetyStockOptions;

  @Field(() => Float, { description: '1.2 for ABC class A, else 1.' })
  abcMultiplier!: number;

  @Field(() => Float, { description: 'ROP = d̄·L̄ + SS.' })
  reorderPoint!: number;

  @Field(() => Int, { description: 'Units on hand now.' })
  onHand!: number;

  @Field(() => Int, { description: 'Units on open purchase orders.' })
  inTransit!: number;

  @Field(() => Float, { description: 'On hand + in transit.' })
  stockPosition!: number;

  @Field(() => Float, { description: 'Orderable quantity by quantityMethod.' })
  orderQuantity!: number;

  @Field(() => OrderQuantityMethod, { description: 'Rule that sets orderQuantity.' })
  quantityMethod!: OrderQuantityMethod;

  @Field(() => QuantityOptions, { description: 'Order quantities by every rule side by side.' })
  quantityOptions!: QuantityOptions;

  @Field(() => Float, { nullable: true, description: 'Largest order that fits storage; null without a limit.' })
  storageHeadroom!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Day the stock position reaches the reorder point (may be past); null beyond the horizon.',
  })
  orderByDate!: string | null;

  @Field(() => Boolean, { description: 'True when the stock position is at or below the reorder point today.' })
  orderNow!: boolean;

  @Field(() => Int, { nullable: true, description: 'Negative when overdue.' })
  daysUntilOrderBy!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Day an order placed by orderByDate (today when overdue) would arrive, after the mean lead time; null without an order-by date.',
  })
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

  @Field(() => Float, { description: 'Expected units short per replenishment cycle at this safety stock (normal loss function).' })
  expectedShortagePerCycle!: number;

  @Field(() => Float, { description: 'L̄ = procurement + shipping + inbound means.' })
  leadTimeDays!: number;

  @Field(() => Float, { description: 'σ_L = √(sum of stage variances).' })
  leadTimeSdDays!: number;

  @Field(() => Float, { description: 'Longest lead time used by the max-minus-average safety stock, days.' })
  maxLeadTimeDays!: number;

  @Field(() => Float, { description: 'Mean daily demand over the coming lead time (uplift included).' })
  leadTimeDailyDemand!: number;

  @Field(() => Float, { description: 'Mean demand over the lead time, d̄·L̄, units.' })
  leadTimeDemandMean!: number;

  @Field(() => Float, { description: 'σ_LTD = √(L̄σ_d² + d̄²σ_L²).' })
  leadTimeDemandSd!: number;

  @Field(() => DemandEstimateType, { description: 'The daily demand statistics the plan used.' })
  demand!: DemandEstimateType;

  @Field(() => [String], { description: 'Inputs that make the plan less reliable (short history, stockouts, defaults).' })
  warnings!: string[];

  @Field(() => Explanation, { description: 'Every figure of the plan, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'One point of the annual cost curve of the EOQ.' })
export class EoqCurvePoint {
  @Field(() => Float, { description: 'Order quantity, units.' })
  quantity!: number;

  @Field(() => Float, { description: 'Purchase + ordering + holding per year at that quantity.' })
  annualCost!: number;
}

@ObjectType({ description: "A quantity EOQ evaluated: a tier's realizable EOQ or a price break." })
export class EoqCandidate {
  @Field(() => Int, { nullable: true, description: 'Index into the input tiers; null for the base price.' })
  tier!: number | null;

  @Field(() => Float, { description: 'Quantity evaluated, units.' })
  quantity!: number;

  @Field(() => Float, { description: 'Price per unit at that quantity.' })
  unitCost!: number;

  @Field(() => Float, { description: 'Purchase + ordering + holding per year at that quantity.' })
  annualCost!: number;

  @Field(() => String, { description: 'EOQ or BREAKPOINT.' })
  kind!: string;
}

@ObjectType({ description: 'Economic order quantity with all-units price tiers.' })
export class EoqResult {
  @Field(() => Float, { description: 'Order quantity with the lowest annual cost, units.' })
  quantity!: number;

  @Field(() => Int, { nullable: true, description: 'Index into the input tiers whose price applies; null for the base price.' })
  tier!: number | null;

  @Field(() => Float, { description: 'Price per unit at that quantity.' })
  unitCost!: number;

  @Field(() => Float, { description: 'Purchase + ordering + holding per year.' })
  annualCost!: number;

  @Field(() => Float, { description: 'Annual demand × unit cost, per year.' })
  purchaseCost!: number;

  @Field(() => Float, { description: 'Orders per year × order cost, per year.' })
  orderingCost!: number;

  @Field(() => Float, { description: 'Average stock (Q/2) × holding rate × unit cost, per year.' })
  holdingCost!: number;

  @Field(() => Float, { description: 'Annual demand ÷ quantity.' })
  ordersPerYear!: number;

  @Field(() => Float, { description: 'Days between orders: 365 ÷ orders per year.' })
  cycleDays!: number;

  @Field(() => [EoqCandidate], { description: "Every quantity evaluated: each tier's realizable EOQ and each price break." })
  candidates!: EoqCandidate[];

  @Field(() => [EoqCurvePoint], { description: 'At most 60 points, by quantity.' })
  curve!: EoqCurvePoint[];

  @Field(() => Explanation, { description: 'The candidates and the choice, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'Contribution of ordering `quantity` units over the horizon.' })
export class ContributionPoint {
  @Field(() => Float, { description: 'Units ordered.' })
  quantity!: number;

  @Field(() => Float, { description: 'Landed cost per unit at this quantity (its price tier).' })
  landedUnitCost!: number;

  @Field(() => Float, { description: 'Expected units sold over the horizon.' })
  expectedUnitsSold!: number;

  @Field(() => Float, { description: 'Expected demand not served (stockouts) over the horizon.' })
  expectedLostUnits!: number;

  @Field(() => Float, { description: 'Expected units sold × price.' })
  revenue!: number;

  @Field(() => Float, { description: 'Expected units sold × landed unit cost.' })
  costOfGoodsSold!: number;

  @Field(() => Float, { description: 'Fixed cost of placing the order (0 for quantity 0).' })
  orderCost!: number;

  @Field(() => Float, { description: 'Cost of holding the stock over the horizon.' })
  holdingCost!: number;

  @Field(() => Float, { description: 'Cost of units beyond storage capacity.' })
  overflowCost!: number;

  @Field(() => Float, { description: 'Lost future contribution from customers lost to stockouts.' })
  stockoutCost!: number;

  @Field(() => Float, { description: 'revenue − costOfGoodsSold − orderCost − holdingCost − overflowCost − stockoutCost.' })
  contribution!: number;

  @Field(() => Float, { nullable: true, description: 'contribution ÷ revenue; null at zero revenue.' })
  contributionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Δcontribution / ΔQ from the previous curve point.' })
  marginalContributionPerUnit!: number | null;
}

@ObjectType({
  description: 'Profitability of an order quantity: landed and holding cost, lost sales, the contribution curve and its best point.',
})
export class ProfitabilityScenarioResult {
  @Field(() => String, { nullable: true, description: 'The product the scenario used; null for a scenario without one.' })
  sku!: string | null;

  @Field(() => Float, { description: 'Landed cost per unit at the base price (unit + freight + duty + insurance + other).' })
  baseLandedUnitCost!: number;

  @Field(() => Float, { description: 'Holding cost of one unit for a year (capital, shrink, storage).' })
  holdingPerUnitPerYear!: number;

  @Field(() => [ContributionPoint], { description: 'At most 60 points, by quantity.' })
  curve!: ContributionPoint[];

  @Field(() => ContributionPoint, { description: 'The curve point with the highest contribution.' })
  best!: ContributionPoint;

  @Field(() => ContributionPoint, { description: 'Contribution of ordering nothing (selling the stock on hand).' })
  noOrder!: ContributionPoint;

  @Field(() => [String], { description: 'Inputs defaulted or clipped, and other caveats.' })
  warnings!: string[];

  @Field(() => Explanation, { description: 'Costs and the curve, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: "One supplier's simulated outcome." })
export class SupplierOutcome {
  @Field(() => String, { description: 'Supplier name.' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Set when the supplier is a stored one.' })
  supplierId!: string | null;

  @Field(() => Float, { description: 'Price per unit at the order quantity.' })
  unitCost!: number;

  @Field(() => Float, { description: 'Q: the EOQ at its price, units.' })
  orderQuantity!: number;

  @Field(() => Float, { description: 'ROP = d̄·L + z·σ_LTD on the planned lead time, units.' })
  reorderPoint!: number;

  @Field(() => Float, { description: 'z·σ_LTD, units.' })
  safetyStock!: number;

  @Field(() => Float, { description: 'Quoted mean lead time, days.' })
  leadTimeMean!: number;

  @Field(() => Float, { description: 'Quoted lead-time standard deviation, days.' })
  leadTimeSd!: number;

  @Field(() => Float, { description: 'Mean lead time with late deliveries, days.' })
  effectiveLeadTimeMean!: number;

  @Field(() => Float, { description: 'Lead-time standard deviation with late deliveries, days.' })
  effectiveLeadTimeSd!: number;

  @Field(() => Float, { description: 'Mean profit per run: margin − order costs − holding − lost-sale penalty.' })
  expectedProfit!: number;

  @Field(() => Float, { description: '10th percentile of profit per run.' })
  profitP10!: number;

  @Field(() => Float, { description: '90th percentile of profit per run.' })
  profitP90!: number;

  @Field(() => Float, { description: 'Expected profit ÷ expected revenue.' })
  profitMargin!: number;

  @Field(() => Float, { description: 'Mean days per run with unmet demand.' })
  expectedStockoutDays!: number;

  @Field(() => Float, { description: '90th percentile of stockout days per run.' })
  stockoutDaysP90!: number;

  @Field(() => Float, { description: 'Share of demand served from stock, 0–1.' })
  fillRate!: number;

  @Field(() => Float, { description: 'Mean units of demand lost per run.' })
  expectedLostUnits!: number;

  @Field(() => Float, { description: 'Share of deliveries that arrived late, 0–1.' })
  lateShare!: number;

  @Field(() => Float, { description: 'Mean orders placed per run.' })
  ordersPerRun!: number;
}

@ObjectType({ description: 'Suppliers compared by seeded Monte Carlo over lead-time outcomes.' })
export class SupplierComparison {
  @Field(() => [SupplierOutcome], { description: "Each supplier's simulated outcome, in input order." })
  suppliers!: SupplierOutcome[];

  @Field(() => String, { description: 'Name of the supplier with the highest expected profit.' })
  recommended!: string;

  @Field(() => ID, { nullable: true, description: 'Its id when it is a stored supplier; null for an inline one.' })
  recommendedSupplierId!: string | null;

  @Field(() => String, { description: 'Why it is recommended, in figures.' })
  reason!: string;

  @Field(() => Int, { description: 'Seed used: the same seed gives the same answer.' })
  seed!: number;

  @Field(() => Int, { description: 'Simulated runs per supplier.' })
  runs!: number;

  @Field(() => Int, { description: 'Days simulated per run.' })
  horizonDays!: number;

  @Field(() => Explanation, { description: 'Policies and outcomes step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'One SKU in the priority matrix.' })
export class PriorityRow {
  @Field(() => String, { description: 'The SKU.' })
  sku!: string;

  @Field(() => Int, { description: 'Position in rows, 1 = most urgent.' })
  rank!: number;

  @Field(() => PriorityQuadrant, { description: 'Profit × risk quadrant.' })
  quadrant!: PriorityQuadrant;

  @Field(() => String, { description: 'The quadrant in words.' })
  label!: string;

  @Field(() => Float, { description: 'Price − unit cost.' })
  unitMargin!: number;

  @Field(() => Float, { description: 'Unit margin ÷ price.' })
  marginRate!: number;

  @Field(() => Float, { description: 'Unit margin × d̄ × 30.' })
  profitContribution30d!: number;

  @Field(() => Float, { description: 'P(lead-time demand > on hand + in transit).' })
  stockoutRisk!: number;

  @Field(() => Float, { nullable: true, description: '(On hand + in transit) ÷ d̄; null at zero demand.' })
  daysOfCover!: number | null;

  @Field(() => Float, { description: '(Contribution ÷ largest contribution) × stockout risk: the order within a quadrant.' })
  score!: number;

  @Field(() => Explanation, { description: 'Contribution, risk and quadrant step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'A product left out of the matrix, and why.' })
export class SkippedSku {
  @Field(() => String, { description: 'The SKU left out.' })
  sku!: string;

  @Field(() => String, { description: 'Why it was left out.' })
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

  @Field(() => Float, {
    nullable: true,
    description: 'Profit contribution per 30 days counted as high (default: the median over the SKUs); null when no SKU was ranked.',
  })
  contributionThreshold!: number | null;

  @Field(() => Float, { description: 'Stockout risk at or above which a SKU counts as high risk, 0–1.' })
  riskThreshold!: number;

  @Field(() => [SkippedSku], { description: 'SKUs left out, with why (e.g. no price).' })
  skipped!: SkippedSku[];

  @Field(() => Explanation, { description: 'Thresholds and quadrant counts.' })
  explanation!: Explanation;
}
