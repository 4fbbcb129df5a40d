import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'This snapshot stands for a whole UTC hour of older readings (snapshot retention): its own fields are the hour’s last reading; ' +
    'these are the hour’s extremes. Min/max never present a capped ("10+", "999+") reading as exact: see the *IsLowerBound flags.',
})
export class SnapshotRollup {
  @Field(() => Date, { description: 'Start of the UTC hour the readings were taken in.' })
  hourStart!: Date;

  @Field(() => Int, { description: 'Raw readings the hour held before the roll-up (this one included).' })
  sampleCount!: number;

  @Field(() => Int, { nullable: true, description: 'Lowest stock shown in the hour; null when no reading knew the stock.' })
  stockMin!: number | null;

  @Field(() => Boolean, { description: 'True when a capped reading showed the lowest value: the hour’s real minimum is ≥ stockMin.' })
  stockMinIsLowerBound!: boolean;

  @Field(() => Int, { nullable: true, description: 'Highest stock shown in the hour.' })
  stockMax!: number | null;

  @Field(() => Boolean, { description: 'True when any reading of the hour was capped: the hour’s real maximum is ≥ stockMax.' })
  stockMaxIsLowerBound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Lowest price in the hour; null when no reading had one.' })
  priceMin!: number | null;

  @Field(() => Float, { nullable: true, description: 'Highest price in the hour; null when no reading had one.' })
  priceMax!: number | null;
}
