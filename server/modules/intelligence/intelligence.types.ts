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
registerEnumType(DealStatus, {
  name: 'DealStatus',
  description: 'UPCOMING (announced) → LIVE → SOLD_OUT | EXPIRED.',
  valuesConfig: {
    EXPIRED: { description: 'Ended at its end time (or its inferred end) before selling out.' },
    SOLD_OUT: { description: 'Ended because its quantity was claimed.' },
    LIVE: { description: 'Running now.' },
    UPCOMING: { description: 'Announced, not started yet.' },
  },
});

export enum DealQuantitySource {
  GIVEN = 'GIVEN',
  IMPLIED = 'IMPLIED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(DealQuantitySource, {
  name: 'DealQuantitySource',
  description: 'GIVEN on the snapshots; IMPLIED from stock drops vs % claimed (with a band); UNKNOWN (figures stay in % claimed).',
  valuesConfig: {
    UNKNOWN: { description: 'Not known: unit figures are null, the curve is in % claimed.' },
    IMPLIED: { description: 'Estimated from claimed % and stock drops, with a 90 % band.' },
    GIVEN: { description: 'The listing showed the deal quantity.' },
  },
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
  valuesConfig: {
    INSUFFICIENT_DATA: { description: 'Too few live readings, units or elapsed time to tell.' },
    BACK_LOADED: { description: 'At most 15 % of the units went in the first quarter (the deal caught on late).' },
    STEADY: { description: 'Between front- and back-loaded: a sustained decline.' },
    FRONT_LOADED: { description: 'At least 40 % of the units went in the first quarter of the elapsed time (an early rush).' },
  },
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
  valuesConfig: {
    UNKNOWN: { description: 'The deal quantity is unknown.' },
    MARKET_TEST: { description: 'A small quantity: testing demand or a cautious promotion.' },
    STANDARD_PROMO: { description: 'An ordinary promotion: neither small nor large.' },
    CLEARANCE: { description: 'Large, deep discount with many days of cover before the deal: clearing stock.' },
    RANK_PUSH: { description: 'Large, deep discount on a weakly ranked or young listing: buying rank.' },
    VOLUME_PUSH: { description: 'Large deal to push volume (neither clearance nor rank push).' },
  },
});

export enum DrainModel {
  CONSTANT = 'CONSTANT',
  DECAY = 'DECAY',
}
registerEnumType(DrainModel, {
  name: 'DrainModel',
  description: 'Claim-curve fit: constant rate, or exponential decay r(t) = r0·e^(−kt).',
  valuesConfig: {
    DECAY: { description: 'The claim rate decays exponentially (r0·e^(−kt)): an early rush that slows.' },
    CONSTANT: { description: 'Claims grow at a constant rate.' },
  },
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
  valuesConfig: {
    FLAP: { description: '0 → a few units → 0 within hours (returns, released carts): confidence 0.2.' },
    JUMP: { description: 'Stock rose by at least the learned threshold while in stock.' },
    FROM_ZERO: { description: 'Stock went from 0 to available.' },
  },
});

export enum ActualUnitsSource {
  STOCK = 'STOCK',
  CLAIMS = 'CLAIMS',
  NONE = 'NONE',
}
registerEnumType(ActualUnitsSource, {
  name: 'ActualUnitsSource',
  description: 'Where the actual units of a deal comparison come from.',
  valuesConfig: {
    NONE: { description: 'Neither could measure the units.' },
    CLAIMS: { description: 'Claimed % × deal quantity.' },
    STOCK: { description: 'Exact stock drops.' },
  },
});

export enum DealBatchSource {
  DEAL_QUANTITY_INCREASE = 'DEAL_QUANTITY_INCREASE',
  CLAIMED_DROP = 'CLAIMED_DROP',
  STOCK_RESTOCK = 'STOCK_RESTOCK',
}
registerEnumType(DealBatchSource, {
  name: 'DealBatchSource',
  description: 'How a batch released into a live deal was seen.',
  valuesConfig: {
    STOCK_RESTOCK: { description: 'Stock rose during the deal.' },
    CLAIMED_DROP: { description: 'The claimed % fell while units kept selling.' },
    DEAL_QUANTITY_INCREASE: { description: 'The shown deal quantity rose.' },
  },
});

