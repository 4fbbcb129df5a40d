import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, Int } from 'type-graphql';
import { DealStatus } from './intelligence.types';

/** Windows are [from, to); `to` later than now is read as now (figures are evaluated as of now). */
@ArgsType()
export class VelocityArgs {
  @Field(() => Date, { nullable: true, description: 'Window start. Default: to − 30 days.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Window end. Default: now.' })
  to?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Interval coverage in (0.5, 0.999). Default 0.9.' })
  confidence?: number | null;
}

@ArgsType()
export class DealsArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Deals overlapping [from, to). Default: to − 90 days; at most 180 days before now.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  to?: Date | null;

  @Field(() => DealStatus, { nullable: true, description: 'Only deals with this status; omitted: all.' })
  status?: DealStatus | null;
}

@ArgsType()
export class RestocksArgs {
  @Field(() => Date, { nullable: true, description: 'Restocks seen in [from, to). Default: to − 30 days; at most 180 days before now.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  to?: Date | null;

  @Field(() => Int, { nullable: true, description: 'At most this many, newest first: 1–500 (default 50).' })
  first?: number | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Include FLAP events (0 ↔ a few units within hours, confidence 0.2).' })
  includeFlaps!: boolean;
}

@ArgsType()
export class StockoutWindowsArgs {
  @Field(() => Date, { nullable: true, description: 'Windows overlapping [from, to). Default: to − 30 days; at most 180 days before now.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  to?: Date | null;

  @Field(() => Float, {
    defaultValue: 24,
    description: 'Shortest out-of-stock period to report, hours (e.g. 168 = a week).',
  })
  minDurationHours!: number;

  @Field(() => Int, { nullable: true, description: 'At most this many, newest first: 1–500 (default 50).' })
  first?: number | null;
}

@ArgsType()
export class BaselineArgs {
  @Field(() => Int, { defaultValue: 14, description: 'Window length in days, 1–60 (7–14 is usual).' })
  days!: number;

  @Field(() => Date, { nullable: true, description: 'Window end. Default: now; at most 180 days before now.' })
  to?: Date | null;
}
