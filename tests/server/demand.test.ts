/** The in-stock moving average behind DemandEstimate: hand-computed cases for each rule it states. */
import { describe, expect, it } from 'vitest';
import { inStockMovingAverage, sampleDailyStats } from '../../server/modules/planning/demand';

const TODAY = 20_000; // an epoch day
const day = (offset: number) => TODAY + offset;

describe('inStockMovingAverage', () => {
  it('leaves out-of-stock days out of mean, sd and max', () => {
    // In stock: 4, 6, 8 → mean 6, sample sd √((4 + 0 + 4)/2) = 2, max 8. Out of stock: 1 and 30 (ignored).
    const e = inStockMovingAverage(
      [
        { day: day(-5), units: 4, inStock: true },
        { day: day(-4), units: 1, inStock: false },
        { day: day(-3), units: 6, inStock: true },
        { day: day(-2), units: 30, inStock: false },
        { day: day(-1), units: 8, inStock: true },
      ],
      TODAY,
      90,
    );
    expect(e).toMatchObject({
      mean: 6,
      sd: 2,
      max: 8,
      inStockDays: 3,
      stockoutDaysExcluded: 2,
      unrecordedDays: 0,
      from: day(-5),
      to: day(-1),
    });
    expect(e.explanation.notes[0]).toMatch(/left out of mean, sd and max/);
    expect(e.warnings).toEqual([]);
  });

  it('counts unrecorded days after the first record as 0 units, and ignores days before it', () => {
    // Records on days −6 (12) and −2 (6): days −5, −4, −3, −1 are zeros → [12, 0, 0, 0, 6, 0].
    const e = inStockMovingAverage(
      [
        { day: day(-6), units: 12, inStock: true },
        { day: day(-2), units: 6, inStock: true },
      ],
      TODAY,
      90,
    );
    const xs = [12, 0, 0, 0, 6, 0];
    const mean = 3;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / 5);
    expect(e).toMatchObject({ mean, max: 12, inStockDays: 6, unrecordedDays: 4 });
    expect(e.sd).toBeCloseTo(sd, 12);
  });

  it('uses only the window of complete days before today', () => {
    const rows = [
      { day: day(-11), units: 100, inStock: true }, // outside a 10-day window
      { day: day(-10), units: 2, inStock: true },
      { day: day(0), units: 100, inStock: true }, // today: incomplete, not used
    ];
    const e = inStockMovingAverage(rows, TODAY, 10);
    // Days −10 … −1: one 2 and nine unrecorded zeros.
    expect(e).toMatchObject({ mean: 0.2, max: 2, inStockDays: 10, unrecordedDays: 9, from: day(-10), to: day(-1) });
  });

  it('says so when demand is unknown, a lower bound, thin or stale', () => {
    expect(inStockMovingAverage([], TODAY, 90)).toMatchObject({ mean: 0, sd: 0, inStockDays: 0, from: null });
    expect(inStockMovingAverage([], TODAY, 90).warnings[0]).toMatch(/no sales recorded/);
    const allOut = inStockMovingAverage(
      [
        { day: day(-2), units: 3, inStock: false },
        { day: day(-1), units: 5, inStock: false },
      ],
      TODAY,
      90,
    );
    expect(allOut).toMatchObject({ mean: 4, max: 5, inStockDays: 0, stockoutDaysExcluded: 2 });
    expect(allOut.warnings[0]).toMatch(/lower bound/);
    expect(inStockMovingAverage([{ day: day(-1), units: 3, inStock: true }], TODAY, 90).warnings[0]).toMatch(/only one in-stock day/);
    const stale = inStockMovingAverage([{ day: day(-20), units: 3, inStock: true }], TODAY, 90);
    expect(stale.warnings.join(' ')).toMatch(/20 days ago/);
  });
});

describe('sampleDailyStats', () => {
  it('mean Σx/n, sample sd √(Σ(x − mean)²/(n − 1)), max', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sd √(32/7).
    const s = sampleDailyStats([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.max).toBe(9);
  });

  it('takes sd 0 for a single day', () => {
    expect(sampleDailyStats([3])).toEqual({ mean: 3, sd: 0, max: 3 });
  });
});