export enum VelocitySource {
  STOCK = 'STOCK',
  DEAL_CLAIMS = 'DEAL_CLAIMS',
  RANK_MODEL = 'RANK_MODEL',
  MONTHLY_SOLD = 'MONTHLY_SOLD',
}
registerEnumType(VelocitySource, {
  name: 'VelocitySource',
  description: 'The signal that made a velocity figure (docs/api.md, "Velocity sources").',
  valuesConfig: {
    STOCK: { description: 'Stock drops between readings, with any deal claims.' },
    DEAL_CLAIMS: { description: 'Deal % claimed × deal quantity only (stock capped or unknown during a deal).' },
    MONTHLY_SOLD: { description: 'The listing\'s "bought in past month", or a monthly sales estimate, ÷ 30.' },
    RANK_MODEL: {
      description: "Its sales rank through a rank → sales power law calibrated on the workspace's listings of the marketplace.",
    },
  },
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
  @Field(() => Date, { description: 'Start of the window measured.' })
  from!: Date;

  @Field(() => VelocitySource, {
    nullable: true,
    description:
      'Which signal made the figure; null when none did (the explanation says why). With MONTHLY_SOLD and RANK_MODEL the measured-interval fields are 0 and the interval comes from the bucket or the model.',
  })
  source!: VelocitySource | null;

  @Field(() => Date, { description: 'End of the window measured.' })
  to!: Date;

  @Field(() => RateEstimate, { description: 'Units sold per hour with its interval.' })
  perHour!: RateEstimate;

  @Field(() => RateEstimate, { description: 'Units sold per day (perHour × 24) with its interval.' })
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

  @Field(() => Float, { description: 'Hours covered by exact or claims intervals, the ones the rate is measured over.' })
  measuredHours!: number;

  @Field(() => Float, { description: 'Hours in intervals with a capped ("10+") end: sales there are only bounded from below.' })
  censoredHours!: number;

  @Field(() => Float, { description: 'Restock intervals and capture gaps: not counted as sales or as zero.' })
  unobservedHours!: number;

  @Field(() => Float, { description: 'Hours left out: anomalous readings and exclusion windows.' })
  excludedHours!: number;

  @Field(() => Float, { description: 'Sum of observed stock rises (restocks).' })
  restockUnits!: number;

  @Field(() => Float, { description: 'Dispersion index φ ≥ 1 that widens the Poisson interval.' })
  dispersion!: number;

  @Field(() => IntervalCounts, { description: 'Capture-to-capture intervals in the window by kind.' })
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
  @Field(() => Date, {
    nullable: true,
    description: '10 % of simulated drains sell out by then (an early case); null when they do not sell out before the end.',
  })
  p10!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Median sell-out time; null when the median drain does not sell out before the end.' })
  p50!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: '90 % of simulated drains sell out by then (a late case); null when they do not sell out before the end.',
  })
  p90!: Date | null;
}

@ObjectType({ description: 'The stretch where the deal drained fastest (rolling rate ≥ 80 % of the peak).' })
export class PeakPeriod {
  @Field(() => Date, { description: 'Start of the fastest stretch.' })
  start!: Date;

  @Field(() => Date, { description: 'End of the fastest stretch.' })
  end!: Date;

  @Field(() => Float, { description: 'Units (or % points when the quantity is unknown) per hour over the period.' })
  slopePerHour!: number;

  @Field(() => Float, { description: 'Units (or % points in percent mode) claimed during it.' })
  units!: number;
}

@ObjectType({ description: 'Captures without change in claims or exact stock while the deal was live.' })
export class Plateau {
  @Field(() => Date, { description: 'First capture of the flat stretch.' })
  start!: Date;

  @Field(() => Date, { description: 'Last capture of the flat stretch.' })
  end!: Date;

  @Field(() => Int, { description: 'Captures in the stretch.' })
  captures!: number;

  @Field(() => Float, { description: 'Length of the stretch, hours.' })
  hours!: number;

  @Field(() => Float, { description: 'Units the rate just before would have sold during it.' })
  expectedUnits!: number;

  @Field(() => Boolean, { description: 'The prior rate should have moved the figure: possible throttling or a failing source.' })
  suspicious!: boolean;
}

