import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, Int } from 'type-graphql';
import { DealStatus } from './intelligence.types';

const AS_OF_DESCRIPTION =
  'Evaluate as of this instant (default: now): windows, defaults and the 180-day bounds count back from it and later readings are not seen. For analysing old history, e.g. imported exports.';

/** Every intelligence field is evaluated as of one instant: now, or `asOf`. */
@ArgsType()
export class AsOfArgs {
  @Field(() => Date, { nullable: true, description: AS_OF_DESCRIPTION })
  asOf?: Date | null;
}

/** Windows are [from, to); `to` later than now (or asOf) is read as now (figures are evaluated as of now). */
@ArgsType()
export class VelocityArgs extends AsOfArgs {
  @Field(() => Date, { nullable: true, description: 'Window start. Default: to − 30 days.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Window end. Default: now.' })
  to?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Interval coverage in (0.5, 0.999). Default 0.9.' })
  confidence?: number | null;
}

@ArgsType()
export class DealsArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: AS_OF_DESCRIPTION })
  asOf?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Deals overlapping [from, to). Default: to − 90 days; at most 180 days before now.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  to?: Date | null;

  @Field(() => DealStatus, { nullable: true, description: 'Only deals with this status; omitted: all.' })
  status?: DealStatus | null;
}

@ArgsType()
export class RestocksArgs extends AsOfArgs {
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
export class StockoutWindowsArgs extends AsOfArgs {
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
export class BaselineArgs extends AsOfArgs {
  @Field(() => Int, { defaultValue: 14, description: 'Window length in days, 1–60 (7–14 is usual).' })
  days!: number;

  @Field(() => Date, { nullable: true, description: 'Window end. Default: now; at most 180 days before now.' })
  to?: Date | null;
}
