import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { AlertKind, AlertLevel } from '../../../core/alerts/types';
import { AlertKindEnum, AlertLevelEnum, type SubjectType, SubjectTypeEnum } from '../alert/alert.entity';
import { CompetitorTier } from '../competitor/competitor.entity';
import { AbcClass } from '../product/product.entity';
import { Explanation } from '../../graphql/explanation';
import { AlertRuleScopeType } from './alert-rule.entity';

@InputType({ description: 'Which subjects a rule covers. Default: every subject of its kind.' })
export class AlertRuleScopeInput {
  @Field(() => AlertRuleScopeType, {
    description: 'How the subjects are chosen; TIER needs tier, ABC_CLASS abcClass, COMPETITOR competitorId, PRODUCT sku.',
  })
  type!: AlertRuleScopeType;

  @Field(() => CompetitorTier, { nullable: true, description: 'Required for TIER.' })
  tier?: CompetitorTier | null;

  @Field(() => AbcClass, { nullable: true, description: 'Required for ABC_CLASS.' })
  abcClass?: AbcClass | null;

  @Field(() => ID, { nullable: true, description: 'Required for COMPETITOR: the competitor id.' })
  competitorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Required for PRODUCT: the product SKU.' })
  sku?: string | null;
}

@InputType({ description: 'No alerts of this rule for a subject (or all) inside a time window, e.g. a known promotion.' })
export class AlertExclusionInput {
  @Field(() => String, { nullable: true, description: 'Competitor id or product SKU; omitted: every subject of the rule.' })
  subjectId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Start (inclusive); omitted: open-ended.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'End (inclusive); omitted: open-ended.' })
  to?: Date | null;

  @Field(() => String, { description: 'Why, e.g. "Prime Day" or "scraper migration".' })
  reason!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'A known event (promotion, transfer): shown as such in explanations.' })
  knownEvent!: boolean;
}

@InputType({ description: 'Non-RED raises and escalations wait until quiet hours end (RED is never held).' })
export class QuietHoursInput {
  @Field(() => Int, { description: 'Minutes after local midnight, 0–1439 (22:00 = 1320).' })
  startMinute!: number;

  @Field(() => Int, { description: 'Minutes after local midnight, 0–1439; may be before start (wraps past midnight).' })
  endMinute!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Local time = UTC + this offset, −840 to 840.' })
  utcOffsetMinutes!: number;
}

/** Threshold fields shared by create and update (null/omitted: the kind's default). Not reachable itself, so not emitted. */
@InputType('AlertRuleFieldsBase')
export class AlertRuleFields {
  @Field(() => AlertRuleScopeInput, { nullable: true, description: 'Subjects covered; omitted: all.' })
  scope?: AlertRuleScopeInput | null;

  @Field(() => Float, { nullable: true, description: 'CONSUMPTION_DEVIATION: band half-width in σ (default 2), 0.5–6.' })
  k?: number | null;

  @Field(() => Int, { nullable: true, description: 'Consecutive breaching periods before an alert is raised, 1–30.' })
  debouncePeriods?: number | null;

