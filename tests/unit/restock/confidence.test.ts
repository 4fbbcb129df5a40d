import { describe, expect, it } from 'vitest';
import { restockConfidence } from '../../../core/restock/detect';

const event = (kind: 'FROM_ZERO' | 'JUMP' | 'FLAP', level: number, observed: number, extra = {}) => ({
  kind,
  smallUnreturned: false,
  level,
  observed,
  dealBatch: 0,
  ...extra,
});

describe('restock confidence', () => {
  it('FROM_ZERO: 0.95 at ≥ T, rising from 0.6 above flapMaxUnits, at most 0.9 to a censored level', () => {
    expect(restockConfidence(event('FROM_ZERO', 20, 20), 10, 3, false)).toBe(0.95);
    expect(restockConfidence(event('FROM_ZERO', 20, 20), 10, 3, true)).toBe(0.9);
    // Halfway between flapMaxUnits 3 and T 13: 0.6 + 0.35 × 5/10.
    expect(restockConfidence(event('FROM_ZERO', 8, 8), 13, 3, false)).toBeCloseTo(0.775, 12);
    expect(restockConfidence(event('FROM_ZERO', 2, 2), 3, 3, false)).toBe(0.95);
  });
  it('JUMP: 0.5 at T to 0.95 at 2T, × 0.9 to a censored level', () => {
    expect(restockConfidence(event('JUMP', 0, 10), 10, 3, false)).toBe(0.5);
    expect(restockConfidence(event('JUMP', 0, 15), 10, 3, false)).toBeCloseTo(0.725, 12);
    expect(restockConfidence(event('JUMP', 0, 40), 10, 3, false)).toBe(0.95);
    expect(restockConfidence(event('JUMP', 0, 40), 10, 3, true)).toBeCloseTo(0.855, 12);
  });
  it('FLAP 0.2, a held trickle 0.3, a deal batch lifts to 0.9', () => {
    expect(restockConfidence(event('FLAP', 2, 2), 10, 3, false)).toBe(0.2);
    expect(restockConfidence(event('FROM_ZERO', 2, 2, { smallUnreturned: true }), 10, 3, false)).toBe(0.3);
    expect(restockConfidence(event('JUMP', 0, 10, { dealBatch: 50 }), 10, 3, false)).toBe(0.9);
    expect(restockConfidence(event('FLAP', 2, 2, { dealBatch: 50 }), 10, 3, false)).toBe(0.2);
  });
});
