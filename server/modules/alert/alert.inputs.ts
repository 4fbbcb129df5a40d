import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import type { AlertKind, AlertLevel, AlertStatus, CauseLabel } from '../../../core/alerts/types';
import type { Explanation as CoreExplanation } from '../../../core/explain';
import { type AlertEventType } from '../../graphql/pubsub';
import { Alert, AlertCauseEnum, AlertKindEnum, AlertLevelEnum, AlertStatusEnum, type SubjectType, SubjectTypeEnum } from './alert.entity';
import { registerEnumType } from 'type-graphql';

export const AlertEventTypeEnum = { RAISED: 'RAISED', ESCALATED: 'ESCALATED', RESOLVED: 'RESOLVED' } as const;
registerEnumType(AlertEventTypeEnum, { name: 'AlertEventType' });

@ArgsType()
export class AlertsArgs extends PageArgs {
  @Field(() => AlertStatusEnum, { nullable: true })
  status?: AlertStatus | null;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'Only this level.' })
  level?: AlertLevel | null;

  @Field(() => AlertKindEnum, { nullable: true })
  kind?: AlertKind | null;

  @Field(() => SubjectTypeEnum, { nullable: true })
  subjectType?: SubjectType | null;

  @Field(() => String, { nullable: true })
  subjectId?: string | null;
}

@ArgsType()
export class AcknowledgeArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => AlertCauseEnum, { description: 'Why it fired; DATA_ERROR labels widen that subject’s band.' })
  cause!: CauseLabel;

  @Field(() => String, { nullable: true })
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

  @Field(() => AlertEventTypeEnum)
  type!: AlertEventType;

  @Field(() => Alert)
  alert!: Alert;

  @Field(() => Date)
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
