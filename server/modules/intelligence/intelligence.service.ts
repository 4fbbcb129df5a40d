import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import type { TaskRunner } from '../../workers/pool';
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
    private readonly tasks: TaskRunner,
  ) {}

  /** A request's view; `signal` (its time budget) drops the deal detections it queued in the pool. */
  forRequest(points: PointsLoader, signal?: AbortSignal): IntelligenceRequest {
    return new IntelligenceRequest(this.db, points, this.clock.now(), this.stats, this.tasks, signal);
  }
}
