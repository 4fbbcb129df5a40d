/**
 * Observations of a competitor's consumption and deal kinds from the facts kept at ingest
 * (docs/architecture.md, "Facts"), so an alert and the API read the same figures:
 *
 *   CONSUMPTION_RATE       the window count N and the hour-of-day baseline μ from the consumption
 *                          facts' intervals (consumption_fact), the intervals the API's `velocity`
 *                          sums: N over (t − W, t] is the API's `velocity(from: t − W, to: t)`
 *                          `unitsLowerBound` (measured units + censored lower bounds), its coverage
 *                          (measuredHours + censoredHours) ÷ W;
 *   CONSUMPTION_DEVIATION  each completed UTC day's units/day from the same intervals with the
 *                          out-of-stock ones (exact 0 → 0) left out, as core's velocity() with
 *                          excludeOutOfStock counts them;
 *   COMPETITOR_DEAL_STARTED  the deal episodes (deal_episode) overlapping the new captures, each
 *                          analysed on its own readings with its kept pre-deal context, as the
 *                          API's `activeDeal` does (core/deals/context.ts: equal to whole-history
 *                          detection).
 *
 * Raw readings are read only for what the facts do not hold yet: the capture times to judge and
 * the stock anomaly flags of the periods judged (core/anomalies flagReading), i.e. the readings
 * from the earliest period judged on plus the flags' context behind it (FLAG_REACH.behind: at most
 * 192 readings or 14 days, in practice the 49 exact readings before it), never the 14–21 days of
 * raw history the evaluator read before.
 */
import { expectedCount, hourOfDayRates, RATE_DEFAULTS, type UnitSeries, type UnitSpan, windowCount } from '../../../core/alerts';
import type { AlertObservation } from '../../../core/alerts/types';
import { anomalyForPeriod, flagReading, type SnapshotFlag } from '../../../core/anomalies';
import { type Deal, detectDeals } from '../../../core/deals';
import type { IntervalKind } from '../../../core/series/intervals';
import { DAY_MS, type SnapshotPoint } from '../../../core/series/types';
import { addInterval, emptySums, type IntervalFact, velocityFromSums } from '../../../core/series/velocitySums';
import type { Db } from '../../db/db';
import { readTime } from '../../db/dialect';
import { loadReadings } from '../facts/consumption.facts';
import { EPISODE_RULES, episodeContext, type EpisodeRow } from '../facts/episodes.facts';
import { POINT_COLUMNS, type RawRow, toPoint } from '../snapshot/snapshot.points';

/** Days of history the real-time rate's hour-of-day baseline learns from. */
export const RATE_HISTORY_DAYS = 14;
/** Share of the window that must be measured for its count to be judged. */
const MIN_WINDOW_COVERAGE = 0.5;

/** The kinds served from facts (the others still read the evaluator's raw history). */
export const FACT_KINDS = ['COMPETITOR_DEAL_STARTED', 'CONSUMPTION_DEVIATION', 'CONSUMPTION_RATE'] as const;

/**
 * One CONSUMPTION_RATE observation at `at` (core/alerts/rate.ts): N = units in (at − W, at], μ = the
 * units the hour-of-day baseline of [max(historyFrom, at − RATE_HISTORY_DAYS), at − W) expects in the
 * window. N is null when less than half the window is measured, μ null with under 24 measured hours.
 */
export function windowRateObservation(
  series: UnitSeries,
  at: number,
  windowMs: number,
  historyFrom: number,
  what: string,
): AlertObservation {
  const start = at - windowMs;
  const count = windowCount(series, start, at);
  const base = hourOfDayRates(series, Math.max(historyFrom, at - RATE_HISTORY_DAYS * DAY_MS), start);
  return {
    at,
    signal: {
      type: 'WINDOW_RATE',
      observed: count.coverage >= MIN_WINDOW_COVERAGE ? count.units : null,
      expected: base.measuredHours >= RATE_DEFAULTS.minHistoryHours ? expectedCount(base.rates, start, at) : null,
      lowerBound: count.lowerBound,
      what,
    },
  };
}

/** A stored interval and whether it was out of stock (exact 0 at both ends). */
export interface FactInterval extends IntervalFact {
  outOfStock: boolean;
}

/**
 * The consumption facts' intervals of a competitor that overlap (from, to), in time order: one
 * index range from the first interval ending after `from`. An EXACT interval that sold 0 and ends
 * at an exact 0 began at one: out of stock.
 */
