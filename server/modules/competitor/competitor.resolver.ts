import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Snapshot } from '../snapshot/snapshot.entity';
import { Competitor } from './competitor.entity';
import { CompetitorLookupArgs, CompetitorsArgs, SnapshotsArgs, UpsertCompetitorInput } from './competitor.inputs';
import type { CompetitorService } from './competitor.service';

export const CompetitorConnection = Connection(Competitor, 'Competitor');
export const SnapshotConnection = Connection(Snapshot, 'Snapshot');

@Resolver(() => Competitor)
export class CompetitorResolver {
  constructor(private readonly competitorService: CompetitorService) {}

  @Query(() => CompetitorConnection, { description: 'Competitors of this workspace, ordered by ASIN then marketplace.' })
  competitors(@Args(() => CompetitorsArgs) args: CompetitorsArgs, @Ctx() ctx: Context): Promise<Page<Competitor>> {
    return this.competitorService.list(ctx.workspaceId, args);
  }

  @Query(() => Competitor, { nullable: true, description: 'One competitor by id, or by asin (+ marketplace, default US).' })
  competitor(@Args(() => CompetitorLookupArgs) args: CompetitorLookupArgs, @Ctx() ctx: Context): Promise<Competitor | null> {
    return this.competitorService.lookup(ctx.workspaceId, args);
  }

  @Mutation(() => Competitor)
  upsertCompetitor(@Arg('input', () => UpsertCompetitorInput) input: UpsertCompetitorInput, @Ctx() ctx: Context): Promise<Competitor> {
    return this.competitorService.upsert(ctx.workspaceId, input);
  }

  @FieldResolver(() => Snapshot, { nullable: true, description: 'The newest observation.' })
  latestSnapshot(@Root() c: Competitor, @Ctx() ctx: Context): Promise<Snapshot | null> {
    return ctx.loaders.snapshots.latest.load(c.id);
  }

  @FieldResolver(() => SnapshotConnection, { description: 'Observations in time order, optionally within [from, to).' })
  snapshots(@Root() c: Competitor, @Args(() => SnapshotsArgs) args: SnapshotsArgs, @Ctx() ctx: Context): Promise<Page<Snapshot>> {
    const { snapshots } = ctx.loaders;
    return snapshots.page.load(snapshots.pageKey(c.id, args));
  }
}
