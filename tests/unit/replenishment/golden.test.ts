/**
 * Every inventory-science golden vector of tests/fixtures/golden/formulas.json, checked within its own
 * rel_tol. Inputs are mapped by their exact key set; a vector whose keys match no known shape fails
 * (so a changed file cannot silently skip a check).
 */
import { describe, expect, it } from 'vitest';
import { formulaVectors } from '../../helpers/golden';
import {
  cyclePerformance,
  eoq,
  eoqCost,
  eoqIncrementalDiscounts,
  eoqQuantity,
  eoqWithBackorders,
  epq,
  expectedShortagePerCycle,
  fillRateSafetyFactor,
  fillRateSafetyStock,
  leadTimeFromStages,
  newsvendorNormal,
  newsvendorNormalCost,
  newsvendorPoisson,
  orderUpToPeriodic,
  reorderPoint,
  rqCost,
  rqEil,
  rqEoqb,
  rqEoqSs,
  rqLossFunction,
  rqOptimalReorderPoint,
  rqPoissonExact,
  serviceLevelSafetyStock,
  sSPoissonExact,
  sSPowerApproximation,
  wagnerWhitin,
  zScore,
} from '../../../core/replenishment';
import { normalLoss, poissonLoss, stdNormalLoss, stdNormalLoss2, stdNormalLossComplement } from '../../../core/stats/normal';

interface Vector {
  group: string;
  name: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
  source: string;
  rel_tol: number;
}

type Out = Record<string, number | number[]>;
// Golden inputs are untyped JSON; each mapping reads the keys its shape guarantees.

type In = Record<string, any>;
interface Shape {
  keys: string[];
  /** Some groups reuse one key set for several methods; the vector name then picks the method. */
  name?: RegExp;
  run: (i: In) => Out;
}

const MY_GROUPS = [
  'eoq',
  'eoq_all_units',
  'eoq_incremental',
  'eoq_backorders',
  'epq',
  'std_normal_loss',
  'normal_loss',
  'poisson_loss',
  'newsvendor',
  'base_stock_periodic',
  'rq',
  'rq_poisson',
  'sS',
  'wagner_whitin',
  'z_score',
  'safety_inventory',
  'safety_inventory_lt_var',
  'order_up_to_periodic',
  'spp_fill_rate_k',
  'lead_time_decomposition',
] as const;
/** Groups owned by other engineers (deal analysis, anomalies). */
const OTHER_GROUPS = ['sellout_eta', 'isolation_forest_c'];

const tiersOf = (i: In) => {
  const b = i.breakpoints as number[];
  const c = i.unit_costs as number[];
  if (b.length !== c.length || b[0] !== 0) throw new Error('breakpoints must start at 0 and pair with unit_costs');
  // Golden tier j indexes breakpoints (0 = base price); ours indexes `tiers` (null = base price).
  return { unitCost: c[0], tiers: b.slice(1).map((minQuantity, k) => ({ minQuantity, unitCost: c[k + 1] })) };
};
const goldenTier = (t: number | null) => (t === null ? 0 : t + 1);

const rqIn = (i: In) => ({
  holdingCost: i.h,
  stockoutCost: i.p,
  orderCost: i.K,
  demandMean: i.demand_mean,
  demandSd: i.demand_sd,
  leadTime: i.L,
});