export async function factIntervals(db: Db, competitorId: string, from: number, to: number): Promise<FactInterval[]> {
  const q = db.params();
  const rows: Record<string, unknown>[] = await db.manager.query(
    `SELECT f.at, f.start_at, f.kind, f.sold, f.sold_lower, f.sold_upper, f.increase, f.in_deal, s.stock AS end_stock
       FROM consumption_fact f JOIN snapshot s ON s.competitor_id = f.competitor_id AND s.captured_at = f.at
      WHERE f.competitor_id = ${q.add(competitorId)} AND f.at > ${q.add(new Date(from))} AND f.start_at < ${q.add(new Date(to))}
      ORDER BY f.at`,
    q.values,
  );
  return rows.map((r) => {
    const kind = r.kind as IntervalKind;
    const sold = r.sold === null ? null : Number(r.sold);
    return {
      start: readTime(r.start_at as string | Date),
      end: readTime(r.at as string | Date),
      kind,
      sold,
      soldLower: Number(r.sold_lower),
      soldUpper: r.sold_upper === null ? null : Number(r.sold_upper),
      increase: Number(r.increase),
      inDeal: Boolean(r.in_deal),
      outOfStock: kind === 'EXACT' && sold === 0 && r.end_stock !== null && Number(r.end_stock) === 0,
    };
  });
}

/** The intervals as core/alerts unit spans (rate.ts snapshotSeries' mapping). */
export function unitSeries(intervals: readonly FactInterval[]): UnitSeries {
  const spans = intervals.map((iv): UnitSpan => {
    if (iv.kind === 'EXACT' || iv.kind === 'CLAIMS') return { from: iv.start, to: iv.end, units: iv.sold ?? 0, kind: 'MEASURED' };
    if (iv.kind === 'CENSORED') return { from: iv.start, to: iv.end, units: iv.soldLower, kind: 'LOWER_BOUND' };
    return { from: iv.start, to: iv.end, units: 0, kind: 'UNOBSERVED' };
  });
  return { spans, continuous: null };
}

/** Velocity over [from, to] from the intervals, out-of-stock ones left out (velocity() with excludeOutOfStock). */
export function inStockRate(intervals: readonly FactInterval[], from: number, to: number) {
  const sums = emptySums();
  for (const iv of intervals) if (!iv.outOfStock) addInterval(sums, iv, from, to);
  return velocityFromSums(sums, 0.9);
}

export function dealDetail(d: Deal): string {
  const parts = [`${d.type} since ${new Date(d.startedAt).toISOString()}`];
  if (d.discountPercent !== null) parts.push(`${Math.round(d.discountPercent)} % off`);
  if (d.dealQuantity !== null) parts.push(`${d.dealQuantity} units`);
  return parts.join(', ');
}

/** What the evaluator knows of a competitor's history window and the states of the fact kinds. */
export interface FactWindow {
  /** Start of the evaluator's history (now − HISTORY_DAYS). */
  historyFrom: number;
  /** Earliest instant a kind judges (a new day, a rate window, a new capture). */
  judgeFrom: number;
  /** Captures older than this are not judged (RECENT_MS) by the rate kind. */
  recentMs: number;
}

/** Facts-backed observations of one competitor at `now` (see the header). */
export class FactObservations {
  private readonly flagCache = new Map<number, SnapshotFlag>();

  private constructor(
    private readonly db: Db,
    private readonly competitorId: string,
    private readonly now: number,
    private readonly w: FactWindow,
    /** The first reading of the history window. */
    private readonly firstAt: number,
    /** Readings from judgeFrom to now with the flags' context before them. */
    private readonly pts: SnapshotPoint[],
  ) {}

  /** Null when the competitor has no reading in the history window. */
  static async load(db: Db, competitorId: string, now: number, w: FactWindow): Promise<FactObservations | null> {
    const q = db.params();
    const [first]: { at: string | Date | null }[] = await db.manager.query(
      `SELECT MIN(captured_at) AS at FROM snapshot WHERE competitor_id = ${q.add(competitorId)}
         AND captured_at >= ${q.add(new Date(w.historyFrom))} AND captured_at <= ${q.add(new Date(now))}`,
      q.values,
    );
    if (!first || first.at === null) return null;
    const firstAt = readTime(first.at);
    const pts = (await loadReadings(db, db.manager, competitorId, Math.max(firstAt, w.judgeFrom))).filter((p) => p.at <= now);
    return pts.length ? new FactObservations(db, competitorId, now, w, firstAt, pts) : null;
  }

  private get newest(): SnapshotPoint {
    return this.pts[this.pts.length - 1];
  }

  /** The stock anomalies of the readings in [from, to] (flagReading, memoized per reading). */
  private anomaly(from: number, to: number): { reasons: string[] } | null {
    const judged: SnapshotFlag[] = [];
    this.pts.forEach((p, i) => {
      if (p.at < from || p.at > to) return;
      let f = this.flagCache.get(i);
      if (!f) this.flagCache.set(i, (f = flagReading(this.pts, i)));
      judged.push(f);
    });
    return anomalyForPeriod(judged, from, to, ['stock']);
  }

