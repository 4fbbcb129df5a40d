/**
 * The custom functions as plain modules: single values, 2-D ranges (same shape out), blanks that
 * stay blank, and bad rows that become a short #BAD_INPUT string for that cell only.
 * Expected values are worked by hand in the comments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShape, errorCell, mapCells, toNumber } from '../../addon/src/cells';
import { maxMinusAverageSafetyStock, serviceLevelSafetyStock } from '../../core/replenishment/safetyStock';
import {
  daysOfCoverSheet,
  eoqSheet,
  parseTiers,
  reorderPointSheet,
  safetyStockMaxAvgSheet,
  safetyStockServiceSheet,
  safetyStockSheet,
} from '../../addon/src/local';
import { formulaVectors } from '../helpers/golden';
import { forecastDemandSheet, seriesFrom } from '../../addon/src/forecastSheet';
import { claimCurve, parseHistory, selloutLocal } from '../../addon/src/sellout';
import { etaCell, isLiveSelloutCall } from '../../addon/src/deals';
import { selloutLine } from '../../addon/src/selloutWords';
import { velocityCell } from '../../addon/src/pulls';

const Z95 = 1.6448536269514722; // Φ⁻¹(0.95)

describe('cells', () => {
  it('reads numbers the way planners type them', () => {
    expect(toNumber(12, 'x')).toBe(12);
    expect(toNumber(' 1,200 ', 'x')).toBe(1200);
    expect(toNumber('95%', 'x')).toBeCloseTo(0.95, 12);
    expect(() => toNumber('abc', 'lead_time_days')).toThrow('lead_time_days must be a number, got "abc"');
    expect(() => toNumber(true, 'x')).toThrow('must be a number, got TRUE');
    expect(() => toNumber(new Date(0), 'x')).toThrow('got a date');
  });

  it('broadcasts ranges of one shape and treats 1×1 ranges as single values', () => {
    expect(broadcastShape([[[1], [2]], 5, [[7]]], ['a', 'b', 'c'])).toEqual({ rows: 2, cols: 1 });
    expect(broadcastShape([1, 2], ['a', 'b'])).toBeNull();
    expect(() =>
      broadcastShape(
        [
          [[1], [2]],
          [[1], [2], [3]],
        ],
        ['a', 'b'],
      ),
    ).toThrow('b is 3×1 but a is 2×1');
  });

  it('keeps messages short, single-line and in the sheet’s argument names', () => {
    const e = new RangeError('leadTimeDays must be ≥ 0, got -1\n    at stack frame');
    expect(errorCell(e, { leadTimeDays: 'lead_time_days' })).toBe('#BAD_INPUT: lead_time_days must be ≥ 0, got -1');
    expect(errorCell(new Error('x'.repeat(500)))).toHaveLength(120);
  });

  it('mapCells passes through error values from other formulas', () => {
    const r = mapCells([{ name: 'a', required: true }], [[['#N/A'], [2]]], ([a]) => Number(a) * 2);
    expect(r).toEqual([['#N/A'], [4]]);
  });
});

describe('REORDER_POINT', () => {
  it('scalar: d̄·L̄ without variability, plus z·√(L̄σd² + d̄²σL²) with it', () => {
    expect(reorderPointSheet(10, 5)).toBe(50);
    // 10·5 + 1.6449·√(5·3² + 10²·1²) = 50 + 1.6449·√145
    expect(reorderPointSheet(10, 5, 0.95, 3, 1)).toBeCloseTo(50 + Z95 * Math.sqrt(145), 10);
    // blank service level defaults to 0.95
    expect(reorderPointSheet(10, 5, '', 3, '')).toBeCloseTo(50 + Z95 * Math.sqrt(45), 10);
  });

  it('2-D: same shape out, blank rows blank, bad rows flagged alone', () => {
    const out = reorderPointSheet([[10], [''], [-1], ['abc'], [4]], 5, 0.95, [[0], [0], [0], [0], [2]]);
    expect(out).toEqual([
      [50],
      [''],
      ['#BAD_INPUT: avg_daily_demand must be ≥ 0, got -1'],
      ['#BAD_INPUT: avg_daily_demand must be a number, got "abc"'],
      [20 + Z95 * Math.sqrt(5 * 4)],
    ]);
    expect(
      reorderPointSheet(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 1],
          [2, 2],
        ],
      ),
    ).toEqual([
      [1, 2],
      [6, 8],
    ]);
  });

  it('names the bad argument', () => {
    expect(reorderPointSheet(10, -2)).toBe('#BAD_INPUT: lead_time_days must be ≥ 0, got -2');
    expect(reorderPointSheet(10, 5, 95, 1)).toBe('#BAD_INPUT: service_level must be between 0 and 1 (e.g. 0.95), got 95');
    expect(reorderPointSheet(10, 5, 0.9, -1)).toBe('#BAD_INPUT: demand_sd must be ≥ 0, got -1');
    expect(reorderPointSheet('', 5)).toBe('#BAD_INPUT: avg_daily_demand is blank');
    expect(reorderPointSheet('', '')).toBe('');
    expect(reorderPointSheet([[1], [2]], [[1], [2], [3]])).toBe('#BAD_INPUT: lead_time_days is 3×1 but avg_daily_demand is 2×1');
  });

  it('never decreases when demand or its variability grows (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 365, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (d, dd, L, sd, sl) => {
          const a = reorderPointSheet(d, L, sl, sd, 1) as number;
          const b = reorderPointSheet(d + dd, L, sl, sd, 1) as number;
          const c = reorderPointSheet(d, L, sl, sd + dd, 1) as number;
          return b >= a - 1e-9 * Math.max(1, a) && c >= a - 1e-9 * Math.max(1, a);
        },
      ),
    );
  });
});

describe('SAFETY_STOCK_MAX_AVG', () => {
  it('max_daily × max_lead − avg_daily × avg_lead (worked example 800 × 12 − 500 × 7 = 6100)', () => {
    expect(safetyStockMaxAvgSheet(800, 12, 500, 7)).toBe(6100);
    expect(safetyStockMaxAvgSheet([[800], [''], [10]], [[12], [''], [3]], [[500], [''], [20]], [[7], [''], [2]])).toEqual([
      [6100],
      [''],
      ['#BAD_INPUT: max_daily must be ≥ avg_daily (20), got 10'],
    ]);
    expect(safetyStockMaxAvgSheet(800, 5, 500, 7)).toBe('#BAD_INPUT: max_lead must be ≥ avg_lead (7), got 5');
    expect(safetyStockMaxAvgSheet(800, 12, '', 7)).toBe('#BAD_INPUT: avg_daily is blank');
  });

  it('equals core for any valid inputs, and never goes below 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 365, noNaN: true }),
        fc.double({ min: 0, max: 365, noNaN: true }),
        (avgDaily, extraDaily, avgLead, extraLead) => {
          const i = { maxDaily: avgDaily + extraDaily, maxLeadTime: avgLead + extraLead, avgDaily, avgLeadTime: avgLead };
          const v = safetyStockMaxAvgSheet(i.maxDaily, i.maxLeadTime, avgDaily, avgLead) as number;
          return v === maxMinusAverageSafetyStock(i).value && v >= 0;
        },
      ),
    );
  });
});

/** The golden vectors of the service-level safety stock (Chopra & Meindl examples, stockpyl), mapped to the sheet's arguments. */
const SERVICE_GOLDEN = formulaVectors<{
  group: string;
  name: string;
  inputs: Record<string, number>;
  expected: Record<string, number>;
  rel_tol: number;
}>().flatMap((v) => {
  const i = v.inputs;
  if (v.group === 'safety_inventory_lt_var') return [{ ...v, args: [i.csl, i.D, i.sd_D, i.L, i.sd_L] }];
  if (v.group === 'safety_inventory' && 'csl' in i) return [{ ...v, args: [i.csl, i.D, i.sd_D, i.L, 0] }];
  if (v.group === 'lead_time_decomposition' && 'csl' in i) return [{ ...v, args: [i.csl, i.D, i.sd_D, i.L_mean, i.L_sd] }];
  return [];
});

