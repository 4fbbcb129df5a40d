import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { levelRank } from '../../../core/alerts';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Explanation, toExplanation } from '../../graphql/explanation';
import { ALERT_EVENT, type AlertEvent } from '../../graphql/pubsub';
import { Alert } from './alert.entity';
import { AcknowledgeArgs, AlertEventPayload, AlertFeedArgs, AlertsArgs } from './alert.inputs';
import type { AlertService } from './alert.service';

export const AlertConnection = Connection(Alert, 'Alert');

@Resolver(() => Alert)
export class AlertResolver {
  constructor(private readonly alertService: AlertService) {}

  @Query(() => AlertConnection, { description: 'Alerts of this workspace, newest first.' })
  alerts(@Args(() => AlertsArgs) args: AlertsArgs, @Ctx() ctx: Context): Promise<Page<Alert>> {
    return this.alertService.list(ctx.workspaceId, args);
  }

  @Query(() => Alert, { nullable: true, description: 'One alert by id; null when this workspace has none with that id.' })
  alert(@Arg('id', () => ID, { description: 'Alert id.' }) id: string, @Ctx() ctx: Context): Promise<Alert | null> {
    return this.alertService.get(ctx.workspaceId, id);
  }

  @Mutation(() => Alert, {
    description:
      'OPEN → ACKNOWLEDGED with a cause label. A RESOLVED alert (e.g. a restock that opened and resolved in one evaluation) is labelled and stays RESOLVED; relabelling replaces the cause.',
  })
  acknowledgeAlert(@Args(() => AcknowledgeArgs) args: AcknowledgeArgs, @Ctx() ctx: Context): Promise<Alert> {
    return this.alertService.acknowledge(ctx.workspaceId, args);
  }

  @Mutation(() => Alert, { description: 'Closes an alert; a new breach later opens a new one.' })
  resolveAlert(@Arg('id', () => ID, { description: 'Id of the alert.' }) id: string, @Ctx() ctx: Context): Promise<Alert> {
    return this.alertService.resolve(ctx.workspaceId, id);
  }

  @FieldResolver(() => Explanation, {
    nullable: true,
    description: 'How the evaluator reached the alert: formula, inputs and steps; null for alerts stored without one.',
  })
  explanation(@Root() a: Alert): Explanation | null {
    return a.explanationData ? toExplanation(a.explanationData) : null;
  }

  @Subscription(() => AlertEventPayload, {
    topics: ALERT_EVENT,
    description: 'Live alert changes of this workspace (graphql-ws on /graphql).',
    filter: ({ payload, args, context }: { payload: AlertEvent; args: AlertFeedArgs; context: Context }) =>
      payload.workspaceId === context.workspaceId &&
      (args.types?.length ? args.types.includes(payload.type) : payload.type !== 'RESOLVED') &&
      (!args.kinds?.length || args.kinds.includes(payload.alert.kind)) &&
      levelRank(payload.alert.level) >= levelRank(args.minLevel ?? 'YELLOW'),
  })
  alertRaised(@Root() event: AlertEvent, @Args(() => AlertFeedArgs) _args: AlertFeedArgs): AlertEventPayload {
    return { id: event.id, type: event.type, alert: event.alert, createdAt: event.createdAt };
  }
}
