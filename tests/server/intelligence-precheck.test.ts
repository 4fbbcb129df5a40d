/**
 * The server skips deal detection for `activeDeal` when neither of a competitor's two newest
 * readings shows a deal (intelligence.loaders.ts: mayHaveLiveDeal). That is only sound while core
 * reports a deal LIVE no later than one capture after its badge disappears; this checks the rule
 * against core itself on generated scenarios, at moments around every deal (start, live, end, the
 * captures right after it) where the two could disagree.
 */
import { describe, expect, it } from 'vitest';
import { activeDeal, detectDeals } from '../../core/deals';
import { HOUR_MS } from '../../core/series/types';
import { generateScenarios } from '../../core/sim';
import { mayHaveLiveDeal } from '../../server/modules/intelligence/intelligence.loaders';

describe('activeDeal pre-check', () => {
  it('never hides a deal core reports LIVE, and lets the live ones through', () => {
    const set = generateScenarios({ seed: 11, competitors: 8, days: 12, start: Date.UTC(2026, 8, 1) });
    let live = 0;
    let checked = 0;
    for (const sc of set.scenarios) {
      const moments = new Set<number>();
      for (const d of sc.truth.deals) {
        for (const h of [0.25, 1, 3]) moments.add(d.startAt + h * HOUR_MS);
        const end = d.endedAt ?? d.scheduledEndAt;
        // The captures around the end: where "the badge is gone" starts to count.
        const after = sc.points.filter((p) => p.at >= end - HOUR_MS).slice(0, 6);
        for (const p of after) moments.add(p.at);
      }
      for (const now of moments) {
        if (now > set.now) continue;
        const pts = sc.points.filter((p) => p.at <= now);
        const newestTwo = pts
          .slice(-2)
          .reverse()
          .map((p) => p.dealType);
        const a = activeDeal(detectDeals(pts, { now, etaDraws: 20 }));
        checked++;
        if (a) live++;
        if (!mayHaveLiveDeal(newestTwo)) expect(a, `${sc.meta.asin} at ${new Date(now).toISOString()}`).toBeNull();
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(live).toBeGreaterThan(20);
  }, 60_000);
});
