/**
 * GraphQL object types of the competitor-intelligence figures. Every figure is computed
 * in core/ and carries `explanation: Explanation!`. Censored readings ("10+", "999+") never become
 * exact figures here: where core only knows a lower bound, the exact field is null and the bound is
 * exposed next to it with an `…IsLowerBound(Only)` flag.
 */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DealType as CoreDealType } from '../../../core/series/types';
import { Explanation } from '../../graphql/explanation';
import { DealType } from '../snapshot/snapshot.entity';

export enum DealStatus {
  UPCOMING = 'UPCOMING',
  LIVE = 'LIVE',
  SOLD_OUT = 'SOLD_OUT',
  EXPIRED = 'EXPIRED',
}
registerEnumType(DealStatus, { name: 'DealStatus', description: 'UPCOMING (announced) → LIVE → SOLD_OUT | EXPIRED.' });

export enum DealQuantitySource {
  GIVEN = 'GIVEN',
  IMPLIED = 'IMPLIED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(DealQuantitySource, {
  name: 'DealQuantitySource',
  description: 'GIVEN on the snapshots; IMPLIED from stock drops vs % claimed (with a band); UNKNOWN (figures stay in % claimed).',
});

export enum CurveShape {
  FRONT_LOADED = 'FRONT_LOADED',
  STEADY = 'STEADY',
  BACK_LOADED = 'BACK_LOADED',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
}
registerEnumType(CurveShape, {
  name: 'CurveShape',
  description:
    'From f = share of units sold in the first quarter of the elapsed deal time: FRONT_LOADED ("J"-type collapse) f ≥ 0.40, BACK_LOADED f ≤ 0.15, STEADY ("L"-type decline) otherwise.',
});

export enum DealStrategy {
  VOLUME_PUSH = 'VOLUME_PUSH',
  RANK_PUSH = 'RANK_PUSH',
  CLEARANCE = 'CLEARANCE',
  STANDARD_PROMO = 'STANDARD_PROMO',
  MARKET_TEST = 'MARKET_TEST',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(DealStrategy, {
  name: 'DealStrategy',
  description:
    'Read from deal quantity Q, discount depth and the pre-deal baseline: Q < 100 MARKET_TEST; large (Q ≥ 300 or ≥ 3 days of sales) with ≥ 30 % discount → CLEARANCE (≥ 60 days of cover) or RANK_PUSH (weak rank or young listing), other large → VOLUME_PUSH; else STANDARD_PROMO.',
});

export enum DrainModel {
  CONSTANT = 'CONSTANT',
  DECAY = 'DECAY',
}
registerEnumType(DrainModel, {
  name: 'DrainModel',
  description: 'Claim-curve fit: constant rate, or exponential decay r(t) = r0·e^(−kt).',
});

export enum RestockKind {
  FROM_ZERO = 'FROM_ZERO',
  JUMP = 'JUMP',
  FLAP = 'FLAP',
}
registerEnumType(RestockKind, {
  name: 'RestockKind',
  description:
    'FROM_ZERO (0 → available), JUMP (rise ≥ the learned threshold), FLAP (0 ↔ a few units within hours: one low-confidence event).',
});

export enum ActualUnitsSource {
  STOCK = 'STOCK',
  CLAIMS = 'CLAIMS',
  NONE = 'NONE',
}
registerEnumType(ActualUnitsSource, { name: 'ActualUnitsSource', description: 'Where the actual units of a deal comparison come from.' });

export enum DealBatchSource {
  DEAL_QUANTITY_INCREASE = 'DEAL_QUANTITY_INCREASE',
  CLAIMED_DROP = 'CLAIMED_DROP',
  STOCK_RESTOCK = 'STOCK_RESTOCK',
}
registerEnumType(DealBatchSource, { name: 'DealBatchSource', description: 'How a batch released into a live deal was seen.' });

export enum VelocitySource {
  STOCK = 'STOCK',
  DEAL_CLAIMS = 'DEAL_CLAIMS',
  RANK_MODEL = 'RANK_MODEL',
  MONTHLY_SOLD = 'MONTHLY_SOLD',
}
registerEnumType(VelocitySource, {
  name: 'VelocitySource',
  description:
    'The signal that made a velocity figure (docs/api.md, "Velocity sources"): STOCK (stock drops between readings, with any deal claims), DEAL_CLAIMS (deal % claimed × quantity only), MONTHLY_SOLD (the listing\'s "bought in past month" or a monthly sales estimate), RANK_MODEL (its sales rank through a rank → sales power law calibrated on the workspace\'s listings of the marketplace).',
});

@ObjectType({
  description: 'A rate with its interval. `value` is null when only a lower bound is known (censored stock): then `lower` is that bound.',
})
export class RateEstimate {
  @Field(() => Float, { nullable: true, description: 'Point estimate; null when the readings only bound the figure from below.' })
  value!: number | null;

