import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Explanation } from '../../graphql/explanation';

/** Which model a forecast uses; AUTO chooses per series by rolling-origin backtest. */
export enum ForecastModel {
  AUTO = 'AUTO',
  ETS = 'ETS',
  INTERMITTENT = 'INTERMITTENT',
  SES = 'SES',
  HOLT = 'HOLT',
  DAMPED = 'DAMPED',
  HW_ADD = 'HW_ADD',
  HW_MULT = 'HW_MULT',
  THETA = 'THETA',
  ETS_THETA = 'ETS_THETA',
  CROSTON = 'CROSTON',
  SBA = 'SBA',
  TSB = 'TSB',
  ADIDA = 'ADIDA',
  LINEAR_TREND = 'LINEAR_TREND',
  SEASONAL_NAIVE = 'SEASONAL_NAIVE',
  NAIVE = 'NAIVE',
}
registerEnumType(ForecastModel, {
  name: 'ForecastModel',
  description:
    'AUTO: ETS+Theta combination, AutoETS, Theta and naive baselines for regular demand, TSB/SBA/Croston/ADIDA for intermittent demand (ADI ≥ 1.32), scored by rolling-origin backtest. ETS: AutoETS by AICc. INTERMITTENT: the intermittent candidates only. Others: that model alone.',
});

export enum ForecastSubject {
  PRODUCT = 'PRODUCT',
  COMPETITOR = 'COMPETITOR',
}
registerEnumType(ForecastSubject, { name: 'ForecastSubject', description: 'What a stored forecast run is about.' });

export enum ForecastGranularity {
  DAY = 'DAY',
  HOUR = 'HOUR',
}
registerEnumType(ForecastGranularity, { name: 'ForecastGranularity', description: 'Length of one forecast step.' });

/** The 80 % and 95 % prediction intervals every forecast step carries (not a schema type itself). */
@ObjectType({ description: 'Prediction interval bounds.' })
export abstract class PredictionIntervals {
  @Field(() => Float)
  lower80!: number;

  @Field(() => Float)
  upper80!: number;

  @Field(() => Float)
  lower95!: number;

  @Field(() => Float)
  upper95!: number;
}

@ObjectType({ description: 'One forecast step with its 80 % and 95 % prediction intervals.' })
export class ForecastPoint extends PredictionIntervals {
  @Field(() => Int, { description: '1 = the period right after the last observed one.' })
  step!: number;

  @Field(() => String, {
    description: 'ISO 8601 start of the period: a calendar day YYYY-MM-DD (daily) or an hour start instant (hourly).',
  })
  at!: string;

  @Field(() => Float, { description: 'Expected units in the period.' })
  value!: number;
}

@ObjectType({ description: 'Rolling-origin backtest accuracy (errors scaled by the in-sample naive forecast).' })
export class ForecastAccuracy {
  @Field(() => Float, { nullable: true, description: 'Mean absolute scaled error (< 1 beats the naive forecast).' })
  mase!: number | null;

  @Field(() => Float, { nullable: true, description: 'Root mean squared scaled error (M5).' })
  rmsse!: number | null;

  @Field(() => Float, { nullable: true, description: 'Σ|error| / Σ actual, a fraction.' })
  wape!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean (forecast − actual); positive = over-forecast.' })
  bias!: number | null;

  @Field(() => Int, { description: 'Backtest origins the scores average over.' })
  origins!: number;
}

@ObjectType({ description: 'A model the automatic choice considered, with its backtest score.' })
export class ForecastCandidate {
  @Field(() => String)
  model!: string;

  @Field(() => ForecastAccuracy, { nullable: true })
  accuracy!: ForecastAccuracy | null;

  @Field(() => String, { nullable: true, description: 'Why it was not scored.' })
  error!: string | null;
}

@ObjectType({ description: 'A demand forecast with intervals, the model chosen and why, its parameters and backtest accuracy.' })
export class Forecast {
  @Field(() => String, { description: 'The model used, e.g. ETS(A,A,A)+THETA or TSB.' })
  model!: string;

  @Field(() => ForecastModel)
  requestedModel!: ForecastModel;

  @Field(() => String, { description: 'Why this model was chosen.' })
  reason!: string;

  @Field(() => GraphQLJSONObject, { description: 'Fitted parameters by name (smoothing weights, initial states, AICc, σ²…).' })
  params!: Record<string, number>;

  @Field(() => ForecastGranularity)
  granularity!: ForecastGranularity;

  @Field(() => Int, { description: 'Season length used (1 = none), in steps.' })
  period!: number;

  @Field(() => String, { nullable: true, description: 'SBC demand class: SMOOTH, ERRATIC, INTERMITTENT or LUMPY.' })
  demandClass!: string | null;

  @Field(() => [ForecastPoint])
  points!: ForecastPoint[];

  @Field(() => ForecastAccuracy, {
    nullable: true,
    description: 'Backtest accuracy of the chosen model; null when the history is too short to backtest.',
  })
  accuracy!: ForecastAccuracy | null;

  @Field(() => [ForecastCandidate])
  candidates!: ForecastCandidate[];

  @Field(() => String)
  intervalMethod!: string;

  @Field(() => String, { description: 'ISO start of the first history period used.' })
  historyFrom!: string;

