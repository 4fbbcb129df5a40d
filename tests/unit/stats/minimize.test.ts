import { describe, expect, it } from 'vitest';
import { brentMin } from '../../../core/stats/minimize';

describe('brentMin (Brent 1973, as R optimize)', () => {
  it('finds the minimum of (x − 0.3)² on [0, 1]', () => {
    expect(brentMin((x) => (x - 0.3) ** 2, 0, 1).x).toBeCloseTo(0.3, 8);
  });
  it('a parabola is found by interpolation in a few evaluations', () => {
    let evals = 0;
    const r = brentMin(
      (x) => {
        evals++;
        return 2 * (x - 1.7) ** 2 + 5;
      },
      -10,
      10,
      1e-6,
    );
    expect(r.x).toBeCloseTo(1.7, 5);
    expect(r.value).toBeCloseTo(5, 12);
    expect(evals).toBeLessThan(10);
  });
  it('a minimum at the bracket end is approached to within the tolerance', () => {
    const r = brentMin((x) => x, 2, 3, 0, 200, 1e-6);
    expect(r.x).toBeGreaterThanOrEqual(2);
    expect(r.x - 2).toBeLessThan(1e-5);
  });
  it('stops at the absolute tolerance on the bracket', () => {
    let evals = 0;
    const f = (x: number) => {
      evals++;
      return Math.abs(x - 0.123456);
    };
    const coarse = brentMin(f, -1, 1, 0, 200, 1e-3);
    const coarseEvals = evals;
    evals = 0;
    const fine = brentMin(f, -1, 1, 0, 200, 1e-9);
    expect(Math.abs(coarse.x - 0.123456)).toBeLessThan(4e-3);
    expect(Math.abs(fine.x - 0.123456)).toBeLessThan(4e-9);
    expect(coarseEvals).toBeLessThan(evals);
  });
  it('falls back to golden-section steps where f is infinite', () => {
    const r = brentMin((x) => (x > 0.8 ? Infinity : (x - 0.5) ** 2), 0, 1);
    expect(r.x).toBeCloseTo(0.5, 6);
  });
  it('rejects an empty bracket', () => {
    expect(() => brentMin((x) => x, 1, 1)).toThrow(/a < b/);
  });
});
