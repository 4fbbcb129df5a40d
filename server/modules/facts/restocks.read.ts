/**
 * Reads of the restock facts (restocks.facts.ts) and of the capture rhythm, per request, in a
 * bounded number of statements per batch of competitors, however long the history:
 *   servable   whether a competitor's facts answer for `now`: made by the current rules, built
 *              (not awaiting the startup rebuild) and no reading after `now` (an `asOf` view or a
 *              clock set back: the facts know readings `now` must not see, so the caller falls
 *              back to core over the history);
 *   rhythm     the newest CAPTURE_SAMPLE readings at or before now (one LIMIT range per
 *              competitor) and the number of captures since `countFrom` (an index-only count),
 *              in one statement per page of competitors:
 *              provenance (source, newest, age, stale by the median of the newest 48 gaps) and
 *              dataStatus's captures and capture interval;
 *   events     a page of restock events of one window per competitor (newest `first` by `at`);
 *   windows    a page of stockout windows overlapping one window per competitor (newest first + 1
 *              by `start_at`: only the newest, open window can still be shorter than
 *              minDurationHours);
 *   both in one statement per page of competitors and arguments (ROW_NUMBER per competitor).
 */
import DataLoader from 'dataloader';
import type { RestockEvent } from '../../../core/restock/detect';
import { completeStockout, type StockoutFact, type StockoutWindow } from '../../../core/restock/stockout';
import { INTERVAL_GAPS, isoOrNull, medianIntervalMs } from '../../../core/series/provenance';
import { HOUR_MS } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime } from '../../db/dialect';
import { BASELINE_DAYS, RESTOCK_RULES, staleRestocksSql } from './restocks.facts';

/** Readings whose gaps give the capture interval (core/series/provenance.ts captureIntervalMs: the newest 48 gaps). */
export const CAPTURE_SAMPLE = INTERVAL_GAPS + 1;

export interface DataProvenance {
  source: string | null;
  newestAt: string | null;
  ageHours: number | null;
  stale: boolean;
}

/** The newest readings of a competitor at or before now, newest last. */
export interface Rhythm {
  times: number[];
  sources: (string | null)[];
  /** Captures in [countFrom, now]. */
  count: number;
}

/** Stale after min(48 h, max(2 h, 3 × median gap)), 2 h with fewer than 2 readings (provenance.ts defaultStaleAfterMs, over the newest 48 gaps). */
export function staleAfterMs(r: Rhythm): number {
  const med = medianIntervalMs(r.times.map((at) => ({ at }) as never));
  return med === null ? 2 * HOUR_MS : Math.min(48 * HOUR_MS, Math.max(2 * HOUR_MS, 3 * med));
}

/** Provenance of figures as of now: the newest reading, its age, stale when older than staleAfterMs (provenance.ts provenanceOf). */
export function provenanceFrom(r: Rhythm, now: number): DataProvenance {
  const n = r.times.length;
  if (!n) return { source: null, newestAt: null, ageHours: null, stale: true };
  const at = r.times[n - 1];
  return { source: r.sources[n - 1], newestAt: isoOrNull(at), ageHours: (now - at) / HOUR_MS, stale: now - at > staleAfterMs(r) };
}

export class RestockReader {
  private readonly servable;
  private readonly rhythm;
  /** Pages of events or windows, one loader per table and arguments. */
  private readonly pages = new Map<string, DataLoader<string, string[]>>();

  /** `countFrom`: the start of the window whose captures are counted (dataStatus: now − 30 days). */
  constructor(
    private readonly db: Db,
    private readonly now: number,
    countFrom: number,
  ) {
    const at = new Date(now);
    this.servable = new DataLoader<string, boolean>(
      async (ids) => {
        const q = db.params();
        const rows: { id: string; later: unknown; stale: unknown }[] = await db.manager.query(
          `SELECT c.id AS id, EXISTS (SELECT 1 FROM snapshot s WHERE s.competitor_id = c.id AND s.captured_at > ${q.add(at)}) AS later,
                  ${staleRestocksSql(RESTOCK_RULES)} AS stale
             FROM competitor c WHERE c.id IN (${q.list([...new Set(ids)])})`,
          q.values,
        );
        const ok = new Map(rows.map((r) => [r.id, !truthy(r.later) && !truthy(r.stale)]));
        return ids.map((id) => ok.get(id) ?? false);
      },
      { maxBatchSize: 500 },
    );
    this.rhythm = new DataLoader<string, Rhythm>(
      async (ids) => {
        // Per competitor (materialized once) the window's count (index-only) and the capture time of
        // its CAPTURE_SAMPLE-th newest reading; then the readings from there to now (an index range each).
        const q = db.params();
        const rows: { competitor_id: string; n: unknown; captured_at: string | Date | null; source: string | null }[] =
          await db.manager.query(
            `WITH k AS MATERIALIZED (
               SELECT c.id AS id,
                      (SELECT COUNT(*) FROM snapshot x WHERE x.competitor_id = c.id AND x.captured_at >= ${q.add(new Date(countFrom))} AND x.captured_at <= ${q.add(at)}) AS n,
                      COALESCE((SELECT x.captured_at FROM snapshot x WHERE x.competitor_id = c.id AND x.captured_at <= ${q.add(at)}
                                 ORDER BY x.captured_at DESC LIMIT 1 OFFSET ${CAPTURE_SAMPLE - 1}), ${q.add(new Date(0))}) AS lo
                 FROM competitor c WHERE c.id IN (${q.list([...new Set(ids)])}))
             SELECT k.id AS competitor_id, k.n AS n, s.captured_at AS captured_at, s.source AS source
               FROM k LEFT JOIN snapshot s ON s.competitor_id = k.id AND s.captured_at >= k.lo AND s.captured_at <= ${q.add(at)}`,
            q.values,
          );
        const out = new Map<string, Rhythm>();
        for (const r of rows) {
          let x = out.get(r.competitor_id);
          if (!x) out.set(r.competitor_id, (x = { times: [], sources: [], count: 0 }));
          x.count = Number(r.n);
          if (r.captured_at !== null) {
            x.times.push(readTime(r.captured_at));
            x.sources.push(r.source);
          }
        }
        for (const x of out.values()) sortRhythm(x);
        return ids.map((id) => out.get(id) ?? { times: [], sources: [], count: 0 });
      },
      { maxBatchSize: 1000 },
    );
  }

