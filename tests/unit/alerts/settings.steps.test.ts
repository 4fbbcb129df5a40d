import { describe, expect, it } from 'vitest';
import { PROFILE_COEFFICIENTS, profiledValues } from '../../../core/alerts/settings';
import type { FeedbackState } from '../../../core/alerts/types';

const feedback = (kBoost: number, debounceBoost: number): FeedbackState => ({
  kBoost,
  debounceBoost,
  pendingDataErrors: [],
  labels: [],
  adjustments: [],
});
const rule = { kRule: 2, debounceRule: 2, escalateRule: 1, selloutRule: 48, staleRule: 3 };

describe('alert settings steps', () => {
  it('band kinds: k = k_rule·kFactor + kBoost; periods = max(1, rule + profile delta)', () => {
    const v = profiledValues('CONSUMPTION_DEVIATION', rule, PROFILE_COEFFICIENTS.LENIENT, feedback(0.5, 2));
    expect(v.k).toBeCloseTo(2 * 1.125 + 0.5, 12);
    // The debounce boost is for kinds without a band.
    expect(v).toMatchObject({ fbK: 0.5, fbDebounce: 0, profileDebounce: 1, debounce: 3, escalateAfter: 2 });
    const strict = profiledValues('CONSUMPTION_DEVIATION', rule, PROFILE_COEFFICIENTS.STRICT, feedback(0, 0));
    expect(strict.escalateAfter).toBe(1);
    expect(strict.k).toBeCloseTo(1.8, 12);
  });
  it('other kinds: feedback debounce, horizon × factor, stale = max(1, rule × mul), event level bumped', () => {
    const v = profiledValues('SELLOUT_IMMINENT', rule, PROFILE_COEFFICIENTS.STRICT, feedback(1, 1));
    expect(v).toMatchObject({ k: 1.8, fbK: 0, fbDebounce: 1, debounce: 3, selloutHorizonHours: 72, staleFactor: 2, eventLevel: 'ORANGE' });
    expect(profiledValues('DATA_STALE', { ...rule, staleRule: 1 }, PROFILE_COEFFICIENTS.STRICT, feedback(0, 0)).staleFactor).toBe(1);
    // One-period signals (events) get no profile debounce.
    const ev = profiledValues('COMPETITOR_RESTOCK', { ...rule, eventLevel: 'RED' }, PROFILE_COEFFICIENTS.LENIENT, feedback(0, 0));
    expect(ev).toMatchObject({ profileDebounce: 0, debounce: 2, eventLevel: 'RED' });
  });
});
