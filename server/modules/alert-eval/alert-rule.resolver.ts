import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { createAlertState, resolveSettings } from '../../../core/alerts';
import type { AlertLevel } from '../../../core/alerts/types';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Explanation, toExplanation } from '../../graphql/explanation';
import { AlertLevelEnum } from '../alert/alert.entity';
import { AlertRuleRow, AlertRuleScopeType } from './alert-rule.entity';
import {
  AlertExclusionView,
  AlertRuleScopeView,
  AlertRulesArgs,
  AlertSubjectState,
  AlertSubjectStatesArgs,
  CreateAlertRuleInput,
  QuietHoursView,
  UpdateAlertRuleInput,
} from './alert-rule.inputs';
import { toCoreRule } from './alert-rule.params';
import type { AlertEvaluator } from './alert.evaluator';
import type { AlertRuleService } from './alert-rule.service';

export const AlertRuleConnection = Connection(AlertRuleRow, 'AlertRule');

@Resolver(() => AlertRuleRow)
export class AlertRuleResolver {
  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly alertRuleService: AlertRuleService,
  ) {}

  @Query(() => AlertRuleConnection, {
    description: 'Alert rules, oldest first. A workspace without rules gets the default set (one per kind).',
  })
  alertRules(@Args(() => AlertRulesArgs) args: AlertRulesArgs, @Ctx() ctx: Context): Promise<Page<AlertRuleRow>> {
    return this.alertRuleService.list(ctx.workspaceId, args);
  }

  @Mutation(() => AlertRuleRow, { description: 'Adds an alert rule; the most specific enabled rule per subject applies.' })
  createAlertRule(
    @Arg('input', () => CreateAlertRuleInput, { description: 'The rule.' }) input: CreateAlertRuleInput,
    @Ctx() ctx: Context,
  ): Promise<AlertRuleRow> {
    return this.alertRuleService.create(ctx.workspaceId, input);
  }

  @Mutation(() => AlertRuleRow, { description: 'Changes an alert rule; omitted fields keep their value.' })
  updateAlertRule(
    @Arg('input', () => UpdateAlertRuleInput, { description: 'The rule id and the fields to change.' }) input: UpdateAlertRuleInput,
    @Ctx() ctx: Context,
  ): Promise<AlertRuleRow> {
    return this.alertRuleService.update(ctx.workspaceId, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes a rule. To silence a kind set enabled: false instead: a workspace left with no rule at all gets the defaults again.',
  })
  deleteAlertRule(@Arg('id', () => ID, { description: 'Id of the rule to delete.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.alertRuleService.delete(ctx.workspaceId, id);
  }

  @Query(() => [AlertSubjectState], {
    description: 'Evaluator state of one subject per kind: effective thresholds, baseline, feedback from cause labels.',
  })
  async alertSubjectStates(
    @Args(() => AlertSubjectStatesArgs) args: AlertSubjectStatesArgs,
    @Ctx() ctx: Context,
  ): Promise<AlertSubjectState[]> {
    const list = await this.evaluator.subjectStates(ctx.workspaceId, args.subjectType, args.subjectId, args.kind);
    return list.map(({ row, rule, settings: s }) => ({
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      kind: row.kind,
      ruleId: rule?.id ?? null,
      profile: s.profile,
      k: row.kind === 'CONSUMPTION_DEVIATION' ? s.k : null,
      debouncePeriods: s.debounce,
      escalateAfterPeriods: s.escalateAfter,
      kBoost: row.state.feedback.kBoost,
      debounceBoost: row.state.feedback.debounceBoost,
      baselineMean: row.state.baseline.mean,
      history: row.state.baseline.n,
      openLevel: row.state.open?.level ?? null,
      lastObservedAt: row.state.lastAt === null ? null : new Date(row.state.lastAt),
      adjustments: row.state.feedback.adjustments.map((a) => ({
        at: new Date(a.at),
        parameter: a.parameter,
        before: a.before,
        after: a.after,
        alertIds: a.alertIds,
        explanation: toExplanation(a.explanation),
      })),
      explanation: toExplanation(s.explanation),
    }));
  }

  @FieldResolver(() => AlertRuleScopeView, {
    description: 'Which subjects the rule covers; the most specific enabled rule wins per subject.',
  })
  scope(@Root() r: AlertRuleRow): AlertRuleScopeView {
    const sc = r.params.scope ?? { type: 'ALL', tier: null, abcClass: null };
    const type =
      r.subjectType === 'COMPETITOR'
        ? AlertRuleScopeType.COMPETITOR
        : r.subjectType === 'PRODUCT'
          ? AlertRuleScopeType.PRODUCT
          : (sc.type as AlertRuleScopeType);
    return {
      type,
      tier: (sc.tier as AlertRuleScopeView['tier']) ?? null,
      abcClass: (sc.abcClass as AlertRuleScopeView['abcClass']) ?? null,
      subjectId: r.subjectId,
    };
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Band half-width in σ; null: default (2).' })
  k(@Root() r: AlertRuleRow): number | null {
    return r.params.k ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Consecutive breaching periods before an alert is raised; null: the kind's default.",
  })
  debouncePeriods(@Root() r: AlertRuleRow): number | null {
    return r.params.debouncePeriods ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Consecutive periods at a higher level before an open alert escalates; null: default (3).',
  })
  escalateAfterPeriods(@Root() r: AlertRuleRow): number | null {
    return r.params.escalateAfterPeriods ?? null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'SELLOUT_IMMINENT: alert when the deal sells out within this many hours; null: default (48).',
  })
  selloutWithinHours(@Root() r: AlertRuleRow): number | null {
    return r.params.selloutWithinHours ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'COMPETITOR_STOCKOUT: minimum hours out of stock; null: default (24).' })
  minStockoutHours(@Root() r: AlertRuleRow): number | null {
    return r.params.minStockoutHours ?? null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'DATA_STALE: stale after this many usual capture intervals; null: default (3, by tier for the default rule).',
  })
  staleFactor(@Root() r: AlertRuleRow): number | null {
    return r.params.staleFactor ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Reconciliation tolerance in units; null: default (2).' })
  toleranceAbsolute(@Root() r: AlertRuleRow): number | null {
    return r.params.toleranceAbsolute ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Reconciliation tolerance as a share; null: default (0.01).' })
  toleranceRelative(@Root() r: AlertRuleRow): number | null {
    return r.params.toleranceRelative ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Rolling reconciliation window in hours; null: default (24).' })
  reconcileWindowHours(@Root() r: AlertRuleRow): number | null {
    return r.params.reconcileWindowHours ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Settle time after a window ends, hours; null: default (6).' })
  settleHours(@Root() r: AlertRuleRow): number | null {
    return r.params.settleHours ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'CONSUMPTION_RATE: rolling window in minutes; null: default (60).' })
  rateWindowMinutes(@Root() r: AlertRuleRow): number | null {
    return r.params.rateWindowMinutes ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'CONSUMPTION_RATE: ORANGE above this % of expected; null: default (200).' })
  rateOrangePercent(@Root() r: AlertRuleRow): number | null {
    return r.params.rateOrangePercent ?? null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'CONSUMPTION_RATE: RED above this % of expected; null: default (500).' })
  rateRedPercent(@Root() r: AlertRuleRow): number | null {
    return r.params.rateRedPercent ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'CONSUMPTION_RATE: fewest units in a window that can alert; null: default (5).',
  })
  rateMinUnits(@Root() r: AlertRuleRow): number | null {
    return r.params.rateMinUnits ?? null;
  }

  @FieldResolver(() => AlertLevelEnum, {
    nullable: true,
    description: 'Deal, restock and stockout alerts: their level; null: default (YELLOW, one higher for tier CORE).',
  })
  eventLevel(@Root() r: AlertRuleRow): AlertLevel | null {
    return r.params.eventLevel ?? null;
  }

  @FieldResolver(() => [AlertExclusionView], { description: 'Time windows (per subject or all) in which the rule raises nothing.' })
  exclusions(@Root() r: AlertRuleRow): AlertExclusionView[] {
    return (r.params.exclusions ?? []).map((x) => ({
      id: x.id,
      subjectId: x.subjectId,
      from: x.from === null ? null : new Date(x.from),
      to: x.to === null ? null : new Date(x.to),
      reason: x.reason,
      knownEvent: x.knownEvent,
    }));
  }

  @FieldResolver(() => QuietHoursView, {
    nullable: true,
    description: 'Local hours in which non-RED raises and escalations wait; null: none.',
  })
  quietHours(@Root() r: AlertRuleRow): QuietHoursView | null {
    return r.params.quietHours ?? null;
  }

  @FieldResolver(() => Explanation, {
    description: 'Effective settings for a subject with no ABC class or tier (STANDARD profile); per-subject values: alertSubjectStates.',
  })
  explanation(@Root() r: AlertRuleRow): Explanation {
    const subject = {
      id: '(any subject)',
      type: r.kind === 'SAFETY_STOCK_BREACH' || r.kind === 'REORDER_POINT_REACHED' ? 'PRODUCT' : 'COMPETITOR',
    } as const;
    return toExplanation(
      resolveSettings(toCoreRule(r.id, r.kind, r.params), subject, createAlertState(subject, r.kind).feedback).explanation,
    );
  }
}