  @Field(() => Int, { nullable: true, description: 'Consecutive periods at a higher level before escalating (3 by default), 1–30.' })
  escalateAfterPeriods?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'SELLOUT_IMMINENT: alert when the deal sells out within this many hours (default 48), 0.5–720.',
  })
  selloutWithinHours?: number | null;

  @Field(() => Float, { nullable: true, description: 'COMPETITOR_STOCKOUT: minimum hours out of stock (default 24), 1–720.' })
  minStockoutHours?: number | null;

  @Field(() => Float, { nullable: true, description: 'DATA_STALE: stale after this many usual capture intervals (default 3), 1–100.' })
  staleFactor?: number | null;

  @Field(() => Float, { nullable: true, description: 'RECONCILIATION_MISMATCH: units a ledger may differ by (default 2), 0–1,000,000.' })
  toleranceAbsolute?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'RECONCILIATION_MISMATCH: share of the larger figure a ledger may differ by (default 0.01), 0–1.',
  })
  toleranceRelative?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'RECONCILIATION_MISMATCH: rolling window in hours, UTC-aligned (default 24 = daily), 1–744.',
  })
  reconcileWindowHours?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'RECONCILIATION_MISMATCH: hours after a deal or window ends before its closing reading counts (default 6), 0–168.',
  })
  settleHours?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'CONSUMPTION_RATE: rolling window in minutes the observed rate is measured over (default 60), 5–1440.',
  })
  rateWindowMinutes?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'CONSUMPTION_RATE: ORANGE when the window holds more than this % of the expected units (default 200), 100–100,000.',
  })
  rateOrangePercent?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'CONSUMPTION_RATE: RED above this % of the expected units (default 500); must exceed rateOrangePercent, 100–100,000.',
  })
  rateRedPercent?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'CONSUMPTION_RATE: fewest units in a window that can alert (default 5), 1–100,000; the count must also exceed the Poisson 0.999 quantile of the expected count.',
  })
  rateMinUnits?: number | null;

  @Field(() => AlertLevelEnum, {
    nullable: true,
    description: 'Deal/restock/stockout alerts: level (default YELLOW; one higher for tier CORE).',
  })
  eventLevel?: AlertLevel | null;

  @Field(() => [AlertExclusionInput], { nullable: true, description: 'Replaces the rule’s exclusions (at most 100).' })
  exclusions?: AlertExclusionInput[] | null;

  @Field(() => QuietHoursInput, { nullable: true, description: 'Local hours in which non-RED alerts wait; omitted: none.' })
  quietHours?: QuietHoursInput | null;

  @Field(() => Boolean, { nullable: true, description: 'False to store the rule switched off (default true).' })
  enabled?: boolean | null;
}

@InputType({ description: "A new alert rule: kind, scope and thresholds (omitted thresholds: the kind's defaults)." })
export class CreateAlertRuleInput extends AlertRuleFields {
  @Field(() => String, { description: 'Name shown to planners.' })
  name!: string;

  @Field(() => AlertKindEnum, { description: 'The alert kind the rule governs.' })
  kind!: AlertKind;
}

@InputType({ description: 'Omitted fields are unchanged; null resets a threshold to its default.' })
export class UpdateAlertRuleInput extends AlertRuleFields {
  @Field(() => ID, { description: 'Id of the rule to change.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New name; omitted: unchanged.' })
  name?: string | null;
}

@ArgsType()
export class AlertRulesArgs extends PageArgs {
  @Field(() => AlertKindEnum, { nullable: true, description: 'Only rules of this kind; omitted: all.' })
  kind?: AlertKind | null;
}

@ObjectType('AlertRuleScope', { description: 'The subjects an alert rule covers.' })
export class AlertRuleScopeView {
  @Field(() => AlertRuleScopeType, { description: 'How the subjects are chosen.' })
  type!: AlertRuleScopeType;

  @Field(() => CompetitorTier, { nullable: true, description: 'With type TIER: the competitor tier covered; null otherwise.' })
  tier!: CompetitorTier | null;

  @Field(() => AbcClass, { nullable: true, description: 'With type ABC_CLASS: the product ABC class covered; null otherwise.' })
  abcClass!: AbcClass | null;

  @Field(() => String, { nullable: true, description: 'Competitor id or product SKU for a one-subject scope.' })
  subjectId!: string | null;
}

@ObjectType('AlertExclusion', {
  description: 'A time window in which a rule raises no alerts for one subject or all of them, e.g. a known promotion.',
})
export class AlertExclusionView {
  @Field(() => ID, { description: 'Id of this exclusion within its rule.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Competitor id or product SKU; null: every subject of the rule.' })
  subjectId!: string | null;

  @Field(() => Date, { nullable: true, description: 'Start (inclusive); null: open-ended.' })
  from!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End (inclusive); null: open-ended.' })
  to!: Date | null;

  @Field(() => String, { description: 'Why, e.g. "Prime Day".' })
  reason!: string;

