import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { PlainArgs } from '../../graphql/plain-args';
import { RecordSnapshotsResult, SnapshotInput } from './snapshot.inputs';
import type { SnapshotService } from './snapshot.service';

@Resolver()
export class SnapshotResolver {
  constructor(private readonly snapshotService: SnapshotService) {}

  @Mutation(() => RecordSnapshotsResult, {
    description: 'Stores up to 10,000 observations, all or nothing. Idempotent on (competitor, capturedAt).',
  })
  @PlainArgs('input') // 10,000 items: skip type-graphql's per-item instance copy
  recordSnapshots(@Arg('input', () => [SnapshotInput]) input: SnapshotInput[], @Ctx() ctx: Context): Promise<RecordSnapshotsResult> {
    return this.snapshotService.record(ctx.workspaceId, input);
  }
}
