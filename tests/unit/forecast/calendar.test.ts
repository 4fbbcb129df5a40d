/**
 * The season from the data's calendar (core/forecast/seasonality.ts calendarPeriod) and its use by forecast():
 * the frequency gives the season length, the data only confirm it or reject it (too short), never replace it.
 */
import { describe, expect, it } from 'vitest';
import { forecast } from '../../../core/forecast/index';
import { calendarPeriod, calendarPeriods, detectPeriod } from '../../../core/forecast/seasonality';
import { createRng } from '../../../core/random';
import { AIR_PASSENGERS } from './fixtures';

describe('calendarPeriods', () => {
  it('daily → 7 (and 365.25 from two years), weekly → 52, monthly → 12, quarterly → 4, hourly → 24, yearly → 1', () => {
    expect(calendarPeriods('daily', 100)).toEqual([7]);
    expect(calendarPeriods('daily', 730)).toEqual([7]);
    expect(calendarPeriods('daily', 731)).toEqual([7, 365.25]);
    expect(calendarPeriods('weekly', 200)).toEqual([52]);
    expect(calendarPeriods('monthly', 10)).toEqual([12]);
    expect(calendarPeriods('quarterly', 10)).toEqual([4]);
    expect(calendarPeriods('hourly', 100)).toEqual([24]);
    expect(calendarPeriods('hourly', 336)).toEqual([24, 168]);
    expect(calendarPeriods('yearly', 40)).toEqual([1]);
    expect(() => calendarPeriods('fortnightly' as never, 10)).toThrow(/frequency must be one of/);
  });
});

describe('calendarPeriod: the data confirm or reject, never replace', () => {
  const rng = createRng(4);
  const noise = Array.from({ length: 120 }, () => 100 + 5 * rng.normal());
  const weekly = Array.from({ length: 120 }, (_, t) => 100 + (t % 7 === 5 ? 40 : 0) + 5 * rng.normal());

  it('a weekly cycle in daily data is confirmed', () => {
    const c = calendarPeriod(weekly, 'daily');
    expect(c).toMatchObject({ period: 7, confirmed: true });
  });
  it('white noise keeps the calendar season, reported as not confirmed (the models decide)', () => {
    const c = calendarPeriod(noise, 'monthly');
    expect(c.period).toBe(12);
    expect(c.confirmed).toBe(false);
    expect(c.reason).toMatch(/not confirmed/);
  });
  it('fewer than two seasons plus one: rejected, period 1', () => {
    const c = calendarPeriod(noise.slice(0, 24), 'monthly');
    expect(c).toMatchObject({ period: 1, confirmed: null });
    expect(c.reason).toMatch(/rejected: 24 observations/);
  });
  it('detection alone may pick another length; the calendar keeps its own', () => {
    const monthlyWithQuarterPattern = Array.from({ length: 96 }, (_, t) => 100 + (t % 4 === 0 ? 30 : 0) + rng.normal());
    expect(detectPeriod(monthlyWithQuarterPattern)).toBe(4);
    expect(calendarPeriod(monthlyWithQuarterPattern, 'monthly').period).toBe(12);
  });
});

describe('forecast() with a frequency', () => {
  it('uses the calendar season and says so in the explanation', () => {
    const r = forecast([...AIR_PASSENGERS], { horizon: 12, frequency: 'monthly', backtest: false });
    expect(r.period).toBe(12);
    expect(String(r.explanation.inputs.periodSource)).toMatch(/^calendar: monthly calendar season 12, confirmed/);
  });
  it('daily data over two years also report the yearly season (not modelled)', () => {
    const rng = createRng(8);
    const y = Array.from({ length: 800 }, (_, t) => 50 + (t % 7 === 6 ? 20 : 0) + 3 * rng.normal());
    const r = forecast(y, { horizon: 14, frequency: 'daily', backtest: false, model: 'ETS_THETA' });
    expect(r.period).toBe(7);
    expect(String(r.explanation.inputs.periodSource)).toMatch(/also 365.25 \(calendar, not modelled\)/);
  });
  it('a given period wins over the frequency; a bad frequency names the field', () => {
    expect(forecast([...AIR_PASSENGERS], { horizon: 3, period: 4, frequency: 'monthly', backtest: false }).period).toBe(4);
    expect(() => forecast([1, 2, 3, 4], { horizon: 2, frequency: 'fortnightly' as never })).toThrow(/frequency must be one of/);
  });
});
