/**
 * Competitor intelligence for the API: loads each competitor's snapshots through the batched
 * points loader and hands them to core/ (velocity, deals, restocks, stockout windows, baselines,
 * pre/post-deal comparison), evaluated as of one `now` per request.
 *
 * Windows (all [from, to), `to` defaulting to now and never later than now):
 *   velocity            its own window (default 30 days, at most 180); readings up to 12 h either
 *                       side are loaded so intervals crossing the edges count pro rata
 *   deals, restocks,    detected over one per-competitor HISTORY = [now − lookback − 14 days, now],
 *   stockoutWindows,    lookback = max(90 days, now − from) in whole days (at most 180): the 14
 *   baseline, deal,     extra days give the pre-deal baseline and restock threshold of the oldest
 *   dealComparison      reported event; `from`/`to` then only filter. One history per request is
 *                       shared by every field, so a deal has the same id and figures in `deals`,
 *                       `activeDeal`, `deal(id)` and `dealComparison` (restock defaults report 30
 *                       days, deals 90, from the same detection)
 *   anomalies           the same HISTORY; readings in [from, to) are judged (default 30 days),
 *                       each on its neighbourhood (core/anomalies/flags.ts)
 *   dataStatus          the default velocity window (last 30 days): its capture count (index-only
 *                       count) and the newest 49 captures (interval), never the readings
 *   restocks,           served from the stored facts (server/modules/facts/restocks.*), a LIMIT page;
 *   stockoutWindows     from the HISTORY above only when the facts cannot answer for now (asOf)
 * Results are memoized per request: asking activeDeal, deals and deal(id) for one competitor runs
 * deal detection once.
 */
import { anomalyFlags } from '../../../core/anomalies';
import { activeDeal, type Deal as CoreDeal, dealBaselineComparison } from '../../../core/deals';
import { Explainer } from '../../../core/explain';
import { detectRestocks, type RestockEvent, stockoutWindows } from '../../../core/restock';
import { baseline, velocity } from '../../../core/series';
import { velocityFromSums } from '../../../core/series/velocitySums';
import { captureIntervalMs, captureStaleness, isoOrNull, provenanceOf, round, toDataProvenance } from '../../../core/series/provenance';
import { defaultStaleFactorFor, TIER_CAPTURE_INTERVAL_MS } from '../../../core/alerts';
import type { CompetitorTier } from '../competitor/competitor.entity';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { arrayPage, isNumber, isText, type Page } from '../../graphql/connection';
import { type Explanation, toExplanation } from '../../graphql/explanation';
import { createConsumptionLoader } from '../facts/consumption.read';
import { createEpisodeLoader } from '../facts/episodes.read';
import { RESTOCK_OPTIONS } from '../facts/restocks.facts';
import { provenanceFrom, RestockReader } from '../facts/restocks.read';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import type { TaskRunner } from '../../workers/pool';
import type { PointsLoader } from '../snapshot/snapshot.points';
import type { AnomaliesArgs, SnapshotAnomaly } from './anomaly.types';
import type { BaselineArgs, DealsArgs, RestocksArgs, StockoutWindowsArgs, VelocityArgs } from './intelligence.inputs';
import { createTailLoader, mayHaveLiveDeal } from './intelligence.loaders';
import {
  dealId,
  parseDealId,
  toBaseline,
  toComparison,
  toDeal,
  toRestock,
  toSnapshotAnomaly,
  toStockoutWindow,
  toVelocity,
} from './intelligence.map';
import { RankVelocity } from './velocity.rank';
import type { Baseline, DataStatus, Deal, DealComparison, Restock, StockoutWindow, Velocity } from './intelligence.types';

/** Default and maximum windows, in days (documented in docs/api.md, "Competitor intelligence"). */
export const WINDOWS = {
  velocityDays: 30,
  eventDays: 30,
  dealDays: 90,
  historyMarginDays: 14,
  maxWindowDays: 180,
  /** Readings loaded beyond a velocity window's edges (core's gap limit). */
  edgeMs: 12 * HOUR_MS,
  /** History used by core's restock cycle (baseline). */
  cycleLookbackDays: 60,
} as const;

interface Window {
  from: number;
  to: number;
}

/** Runs of the expensive core computations since start (observability; tests check memoization). */
export interface IntelligenceStats {
  dealDetections: number;
  velocities: number;
}

/** One request's view of competitor intelligence, as of one `now`: memoized per competitor. */
export class IntelligenceRequest {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly tail;
  private readonly consumption;
  private readonly episodes;
  private readonly rank;
  private readonly restockFacts;

