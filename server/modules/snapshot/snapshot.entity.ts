import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DEAL_TYPES, type DealType as CoreDealType } from '../../../core/series/types';
import { centsTransformer, numberTransformer } from '../../db/columns';
import { Competitor } from '../competitor/competitor.entity';

export const DealType = Object.fromEntries(DEAL_TYPES.map((t) => [t, t])) as { [K in CoreDealType]: K };
registerEnumType(DealType, {
  name: 'DealType',
  description: 'Promotion shown on the listing at capture time.',
  valuesConfig: {
    PRICE_DROP: { description: 'A price cut without a deal badge.' },
    COUPON: { description: 'Coupon on the listing (up to 90 days).' },
    BEST_DEAL: { description: 'Best deal: runs up to 14 days.' },
    DEAL_OF_THE_DAY: { description: 'Deal of the day (24 h assumed without an end).' },
    LIGHTNING: { description: 'Lightning deal: limited quantity, a few hours (12 h assumed without an end).' },
    NONE: { description: 'No deal shown.' },
  },
});

/**
 * One timed observation of a competitor listing. Unique per (competitor, capturedAt), which is what
 * makes re-sending a batch idempotent.
 */
@ObjectType({ description: 'One timed observation of a competitor listing.' })
@Entity({ name: 'snapshot' })
@Index(['competitorId', 'capturedAt'], { unique: true })
export class Snapshot {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'competitor_id', type: 'varchar', length: 36 })
  competitorId!: string;

  @ManyToOne(() => Competitor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'competitor_id' })
  competitor?: Competitor;

  @Field(() => Date, { description: 'When the observation was taken (not when it arrived).' })
  @Column({ name: 'captured_at', type: Date })
  capturedAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'Units available, null when unknown. When stockIsLowerBound is true this is a floor, not a count.',
  })
  @Column({ type: 'integer', nullable: true })
  stock!: number | null;

  @Field(() => Boolean, { description: 'True when the source caps stock ("10+", "999+"): real stock ≥ stock.' })
  @Column({ name: 'stock_is_lower_bound', type: 'boolean', default: false })
  stockIsLowerBound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Buy-box price; null when not captured.' })
  @Column({ name: 'price_cents', type: 'integer', nullable: true, transformer: centsTransformer })
  price!: number | null;

  @Field(() => Float, { nullable: true, description: 'List (strike-through) price; null when not shown.' })
  @Column({ name: 'list_price_cents', type: 'integer', nullable: true, transformer: centsTransformer })
  listPrice!: number | null;

  @Field(() => DealType, { description: 'Deal shown at capture time (NONE when none).' })
  @Column({ name: 'deal_type', type: 'varchar', length: 20, default: 'NONE' })
  dealType!: CoreDealType;

  @Field(() => Int, { nullable: true, description: 'Deal quantity shown, units; null when none shown.' })
  @Column({ name: 'deal_quantity', type: 'integer', nullable: true })
  dealQuantity!: number | null;

  @Field(() => Float, { nullable: true, description: '0–100.' })
  @Column({ name: 'deal_claimed_percent', type: 'double precision', nullable: true, transformer: numberTransformer })
  dealClaimedPercent!: number | null;

  @Field(() => Date, { nullable: true, description: 'Start of an announced deal; in the future while it is UPCOMING.' })
  @Column({ name: 'deal_starts_at', type: Date, nullable: true })
  dealStartsAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the deal shown; null when none shown.' })
  @Column({ name: 'deal_ends_at', type: Date, nullable: true })
  dealEndsAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Best Sellers Rank.' })
  @Column({ type: 'integer', nullable: true })
  bsr!: number | null;

  @Field(() => Float, { nullable: true, description: 'Average star rating, 1–5; null when not captured.' })
  @Column({ type: 'double precision', nullable: true, transformer: numberTransformer })
  rating!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of ratings/reviews; null when not captured.' })
  @Column({ name: 'review_count', type: 'integer', nullable: true })
  reviewCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of sellers offering the item; null when not captured.' })
  @Column({ name: 'offer_count', type: 'integer', nullable: true })
  offerCount!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Units bought in the past month as the marketplace shows it ("100+ bought in past month", Keepa monthlySold): a lower bound.',
  })
  @Column({ name: 'monthly_sold', type: 'integer', nullable: true })
  monthlySold!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'A third-party tool\'s estimate of monthly unit sales (e.g. Helium 10 "ASIN Sales"): a model output, not an observation.',
  })
  @Column({ name: 'est_monthly_sales', type: 'integer', nullable: true })
  estimatedMonthlySales!: number | null;

  @Field(() => String, { nullable: true, description: 'Where the reading came from (e.g. keepa, scraper, manual).' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  source!: string | null;

  @CreateDateColumn({ name: 'ingested_at', type: Date })
  ingestedAt!: Date;

  // Roll-up of an old UTC hour (server/modules/retention): null on raw rows. Exposed as Snapshot.rollup.
  @Column({ name: 'stock_min', type: 'integer', nullable: true })
  stockMin!: number | null;

  @Column({ name: 'stock_min_is_lower_bound', type: 'boolean', nullable: true })
  stockMinIsLowerBound!: boolean | null;

  @Column({ name: 'stock_max', type: 'integer', nullable: true })
  stockMax!: number | null;

  @Column({ name: 'stock_max_is_lower_bound', type: 'boolean', nullable: true })
  stockMaxIsLowerBound!: boolean | null;

  @Column({ name: 'price_min_cents', type: 'integer', nullable: true, transformer: centsTransformer })
  priceMin!: number | null;

  @Column({ name: 'price_max_cents', type: 'integer', nullable: true, transformer: centsTransformer })
  priceMax!: number | null;

  @Column({ name: 'sample_count', type: 'integer', nullable: true })
  sampleCount!: number | null;
}
