import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { PromotionKind, PromotionStatus } from './promotion.types';

@InputType({ description: 'A promotion period of an own product.' })
export class RecordPromotionInput {
  @Field(() => String)
  sku!: string;

  @Field(() => PromotionKind)
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
  @Field(() => ID)
  id!: string;

  @Field(() => PromotionKind, { nullable: true })
  type?: PromotionKind | null;

  @Field(() => String, { nullable: true })
  start?: string | null;

  @Field(() => String, { nullable: true })
  end?: string | null;

  @Field(() => Float, { nullable: true })
  discountPct?: number | null;

  @Field(() => Int, { nullable: true })
  quantity?: number | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ArgsType()
export class PromotionsArgs {
  @Field(() => String, { nullable: true, description: "Only this SKU's promotions." })
  sku?: string | null;

  @Field(() => PromotionStatus, { nullable: true })
  status?: PromotionStatus | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–500 (default 50).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