  @Field(() => Float, { description: 'Lower end of the interval (or the lower bound when value is null).' })
  lower!: number;

  @Field(() => Float, { nullable: true, description: 'Upper end of the interval; null = unbounded.' })
  upper!: number | null;
}

@ObjectType({ description: 'How many capture-to-capture intervals of each kind the window held.' })
export class IntervalCounts {
  @Field(() => Int, { description: 'Exact stock drops between exact readings.' })
  exact!: number;

  @Field(() => Int, { description: 'Deal intervals measured by % claimed × quantity.' })
  claims!: number;

  @Field(() => Int, { description: 'An end was censored ("10+", "999+"): sales only bounded.' })
  censored!: number;

  @Field(() => Int, { description: 'Stock rose: a restock, not negative sales.' })
  restock!: number;

  @Field(() => Int, { description: 'Readings too far apart: not counted, and not zero sales either.' })
  gap!: number;
}

@ObjectType({
  description:
    "Units sold per hour and per day over a window: from stock decreases and deal claims, or, where no stock is observed, from the listing's monthly sold figure or its sales rank (see `source`).",
})
export class Velocity {
  @Field(() => Date)
  from!: Date;

  @Field(() => VelocitySource, {
    nullable: true,
    description:
      'Which signal made the figure; null when none did (the explanation says why). With MONTHLY_SOLD and RANK_MODEL the measured-interval fields are 0 and the interval comes from the bucket or the model.',
  })
  source!: VelocitySource | null;

  @Field(() => Date)
  to!: Date;

  @Field(() => RateEstimate)
  perHour!: RateEstimate;

  @Field(() => RateEstimate)
  perDay!: RateEstimate;

  @Field(() => Float, { description: 'Coverage of the interval (0.9 = 5 %–95 %).' })
  confidence!: number;

  @Field(() => Boolean, {
    description: 'True when censored readings lie in the window: perHour.value/perDay.value are null and `lower` is a bound.',
  })
  isLowerBoundOnly!: boolean;

  @Field(() => Float, { description: 'Units counted in measured (exact or claims) intervals.' })
  unitsMeasured!: number;

  @Field(() => Float, { description: 'Units sold are at least this over measured plus censored time.' })
  unitsLowerBound!: number;

  @Field(() => Float, { description: 'Units measured during deals.' })
  dealUnits!: number;

  @Field(() => Float)
  measuredHours!: number;

  @Field(() => Float)
  censoredHours!: number;

  @Field(() => Float, { description: 'Restock intervals and capture gaps: not counted as sales or as zero.' })
  unobservedHours!: number;

  @Field(() => Float)
  excludedHours!: number;

  @Field(() => Float, { description: 'Sum of observed stock rises (restocks).' })
  restockUnits!: number;

  @Field(() => Float, { description: 'Dispersion index φ ≥ 1 that widens the Poisson interval.' })
  dispersion!: number;

  @Field(() => IntervalCounts)
  intervals!: IntervalCounts;

  /**
   * Resolved by VelocityResolver.explanation: either computed with the figures (on-demand path) or
   * built on request from the window's readings (figures served from the consumption facts).
   */
  explanation?: Explanation;
  explain?: () => Promise<Explanation>;
}

@ObjectType({
  description: 'Sell-out time quantiles. A quantile is null when, at that quantile, the deal does not sell out before it ends.',
})
export class SellOutEta {
  @Field(() => Date, { nullable: true })
  p10!: Date | null;

  @Field(() => Date, { nullable: true })
  p50!: Date | null;

  @Field(() => Date, { nullable: true })
  p90!: Date | null;
}

@ObjectType({ description: 'The stretch where the deal drained fastest (rolling rate ≥ 80 % of the peak).' })
export class PeakPeriod {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  end!: Date;

  @Field(() => Float, { description: 'Units (or % points when the quantity is unknown) per hour over the period.' })
  slopePerHour!: number;

  @Field(() => Float)
  units!: number;
}

@ObjectType({ description: 'Captures without change in claims or exact stock while the deal was live.' })
export class Plateau {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  end!: Date;

  @Field(() => Int)
  captures!: number;

  @Field(() => Float)
  hours!: number;

