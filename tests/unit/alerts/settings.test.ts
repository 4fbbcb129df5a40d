import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PROFILE_COEFFICIENTS,
  isQuietAt,
  levelForPercentOver,
  levelRank,
  profileFor,
  quietEndsAt,
  resolveSettings,
} from '../../../core/alerts';
import type { AlertRule, AlertSubject, FeedbackState } from '../../../core/alerts';
import { DAY_MS, HOUR_MS } from '../../../core/series/types';

const noFeedback: FeedbackState = { kBoost: 0, debounceBoost: 0, pendingDataErrors: [], labels: [], adjustments: [] };
const rule = (over: Partial<AlertRule> = {}): AlertRule => ({ id: 'r', kind: 'CONSUMPTION_DEVIATION', periodMs: DAY_MS, ...over });

describe('alert tiers by % over the upper band: YELLOW from 10 %, ORANGE from 30 %, RED from 60 %', () => {
  it('YELLOW [10, 30), ORANGE [30, 60), RED ≥ 60, nothing below 10', () => {
    expect(levelForPercentOver(9.999)).toBeNull();
    expect(levelForPercentOver(10)).toBe('YELLOW');
    expect(levelForPercentOver(29.999)).toBe('YELLOW');
    expect(levelForPercentOver(30)).toBe('ORANGE');
    expect(levelForPercentOver(59.999)).toBe('ORANGE');
    expect(levelForPercentOver(60)).toBe('RED');
    expect(levelForPercentOver(Infinity)).toBe('RED');
    expect(() => levelForPercentOver(NaN)).toThrow(/pctOver/);
  });

  it('property: the level never decreases as the deviation grows', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 500, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true }), (p, d) => {
        const rank = (x: number) => {
          const l = levelForPercentOver(x);
          return l ? levelRank(l) : -1;
        };
        return rank(p + d) >= rank(p);
      }),
    );
  });
});

describe('profiles and documented coefficients', () => {
  it('picks STRICT for ABC A / tier CORE, LENIENT for C / POTENTIAL, else STANDARD', () => {
    const p = (s: Partial<AlertSubject>) => profileFor({ id: 'x', type: 'PRODUCT', ...s }).profile;
    expect(p({ abcClass: 'A' })).toBe('STRICT');
    expect(p({ type: 'COMPETITOR', tier: 'CORE' })).toBe('STRICT');
    expect(p({ abcClass: 'B' })).toBe('STANDARD');
    expect(p({})).toBe('STANDARD');
    expect(p({ abcClass: 'C' })).toBe('LENIENT');
    expect(p({ type: 'COMPETITOR', tier: 'POTENTIAL' })).toBe('LENIENT');
  });

  it('applies the coefficients to the rule: k, debounce, escalation, buffers, horizons', () => {
    const subj = (abcClass: 'A' | 'B' | 'C'): AlertSubject => ({ id: 'x', type: 'PRODUCT', abcClass });
    const cons = (c: 'A' | 'B' | 'C') => resolveSettings(rule(), subj(c), noFeedback);
    expect([cons('A').k, cons('B').k, cons('C').k]).toEqual([1.8, 2, 2.25]);
    expect([cons('A').debounce, cons('B').debounce, cons('C').debounce]).toEqual([2, 2, 3]);
    expect([cons('A').escalateAfter, cons('B').escalateAfter, cons('C').escalateAfter]).toEqual([2, 3, 4]);
    expect(resolveSettings(rule({ kind: 'SAFETY_STOCK_BREACH' }), subj('A'), noFeedback).safetyStockBuffer).toBe(1.2);
    const comp = (tier: 'CORE' | 'GENERAL' | 'POTENTIAL', kind: AlertRule['kind']) =>
      resolveSettings(rule({ kind, periodMs: HOUR_MS }), { id: 'c', type: 'COMPETITOR', tier }, noFeedback);
    expect(['CORE', 'GENERAL', 'POTENTIAL'].map((t) => comp(t as 'CORE', 'SELLOUT_IMMINENT').selloutHorizonHours)).toEqual([72, 48, 48]);
    expect(['CORE', 'GENERAL', 'POTENTIAL'].map((t) => comp(t as 'CORE', 'DATA_STALE').staleFactor)).toEqual([2, 3, 4.5]);
    expect(['CORE', 'GENERAL', 'POTENTIAL'].map((t) => comp(t as 'CORE', 'COMPETITOR_RESTOCK').eventLevel)).toEqual([
      'ORANGE',
      'YELLOW',
      'YELLOW',
    ]);
    expect(PROFILE_COEFFICIENTS.STRICT.kFactor).toBe(0.9);
  });

  it('LENIENT waits a period longer for persisting conditions, never for one-period events, reconciliation or stale captures', () => {
    const potential = (kind: AlertRule['kind']) =>
      resolveSettings(rule({ kind, periodMs: HOUR_MS }), { id: 'c', type: 'COMPETITOR', tier: 'POTENTIAL' }, noFeedback).debounce;
    const classC = (kind: AlertRule['kind']) =>
      resolveSettings(rule({ kind }), { id: 'p', type: 'PRODUCT', abcClass: 'C' }, noFeedback).debounce;
    expect([potential('CONSUMPTION_DEVIATION'), potential('SELLOUT_IMMINENT')]).toEqual([3, 2]);
    // DATA_STALE's threshold is a duration already (LENIENT scales its factor to 4.5): no extra pass, so the
    // alert opens when dataStatus.stale turns true.
    expect(potential('DATA_STALE')).toBe(1);
    expect([potential('COMPETITOR_RESTOCK'), potential('COMPETITOR_DEAL_STARTED'), potential('COMPETITOR_STOCKOUT')]).toEqual([1, 1, 1]);
    expect(classC('RECONCILIATION_MISMATCH')).toBe(1);
    const ex = resolveSettings(
      rule({ kind: 'COMPETITOR_RESTOCK', periodMs: HOUR_MS }),
      { id: 'c', type: 'COMPETITOR', tier: 'POTENTIAL' },
      noFeedback,
    ).explanation;
    expect(ex.steps.find((x) => x.label === 'debounce periods')?.note).toBe('1 (rule) + 0 (LENIENT)');
  });

  it('an explicit rule profile overrides the subject, and feedback adds to k', () => {
    const s = resolveSettings(
      rule({ profile: 'LENIENT', k: 3 }),
      { id: 'x', type: 'PRODUCT', abcClass: 'A' },
      { ...noFeedback, kBoost: 0.5 },
    );
    expect(s.profile).toBe('LENIENT');
    expect(s.k).toBe(3 * 1.125 + 0.5);
    expect(s.explanation.steps.find((x) => x.label === 'k')?.note).toBe('3 (rule) × 1.125 (LENIENT) + 0.5 (DATA_ERROR feedback)');
  });

  it('kind defaults: consumption raises after 2, escalates after 3; a stock breach is RED after 1', () => {
    const b: AlertSubject = { id: 'x', type: 'PRODUCT' };
    expect(resolveSettings(rule(), b, noFeedback)).toMatchObject({
      debounce: 2,
      escalateAfter: 3,
      resolveAfter: 2,
      cooldown: 3,
      baseLevel: 'YELLOW',
      k: 2,
      alpha: 0.1,
      alphaVariance: 0.05,
      minHistory: 14,
    });
    expect(resolveSettings(rule({ kind: 'SAFETY_STOCK_BREACH' }), b, noFeedback)).toMatchObject({ debounce: 1, baseLevel: 'RED' });
    expect(resolveSettings(rule({ escalateAfterPeriods: 5 }), b, noFeedback).escalateAfter).toBe(5);
  });

  it('validation errors name the field', () => {
    const b: AlertSubject = { id: 'x', type: 'PRODUCT' };
    const bad: [Partial<AlertRule>, RegExp][] = [
      [{ alpha: 0 }, /rule\.alpha must be in \(0, 1\], got 0/],
      [{ debouncePeriods: 1.5 }, /rule\.debouncePeriods must be an integer ≥ 1/],
      [{ seasonLength: 1 }, /rule\.seasonLength must be an integer ≥ 2/],
      [{ hysteresis: 1 }, /rule\.hysteresis must be in \[0, 1\)/],
      [{ prior: { mean: 1, cv: -1, strength: 1, source: 's' } }, /rule\.prior\.cv must be ≥ 0/],
      [{ quietHours: { startMinute: 1440, endMinute: 0, utcOffsetMinutes: 0 } }, /rule\.quietHours\.startMinute/],
      [{ exclusions: [{ id: 'x', from: 10, to: 5, reason: 'r' }] }, /rule\.exclusions\[x\]\.to must be ≥ from/],
      [{ eventLevel: 'PINK' as never }, /rule\.eventLevel must be one of/],
    ];
    for (const [over, re] of bad) expect(() => resolveSettings(rule(over), b, noFeedback)).toThrow(re);
  });
});

