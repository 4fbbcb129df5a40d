import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import type { PointsLoader } from '../snapshot/snapshot.points';
import { IntelligenceRequest, type IntelligenceStats } from './intelligence.request';

/**
 * Competitor intelligence (velocity, deals, restocks, stockout windows, baselines): long-lived, it
 * reads the clock once per request and hands each request an IntelligenceRequest
 * (intelligence.request.ts) that evaluates every field as of that one `now`.
 */
export class IntelligenceService {
  readonly stats: IntelligenceStats = { dealDetections: 0, velocities: 0 };

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  forRequest(points: PointsLoader): IntelligenceRequest {
    return new IntelligenceRequest(this.db, points, this.clock.now(), this.stats);
  }
}
