import { Node } from '../../graphql/node';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AlertKind, AlertState as CoreAlertState } from '../../../core/alerts/types';
import { AlertKindEnum, type SubjectType } from '../alert/alert.entity';
import type { RuleParams } from './alert-rule.params';
import { WorkspaceOwned } from '../../db/workspace-owned';

export enum AlertRuleScopeType {
  ALL = 'ALL',
  TIER = 'TIER',
  ABC_CLASS = 'ABC_CLASS',
  COMPETITOR = 'COMPETITOR',
  PRODUCT = 'PRODUCT',
}
registerEnumType(AlertRuleScopeType, {
  name: 'AlertRuleScopeType',
  description: 'Which subjects a rule covers: every subject of its kind, a competitor tier, an ABC class, or one competitor / product.',
  valuesConfig: {
    PRODUCT: { description: 'One product (by SKU).' },
    COMPETITOR: { description: 'One competitor (by id).' },
    ABC_CLASS: { description: 'Products of one ABC class.' },
    TIER: { description: 'Competitors of one tier.' },
    ALL: { description: 'Every subject of the kind.' },
  },
});

/**
 * A user-configured alert rule (table alert_rule). Thresholds live in `params` (JSON) so adding one
 * needs no migration; the GraphQL type exposes each of them as a typed field (alert-rule.resolver).
 */
@ObjectType({ description: 'When and how loudly an alert of one kind fires.', implements: Node })
@Entity({ name: 'alert_rule' })
export class AlertRuleRow extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'Name shown to planners.' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => AlertKindEnum, { description: 'The alert kind this rule governs.' })
  @Column({ type: 'varchar', length: 40 })
  kind!: AlertKind;

  /** Set only for a one-subject scope (COMPETITOR id or PRODUCT sku). */
  @Column({ name: 'subject_type', type: 'varchar', length: 20, nullable: true })
  subjectType!: SubjectType | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true })
  subjectId!: string | null;

  @Column({ type: 'simple-json' })
  params!: RuleParams;

  @Field(() => Boolean, { description: 'False: the rule is kept but ignored by the evaluator.' })
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Field(() => Date, { description: 'When the rule was created (default rules: when the workspace first needed them).' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;
}

/** Evaluator state per (subject, kind) (table alert_state): the core state machine, as JSON. */
@Entity({ name: 'alert_state' })
export class AlertStateRow {
  @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId!: string;

  @PrimaryColumn({ name: 'subject_type', type: 'varchar', length: 20 })
  subjectType!: SubjectType;

  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
  kind!: AlertKind;

  @Column({ type: 'simple-json' })
  state!: CoreAlertState;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
