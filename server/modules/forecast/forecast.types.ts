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
  ARIMA = 'ARIMA',
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
    'AUTO: ETS+Theta combination, AutoETS, Theta, ARIMA and naive baselines for regular demand, TSB/SBA/Croston/ADIDA for intermittent demand (ADI ≥ 1.32), scored by rolling-origin backtest. ETS: AutoETS by AICc. INTERMITTENT: the intermittent candidates only. Others: that model alone.',
  valuesConfig: {
    NAIVE: { description: 'Each step repeats the last observed value.' },
    SEASONAL_NAIVE: { description: 'Each step repeats the value one season earlier.' },
    LINEAR_TREND: { description: 'Least-squares straight line through the history.' },
    ADIDA: { description: 'Aggregate-disaggregate intermittent demand approach.' },
    TSB: { description: 'Teunter-Syntetos-Babai: demand probability and size smoothed separately.' },
    SBA: { description: 'Syntetos-Boylan approximation: Croston with its bias corrected.' },
    CROSTON: { description: "Croston's method for intermittent demand." },
    ETS_THETA: { description: 'Average of the ETS and Theta forecasts.' },
    ARIMA: {
      description:
        'Seasonal ARIMA(p,d,q)(P,D,Q) with the season from the calendar: d by KPSS tests, D by seasonal strength, orders by a stepwise AICc search (Hyndman-Khandakar), coefficients by conditional sum of squares.',
    },
    THETA: { description: 'Theta method (SES with drift).' },
    HW_MULT: { description: 'Holt-Winters with multiplicative seasonality.' },
    HW_ADD: { description: 'Holt-Winters with additive seasonality.' },
    DAMPED: { description: 'Holt with a damped trend.' },
    HOLT: { description: "Holt's linear trend method." },
    SES: { description: 'Simple exponential smoothing: level only.' },
    INTERMITTENT: { description: 'Best of the intermittent-demand methods (TSB, SBA, Croston, ADIDA) by backtest.' },
    ETS: { description: 'Best exponential smoothing state-space model by AICc.' },
    AUTO: { description: 'Choose by rolling-origin backtest among the regular or intermittent candidates, by demand class.' },
  },
});

export enum ForecastSubject {
  PRODUCT = 'PRODUCT',
  COMPETITOR = 'COMPETITOR',
}
registerEnumType(ForecastSubject, {
  name: 'ForecastSubject',
  description: 'What a stored forecast run is about.',
  valuesConfig: {
    COMPETITOR: { description: 'A competitor listing: consumption measured from its snapshots.' },
    PRODUCT: { description: 'An own product: daily sales.' },
  },
});

export enum ForecastGranularity {
  DAY = 'DAY',
  HOUR = 'HOUR',
}
registerEnumType(ForecastGranularity, {
  name: 'ForecastGranularity',
  description: 'Length of one forecast step.',
  valuesConfig: { HOUR: { description: 'One step is a UTC hour.' }, DAY: { description: 'One step is a UTC calendar day.' } },
});

/** Which signal a forecast's demand history came from. */
export enum ForecastSource {
  SALES = 'SALES',
  STOCK = 'STOCK',
  RANK_MODEL = 'RANK_MODEL',
  MONTHLY_SOLD = 'MONTHLY_SOLD',
}
registerEnumType(ForecastSource, {
  name: 'ForecastSource',
  description: 'Which signal made the demand history the forecast was fitted on.',
  valuesConfig: {
    SALES: { description: "An own product's recorded daily sales." },
    STOCK: { description: "A competitor's stock decreases (and deal claims) between readings: hourly steps." },
    RANK_MODEL: {
      description:
        "A competitor's daily sales rank through the rank → sales power law calibrated on the marketplace's listings with known sales (as Velocity RANK_MODEL): daily steps, intervals widened by the model's own interval.",
    },
    MONTHLY_SOLD: {
      description:
        'A competitor\'s "bought in past month" badge (bucket midpoint ÷ 30) or a third-party monthly sales estimate ÷ 30: daily steps, intervals widened to the bucket.',
    },
  },
});