  @Field(() => Float, { description: 'Units the rate just before would have sold during it.' })
  expectedUnits!: number;

  @Field(() => Boolean, { description: 'The prior rate should have moved the figure: possible throttling or a failing source.' })
  suspicious!: boolean;
}

@ObjectType({ description: 'A batch released into a live deal.' })
export class DealBatch {
  @Field(() => Date)
  at!: Date;

  @Field(() => Float)
  quantity!: number;

  @Field(() => DealBatchSource)
  source!: DealBatchSource;
}

@ObjectType({ description: 'One point of the claim curve: cumulative units (or % claimed when the quantity is unknown).' })
export class ClaimPoint {
  @Field(() => Date)
  at!: Date;

  @Field(() => Float)
  units!: number;
}

@ObjectType({ description: 'A deal detected from the snapshots, evaluated as of now.' })
export class Deal {
  @Field(() => ID, {
    description: 'Deterministic: `<competitorId>:<type>:<startedAt epoch ms>`; the same deal keeps its id across requests.',
  })
  id!: string;

  @Field(() => ID)
  competitorId!: string;

  @Field(() => DealType)
  type!: CoreDealType;

  @Field(() => DealStatus)
  status!: DealStatus;

  @Field(() => Date, {
    description:
      'When the deal started: the scheduled start, the first reading showing it when its claims are still ~0, else back-dated from that reading by the early claim rate, between startedAtEarliest and startedAtLatest.',
  })
  startedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'Earliest the deal can have started: the capture before the first reading showing it, or — when that reading still shows ~0 % claimed — as long before it as half a point of claims takes at the early rate; equal to startedAt for a scheduled start; null when no capture precedes it.',
  })
  startedAtEarliest!: Date | null;

  @Field(() => Date, { description: 'Latest the deal can have started: the first reading showing it, or the scheduled start.' })
  startedAtLatest!: Date;

  @Field(() => Float, {
    nullable: true,
    description: 'Hours between startedAtEarliest and startedAtLatest: 0 when the start is exact, null when the earliest is unknown.',
  })
  startUncertaintyHours!: number | null;

  @Field(() => Date, { nullable: true, description: 'Sold-out moment, end of an expired deal; null while live or upcoming.' })
  endedAt!: Date | null;

  @Field(() => Boolean, {
    description:
      'True when no capture saw the deal end: endedAt is its scheduled end or, without one, the longest its type runs (lightning 12 h, deal of the day 24 h, best deal 14 days, coupon 90 days, price drop 14 days) after its start.',
  })
  endInferred!: boolean;

  @Field(() => Date, { nullable: true })
  scheduledStartAt!: Date | null;

  @Field(() => Date, { nullable: true })
  scheduledEndAt!: Date | null;

  @Field(() => Date)
  firstSeenAt!: Date;

  @Field(() => Date)
  lastSeenAt!: Date;

  @Field(() => Int)
  captures!: number;

  @Field(() => Int, { nullable: true, description: 'Final deal quantity in whole units (after batch releases); null when unknown.' })
  dealQuantity!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Lower end of the 90 % quantity band in whole units (equal to dealQuantity when GIVEN).',
  })
  dealQuantityLower!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Upper end of the 90 % quantity band in whole units (equal to dealQuantity when GIVEN).',
  })
  dealQuantityUpper!: number | null;

  @Field(() => DealQuantitySource)
  dealQuantitySource!: DealQuantitySource;

  @Field(() => Int, {
    nullable: true,
    description: 'Units claimed (% claimed × quantity, rounded to whole units); null when the quantity is unknown.',
  })
  unitsSold!: number | null;

  @Field(() => Float, { nullable: true, description: '0–100.' })
  claimedPercent!: number | null;

  @Field(() => Int, { nullable: true, description: 'Deal quantity − units sold, whole units; null when the quantity is unknown.' })
  remainingUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'Units/hour over the last hour of live readings (at the end when over).' })
  velocityPerHour!: number | null;

  @Field(() => Float, { nullable: true })
  peakVelocityPerHour!: number | null;

  @Field(() => Float, { nullable: true, description: '% claimed per hour now.' })
  velocityPercentPerHour!: number | null;

  @Field(() => SellOutEta, {
    nullable: true,
    description:
      'P10/P50/P90 sell-out time of a LIVE deal; null when it cannot be given or the drain never sells out (see sellOutEtaReason and explanation).',
  })
  sellOutEta!: SellOutEta | null;

  @Field(() => String, { nullable: true })
  sellOutEtaReason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Share of bootstrap draws selling out before the scheduled end (LIVE only).' })
  sellOutProbability!: number | null;

  @Field(() => DrainModel, { nullable: true })
  drainModel!: DrainModel | null;

  @Field(() => Date, { nullable: true })
  soldOutAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Units sold ÷ deal quantity (0–1).' })
  sellThroughRate!: number | null;

  @Field(() => Float)
  durationHours!: number;

  @Field(() => PeakPeriod, { nullable: true })
  peakPeriod!: PeakPeriod | null;

  @Field(() => [Plateau])
  plateaus!: Plateau[];

  @Field(() => CurveShape)
  curveShape!: CurveShape;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of units sold in the first quarter of the elapsed time (the curve-shape rule).',
  })
  firstQuarterShare!: number | null;

  @Field(() => DealStrategy)
  strategy!: DealStrategy;

  @Field(() => String)
  strategyReason!: string;

  @Field(() => Float, { nullable: true, description: 'Discount in % against referencePrice (the list price, else the pre-deal price).' })
  discountPercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Discount in % against the list price; null without a list price.' })
  discountVsListPercent!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Discount in % against the price before the deal (preDealPrice); null without readings in the 7 days before.',
  })
  discountVsPreDealPercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median price of the live readings.' })
  dealPrice!: number | null;

  @Field(() => Float, { nullable: true, description: 'Price discountPercent is measured against: the list price, else preDealPrice.' })
  referencePrice!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median list price during the deal; null when the source gives none.' })
  listPrice!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median price of the readings without a deal in the 7 days before it started.' })
  preDealPrice!: number | null;

  @Field(() => [DealBatch], { description: 'Restock batches released during the deal.' })
  restockBatches!: DealBatch[];

  @Field(() => [ClaimPoint], { description: 'The claim curve as analysed (at most one point per live capture).' })
  claimCurve!: ClaimPoint[];

  @Field(() => Boolean, { description: 'True when the quantity is unknown: curve and velocities are in % claimed, unit figures null.' })
  percentMode!: boolean;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'A restock event.' })
