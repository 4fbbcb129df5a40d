import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Competitor } from './competitor.entity';
import { CompetitorLookupArgs, CompetitorsArgs, UpsertCompetitorInput } from './competitor.inputs';
import type { CompetitorService } from './competitor.service';

export const CompetitorConnection = Connection(Competitor, 'Competitor');

@Resolver(() => Competitor)
export class CompetitorResolver {
  constructor(private readonly competitorService: CompetitorService) {}

  @Query(() => CompetitorConnection, { description: 'Competitors of this workspace, ordered by ASIN then marketplace.' })
  competitors(@Args(() => CompetitorsArgs) args: CompetitorsArgs, @Ctx() ctx: Context): Promise<Page<Competitor>> {
    return this.competitorService.list(ctx.workspaceId, args);
  }

  @Query(() => Competitor, { nullable: true, description: 'One competitor by id, or by asin (+ marketplace, default US).' })
  competitor(@Args(() => CompetitorLookupArgs) args: CompetitorLookupArgs, @Ctx() ctx: Context): Promise<Competitor | null> {
    return this.competitorService.lookup(ctx.workspaceId, args, ctx.loaders);
  }

  @Mutation(() => Competitor, { description: 'Creates a competitor or updates the one with the same (marketplace, asin).' })
  upsertCompetitor(
    @Arg('input', () => UpsertCompetitorInput, { description: 'The competitor.' }) input: UpsertCompetitorInput,
    @Ctx() ctx: Context,
  ): Promise<Competitor> {
    return this.competitorService.upsert(ctx.workspaceId, input);
  }
}