describe('SAFETY_STOCK_SERVICE', () => {
  it('z·√(avg_lead·sd_daily² + avg_daily²·sd_lead²)', () => {
    // 1.6449·√(4·20² + 100²·1²) = 1.6449·√11600
    expect(safetyStockServiceSheet(0.95, 100, 20, 4, 1)).toBeCloseTo(Z95 * Math.sqrt(11600), 10);
    const col = safetyStockServiceSheet(0.95, [[100], [50]], 20, 4) as number[][];
    expect(col).toHaveLength(2);
    for (const [v] of col) expect(v).toBeCloseTo(Z95 * 40, 10); // sd_lead blank = 0: z·√(4·20²)
    expect(safetyStockServiceSheet(1, 100, 20, 4)).toBe('#BAD_INPUT: service_level must be between 0 and 1 (e.g. 0.95), got 1');
    expect(safetyStockServiceSheet(0.95, 100, -1, 4)).toBe('#BAD_INPUT: sd_daily must be ≥ 0, got -1');
  });

  it('reproduces the golden vectors', () => {
    expect(SERVICE_GOLDEN.length).toBeGreaterThanOrEqual(10);
    for (const v of SERVICE_GOLDEN) {
      const [sl, d, sd, L, sdL] = v.args;
      const got = safetyStockServiceSheet(sl, d, sd, L, sdL) as number;
      expect(Math.abs(got - v.expected.ss), v.name).toBeLessThanOrEqual(v.rel_tol * Math.abs(v.expected.ss));
    }
  });

  it('equals core for any valid inputs and grows with the service level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 365, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (sl, d, sd, L, sdL) => {
          const v = safetyStockServiceSheet(sl, d, sd, L, sdL) as number;
          const core = serviceLevelSafetyStock({ serviceLevel: sl, demandMean: d, demandSd: sd, leadTimeMean: L, leadTimeSd: sdL }).value;
          const higher = safetyStockServiceSheet(Math.min(sl + 0.0005, 0.9995), d, sd, L, sdL) as number;
          return v === core && higher >= v - 1e-9 * Math.max(1, v);
        },
      ),
    );
  });
});