  @Field(() => String, { description: 'ISO start of the last observed period; step 1 is the period after it.' })
  historyTo!: string;

  @Field(() => Int, { description: 'History periods with exact demand (for products: in-stock days, unrecorded ones as 0).' })
  exactPeriods!: number;

  @Field(() => Int, { description: 'History periods censored (stockout, capped stock): demand ≥ the value, not used as exact.' })
  censoredPeriods!: number;

  @Field(() => Int, {
    description:
      'History periods with no observation (capture gaps, restocks): missing, not zero. Always 0 for products: an unrecorded day counts as 0 units in stock, or as censored inside a stockout run.',
  })
  missingPeriods!: number;

  @Field(() => Boolean, {
    description: 'True when part of the history is only a lower bound on demand (censored): real demand may be higher.',
  })
  lowerBound!: boolean;

  @Field(() => ID, {
    nullable: true,
    description: "The stored run this forecast updated (today's run for the subject); null for an ad-hoc forecast, which is never stored.",
  })
  runId!: string | null;

  @Field(() => Boolean, {
    description:
      "True for the tracked configuration (model AUTO at the default horizon), the one stored as today's run and scored by forecast vs actual; false for an ad-hoc model or horizon, computed but never stored.",
  })
  tracked!: boolean;

  @Field(() => Explanation)
  explanation!: Explanation;
}

@ObjectType({ description: 'One forecast step whose period now has an actual.' })
export class ForecastActualPoint extends PredictionIntervals {
  @Field(() => Int)
  step!: number;

  @Field(() => String, { description: 'ISO start of the period.' })
  at!: string;

  @Field(() => Float)
  forecast!: number;

  @Field(() => Float)
  actual!: number;

  @Field(() => Float, { description: 'forecast − actual.' })
  error!: number;
}

@ObjectType({ description: 'Accuracy of forecasts against the actuals known so far.' })
export class ForecastActualAccuracy {
  @Field(() => Int, { description: 'Forecast steps with an actual.' })
  matched!: number;

  @Field(() => Float, { nullable: true })
  mae!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean |error| / the run's in-sample naive MAE." })
  mase!: number | null;

  @Field(() => Float, { nullable: true, description: 'Σ|error| / Σ actual.' })
  wape!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean (forecast − actual); positive = over-forecast.' })
  bias!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of actuals inside the 80 % interval.' })
  coverage80!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of actuals inside the 95 % interval.' })
  coverage95!: number | null;
}

@ObjectType({ description: 'A stored forecast run against the actuals that have arrived since.' })
export class ForecastRunCheck {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String)
  model!: string;

  @Field(() => Int)
  horizon!: number;

  @Field(() => ForecastGranularity)
  granularity!: ForecastGranularity;

  @Field(() => String, { description: 'ISO start of step 1.' })
  originAt!: string;

  @Field(() => ForecastAccuracy, { nullable: true, description: 'Backtest accuracy the run reported when it was made.' })
  backtest!: ForecastAccuracy | null;

  @Field(() => [ForecastActualPoint])
  points!: ForecastActualPoint[];

  @Field(() => ForecastActualAccuracy)
  accuracy!: ForecastActualAccuracy;
}

@ObjectType({ description: 'Forecast vs actual for a subject over its stored runs (newest first): the feedback loop.' })
export class ForecastAccuracyReport {
  @Field(() => ForecastSubject)
  subjectType!: ForecastSubject;

  @Field(() => ID)
  subjectId!: string;

  @Field(() => [ForecastRunCheck])
  runs!: ForecastRunCheck[];

  @Field(() => ForecastActualAccuracy, {
    description: 'Pooled over the runs shown (a period forecast by several runs counts once per run).',
  })
  overall!: ForecastActualAccuracy;

  @Field(() => Explanation)
  explanation!: Explanation;
}

export const DEFAULT_HORIZON_DAYS = 28;
export const MAX_HORIZON_DAYS = 365;
export const DEFAULT_HORIZON_HOURS = 48;
export const MAX_HORIZON_HOURS = 336;
export const MAX_RUNS = 100;

@ArgsType()
export class ProductForecastArgs {
  @Field(() => Int, { defaultValue: DEFAULT_HORIZON_DAYS, description: `Days ahead, 1–${MAX_HORIZON_DAYS}.` })
  horizonDays!: number;

  @Field(() => ForecastModel, { defaultValue: ForecastModel.AUTO })
  model!: ForecastModel;
}

@ArgsType()
export class CompetitorForecastArgs {
  @Field(() => Int, { defaultValue: DEFAULT_HORIZON_HOURS, description: `Hours ahead, 1–${MAX_HORIZON_HOURS}.` })
  horizonHours!: number;

  @Field(() => ForecastModel, { defaultValue: ForecastModel.AUTO })
  model!: ForecastModel;
}

@ArgsType()
export class ForecastVsActualArgs {
  @Field(() => Int, { defaultValue: 30, description: `Runs made in the last this many days (one per day), 1–${MAX_RUNS}.` })
  days!: number;
}

@ArgsType()
export class ForecastAccuracyArgs extends ForecastVsActualArgs {
  @Field(() => ForecastSubject)
  subjectType!: ForecastSubject;

  @Field(() => ID, { description: 'Product id or competitor id.' })
  subjectId!: string;
}
