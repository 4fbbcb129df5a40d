/**
 * A deal's analysis needs only its own readings once its pre-deal context is kept (core/deals/context.ts):
 * on generated listings, at moments around every deal, the deal live at `now` detected from
 * CONTEXT_READINGS readings before its run plus the run and a context taken from the readings
 * before its first live reading equals the one detected from the whole history — every field,
 * explanation included.
 */
import { describe, expect, it } from 'vitest';
import { activeDeal, detectDeals, type EtaCache, type SellOutEta } from '../../../core/deals';
import { CONTEXT_READINGS, dealContext, restockSlice } from '../../../core/deals/context';
import { dealRuns } from '../../../core/series/dealRuns';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import { generateScenarios } from '../../../core/sim';

/** What the server loads for activeDeal: the run's readings and CONTEXT_READINGS before, and the kept context. */
function bounded(pts: readonly SnapshotPoint[]) {
  const runs = dealRuns(pts);
  const run = runs[runs.length - 1];
  const first = run.indices[0];
  const firstLive = run.liveIndices[0];
  const contexts =
    firstLive === undefined ? [] : [dealContext(pts.slice(0, firstLive), pts[firstLive].at, pts[0].at, { baselineDays: 14 })];
  return { points: pts.slice(Math.max(0, first - CONTEXT_READINGS)), contexts };
}

describe('deal context', () => {
  it('a live deal detected from its own readings and its kept context equals the one from the whole history', () => {
    const set = generateScenarios({ seed: 5, competitors: 6, days: 16, start: Date.UTC(2026, 8, 1) });
    let compared = 0;
    let shorter = 0;
    for (const sc of set.scenarios) {
      for (const d of sc.truth.deals) {
        for (const h of [0.5, 4]) {
          const now = d.startAt + h * HOUR_MS;
          if (now > set.now) continue;
          const pts = sc.points.filter((p) => p.at <= now);
          const full = activeDeal(detectDeals(pts, { now, etaDraws: 20 }));
          if (!full) continue;
          const b = bounded(pts);
          if (b.points.length < pts.length) shorter++;
          const part = activeDeal(detectDeals(b.points, { now, etaDraws: 20, contexts: b.contexts }));
          expect(part, `${sc.meta.asin} at ${new Date(now).toISOString()}`).toEqual(full);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(12);
    expect(shorter).toBeGreaterThan(compared / 2);
  }, 120_000);

  it('the context is taken before the first live reading: later readings never change it', () => {
    const set = generateScenarios({ seed: 9, competitors: 4, days: 20, start: Date.UTC(2026, 8, 1) });
    const sc = set.scenarios.find((s) => s.truth.deals.some((d) => d.startAt > set.start + 15 * DAY_MS))!;
    const deal = sc.truth.deals.find((d) => d.startAt > set.start + 15 * DAY_MS)!;
    const firstLive = sc.points.find((p) => p.at >= deal.startAt && p.dealType !== 'NONE')!;
    const before = sc.points.filter((p) => p.at < firstLive.at);
    const ctx = (pts: SnapshotPoint[]) => dealContext(pts, firstLive.at, sc.points[0].at, { baselineDays: 14 });
    expect(ctx(before)).toEqual(ctx(sc.points.filter((p) => p.at < firstLive.at + DAY_MS).filter((p) => p.at < firstLive.at)));
    expect(ctx(before).firstLiveAt).toBe(firstLive.at);
    expect(ctx(before).historyStartAt).toBe(sc.points[0].at);
  });

  it('the restock slice is bounded by count on both sides of the run', () => {
    const pts = Array.from({ length: 500 }, (_, i) => ({ at: i }) as SnapshotPoint);
    expect(restockSlice(pts, 200, 210)).toHaveLength(CONTEXT_READINGS + 11 + CONTEXT_READINGS);
    expect(restockSlice(pts, 10, 480)).toHaveLength(500);
  });
});

describe('ETA memo', () => {
  it('detectDeals with an etaCache gives the same deals, and the same curve asked again is a lookup', () => {
    const set = generateScenarios({ seed: 3, competitors: 4, days: 6, start: Date.UTC(2026, 8, 1) });
    const store = new Map<string, SellOutEta>();
    let hits = 0;
    const etaCache: EtaCache = {
      get: (k) => {
        const v = store.get(k);
        if (v) hits++;
        return v;
      },
      set: (k, v) => void store.set(k, v),
    };
    let live = 0;
    for (const sc of set.scenarios) {
      const d = sc.truth.deals[0];
      if (!d) continue;
      const now = d.startAt + 2 * HOUR_MS;
      const pts = sc.points.filter((p) => p.at <= now);
      const plain = detectDeals(pts, { now, etaDraws: 30 });
      expect(detectDeals(pts, { now, etaDraws: 30, etaCache })).toEqual(plain);
      const before = hits;
      expect(detectDeals(pts, { now: now + 60_000, etaDraws: 30, etaCache })).toEqual(
        detectDeals(pts, { now: now + 60_000, etaDraws: 30 }),
      );
      if (activeDeal(plain)?.sellOutEta) {
        live++;
        expect(hits).toBeGreaterThan(before);
      }
    }
    expect(live).toBeGreaterThan(0);
    expect(store.size).toBeGreaterThan(0);
  });
});
