import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { AbcClass } from '../product/product.entity';
import { LeadTimeStageInput, PriceTierInput } from '../supplier/supplier.inputs';
import { DemandSource, OrderQuantityMethod, ReorderPointBasis, SafetyStockMethod } from './planning.types';

@ArgsType()
export class ReplenishmentPlanArgs {
  @Field(() => Float, { defaultValue: 0.95, description: 'Cycle service level for the service-level rule, in (0, 1).' })
  serviceLevel!: number;

  @Field(() => SafetyStockMethod, {
    defaultValue: SafetyStockMethod.SERVICE_LEVEL,
    description: 'Which safety stock the plan uses; all are shown.',
  })
  method!: SafetyStockMethod;

  @Field(() => Float, {
    nullable: true,
    description: 'Fill-rate target in (0, 1): adds the loss-function safety stock (required for method FILL_RATE).',
  })
  fillRateTarget?: number | null;

  @Field(() => OrderQuantityMethod, {
    defaultValue: OrderQuantityMethod.PEAK_COVERAGE,
    description: 'Which order quantity becomes orderQuantity; both are shown.',
  })
  quantityMethod!: OrderQuantityMethod;

  @Field(() => Float, { nullable: true, description: 'Demand uplift for a promotion or deal as a fraction (0.3 = +30 %).' })
  demandUplift?: number | null;

  @Field(() => String, { nullable: true, description: 'First day of the uplift (YYYY-MM-DD); default today.' })
  upliftStart?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day of the uplift (YYYY-MM-DD); default open-ended.' })
  upliftEnd?: string | null;

  @Field(() => Float, { nullable: true, description: 'Peak-coverage coefficient on peak demand; default 1.2 (1.3 when demand CV ≥ 0.5).' })
  peakCoefficient?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Expected daily demand at the peak (deal days); default the daily demand with uplift.',
  })
  peakDailyDemand?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Total peak demand the peak-coverage rule covers (overrides peakDailyDemand × coverage).',
  })
  peakDemand?: number | null;

  @Field(() => Float, { nullable: true, description: 'Days the peak-coverage order covers; default ⌈L̄⌉ + reviewPeriodDays.' })
  coverageDays?: number | null;

  @Field(() => Float, { defaultValue: 14, description: 'Days until the next planned review.' })
  reviewPeriodDays!: number;

  @Field(() => Float, { defaultValue: 0.25, description: 'Annual holding cost as a fraction of unit cost (EOQ).' })
  holdingRate!: number;

  @Field(() => Int, { defaultValue: 90, description: 'Days of sales history the demand statistics use (1–730).' })
  windowDays!: number;

  @Field(() => DemandSource, {
    defaultValue: DemandSource.MOVING_AVERAGE,
    description: 'MOVING_AVERAGE (default) or FORECAST: mean and sd of the demand forecast over the lead time.',
  })
  demandSource!: DemandSource;

  @Field(() => Int, { defaultValue: 365, description: 'Days projected for the order-by and stockout dates (1–3660).' })
  horizonDays!: number;

  @Field(() => Float, { nullable: true, description: 'Overrides the supplier lead time (required without a supplier).' })
  leadTimeDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Sd of leadTimeDays (default 0).' })
  leadTimeSdDays?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Longest lead time for the max-minus-average rule; default the supplier's, else L̄ + 3·σ_L.",
  })
  maxLeadTimeDays?: number | null;
}

@InputType({ description: 'EOQ inputs: units per year, cost per order, annual holding rate, base unit cost, optional all-units tiers.' })
export class EoqInput {
  @Field(() => Float, { description: 'Units needed per year.' })
  annualDemand!: number;

  @Field(() => Float, { description: 'Fixed cost per order (K).' })
  orderCost!: number;

  @Field(() => Float, { description: 'Annual holding cost as a fraction of unit cost (h = i·c).' })
  holdingRate!: number;

  @Field(() => Float, { description: 'Price per unit below the first break.' })
  unitCost!: number;

  @Field(() => [PriceTierInput], { nullable: true, description: 'All-units price breaks; omitted: the base unit cost for every quantity.' })
  tiers?: PriceTierInput[] | null;
}

@InputType({ description: 'What one unit costs delivered: unit cost plus freight, duty, insurance and other costs.' })
export class LandedCostInput {
  @Field(() => Float, { nullable: true, description: "Supplier price per unit (default: the product's unit cost)." })
  unitCost?: number | null;

