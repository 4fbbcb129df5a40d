import { describe, expect, it } from 'vitest';
import { restockCycleOf, stockLevels } from '../../../core/series/baseline';
import { DAY_MS } from '../../../core/series/types';
import { at, cens, pt } from './build';

describe('baseline steps', () => {
  it('time-weighted stock Σ s_i·h_i / Σ h_i, each reading held until the next (at most the max gap)', () => {
    // 10 for 2 h, 0 for 4 h, 40 for 2 h (to the window end): (20 + 0 + 80) / 8 = 12.5.
    const levels = stockLevels([pt(0, 10), pt(2, 0), pt(6, 40)], at(0), at(8));
    expect(levels.avgStock).toBeCloseTo(12.5, 12);
    expect(levels.outOfStockHours).toBeCloseTo(4, 12);
    expect(levels).toMatchObject({ avgStockIsLowerBound: false, minStock: 0, maxStock: 40 });
    expect(levels.coveredDays).toBeCloseTo(0.25, 12);
    // A reading before the window counts for its hold inside it; a 12 h cap stops a stale reading.
    const clipped = stockLevels([pt(-1, 30), pt(1, 10)], at(0), at(20));
    expect(clipped.avgStock).toBeCloseTo((30 * 1 + 10 * 12) / 13, 12);
    expect(clipped).toMatchObject({ minStock: 10, maxStock: 10, coveredDays: 0 });
    // A censored reading makes the mean a lower bound; no readings, no mean.
    expect(stockLevels([cens(0, 10)], at(0), at(1)).avgStockIsLowerBound).toBe(true);
    expect(stockLevels([], at(0), at(1)).avgStock).toBeNull();
  });
  it('restock cycle: median and mean of the gaps in days, next = last + median', () => {
    const t = [0, 2, 3, 9].map((d) => d * DAY_MS);
    // Gaps 2, 1, 6 days: median 2, mean 3.
    expect(restockCycleOf(t)).toEqual({
      restocks: 4,
      meanDays: 3,
      medianDays: 2,
      lastRestockAt: 9 * DAY_MS,
      nextExpectedAt: 11 * DAY_MS,
    });
    expect(restockCycleOf([5])).toEqual({ restocks: 1, meanDays: null, medianDays: null, lastRestockAt: 5, nextExpectedAt: null });
    expect(restockCycleOf([]).lastRestockAt).toBeNull();
  });
});