  /** CONSUMPTION_DEVIATION: one RATE observation per new completed UTC day, from the facts' intervals. */
  async consumption(after: number | null): Promise<AlertObservation[]> {
    const last = this.newest.at;
    const days: number[] = [];
    for (let start = Math.ceil(this.firstAt / DAY_MS) * DAY_MS; start + DAY_MS <= last; start += DAY_MS) {
      if (after === null || start + DAY_MS > after) days.push(start);
    }
    if (!days.length) return [];
    const ivs = await factIntervals(this.db, this.competitorId, days[0], days[days.length - 1] + DAY_MS);
    return days.map((start) => {
      const end = start + DAY_MS;
      const vel = inStockRate(ivs, start, end);
      return {
        at: end,
        signal: { type: 'RATE', value: vel.perDay.value, censored: vel.isLowerBoundOnly },
        anomaly: this.anomaly(start, end),
        source: this.newest.source ?? null,
        capturedAt: last,
      };
    });
  }

  /**
   * CONSUMPTION_RATE: one WINDOW_RATE observation per capture newer than `after` in the last
   * recentMs, N and μ from the facts' intervals of the RATE_HISTORY_DAYS before it (one range read).
   */
  async rate(after: number | null, windowMs: number): Promise<AlertObservation[]> {
    const from = Math.max(after ?? -Infinity, this.now - this.w.recentMs);
    const caps = this.pts.filter((p) => p.at > from && p.at <= this.now);
    if (!caps.length) return [];
    const learnFrom = Math.max(this.firstAt, caps[0].at - windowMs - RATE_HISTORY_DAYS * DAY_MS);
    const series = unitSeries(await factIntervals(this.db, this.competitorId, learnFrom, this.now + 1));
    return caps.map((p) => ({
      ...windowRateObservation(series, p.at, windowMs, this.firstAt, 'stock drain and deal claims'),
      anomaly: this.anomaly(p.at - windowMs, p.at),
      source: p.source ?? null,
      capturedAt: p.at,
    }));
  }

  /** COMPETITOR_DEAL_STARTED: a capture is active while a started (not upcoming) deal of an episode runs at it. */
  async dealStarted(after: number | null): Promise<AlertObservation[]> {
    const caps = this.pts.filter((p) => p.at >= this.firstAt && (after === null || p.at > after));
    if (!caps.length) return [];
    const deals = await this.episodeDeals(caps[0].at, caps[caps.length - 1].at, after);
    return caps.map((p) => {
      const d = deals.find((x) => x.startedAt <= p.at && (x.endedAt === null || p.at < x.endedAt));
      return {
        at: p.at,
        signal: { type: 'EVENT', active: d !== undefined, detail: d ? dealDetail(d) : null },
        anomaly: null,
        source: p.source ?? null,
        capturedAt: p.at,
      };
    });
  }

  /**
   * The deals of the episodes that can cover captures in [firstCap, lastCap]: first seen by the
   * newest of them and last seen at or after the previous judged capture (a deal ends by the
   * first capture after its run, except a badge missed once at the newest capture), each detected
   * on its own readings with its kept context (the API's activeDeal path).
   */
  private async episodeDeals(firstCap: number, lastCap: number, after: number | null): Promise<Deal[]> {
    const q = this.db.params();
    const episodes: EpisodeRow[] = await this.db.manager.query(
      `SELECT * FROM deal_episode WHERE competitor_id = ${q.add(this.competitorId)} AND rules = ${q.add(EPISODE_RULES)}
         AND first_seen_at <= ${q.add(new Date(lastCap))} AND last_seen_at >= ${q.add(new Date(Math.min(after ?? firstCap, firstCap)))}
       ORDER BY first_seen_at`,
      q.values,
    );
    const out: Deal[] = [];
    for (const e of episodes) {
      // The run's readings and two captures after it: the first bounds its end, the second shows the
      // badge did not just miss once (core/deals/detect.ts runVisibility); later ones change nothing.
      // Placeholders are bound in text order (SQLite's are positional): each use binds its own.
      const r = this.db.params();
      const rows: RawRow[] = await this.db.manager.query(
        `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${r.add(this.competitorId)}
           AND captured_at >= ${r.add(new Date(readTime(e.slice_from_at)))} AND captured_at <= ${r.add(new Date(this.now))}
           AND captured_at <= COALESCE((SELECT x.captured_at FROM snapshot x WHERE x.competitor_id = ${r.add(this.competitorId)}
                AND x.captured_at > ${r.add(new Date(readTime(e.last_seen_at)))} ORDER BY x.captured_at LIMIT 1 OFFSET 1), ${r.add(new Date(this.now))})
         ORDER BY captured_at`,
        r.values,
      );
      const ctx = episodeContext(e);
      const firstSeen = readTime(e.first_seen_at);
      const found = detectDeals(rows.map(toPoint), { now: this.now, etaDraws: 50, contexts: ctx ? [ctx] : [] });
      out.push(...found.filter((d) => d.firstSeenAt === firstSeen && d.status !== 'UPCOMING'));
    }
    return out;
  }
}
