import { describe, expect, it } from 'vitest';
import { averagePathLength } from '../../../core/anomalies';
import { formulaVectors } from '../../helpers/golden';

interface Vector {
  group: string;
  name: string;
  inputs: { n: number };
  expected: { c: number };
  rel_tol: number;
  source: string;
}

const vectors = formulaVectors<Vector>().filter((v) => v.group === 'isolation_forest_c');

describe('isolation forest c(n) golden vectors', () => {
  it('the file holds the group', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(5);
  });
  for (const v of vectors) {
    it(`${v.name}: c(${v.inputs.n}) = ${v.expected.c} (rel ${v.rel_tol})`, () => {
      const got = averagePathLength(v.inputs.n);
      expect(Math.abs(got - v.expected.c)).toBeLessThanOrEqual(v.rel_tol * Math.abs(v.expected.c));
    });
  }
});
