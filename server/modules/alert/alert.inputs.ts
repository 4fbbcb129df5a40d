import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import type { AlertKind, AlertLevel, AlertStatus, CauseLabel } from '../../../core/alerts/types';
import type { Explanation as CoreExplanation } from '../../../core/explain';
import { type AlertEventType } from '../../graphql/pubsub';
import { Alert, AlertCauseEnum, AlertKindEnum, AlertLevelEnum, AlertStatusEnum, type SubjectType, SubjectTypeEnum } from './alert.entity';
import { registerEnumType } from 'type-graphql';

export const AlertEventTypeEnum = { RAISED: 'RAISED', ESCALATED: 'ESCALATED', RESOLVED: 'RESOLVED' } as const;
registerEnumType(AlertEventTypeEnum, {
  name: 'AlertEventType',
  description: 'What happened to an alert.',
  valuesConfig: {
    RESOLVED: { description: 'The alert was resolved.' },
    ESCALATED: { description: 'An open alert rose to a higher level.' },
    RAISED: { description: 'A new alert was opened.' },
  },
});

@ArgsType()
export class AlertsArgs extends PageArgs {
  @Field(() => AlertStatusEnum, { nullable: true, description: 'Only alerts with this status; omitted: all.' })
  status?: AlertStatus | null;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'Only this level.' })
  level?: AlertLevel | null;

  @Field(() => AlertKindEnum, { nullable: true, description: 'Only alerts of this kind; omitted: all.' })
  kind?: AlertKind | null;

  @Field(() => SubjectTypeEnum, { nullable: true, description: 'Only alerts about products or about competitors; omitted: both.' })
  subjectType?: SubjectType | null;

  @Field(() => String, { nullable: true, description: 'Only alerts about this subject (a SKU or a competitor id).' })
  subjectId?: string | null;
}

@ArgsType()
export class AcknowledgeArgs {
  @Field(() => ID, { description: 'Id of the alert.' })
  id!: string;

  @Field(() => AlertCauseEnum, { description: 'Why it fired; DATA_ERROR labels widen that subject’s band.' })
  cause!: CauseLabel;

  @Field(() => String, { nullable: true, description: 'Free-text note, at most 2,000 characters.' })
  note?: string | null;
}

@ArgsType()
export class AlertFeedArgs {
  @Field(() => [AlertKindEnum], { nullable: true, description: 'Only these kinds (default all).' })
  kinds?: AlertKind[] | null;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'Lowest level (default YELLOW).' })
  minLevel?: AlertLevel | null;

  @Field(() => [AlertEventTypeEnum], { nullable: true, description: 'Default RAISED and ESCALATED.' })
  types?: AlertEventType[] | null;
}

@ObjectType({ description: 'A change to an alert, as pushed to subscribers and webhooks.' })
export class AlertEventPayload {
  @Field(() => ID, { description: 'Event id, identical in the webhook delivery of the same change.' })
  id!: string;

  @Field(() => AlertEventTypeEnum, { description: 'What happened to the alert.' })
  type!: AlertEventType;

  @Field(() => Alert, { description: 'The alert after the change.' })
  alert!: Alert;

  @Field(() => Date, { description: 'When the change happened.' })
  createdAt!: Date;
}

/** What the evaluator (or another server component) asks the alert store to do. */
export interface AlertChange {
  action: 'RAISE' | 'RESOLVE';
  kind: AlertKind;
  level: AlertLevel;
  subjectType: SubjectType;
  subjectId: string;
  subjectLabel: string | null;
  title: string;
  message: string;
  explanation: CoreExplanation | null;
  at: Date;
}
