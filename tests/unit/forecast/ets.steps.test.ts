import { describe, expect, it } from 'vitest';
import { dataScale, etsCriteria, etsStartWeights } from '../../../core/forecast/ets';

describe('ETS fitting steps', () => {
  it('start weights follow R initparam(), scaled by the season length', () => {
    const w = etsStartWeights({ error: 'A', trend: 'Ad', season: 'A' }, {}, 7);
    const alpha = 1e-4 + (0.2 * (0.9999 - 1e-4)) / 7;
    expect(w.alpha).toBeCloseTo(alpha, 15);
    expect(w.beta).toBeCloseTo(1e-4 + 0.1 * (alpha - 1e-4), 15);
    expect(w.gamma).toBeCloseTo(1e-4 + 0.05 * (1 - alpha - 1e-4), 15); // min(0.9999, 1 − α) = 1 − α
    expect(w.phi).toBeCloseTo(0.8 + 0.99 * (0.98 - 0.8), 15);
    const none = etsStartWeights({ error: 'A', trend: 'N', season: 'N' }, {}, 1);
    expect(none).toEqual({ alpha: 1e-4 + 0.2 * (0.9999 - 1e-4), beta: 0, gamma: 0, phi: 1 });
  });
  it('fixed weights and a warm start take precedence over the heuristic', () => {
    const start = { params: { alpha: 0.3, beta: 0.02, gamma: 0.1, phi: 0.9 }, l0: 1, b0: 0, s0: [] };
    const w = etsStartWeights({ error: 'A', trend: 'Ad', season: 'N' }, { fixed: { alpha: 0.5 }, start }, 1);
    expect(w).toEqual({ alpha: 0.5, beta: 0.02, gamma: 0, phi: 0.9 });
  });
  it('data scale: sample standard deviation of the finite values, else 10 % of |mean|, else 1', () => {
    expect(dataScale([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(dataScale([1, NaN, 3])).toBeCloseTo(Math.sqrt(2), 12);
    expect(dataScale([5, 5, 5])).toBeCloseTo(0.5, 12);
    expect(dataScale([0, 0])).toBe(1);
  });
  it('information criteria: AIC = lik + 2k, AICc and BIC with k = nEst + 1, σ² = SSE ÷ (n − nEst)', () => {
    const c = etsCriteria(100, 3, 20, 32);
    expect(c.aic).toBe(108);
    expect(c.aicc).toBeCloseTo(108 + (2 * 4 * 5) / 15, 12);
    expect(c.bic).toBeCloseTo(100 + 4 * Math.log(20), 12);
    expect(c.sigma2).toBeCloseTo(32 / 17, 12);
    expect(etsCriteria(100, 3, 5, 1).aicc).toBe(Infinity);
  });
});
