import { Node } from '../../graphql/node';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  type AlertKind,
  type AlertLevel,
  type AlertStatus,
  CAUSE_LABELS,
  type CauseLabel,
} from '../../../core/alerts/types';
import type { Explanation as CoreExplanation } from '../../../core/explain';
import { WorkspaceOwned } from '../../db/workspace-owned';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const AlertKindEnum = enumOf(ALERT_KINDS);
export const AlertLevelEnum = enumOf(ALERT_LEVELS);
export const AlertStatusEnum = enumOf<AlertStatus>(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']);
export const AlertCauseEnum = enumOf(CAUSE_LABELS);
export const SubjectTypeEnum = enumOf(['PRODUCT', 'COMPETITOR'] as const);
export type SubjectType = keyof typeof SubjectTypeEnum;

registerEnumType(AlertKindEnum, {
  name: 'AlertKind',
  description: 'The condition an alert rule watches and an alert reports.',
  valuesConfig: {
    CONSUMPTION_RATE: { description: 'Own SKU: units sold in a rolling window far above the expected count (a sudden run on stock).' },
    RECONCILIATION_MISMATCH: { description: 'Own SKU: order sales, stock movements and listing readings disagree beyond the tolerance.' },
    DATA_STALE: { description: 'Competitor: captures stopped arriving for staleFactor usual capture intervals.' },
    COMPETITOR_STOCKOUT: { description: 'Competitor: out of stock for at least minStockoutHours.' },
    COMPETITOR_RESTOCK: { description: 'Competitor: a restock was detected.' },
    COMPETITOR_DEAL_STARTED: { description: 'Competitor: a deal appeared on the listing.' },
    SELLOUT_IMMINENT: { description: 'Competitor: a live deal is expected to sell out within selloutWithinHours.' },
    REORDER_POINT_REACHED: { description: 'Own SKU: the stock position (on hand + in transit) reached the reorder point: order now.' },
    SAFETY_STOCK_BREACH: { description: "Own SKU: on hand fell below the safety stock (× the profile's buffer)." },
    CONSUMPTION_DEVIATION: { description: 'Own SKU: daily consumption left the learned band (mean ± k·σ) for debouncePeriods days.' },
  },
});
registerEnumType(AlertLevelEnum, {
  name: 'AlertLevel',
  description: 'YELLOW 10–30 % over the band, ORANGE 30–60 %, RED > 60 % or safety stock breached.',
  valuesConfig: {
    RED: { description: 'Highest: over 60 % outside the band, or the safety stock breached; never held back by quiet hours.' },
    ORANGE: { description: 'Middle: 30–60 % outside the band.' },
    YELLOW: { description: 'Lowest: 10–30 % outside the band.' },
  },
});
registerEnumType(AlertStatusEnum, {
  name: 'AlertStatus',
  description: 'Where an alert is in its lifecycle.',
  valuesConfig: {
    RESOLVED: { description: 'Closed: resolved by a planner or because the condition cleared.' },
    ACKNOWLEDGED: { description: 'A planner has seen it (and may have labelled its cause); still counts as open for escalation.' },
    OPEN: { description: 'Raised and not yet handled.' },
  },
});
registerEnumType(AlertCauseEnum, {
  name: 'AlertCause',
  description: 'Why an alert fired, as labelled by the planner who acknowledged it.',
  valuesConfig: {
    OTHER: { description: 'Any other cause; say which in the note.' },
    COMPETITOR_EVENT: { description: 'Something a competitor did (a deal, a stockout, a restock).' },
    SUPPLY_DELAY: { description: 'A late or short supplier delivery.' },
    DATA_ERROR: { description: 'The data was wrong: widens the band or lengthens the debounce for this subject (feedback).' },
    MARKETING: { description: 'Caused by own marketing (a promotion, ads): a real change, not an error.' },
  },
});
registerEnumType(SubjectTypeEnum, {
  name: 'AlertSubjectType',
  description: 'What an alert or alert rule is about: an own product or a competitor listing.',
  valuesConfig: {
    COMPETITOR: { description: 'A competitor listing; the subject id is the competitor id.' },
    PRODUCT: { description: 'An own SKU; the subject id is the SKU.' },
  },
});

/** One alert per (subject, kind) while open: updates raise its level instead of adding alerts. */
@ObjectType({ description: 'Something that needs a planner now.', implements: Node })
@Entity({ name: 'alert' })
export class Alert extends WorkspaceOwned implements Node {
  @Field(() => AlertKindEnum, { description: 'What the alert is about (one open alert per subject and kind).' })
  @Column({ type: 'varchar', length: 40 })
  kind!: AlertKind;

  @Field(() => AlertLevelEnum, { description: 'Current severity; an update can raise it (escalation), never lower it while open.' })
  @Column({ type: 'varchar', length: 10 })
  level!: AlertLevel;

  @Field(() => AlertStatusEnum, { description: 'OPEN until acknowledged or resolved.' })
  @Column({ type: 'varchar', length: 20 })
  status!: AlertStatus;

  @Field(() => SubjectTypeEnum, { description: 'Whether subjectId names a product (its SKU) or a competitor (its id).' })
  @Column({ name: 'subject_type', type: 'varchar', length: 20 })
  subjectType!: SubjectType;

  @Field(() => String, { description: 'Competitor id or product SKU.' })
  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'ASIN and title, or SKU and name.' })
  @Column({ name: 'subject_label', type: 'varchar', length: 300, nullable: true })
  subjectLabel!: string | null;

  @Field(() => String, { description: 'One-line summary, e.g. "Competitor restocked".' })
  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Field(() => String, { description: 'The figures behind the alert in one sentence, e.g. "+400 units at 10:00".' })
  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'explanation', type: 'simple-json', nullable: true })
  explanationData!: CoreExplanation | null;

  @Field(() => AlertCauseEnum, {
    nullable: true,
    description: 'The cause the planner labelled it with when acknowledging; null until labelled.',
  })
  @Column({ type: 'varchar', length: 30, nullable: true })
  cause!: CauseLabel | null;

  @Field(() => String, { nullable: true, description: 'Free-text note given with the acknowledgement; null when none.' })
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => Date, { description: 'When the alert was raised.' })
  @Column({ name: 'opened_at', type: Date })
  openedAt!: Date;

  @Field(() => Date, { description: 'Last change: escalation, new figures, acknowledgement or resolution.' })
  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a planner acknowledged it; null while unacknowledged.' })
  @Column({ name: 'acknowledged_at', type: Date, nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was resolved (by a planner or because the condition cleared); null while open or acknowledged.',
  })
  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;
}