@ObjectType({ description: 'A batch released into a live deal.' })
export class DealBatch {
  @Field(() => Date, { description: 'When the batch was released.' })
  at!: Date;

  @Field(() => Float, { description: 'Units released.' })
  quantity!: number;

  @Field(() => DealBatchSource, { description: 'The evidence for the batch.' })
  source!: DealBatchSource;
}

@ObjectType({ description: 'One point of the claim curve: cumulative units (or % claimed when the quantity is unknown).' })
export class ClaimPoint {
  @Field(() => Date, { description: 'Capture time.' })
  at!: Date;

  @Field(() => Float, { description: 'Cumulative units claimed by then (% claimed in percent mode).' })
  units!: number;
}

@ObjectType({ description: 'A deal detected from the snapshots, evaluated as of now.' })
export class Deal {
  @Field(() => ID, {
    description: 'Deterministic: `<competitorId>:<type>:<startedAt epoch ms>`; the same deal keeps its id across requests.',
  })
  id!: string;

  @Field(() => ID, { description: 'The competitor the deal ran on.' })
  competitorId!: string;

  @Field(() => DealType, { description: 'Kind of deal (lightning, deal of the day, coupon, …).' })
  type!: CoreDealType;

  @Field(() => DealStatus, { description: 'State as of now.' })
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

  @Field(() => Date, { nullable: true, description: 'Start the listing announced; null when none was shown.' })
  scheduledStartAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End the listing announced (dealEndsAt); null when none was shown.' })
  scheduledEndAt!: Date | null;

  @Field(() => Date, { description: 'First capture that showed the deal (an UPCOMING deal: first capture announcing it).' })
  firstSeenAt!: Date;

  @Field(() => Date, { description: 'Last capture that showed the deal.' })
  lastSeenAt!: Date;

  @Field(() => Int, { description: 'Captures that showed the deal live.' })
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

  @Field(() => DealQuantitySource, {
    description: 'Where dealQuantity comes from: shown by the listing, implied from claims and stock, or unknown.',
  })
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

  @Field(() => Float, {
    nullable: true,
    description: 'Highest rolling rate during the deal, units per hour (% points per hour in percent mode); null with too few readings.',
  })
  peakVelocityPerHour!: number | null;

  @Field(() => Float, { nullable: true, description: '% claimed per hour now.' })
  velocityPercentPerHour!: number | null;

  @Field(() => SellOutEta, {
    nullable: true,
    description:
      'P10/P50/P90 sell-out time of a LIVE deal; null when it cannot be given or the drain never sells out (see sellOutEtaReason and explanation).',
  })
  sellOutEta!: SellOutEta | null;

  @Field(() => String, { nullable: true, description: 'Why sellOutEta is null (e.g. not live, no drain); null when it is given.' })
  sellOutEtaReason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Share of bootstrap draws selling out before the scheduled end (LIVE only).' })
  sellOutProbability!: number | null;

  @Field(() => DrainModel, {
    nullable: true,
    description: 'Model fitted to the claim curve for the sell-out ETA; null when none could be fitted.',
  })
  drainModel!: DrainModel | null;

  @Field(() => Date, { nullable: true, description: 'When the deal sold out (100 % claimed or stock 0); null when it has not.' })
  soldOutAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Units sold ÷ deal quantity (0–1).' })
  sellThroughRate!: number | null;

  @Field(() => Float, { description: 'Hours from startedAt to endedAt, or to now while live.' })
  durationHours!: number;

  @Field(() => PeakPeriod, { nullable: true, description: 'Where the deal drained fastest; null with too few readings.' })
  peakPeriod!: PeakPeriod | null;

  @Field(() => [Plateau], { description: 'Stretches without movement while live (possible throttling or a failing source).' })
  plateaus!: Plateau[];

