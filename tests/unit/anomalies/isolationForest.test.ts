import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averagePathLength, fitIsolationForest, isolationScore, pathLength } from '../../../core/anomalies';
import type { ITree } from '../../../core/anomalies';
import { createRng } from '../../../core/random';

function cluster(seed: number, n: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
}

describe('c(n) and path length', () => {
  it('c(0) = c(1) = 0, c(2) = 1, and c grows with n', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    fc.assert(fc.property(fc.integer({ min: 2, max: 100_000 }), (n) => averagePathLength(n + 1) > averagePathLength(n)));
    expect(() => averagePathLength(-1)).toThrow(/n must be/);
  });

  it('path length on a hand-built tree adds c(leaf size)', () => {
    const tree: ITree = {
      leaf: false,
      dim: 0,
      split: 5,
      left: { leaf: true, size: 1 },
      right: { leaf: false, dim: 1, split: 0, left: { leaf: true, size: 3 }, right: { leaf: true, size: 2 } },
    };
    expect(pathLength(tree, [1, 9])).toBe(1);
    expect(pathLength(tree, [6, -1])).toBeCloseTo(2 + averagePathLength(3), 12);
    expect(pathLength(tree, [6, 1])).toBe(3);
  });
});

describe('isolation forest', () => {
  const data = [...cluster(3, 200), [8, 8]];

  it('is deterministic per seed', () => {
    const a = fitIsolationForest(data, { seed: 42, trees: 50 });
    const b = fitIsolationForest(data, { seed: 42, trees: 50 });
    expect(a).toEqual(b);
    expect(isolationScore(a, [8, 8])).toBe(isolationScore(b, [8, 8]));
  });

  it('scores the far point as clearly anomalous and the cluster centre as ordinary', () => {
    const f = fitIsolationForest(data, { seed: 7 });
    expect(f.sampleSize).toBe(201); // ψ = min(256, 201 points)
    expect(f.cPsi).toBeCloseTo(averagePathLength(201), 12);
    const far = isolationScore(f, [8, 8]);
    const centre = isolationScore(f, [0, 0]);
    expect(far).toBeGreaterThan(0.7);
    expect(centre).toBeLessThan(0.5);
    const scores = data.slice(0, 200).map((p) => isolationScore(f, p));
    expect(Math.max(...scores)).toBeLessThan(far);
  });

  it('property: scores lie in (0, 1) and the outlier outranks every cluster point for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const f = fitIsolationForest(data, { seed, trees: 30, sampleSize: 64 });
        const far = isolationScore(f, [8, 8]);
        const s = data.slice(0, 200).map((p) => isolationScore(f, p));
        return far > 0 && far < 1 && s.every((x) => x > 0 && x < 1 && x < far);
      }),
      { numRuns: 15 },
    );
  });

  it('identical points cannot be split: every path ends in a leaf holding all of them', () => {
    const f = fitIsolationForest(Array(10).fill([1, 1]), { seed: 1, trees: 3 });
    expect(f.trees.every((t) => t.leaf && t.size === 10)).toBe(true);
    expect(isolationScore(f, [1, 1])).toBeCloseTo(Math.pow(2, -averagePathLength(10) / averagePathLength(10)), 12);
  });

  it('validates its input', () => {
    expect(() => fitIsolationForest([[1]], { seed: 1 })).toThrow(/at least 2 rows/);
    expect(() => fitIsolationForest([[1], [1, 2]], { seed: 1 })).toThrow(/points\[1\] has 2 features, expected 1/);
    expect(() => fitIsolationForest([[1], [NaN]], { seed: 1 })).toThrow(/points\[1\]\[0\] must be a finite number/);
    expect(() => fitIsolationForest([[1], [2]], { seed: 1, trees: 0 })).toThrow(/trees must be an integer ≥ 1/);
    const f = fitIsolationForest([[1], [2]], { seed: 1 });
    expect(() => isolationScore(f, [1, 2])).toThrow(/x has 2 features, expected 1/);
  });
});
