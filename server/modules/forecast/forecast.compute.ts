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
  /** Why `s` is null (or holds no exact hour): the reason and its sentence; null when a stock forecast can be fitted. */
  why: { reason: StockNullReason; message: string } | null;
  /** The newest reading at or before now in the window (epoch ms), null without any. */
  newestAt: number | null;
}

/** The stock path's null reasons (ForecastUnavailableReason values). */
export type StockNullReason =
  'NO_READINGS' | 'NO_STOCK_SIGNAL' | 'TOO_FEW_READINGS' | 'SPAN_TOO_SHORT' | 'NO_MEASURED_HOURS' | 'CENSORED_ONLY';

/** Why no hourly stock series can be fitted, from the same checks as hourlyDemandSeries; null when one can. */
export function whyNoStockSeries(points: readonly SnapshotPoint[], s: DemandSeries | null): CompetitorSeries['why'] {
  if (!points.length) return { reason: 'NO_READINGS', message: 'no reading in the history window' };
  const known = points.filter((p) => p.stock !== null);
  const span = `${new Date(points[0].at).toISOString()} to ${new Date(points[points.length - 1].at).toISOString()}`;
  if (known.length === 0)
    return { reason: 'NO_STOCK_SIGNAL', message: `${points.length} reading(s) from ${span}, none with a stock count` };
  if (known.length === 1)
    return {
      reason: 'TOO_FEW_READINGS',
      message: `one reading with a stock count (${new Date(known[0].at).toISOString()}) among ${points.length}: a stock decrease needs two`,
    };
  if (!s) {
    const hours = (known[known.length - 1].at - known[0].at) / 3_600_000;
    if (Math.floor(known[known.length - 1].at / 3_600_000) - Math.ceil(known[0].at / 3_600_000) < 1)
      return {
        reason: 'SPAN_TOO_SHORT',
        message: `${known.length} stock readings span ${hours.toFixed(2)} h: no whole hour lies between them`,
      };
    return {
      reason: 'NO_MEASURED_HOURS',
      message: `${known.length} stock readings from ${span}: every hour between them is a capture gap or a restock`,
    };
  }
  if (s.exact === 0)
    return {
      reason: 'CENSORED_ONLY',
      message: `all ${s.censored} measured hour(s) are censored (capped stock such as "999+", or an empty shelf): demand is only a lower bound`,
    };
  return null;
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
  const why = whyNoStockSeries(points, s);
  const newestAt = points.length ? points[points.length - 1].at : null;
  if (!s || why) return { s: null, live: null, baseline: null, prov: null, named: null, why, newestAt };
  const live = await liveDealOf(points, now);
  const baseline = live?.drain ? withoutHours(s, live.drain.startedAt, live.drain.measuredAt) : null;
  const prov = provenanceOf(points, now);
  return { s, live, baseline, prov, named: namedSource(points, prov), why: null, newestAt };
}
