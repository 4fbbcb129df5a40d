/**
 * A deal analysed once and finished per request (core/deals/stored.ts) equals detection at `now`:
 * on generated listings cut at moments around every deal (while it runs, just after its last
 * reading, hours later), the newest run stored from the readings up to the cut — and from only its
 * bounded slice with the kept context, as the server stores it — then encoded, decoded and finished
 * at many `now`s at and after the cut (the cut itself, minutes later, each threshold and 1 ms either
 * side, days later) equals the newest Deal of detectDeals(readings, { now }), every field and the
 * explanation included.
 */
import { describe, expect, it } from 'vitest';
import { type Deal, decodeStoredDeal, detectDeals, encodeStoredDeal, finishDeal, regimeKey, storeDeal } from '../../../core/deals';
import { CONTEXT_READINGS, dealContext } from '../../../core/deals/context';
import { dealRuns } from '../../../core/series/dealRuns';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import { generateScenarios } from '../../../core/sim';

/** The server's input: the newest run's readings, CONTEXT_READINGS before it, and its kept context. */
function bounded(pts: readonly SnapshotPoint[]) {
  const runs = dealRuns(pts);
  const run = runs[runs.length - 1];
  const firstLive = run.liveIndices[0];
  const contexts =
    firstLive === undefined ? [] : [dealContext(pts.slice(0, firstLive), pts[firstLive].at, pts[0].at, { baselineDays: 14 })];
  return { points: pts.slice(Math.max(0, run.indices[0] - CONTEXT_READINGS)), contexts };
}

function nowsAfter(n: number, d: Deal): number[] {
  const out = [n, n + 60_000, n + 25 * 60_000, n + 2 * HOUR_MS, n + 3 * DAY_MS];
  for (const x of [d.scheduledStartAt, d.scheduledEndAt, d.endedAt, d.startedAt + 12 * HOUR_MS, d.startedAt + 25 * HOUR_MS])
    if (x !== null) out.push(x - 1, x, x + 1);
  for (const q of [d.sellOutEta?.p10, d.sellOutEta?.p50, d.sellOutEta?.p90]) if (q) out.push(q - 1, q + 1, q + HOUR_MS);
  return [...new Set(out.filter((t) => t >= n))];
}

describe('stored deal', () => {
  it('finished at any now after its newest reading equals detection at that now', () => {
    const set = generateScenarios({ seed: 11, competitors: 4, days: 9, start: Date.UTC(2026, 8, 1) });
    let compared = 0;
    const statuses = new Set<string>();
    const regimes = new Set<number>();
    for (const sc of set.scenarios) {
      for (const d of sc.truth.deals) {
        for (const h of [0.3, 3, 30]) {
          const cut = d.startAt + h * HOUR_MS;
          if (cut > set.now) continue;
          const pts = sc.points.filter((p) => p.at <= cut);
          if (!pts.length || !dealRuns(pts).length) continue;
          const n = pts[pts.length - 1].at;
          const b = bounded(pts);
          const stored = storeDeal(pts, { etaDraws: 20 });
          const slice = storeDeal(b.points, { etaDraws: 20, contexts: b.contexts });
          expect(stored).not.toBeNull();
          const decoded = decodeStoredDeal(encodeStoredDeal(slice!));
          regimes.add(stored!.variants.length);
          for (const now of nowsAfter(n, stored!.variants[0].deal)) {
            const ref = detectDeals(pts, { now, etaDraws: 20 }).at(-1)!;
            const where = `${sc.meta.asin} cut ${new Date(cut).toISOString()} now ${new Date(now).toISOString()}`;
            expect(finishDeal(stored!, now), where).toEqual(ref);
            expect(finishDeal(decoded, now), where).toEqual(ref);
            statuses.add(ref.status);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['EXPIRED', 'LIVE']));
    expect(Math.max(...regimes), 'a deal with more than one regime').toBeGreaterThan(1);
  }, 180_000);

  it('an announced deal turns from UPCOMING at its scheduled start; a stale history gets its note at the right now', () => {
    const t0 = Date.UTC(2026, 8, 1);
    const pts: SnapshotPoint[] = [];
    for (let i = 0; i < 80; i++) {
      const at = t0 + i * 600_000;
      const announced = i >= 70;
      pts.push({
        at,
        stock: 500 - i,
        stockIsLowerBound: false,
        price: 20,
        listPrice: null,
        bsr: null,
        dealType: announced ? 'LIGHTNING' : 'NONE',
        dealQuantity: null,
        dealClaimedPercent: null,
        dealEndsAt: announced ? t0 + 20 * HOUR_MS : null,
        dealStartsAt: announced ? t0 + 15 * HOUR_MS : null,
        source: 'test',
      } as SnapshotPoint);
    }
    const n = pts[pts.length - 1].at;
    const stored = decodeStoredDeal(encodeStoredDeal(storeDeal(pts, {})!));
    const statuses: string[] = [];
    for (const now of [n, n + HOUR_MS, t0 + 15 * HOUR_MS - 1, t0 + 15 * HOUR_MS, t0 + 20 * HOUR_MS, t0 + 40 * HOUR_MS]) {
      const ref = detectDeals(pts, { now }).at(-1)!;
      expect(finishDeal(stored, now)).toEqual(ref);
      statuses.push(ref.status);
    }
    expect(statuses[0]).toBe('UPCOMING');
    expect(statuses.at(-1)).toBe('EXPIRED');
    expect(finishDeal(stored, t0 + 40 * HOUR_MS).explanation.notes.some((x) => x.startsWith('captures look stopped'))).toBe(true);
  });

  it('rejects a now before the newest analysed reading (the caller detects over the readings then)', () => {
    const set = generateScenarios({ seed: 3, competitors: 2, days: 10, start: Date.UTC(2026, 8, 1) });
    const sc = set.scenarios.find((s) => s.truth.deals.length)!;
    const d = sc.truth.deals[0];
    const pts = sc.points.filter((p) => p.at <= d.startAt + HOUR_MS);
    const stored = storeDeal(pts, { etaDraws: 20 })!;
    expect(() => finishDeal(stored, stored.analysedTo - 1)).toThrow(/before the newest analysed reading/);
    expect(regimeKey(stored.thresholds, stored.analysedTo)).toBe(stored.variants[0].key);
  });
});