  @Field(() => Boolean, { description: 'A known event (promotion, transfer): explanations name it as such.' })
  knownEvent!: boolean;
}

@ObjectType('QuietHours', { description: 'Local hours in which non-RED raises and escalations wait until the hours end.' })
export class QuietHoursView {
  @Field(() => Int, { description: 'Start, minutes after local midnight (0–1439).' })
  startMinute!: number;

  @Field(() => Int, { description: 'End, minutes after local midnight (0–1439); before startMinute when the hours wrap past midnight.' })
  endMinute!: number;

  @Field(() => Int, { description: 'Local time = UTC + this many minutes.' })
  utcOffsetMinutes!: number;
}

@ObjectType({ description: 'A threshold change the planner’s cause labels made (DATA_ERROR widens the band).' })
export class AlertFeedbackAdjustment {
  @Field(() => Date, { description: 'When the labels made the change.' })
  at!: Date;

  @Field(() => String, { description: 'k (band half-width) or debouncePeriods.' })
  parameter!: string;

  @Field(() => Float, { description: 'Parameter value before the change.' })
  before!: number;

  @Field(() => Float, { description: 'Parameter value after the change.' })
  after!: number;

  @Field(() => [String], { description: 'Evaluator ids of the labelled alerts.' })
  alertIds!: string[];

  @Field(() => Explanation, { description: 'Which labels led to the change and by how much.' })
  explanation!: Explanation;
}

@ObjectType({ description: 'What the evaluator knows about one subject and kind: effective thresholds, learned baseline, feedback.' })
export class AlertSubjectState {
  @Field(() => SubjectTypeEnum, { description: 'Product or competitor.' })
  subjectType!: SubjectType;

  @Field(() => String, { description: 'The SKU or competitor id.' })
  subjectId!: string;

  @Field(() => AlertKindEnum, { description: 'The alert kind this state is for.' })
  kind!: AlertKind;

  @Field(() => ID, { nullable: true, description: 'The rule applied (null when no enabled rule covers the subject).' })
  ruleId!: string | null;

  @Field(() => String, { description: 'STRICT, STANDARD or LENIENT, from ABC class / tier.' })
  profile!: string;

  @Field(() => Float, { nullable: true, description: 'Effective band half-width in σ (consumption), feedback included.' })
  k!: number | null;

  @Field(() => Int, { description: 'Effective debounce: breaching periods before a raise (rule, profile and feedback combined).' })
  debouncePeriods!: number;

  @Field(() => Int, { description: 'Effective periods at a higher level before an escalation.' })
  escalateAfterPeriods!: number;

  @Field(() => Float, { description: 'σ added to k by DATA_ERROR labels.' })
  kBoost!: number;

  @Field(() => Int, { description: 'Periods added to the debounce by DATA_ERROR labels (kinds without a band).' })
  debounceBoost!: number;

  @Field(() => Float, { nullable: true, description: 'Learned baseline mean (consumption kinds).' })
  baselineMean!: number | null;

  @Field(() => Int, { description: 'Observations in the learned baseline so far.' })
  history!: number;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'Level of the alert the evaluator holds open.' })
  openLevel!: AlertLevel | null;

  @Field(() => Date, { nullable: true, description: 'Time of the last observation evaluated; null before the first.' })
  lastObservedAt!: Date | null;

  @Field(() => [AlertFeedbackAdjustment], { description: 'Threshold changes made by cause labels, oldest first.' })
  adjustments!: AlertFeedbackAdjustment[];

  @Field(() => Explanation, { description: 'Effective settings and how each was derived (rule, profile, feedback).' })
  explanation!: Explanation;
}

@ArgsType()
export class AlertSubjectStatesArgs {
  @Field(() => SubjectTypeEnum, { description: 'Product or competitor.' })
  subjectType!: SubjectType;

  @Field(() => String, { description: 'Competitor id or product SKU.' })
  subjectId!: string;

  @Field(() => AlertKindEnum, { nullable: true, description: 'Only this alert kind; omitted: every kind.' })
  kind?: AlertKind | null;
}