export class Restock {
  @Field(() => Date, { description: 'First reading that showed the restock.' })
  at!: Date;

  @Field(() => Date, { description: 'Previous known reading: the restock happened in (earliestAt, at].' })
  earliestAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description:
      'Units added as the readings show them (the observed rise: exact 0 → 800 is 800); null when the new level is censored (see quantityLowerBound).',
  })
  quantity!: number | null;

  @Field(() => Int, { description: 'Units added are at least this (equal to quantity when exact).' })
  quantityLowerBound!: number;

  @Field(() => Boolean)
  quantityIsLowerBound!: boolean;

  @Field(() => Int)
  fromLevel!: number;

  @Field(() => Int)
  toLevel!: number;

  @Field(() => Boolean)
  toLevelIsLowerBound!: boolean;

  @Field(() => RestockKind)
  kind!: RestockKind;

  @Field(() => Float, { description: '0–1.' })
  confidence!: number;

  @Field(() => Int, { description: 'Rises merged into this event (tranches, flaps).' })
  transitions!: number;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'A period the competitor was out of stock (exact 0) for at least the minimum duration.' })
export class StockoutWindow {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date, { nullable: true, description: 'null while still out of stock (open window).' })
  end!: Date | null;

  @Field(() => Boolean)
  open!: boolean;

  @Field(() => Float, { description: 'Hours from start to end (to now while open).' })
  durationHours!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Baseline units/day × duration days; null when no baseline could be measured or it is only a lower bound (see opportunityLower).',
  })
  opportunityUnits!: number | null;

  @Field(() => Float, { nullable: true })
  opportunityLower!: number | null;

  @Field(() => Float, { nullable: true })
  opportunityUpper!: number | null;

  @Field(() => Boolean)
  opportunityIsLowerBound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Baseline units/day before the window (null when censored or unmeasurable).' })
  baselinePerDay!: number | null;

  @Field(() => Date, { nullable: true, description: 'The restock that ended the window.' })
  endedByRestockAt!: Date | null;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'The usual restock cycle.' })
export class RestockCycle {
  @Field(() => Int)
  restocks!: number;

  @Field(() => Float, { nullable: true })
  meanDays!: number | null;

  @Field(() => Float, { nullable: true })
  medianDays!: number | null;

  @Field(() => Date, { nullable: true })
  lastRestockAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last restock + median cycle.' })
  nextExpectedAt!: Date | null;
}

