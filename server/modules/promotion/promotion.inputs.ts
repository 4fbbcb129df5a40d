import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { PromotionKind, PromotionStatus } from './promotion.types';
import { PageArgs } from '../../graphql/connection';

@InputType({ description: 'A promotion period of an own product.' })
export class RecordPromotionInput {
  @Field(() => String, { description: 'SKU of the own product.' })
  sku!: string;

  @Field(() => PromotionKind, { description: 'Kind of promotion.' })
  type!: PromotionKind;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  start!: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD (inclusive; at most 366 days after start).' })
  end!: string;

  @Field(() => Float, { nullable: true, description: 'Discount in percent, 0 ≤ x < 100.' })
  discountPct?: number | null;

  @Field(() => Int, { nullable: true, description: 'Units offered, ≥ 1.' })
  quantity?: number | null;

  @Field(() => String, { nullable: true, description: 'Free text, at most 200 characters.' })
  note?: string | null;
}

@InputType({ description: 'Changes to a promotion: omitted fields keep their value; null clears discountPct, quantity or note.' })
export class UpdatePromotionInput {
  @Field(() => ID, { description: 'The promotion to change.' })
  id!: string;

  @Field(() => PromotionKind, { nullable: true, description: 'New kind; omitted: unchanged.' })
  type?: PromotionKind | null;

  @Field(() => String, { nullable: true, description: 'New first day, YYYY-MM-DD; omitted: unchanged.' })
  start?: string | null;

  @Field(() => String, { nullable: true, description: 'New last day, YYYY-MM-DD (inclusive); omitted: unchanged.' })
  end?: string | null;

  @Field(() => Float, { nullable: true, description: 'New discount in percent, 0 ≤ x < 100; omitted: unchanged.' })
  discountPct?: number | null;

  @Field(() => Int, { nullable: true, description: 'New units offered, ≥ 1; omitted: unchanged.' })
  quantity?: number | null;

  @Field(() => String, { nullable: true, description: 'New note, at most 200 characters; omitted: unchanged.' })
  note?: string | null;
}

@ArgsType()
export class PromotionsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: "Only this SKU's promotions." })
  sku?: string | null;

  @Field(() => PromotionStatus, { nullable: true, description: 'Only promotions in this state as of today (PLANNED, ACTIVE, PAST).' })
  status?: PromotionStatus | null;
}