const SHAPES: Record<(typeof MY_GROUPS)[number], Shape[]> = {
  eoq: [
    {
      keys: ['K', 'h', 'demand'],
      run: (i) => {
        // Through the public eoq() with c = 1 so that i·c = h; cost = ordering + holding.
        const r = eoq({ annualDemand: i.demand, orderCost: i.K, holdingRate: i.h, unitCost: 1 });
        expect(r.quantity).toBeCloseTo(eoqQuantity(i.K, i.demand, i.h), 9);
        return { Q: r.quantity, cost: r.orderingCost + r.holdingCost };
      },
    },
    { keys: ['K', 'h', 'demand', 'Q'], run: (i) => ({ cost: eoqCost(i.K, i.demand, i.h, i.Q) }) },
  ],
  eoq_all_units: [
    {
      keys: ['K', 'holding_rate', 'demand', 'breakpoints', 'unit_costs'],
      run: (i) => {
        const r = eoq({ annualDemand: i.demand, orderCost: i.K, holdingRate: i.holding_rate, ...tiersOf(i) });
        return { Q: r.quantity, tier: goldenTier(r.tier), annual_total_cost: r.annualCost };
      },
    },
  ],
  eoq_incremental: [
    {
      keys: ['K', 'holding_rate', 'demand', 'breakpoints', 'unit_costs'],
      run: (i) => {
        const r = eoqIncrementalDiscounts({ annualDemand: i.demand, orderCost: i.K, holdingRate: i.holding_rate, ...tiersOf(i) });
        return { Q: r.quantity, tier: goldenTier(r.tier), annual_total_cost: r.annualCost };
      },
    },
  ],
  eoq_backorders: [
    {
      keys: ['K', 'h', 'p', 'demand'],
      run: (i) => {
        const r = eoqWithBackorders({ annualDemand: i.demand, orderCost: i.K, holdingCost: i.h, backorderCost: i.p });
        return { Q: r.quantity, stockout_fraction: r.stockoutFraction, cost: r.annualCost };
      },
    },
  ],
  epq: [
    {
      keys: ['K', 'h', 'demand', 'production_rate'],
      run: (i) => {
        const r = epq({ annualDemand: i.demand, orderCost: i.K, holdingCost: i.h, productionRate: i.production_rate });
        return { Q: r.quantity, cost: r.annualCost };
      },
    },
  ],
  std_normal_loss: [{ keys: ['z'], run: (i) => ({ L: stdNormalLoss(i.z), L_bar: stdNormalLossComplement(i.z), L2: stdNormalLoss2(i.z) }) }],
  normal_loss: [
    {
      keys: ['x', 'mean', 'sd'],
      run: (i) => {
        const r = normalLoss(i.x, i.mean, i.sd);
        return { n: r.n, n_bar: r.nBar };
      },
    },
  ],
  poisson_loss: [
    {
      keys: ['x', 'mean'],
      run: (i) => {
        const r = poissonLoss(i.x, i.mean);
        return { n: r.n, n_bar: r.nBar };
      },
    },
  ],
  newsvendor: [
    {
      keys: ['h', 'p', 'mean', 'sd'],
      run: (i) => {
        const r = newsvendorNormal({ holdingCost: i.h, stockoutCost: i.p, demandMean: i.mean, demandSd: i.sd });
        return { S: r.baseStock, cost: r.cost, critical_ratio: r.criticalRatio };
      },
    },
    {
      keys: ['h', 'p', 'mean', 'sd', 'S'],
      run: (i) => ({ cost: newsvendorNormalCost(i.S, { holdingCost: i.h, stockoutCost: i.p, demandMean: i.mean, demandSd: i.sd }) }),
    },
    {
      keys: ['h', 'p', 'mean'],
      run: (i) => {
        const r = newsvendorPoisson({ holdingCost: i.h, stockoutCost: i.p, demandMean: i.mean });
        return { S: r.baseStock, cost: r.cost, critical_ratio: r.criticalRatio };
      },
    },
  ],
  base_stock_periodic: [
    {
      keys: ['h', 'p', 'mean', 'sd', 'L'],
      run: (i) => {
        const r = newsvendorNormal({ holdingCost: i.h, stockoutCost: i.p, demandMean: i.mean, demandSd: i.sd, leadTime: i.L });
        return { S: r.baseStock, cost: r.cost };
      },
    },
  ],
  rq: [
    {
      keys: ['r', 'Q', 'h', 'p', 'K', 'demand_mean', 'demand_sd', 'L'],
      run: (i) => ({ cost: rqCost({ ...rqIn(i), reorderPoint: i.r, orderQuantity: i.Q }) }),
    },
    {
      keys: ['h', 'p', 'K', 'demand_mean', 'demand_sd', 'L'],
      name: /\bEIL\b/,
      run: (i) => {
        const r = rqEil(rqIn(i));
        return { r: r.reorderPoint, Q: r.orderQuantity, cost: r.cost as number };
      },
    },
    {
      keys: ['h', 'p', 'K', 'demand_mean', 'demand_sd', 'L'],
      name: /\bEOQB\b/,
      run: (i) => {
        const r = rqEoqb(rqIn(i));
        return { r: r.reorderPoint, Q: r.orderQuantity };
      },
    },
    {
      keys: ['h', 'p', 'K', 'demand_mean', 'demand_sd', 'L'],
      name: /EOQ\+SS/,
      run: (i) => {
        const r = rqEoqSs(rqIn(i));
        return { r: r.reorderPoint, Q: r.orderQuantity };
      },
    },
    {
      keys: ['h', 'p', 'K', 'demand_mean', 'demand_sd', 'L'],
      name: /loss-function/,
      run: (i) => {
        const r = rqLossFunction(rqIn(i));
        return { r: r.reorderPoint, Q: r.orderQuantity };
      },
    },
    {
      keys: ['Q', 'h', 'p', 'demand_mean', 'demand_sd', 'L'],
      run: (i) => ({
        r: rqOptimalReorderPoint({
          orderQuantity: i.Q,
          holdingCost: i.h,
          stockoutCost: i.p,
          demandMean: i.demand_mean,
          demandSd: i.demand_sd,
          leadTime: i.L,
        }),
      }),
    },
  ],
  rq_poisson: [
    {
      keys: ['h', 'p', 'K', 'demand_mean', 'L'],
      run: (i) => {
        const r = rqPoissonExact({ holdingCost: i.h, stockoutCost: i.p, orderCost: i.K, demandMean: i.demand_mean, leadTime: i.L });
        return { r: r.reorderPoint, Q: r.orderQuantity, cost: r.cost };
      },
    },
  ],
  sS: [
    {
      keys: ['h', 'p', 'K', 'poisson_mean'],
      run: (i) => {
        const r = sSPoissonExact({ holdingCost: i.h, stockoutCost: i.p, orderCost: i.K, demandMean: i.poisson_mean });
        return { s: r.reorderPoint, S: r.orderUpTo, cost: r.cost as number };
      },
    },
    {
      keys: ['h', 'p', 'K', 'mean', 'sd'],
      run: (i) => {
        const r = sSPowerApproximation({ holdingCost: i.h, stockoutCost: i.p, orderCost: i.K, demandMean: i.mean, demandSd: i.sd });
        return { s: r.reorderPoint, S: r.orderUpTo };
      },
    },
  ],
  wagner_whitin: [
    {
      keys: ['T', 'h', 'K', 'demand'],
      run: (i) => {
        expect(i.demand).toHaveLength(i.T);
        const r = wagnerWhitin({ demand: i.demand, orderCost: i.K, holdingCost: i.h });
        // stockpyl indexes periods from 1 with a dummy period 0.
        return { Q: [0, ...r.orders], cost: r.cost };
      },
    },
  ],
  z_score: [{ keys: ['csl'], run: (i) => ({ z: zScore(i.csl) }) }],
  safety_inventory: [
    {
      keys: ['D', 'sd_D', 'L', 'Q', 'ROP'],
      run: (i) => {
        const r = cyclePerformance({
          demandMean: i.D,
          demandSd: i.sd_D,
          leadTimeMean: i.L,
          leadTimeSd: 0,
          reorderPoint: i.ROP,
          orderQuantity: i.Q,
        });
        return { sigma_L: r.sigmaLTD, ss: r.safetyStock, CSL: r.cycleServiceLevel, ESC: r.expectedShortagePerCycle, fill_rate: r.fillRate };
      },
    },
    {
      keys: ['D', 'sd_D', 'L', 'csl'],
      run: (i) => {
        const r = serviceLevelSafetyStock({ serviceLevel: i.csl, demandMean: i.D, demandSd: i.sd_D, leadTimeMean: i.L, leadTimeSd: 0 });
        return { ss: r.value, ROP: reorderPoint({ dailyDemand: i.D, leadTimeDays: i.L, safetyStock: r.value }) };
      },
    },
    {
      keys: ['D', 'sd_D', 'L', 'Q', 'fill_rate'],
      run: (i) => {
        const r = fillRateSafetyStock({
          fillRate: i.fill_rate,
          orderQuantity: i.Q,
          demandMean: i.D,
          demandSd: i.sd_D,
          leadTimeMean: i.L,
          leadTimeSd: 0,
        });
        return { ss: r.value, ESC: expectedShortagePerCycle(r.value, r.sigmaLTD) };
      },
    },
  ],
  safety_inventory_lt_var: [
    {
      keys: ['D', 'sd_D', 'L', 'sd_L', 'csl'],
      run: (i) => {
        const r = serviceLevelSafetyStock({
          serviceLevel: i.csl,
          demandMean: i.D,
          demandSd: i.sd_D,
          leadTimeMean: i.L,
          leadTimeSd: i.sd_L,
        });
        return { sigma_LTD: r.sigmaLTD, ss: r.value };
      },
    },
  ],
  order_up_to_periodic: [
    {
      keys: ['D', 'sd_D', 'L', 'R', 'sd_L', 'csl'],
      run: (i) => {
        const r = orderUpToPeriodic({
          demandMean: i.D,
          demandSd: i.sd_D,
          leadTimeMean: i.L,
          leadTimeSd: i.sd_L,
          reviewPeriod: i.R,
          serviceLevel: i.csl,
        });
        return { sigma: r.sigma, ss: r.safetyStock, S: r.orderUpTo };
      },
    },
  ],
  spp_fill_rate_k: [
    {
      keys: ['Q', 'sigma_L', 'P2'],
      run: (i) => {
        const r = fillRateSafetyFactor({ fillRate: i.P2, orderQuantity: i.Q, sigma: i.sigma_L });
        return { G_target: r.lossTarget, k: r.k, ss: r.safetyStock };
      },
    },
  ],
  lead_time_decomposition: [
    {
      keys: ['stages_mean_sd'],
      run: (i) => {
        const stages = Object.fromEntries(
          Object.entries(i.stages_mean_sd as Record<string, [number, number]>).map(([k, [mean, sd]]) => [k, { mean, sd }]),
        );
        const r = leadTimeFromStages(stages);
        return { L_mean: r.mean, L_sd: r.sd };
      },
    },
    {
      keys: ['D', 'sd_D', 'L_mean', 'L_sd', 'csl'],
      run: (i) => {
        const r = serviceLevelSafetyStock({
          serviceLevel: i.csl,
          demandMean: i.D,
          demandSd: i.sd_D,
          leadTimeMean: i.L_mean,
          leadTimeSd: i.L_sd,
        });
        return {
          sigma_LTD: r.sigmaLTD,
          ss: r.value,
          ROP: reorderPoint({ dailyDemand: i.D, leadTimeDays: i.L_mean, safetyStock: r.value }),
        };
      },
    },
  ],
};

