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

registerEnumType(AlertKindEnum, { name: 'AlertKind' });
registerEnumType(AlertLevelEnum, {
  name: 'AlertLevel',
  description: 'YELLOW 10–30 % over the band, ORANGE 30–60 %, RED > 60 % or safety stock breached.',
});
registerEnumType(AlertStatusEnum, { name: 'AlertStatus' });
registerEnumType(AlertCauseEnum, {
  name: 'AlertCause',
  description: 'Why an alert fired, as labelled by the planner who acknowledged it.',
});
registerEnumType(SubjectTypeEnum, { name: 'AlertSubjectType' });

/** One alert per (subject, kind) while open: updates raise its level instead of adding alerts. */
@ObjectType({ description: 'Something that needs a planner now.', implements: Node })
@Entity({ name: 'alert' })
export class Alert extends WorkspaceOwned implements Node {
  @Field(() => AlertKindEnum)
  @Column({ type: 'varchar', length: 40 })
  kind!: AlertKind;

  @Field(() => AlertLevelEnum)
  @Column({ type: 'varchar', length: 10 })
  level!: AlertLevel;

  @Field(() => AlertStatusEnum)
  @Column({ type: 'varchar', length: 20 })
  status!: AlertStatus;

  @Field(() => SubjectTypeEnum)
  @Column({ name: 'subject_type', type: 'varchar', length: 20 })
  subjectType!: SubjectType;

  @Field(() => String, { description: 'Competitor id or product SKU.' })
  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'ASIN and title, or SKU and name.' })
  @Column({ name: 'subject_label', type: 'varchar', length: 300, nullable: true })
  subjectLabel!: string | null;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Field(() => String)
  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'explanation', type: 'simple-json', nullable: true })
  explanationData!: CoreExplanation | null;

  @Field(() => AlertCauseEnum, { nullable: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  cause!: CauseLabel | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => Date)
  @Column({ name: 'opened_at', type: Date })
  openedAt!: Date;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'acknowledged_at', type: Date, nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;
}
