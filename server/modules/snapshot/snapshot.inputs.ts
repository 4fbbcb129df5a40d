import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import type { DealType as CoreDealType } from '../../../core/series/types';
import { DealType } from './snapshot.entity';

@InputType({
  description: 'One observation. The competitor is named by asin (+ marketplace); unknown ones are created with tier POTENTIAL.',
})
export class SnapshotInput {
  @Field(() => String, { description: "The listing's ASIN." })
  asin!: string;

  @Field(() => String, { defaultValue: 'US', description: 'Marketplace code, e.g. US or DE.' })
  marketplace!: string;

  @Field(() => Date, { description: 'When the observation was taken.' })
  capturedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Units available; omitted: unknown.' })
  stock?: number | null;

  @Field(() => Boolean, { defaultValue: false, description: 'True when the source caps stock ("10+", "999+").' })
  stockIsLowerBound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Buy-box price.' })
  price?: number | null;

  @Field(() => Float, { nullable: true, description: 'List (strike-through) price.' })
  listPrice?: number | null;

  @Field(() => DealType, { defaultValue: 'NONE', description: 'Deal shown at capture time (NONE when none).' })
  dealType!: CoreDealType;

  @Field(() => Int, { nullable: true, description: 'Deal quantity shown, units.' })
  dealQuantity?: number | null;

  @Field(() => Float, { nullable: true, description: '0–100.' })
  dealClaimedPercent?: number | null;

  @Field(() => Date, { nullable: true, description: 'Start of an announced deal (shows it as UPCOMING until then).' })
  dealStartsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the deal shown.' })
  dealEndsAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Best Sellers Rank.' })
  bsr?: number | null;

  @Field(() => Float, { nullable: true, description: 'Average star rating, 1–5.' })
  rating?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of ratings/reviews.' })
  reviewCount?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of sellers offering the item.' })
  offerCount?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Units bought in the past month as the marketplace shows it ("100+ bought in past month", Keepa monthlySold): a lower bound.',
  })
  monthlySold?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'A third-party tool\'s estimate of monthly unit sales (e.g. Helium 10 "ASIN Sales"): a model output, not an observation.',
  })
  estimatedMonthlySales?: number | null;

  @Field(() => String, { nullable: true, description: 'Where the reading came from (e.g. keepa, scraper, manual).' })
  source?: string | null;
}

@ObjectType({ description: 'A re-sent reading whose value disagrees with the stored one: the stored value is kept.' })
export class SnapshotConflict {
  @Field(() => String, { description: 'The listing.' })
  asin!: string;

  @Field(() => Date, { description: "The reading's capture time." })
  capturedAt!: Date;

  @Field(() => String, { description: 'The field that disagrees (e.g. stock, priceCents, bsr).' })
  field!: string;

  @Field(() => String, { description: 'The stored value (prices in currency units).' })
  stored!: string;

  @Field(() => String, { description: 'The re-sent value, not stored.' })
  incoming!: string;
}

@ObjectType({
  description:
    'Outcome of an ingest batch. A re-sent reading is a duplicate; it fills in the values the stored one lacked (merged) and any value that disagrees is reported (conflicts), never overwritten.',
})
export class RecordSnapshotsResult {
  @Field(() => Int, { description: 'New readings stored.' })
  inserted!: number;

  @Field(() => Int, { description: 'Rows already stored for the same (competitor, capturedAt).' })
  duplicates!: number;

  @Field(() => Int, { description: 'Competitors created (tier POTENTIAL) because the batch named unknown ASINs.' })
  competitorsCreated!: number;

  @Field(() => Int, {
    description: 'Stored readings that gained values they lacked from a duplicate (e.g. a re-import with more columns).',
  })
  merged!: number;

  @Field(() => Int, { description: 'Values of duplicates that disagree with the stored reading (kept as stored).' })
  conflicts!: number;

  @Field(() => [SnapshotConflict], { description: 'The first 10 conflicts.' })
  conflictExamples!: SnapshotConflict[];
}

@ArgsType()
export class SnapshotsArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound on capturedAt.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive upper bound on capturedAt.' })
  to?: Date | null;
}
