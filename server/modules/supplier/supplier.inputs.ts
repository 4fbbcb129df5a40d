import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'One lead-time stage in days: mean and standard deviation.' })
export class LeadTimeStageInput {
  @Field(() => Float)
  mean!: number;

  @Field(() => Float, { defaultValue: 0 })
  sd!: number;
}

@InputType({ description: 'All-units price break: orders of at least minQuantity pay unitCost for every unit.' })
export class PriceTierInput {
  @Field(() => Int)
  minQuantity!: number;

  @Field(() => Float)
  unitCost!: number;
}

@InputType({
  description:
    'Creates a supplier or updates the one with the same name (case-insensitive). With id, updates that supplier (and may rename it). Omitted fields keep their value.',
})
export class UpsertSupplierInput {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => String)
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
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive.' })
  name?: string | null;
}