describe('SAFETY_STOCK (deprecated)', () => {
  it('"brief" is SAFETY_STOCK_MAX_AVG with the old argument names in its messages', () => {
    expect(safetyStockSheet('brief', 800, 12, 500, 7)).toBe(6100);
    expect(safetyStockSheet('BRIEF', [[800], [''], [10]], [[12], [''], [3]], [[500], [''], [20]], [[7], [''], [2]])).toEqual([
      [6100],
      [''],
      ['#BAD_INPUT: max_daily must be ≥ avg_daily (20), got 10'],
    ]);
    expect(safetyStockSheet('brief', 800, 5, 500, 7)).toBe('#BAD_INPUT: max_lead_time must be ≥ avg_lead_time (7), got 5');
  });

  it('"service" is SAFETY_STOCK_SERVICE', () => {
    // 1.6449·√(4·20² + 100²·1²) = 1.6449·√11600
    expect(safetyStockSheet('service', 0.95, 100, 20, 4, 1)).toBeCloseTo(Z95 * Math.sqrt(11600), 10);
    const col = safetyStockSheet('service', 0.95, [[100], [50]], 20, 4) as number[][];
    expect(col).toHaveLength(2);
    for (const [v] of col) expect(v).toBeCloseTo(Z95 * 40, 10); // lead-time sd 0: z·√(4·20²)
    expect(safetyStockSheet('service', 1, 100, 20, 4)).toBe('#BAD_INPUT: service_level must be between 0 and 1 (e.g. 0.95), got 1');
    expect(safetyStockSheet('service', 0.95, 100, -1, 4)).toBe('#BAD_INPUT: demand_sd must be ≥ 0, got -1');
    expect(safetyStockSheet('service', 0.9, 2500, 500, 7, 3)).toBe(safetyStockServiceSheet(0.9, 2500, 500, 7, 3));
  });

  it('an unknown method is one short message', () => {
    expect(safetyStockSheet('magic', 1, 2, 3, 4)).toBe('#BAD_INPUT: method must be "brief" or "service", got "magic"');
  });
});

