import { describe, expect, it } from 'vitest';
import { Phi, PhiInv, phi, stdNormalLoss, stdNormalLossComplement } from '../../../core/stats/normal';
import { createRng } from '../../../core/random';

describe('standard normal helpers', () => {
  it('Φ and Φ⁻¹ are inverse and symmetric', () => {
    for (const p of [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      expect(Phi(PhiInv(p))).toBeCloseTo(p, 12);
      expect(PhiInv(p)).toBeCloseTo(-PhiInv(1 - p), 12);
    }
    expect(PhiInv(0.95)).toBeCloseTo(1.6448536269514722, 12);
  });
  it('rejects probabilities outside (0, 1)', () => {
    expect(() => PhiInv(1)).toThrow(/probability/);
    expect(() => PhiInv(0)).toThrow(/probability/);
  });
  it('loss function: G(z) − Ḡ(z) = −z, G decreasing and positive', () => {
    let prev = Infinity;
    for (let z = -4; z <= 4; z += 0.25) {
      const g = stdNormalLoss(z);
      expect(g).toBeGreaterThan(0);
      expect(g).toBeLessThan(prev);
      expect(g - stdNormalLossComplement(z)).toBeCloseTo(-z, 12);
      prev = g;
    }
    expect(stdNormalLoss(0)).toBeCloseTo(phi(0), 15);
  });
});

describe('seeded rng', () => {
  it('is deterministic per seed and roughly standard normal', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20000 }, () => a.normal());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});