describe('quiet hours', () => {
  const T = Date.UTC(2024, 0, 1);
  const at = (h: number, m = 0) => T + h * HOUR_MS + m * 60_000;

  it('wraps midnight: 22:00–07:00 covers 23:30 and 06:59 but not 07:00 or 21:59', () => {
    const q = { startMinute: 22 * 60, endMinute: 7 * 60, utcOffsetMinutes: 0 };
    expect(isQuietAt(at(23, 30), q)).toBe(true);
    expect(isQuietAt(at(6, 59), q)).toBe(true);
    expect(isQuietAt(at(7), q)).toBe(false);
    expect(isQuietAt(at(21, 59), q)).toBe(false);
    expect(isQuietAt(at(22), q)).toBe(true);
    expect(quietEndsAt(at(23, 30), q)).toBe(at(31));
    expect(quietEndsAt(at(12), q)).toBe(at(12));
  });

  it('uses local time: UTC+8 quiet 22:00–07:00 is 14:00–23:00 UTC', () => {
    const q = { startMinute: 22 * 60, endMinute: 7 * 60, utcOffsetMinutes: 480 };
    expect(isQuietAt(at(14), q)).toBe(true);
    expect(isQuietAt(at(13, 59), q)).toBe(false);
    expect(isQuietAt(at(23), q)).toBe(false);
    expect(quietEndsAt(at(15, 20), q)).toBe(at(23));
  });

  it('a window inside one day, and an empty window (start = end) that is never quiet', () => {
    expect(isQuietAt(at(13), { startMinute: 12 * 60, endMinute: 14 * 60, utcOffsetMinutes: 0 })).toBe(true);
    expect(isQuietAt(at(14), { startMinute: 12 * 60, endMinute: 14 * 60, utcOffsetMinutes: 0 })).toBe(false);
    expect(isQuietAt(at(3), { startMinute: 0, endMinute: 0, utcOffsetMinutes: 0 })).toBe(false);
    expect(isQuietAt(at(3), null)).toBe(false);
  });
});