  @Field(() => Float, { nullable: true, description: 'Freight per unit.' })
  freightPerUnit?: number | null;

  @Field(() => Float, { nullable: true, description: 'Spread over shipmentQuantity units.' })
  freightPerShipment?: number | null;

  @Field(() => Float, { nullable: true, description: 'Units per shipment that freightPerShipment is spread over.' })
  shipmentQuantity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Fraction of (unit + freight).' })
  insuranceRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Fraction of the customs value.' })
  dutyRate?: number | null;

  @Field(() => String, { nullable: true, description: 'CIF (default) or FOB.' })
  dutyBasis?: string | null;

  @Field(() => Float, { nullable: true, description: 'Any other cost per unit (labelling, fees).' })
  otherPerUnit?: number | null;
}

@InputType({ description: 'Annual cost of holding one unit: capital and shrink as fractions of its value, plus storage.' })
export class HoldingCostInput {
  @Field(() => Float, { nullable: true, description: 'Storage cost of one unit for a year.' })
  storagePerUnitPerYear?: number | null;

  @Field(() => Float, { nullable: true, description: 'Cost of capital per year, fraction of value.' })
  capitalRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Loss, damage, obsolescence per year, fraction of value.' })
  shrinkRate?: number | null;
}

@InputType({ description: 'Space available for the order.' })
export class StorageCapacityInput {
  @Field(() => Float, { description: 'Most units that can be stored.' })
  capacity!: number;

  @Field(() => Float, { description: 'Extra cost per unit per day above capacity.' })
  overflowPerUnitPerDay!: number;
}

@InputType({ description: 'Daily demand: mean and sd of units per day.' })
export class DailyDemandInput {
  @Field(() => Float, { description: 'Mean units per day.' })
  dailyMean!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Standard deviation of units per day.' })
  dailySd!: number;
}

@InputType({ description: 'Long-run cost of a missed sale: customers who never come back.' })
export class StockoutCostInput {
  @Field(() => Float, { nullable: true, description: 'Share of customers lost for good after a missed sale.' })
  churnRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Contribution a customer would have brought in the future.' })
  futureContributionPerCustomer?: number | null;
}

@InputType({
  description:
    'A profitability scenario. With sku, omitted price, unit cost, tiers, order cost, on hand (+ in transit) and demand come from the product, its supplier and its sales.',
})
export class ProfitabilityScenarioInput {
  @Field(() => String, { nullable: true, description: 'Product whose price, costs, stock and sales fill the omitted fields.' })
  sku?: string | null;

  @Field(() => Float, { nullable: true, description: 'Selling price per unit.' })
  price?: number | null;

  @Field(() => LandedCostInput, {
    nullable: true,
    description: 'Freight, duty, insurance and other costs per unit; omitted: the unit cost only.',
  })
  landed?: LandedCostInput | null;

  @Field(() => [PriceTierInput], { nullable: true, description: "All-units price breaks (default: the supplier's tiers)." })
  tiers?: PriceTierInput[] | null;

  @Field(() => Float, { nullable: true, description: "Fixed cost per order (default: the supplier's)." })
  orderCost?: number | null;

  @Field(() => HoldingCostInput, { nullable: true, description: 'Holding cost rates; omitted: the defaults.' })
  holding?: HoldingCostInput | null;

  @Field(() => StorageCapacityInput, { nullable: true, description: 'Storage capacity; units beyond it cost overflow.' })
  storage?: StorageCapacityInput | null;

  @Field(() => DailyDemandInput, { nullable: true, description: "Daily demand (default: from the product's sales)." })
  demand?: DailyDemandInput | null;

  @Field(() => Int, { description: 'Days the order must serve, e.g. 90.' })
  horizonDays!: number;

  @Field(() => Float, { nullable: true, description: "Units already available (default: the product's on hand + in transit)." })
  onHand?: number | null;

  @Field(() => StockoutCostInput, { nullable: true, description: 'Cost of customers lost to stockouts; omitted: lost margin only.' })
  stockout?: StockoutCostInput | null;

  @Field(() => Float, { nullable: true, description: 'Largest quantity on the curve; default 2·(μ + 3σ) of horizon demand.' })
  maxQuantity?: number | null;

  @Field(() => Int, { nullable: true, description: 'Sales window for the demand default (days, default 90).' })
  windowDays?: number | null;
}

@InputType({ description: 'Saves (or replaces, by name) a scenario to re-evaluate later.' })
export class SaveProfitabilityScenarioInput {
  @Field(() => String, { description: 'Name to save under; an existing scenario of that name (case-insensitive) is replaced.' })
  name!: string;

