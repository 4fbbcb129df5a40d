/**
 * Velocity where no stock is observed (issue 15, item 8): when the consumption facts measured nothing in
 * the window, the figure comes from the listing's own monthly sold figure or its sales rank
 * (core/rank/demand.ts), with `source` MONTHLY_SOLD or RANK_MODEL. The stock path is untouched when it
 * has a figure: this module is only asked when it has none.
 *
 * Reads are bounded, whatever the history's length:
 *   listing      its newest ≤ 500 readings in the window carrying a rank or a monthly figure, batched
 *                over a request's competitors: one statement for their rows, one per 100 of them for
 *                the readings (a UNION ALL of per-listing `ORDER BY captured_at DESC LIMIT 500`);
 *   calibration  once per request, workspace, marketplace and window: the newest ≤ 10,000 ranked
 *                readings of the marketplace's listings in the window (median rank and latest
 *                "bought in past month" per listing), and the consumption facts (a few index seeks
 *                each) of at most 300 listings without a monthly figure, for their stock-measured rate.
 */
import DataLoader from 'dataloader';
import { type CalibrationListing, calibrationPairs, type ListingSignals, type RankDemand, rankDemand } from '../../../core/rank/demand';
import type { RankSalesObservation } from '../../../core/rank/salesModel';
import { type VelocitySums, velocityFromSums } from '../../../core/series/velocitySums';
import type { Db } from '../../db/db';
import { type Explanation, toExplanation } from '../../graphql/explanation';
import type { ConsumptionKey } from '../facts/consumption.read';
import { type Velocity, VelocitySource } from './intelligence.types';

export const RANK_LIMITS = { listingReadings: 500, calibrationReadings: 10_000, stockCalibrationListings: 300 } as const;

interface Window {
  from: number;
  to: number;
}

export class RankVelocity {
  private readonly calibrations = new Map<string, Promise<RankSalesObservation[]>>();
  private readonly signals;

  constructor(
    private readonly db: Db,
    private readonly consumption: DataLoader<ConsumptionKey, VelocitySums, string>,
  ) {
    this.signals = createSignalsLoader(db);
  }

  /**
   * The stock path's figures when it measured something; else the monthly-sold or rank figure with its
   * explanation; else the stock path's (empty) figures with the reason added to its explanation.
   */
  async withFallback(
    competitorId: string,
    figures: Velocity,
    w: Window,
    confidence: number,
    explain: () => Promise<Explanation>,
  ): Promise<Velocity> {
    if (figures.source !== null) return { ...figures, explain };
    const d = await this.demand(competitorId, w, confidence);
    if (d.source === null)
      return { ...figures, explain: async () => await explain().then((e) => ({ ...e, notes: [...e.notes, `no figure: ${d.reason}`] })) };
    const { value, lower, upper } = d.perDay;
    return {
      ...figures,
      source: d.source === 'RANK_MODEL' ? VelocitySource.RANK_MODEL : VelocitySource.MONTHLY_SOLD,
      perDay: { value, lower, upper },
      perHour: { value: value / 24, lower: lower / 24, upper: upper / 24 },
      confidence: d.confidence,
      explanation: toExplanation(d.explanation),
    };
  }

  private async demand(competitorId: string, w: Window, confidence: number): Promise<RankDemand> {
    const l = await this.signals.load({ competitorId, from: w.from, to: w.to });
    if (!l) return { source: null, reason: 'unknown listing' };
    const needsModel = !l.signals.monthlySold && !l.signals.estMonthlySales && l.signals.ranks.length > 0;
    const calibration = needsModel ? await this.calibration(l.workspaceId, l.marketplace, w) : [];
    return rankDemand(l.signals, calibration, confidence);
  }

  /**
   * Calibration pairs of one workspace and marketplace over the window, once per request (also the
   * calibration of rank-based competitor forecasts, forecast.rank.ts, over the default velocity window).
   */
  calibration(workspaceId: string, marketplace: string, w: Window): Promise<RankSalesObservation[]> {
    const key = `${workspaceId}|${marketplace}|${w.from}|${w.to}`;
    let p = this.calibrations.get(key);
    if (!p) {
      p = this.loadCalibration(workspaceId, marketplace, w);
      this.calibrations.set(key, p);
    }
    return p;
  }