describe('EOQ', () => {
  it('plain EOQ √(2DS/(iC))', () => {
    // √(2·1000·50 / (0.2·5)) = √100000
    expect(eoqSheet(1000, 50, 0.2, 5)).toBeCloseTo(Math.sqrt(100_000), 9);
    expect(eoqSheet([[1000], [''], [0]], 50, 0.2, 5)).toEqual([
      [Math.sqrt(100_000)],
      [''],
      ['#BAD_INPUT: annual_demand must be > 0, got 0'],
    ]);
  });

  it('all-units price breaks from a two-column range (header row skipped)', () => {
    // base price 5: Q*=316.2, cost 5000 + 158.1 + 158.1 = 5316.2; 4.50 from 500: EOQ 333 < 500, so
    // the breakpoint 500 costs 4500 + 100 + 225 = 4825, the cheapest.
    const tiers = [
      ['min qty', 'unit cost'],
      [0, 5],
      [500, 4.5],
      ['', ''],
    ];
    expect(eoqSheet(1000, 50, 0.2, tiers)).toBe(500);
    expect(eoqSheet(1000, 50, 0.2, tiers, 'unit_cost')).toBe(4.5);
    expect(eoqSheet(1000, 50, 0.2, tiers, 'annual_cost')).toBeCloseTo(4825, 9);
    expect(eoqSheet(1000, 50, 0.2, tiers, 'colour')).toMatch(/^#BAD_INPUT: output must be one of quantity/);
    expect(() =>
      parseTiers([
        [0, 5],
        [100, ''],
      ]),
    ).toThrow('tier row 2 needs both min_quantity and unit_cost');
  });
});

describe('DAYS_OF_COVER', () => {
  it('(on hand + in transit) ÷ daily demand; ∞ at zero demand', () => {
    expect(daysOfCoverSheet(100, 20, 10)).toBe(12);
    expect(daysOfCoverSheet(100, '', 0)).toBe('∞');
    expect(daysOfCoverSheet([[100], [''], [50]], [[0], [''], [-5]], 10)).toEqual([
      [10],
      [''],
      ['#BAD_INPUT: in_transit must be ≥ 0, got -5'],
    ]);
  });
});

describe('SELLOUT_ETA (local)', () => {
  it('stock ÷ velocity row by row', () => {
    expect(selloutLocal(100, 20)).toBe(5);
    expect(selloutLocal(0, 5)).toBe(0);
    expect(selloutLocal(10, 0)).toBe('∞');
    expect(selloutLocal([[100], [''], [30]], [[20], [''], [-1]])).toEqual([[5], [''], ['#BAD_INPUT: velocity must be ≥ 0, got -1']]);
  });

  it('fits a drain to a stock history: a steady 10 per step leaves 60 units for 6 steps', () => {
    const history = [[100], [90], [80], [70], [60]];
    expect(selloutLocal('', history, 'point') as number).toBeCloseTo(6, 6);
    expect(selloutLocal(30, history, 'point') as number).toBeCloseTo(3, 6);
    // The bootstrap quantiles bracket the point estimate.
    const [p10, p50, p90] = (['p10', 'p50', 'p90'] as const).map((q) => selloutLocal('', history, q) as number);
    expect(p10).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(Math.abs(p50 - 6)).toBeLessThan(0.6);
  });

  it('with date-times the answer is the sell-out moment', () => {
    const t0 = Date.UTC(2025, 0, 1, 8);
    const history = [['Time', 'Stock'], ...[0, 1, 2, 3, 4].map((h) => [new Date(t0 + h * 3_600_000), 400 - 25 * h])];
    const eta = selloutLocal('', history, 'point') as Date;
    expect(eta).toBeInstanceOf(Date);
    // 300 left at 25/h → 12 h after the last reading (12:00) = 24:00
    expect(Math.abs(eta.getTime() - (t0 + 16 * 3_600_000))).toBeLessThan(60_000);
  });

  it('restocks are not negative sales, and a flat history never sells out', () => {
    expect(claimCurve(parseHistory([[10], [8], [20], [15]]).readings).map((p) => p.units)).toEqual([0, 2, 2, 7]);
    expect(selloutLocal('', [[5], [5], [5]])).toBe('never (no sales in history)');
    expect(selloutLocal('', [[5], ['']])).toBe('#BAD_INPUT: history needs at least 2 readings');
    expect(selloutLocal('', [[10], [8]], 'p99')).toBe('#BAD_INPUT: quantile must be "p10", "p50", "p90" or "point", got "p99"');
  });
});

describe('FORECAST_DEMAND', () => {
  it('a constant series forecasts its level, one row per period ahead', () => {
    const out = forecastDemandSheet([[10], [10], [10], [10], [10], [10]], 3) as number[][];
    expect(out).toHaveLength(3);
    for (const [v] of out) expect(v).toBeCloseTo(10, 9);
  });

  it('one column per series, a row series answers as a row, blank columns stay blank', () => {
    const out = forecastDemandSheet(
      [
        [4, ''],
        [4, ''],
        [4, ''],
        [4, ''],
      ],
      2,
    ) as number[][];
    expect(out.map((r) => r[1])).toEqual(['', '']);
    expect(out[0]![0]).toBeCloseTo(4, 9);
    const row = forecastDemandSheet([[7, 7, 7, 7, 7]], 2) as number[][];
    expect(row).toHaveLength(1);
    expect(row[0]).toHaveLength(2);
    expect(row[0]![1]).toBeCloseTo(7, 9);
    expect(typeof forecastDemandSheet([[1], [3], [2], [4], [3]], 1, 'model')).toBe('string');
  });

  it('period may be the data’s frequency: its calendar gives the season', () => {
    const monthly = Array.from({ length: 48 }, (_, t) => [100 + (t % 12 === 11 ? 60 : 0) + (t % 5)]);
    const byWord = forecastDemandSheet(monthly, 12, 'value', 'monthly') as number[][];
    const byNumber = forecastDemandSheet(monthly, 12, 'value', 12) as number[][];
    expect(byWord).toEqual(byNumber);
    expect(byWord[11]![0]).toBeGreaterThan(byWord[5]![0]! + 30);
    expect(forecastDemandSheet(monthly, 2, 'value', 'fortnightly')).toMatch(
      /^#BAD_INPUT: period must be a whole number ≥ 1 or one of hourly, daily/,
    );
  });

  it('intervals bracket the forecast', () => {
    const y = [[12], [9], [14], [11], [10], [13], [8], [12], [11], [10]];
    const v = forecastDemandSheet(y, 4) as number[][];
    const lo = forecastDemandSheet(y, 4, 'lower80') as number[][];
    const hi = forecastDemandSheet(y, 4, 'upper95') as number[][];
    v.forEach(([x], i) => {
      expect(lo[i]![0]).toBeLessThanOrEqual(x!);
      expect(hi[i]![0]).toBeGreaterThanOrEqual(x!);
    });
  });

  it('bad inputs: a short message in that series’ first cell only', () => {
    expect(forecastDemandSheet([[1], [2]], 0)).toBe('#BAD_INPUT: horizon must be ≥ 1, got 0');
    expect(forecastDemandSheet([[1], [2]], 2.5)).toBe('#BAD_INPUT: horizon must be a whole number, got 2.5');
    expect(
      forecastDemandSheet(
        [
          [5, 1],
          [5, 'x'],
          [5, 3],
        ],
        2,
      ),
    ).toEqual([
      [expect.closeTo(5, 9), '#BAD_INPUT: history column 2 row 2 must be a number, got "x"'],
      [expect.closeTo(5, 9), ''],
    ]);
    expect(forecastDemandSheet([[1], [2]], 2, 'median')).toMatch(/^#BAD_INPUT: output must be one of value/);
    expect(seriesFrom(['', 3, '', 5, ''], 'h')).toEqual([3, NaN, 5]);
  });
});

describe('SELLOUT_ETA (live form selection and cells)', () => {
  it('text in the first argument means ASINs; numbers (or numeric text) keep the local form', () => {
    expect(isLiveSelloutCall('B0ABC12345', undefined)).toBe(true);
    expect(isLiveSelloutCall('DE:B0ABC12345', 'p90')).toBe(true);
    expect(isLiveSelloutCall([['B0ABC12345'], [''], ['B0XYZ']], 'p10')).toBe(true);
    expect(isLiveSelloutCall(100, 20)).toBe(false);
    expect(isLiveSelloutCall('100', 20)).toBe(false);
    expect(isLiveSelloutCall('', [[1], [2]])).toBe(false); // blank stock + history: local drain fit
    expect(isLiveSelloutCall('B0ABC12345', 5)).toBe(false); // text stock with a velocity: a bad local row
    expect(isLiveSelloutCall([[100], ['B0ABC12345']], undefined)).toBe(false);
  });

  it('cells: the quantile as a moment, "never" when that draw fades without an end, the reason when no ETA, no live deal with provenance', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const deal = {
      id: 'd',
      type: 'LIGHTNING',
      status: 'LIVE',
      startedAt: '2026-11-24T06:00:00Z',
      scheduledEndAt: null as string | null,
      drainModel: 'DECAY' as string | null,
      claimedPercent: 50,
      dealQuantity: 600,
      dealQuantitySource: 'GIVEN',
      remainingUnits: 300,
      unitsSold: 300,
      velocityPerHour: 50,
      velocityPercentPerHour: 8.3,
      sellOutEta: { p10: '2026-11-24T16:00:00Z', p50: '2026-11-24T18:00:00Z', p90: null },
      sellOutEtaReason: null,
      sellOutProbability: 0.7,
      strategy: 'STEADY',
      percentMode: false,
      explanation: { text: '' },
    };
    const c = { asin: 'B0A', marketplace: 'US', latestSnapshot: { capturedAt: '2026-11-24T10:30:00Z', source: 'keepa' }, activeDeal: deal };
    expect(etaCell(c, 'p50', now)).toEqual(new Date('2026-11-24T18:00:00Z'));
    expect(etaCell(c, 'p90', now)).toBe('P90 never sells out at the current pace: demand fades first');
    // With a scheduled end a null quantile means the deal ends first (SellOutEta's definition).
    const ending = { ...c, activeDeal: { ...deal, scheduledEndAt: '2026-11-24T20:00:00Z' } };
    expect(etaCell(ending, 'p90', now)).toBe('P90 does not sell out before the deal ends (11-24 20:00 UTC)');
    expect(selloutLine(ending.activeDeal)).toBe(
      'P50 sells out ≈ 11-24 18:00 UTC · P10 sells out ≈ 11-24 16:00 UTC · P90 does not sell out before the deal ends (11-24 20:00 UTC)',
    );
    const noFit = { ...deal, sellOutEta: null, drainModel: null, sellOutEtaReason: 'too few readings to fit a drain (need 2)' };
    expect(etaCell({ ...c, activeDeal: noFit }, 'p50', now)).toBe('no sell-out ETA yet: too few readings to fit a drain (need 2)');
    expect(selloutLine(noFit)).toBe('no sell-out ETA yet: too few readings to fit a drain (need 2)');
    expect(etaCell({ ...c, activeDeal: null }, 'p50', now)).toBe('no live deal · keepa · 1.5 h old');
  });

  it('velocity cells: capped readings give a lower bound ("≥x"), never an exact rate', () => {
    expect(velocityCell({ perDay: { value: 17.8638, lower: 16.16, upper: 19.7 }, isLowerBoundOnly: false })).toBe(17.86);
    expect(velocityCell({ perDay: { value: null, lower: 64.9928, upper: null }, isLowerBoundOnly: true })).toBe('≥64.99');
    expect(velocityCell(null)).toBe('');
  });
});
