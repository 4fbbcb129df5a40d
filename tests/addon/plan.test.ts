/**
 * Replenishment plan pieces that need no server: the lookup cache (per id for small sets, one
 * chunked entry for large ones, within CacheService's item limit), PLAN_FIELD's field names and
 * the plan table's rows, including a product the server could not plan.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PER_ID_MAX, cachedLookup, getChunked, putChunked } from '../../addon/src/cache';
import { type PlanNode, type PlanProduct, PLAN_FIELDS, parsePlanField, planField, planSpec } from '../../addon/src/plan';
import { writeTable } from '../../addon/src/table';
import { GasEnvironment } from '../helpers/gas';

let env: GasEnvironment;
let restore: () => void;
beforeEach(() => {
  restore?.();
  env = new GasEnvironment();
  restore = env.installGlobals();
});
afterAll(() => restore?.());

/** A fetch that answers `v:<id>` and records what it was asked for. */
function recorder() {
  const asked: string[][] = [];
  const fetch = (missing: string[]) => {
    asked.push(missing);
    return new Map(missing.map((m) => [m, `v:${m}`]));
  };
  return { asked, fetch };
}
const ids = (n: number, prefix = 'S') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

describe('cachedLookup', () => {
  it('small sets are cached per id, so another formula with an overlapping set fetches only the new ids', () => {
    const { asked, fetch } = recorder();
    const a = cachedLookup('scope', 'plan', ['B', 'A', 'B'], fetch);
    expect([...a.found.entries()].sort()).toEqual([
      ['A', 'v:A'],
      ['B', 'v:B'],
    ]);
    expect(a).toMatchObject({ fetched: 2, cached: 0, requests: 1 });
    const b = cachedLookup('scope', 'plan', ['A', 'C'], fetch);
    expect(b).toMatchObject({ fetched: 1, cached: 1, requests: 1 });
    expect(asked).toEqual([['A', 'B'], ['C']]);
    expect(cachedLookup('scope', 'plan', ['C', 'B', 'A'], fetch).requests).toBe(0);
    // Another API key (scope) never sees these answers.
    expect(cachedLookup('other', 'plan', ['A'], fetch).requests).toBe(1);
  });

  it('a large set is one chunked entry: a handful of cache items instead of one per id', () => {
    const { asked, fetch } = recorder();
    const set = ids(1000);
    const first = cachedLookup('scope', 'plan', set, fetch);
    expect(first.requests).toBe(1);
    expect(first.found.get('S0999')).toBe('v:S0999');
    expect(env.caches.document.size()).toBeLessThan(5);
    const again = cachedLookup('scope', 'plan', [...set].reverse(), fetch); // same set, any order
    expect(again.requests).toBe(0);
    expect(again.found.size).toBe(1000);
    expect(asked).toHaveLength(1);
  });

  it('two 1,000-row columns no longer evict each other (CacheService holds about 1,000 items)', () => {
    const { asked, fetch } = recorder();
    const a = ids(1000, 'A');
    const b = ids(1000, 'B');
    cachedLookup('scope', 'listing', a, fetch);
    cachedLookup('scope', 'plan', b, fetch);
    expect(cachedLookup('scope', 'listing', a, fetch).requests).toBe(0);
    expect(cachedLookup('scope', 'plan', b, fetch).requests).toBe(0);
    expect(asked).toHaveLength(2);
  });

  it(`sets of more than ${PER_ID_MAX} ids expire with the lookup TTL like single ids`, () => {
    const { asked, fetch } = recorder();
    cachedLookup('scope', 'plan', ids(PER_ID_MAX + 1), fetch);
    env.advance(299_000);
    expect(cachedLookup('scope', 'plan', ids(PER_ID_MAX + 1), fetch).requests).toBe(0);
    env.advance(2_000);
    expect(cachedLookup('scope', 'plan', ids(PER_ID_MAX + 1), fetch).requests).toBe(1);
    expect(asked).toHaveLength(2);
  });
});

describe('putChunked / getChunked', () => {
  it('splits a value over the 100 KB item limit into chunks and reassembles it exactly (multi-byte text too)', () => {
    const value = Array.from({ length: 4000 }, (_, i) => ({ sku: `S${i}`, text: `σ_LTD = √(L̄σ_d² + d̄²σ_L²) № ${i}` }));
    expect(putChunked('k', value)).toBe(true);
    expect(env.caches.document.size()).toBeGreaterThan(3); // header + several chunks
    expect(getChunked('k')).toEqual(value);
  });

  it('a missing chunk (evicted) is a miss, never a truncated value', () => {
    const value = { text: 'x'.repeat(70_000) };
    putChunked('k', value);
    env.caches.document.remove('k:1');
    expect(getChunked('k')).toBeNull();
  });

  it('refuses values too large to be worth caching', () => {
    expect(putChunked('k', 'y'.repeat(3_100_000))).toBe(false);
    expect(getChunked('k')).toBeNull();
  });
});

