import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARRY_DAYS, dailySignal, widenByLevel } from '../../../core/rank/forecast';

const DAY = 86_400_000;
const D0 = 20_000; // an epoch day

describe('dailySignal', () => {
  it('takes the median of a day, carries the last value at most CARRY_DAYS, else missing (golden)', () => {
    const rs = [
      { at: (D0 - 2) * DAY + 5, value: 400 }, // before the window: carried into it
      { at: D0 * DAY + 3_600_000, value: 179 },
      { at: D0 * DAY + 7_200_000, value: 1185 },
      { at: D0 * DAY + 9_000_000, value: 293 },
      { at: (D0 + 2) * DAY, value: 500 },
    ];
    expect(dailySignal(rs, D0 - 1, D0 + 2 + CARRY_DAYS + 1)).toEqual([
      400,
      293, // median of 179, 1185, 293
      293,
      500,
      ...Array.from({ length: CARRY_DAYS }, () => 500),
      NaN,
    ]);
    expect(
      dailySignal(
        [
          { at: D0 * DAY, value: 10 },
          { at: D0 * DAY + 1, value: 20 },
        ],
        D0,
        D0,
      ),
    ).toEqual([15]);
    expect(dailySignal([], D0, D0 + 1)).toEqual([NaN, NaN]);
    expect(() => dailySignal([], D0 + 1, D0)).toThrow(/fromDay/);
  });

  it('gives one value per day, each a reading of that day or carried from one at most CARRY_DAYS before (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ d: fc.integer({ min: 0, max: 30 }), v: fc.integer({ min: 1, max: 1e6 }) }), { maxLength: 40 }),
        (xs) => {
          const rs = xs.map((x, i) => ({ at: (D0 + x.d) * DAY + i, value: x.v }));
          const out = dailySignal(rs, D0, D0 + 30);
          expect(out).toHaveLength(31);
          out.forEach((v, k) => {
            const within = xs.filter((x) => x.d <= k && x.d >= k - CARRY_DAYS);
            if (!within.length) expect(v).toBeNaN();
            else {
              const day = Math.max(...within.map((x) => x.d));
              const vals = xs.filter((x) => x.d === day).map((x) => x.v);
              expect(v).toBeGreaterThanOrEqual(Math.min(...vals));
              expect(v).toBeLessThanOrEqual(Math.max(...vals));
            }
          });
        },
      ),
    );
  });
});

describe('widenByLevel', () => {
  const p = { step: 1, value: 10, lower80: 8, upper80: 12, lower95: 6, upper95: 14 };

  it('scales each bound by its ratio, the value unchanged (golden)', () => {
    expect(widenByLevel([p], { lower80: 0.5, upper80: 2, lower95: 0.25, upper95: 4 })).toEqual([
      { step: 1, value: 10, lower80: 4, upper80: 24, lower95: 1.5, upper95: 56 },
    ]);
    expect(widenByLevel([{ ...p, lower95: -1 }], { lower80: 1, upper80: 1, lower95: 0.5, upper95: 1 })[0].lower95).toBe(0);
    expect(() => widenByLevel([p], { lower80: 1.2, upper80: 2, lower95: 0.5, upper95: 2 })).toThrow(/ratios.lower80/);
    expect(() => widenByLevel([p], { lower80: 0.5, upper80: 0.9, lower95: 0.5, upper95: 2 })).toThrow(/ratios.upper80/);
  });

  it('contains the original interval and keeps 95 % around 80 % when the model ratios nest (property)', () => {
    const ratio = fc.double({ min: 0.01, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        ratio,
        ratio,
        fc.double({ min: 1, max: 20, noNaN: true }),
        fc.double({ min: 1, max: 20, noNaN: true }),
        (l95, f, u80, g) => {
          const r = { lower95: l95, lower80: l95 + (1 - l95) * f, upper80: u80, upper95: u80 * g };
          const [w] = widenByLevel([p], r);
          expect(w.lower80).toBeLessThanOrEqual(p.lower80);
          expect(w.upper80).toBeGreaterThanOrEqual(p.upper80);
          expect(w.lower95).toBeLessThanOrEqual(w.lower80 + 1e-12);
          expect(w.upper95).toBeGreaterThanOrEqual(w.upper80 - 1e-12);
          expect(w.value).toBe(p.value);
        },
      ),
    );
  });
});
