/**
 * Velocity where no stock is observed (issue 15, item 8): when the consumption facts measured nothing in
 * the window, the figure comes from the listing's own monthly sold figure or its sales rank
 * (core/rank/demand.ts), with `source` MONTHLY_SOLD or RANK_MODEL. The stock path is untouched when it
 * has a figure: this module is only asked when it has none.
 *
 * Reads are bounded, whatever the history's length:
 *   listing      its newest ≤ 500 readings in the window carrying a rank or a monthly figure;
 *   calibration  once per request, workspace, marketplace and window: the newest ≤ 10,000 ranked
 *                readings of the marketplace's listings in the window (median rank and latest
 *                "bought in past month" per listing), and the consumption facts (a few index seeks
 *                each) of at most 300 listings without a monthly figure, for their stock-measured rate.
 */
import type DataLoader from 'dataloader';
import { type CalibrationListing, calibrationPairs, type RankDemand, rankDemand } from '../../../core/rank/demand';
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

  constructor(
    private readonly db: Db,
    private readonly consumption: DataLoader<ConsumptionKey, VelocitySums, string>,
  ) {}

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
    const q = this.db.params();
    const rows: { workspace_id: string; marketplace: string; bsr: number | null; sold: number | null; est: number | null }[] =
      await this.db.manager.query(
        `SELECT c.workspace_id, c.marketplace, s.bsr, s.monthly_sold AS sold, s.est_monthly_sales AS est
           FROM competitor c LEFT JOIN snapshot s ON s.competitor_id = c.id AND s.captured_at >= ${q.add(new Date(w.from))}
            AND s.captured_at < ${q.add(new Date(w.to))} AND (s.bsr IS NOT NULL OR s.monthly_sold IS NOT NULL OR s.est_monthly_sales IS NOT NULL)
          WHERE c.id = ${q.add(competitorId)} ORDER BY s.captured_at DESC LIMIT ${RANK_LIMITS.listingReadings}`,
        q.values,
      );
    if (!rows.length) return { source: null, reason: 'unknown listing' };
    const ranks = rows.flatMap((r) => (r.bsr === null ? [] : [Number(r.bsr)]));
    const latest = (k: 'sold' | 'est') => {
      const r = rows.find((x) => x[k] !== null);
      return r ? Number(r[k]) : null;
    };
    const signals = { ranks, monthlySold: latest('sold'), estMonthlySales: latest('est') };
    const needsModel = !signals.monthlySold && !signals.estMonthlySales && ranks.length > 0;
    const calibration = needsModel ? await this.calibration(rows[0].workspace_id, rows[0].marketplace, w) : [];
    return rankDemand(signals, calibration, confidence);
  }

  /** Calibration pairs of one workspace and marketplace over the window, once per request. */
  private calibration(workspaceId: string, marketplace: string, w: Window): Promise<RankSalesObservation[]> {
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