@ObjectType({
  description: "The competitor's normal state over a window: stock level, daily consumption (deals and stockouts left out), restock cycle.",
})
export class Baseline {
  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => Float, { description: 'Days between the first and last reading in the window (7–14 wanted).' })
  coveredDays!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Time-weighted average stock; null when censored readings entered it (see avgStockLowerBound).',
  })
  avgStock!: number | null;

  @Field(() => Float, { nullable: true, description: 'The average is at least this (censored readings count at their shown value).' })
  avgStockLowerBound!: number | null;

  @Field(() => Boolean)
  avgStockIsLowerBound!: boolean;

  @Field(() => RateEstimate, { description: 'Units per day.' })
  dailyConsumption!: RateEstimate;

  @Field(() => Boolean)
  consumptionIsLowerBound!: boolean;

  @Field(() => Float)
  outOfStockHours!: number;

  @Field(() => RestockCycle)
  restockCycle!: RestockCycle;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: "The deal's drain forecast made early in the deal, against what happened." })
export class DrainForecastCheck {
  @Field(() => Date)
  forecastAt!: Date;

  @Field(() => DrainModel)
  model!: DrainModel;

  @Field(() => SellOutEta)
  predictedSoldOutAt!: SellOutEta;

  @Field(() => Date, { nullable: true })
  actualSoldOutAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Predicted P50 − actual sell-out, hours.' })
  errorHours!: number | null;

  @Field(() => Float)
  predictedUnitsByEnd!: number;

  @Field(() => Float)
  actualUnitsByEnd!: number;

  @Field(() => Float, { nullable: true })
  unitsErrorPercent!: number | null;

  @Field(() => Boolean)
  percentMode!: boolean;
}

@ObjectType({
  description:
    'A deal against the 7–14 day pre-deal baseline: expected vs actual units, lift, post-deal rate, recovery, forecast vs actual.',
})
export class DealComparison {
  @Field(() => ID)
  dealId!: string;

  @Field(() => Baseline, { description: 'The pre-deal baseline.' })
  baseline!: Baseline;

  @Field(() => Boolean, { description: 'At least 7 days of readings before the deal.' })
  baselineSufficient!: boolean;

  @Field(() => Float)
  dealHours!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Baseline units/day × deal hours ÷ 24; null when the baseline is censored or unmeasurable.',
  })
  expectedUnits!: number | null;

  @Field(() => Float, { nullable: true })
  actualUnits!: number | null;

  @Field(() => ActualUnitsSource)
  actualUnitsSource!: ActualUnitsSource;

  @Field(() => Float, { nullable: true, description: 'Units claimed in the deal.' })
  actualDealUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'actual ÷ expected.' })
  liftRatio!: number | null;

  @Field(() => Float, { nullable: true })
  incrementalUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'Units/day over the 7 days after the deal.' })
  postPerDay!: number | null;

  @Field(() => Float, { nullable: true })
  postRatioToBaseline!: number | null;

  @Field(() => Float, { nullable: true, description: 'Stock counting as recovered: 0.8 × pre-deal average stock.' })
  recoveryThreshold!: number | null;

  @Field(() => Date, { nullable: true })
  recoveredAt!: Date | null;

  @Field(() => Float, { nullable: true })
  hoursToRecover!: number | null;

  @Field(() => DrainForecastCheck, { nullable: true })
  forecastVsActual!: DrainForecastCheck | null;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({
  description: "Freshness of the competitor's captures: the newest reading, its age and source, and whether captures look stopped.",
})
export class DataStatus {
  @Field(() => Date, { nullable: true })
  newestAt!: Date | null;

  @Field(() => Float, { nullable: true })
  ageHours!: number | null;

  @Field(() => String, { nullable: true })
  source!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the newest reading arrived (its ingest time); later than newestAt by the delay of the feed or import.',
  })
  arrivedAt!: Date | null;

  @Field(() => Boolean, {
    description:
      'Captures that were arriving as they were taken stopped: nothing arrived for staleAfterHours. Imported history (arrived more than staleAfterHours after capture) is never stale; the DATA_STALE alert opens on the same rule.',
  })
  stale!: boolean;

  @Field(() => Float, {
    description:
      'max(2 h, factor × capture interval); the factor is the default DATA_STALE rule’s for the tier (CORE 2, GENERAL 3, POTENTIAL 4.5).',
  })
  staleAfterHours!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Median minutes between the newest 48 captures in the window (null with fewer than 2).',
  })
  captureIntervalMinutes!: number | null;

  @Field(() => Int, { description: 'Captures in the window.' })
  captures!: number;

  @Field(() => Date)
  windowFrom!: Date;

  @Field(() => Explanation)
  explanation!: Explanation;
}