  /** True when the stored facts answer for `now` (else the caller detects over the history). */
  canServe(competitorId: string): Promise<boolean> {
    return this.servable.load(competitorId);
  }

  /** The newest CAPTURE_SAMPLE readings at or before now, and the captures since countFrom (one statement per page of competitors). */
  captures(competitorId: string): Promise<Rhythm> {
    return this.rhythm.load(competitorId);
  }

  /** Restock events with at in [from, to), newest first, at most `first` (FLAPs only when asked). */
  async events(competitorId: string, w: { from: number; to: number }, first: number, includeFlaps: boolean): Promise<RestockEvent[]> {
    const rows = await this.page('restock_event', 'at', `event`, w, first, includeFlaps ? '' : `AND kind <> 'FLAP'`).load(competitorId);
    return rows.map((r) => JSON.parse(r) as RestockEvent);
  }

  /**
   * The newest `limit` rows of `table` per competitor with `order` in [from, to) (stockout windows:
   * starting before `to` and not ended before `from`), as their `column` text: one statement per
   * page of competitors and arguments (ROW_NUMBER per competitor; both databases have it), newest first.
   */
  private page(table: string, order: string, column: string, w: { from: number; to: number }, limit: number, extra: string) {
    const key = `${table}|${w.from}|${w.to}|${limit}|${extra}`;
    let loader = this.pages.get(key);
    if (!loader) {
      const db = this.db;
      const overlap = table === 'stockout_window';
      loader = new DataLoader<string, string[]>(
        async (ids) => {
          const q = db.params();
          // Placeholders in text order (SQLite's are positional): the ids first, then the range.
          const list = q.list([...new Set(ids)]);
          const range = overlap
            ? `start_at < ${q.add(new Date(w.to))} AND (end_at IS NULL OR end_at >= ${q.add(new Date(w.from))})`
            : `${order} >= ${q.add(new Date(w.from))} AND ${order} < ${q.add(new Date(w.to))}`;
          const rows: { competitor_id: string; v: string }[] = await db.manager.query(
            `SELECT competitor_id, v FROM (
               SELECT competitor_id, ${column} AS v, ROW_NUMBER() OVER (PARTITION BY competitor_id ORDER BY ${order} DESC) AS rn
                 FROM ${table} WHERE competitor_id IN (${list}) AND ${range} ${extra}) t
             WHERE rn <= ${limit} ORDER BY competitor_id, rn`,
            q.values,
          );
          const out = new Map<string, string[]>();
          for (const r of rows) out.set(r.competitor_id, [...(out.get(r.competitor_id) ?? []), r.v]);
          return ids.map((id) => out.get(id) ?? []);
        },
        { maxBatchSize: 500 },
      );
      this.pages.set(key, loader);
    }
    return loader;
  }

  /**
   * Stockout windows overlapping [from, to) of at least minH hours as of now, newest start first, at
   * most `first`; each baseline's provenance restated with this competitor's capture rhythm.
   */
  async windows(competitorId: string, w: { from: number; to: number }, minH: number, first: number): Promise<StockoutWindow[]> {
    // minH is a validated finite number (at most 180 days of hours): safe inline, and part of the loader's key.
    const extra = `AND (duration_h IS NULL OR duration_h >= ${Number(minH)})`;
    const [rows, rhythm] = await Promise.all([
      this.page('stockout_window', 'start_at', 'fact', w, first + 1, extra).load(competitorId),
      this.captures(competitorId),
    ]);
    const out: StockoutWindow[] = [];
    for (const r of rows) {
      const f = JSON.parse(r) as StockoutFact;
      const x = completeStockout(f, { now: this.now, minH, baselineDays: BASELINE_DAYS });
      if (!x || x.start >= w.to || (x.end ?? this.now) < w.from) continue;
      // As velocity() states it for the baseline window: the newest reading before the start, stale
      // when older than staleAfterMs at the start (none: stale).
      const newestAt = f.baseline.data.newestAt;
      if (x.explanation.data)
        x.explanation.data.stale = newestAt === null || Math.min(this.now, f.window.start) - Date.parse(newestAt) > staleAfterMs(rhythm);
      out.push(x);
    }
    return out.slice(0, first);
  }
}

function truthy(v: unknown): boolean {
  return v === true || Number(v) > 0;
}

function sortRhythm(x: Rhythm): void {
  const idx = x.times.map((_, i) => i).sort((a, b) => x.times[a] - x.times[b]);
  x.times = idx.map((i) => x.times[i]);
  x.sources = idx.map((i) => x.sources[i]);
}