  private async loadCalibration(workspaceId: string, marketplace: string, w: Window): Promise<RankSalesObservation[]> {
    const q = this.db.params();
    const rows: { id: string; bsr: number; sold: number | null }[] = await this.db.manager.query(
      `SELECT s.competitor_id AS id, s.bsr, s.monthly_sold AS sold FROM snapshot s JOIN competitor c ON c.id = s.competitor_id
        WHERE c.workspace_id = ${q.add(workspaceId)} AND c.marketplace = ${q.add(marketplace)}
          AND s.captured_at >= ${q.add(new Date(w.from))} AND s.captured_at < ${q.add(new Date(w.to))} AND s.bsr IS NOT NULL
        ORDER BY s.captured_at DESC LIMIT ${RANK_LIMITS.calibrationReadings}`,
      q.values,
    );
    const byId = new Map<string, { ranks: number[]; monthlySold: number | null; stockPerDay: number | null }>();
    for (const r of rows) {
      const l = byId.get(r.id) ?? { ranks: [], monthlySold: null, stockPerDay: null };
      l.ranks.push(Number(r.bsr));
      if (l.monthlySold === null && r.sold !== null) l.monthlySold = Number(r.sold);
      byId.set(r.id, l);
    }
    const unsold = [...byId].filter(([, l]) => l.monthlySold === null).slice(0, RANK_LIMITS.stockCalibrationListings);
    const sums = await this.consumption.loadMany(unsold.map(([competitorId]) => ({ competitorId, from: w.from, to: w.to })));
    unsold.forEach(([, l], i) => (l.stockPerDay = stockRate(sums[i])));
    return calibrationPairs([...byId.values()] as CalibrationListing[]);
  }
}

/** Units/day measured from stock (exact and claims intervals, none censored, at least two), else null. */
function stockRate(s: VelocitySums | Error): number | null {
  if (s instanceof Error || s.counts.CENSORED > 0 || s.counts.EXACT + s.counts.CLAIMS < 2) return null;
  const v = velocityFromSums(s, 0.9).perDay.value;
  return v !== null && v > 0 ? v : null;
}

interface ListingInfo {
  workspaceId: string;
  marketplace: string;
  signals: ListingSignals;
}

const SIGNAL_CHUNK = 100;

/** A reading carrying a rank, a monthly-sold badge or a monthly sales estimate. */
export interface SignalRow {
  id: string;
  bsr: number | null;
  sold: number | null;
  est: number | null;
  captured_at: Date | string;
}

/**
 * The newest ≤ `limit` readings of each listing in [from, to) that carry a rank, a badge or an
 * estimate, newest first: one statement per 100 listings (a UNION ALL of per-listing
 * `ORDER BY captured_at DESC LIMIT`), bounded whatever the history's length.
 */
export async function signalRows(db: Db, ids: readonly string[], from: number, to: number, limit: number): Promise<SignalRow[]> {
  const out: SignalRow[] = [];
  for (let i = 0; i < ids.length; i += SIGNAL_CHUNK) {
    const r = db.params();
    const one = (id: string, j: number) =>
      `SELECT * FROM (SELECT competitor_id AS id, bsr, monthly_sold AS sold, est_monthly_sales AS est, captured_at FROM snapshot
        WHERE competitor_id = ${r.add(id)} AND captured_at >= ${r.add(new Date(from))} AND captured_at < ${r.add(new Date(to))}
          AND (bsr IS NOT NULL OR monthly_sold IS NOT NULL OR est_monthly_sales IS NOT NULL)
        ORDER BY captured_at DESC LIMIT ${Math.floor(limit)}) AS x${i}_${j}`;
    const sql = ids
      .slice(i, i + SIGNAL_CHUNK)
      .map(one)
      .join(' UNION ALL ');
    const got: SignalRow[] = await db.manager.query(sql, r.values);
    out.push(...got);
  }
  return out.sort((a, b) => new Date(b.captured_at).getTime() - new Date(a.captured_at).getTime());
}

/** Per-request loader of listings' rank and monthly readings in a window (see the header). */
function createSignalsLoader(db: Db) {
  return new DataLoader<ConsumptionKey, ListingInfo | null, string>(
    async (keys) => {
      const out = new Map<string, ListingInfo | null>();
      const groups = new Map<string, ConsumptionKey[]>();
      for (const k of keys) groups.set(`${k.from}|${k.to}`, [...(groups.get(`${k.from}|${k.to}`) ?? []), k]);
      for (const group of groups.values()) {
        const { from, to } = group[0];
        const ids = [...new Set(group.map((k) => k.competitorId))];
        const q = db.params();
        const listings: { id: string; workspace_id: string; marketplace: string }[] = await db.manager.query(
          `SELECT id, workspace_id, marketplace FROM competitor WHERE id IN (${q.list(ids)})`,
          q.values,
        );
        const rows = new Map<string, SignalRow[]>();
        for (const g of await signalRows(db, ids, from, to, RANK_LIMITS.listingReadings)) rows.set(g.id, [...(rows.get(g.id) ?? []), g]);
        for (const l of listings) {
          const mine = rows.get(l.id) ?? [];
          const latest = (k: 'sold' | 'est') => {
            const hit = mine.find((x) => x[k] !== null);
            return hit ? Number(hit[k]) : null;
          };
          out.set(`${l.id}|${from}|${to}`, {
            workspaceId: l.workspace_id,
            marketplace: l.marketplace,
            signals: {
              ranks: mine.flatMap((x) => (x.bsr === null ? [] : [Number(x.bsr)])),
              monthlySold: latest('sold'),
              estMonthlySales: latest('est'),
            },
          });
        }
      }
      return keys.map((k) => out.get(`${k.competitorId}|${k.from}|${k.to}`) ?? null);
    },
    { cacheKeyFn: (k) => `${k.competitorId}|${k.from}|${k.to}` },
  );
}
