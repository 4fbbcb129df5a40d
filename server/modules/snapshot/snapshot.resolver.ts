import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { RecordSnapshotsResult, SnapshotInput } from './snapshot.inputs';

@Resolver()
export class SnapshotResolver {
  @Mutation(() => RecordSnapshotsResult, {
    description: 'Stores up to 10,000 observations, all or nothing. Idempotent on (competitor, capturedAt).',
  })
  recordSnapshots(@Arg('input', () => [SnapshotInput]) input: SnapshotInput[], @Ctx() ctx: Context): Promise<RecordSnapshotsResult> {
    return ctx.services.snapshots.record(ctx.workspaceId, input);
  }
}
