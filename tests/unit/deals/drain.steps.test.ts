import { describe, expect, it } from 'vitest';
import { logKSearch } from '../../../core/deals/drain';

describe('log-k search (grid, then Brent between the best grid point’s neighbours)', () => {
  it('finds the minimum to the requested tolerance in log k', () => {
    const target = Math.log(0.37);
    const r = logKSearch((lk) => (lk - target) ** 2 + Math.abs(lk - target), Math.log(0.01), Math.log(10), 24, 40, 2.5e-7);
    expect(r).not.toBeNull();
    expect(Math.abs((r?.lk as number) - target)).toBeLessThan(1e-6);
  });
  it('keeps the grid point when the refinement does not beat it, null when nothing is finite', () => {
    // Minimum exactly on a grid point: the refinement cannot improve on it.
    const r = logKSearch((lk) => Math.abs(lk - 1), 0, 4, 4, 30, 1e-6);
    expect(r).toEqual({ lk: 1, value: 0 });
    expect(logKSearch(() => Infinity, 0, 1, 8, 30, 1e-6)).toBeNull();
  });
});
