import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Explanation } from '../../graphql/explanation';

/** Kinds of the seller's own promotions (core/forecast/promotions.ts PromotionType). */
export enum PromotionKind {
  LIGHTNING_DEAL = 'LIGHTNING_DEAL',
  COUPON = 'COUPON',
  PRICE_DISCOUNT = 'PRICE_DISCOUNT',
  OTHER = 'OTHER',
}
registerEnumType(PromotionKind, { name: 'PromotionType', description: "Kind of the seller's own promotion." });

/** Where a promotion stands against today (server date, UTC). */
export enum PromotionStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  PAST = 'PAST',
}
registerEnumType(PromotionStatus, {
  name: 'PromotionStatus',
  description: 'PLANNED: starts after today; ACTIVE: today is one of its days; PAST: ended before today.',
});

@ObjectType({ description: 'The lift a past promotion had over its baseline (the 28 promotion-free days before it).' })
export class MeasuredLift {
  @Field(() => Float, { description: 'Lift as a fraction: (p + ½)/(b + ½) − 1 (0.4 = +40 %).' })
  lift!: number;

  @Field(() => Float, { description: 'Mean daily units on the in-stock promotion days (p).' })
  promoMean!: number;

  @Field(() => Float, { description: 'Mean daily units on the in-stock baseline days (b).' })
  baselineMean!: number;

  @Field(() => Int)
  promoDays!: number;

  @Field(() => Int)
  baselineDays!: number;

  @Field(() => Int, { description: 'Promotion days out of stock, left out (their sales were capped).' })
  stockoutDays!: number;
}

@ObjectType({ description: 'Lift estimate of a planned or running promotion from past promotions (core/forecast/promotions.ts).' })
export class PromotionLiftEstimate {
  @Field(() => Float, { description: 'Expected lift as a fraction (0.4 = +40 %): the mean of the predicted ratio, minus 1.' })
  lift!: number;

  @Field(() => Float, { description: 'Median lift.' })
  medianLift!: number;

  @Field(() => Float)
  lower80!: number;

  @Field(() => Float)
  upper80!: number;

  @Field(() => Float)
  lower95!: number;

  @Field(() => Float)
  upper95!: number;

  @Field(() => Int, { description: 'Past promotions of this SKU used.' })
  sameSku!: number;

  @Field(() => Int, { description: 'Past promotions of other SKUs of the workspace used (pooled).' })
  workspace!: number;

  @Field(() => Float, { description: "Share of the SKU's own deviation from the pooled estimate kept: n/(n + σ²/τ²)." })
  skuWeight!: number;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: "A promotion of one of the seller's own products: a lightning deal, coupon, price discount or other." })
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => PromotionKind)
  type!: PromotionKind;

  @Field(() => String, { description: 'First day (YYYY-MM-DD, UTC), inclusive.' })
  start!: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD, UTC), inclusive.' })
  end!: string;

  @Field(() => Float, { nullable: true, description: 'Discount in percent (0–100).' })
  discountPct!: number | null;

  @Field(() => Int, { nullable: true, description: 'Units offered (a deal quantity), when known.' })
  quantity!: number | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => PromotionStatus)
  status!: PromotionStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** Internal: the product row's id, for the field resolvers. */
  productId!: string;
}
