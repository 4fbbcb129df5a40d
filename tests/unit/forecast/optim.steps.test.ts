import { describe, expect, it } from 'vitest';
import { reflectThrough, towards } from '../../../core/forecast/optim';

describe('Nelder–Mead steps', () => {
  it('reflection and expansion: c + coef·(c − p)', () => {
    const c = Float64Array.from([1, 2]);
    const p = Float64Array.from([3, -1]);
    const out = new Float64Array(2);
    reflectThrough(out, c, p, 1);
    expect(Array.from(out)).toEqual([-1, 5]);
    reflectThrough(out, c, p, 2);
    expect(Array.from(out)).toEqual([-3, 8]);
  });
  it('contraction and shrink: from + t·(to − from), in place on `to`', () => {
    const from = Float64Array.from([0, 4]);
    const to = Float64Array.from([2, 0]);
    const out = new Float64Array(2);
    towards(out, from, to, 0.5);
    expect(Array.from(out)).toEqual([1, 2]);
    towards(to, from, to, 0.5);
    expect(Array.from(to)).toEqual([1, 2]);
  });
});