/** Why a forecast is null (every path that gives no forecast). */
export enum ForecastUnavailableReason {
  NO_READINGS = 'NO_READINGS',
  STALE = 'STALE',
  NO_STOCK_SIGNAL = 'NO_STOCK_SIGNAL',
  TOO_FEW_READINGS = 'TOO_FEW_READINGS',
  SPAN_TOO_SHORT = 'SPAN_TOO_SHORT',
  NO_MEASURED_HOURS = 'NO_MEASURED_HOURS',
  CENSORED_ONLY = 'CENSORED_ONLY',
  RANK_MODEL_UNCALIBRATED = 'RANK_MODEL_UNCALIBRATED',
  TOO_FEW_RANK_DAYS = 'TOO_FEW_RANK_DAYS',
  NO_SALES = 'NO_SALES',
  MODEL_FAILED = 'MODEL_FAILED',
}
registerEnumType(ForecastUnavailableReason, {
  name: 'ForecastUnavailableReason',
  description: 'Why `forecast` (with the same arguments) is null.',
  valuesConfig: {
    NO_READINGS: { description: 'The competitor has no reading at all up to asOf.' },
    STALE: { description: 'The competitor has readings, but none in the history window ending at asOf (captures stopped).' },
    NO_STOCK_SIGNAL: {
      description: 'Readings in the window, but none with a stock count, a sales rank or a monthly-sold figure: nothing measures demand.',
    },
    TOO_FEW_READINGS: {
      description:
        'Only one reading with a stock count in the window (two are needed for a stock decrease), and no rank or monthly-sold signal.',
    },
    SPAN_TOO_SHORT: { description: 'The stock readings in the window span less than one whole hour.' },
    NO_MEASURED_HOURS: {
      description: 'Every hour between the stock readings is a capture gap or a restock: no hour of demand was measured.',
    },
    CENSORED_ONLY: {
      description:
        'Every measured hour is censored (capped stock such as "999+", or an empty shelf): demand is only a lower bound, never measured.',
    },
    RANK_MODEL_UNCALIBRATED: {
      description:
        'Stock is not observable and the sales rank is, but no rank → sales model could be calibrated for the marketplace (the message says why).',
    },
    TOO_FEW_RANK_DAYS: { description: 'Stock is not observable and fewer than 3 days of the rank (or monthly-sold) history hold a value.' },
    NO_SALES: { description: 'The product has no recorded sales up to asOf.' },
    MODEL_FAILED: { description: 'A history was built but no model could be fitted to it (the message gives the error).' },
  },
});

@ObjectType({ description: 'Why a forecast is null: a machine-readable reason and the sentence behind it.' })
export class ForecastUnavailable {
  @Field(() => ForecastUnavailableReason, { description: 'The reason, machine-readable.' })
  reason!: ForecastUnavailableReason;

  @Field(() => String, { description: 'The reason in words, with the counts and dates behind it.' })
  message!: string;

  @Field(() => Date, {
    nullable: true,
    description: "The subject's newest reading (or recorded sale) at or before asOf; null without any.",
  })
  newestAt!: Date | null;
}

/** The 80 % and 95 % prediction intervals every forecast step carries (not a schema type itself). */
@ObjectType({ description: 'Prediction interval bounds.' })
export abstract class PredictionIntervals {
  @Field(() => Float, { description: 'Lower end of the 80 % prediction interval, units per step.' })
  lower80!: number;

  @Field(() => Float, { description: 'Upper end of the 80 % prediction interval, units per step.' })
  upper80!: number;

  @Field(() => Float, { description: 'Lower end of the 95 % prediction interval, units per step.' })
  lower95!: number;

  @Field(() => Float, { description: 'Upper end of the 95 % prediction interval, units per step.' })
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
  @Field(() => String, { description: 'The candidate model, e.g. TSB or ETS(A,N,N).' })
  model!: string;

  @Field(() => ForecastAccuracy, { nullable: true, description: 'Its backtest score; null when it could not be scored (see error).' })
  accuracy!: ForecastAccuracy | null;

  @Field(() => String, { nullable: true, description: 'Why it was not scored.' })
  error!: string | null;
}

@ObjectType({ description: 'A demand forecast with intervals, the model chosen and why, its parameters and backtest accuracy.' })
export class Forecast {
  @Field(() => String, { description: 'The model used, e.g. ETS(A,A,A)+THETA or TSB.' })
  model!: string;

  @Field(() => ForecastModel, { description: 'The model asked for (AUTO unless a model was named).' })
  requestedModel!: ForecastModel;

  @Field(() => String, { description: 'Why this model was chosen.' })
  reason!: string;

  @Field(() => GraphQLJSONObject, { description: 'Fitted parameters by name (smoothing weights, initial states, AICc, σ²…).' })
  params!: Record<string, number>;

  @Field(() => ForecastGranularity, { description: 'Length of one step: DAY for products, HOUR or DAY for competitors.' })
  granularity!: ForecastGranularity;

  @Field(() => ForecastSource, {
    description:
      'Which signal the demand history came from: SALES (products), STOCK (hourly), RANK_MODEL or MONTHLY_SOLD (daily, where stock is not observable).',
  })
  source!: ForecastSource;

  @Field(() => Int, { description: 'Season length used (1 = none), in steps.' })
  period!: number;

  @Field(() => String, { nullable: true, description: 'SBC demand class: SMOOTH, ERRATIC, INTERMITTENT or LUMPY.' })
  demandClass!: string | null;

  @Field(() => [ForecastPoint], { description: 'One point per step ahead, step 1 first.' })
  points!: ForecastPoint[];

  @Field(() => ForecastAccuracy, {
    nullable: true,
    description: 'Backtest accuracy of the chosen model; null when the history is too short to backtest.',
  })
  accuracy!: ForecastAccuracy | null;

