/**
 * The part of a competitor forecast that works on its readings, as one worker-pool task (pure, no
 * I/O): rebuild the points from their columns, the hourly demand series, the live deal (deal
 * detection, drain fit and sell-out ETA bootstrap), the baseline without the deal's hours, the
 * provenance and the source to name. On the event loop this was 3–10 ms per forecast and, since a
 * request's forecasts all continue after one shared read, one block of all of them together.
 */
import { type ProvenanceResult, provenanceOf } from '../../../core/series/provenance';
import type { SnapshotPoint } from '../../../core/series/types';
import { type PointColumns, pointsOf } from './forecast.columns';
import { liveDealOf, type LiveDealRead } from './forecast.deal';
import { type DemandSeries, hourlyDemandSeries, withoutHours } from './forecast.series';

/** What competitorForecast needs from the readings before the model fit. */
export interface CompetitorSeries {
  /** The hourly demand series; null without two known-stock readings (the forecast is null). */
  s: DemandSeries | null;
  live: LiveDealRead | null;
  /** The series without the live deal's hours, when its drain is followed (null otherwise). */
  baseline: DemandSeries | null;
  prov: ProvenanceResult | null;
  named: { source: string | null; note: string | null } | null;
}

/**
 * The source to name for a competitor figure: the newest reading's, or — when the newest readings
 * came without one — the newest reading that names its source, said so in a note.
 */
export function namedSource(points: readonly SnapshotPoint[], prov: ProvenanceResult): { source: string | null; note: string | null } {
  if (prov.source !== null || prov.newestAtMs === null) return { source: prov.source, note: null };
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (p.at > prov.newestAtMs || p.source === null) continue;
    return {
      source: p.source,
      note: `Source: ${p.source}, the newest reading that names its source (${new Date(p.at).toISOString()}); the readings after it, up to ${prov.newestAt}, came without a source.`,
    };
  }
  return { source: null, note: 'Source: no reading used names its source (recorded without one).' };
}

/** Readings captured up to `now` → series, live deal, baseline, provenance (see CompetitorSeries). */
export async function competitorSeries(columns: PointColumns, now: number): Promise<CompetitorSeries> {
  const points = pointsOf(columns, now);
  const s = hourlyDemandSeries(points);
  if (!s) return { s: null, live: null, baseline: null, prov: null, named: null };
  const live = await liveDealOf(points, now);
  const baseline = live?.drain ? withoutHours(s, live.drain.startedAt, live.drain.measuredAt) : null;
  const prov = provenanceOf(points, now);
  return { s, live, baseline, prov, named: namedSource(points, prov) };
}
