/** The public forecast() API: validation, routing, explanations, stockout data. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forecast, type ForecastModelName } from '../../../core/forecast/index';
import { describeWithSharedData, sharedPath, type SharedDataSet } from '../../helpers/shared';
import { AIR_PASSENGERS } from './fixtures';

/** Monthly sales of one product with a stockout flag per month: `msales` of R's expsmooth package. */
const MSALES: SharedDataSet = {
  file: 'data/msales_with_stockout.csv',
  origin: 'public data set msales, R package expsmooth (Hyndman, Koehler, Ord & Snyder 2008)',
};

function loadMsales(): { y: number[]; inStock: boolean[] } {
  const rows = readFileSync(sharedPath(MSALES.file), 'utf8').trim().split('\n').slice(1);
  const y: number[] = [];
  const inStock: boolean[] = [];
  for (const r of rows) {
    const [, sales, stockout] = r.split(',').map(Number);
    y.push(sales!);
    inStock.push(stockout === 0);
  }
  return { y, inStock };
}

describe('validation', () => {
  it('names the bad field', () => {
    expect(() => forecast([1, 2, 3], { horizon: 0 })).toThrow(/horizon/);
    expect(() => forecast([1, 2, 3], { horizon: 2, period: 0 })).toThrow(/period/);
    expect(() => forecast([1, 2, 3], { horizon: 2, inStock: [true] })).toThrow(/inStock/);
    expect(() => forecast([1, Infinity, 3], { horizon: 2 })).toThrow(/y\[1\]/);
    expect(() => forecast([1, 2, 3, 4], { horizon: 2, model: 'NOPE' as ForecastModelName })).toThrow(/unknown model/);
    expect(() => forecast([NaN, NaN], { horizon: 2 })).toThrow(/no usable observation/);
    expect(() => forecast([1, 2, 3, 4, 5], { horizon: 1, selectionMargin: -1 })).toThrow(/selectionMargin/);
  });
});