  @Field(() => CurveShape, { description: 'How the units were spread over the deal: early rush, steady or late.' })
  curveShape!: CurveShape;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of units sold in the first quarter of the elapsed time (the curve-shape rule).',
  })
  firstQuarterShare!: number | null;

  @Field(() => DealStrategy, { description: "The seller's probable aim, read from quantity, discount and pre-deal baseline." })
  strategy!: DealStrategy;

  @Field(() => String, { description: 'The figures that decided the strategy, in words.' })
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

  @Field(() => Explanation, { description: 'Detection, quantity, curve and ETA step by step.' })
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

  @Field(() => Boolean, { description: 'True when the new level was capped ("999+"): quantity is null and quantityLowerBound a floor.' })
  quantityIsLowerBound!: boolean;

  @Field(() => Int, { description: 'Stock before the restock (last exact reading), units.' })
  fromLevel!: number;

  @Field(() => Int, { description: 'Stock after the restock, units (a floor when toLevelIsLowerBound).' })
  toLevel!: number;

  @Field(() => Boolean, { description: 'True when the reading after the restock was capped ("999+").' })
  toLevelIsLowerBound!: boolean;

  @Field(() => RestockKind, { description: 'From zero, a jump while in stock, or a flap.' })
  kind!: RestockKind;

  @Field(() => Float, { description: '0–1.' })
  confidence!: number;

  @Field(() => Int, { description: 'Rises merged into this event (tranches, flaps).' })
  transitions!: number;

  @Field(() => Explanation, { description: 'Threshold, readings and confidence, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'A period the competitor was out of stock (exact 0) for at least the minimum duration.' })
export class StockoutWindow {
  @Field(() => Date, { description: 'First exact 0 reading (midway from the last reading in stock).' })
  start!: Date;

  @Field(() => Date, { nullable: true, description: 'null while still out of stock (open window).' })
  end!: Date | null;

  @Field(() => Boolean, { description: 'True while the listing is still out of stock.' })
  open!: boolean;

  @Field(() => Float, { description: 'Hours from start to end (to now while open).' })
  durationHours!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Baseline units/day × duration days; null when no baseline could be measured or it is only a lower bound (see opportunityLower).',
  })
  opportunityUnits!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Lower end of the 90 % interval of units the competitor could not sell; null without a baseline.',
  })
  opportunityLower!: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper end of that interval; null without a baseline or when unbounded.' })
  opportunityUpper!: number | null;

  @Field(() => Boolean, { description: 'True when the baseline was censored: the opportunity is at least opportunityLower.' })
  opportunityIsLowerBound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Baseline units/day before the window (null when censored or unmeasurable).' })
  baselinePerDay!: number | null;

  @Field(() => Date, { nullable: true, description: 'The restock that ended the window.' })
  endedByRestockAt!: Date | null;

  @Field(() => Explanation, { description: 'Window edges, baseline and opportunity, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'The usual restock cycle.' })
export class RestockCycle {
  @Field(() => Int, { description: 'Restocks counted (FROM_ZERO or JUMP, confidence ≥ 0.5).' })
  restocks!: number;

  @Field(() => Float, { nullable: true, description: 'Mean days between restocks; null with fewer than two.' })
  meanDays!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median days between restocks; null with fewer than two.' })
  medianDays!: number | null;

  @Field(() => Date, { nullable: true, description: 'The latest restock; null when none.' })
  lastRestockAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last restock + median cycle.' })
  nextExpectedAt!: Date | null;
}

@ObjectType({
  description: "The competitor's normal state over a window: stock level, daily consumption (deals and stockouts left out), restock cycle.",
})
export class Baseline {
  @Field(() => Date, { description: 'Start of the baseline window.' })
  from!: Date;

  @Field(() => Date, { description: 'End of the baseline window (e.g. the deal start).' })
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

  @Field(() => Boolean, { description: 'True when capped readings entered the average: see avgStockLowerBound.' })
  avgStockIsLowerBound!: boolean;

  @Field(() => RateEstimate, { description: 'Units per day.' })
  dailyConsumption!: RateEstimate;

  @Field(() => Boolean, { description: 'True when capped readings entered the consumption: dailyConsumption.lower is a floor.' })
  consumptionIsLowerBound!: boolean;

  @Field(() => Float, { description: 'Hours at exact 0 in the window (left out of the consumption).' })
  outOfStockHours!: number;

  @Field(() => RestockCycle, { description: 'Restocks in the window and the usual time between them.' })
  restockCycle!: RestockCycle;

  @Field(() => Explanation, { description: 'How stock, consumption and cycle were computed.' })
  explanation!: Explanation;
}

@ObjectType({ description: "The deal's drain forecast made early in the deal, against what happened." })
export class DrainForecastCheck {
  @Field(() => Date, { description: 'When the forecast was made (early in the deal).' })
  forecastAt!: Date;

  @Field(() => DrainModel, { description: 'Drain model fitted then.' })
  model!: DrainModel;

  @Field(() => SellOutEta, { description: 'Sell-out quantiles forecast then.' })
  predictedSoldOutAt!: SellOutEta;

  @Field(() => Date, { nullable: true, description: 'When the deal really sold out; null when it did not.' })
  actualSoldOutAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Predicted P50 − actual sell-out, hours.' })
  errorHours!: number | null;

  @Field(() => Float, { description: 'Units (% in percent mode) forecast to be claimed by the end.' })
  predictedUnitsByEnd!: number;

  @Field(() => Float, { description: 'Units (% in percent mode) really claimed by the end.' })
  actualUnitsByEnd!: number;

  @Field(() => Float, { nullable: true, description: '(predicted − actual) ÷ actual × 100; null when actual is 0.' })
  unitsErrorPercent!: number | null;

  @Field(() => Boolean, { description: 'True when the figures are in % claimed (quantity unknown).' })
  percentMode!: boolean;
}

@ObjectType({
  description:
    'A deal against the 7–14 day pre-deal baseline: expected vs actual units, lift, post-deal rate, recovery, forecast vs actual.',
})
export class DealComparison {
  @Field(() => ID, { description: 'The deal compared.' })
  dealId!: string;

  @Field(() => Baseline, { description: 'The pre-deal baseline.' })
  baseline!: Baseline;

  @Field(() => Boolean, { description: 'At least 7 days of readings before the deal.' })
  baselineSufficient!: boolean;

  @Field(() => Float, { description: 'Hours the deal ran (start to end, or to now while live).' })
  dealHours!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Baseline units/day × deal hours ÷ 24; null when the baseline is censored or unmeasurable.',
  })
  expectedUnits!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Units sold during the deal as measured by actualUnitsSource; null when not measurable.',
  })
  actualUnits!: number | null;

  @Field(() => ActualUnitsSource, { description: 'Which readings actualUnits comes from.' })
  actualUnitsSource!: ActualUnitsSource;

  @Field(() => Float, { nullable: true, description: 'Units claimed in the deal.' })
  actualDealUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'actual ÷ expected.' })
  liftRatio!: number | null;

  @Field(() => Float, { nullable: true, description: 'actual − expected units: the lift in units; null when either is null.' })
  incrementalUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'Units/day over the 7 days after the deal.' })
  postPerDay!: number | null;

  @Field(() => Float, { nullable: true, description: 'postPerDay ÷ baseline units/day: below 1 means sales fell back after the deal.' })
  postRatioToBaseline!: number | null;

  @Field(() => Float, { nullable: true, description: 'Stock counting as recovered: 0.8 × pre-deal average stock.' })
  recoveryThreshold!: number | null;

  @Field(() => Date, { nullable: true, description: 'When stock got back to recoveryThreshold after the deal; null when it has not.' })
  recoveredAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Hours from the deal end to recoveredAt; null when not recovered.' })
  hoursToRecover!: number | null;

  @Field(() => DrainForecastCheck, {
    nullable: true,
    description: 'The early drain forecast against the outcome; null for live deals or without an early fit.',
  })
  forecastVsActual!: DrainForecastCheck | null;

  @Field(() => Explanation, { description: 'Baseline, expectation and outcome step by step.' })
  explanation!: Explanation;
}

@ObjectType({
  description: "Freshness of the competitor's captures: the newest reading, its age and source, and whether captures look stopped.",
})
export class DataStatus {
  @Field(() => Date, { nullable: true, description: 'Capture time of the newest reading; null without readings.' })
  newestAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Hours since newestAt; null without readings.' })
  ageHours!: number | null;

  @Field(() => String, { nullable: true, description: 'Source of the newest reading; null when it named none.' })
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

  @Field(() => Date, { description: 'Start of the window the capture figures count.' })
  windowFrom!: Date;

  @Field(() => Explanation, { description: 'Interval, threshold and staleness step by step.' })
  explanation!: Explanation;
}