  @Field(() => ProfitabilityScenarioInput, { description: 'The scenario, re-evaluated each time it is read.' })
  scenario!: ProfitabilityScenarioInput;
}

@ArgsType()
export class ProfitabilityScenariosArgs extends PageArgs {}

@InputType({
  description:
    'A supplier to compare: a stored one (supplierId) whose values the other fields override, or an inline one (name, lead time, onTimeRate, orderCost required).',
})
export class SupplierChoiceInput {
  @Field(() => ID, { nullable: true, description: 'A stored supplier; the other fields override its values.' })
  supplierId?: string | null;

  @Field(() => String, { nullable: true, description: "Label (default: the stored supplier's name)." })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: "Price per unit from this supplier (default: the product's unit cost)." })
  unitCost?: number | null;

  @Field(() => [PriceTierInput], { nullable: true, description: "All-units price breaks (default: the stored supplier's)." })
  tiers?: PriceTierInput[] | null;

  @Field(() => LeadTimeStageInput, { nullable: true, description: "Procurement stage, days (default: the stored supplier's)." })
  procurement?: LeadTimeStageInput | null;

  @Field(() => LeadTimeStageInput, { nullable: true, description: "Shipping stage, days (default: the stored supplier's)." })
  shipping?: LeadTimeStageInput | null;

  @Field(() => LeadTimeStageInput, { nullable: true, description: "Inbound stage, days (default: the stored supplier's)." })
  inbound?: LeadTimeStageInput | null;

  @Field(() => Float, { nullable: true, description: 'Share of deliveries on time, 0–1.' })
  onTimeRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean extra days of a late delivery (default max(1, half the mean lead time)).' })
  lateDelayDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Fixed cost per order.' })
  orderCost?: number | null;
}

@InputType({ description: 'Seeded Monte Carlo comparison of two or more suppliers for one SKU.' })
export class CompareSuppliersInput {
  @Field(() => String, { nullable: true, description: 'Defaults price, unit cost and demand from this product.' })
  sku?: string | null;

  @Field(() => [SupplierChoiceInput], { description: '2–10 suppliers.' })
  suppliers!: SupplierChoiceInput[];

  @Field(() => DailyDemandInput, { nullable: true, description: "Daily demand (default: from the SKU's sales)." })
  demand?: DailyDemandInput | null;

  @Field(() => Float, { nullable: true, description: 'Selling price per unit.' })
  price?: number | null;

  @Field(() => Float, { defaultValue: 0.25, description: 'Annual holding cost as a fraction of unit cost.' })
  holdingRate!: number;

  @Field(() => Float, { defaultValue: 0.95, description: 'Cycle service level the reorder point is set for, 0–1.' })
  serviceLevel!: number;

  @Field(() => ReorderPointBasis, { defaultValue: ReorderPointBasis.EFFECTIVE, description: 'Lead time the reorder point is planned on.' })
  reorderPointBasis!: ReorderPointBasis;

  @Field(() => Float, { defaultValue: 0, description: 'Penalty per lost unit beyond the lost margin.' })
  lostSalePenalty!: number;

  @Field(() => Int, { defaultValue: 365, description: 'Days simulated per run.' })
  horizonDays!: number;

  @Field(() => Int, { defaultValue: 1, description: 'Same seed, same answer.' })
  seed!: number;

  @Field(() => Int, { defaultValue: 500, description: 'Simulated runs per supplier (more: steadier, slower).' })
  runs!: number;

  @Field(() => Int, { nullable: true, description: 'Sales window for the demand default (days, default 90).' })
  windowDays?: number | null;
}

@ArgsType()
export class SkuPriorityMatrixArgs {
  @Field(() => Int, { defaultValue: 500, description: 'How many products (by sku) enter the matrix, 1–500.' })
  first!: number;

  @Field(() => AbcClass, { nullable: true, description: 'Only products of this ABC class; omitted: all.' })
  abcClass?: AbcClass | null;

  @Field(() => Float, { nullable: true, description: 'Contribution per 30 days that counts as high; default the median.' })
  contributionThreshold?: number | null;

  @Field(() => Float, { defaultValue: 0.2, description: 'Stockout probability that counts as high.' })
  riskThreshold!: number;

  @Field(() => Int, { defaultValue: 90, description: "Days of sales history for each SKU's demand." })
  windowDays!: number;
}
