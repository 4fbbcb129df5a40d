import { describe, expect, it } from 'vitest';
import { validatePoints } from '../../../core/series/validate';
import { DAY_MS, HOUR_MS } from '../../../core/series/types';
import { generateScenarios } from '../../../core/sim/generate';
import { createRng } from '../../../core/random';
import { lightningRate, poisson } from '../../../core/sim/generate';

const start = Date.UTC(2026, 0, 5);
const set = generateScenarios({ seed: 42, competitors: 36, days: 21, start });
const all = set.scenarios;
const points = all.flatMap((s) => s.points);
const deals = all.flatMap((s) => s.truth.deals);

describe('scenario generator', () => {
  it('is deterministic per seed', () => {
    const again = generateScenarios({ seed: 42, competitors: 3, days: 5, start });
    const same = generateScenarios({ seed: 42, competitors: 3, days: 5, start });
    expect(again).toEqual(same);
    const other = generateScenarios({ seed: 43, competitors: 3, days: 5, start });
    expect(other.scenarios[0].points).not.toEqual(again.scenarios[0].points);
  });

  it('produces valid, sorted snapshots within the period, with metadata', () => {
    expect(set.now).toBe(start + 21 * DAY_MS);
    const asins = new Set<string>();
    for (const s of all) {
      expect(() => validatePoints(s.points)).not.toThrow();
      expect(s.points[0].at).toBeGreaterThanOrEqual(start);
      expect(s.points[s.points.length - 1].at).toBeLessThanOrEqual(set.now);
      expect(s.meta.asin).toMatch(/^B0[A-Z0-9]{8}$/);
      expect(['CORE', 'GENERAL', 'POTENTIAL']).toContain(s.meta.tier);
      expect(s.meta.title.length).toBeGreaterThan(5);
      expect([5, 10, 15, 20, 30, 45, 60]).toContain(s.meta.captureIntervalMinutes);
      asins.add(s.meta.asin);
    }
    expect(asins.size).toBe(all.length);
  });

  it('captures every 5–60 min, with missing captures and null stock', () => {
    let longGaps = 0;
    for (const s of all) {
      for (let i = 1; i < s.points.length; i++)
        if (s.points[i].at - s.points[i - 1].at > 3 * s.meta.captureIntervalMinutes * 60_000) longGaps++;
    }
    expect(longGaps).toBeGreaterThan(0);
    expect(points.some((p) => p.stock === null)).toBe(true);
  });

  it('shows censored stock ("10+", "999+"), price changes and BSR', () => {
    expect(points.some((p) => p.stockIsLowerBound && p.stock === 999)).toBe(true);
    expect(points.some((p) => p.stockIsLowerBound && p.stock === 10)).toBe(true);
    expect(points.every((p) => p.bsr !== null && p.bsr >= 1)).toBe(true);
    const prices = new Set(all[0].points.filter((p) => p.dealType === 'NONE').map((p) => p.price));
    expect(prices.size).toBeGreaterThan(1);
  });

  it('contains every kind of deal behaviour, labelled', () => {
    const lightning = deals.filter((d) => d.type === 'LIGHTNING');
    for (const status of ['SOLD_OUT', 'EXPIRED'] as const) expect(lightning.some((d) => d.status === status)).toBe(true);
    expect(lightning.some((d) => d.shape === 'DECAY')).toBe(true);
    expect(lightning.some((d) => d.shape === 'CONSTANT')).toBe(true);
    expect(lightning.some((d) => d.plateaus.length > 0)).toBe(true);
    expect(lightning.some((d) => d.batches.length > 0)).toBe(true);
    expect(lightning.some((d) => d.announcedAt !== null)).toBe(true);
    expect(deals.some((d) => d.type !== 'LIGHTNING')).toBe(true);
    expect(points.some((p) => p.dealType === 'LIGHTNING' && p.dealQuantity === null && p.dealClaimedPercent !== null)).toBe(true);
    // A larger set has deals live and upcoming at `now`.
    const big = generateScenarios({ seed: 42, competitors: 80, days: 7, start }).scenarios.flatMap((s) => s.truth.deals);
    expect(big.some((d) => d.status === 'LIVE')).toBe(true);
    expect(big.some((d) => d.status === 'UPCOMING')).toBe(true);
  });

  it('ground truth is consistent with the snapshots', () => {
    for (const d of deals.filter((x) => x.type === 'LIGHTNING')) {
      if (d.status === 'SOLD_OUT') {
        expect(d.soldOutAt as number).toBeGreaterThanOrEqual(d.startAt);
        expect(d.soldOutAt as number).toBeLessThan(d.scheduledEndAt);
        expect(d.endedAt).toBe(d.soldOutAt);
      }
      if (d.status === 'EXPIRED') expect(d.unitsSold).toBeLessThanOrEqual(d.finalQuantity as number);
    }
    // Claimed % never exceeds 100 and is floored: 100 only once sold out.
    expect(points.every((p) => p.dealClaimedPercent === null || (p.dealClaimedPercent >= 0 && p.dealClaimedPercent <= 100))).toBe(true);
    const restocks = all.flatMap((s) => s.truth.restocks);
    expect(restocks.length).toBeGreaterThan(all.length / 2);
    expect(restocks.some((r) => r.inDeal)).toBe(true);
    expect(restocks.some((r) => r.tranches > 1)).toBe(true);
    const outs = all.flatMap((s) => s.truth.stockouts);
    expect(outs.some((w) => w.durationHours >= 48)).toBe(true);
    for (const w of outs) if (w.end !== null) expect(w.durationHours).toBeCloseTo((w.end - w.start) / HOUR_MS, 9);
    expect(all.some((s) => s.truth.flaps.length > 0)).toBe(true);
    // While a stockout is under way, snapshots show 0 (or a flapping returned unit).
    const s = all.find((x) => x.truth.stockouts.some((w) => w.durationHours > 30));
    const w = s?.truth.stockouts.find((x) => x.durationHours > 30);
    if (!s || !w) throw new Error('no long stockout');
    const inside = s.points.filter((p) => p.at > w.start + HOUR_MS && p.at < (w.end ?? set.now) - HOUR_MS && p.stock !== null);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((p) => (p.stock as number) <= 1)).toBe(true);
  });

  it('has stale competitors whose captures stopped', () => {
    const big = generateScenarios({ seed: 42, competitors: 120, days: 7, start });
    const stopped = big.scenarios.filter((s) => s.truth.capturesStoppedAt !== null);
    expect(stopped.length).toBeGreaterThan(0);
    for (const s of stopped) expect(s.points[s.points.length - 1].at).toBeLessThan(s.truth.capturesStoppedAt as number);
  });

  it('validates options', () => {
    expect(() => generateScenarios({ seed: 1.5, competitors: 1, days: 1, start })).toThrow(/seed/);
    expect(() => generateScenarios({ seed: 1, competitors: 0, days: 1, start })).toThrow(/competitors/);
    expect(() => generateScenarios({ seed: 1, competitors: 1, days: 0, start })).toThrow(/days/);
  });
});

describe('poisson sampler', () => {
  it('has the right mean for small and large λ', () => {
    for (const lambda of [0.3, 4, 80]) {
      const rng = createRng(9);
      let s = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) s += poisson(rng, lambda);
      expect(Math.abs(s / n - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n));
    }
    expect(poisson(createRng(1), 0)).toBe(0);
  });
});

describe('lightning-deal drain', () => {
  it('DECAY r0·e^(−k·t), ACCELERATING r0·(0.3 + 1.4·t/E), CONSTANT r0', () => {
    expect(lightningRate({ shape: 'DECAY', r0: 100, k: 0.5 }, 2, 10)).toBeCloseTo(100 * Math.exp(-1), 12);
    expect(lightningRate({ shape: 'ACCELERATING', r0: 100, k: 0 }, 0, 10)).toBeCloseTo(30, 12);
    expect(lightningRate({ shape: 'ACCELERATING', r0: 100, k: 0 }, 10, 10)).toBeCloseTo(170, 12);
    expect(lightningRate({ shape: 'CONSTANT', r0: 42, k: 0 }, 7, 10)).toBe(42);
  });
});
