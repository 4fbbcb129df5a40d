import { describe, expect, it } from 'vitest';
import { baseline } from '../../../core/series/baseline';
import { dealRanges, dealRuns } from '../../../core/series/dealRuns';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, deal, pt } from './build';

// 14 days hourly: 300 units draining 2/h, +200 arriving at h = 120 and h = 240.
const stockAt = (h: number) => 300 - 2 * h + 200 * Math.floor(h / 120);
const twoWeeks = Array.from({ length: 336 }, (_, h) => pt(h, stockAt(h)));

describe('baseline: hand-computed two weeks', () => {
  const b = baseline(twoWeeks, { now: at(336), days: 14 });
  it('average, min and max stock', () => {
    // Σ(300 − 2h) + 200·216 + 200·96 over h = 0…335, each reading holding 1 h: 50640 / 336.
    expect(b.avgStock).toBeCloseTo(50640 / 336, 9);
    expect(b.minStock).toBe(22); // h = 239: 300 − 478 + 200
    expect(b.maxStock).toBe(300);
    expect(b.avgStockIsLowerBound).toBe(false);
  });
  it('daily consumption is 48 with the two restock hours left out', () => {
    expect(b.dailyConsumption.value).toBeCloseTo(48, 9);
    expect(b.dailyConsumption.lower).toBeLessThan(48);
    expect(b.dailyConsumption.upper as number).toBeGreaterThan(48);
    expect(b.velocity.intervalCounts.RESTOCK).toBe(2);
  });
  it('restock cycle of 5 days', () => {
    expect(b.restockCycle.restocks).toBe(2);
    expect(b.restockCycle.medianDays).toBeCloseTo(5, 9);
    expect(b.restockCycle.lastRestockAt).toBe(at(240));
    expect(b.restockCycle.nextExpectedAt).toBe(at(360));
    expect(b.coveredDays).toBeCloseTo(335 / 24, 9);
  });
});

describe('baseline leaves deals and stockouts out of consumption', () => {
  // 2/h normally; hours 100–106 a lightning deal drains 50/h.
  const pts: SnapshotPoint[] = [];
  let s = 2000;
  for (let h = 0; h <= 200; h++) {
    if (h > 0) s -= h > 100 && h <= 106 ? 50 : 2;
    pts.push(h >= 100 && h <= 106 ? deal(h, s, (h - 100) * 10, 3000, 106.5) : pt(h, s));
  }
  it('excludes the deal by default', () => {
    const b = baseline(pts, { now: at(200), from: at(0), to: at(200) });
    expect(b.dailyConsumption.value).toBeCloseTo(48, 9);
    const all = baseline(pts, { now: at(200), from: at(0), to: at(200), excludeDeals: false });
    expect(all.dailyConsumption.value as number).toBeCloseTo(((194 * 2 + 6 * 50) / 200) * 24, 9);
  });
  it('does not let out-of-stock days depress demand', () => {
    const oos = [...Array.from({ length: 25 }, (_, h) => pt(h, 50 - 2 * h)), ...Array.from({ length: 24 }, (_, i) => pt(25 + i, 0))];
    const b = baseline(oos, { now: at(48), from: at(0), to: at(48) });
    expect(b.dailyConsumption.value).toBeCloseTo(48, 9);
    expect(b.outOfStockHours).toBeCloseTo(23, 9); // zero readings at h = 25…47 each hold 1 h up to the window end at 48
  });
  it('says when the window is shorter than 7 days', () => {
    const b = baseline(twoWeeks.slice(0, 48), { now: at(48), days: 14 });
    expect(b.explanation.notes.join(' ')).toMatch(/7–14 days/);
  });
});

describe('deal runs', () => {
  it('splits deals by scheduled end and merges a missed badge', () => {
    const pts = [deal(0, 100, 0, 50, 4), deal(1, 95, 10, 50, 4), pt(2, 94), deal(3, 90, 20, 50, 4), pt(5, 80), deal(6, 80, 0, 50, 10)];
    const runs = dealRuns(pts);
    expect(runs.map((r) => r.indices)).toEqual([[0, 1, 3], [5]]);
    expect(dealRanges(pts, runs)[0]).toEqual({ start: at(0), end: at(4) });
  });
  it('without an end: a reset of % claimed is a new deal, a quantity increase is a batch', () => {
    const noEnd = { dealEndsAt: null };
    const pts = [
      deal(0, 100, 0, 100, 0, noEnd),
      deal(1, 90, 80, 100, 0, noEnd),
      deal(2, 290, 40, 200, 0, noEnd),
      deal(3, 280, 2, 200, 0, noEnd),
    ];
    expect(dealRuns(pts).map((r) => r.indices)).toEqual([[0, 1, 2], [3]]);
  });
  it('keeps announced readings apart from the live phase', () => {
    const pts = [
      deal(0, 100, null, 50, 8, { dealStartsAt: at(2) }),
      deal(2, 100, 0, 50, 8, { dealStartsAt: at(2) }),
      deal(3, 90, 20, 50, 8, { dealStartsAt: at(2) }),
    ];
    const [r] = dealRuns(pts);
    expect(r.upcomingIndices).toEqual([0]);
    expect(r.liveIndices).toEqual([1, 2]);
    expect(r.dealStartsAt).toBe(at(2));
  });
});
