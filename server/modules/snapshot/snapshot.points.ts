import DataLoader from 'dataloader';
import type { DealType, SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime, readTimeOrNull } from '../../db/dialect';

export interface PointsKey {
  competitorId: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface RawRow {
  competitor_id: string;
  captured_at: string | Date;
  stock: number | null;
  stock_is_lower_bound: number | boolean;
  price_cents: number | null;
  list_price_cents: number | null;
  deal_type: string;
  deal_quantity: number | null;
  deal_claimed_percent: number | null;
  deal_starts_at: string | Date | null;
  deal_ends_at: string | Date | null;
  bsr: number | null;
  source: string | null;
}

/** The snapshot columns toPoint reads. */
export const POINT_COLUMNS = `captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity,
  deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source`;

export function toPoint(r: RawRow): SnapshotPoint {
  return {
    at: readTime(r.captured_at),
    stock: r.stock === null ? null : Number(r.stock),
    stockIsLowerBound: Boolean(r.stock_is_lower_bound),
    price: r.price_cents === null ? null : Number(r.price_cents) / 100,
    listPrice: r.list_price_cents === null ? null : Number(r.list_price_cents) / 100,
    dealType: r.deal_type as DealType,
    dealQuantity: r.deal_quantity === null ? null : Number(r.deal_quantity),
    dealClaimedPercent: r.deal_claimed_percent === null ? null : Number(r.deal_claimed_percent),
    dealStartsAt: readTimeOrNull(r.deal_starts_at),
    dealEndsAt: readTimeOrNull(r.deal_ends_at),
    bsr: r.bsr === null ? null : Number(r.bsr),
    source: r.source,
  };
}

/**
 * Per-request loader of the time series core/ computes on: the snapshots of many competitors in
 * one statement per distinct window, as plain SnapshotPoints (no entity hydration: a read of 500
 * competitors can be half a million rows).
 */
export function createPointsLoader(db: Db) {
  return new DataLoader<PointsKey, SnapshotPoint[], string>(
    async (keys) => {
      const out = new Map<string, SnapshotPoint[]>();
      const groups = new Map<string, PointsKey[]>();
      for (const k of keys) groups.set(`${k.from}|${k.to}`, [...(groups.get(`${k.from}|${k.to}`) ?? []), k]);
      for (const group of groups.values()) {
        const ids = [...new Set(group.map((k) => k.competitorId))];
        const q = db.params();
        const rows: RawRow[] = await db.manager.query(
          `SELECT competitor_id, ${POINT_COLUMNS}
             FROM snapshot
            WHERE competitor_id IN (${q.list(ids)})
              AND captured_at >= ${q.add(new Date(group[0].from))} AND captured_at < ${q.add(new Date(group[0].to))}
            ORDER BY competitor_id, captured_at`,
          q.values,
        );
        for (const id of ids) out.set(`${id}|${group[0].from}|${group[0].to}`, []);
        for (const r of rows) out.get(`${r.competitor_id}|${group[0].from}|${group[0].to}`)!.push(toPoint(r));
      }
      return keys.map((k) => out.get(`${k.competitorId}|${k.from}|${k.to}`) ?? []);
    },
    { cacheKeyFn: (k) => `${k.competitorId}|${k.from}|${k.to}`, maxBatchSize: 1000 },
  );
}
export type PointsLoader = ReturnType<typeof createPointsLoader>;
