import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Competitor } from '../competitor/competitor.entity';
import { AnomaliesArgs, SnapshotAnomaly } from './anomaly.types';

/** Competitor.anomalies: the shared per-reading anomaly flags (core/anomalies/flags.ts), as of now. */
@Resolver(() => Competitor)
export class AnomalyResolver {
  @FieldResolver(() => [SnapshotAnomaly], {
    description:
      'Readings flagged as anomalies in [from, to) (default: the last 30 days), newest first: the same flags restocks, stockoutWindows, velocity and alerts honour.',
  })
  anomalies(@Root() c: Competitor, @Args(() => AnomaliesArgs) args: AnomaliesArgs, @Ctx() ctx: Context): Promise<SnapshotAnomaly[]> {
    return ctx.loaders.intelligence.at(args.asOf).anomalies(c.id, args);
  }
}
