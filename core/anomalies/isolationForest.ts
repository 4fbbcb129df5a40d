/**
 * Isolation forest (Liu, Ting & Zhou 2008). Each tree isolates points by random axis-parallel
 * splits on a subsample of ψ points; anomalies are isolated in fewer splits. Score
 * s(x) = 2^(−E[h(x)] / c(ψ)), where c(n) is the average path length of an unsuccessful BST search:
 * c(n) = 2·H(n − 1) − 2(n − 1)/n with H(i) = ln(i) + γ (Euler–Mascheroni), c(2) = 1, c(≤1) = 0.
 * s → 1: clearly anomalous; s ≲ 0.5: ordinary. Seeded: same data + seed → same forest.
 */
import { createRng, type Rng } from '../random';

export const EULER_GAMMA = 0.5772156649015329;

/** Average path length c(n) of an unsuccessful search in a binary search tree of n points. */
export function averagePathLength(n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`n must be a finite number ≥ 0, got ${n}`);
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export type ITree = { leaf: true; size: number } | { leaf: false; dim: number; split: number; left: ITree; right: ITree };

export interface IsolationForest {
  trees: ITree[];
  /** Subsample size ψ actually used. */
  sampleSize: number;
  dims: number;
  /** c(ψ), the normaliser of the score. */
  cPsi: number;
}

export interface IsolationForestOptions {
  seed: number;
  /** Number of trees (default 100, as in the paper). */
  trees?: number;
  /** Subsample size ψ (default 256, capped at the number of points). */
  sampleSize?: number;
}

function buildTree(rows: number[][], depth: number, limit: number, dims: number, rng: Rng): ITree {
  if (depth >= limit || rows.length <= 1) return { leaf: true, size: rows.length };
  // Only dimensions that still vary can split; when none does the points are identical.
  const varying: { dim: number; lo: number; hi: number }[] = [];
  for (let d = 0; d < dims; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      if (r[d] < lo) lo = r[d];
      if (r[d] > hi) hi = r[d];
    }
    if (hi > lo) varying.push({ dim: d, lo, hi });
  }
  if (varying.length === 0) return { leaf: true, size: rows.length };
  const { dim, lo, hi } = varying[Math.floor(rng.next() * varying.length)];
  const split = lo + rng.next() * (hi - lo);
  const left: number[][] = [];
  const right: number[][] = [];
  for (const r of rows) (r[dim] < split ? left : right).push(r);
  return {
    leaf: false,
    dim,
    split,
    left: buildTree(left, depth + 1, limit, dims, rng),
    right: buildTree(right, depth + 1, limit, dims, rng),
  };
}

export function fitIsolationForest(points: readonly (readonly number[])[], opts: IsolationForestOptions): IsolationForest {
  if (!Number.isFinite(opts?.seed)) throw new TypeError(`seed must be a finite number, got ${String(opts?.seed)}`);
  const nTrees = opts.trees ?? 100;
  if (!Number.isInteger(nTrees) || nTrees < 1) throw new RangeError(`trees must be an integer ≥ 1, got ${nTrees}`);
  const psiWanted = opts.sampleSize ?? 256;
  if (!Number.isInteger(psiWanted) || psiWanted < 2) throw new RangeError(`sampleSize must be an integer ≥ 2, got ${psiWanted}`);
  if (points.length < 2) throw new RangeError(`points must hold at least 2 rows, got ${points.length}`);
  const dims = points[0].length;
  if (dims < 1) throw new RangeError('points must have at least one feature');
  points.forEach((p, i) => {
    if (p.length !== dims) throw new RangeError(`points[${i}] has ${p.length} features, expected ${dims}`);
    p.forEach((v, d) => {
      if (!Number.isFinite(v)) throw new TypeError(`points[${i}][${d}] must be a finite number, got ${v}`);
    });
  });
  const rng = createRng(opts.seed);
  const psi = Math.min(psiWanted, points.length);
  const limit = Math.ceil(Math.log2(psi));
  const idx = points.map((_, i) => i);
  const trees: ITree[] = [];
  for (let t = 0; t < nTrees; t++) {
    // Partial Fisher–Yates: the first ψ indices are a uniform subsample without replacement.
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(rng.next() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const sample = idx.slice(0, psi).map((i) => points[i] as number[]);
    trees.push(buildTree(sample, 0, limit, dims, rng));
  }
  return { trees, sampleSize: psi, dims, cPsi: averagePathLength(psi) };
}

/** Path length h(x) in one tree; a leaf of size m adds c(m) for the unbuilt subtree. */
export function pathLength(tree: ITree, x: readonly number[]): number {
  let node = tree;
  let depth = 0;
  while (!node.leaf) {
    node = x[node.dim] < node.split ? node.left : node.right;
    depth++;
  }
  return depth + averagePathLength(node.size);
}

export function isolationScore(forest: IsolationForest, x: readonly number[]): number {
  if (x.length !== forest.dims) throw new RangeError(`x has ${x.length} features, expected ${forest.dims}`);
  x.forEach((v, d) => {
    if (!Number.isFinite(v)) throw new TypeError(`x[${d}] must be a finite number, got ${v}`);
  });
  const mean = forest.trees.reduce((a, t) => a + pathLength(t, x), 0) / forest.trees.length;
  return Math.pow(2, -mean / forest.cPsi);
}
