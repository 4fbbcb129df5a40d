import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Competitor } from '../competitor/competitor.entity';
import { AsOfArgs, BaselineArgs, DealsArgs, RestocksArgs, StockoutWindowsArgs, VelocityArgs } from './intelligence.inputs';
import { parseDealId } from './intelligence.map';
import { Baseline, DataStatus, Deal, DealComparison, Restock, StockoutWindow, Velocity } from './intelligence.types';
import { Explanation } from '../../graphql/explanation';
import type { CompetitorService } from '../competitor/competitor.service';

export const DealConnection = Connection(Deal, 'Deal');

/** The competitor-intelligence fields on Competitor, each computed in core/ as of now. */
@Resolver(() => Competitor)
export class IntelligenceResolver {
  @FieldResolver(() => Velocity, { description: 'Units/hour and units/day with an interval over [from, to) (default: the last 30 days).' })
  velocity(@Root() c: Competitor, @Args(() => VelocityArgs) args: VelocityArgs, @Ctx() ctx: Context): Promise<Velocity> {
    return ctx.loaders.intelligence.at(args.asOf).velocity(c.id, args);
  }

  @FieldResolver(() => DealConnection, { description: 'Deals detected from the snapshots, newest first (default: the last 90 days).' })
  deals(@Root() c: Competitor, @Args(() => DealsArgs) args: DealsArgs, @Ctx() ctx: Context): Promise<Page<Deal>> {
    return ctx.loaders.intelligence.at(args.asOf).deals(c.id, args);
  }

  @FieldResolver(() => Deal, { nullable: true, description: 'The deal live now (or at asOf), if any.' })
  activeDeal(@Root() c: Competitor, @Args(() => AsOfArgs) args: AsOfArgs, @Ctx() ctx: Context): Promise<Deal | null> {
    return ctx.loaders.intelligence.at(args.asOf).activeDeal(c.id);
  }

  @FieldResolver(() => Deal, { nullable: true, description: 'One deal of this competitor by id (deals up to 180 days old).' })
  deal(
    @Root() c: Competitor,
    @Arg('id', () => ID, { description: 'Deal id as returned by deals (`<competitorId>:<type>:<startedAt epoch ms>`).' }) id: string,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: Context,
  ): Promise<Deal | null> {
    return ctx.loaders.intelligence.at(args.asOf).deal(c.id, id);
  }

  @FieldResolver(() => [Restock], { description: 'Restocks seen in [from, to) (default: the last 30 days), newest first.' })
  restocks(@Root() c: Competitor, @Args(() => RestocksArgs) args: RestocksArgs, @Ctx() ctx: Context): Promise<Restock[]> {
    return ctx.loaders.intelligence.at(args.asOf).restocks(c.id, args);
  }

  @FieldResolver(() => [StockoutWindow], {
    description: 'Out-of-stock periods of at least minDurationHours overlapping [from, to) (default: the last 30 days), newest first.',
  })
  stockoutWindows(
    @Root() c: Competitor,
    @Args(() => StockoutWindowsArgs) args: StockoutWindowsArgs,
    @Ctx() ctx: Context,
  ): Promise<StockoutWindow[]> {
    return ctx.loaders.intelligence.at(args.asOf).stockoutWindows(c.id, args);
  }

  @FieldResolver(() => Baseline, {
    description: 'Normal state over the `days` before `to`: average stock, daily consumption, restock cycle.',
  })
  baseline(@Root() c: Competitor, @Args(() => BaselineArgs) args: BaselineArgs, @Ctx() ctx: Context): Promise<Baseline> {
    return ctx.loaders.intelligence.at(args.asOf).baseline(c.id, args);
  }

  @FieldResolver(() => DealComparison, {
    nullable: true,
    description: 'A deal of this competitor against its pre-deal baseline; null for an unknown deal id.',
  })
  dealComparison(
    @Root() c: Competitor,
    @Arg('dealId', () => ID, { description: 'Deal id as returned by deals.' }) dealId: string,
    @Args(() => AsOfArgs) args: AsOfArgs,
    @Ctx() ctx: Context,
  ): Promise<DealComparison | null> {
    return ctx.loaders.intelligence.at(args.asOf).dealComparison(c.id, dealId);
  }

  @FieldResolver(() => DataStatus, {
    description: 'Newest capture, its age and source, capture interval, and whether captures look stopped.',
  })
  dataStatus(@Root() c: Competitor, @Args(() => AsOfArgs) args: AsOfArgs, @Ctx() ctx: Context): Promise<DataStatus> {
    return ctx.loaders.intelligence.at(args.asOf).dataStatus(c.id, c.tier);
  }
}

/**
 * Velocity's explanation: its figures come from the consumption facts, while the explanation also
 * names the window's readings and their provenance, so it reads the window only when asked for.
 */
@Resolver(() => Velocity)
export class VelocityResolver {
  @FieldResolver(() => Explanation, { description: 'How the rate and its interval were computed.' })
  explanation(@Root() v: Velocity): Explanation | Promise<Explanation> {
    if (v.explanation) return v.explanation;
    if (!v.explain) throw new Error('velocity without an explanation source');
    return v.explain();
  }
}

@Resolver(() => Deal)
export class DealResolver {
  constructor(private readonly competitorService: CompetitorService) {}

  @Query(() => Deal, {
    nullable: true,
    description: 'A deal by id (as returned by Competitor.deals); null when unknown or not in this workspace.',
  })
  async deal(
    @Arg('id', () => ID, { description: 'Deal id as returned by Competitor.deals.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Deal | null> {
    const parsed = parseDealId(id);
    if (!parsed) return null;
    const competitor = await this.competitorService.byId(ctx.workspaceId, parsed.competitorId);
    return competitor ? ctx.loaders.intelligence.deal(competitor.id, id) : null;
  }
}
