import { describe, expect, it } from 'vitest';
import { poissonMeanInterval } from '../../../core/series/poissonInterval';
import { dispersionIndex, widenedRateInterval } from '../../../core/series/velocity';

describe('velocity steps', () => {
  it('dispersion index φ = Σ(x − v·h)²/(v·h) ÷ (m − 1), clamped to [1, 100]', () => {
    // v = 2/h: expected 2, 4, 2; observed 0, 8, 0 → (4/2 + 16/4 + 4/2) ÷ 2 = 4.
    expect(
      dispersionIndex(
        [
          { x: 0, h: 1 },
          { x: 8, h: 2 },
          { x: 0, h: 1 },
        ],
        2,
      ),
    ).toBe(4);
    // Perfectly regular counts are under-dispersed: clamped to 1.
    expect(
      dispersionIndex(
        [
          { x: 2, h: 1 },
          { x: 2, h: 1 },
        ],
        2,
      ),
    ).toBe(1);
    expect(dispersionIndex([{ x: 2, h: 1 }], 2)).toBe(1);
    expect(dispersionIndex([], null)).toBe(1);
    expect(
      dispersionIndex(
        [
          { x: 1000, h: 1 },
          { x: 0, h: 1 },
        ],
        0.01,
      ),
    ).toBe(100);
  });
  it('widened rate interval: Garwood bounds ÷ hours, stretched around the rate by √φ', () => {
    const ci = poissonMeanInterval(20, 0.9);
    const plain = widenedRateInterval(20, 10, 0.9, 1);
    expect(plain.rate).toBe(2);
    expect(plain.lower).toBeCloseTo(ci.lower / 10, 12);
    expect(plain.upper).toBeCloseTo(ci.upper / 10, 12);
    const wide = widenedRateInterval(20, 10, 0.9, 2);
    expect(wide.lower).toBeCloseTo(Math.max(0, 2 - 2 * (2 - ci.lower / 10)), 12);
    expect(wide.upper).toBeCloseTo(2 + 2 * (ci.upper / 10 - 2), 12);
  });
});
