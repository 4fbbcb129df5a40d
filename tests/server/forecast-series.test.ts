/**
 * The series forecasts are computed from, by hand: hourly competitor demand (stock decreases
 * between exact readings; restocks and gaps missing, caps and empty shelves censored), daily
 * product demand (stockouts censored, unrecorded days 0), and the forecast-vs-actual arithmetic.
 */
import { describe, expect, it } from 'vitest';
import type { SnapshotPoint } from '../../core/series/types';
import {
  dailyDemandSeries,
  hourlyDemandSeries,
  maseScale,
  matchActuals,
  sdFromInterval,
  summarize,
} from '../../server/modules/forecast/forecast.series';

const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 1, 0);
const at = (h: number) => T0 + h * H;
const pt = (h: number, stock: number | null, stockIsLowerBound = false): SnapshotPoint => ({
  at: at(h),
  stock,
  stockIsLowerBound,
  price: 10,
  dealType: 'NONE',
  dealQuantity: null,
  dealClaimedPercent: null,
  dealEndsAt: null,
  bsr: null,
  source: 'test',
});

describe('hourlyDemandSeries', () => {
  it('sums stock decreases per whole hour', () => {
    const s = hourlyDemandSeries([pt(10, 100), pt(10.5, 94), pt(11, 90), pt(11.5, 80), pt(12, 80)])!;
    expect(s.start).toBe(at(10));
    expect(s.y).toEqual([10, 10]);
    expect(s.inStock).toEqual([true, true]);
    expect([s.exact, s.censored, s.missing]).toEqual([2, 0, 0]);
  });

  it('spreads an interval over the hours it covers, in proportion', () => {
    // 10:30→11:30 sells 12 (half in hour 11), 11:30→12:30 sells 12 (half in hour 11): 6 + 6.
    const s = hourlyDemandSeries([pt(10.5, 100), pt(11.5, 88), pt(12.5, 76)])!;
    expect(s.start).toBe(at(11));
    expect(s.y).toEqual([12]);
  });

  it('a restock hour is missing, not negative or zero sales', () => {
    const s = hourlyDemandSeries([pt(10, 100), pt(11, 90), pt(12, 150), pt(13, 140)])!;
    expect(s.y.map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([10, 'NaN', 10]);
    expect([s.exact, s.censored, s.missing]).toEqual([2, 0, 1]);
  });

  it('a capture gap longer than 12 h is missing, hour by hour', () => {
    const s = hourlyDemandSeries([pt(0, 100), pt(1, 90), pt(14, 80), pt(15, 70)])!;
    expect(s.y).toHaveLength(15);
    expect(s.y[0]).toBe(10);
    expect(s.y[14]).toBe(10);
    expect(s.y.slice(1, 14).every(Number.isNaN)).toBe(true);
    expect(s.missing).toBe(13);
  });

  it('capped readings give censored hours holding the lower bound', () => {
    // "999+" → 990: sold ≥ 9 (CENSORED); 990 → 980 exact.
    const s = hourlyDemandSeries([pt(10, 999, true), pt(11, 990), pt(12, 980)])!;
    expect(s.y).toEqual([9, 10]);
    expect(s.inStock).toEqual([false, true]);
    expect([s.exact, s.censored]).toEqual([1, 1]);
  });

  it('an empty shelf is censored at 0 (demand not observable), not zero demand', () => {
    const s = hourlyDemandSeries([pt(10, 5), pt(11, 0), pt(12, 0), pt(13, 40), pt(14, 30)])!;
    expect(s.y.map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([5, 0, 'NaN', 10]);
    expect(s.inStock).toEqual([true, false, true, true]);
  });

  it('drops leading missing hours and needs two known readings', () => {
    const s = hourlyDemandSeries([pt(9, 50), pt(10, 100), pt(11, 90)])!;
    expect(s.start).toBe(at(10));
    expect(s.y).toEqual([10]);
    expect(hourlyDemandSeries([pt(9, 50), pt(10, null)])).toBeNull();
    expect(hourlyDemandSeries([])).toBeNull();
  });

  it('keeps at most maxHours ending with the last reading', () => {
    const pts = Array.from({ length: 49 }, (_, i) => pt(i, 1000 - 5 * i));
    const s = hourlyDemandSeries(pts, 24)!;
    expect(s.y).toHaveLength(24);
    expect(s.start).toBe(at(24));
  });
});

describe('dailyDemandSeries', () => {
  const rows = [
    { day: 100, units: 5, inStock: true },
    { day: 103, units: 7, inStock: true },
    { day: 102, units: 0, inStock: false },
  ];
  it('fills unrecorded days with 0 in stock and marks stockout days censored', () => {
    const s = dailyDemandSeries(rows)!;
    expect(s.start).toBe(100);
    expect(s.y).toEqual([5, 0, 0, 7]);
    expect(s.inStock).toEqual([true, true, false, true]);
    expect([s.exact, s.censored, s.missing, s.unrecorded]).toEqual([3, 1, 0, 1]);
  });
  it('unrecorded days inside a stockout run are censored, not zero demand', () => {
    // Out of stock on days 10 and 13, nothing recorded on 11–12; day 15 in stock after a gap at 14.
    const s = dailyDemandSeries([
      { day: 9, units: 8, inStock: true },
      { day: 10, units: 1, inStock: false },
      { day: 13, units: 2, inStock: false },
      { day: 15, units: 9, inStock: true },
    ])!;
    expect(s.y).toEqual([8, 1, 0, 0, 2, 0, 9]);
    expect(s.inStock).toEqual([true, false, false, false, false, true, true]);
    expect([s.exact, s.censored, s.unrecorded]).toEqual([3, 4, 3]);
  });
  it('keeps the last maxDays days', () => {
    const s = dailyDemandSeries(rows, 2)!;
    expect(s.start).toBe(102);
    expect(s.y).toEqual([0, 7]);
    expect(dailyDemandSeries([])).toBeNull();
  });
});

describe('forecast vs actual arithmetic', () => {
  const band = (value: number, w: number) => ({
    value,
    lower80: value - w,
    upper80: value + w,
    lower95: value - 2 * w,
    upper95: value + 2 * w,
  });
  it('matches known actuals only and summarizes them', () => {
    const stored = [band(10, 1), band(5, 1), band(9, 1), band(3, 1)];
    const actual: Record<number, number | undefined> = { 1: 8, 2: 7, 3: undefined, 4: 3 };
    const m = matchActuals(stored, (k) => actual[k]);
    expect(m.map((p) => [p.step, p.actual, p.error])).toEqual([
      [1, 8, 2],
      [2, 7, -2],
      [4, 3, 0],
    ]);
    const s = summarize(m, [2, 2, 1]);
    expect(s.matched).toBe(3);
    expect(s.mae).toBeCloseTo(4 / 3, 12);
    expect(s.bias).toBeCloseTo(0, 12);
    expect(s.wape).toBeCloseTo(4 / 18, 12);
    expect(s.mase).toBeCloseTo((1 + 1 + 0) / 3, 12);
    // |e| = 2 is outside ±1 (80 %) and on the edge of ±2 (95 %).
    expect(s.coverage80).toBeCloseTo(1 / 3, 12);
    expect(s.coverage95).toBe(1);
    expect(summarize([], []).mase).toBeNull();
    expect(summarize(m, [2, null, 1]).mase).toBeNull();
  });

  it('sd from the 95 % interval, upper half when clipped at 0', () => {
    expect(
      sdFromInterval({ value: 10, lower80: 0, upper80: 0, lower95: 10 - 3.919927969080108, upper95: 10 + 3.919927969080108 }),
    ).toBeCloseTo(2, 12);
    expect(sdFromInterval({ value: 1, lower80: 0, upper80: 0, lower95: 0, upper95: 1 + 3.919927969080108 })).toBeCloseTo(2, 12);
  });

  it('MASE scale skips censored and missing periods', () => {
    // Exact pairs: |3 − 1| = 2 and |2 − 3| = 1 (the censored 40 and the NaN break the others).
    const s = { y: [1, 3, 2, 40, NaN, 5], inStock: [true, true, true, false, true, true], start: 0, exact: 4, censored: 1, missing: 1 };
    expect(maseScale(s, 1)).toBeCloseTo(1.5, 12);
  });
});
