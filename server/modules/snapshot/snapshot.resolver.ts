import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { PlainArgs } from '../../graphql/plain-args';
import { Competitor } from '../competitor/competitor.entity';
import { Snapshot } from './snapshot.entity';
import { RecordSnapshotsResult, SnapshotInput, SnapshotsArgs } from './snapshot.inputs';
import type { SnapshotService } from './snapshot.service';

@Resolver()
export class SnapshotResolver {
  constructor(private readonly snapshotService: SnapshotService) {}

  @Mutation(() => RecordSnapshotsResult, {
    description: 'Stores up to 10,000 observations, all or nothing. Idempotent on (competitor, capturedAt).',
  })
  @PlainArgs('input') // 10,000 items: skip type-graphql's per-item instance copy
  recordSnapshots(
    @Arg('input', () => [SnapshotInput], { description: 'Observations, at most 10,000 per call.' }) input: SnapshotInput[],
    @Ctx() ctx: Context,
  ): Promise<RecordSnapshotsResult> {
    return this.snapshotService.record(ctx.workspaceId, input);
  }
}

export const SnapshotConnection = Connection(Snapshot, 'Snapshot');

/** A competitor's observations: the newest one and the paged history. */
@Resolver(() => Competitor)
export class CompetitorSnapshotsResolver {
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