const plan = (over: Partial<PlanNode> = {}): PlanNode => ({
  today: '2026-11-24',
  demand: { mean: 20, sd: 0, from: '2026-08-26', to: '2026-11-23', inStockDays: 90, stockoutDaysExcluded: 0 },
  leadTimeDays: 16,
  leadTimeSdDays: Math.sqrt(5),
  safetyStock: 73.5641,
  safetyStockMethod: 'SERVICE_LEVEL',
  reorderPoint: 393.5641,
  orderQuantity: 480,
  quantityMethod: 'PEAK_COVERAGE',
  orderNow: true,
  orderByDate: '2026-11-24',
  daysUntilOrderBy: 0,
  daysOfCover: 6,
  projectedStockoutDate: '2026-11-30',
  stockPosition: 120,
  cycleServiceLevel: 0.95,
  expectedFillRate: null,
  warnings: [],
  explanation: { text: 'ROP = d̄·L̄ + SS' },
  ...over,
});
const product = (sku: string, p: PlanNode | null, planError?: string): PlanProduct => ({
  sku,
  name: `Name ${sku}`,
  abcClass: 'B',
  onHand: 120,
  inTransit: 0,
  supplier: p ? { name: 'Acme' } : null,
  replenishmentPlan: p,
  planError,
});

describe('plan table', () => {
  it('one row per SKU with rounded figures; a product without a plan keeps its row with the reason', () => {
    const r = writeTable(planSpec(), [product('SKU-A', plan()), product('SKU-N', null, 'leadTimeDays is required without a supplier')]);
    expect(r).toMatchObject({ rows: 2, added: 2, setValuesCalls: 1 });
    const [header, a, n] = env.sheetValues('RR Replenishment');
    const col = (h: string) => header!.indexOf(h);
    expect(a![col('Reorder point')]).toBe(393.6);
    expect(a![col('Safety stock')]).toBe(73.6);
    expect(a![col('Lead time sd (d)')]).toBe(2.24);
    expect(a![col('Order now')]).toBe(true);
    expect(a![col('Order by')]).toBe('2026-11-24');
    expect(a![col('Warnings')]).toBe('');
    expect(n![col('Reorder point')]).toBe('');
    expect(n![col('Order now')]).toBe('');
    expect(n![col('Supplier')]).toBe('');
    expect(n![col('Warnings')]).toBe('no plan: leadTimeDays is required without a supplier');
    expect(n![col('Pull status')]).toBe('current');
  });
});

describe('PLAN_FIELD fields', () => {
  it('accepts API names in any case, with underscores, and short aliases', () => {
    expect(parsePlanField('reorderPoint')).toBe('reorderPoint');
    expect(parsePlanField('REORDER_POINT')).toBe('reorderPoint');
    expect(parsePlanField('rop')).toBe('reorderPoint');
    expect(parsePlanField('order by')).toBe('orderByDate');
    expect(parsePlanField([['safety_stock']])).toBe('safetyStock');
    expect(parsePlanField(undefined)).toBe('summary');
    expect(() => parsePlanField('colour')).toThrow(/^field must be one of summary, reorderPoint, .* got "colour"$/);
  });

  it('figures come straight from the plan; a day cover of null (no demand) reads ∞', () => {
    const p = product('SKU-A', plan());
    expect(PLAN_FIELDS.reorderPoint!(p, plan())).toBe(393.5641);
    expect(PLAN_FIELDS.daysOfCover!(p, plan({ daysOfCover: null }))).toBe('∞');
    expect(PLAN_FIELDS.summary!(p, plan())).toBe('ORDER NOW 480 · ROP 394 · SS 74 · position 120 · 6 d cover');
    expect(PLAN_FIELDS.summary!(p, plan({ orderNow: false, orderByDate: '2026-12-03', daysOfCover: null }))).toBe(
      'order 480 by 2026-12-03 · ROP 394 · SS 74 · position 120',
    );
  });

  it('without a connection: blanks stay blank, every other cell says how to connect', () => {
    expect(planField([['SKU-A'], [''], ['SKU-B']], 'rop')).toEqual([
      ['#NOT_CONNECTED: use Extensions › Restock Radar › Connect…'],
      [''],
      ['#NOT_CONNECTED: use Extensions › Restock Radar › Connect…'],
    ]);
    expect(planField('SKU-A', 'colour')).toMatch(/^#BAD_INPUT: field must be one of/);
  });
});
