import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Explanation } from '../../graphql/explanation';

/** Kinds of the seller's own promotions (core/forecast/promotions.ts PromotionType). */
export enum PromotionKind {
  LIGHTNING_DEAL = 'LIGHTNING_DEAL',
  COUPON = 'COUPON',
  PRICE_DISCOUNT = 'PRICE_DISCOUNT',
  OTHER = 'OTHER',
}
registerEnumType(PromotionKind, {
  name: 'PromotionType',
  description: "Kind of the seller's own promotion.",
  valuesConfig: {
    LIGHTNING_DEAL: { description: 'A lightning deal: a fixed quantity at a discount for a few hours.' },
    COUPON: { description: 'A coupon clipped on the listing.' },
    PRICE_DISCOUNT: { description: 'A plain price cut (sale price, Prime exclusive discount).' },
    OTHER: { description: 'Any other promotion (bundle, giveaway, external campaign).' },
  },
});

/** Where a promotion stands against today (server date, UTC). */
export enum PromotionStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  PAST = 'PAST',
}
registerEnumType(PromotionStatus, {
  name: 'PromotionStatus',
  description: 'Where a promotion stands against today (server date, UTC).',
  valuesConfig: {
    PLANNED: { description: 'Starts after today.' },
    ACTIVE: { description: 'Today is one of its days.' },
    PAST: { description: 'Ended before today.' },
  },
});

@ObjectType({ description: 'The lift a past promotion had over its baseline (the 28 promotion-free days before it).' })
export class MeasuredLift {
  @Field(() => Float, { description: 'Lift as a fraction: (p + ½)/(b + ½) − 1 (0.4 = +40 %).' })
  lift!: number;

  @Field(() => Float, { description: 'Mean daily units on the in-stock promotion days (p).' })
  promoMean!: number;

  @Field(() => Float, { description: 'Mean daily units on the in-stock baseline days (b).' })
  baselineMean!: number;

  @Field(() => Int, { description: 'In-stock promotion days the promotion mean is taken over.' })
  promoDays!: number;

  @Field(() => Int, { description: 'In-stock promotion-free days (of the 28 before it) the baseline mean is taken over.' })
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

  @Field(() => Float, { description: 'Lower end of the 80 % interval of the lift.' })
  lower80!: number;

  @Field(() => Float, { description: 'Upper end of the 80 % interval of the lift.' })
  upper80!: number;

  @Field(() => Float, { description: 'Lower end of the 95 % interval of the lift.' })
  lower95!: number;

  @Field(() => Float, { description: 'Upper end of the 95 % interval of the lift.' })
  upper95!: number;

  @Field(() => Int, { description: 'Past promotions of this SKU used.' })
  sameSku!: number;

  @Field(() => Int, { description: 'Past promotions of other SKUs of the workspace used (pooled).' })
  workspace!: number;

  @Field(() => Float, { description: "Share of the SKU's own deviation from the pooled estimate kept: n/(n + σ²/τ²)." })
  skuWeight!: number;

  @Field(() => Explanation, { description: 'How the estimate was made: the promotions pooled, the shrinkage and the interval.' })
  explanation!: Explanation;
}

@ObjectType({ description: "A promotion of one of the seller's own products: a lightning deal, coupon, price discount or other." })
export class Promotion {
  @Field(() => ID, { description: 'Stable id of the promotion (a UUID).' })
  id!: string;

  @Field(() => String, { description: 'SKU of the own product promoted.' })
  sku!: string;

  @Field(() => PromotionKind, { description: 'Kind of promotion.' })
  type!: PromotionKind;

  @Field(() => String, { description: 'First day (YYYY-MM-DD, UTC), inclusive.' })
  start!: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD, UTC), inclusive.' })
  end!: string;

  @Field(() => Float, { nullable: true, description: 'Discount in percent (0–100).' })
  discountPct!: number | null;

  @Field(() => Int, { nullable: true, description: 'Units offered (a deal quantity), when known.' })
  quantity!: number | null;

  @Field(() => String, { nullable: true, description: 'Free text the seller recorded.' })
  note!: string | null;

  @Field(() => PromotionStatus, { description: 'PLANNED, ACTIVE or PAST as of today.' })
  status!: PromotionStatus;

  @Field(() => Date, { description: 'When it was recorded.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it last changed.' })
  updatedAt!: Date;

  /** Internal: the product row's id, for the field resolvers. */
  productId!: string;
}
