import { FieldResolver, Resolver, Root } from 'type-graphql';
import { HOUR_MS } from '../../../core/series/types';
import { Snapshot } from '../snapshot/snapshot.entity';
import { SnapshotRollup } from './retention.types';

/** Snapshot.rollup: tells an API user that a reading stands for a rolled-up hour (null on raw readings). */
@Resolver(() => Snapshot)
export class SnapshotRollupResolver {
  @FieldResolver(() => SnapshotRollup, {
    nullable: true,
    description:
      'Set when older readings of this UTC hour were rolled up into this one (snapshot retention); null on a raw reading. ' +
      'Readings of a rolled-up hour that mark a change (a restock, a stockout, a deal starting or ending, capped stock) are kept as raw readings.',
  })
  rollup(@Root() s: Snapshot): SnapshotRollup | null {
    // 0 marks a raw reading the roll-up kept verbatim (a change of state): exact, so no roll-up.
    if (s.sampleCount === null || s.sampleCount === undefined || s.sampleCount === 0) return null;
    return {
      hourStart: new Date(Math.floor(s.capturedAt.getTime() / HOUR_MS) * HOUR_MS),
      sampleCount: s.sampleCount,
      stockMin: s.stockMin,
      stockMinIsLowerBound: Boolean(s.stockMinIsLowerBound),
      stockMax: s.stockMax,
      stockMaxIsLowerBound: Boolean(s.stockMaxIsLowerBound),
      priceMin: s.priceMin,
      priceMax: s.priceMax,
    };
  }
}
