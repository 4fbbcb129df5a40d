import { describe, expect, it } from 'vitest';
import { constantSellOutHours, decayDemandLimit, decaySellOutHours } from '../../../core/deals/drain';
import { formulaVectors } from '../../helpers/golden';

interface Vector {
  group: string;
  name: string;
  inputs: Record<string, number>;
  expected: Record<string, number>;
  rel_tol?: number;
  abs_tol?: number;
}

const vectors = formulaVectors<Vector>().filter((v) => v.group === 'sellout_eta');

function close(actual: number, expected: number, v: Vector): void {
  const tol = Math.max(v.abs_tol ?? 0, (v.rel_tol ?? 1e-9) * Math.abs(expected));
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

describe('golden vectors: sellout_eta', () => {
  it('the file has sellout_eta vectors', () => {
    expect(vectors.length).toBeGreaterThan(0);
  });
  for (const v of vectors) {
    it(v.name, () => {
      const { inputs, expected } = v;
      if ('rate_per_hour' in inputs) {
        close(constantSellOutHours(inputs.on_hand, inputs.rate_per_hour) as number, expected.eta_hours, v);
      } else if ('r0' in inputs && 'k' in inputs) {
        close(decaySellOutHours(inputs.on_hand, inputs.r0, inputs.k) as number, expected.eta_hours, v);
        if ('total_demand_limit' in expected) close(decayDemandLimit(inputs.r0, inputs.k), expected.total_demand_limit, v);
      } else {
        throw new Error(`unrecognised sellout_eta vector inputs: ${Object.keys(inputs).join(', ')}`);
      }
    });
  }
});
