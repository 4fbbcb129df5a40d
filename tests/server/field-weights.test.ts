/**
 * Field prices of the complexity limit (server/graphql/limits.ts) on the committed schema: weights
 * in points of 0.1 ms of measured CPU (docs/performance.md, "Field costs"), a supplier comparison
 * scaled by the work it simulates, a FORECAST plan priced as the forecast it fits.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FIELD_WEIGHTS, operationCost } from '../../server/graphql/limits';

const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
const cost = (q: string, variables?: Record<string, unknown>) => operationCost(schema, parse(q), undefined, variables);
const aliases = (n: number, f: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f(i)}`).join(' ')} }`;
const SUPPLIERS = `suppliers: [{ name: "a", unitCost: 1 }, { name: "b", unitCost: 1 }]`;

describe('field weights', () => {
  it('prices a forecast at its measured CPU: 95 fit the default limit, 1,000 do not', () => {
    const one = cost(`{ competitor(id: "x") { forecast(horizonHours: 24) { model } } }`);
    expect(one).toBe(1 + 1 + FIELD_WEIGHTS['Competitor.forecast'] + 1);
    expect(cost(aliases(95, () => `competitor(id: "x") { forecast(horizonHours: 24) { model } }`))).toBeLessThan(100_000);
    expect(cost(aliases(1000, () => `product(sku: "x") { forecast(horizonDays: 30) { model } }`))).toBeGreaterThan(100_000);
  });

  it('scales a supplier comparison by runs × horizonDays × suppliers, literal or variable', () => {
    const base = cost(`{ compareSuppliers(input: { ${SUPPLIERS} }) { recommended } }`);
    expect(base).toBe(1 + FIELD_WEIGHTS['Query.compareSuppliers'] + 1);
    const tenfold = cost(`{ compareSuppliers(input: { runs: 5000, ${SUPPLIERS} }) { recommended } }`);
    expect(tenfold - 2).toBe(10 * FIELD_WEIGHTS['Query.compareSuppliers']);
    const viaVariable = cost(`query($i: CompareSuppliersInput!) { compareSuppliers(input: $i) { recommended } }`, {
      i: { runs: 500, horizonDays: 730, suppliers: [{}, {}, {}, {}] },
    });
    expect(viaVariable - 2).toBe(4 * FIELD_WEIGHTS['Query.compareSuppliers']);
  });

  it('prices a plan with demandSource FORECAST as the forecast it fits; 1,000 moving-average plans fit', () => {
    const ma = cost(`{ product(sku: "x") { replenishmentPlan { reorderPoint } } }`);
    const fc = cost(`{ product(sku: "x") { replenishmentPlan(demandSource: FORECAST) { reorderPoint } } }`);
    expect(fc - ma).toBe(160);
    expect(
      cost(`query($d: DemandSource!) { product(sku: "x") { replenishmentPlan(demandSource: $d) { reorderPoint } } }`, { d: 'FORECAST' }),
    ).toBe(fc);
    expect(
      cost(aliases(1000, (i) => `product(sku: "S${i}") { sku onHand replenishmentPlan { safetyStock reorderPoint orderQuantity } }`)),
    ).toBeLessThan(100_000);
  });
});