const vectors = formulaVectors<Vector>();

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
}

function shapeFor(v: Vector): Shape {
  const group = v.group as (typeof MY_GROUPS)[number];
  const matches = SHAPES[group].filter((s) => sameKeys(s.keys, Object.keys(v.inputs)) && (!s.name || s.name.test(v.name)));
  if (matches.length !== 1) {
    throw new Error(
      `${v.group} / ${v.name}: unexpected input shape {${Object.keys(v.inputs).join(', ')}} (${matches.length} matching mappings)`,
    );
  }
  return matches[0];
}

function expectClose(label: string, actual: number, expected: number, relTol: number): void {
  const ok = expected === 0 ? Math.abs(actual) <= relTol : Math.abs(actual - expected) <= relTol * Math.abs(expected);
  if (!ok)
    throw new Error(
      `${label}: got ${actual}, expected ${expected} (rel_tol ${relTol}, rel err ${Math.abs(actual - expected) / Math.abs(expected || 1)})`,
    );
}

describe('golden vectors file', () => {
  it('holds only groups we know the owner of', () => {
    const known = new Set<string>([...MY_GROUPS, ...OTHER_GROUPS]);
    const unknown = [...new Set(vectors.map((v) => v.group))].filter((g) => !known.has(g));
    expect(unknown).toEqual([]);
  });
});

for (const group of MY_GROUPS) {
  const vs = vectors.filter((v) => v.group === group);
  describe(`golden: ${group}`, () => {
    it('has vectors', () => {
      expect(vs.length).toBeGreaterThan(0);
    });
    for (const v of vs) {
      it(`${v.name} (rel_tol ${v.rel_tol})`, () => {
        expect(typeof v.rel_tol).toBe('number');
        const out = shapeFor(v).run(v.inputs);
        const expectedKeys = Object.keys(v.expected);
        expect(expectedKeys.length).toBeGreaterThan(0);
        for (const key of expectedKeys) {
          const e = v.expected[key];
          const a = out[key];
          if (a === undefined) throw new Error(`${v.group} / ${v.name}: no computed value for expected key "${key}"`);
          if (Array.isArray(e)) {
            expect(Array.isArray(a)).toBe(true);
            const arr = a as number[];
            expect(arr).toHaveLength(e.length);
            e.forEach((x, k) => expectClose(`${key}[${k}]`, arr[k], x as number, v.rel_tol));
          } else {
            expect(typeof e).toBe('number');
            expectClose(key, a as number, e as number, v.rel_tol);
          }
        }
      });
    }
  });
}
