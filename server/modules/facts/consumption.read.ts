/**
 * Velocity sums over a window from the consumption facts, for many competitors in two statements
 * per distinct window: four index seeks per competitor (the facts ending at or before `from` and
 * `to`, and the first ones after each), then those ≤ 4 rows.
 *
 * The window [from, to) gets what core's velocity() counts over the readings the on-demand path
 * loads, [from − edge, min(to + edge, now)]:
 *   interior  intervals ending in (from, to] and starting at or after from: total(L) − total(B),
 *             L the last fact ending at or before to, B the last one before them;
 *   edges     the interval straddling `from` and the one straddling `to`, each at the fraction of it
 *             inside the window, when both its readings lie in the loaded range (an interval reaching
 *             further is a gap the on-demand path never loads, so it is not counted there either).
 */
import DataLoader from 'dataloader';
import { addInterval, emptySums, subtractSums, type VelocitySums } from '../../../core/series/velocitySums';
import type { Db } from '../../db/db';
import { factInterval, factTotals, type FactRow } from './consumption.facts';

export interface ConsumptionKey {
  competitorId: string;
  from: number;
  to: number;
}

interface Seeks {
  id: string;
  k: number | string | null;
  k1: number | string | null;
  l: number | string | null;
  l1: number | string | null;
}

/** Sums of one window from its ≤ 4 fact rows (see the header). */
export function windowSums(
  rows: { k?: FactRow; k1?: FactRow; l?: FactRow; l1?: FactRow },
  w: { from: number; to: number; loadFrom: number; loadTo: number },
): VelocitySums {
  const { k, k1, l, l1 } = rows;
  const loaded = (iv: { start: number; end: number }) => iv.start >= w.loadFrom && iv.end <= w.loadTo;
  const first = k1 ? factInterval(k1) : null;
  // The interval straddling `from` (ending within the window) is counted by fraction, not whole.
  const straddles = first !== null && first.start < w.from && first.end <= w.to;
  const base = straddles ? k1 : k;
  const sums = l ? subtractSums(factTotals(l), factTotals(base ?? null)) : emptySums();
  if (straddles && loaded(first)) addInterval(sums, first, w.from, w.to);
  const last = l1 ? factInterval(l1) : null;
  if (last && last.start < w.to && loaded(last)) addInterval(sums, last, w.from, w.to);
  return sums;
}

/** Per-request loader of window sums; `edgeMs` and `now` bound the range the on-demand path loads. */
export function createConsumptionLoader(db: Db, now: number, edgeMs: number) {
  return new DataLoader<ConsumptionKey, VelocitySums, string>(
    async (keys) => {
      const out = new Map<string, VelocitySums>();
      const groups = new Map<string, ConsumptionKey[]>();
      for (const k of keys) groups.set(`${k.from}|${k.to}`, [...(groups.get(`${k.from}|${k.to}`) ?? []), k]);
      for (const group of groups.values()) {
        const { from, to } = group[0];
        const ids = [...new Set(group.map((k) => k.competitorId))];
        // Placeholders are bound in text order (SQLite's are positional): each seek binds its own.
        const q = db.params();
        const seek = (op: string, at: number, dir: 'ASC' | 'DESC') =>
          `(SELECT x.id FROM consumption_fact x WHERE x.competitor_id = c.id AND x.at ${op} ${q.add(new Date(at))} ORDER BY x.at ${dir} LIMIT 1)`;
        const select = `${seek('<=', from, 'DESC')} AS k, ${seek('>', from, 'ASC')} AS k1, ${seek('<=', to, 'DESC')} AS l, ${seek('>', to, 'ASC')} AS l1`;
        const seeks: Seeks[] = await db.manager.query(
          `SELECT c.id AS id, ${select} FROM competitor c WHERE c.id IN (${q.list(ids)})`,
          q.values,
        );
        const factIds = [...new Set(seeks.flatMap((s) => [s.k, s.k1, s.l, s.l1]).filter((x) => x !== null))].map(Number);
        const byId = new Map<number, FactRow>();
        if (factIds.length) {
          const r = db.params();
          const facts: (FactRow & { id: number | string })[] = await db.manager.query(
            `SELECT * FROM consumption_fact WHERE id IN (${r.list(factIds)})`,
            r.values,
          );
          for (const x of facts) byId.set(Number(x.id), x);
        }
        const row = (id: number | string | null) => (id === null ? undefined : byId.get(Number(id)));
        const w = { from, to, loadFrom: from - edgeMs, loadTo: Math.min(to + edgeMs, now) };
        for (const s of seeks) out.set(`${s.id}|${from}|${to}`, windowSums({ k: row(s.k), k1: row(s.k1), l: row(s.l), l1: row(s.l1) }, w));
      }
      return keys.map((k) => out.get(`${k.competitorId}|${k.from}|${k.to}`) ?? emptySums());
    },
    { cacheKeyFn: (k) => `${k.competitorId}|${k.from}|${k.to}`, maxBatchSize: 1000 },
  );
}