  @Field(() => [ForecastCandidate], { description: 'Every model the automatic choice scored (empty when a model was named).' })
  candidates!: ForecastCandidate[];

  @Field(() => String, {
    description: 'How the 80 % and 95 % intervals were computed, in words (e.g. analytic variance, simulated demand).',
  })
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

  @Field(() => Explanation, { description: 'Model choice, parameters and data used, step by step.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'One forecast step whose period now has an actual.' })
export class ForecastActualPoint extends PredictionIntervals {
  @Field(() => Int, { description: 'Steps after the run origin (1 = the first forecast period).' })
  step!: number;

  @Field(() => String, { description: 'ISO start of the period.' })
  at!: string;

  @Field(() => Float, { description: 'Point forecast for the step, units.' })
  forecast!: number;

  @Field(() => Float, { description: 'Units that actually sold in the step.' })
  actual!: number;

  @Field(() => Float, { description: 'forecast − actual.' })
  error!: number;
}

@ObjectType({ description: 'Accuracy of forecasts against the actuals known so far.' })
export class ForecastActualAccuracy {
  @Field(() => Int, { description: 'Forecast steps with an actual.' })
  matched!: number;

  @Field(() => Float, { nullable: true, description: 'Mean absolute error, units per step; null without matched steps.' })
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
  @Field(() => ID, { description: 'Id of the stored run.' })
  id!: string;

  @Field(() => Date, { description: 'When the run was made.' })
  createdAt!: Date;

  @Field(() => String, { description: 'Model the run used, e.g. TSB.' })
  model!: string;

  @Field(() => Int, { description: 'Steps the run forecast.' })
  horizon!: number;

  @Field(() => ForecastGranularity, { description: 'Length of one step.' })
  granularity!: ForecastGranularity;

  @Field(() => String, { description: 'ISO start of step 1.' })
  originAt!: string;

  @Field(() => ForecastAccuracy, { nullable: true, description: 'Backtest accuracy the run reported when it was made.' })
  backtest!: ForecastAccuracy | null;

  @Field(() => [ForecastActualPoint], { description: 'Steps whose actual has arrived, step 1 first.' })
  points!: ForecastActualPoint[];

  @Field(() => ForecastActualAccuracy, { description: 'Scores of this run against the actuals so far.' })
  accuracy!: ForecastActualAccuracy;
}

@ObjectType({ description: 'Forecast vs actual for a subject over its stored runs (newest first): the feedback loop.' })
export class ForecastAccuracyReport {
  @Field(() => ForecastSubject, { description: 'Whether subjectId is a product or a competitor.' })
  subjectType!: ForecastSubject;

  @Field(() => ID, { description: 'The product or competitor id.' })
  subjectId!: string;

  @Field(() => [ForecastRunCheck], { description: 'Stored runs checked, newest first.' })
  runs!: ForecastRunCheck[];

  @Field(() => ForecastActualAccuracy, {
    description: 'Pooled over the runs shown (a period forecast by several runs counts once per run).',
  })
  overall!: ForecastActualAccuracy;

  @Field(() => Explanation, { description: 'Which runs and actuals were matched and how the scores pool.' })
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

  @Field(() => ForecastModel, { defaultValue: ForecastModel.AUTO, description: 'Model to fit; AUTO (default) chooses by backtest.' })
  model!: ForecastModel;

  @Field(() => Date, {
    nullable: true,
    description:
      'Forecast as of this instant (default: now): the history window ends there and later data is not seen, as if asked then. A forecast as of a past instant is ad hoc (never stored as a run).',
  })
  asOf?: Date | null;
}

@ArgsType()
export class CompetitorForecastArgs {
  @Field(() => Int, { defaultValue: DEFAULT_HORIZON_HOURS, description: `Hours ahead, 1–${MAX_HORIZON_HOURS}.` })
  horizonHours!: number;

  @Field(() => ForecastModel, { defaultValue: ForecastModel.AUTO, description: 'Model to fit; AUTO (default) chooses by backtest.' })
  model!: ForecastModel;

  @Field(() => Date, {
    nullable: true,
    description:
      'Forecast as of this instant (default: now): the history window ends there and later data is not seen, as if asked then. A forecast as of a past instant is ad hoc (never stored as a run).',
  })
  asOf?: Date | null;
}

@ArgsType()
export class ForecastVsActualArgs {
  @Field(() => Int, { defaultValue: 30, description: `Runs made in the last this many days (one per day), 1–${MAX_RUNS}.` })
  days!: number;
}

@ArgsType()
export class ForecastAccuracyArgs extends ForecastVsActualArgs {
  @Field(() => ForecastSubject, { description: 'Whether subjectId is a product or a competitor.' })
  subjectType!: ForecastSubject;

  @Field(() => ID, { description: 'Product id or competitor id.' })
  subjectId!: string;
}