  /** Views of the same request as of an earlier time (`asOf`), by epoch ms. */
  private readonly views = new Map<number, IntelligenceRequest>();

  constructor(
    private readonly db: Db,
    private readonly points: PointsLoader,
    readonly now: number,
    private readonly stats: IntelligenceStats,
    private readonly tasks: TaskRunner,
    private readonly signal?: AbortSignal,
  ) {
    if (!Number.isFinite(now)) throw new TypeError(`clock.now() must return epoch ms, got ${now}`);
    this.tail = createTailLoader(db, now);
    this.consumption = createConsumptionLoader(db, now, WINDOWS.edgeMs);
    this.episodes = createEpisodeLoader(db, now);
    this.restockFacts = new RestockReader(db, now, now - WINDOWS.velocityDays * DAY_MS);
    this.rank = new RankVelocity(db, this.consumption);
  }

  /**
   * This request as of `asOf` (default: now): every window, default and limit of the fields is
   * anchored there, as if the request had been made then — readings captured later are not seen,
   * and the 180-day bounds count back from `asOf`, so old history (imports from years ago) is
   * analysable. Views are memoized per instant, like the fields within them.
   */
  at(asOf: Date | null | undefined): IntelligenceRequest {
    if (asOf === null || asOf === undefined) return this;
    const t = v.instant('asOf', asOf, this.now).getTime();
    if (t >= this.now) return this;
    let view = this.views.get(t);
    if (!view) {
      view = new IntelligenceRequest(this.db, this.points, t, this.stats, this.tasks, this.signal);
      this.views.set(t, view);
    }
    return view;
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  // ---- windows -------------------------------------------------------------------------------

  /** A validated [from, to) window: to ≤ now, from < to, length ≤ maxWindowDays. */
  private window(from: Date | null | undefined, to: Date | null | undefined, defaultDays: number): Window {
    const t = to ? Math.min(v.instant('to', to, this.now).getTime(), this.now) : this.now;
    const f = from ? v.instant('from', from, this.now).getTime() : t - defaultDays * DAY_MS;
    if (f >= t) throw badInput('from', `must be before to (${new Date(t).toISOString()}), got ${new Date(f).toISOString()}`);
    if (t - f > WINDOWS.maxWindowDays * DAY_MS) {
      throw badInput('from', `the window may span at most ${WINDOWS.maxWindowDays} days, got ${round((t - f) / DAY_MS, 2)}`);
    }
    return { from: f, to: t };
  }

  /** Event windows are evaluated over the history, which reaches back at most maxWindowDays. */
  private eventWindow(from: Date | null | undefined, to: Date | null | undefined, defaultDays: number): Window {
    const w = this.window(from, to, defaultDays);
    if (w.from < this.now - WINDOWS.maxWindowDays * DAY_MS) {
      throw badInput('from', `must be within ${WINDOWS.maxWindowDays} days before now, got ${new Date(w.from).toISOString()}`);
    }
    return w;
  }

  /** Start of the history that covers events from `reportFrom` (whole days, so nearby windows share it). */
  private historyFrom(reportFrom: number): number {
    const lookbackDays = Math.max(WINDOWS.dealDays, Math.ceil((this.now - reportFrom) / DAY_MS));
    return this.now - (lookbackDays + WINDOWS.historyMarginDays) * DAY_MS;
  }

  private history(competitorId: string, reportFrom: number): Promise<SnapshotPoint[]> {
    return this.points.load({ competitorId, from: this.historyFrom(reportFrom), to: this.now + 1 });
  }

  private provenance(competitorId: string, reportFrom: number) {
    const hFrom = this.historyFrom(reportFrom);
    return this.once(`prov|${competitorId}|${hFrom}`, async () =>
      toDataProvenance(provenanceOf(await this.history(competitorId, reportFrom), this.now)),
    );
  }

  // ---- deals -----------------------------------------------------------------------------------

  private coreDeals(competitorId: string, reportFrom: number): Promise<CoreDeal[]> {
    const hFrom = this.historyFrom(reportFrom);
    return this.once(`deals|${competitorId}|${hFrom}`, async () => {
      const pts = await this.history(competitorId, reportFrom);
      this.stats.dealDetections++;
      // Drain fits and the sell-out ETA bootstrap: tens of ms per deal, so in the worker pool.
      return this.tasks.run('detectDeals', [pts, { now: this.now }], this.signal);
    });
  }

  async deals(competitorId: string, args: DealsArgs): Promise<Page<Deal>> {
    const w = this.eventWindow(args.from, args.to, WINDOWS.dealDays);
    const all = (await this.coreDeals(competitorId, w.from))
      // An announced (UPCOMING) deal starts after `to` but was seen within the window: it belongs.
      .filter(
        (d) =>
          Math.min(d.startedAt, d.firstSeenAt) < w.to && (d.endedAt ?? this.now) >= w.from && (!args.status || d.status === args.status),
      )
      // Newest first; ties (two deal types starting together) by type.
      .sort((a, b) => b.startedAt - a.startedAt || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    // compare(key, deal) < 0 when the cursor's deal sorts before `deal` (newer start, or same start and lower type).
    const compare = ([at, type]: unknown[], d: CoreDeal) =>
      d.startedAt - (at as number) || (type === d.type ? 0 : (type as string) < d.type ? -1 : 1);
    return arrayPage(
      'deals',
      args,
      all,
      (d) => [d.startedAt, d.type],
      [isNumber, isText],
      compare,
      (d) => toDeal(competitorId, d),
    );
  }

  /**
   * The live deal from its episode (server/modules/facts/episodes.facts.ts): detection over the
   * episode's own readings with its kept pre-deal context, which core/deals/context.ts guarantees
   * equal to detection over the whole history. Without an episode (facts not yet rebuilt after an
   * upgrade), from the history.
   */
  async activeDeal(competitorId: string): Promise<Deal | null> {
    // Cheap pre-check first: detection only for competitors whose newest readings show a deal.
    if (!mayHaveLiveDeal((await this.tail.load(competitorId)).dealTypes)) return null;
    const episode = await this.episodes.load(competitorId);
    const deals = episode
      ? await this.once(`epdeals|${competitorId}`, () => {
          this.stats.dealDetections++;
          const opts = { now: this.now, contexts: episode.context ? [episode.context] : [] };
          return this.tasks.run('detectDeals', [episode.points, opts], this.signal);
        })
      : await this.coreDeals(competitorId, this.now - WINDOWS.dealDays * DAY_MS);
    const live = activeDeal(deals);
    return live ? toDeal(competitorId, live) : null;
  }

  private async findDeal(competitorId: string, id: string): Promise<CoreDeal | null> {
    const parsed = parseDealId(id);
    if (!parsed || parsed.competitorId !== competitorId) return null;
    // Deals starting before the longest history cannot be addressed (documented bound).
    // Announced deals may start up to 30 days ahead (the ingest bound on dealStartsAt).
    if (parsed.startedAt < this.now - WINDOWS.maxWindowDays * DAY_MS || parsed.startedAt > this.now + 30 * DAY_MS) return null;
    const reportFrom = Math.min(this.now - WINDOWS.dealDays * DAY_MS, parsed.startedAt);
    const deals = await this.coreDeals(competitorId, reportFrom);
    return deals.find((d) => dealId(competitorId, d) === id) ?? null;
  }

  async deal(competitorId: string, id: string): Promise<Deal | null> {
    const d = await this.findDeal(competitorId, id);
    return d ? toDeal(competitorId, d) : null;
  }

  async dealComparison(competitorId: string, id: string): Promise<DealComparison | null> {
    return this.once(`cmp|${competitorId}|${id}`, async () => {
      const d = await this.findDeal(competitorId, id);
      if (!d) return null;
      const parsed = parseDealId(id)!;
      const reportFrom = Math.min(this.now - WINDOWS.dealDays * DAY_MS, parsed.startedAt);
      const [pts, data] = await Promise.all([this.history(competitorId, reportFrom), this.provenance(competitorId, reportFrom)]);
      const c = dealBaselineComparison(pts, d, { now: this.now });
      // core attaches the pre-deal baseline's provenance; the comparison also reads every reading up
      // to now (post-deal rate, recovery), so the newest reading used is the newest one.
      return toComparison(id, { ...c, explanation: { ...c.explanation, data } });
    });
  }

  // ---- velocity, baseline ----------------------------------------------------------------------

  /**
   * Figures from the consumption facts (server/modules/facts: a few index seeks, however long the
   * history); the explanation, which also names the window's readings and their provenance, runs
   * core's velocity() over the window's readings only when a client asks for it.
   */
  async velocity(competitorId: string, args: VelocityArgs): Promise<Velocity> {
    const w = this.window(args.from, args.to, WINDOWS.velocityDays);
    const confidence = args.confidence ?? 0.9;
    if (!(confidence > 0.5 && confidence < 0.999)) throw badInput('confidence', `must be in (0.5, 0.999), got ${confidence}`);
    return this.once(`vel|${competitorId}|${w.from}|${w.to}|${confidence}`, async () => {
      const sums = await this.consumption.load({ competitorId, from: w.from, to: w.to });
      this.stats.velocities++;
      const figures = toVelocity({ ...velocityFromSums(sums, confidence), from: w.from, to: w.to });
      // No stock measured: the listing's monthly sold figure or sales rank (velocity.rank.ts).
      return this.rank.withFallback(competitorId, figures, w, confidence, () => this.velocityExplanation(competitorId, w, confidence));
    });
  }

  /** core's velocity() over the readings of the window (± the edge margin): its explanation. */
  private velocityExplanation(competitorId: string, w: Window, confidence: number): Promise<Explanation> {
    return this.once(`velx|${competitorId}|${w.from}|${w.to}|${confidence}`, async () => {
      const pts = await this.points.load({
        competitorId,
        from: w.from - WINDOWS.edgeMs,
        to: Math.min(w.to + WINDOWS.edgeMs, this.now) + 1,
      });
      return toExplanation(velocity(pts, { now: this.now, from: w.from, to: w.to, confidence }).explanation);
    });
  }

  async baseline(competitorId: string, args: BaselineArgs): Promise<Baseline> {
    const days = v.finite('days', args.days, { min: 1, max: 60, integer: true });
    const to = args.to ? Math.min(v.instant('to', args.to, this.now).getTime(), this.now) : this.now;
    if (to < this.now - WINDOWS.maxWindowDays * DAY_MS) throw badInput('to', `must be within ${WINDOWS.maxWindowDays} days before now`);
    const reportFrom = to - Math.max(days, WINDOWS.cycleLookbackDays) * DAY_MS;
    return this.once(`base|${competitorId}|${to}|${days}`, async () =>
      toBaseline(
        baseline(await this.history(competitorId, reportFrom), { now: this.now, to, days, cycleLookbackDays: WINDOWS.cycleLookbackDays }),
      ),
    );
  }

  // ---- restocks, stockout windows --------------------------------------------------------------

  /**
   * Core's detection over the history (with the stored facts' causal threshold): for competitors
   * whose facts cannot answer for `now` (an asOf view, facts awaiting the startup rebuild).
   */
  private coreRestocks(competitorId: string, reportFrom: number): Promise<RestockEvent[]> {
    const hFrom = this.historyFrom(reportFrom);
    return this.once(`rst|${competitorId}|${hFrom}`, async () =>
      detectRestocks(await this.history(competitorId, reportFrom), { now: this.now, ...RESTOCK_OPTIONS }),
    );
  }

  /**
   * Restock events from the stored facts (server/modules/facts/restocks.facts.ts: one LIMIT page,
   * however long the history), or core over the history when the facts cannot answer for `now`.
   * Provenance: the newest reading, stale by the median of the newest 48 capture gaps.
   */
  async restocks(competitorId: string, args: RestocksArgs): Promise<Restock[]> {
    const first = v.pageSize(args.first);
    const w = this.eventWindow(args.from, args.to, WINDOWS.eventDays);
    const [served, rhythm] = await Promise.all([this.restockFacts.canServe(competitorId), this.restockFacts.captures(competitorId)]);
    const data = provenanceFrom(rhythm, this.now);
    if (served) {
      const events = await this.restockFacts.events(competitorId, w, first, Boolean(args.includeFlaps));
      return events.map((e) => toRestock(e, data));
    }
    const events = await this.coreRestocks(competitorId, w.from);
    return events
      .filter((e) => e.at >= w.from && e.at < w.to && (args.includeFlaps || e.kind !== 'FLAP'))
      .reverse()
      .slice(0, first)
      .map((e) => toRestock(e, data));
  }

  /** Stockout windows from the stored facts (one LIMIT page), or core over the history when they cannot answer for `now`. */
  async stockoutWindows(competitorId: string, args: StockoutWindowsArgs): Promise<StockoutWindow[]> {
    const first = v.pageSize(args.first);
    const w = this.eventWindow(args.from, args.to, WINDOWS.eventDays);
    const minH = v.finite('minDurationHours', args.minDurationHours, { min: 0, max: WINDOWS.maxWindowDays * 24 });
    if (await this.restockFacts.canServe(competitorId))
      return (await this.restockFacts.windows(competitorId, w, minH, first)).map(toStockoutWindow);
    const hFrom = this.historyFrom(w.from);
    const windows = await this.once(`so|${competitorId}|${hFrom}|${minH}`, async () =>
      stockoutWindows(await this.history(competitorId, w.from), { now: this.now, minDurationHours: minH, restock: RESTOCK_OPTIONS }),
    );
    return windows
      .filter((x) => x.start < w.to && (x.end ?? this.now) >= w.from)
      .reverse()
      .slice(0, first)
      .map(toStockoutWindow);
  }

  // ---- anomalies -------------------------------------------------------------------------------

  /**
   * Competitor.anomalies: anomalyFlags over the history, judged for the readings in the window
   * (their neighbourhoods reach into the history's 14-day margin), flagged ones newest first.
   */
  async anomalies(competitorId: string, args: AnomaliesArgs): Promise<SnapshotAnomaly[]> {
    const first = v.pageSize(args.first, 'first', 100);
    const w = this.eventWindow(args.from, args.to, WINDOWS.eventDays);
    const hFrom = this.historyFrom(w.from);
    const flags = await this.once(`anom|${competitorId}|${hFrom}|${w.from}|${w.to}`, async () =>
      anomalyFlags(await this.history(competitorId, w.from), {}, { from: w.from, to: w.to - 1 }),
    );
    return flags
      .filter((f) => f.anomalous && f.at >= w.from && f.at < w.to)
      .reverse()
      .slice(0, first)
      .map(toSnapshotAnomaly);
  }

  // ---- data status -----------------------------------------------------------------------------

  /**
   * Freshness of one competitor's captures, by the one staleness rule (core/series `captureStaleness`,
   * which the DATA_STALE alert uses too): judged on when the newest capture arrived, with the stale
   * factor of the default rule for the competitor's tier.
   */
  async dataStatus(competitorId: string, tier: CompetitorTier): Promise<DataStatus> {
    const from = this.now - WINDOWS.velocityDays * DAY_MS;
    // Bounded reads (server/modules/facts/restocks.read.ts): the newest 49 captures give the
    // rhythm (captureIntervalMs reads no more), an index-only count the captures of the window;
    // the tail gives the newest reading even when it is older than the window.
    const [rhythm, tail] = await Promise.all([this.restockFacts.captures(competitorId), this.tail.load(competitorId)]);
    const captures = rhythm.count;
    const med = captureIntervalMs(rhythm.times.filter((at) => at >= from).map((at) => ({ at }) as SnapshotPoint));
    const factor = defaultStaleFactorFor({ id: competitorId, type: 'COMPETITOR', tier });
    const st = captureStaleness({
      now: this.now,
      newestCaptureAt: tail.newestAt,
      newestArrivedAt: tail.arrivedAt,
      intervalMs: med ?? TIER_CAPTURE_INTERVAL_MS[tier],
      factor,
    });
    const ageHours = tail.newestAt === null ? null : (this.now - tail.newestAt) / HOUR_MS;
    const data = { source: tail.source, newestAt: isoOrNull(tail.newestAt), ageHours, stale: st.stale };
    const ex = new Explainer(
      'stale = live ∧ (now − arrival ≥ T), T = max(2 h, factor × capture interval), live = arrival − capture ≤ T (core/series captureStaleness)',
      { now: isoOrNull(this.now), windowFrom: isoOrNull(from), captures, tier, factor },
    )
      .step('newest capture', data.newestAt)
      .step('arrived', isoOrNull(tail.arrivedAt))
      .step('age (h)', ageHours === null ? null : round(ageHours, 3))
      .step('since arrival (h)', st.arrivalAgeMs === null ? null : round(st.arrivalAgeMs / HOUR_MS, 3))
      .step('median capture interval (min)', med === null ? null : round(med / 60_000, 2))
      .step('stale after (h)', round(st.staleAfterMs / HOUR_MS, 3))
      .step('stale', st.stale)
      .data(data);
    if (tail.newestAt === null) ex.note('no capture at or before now');
    else if (st.note) ex.note(st.note);
    if (med === null)
      ex.note(
        `fewer than 2 captures in the last ${WINDOWS.velocityDays} days: the capture interval is unknown, tier ${tier}'s ${TIER_CAPTURE_INTERVAL_MS[tier] / HOUR_MS} h is assumed`,
      );
    return {
      newestAt: tail.newestAt === null ? null : new Date(tail.newestAt),
      arrivedAt: tail.arrivedAt === null ? null : new Date(tail.arrivedAt),
      ageHours,
      source: tail.source,
      stale: st.stale,
      staleAfterHours: st.staleAfterMs / HOUR_MS,
      captureIntervalMinutes: med === null ? null : med / 60_000,
      captures,
      windowFrom: new Date(from),
      explanation: toExplanation(ex.build()),
    };
  }
}