describe('results', () => {
  it('AirPassengers auto: seasonal period detected, points with steps, accuracy and explanation', () => {
    const r = forecast([...AIR_PASSENGERS], { horizon: 12 });
    expect(r.period).toBe(12);
    expect(r.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.model).toMatch(/^ETS\(M,A.?,M\)\+THETA$/);
    expect(r.accuracy!.origins).toBe(3);
    expect(r.accuracy!.mase).toBeGreaterThan(0);
    // July (step 7) is the seasonal peak, November (step 11) the trough
    const v = r.points.map((p) => p.value);
    expect(Math.max(...v)).toBe(v[6]);
    expect(Math.min(...v)).toBe(v[10]);
    const steps = r.explanation.steps.map((s) => s.label);
    expect(steps).toContain('chosen model');
    expect(steps.filter((l) => l.startsWith('candidate '))).toHaveLength(6);
    expect(r.explanation.notes.some((n) => n.startsWith('intervals:'))).toBe(true);
  });

  it('a backtest of fewer forecasts than origins cannot replace the default; a default that cannot fit passes to the next candidate', () => {
    // 6 yearly values, h = 2: one origin of one step. A jump at the last point makes the naive
    // forecast win that single backtest point by far; the default is kept all the same.
    const y = [100, 104, 109, 113, 118, 150];
    const r = forecast(y, { horizon: 2 });
    const reason = r.explanation.steps.find((s) => s.label === 'chosen model')!.note!;
    expect(r.accuracy!.origins).toBe(1);
    expect(reason).toMatch(/too few forecasts to rank/);
    // AutoETS cannot fit 6 values, so the ETS+Theta default passes to Theta, the next candidate.
    expect(r.model).toBe('THETA');
    expect(reason).toMatch(/^ETS_THETA could not be fitted: THETA is the next candidate/);
    // With the rule's evidence (a longer history, three origins), the backtest may rank candidates.
    const long = forecast([...AIR_PASSENGERS], { horizon: 12 });
    expect(long.explanation.steps.find((s) => s.label === 'chosen model')!.note).not.toMatch(/too few/);
  });

  it('is deterministic (seeded simulation for multiplicative seasons)', () => {
    const a = forecast([...AIR_PASSENGERS], { horizon: 6, model: 'HW_MULT' });
    const b = forecast([...AIR_PASSENGERS], { horizon: 6, model: 'HW_MULT' });
    expect(a).toEqual(b);
    expect(a.intervalMethod).toMatch(/simulated/);
  });

  it('every named model runs on a seasonal positive series', () => {
    const names: ForecastModelName[] = [
      'SES',
      'HOLT',
      'DAMPED',
      'HW_ADD',
      'HW_MULT',
      'ETS(M,Ad,N)',
      'AUTO_ETS',
      'THETA',
      'ETS_THETA',
      'LINEAR_TREND',
      'SEASONAL_NAIVE',
      'NAIVE',
    ];
    for (const model of names) {
      const r = forecast([...AIR_PASSENGERS].slice(0, 60), { horizon: 4, model, period: 12, backtest: false });
      expect(r.points).toHaveLength(4);
      expect(r.accuracy).toBeNull();
      for (const p of r.points) expect(Number.isFinite(p.value)).toBe(true);
    }
  });

  it('intermittent demand is routed to Croston-type methods, scored on RMSSE', () => {
    const y = [0, 0, 3, 0, 0, 0, 2, 0, 0, 4, 0, 0, 0, 0, 3, 0, 1, 0, 0, 0, 2, 0, 0, 3, 0, 0, 0, 2];
    const r = forecast(y, { horizon: 6 });
    expect(r.demand!.class).toMatch(/intermittent|lumpy/);
    expect(['TSB', 'SBA', 'CROSTON', 'ADIDA']).toContain(r.model);
    expect(r.points.every((p) => p.value === r.points[0]!.value && p.value > 0)).toBe(true);
    expect(r.points[0]!.lower80).toBe(0);
    expect(r.accuracy!.rmsse).not.toBeNull();
  });

  it('all-zero history forecasts zero; very short history falls back to naive', () => {
    expect(forecast([0, 0, 0, 0], { horizon: 2 }).points.map((p) => p.value)).toEqual([0, 0]);
    const r = forecast([5, 7], { horizon: 2 });
    expect(r.model).toBe('NAIVE');
    expect(r.points[0]!.value).toBe(7);
  });

  it('long seasons (weekly data, m = 52): seasonal ETS refused by name, auto still seasonal via Theta', () => {
    const y = Array.from({ length: 160 }, (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 52) + (t % 5));
    expect(() => forecast(y, { horizon: 4, period: 52, model: 'HW_ADD' })).toThrow(/period ≤ 24/);
    const r = forecast(y, { horizon: 52, period: 52, backtest: false });
    const v = r.points.map((p) => p.value);
    expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(30);
  });

  it('a candidate that cannot be backtested (prefix shorter than a season) is reported, not fatal', () => {
    const r = forecast([34, 60, 47, 44], { horizon: 2, period: 4 });
    expect(r.points).toHaveLength(2);
    expect(r.candidates.find((c) => c.model === 'SEASONAL_NAIVE')!.error).toMatch(/not backtested/);
  });

  it('negative-valued series are not clipped', () => {
    const y = Array.from({ length: 30 }, (_, t) => -50 - t + (t % 3));
    const r = forecast(y, { horizon: 3 });
    expect(r.points[0]!.value).toBeLessThan(-70);
  });
});

describeWithSharedData('stockouts (msales_with_stockout.csv)', MSALES, () => {
  let y: number[] = [];
  let inStock: boolean[] = [];
  beforeAll(() => {
    ({ y, inStock } = loadMsales());
  });
  it('the file has 36 months with 17 stockout months', () => {
    expect(y).toHaveLength(36);
    expect(inStock.filter((s) => !s)).toHaveLength(17);
  });

  it('lost sales in stockout months do not drag the forecast down', () => {
    // Simulate what a stockout does to recorded sales: only 30 % of demand could be served.
    const cut = y.map((v, i) => (inStock[i] ? v : Math.round(v * 0.3)));
    const censored = forecast(cut, { horizon: 6, inStock });
    const naive = forecast(cut, { horizon: 6 });
    const dropped = forecast(
      y.filter((_, i) => inStock[i]),
      { horizon: 6 },
    );
    expect(censored.censoredCount).toBe(17);
    expect(censored.explanation.notes.some((n) => n.includes('17 stockout periods'))).toBe(true);
    // treating stockout months as demand forecasts far lower; censoring keeps the in-stock level
    expect(censored.points[0]!.value).toBeGreaterThan(1.5 * naive.points[0]!.value);
    expect(censored.points[0]!.value).toBeGreaterThanOrEqual(dropped.points[0]!.value * 0.99);
    const inStockMean = y.filter((_, i) => inStock[i]).reduce((a, b) => a + b, 0) / inStock.filter(Boolean).length;
    expect(Math.abs(censored.points[0]!.value - inStockMean) / inStockMean).toBeLessThan(0.25);
  });
});
