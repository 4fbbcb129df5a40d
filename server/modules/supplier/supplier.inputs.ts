import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'One lead-time stage in days: mean and standard deviation.' })
export class LeadTimeStageInput {
  @Field(() => Float, { description: 'Mean duration, days.' })
  mean!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Standard deviation, days (0 = always the mean).' })
  sd!: number;
}

@InputType({ description: 'All-units price break: orders of at least minQuantity pay unitCost for every unit.' })
export class PriceTierInput {
  @Field(() => Int, { description: 'Orders of at least this many units get this price.' })
  minQuantity!: number;

  @Field(() => Float, { description: 'Price per unit for every unit of such an order.' })
  unitCost!: number;
}

@InputType({
  description:
    'Creates a supplier or updates the one with the same name (case-insensitive). With id, updates that supplier (and may rename it). Omitted fields keep their value.',
})
export class UpsertSupplierInput {
  @Field(() => ID, { nullable: true, description: 'Updates this supplier (and may rename it); omitted: matched by name.' })
  id?: string | null;

  @Field(() => String, { description: 'Unique name (case-insensitive).' })
  name!: string;

  @Field(() => LeadTimeStageInput, { nullable: true, description: 'Supplier response / production time. Required for a new supplier.' })
  procurement?: LeadTimeStageInput | null;

  @Field(() => LeadTimeStageInput, { nullable: true, description: 'Transport time. Required for a new supplier.' })
  shipping?: LeadTimeStageInput | null;

  @Field(() => LeadTimeStageInput, { nullable: true, description: 'Receiving, QC, labelling, shelving. Required for a new supplier.' })
  inbound?: LeadTimeStageInput | null;

  @Field(() => Float, { nullable: true, description: 'Longest lead time seen, days; null clears it.' })
  maxLeadTimeDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of deliveries on time, 0–1 (default 1).' })
  onTimeRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean extra days of a late delivery; null clears it.' })
  lateDelayDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Fixed cost per order (default 0).' })
  orderCost?: number | null;

  @Field(() => [PriceTierInput], { nullable: true, description: 'Replaces all price tiers when given ([] removes them).' })
  tiers?: PriceTierInput[] | null;
}

@ArgsType()
export class SuppliersArgs extends PageArgs {}

@ArgsType()
export class SupplierLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Supplier id (or give name instead).' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive.' })
  name?: string | null;
}
