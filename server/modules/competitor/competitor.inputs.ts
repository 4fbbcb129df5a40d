import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { CompetitorTier } from './competitor.entity';

@InputType({ description: 'Creates a competitor or updates the one with the same (marketplace, asin).' })
export class UpsertCompetitorInput {
  @Field(() => String, { description: 'The ASIN (stored upper-case).' })
  asin!: string;

  @Field(() => String, { defaultValue: 'US', description: 'Marketplace code, e.g. US or DE.' })
  marketplace!: string;

  @Field(() => String, { nullable: true, description: 'Listing title; omitted: unchanged.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Brand; omitted: unchanged.' })
  brand?: string | null;

  @Field(() => CompetitorTier, { nullable: true, description: 'Defaults to GENERAL for a new competitor.' })
  tier?: CompetitorTier | null;
}

@ArgsType()
export class CompetitorsArgs extends PageArgs {
  @Field(() => CompetitorTier, { nullable: true, description: 'Only competitors of this tier; omitted: all.' })
  tier?: CompetitorTier | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on ASIN, title or brand.' })
  search?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only these ASINs (at most 500): one request for a whole sheet of lookups.' })
  asins?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Only this marketplace (e.g. US, DE).' })
  marketplace?: string | null;
}

@ArgsType()
export class CompetitorLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Competitor id (or give asin instead).' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'ASIN (case-insensitive), with marketplace.' })
  asin?: string | null;

  @Field(() => String, { nullable: true, description: 'With asin; defaults to US.' })
  marketplace?: string | null;
}
