/**
 * The sheet's local formulas: pure functions of cell values, computed with the bundled core so a
 * sheet and the API always agree. No network, no Apps Script services.
 */
import { eoq, type PriceTier } from '../../core/replenishment/eoq';
import {
  daysOfCover,
  maxMinusAverageSafetyStock,
  leadTimeDemandSd,
  reorderPoint,
  serviceLevelSafetyStock,
  zScore,
} from '../../core/replenishment/safetyStock';
import { type Arg, type CellValue, InputError, type Result, errorCell, isBlank, isGrid, mapCells, num, toNumber } from './cells';

/** core's field names → the sheet's argument names, so messages point at the right argument. */
const NAMES: Record<string, string> = {
  demandMean: 'avg_daily_demand',
  dailyDemand: 'avg_daily_demand',
  leadTimeMean: 'lead_time_days',
  leadTimeDays: 'lead_time_days',
  demandSd: 'demand_sd',
  leadTimeSd: 'lead_time_sd',
  serviceLevel: 'service_level',
  safetyStock: 'safety_stock',
  annualDemand: 'annual_demand',
  orderCost: 'order_cost',
  holdingRate: 'holding_rate',
  unitCost: 'unit_cost',
  onHand: 'on_hand',
  inTransit: 'in_transit',
};

const DEFAULT_SERVICE_LEVEL = 0.95;

let lastLevel = NaN;
let lastZ = NaN;
function z(level: number): number {
  if (level !== lastLevel) {
    lastZ = zScore(level);
    lastLevel = level;
  }
  return lastZ;
}

/** Service level must be a probability strictly inside (0, 1); "95" is almost surely meant as 95 %. */
function serviceLevel(v: CellValue | undefined): number {
  const x = num(v, { name: 'service_level', default: DEFAULT_SERVICE_LEVEL });
  if (!(x > 0 && x < 1)) throw new InputError(`service_level must be between 0 and 1 (e.g. 0.95), got ${x}`);
  return x;
}

/** ROP = d̄·L̄ + SS with SS = z·√(L̄σ_d² + d̄²σ_L²) (zero when no variability is given). */
export function reorderPointCell(
  d: CellValue | undefined,
  L: CellValue | undefined,
  sl: CellValue | undefined,
  sdD: CellValue | undefined,
  sdL: CellValue | undefined,
): number {
  const demand = num(d, { name: 'avg_daily_demand', min: 0 });
  const lead = num(L, { name: 'lead_time_days', min: 0 });
  const level = serviceLevel(sl);
  const demandSd = num(sdD, { name: 'demand_sd', min: 0, default: 0 });
  const leadTimeSd = num(sdL, { name: 'lead_time_sd', min: 0, default: 0 });
  // Same formula as serviceLevelSafetyStock, without building an explanation per row: a 10,000-row
  // column must stay well under a second. z is memoised per service level.
  const ss =
    demandSd === 0 && leadTimeSd === 0 ? 0 : z(level) * leadTimeDemandSd({ demandMean: demand, demandSd, leadTimeMean: lead, leadTimeSd });
  return reorderPoint({ dailyDemand: demand, leadTimeDays: lead, safetyStock: ss });
}

export function reorderPointSheet(avgDailyDemand: Arg, leadTimeDays: Arg, serviceLevelArg?: Arg, demandSd?: Arg, leadTimeSd?: Arg): Result {
  return mapCells(
    [
      { name: 'avg_daily_demand', required: true },
      { name: 'lead_time_days', required: true },
      { name: 'service_level', required: false },
      { name: 'demand_sd', required: false },
      { name: 'lead_time_sd', required: false },
    ],
    [avgDailyDemand, leadTimeDays, serviceLevelArg, demandSd, leadTimeSd],
    ([d, L, sl, sdD, sdL]) => reorderPointCell(d, L, sl, sdD, sdL),
    NAMES,
  );
}

/** The sheet's argument name for each core field of the max-minus-average rule. */
interface MaxAvgNames {
  maxDaily: string;
  maxLeadTime: string;
  avgDaily: string;
  avgLeadTime: string;
}

/** The sheet's argument name for each core field of the service-level rule. */
interface ServiceNames {
  serviceLevel: string;
  demandMean: string;
  demandSd: string;
  leadTimeMean: string;
  leadTimeSd: string;
}

const MAX_AVG_NAMES: MaxAvgNames = { maxDaily: 'max_daily', maxLeadTime: 'max_lead', avgDaily: 'avg_daily', avgLeadTime: 'avg_lead' };
const SERVICE_NAMES: ServiceNames = {
  serviceLevel: 'service_level',
  demandMean: 'avg_daily',
  demandSd: 'sd_daily',
  leadTimeMean: 'avg_lead',
  leadTimeSd: 'sd_lead',
};
/** The deprecated SAFETY_STOCK's argument names, kept so its messages stay as they were. */
const LEGACY_MAX_AVG_NAMES: MaxAvgNames = {
  maxDaily: 'max_daily',
  maxLeadTime: 'max_lead_time',
  avgDaily: 'avg_daily',
  avgLeadTime: 'avg_lead_time',
};
const LEGACY_SERVICE_NAMES: ServiceNames = {
  serviceLevel: 'service_level',
  demandMean: 'avg_daily_demand',
  demandSd: 'demand_sd',
  leadTimeMean: 'lead_time_days',
  leadTimeSd: 'lead_time_sd',
};

/** Max-minus-average safety stock per row: max daily × max lead time − avg daily × avg lead time (core's formula). */
function maxAvgCells(args: Arg[], n: MaxAvgNames): Result {
  return mapCells(
    [n.maxDaily, n.maxLeadTime, n.avgDaily, n.avgLeadTime].map((name) => ({ name, required: true })),
    args,
    ([maxDaily, maxLeadTime, avgDaily, avgLeadTime]) =>
      maxMinusAverageSafetyStock({
        maxDaily: num(maxDaily, { name: n.maxDaily, min: 0 }),
        maxLeadTime: num(maxLeadTime, { name: n.maxLeadTime, min: 0 }),
        avgDaily: num(avgDaily, { name: n.avgDaily, min: 0 }),
        avgLeadTime: num(avgLeadTime, { name: n.avgLeadTime, min: 0 }),
      }).value,
    { ...n },
  );
}

/** Service-level safety stock per row: z·√(L̄·σ_d² + d̄²·σ_L²), z = Φ⁻¹(service level) (core's formula); σ_L defaults to 0. */
function serviceCells(args: Arg[], n: ServiceNames): Result {
  return mapCells(
    [
      { name: n.serviceLevel, required: true },
      { name: n.demandMean, required: true },
      { name: n.demandSd, required: true },
      { name: n.leadTimeMean, required: true },
      { name: n.leadTimeSd, required: false },
    ],
    args,
    ([sl, dm, sdD, L, sdL]) =>
      serviceLevelSafetyStock({
        serviceLevel: serviceLevel(sl),
        demandMean: num(dm, { name: n.demandMean, min: 0 }),
        demandSd: num(sdD, { name: n.demandSd, min: 0 }),
        leadTimeMean: num(L, { name: n.leadTimeMean, min: 0 }),
        leadTimeSd: num(sdL, { name: n.leadTimeSd, min: 0, default: 0 }),
      }).value,
    { ...n },
  );
}

/** SAFETY_STOCK_MAX_AVG(max_daily, max_lead, avg_daily, avg_lead) = max_daily × max_lead − avg_daily × avg_lead. */
export function safetyStockMaxAvgSheet(maxDaily: Arg, maxLead: Arg, avgDaily: Arg, avgLead: Arg): Result {
  return maxAvgCells([maxDaily, maxLead, avgDaily, avgLead], MAX_AVG_NAMES);
}

/** SAFETY_STOCK_SERVICE(service_level, avg_daily, sd_daily, avg_lead, [sd_lead]) = z·√(avg_lead·sd_daily² + avg_daily²·sd_lead²). */
export function safetyStockServiceSheet(serviceLevelArg: Arg, avgDaily: Arg, sdDaily: Arg, avgLead: Arg, sdLead?: Arg): Result {
  return serviceCells([serviceLevelArg, avgDaily, sdDaily, avgLead, sdLead], SERVICE_NAMES);
}

/** The rule the deprecated SAFETY_STOCK's first argument names. */
export type SafetyStockMethod = 'MAX_AVG' | 'SERVICE';

/** Reads the deprecated SAFETY_STOCK's method: "brief" (its original spelling), "maxavg", "max" or "rule"; or "service". */
export function parseSafetyStockMethod(v: Arg): SafetyStockMethod {
  if (isGrid(v)) {
    if (v.length === 1 && v[0]!.length === 1) return parseSafetyStockMethod(v[0]![0]);
    throw new InputError('method must be a single value ("brief" or "service"), not a range');
  }
  const t = String(v ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  if (['brief', 'maxavg', 'max', 'rule'].includes(t)) return 'MAX_AVG';
  if (['service', 'servicelevel', 'sl', 'z'].includes(t)) return 'SERVICE';
  throw new InputError(`method must be "brief" or "service", got "${String(v ?? '')}"`);
}

/**
 * Deprecated (use safetyStockMaxAvgSheet or safetyStockServiceSheet; removed in the next release):
 * SAFETY_STOCK("brief", max_daily, max_lead_time, avg_daily, avg_lead_time)
 * SAFETY_STOCK("service", service_level, avg_daily_demand, demand_sd, lead_time_days, [lead_time_sd])
 */
export function safetyStockSheet(method: Arg, a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg): Result {
  let m: SafetyStockMethod;
  try {
    m = parseSafetyStockMethod(method);
  } catch (err) {
    return errorCell(err);
  }
  return m === 'MAX_AVG' ? maxAvgCells([a, b, c, d], LEGACY_MAX_AVG_NAMES) : serviceCells([a, b, c, d, e], LEGACY_SERVICE_NAMES);
}

/** A two-column range (min_quantity, unit_cost); a text header row and blank rows are skipped. */
export function parseTiers(range: CellValue[][]): PriceTier[] {
  const tiers: PriceTier[] = [];
  range.forEach((row, i) => {
    const [q, c] = row;
    if (isBlank(q) && isBlank(c)) return;
    if (i === 0 && typeof q === 'string' && Number.isNaN(Number(q.replace(/,/g, '')))) return; // header
    if (isBlank(q) || isBlank(c)) throw new InputError(`tier row ${i + 1} needs both min_quantity and unit_cost`);
    tiers.push({
      minQuantity: num(q, { name: `tier row ${i + 1} min_quantity`, min: 0 }),
      unitCost: num(c, { name: `tier row ${i + 1} unit_cost`, gt: 0 }),
    });
  });
  if (tiers.length === 0) throw new InputError('the tier range has no rows');
  return tiers;
}

const EOQ_OUTPUTS = ['quantity', 'unit_cost', 'annual_cost', 'orders_per_year', 'cycle_days'] as const;
type EoqOutput = (typeof EOQ_OUTPUTS)[number];

/**
 * EOQ(annual_demand, order_cost, holding_rate, unit_cost_or_tier_range, [output]).
 * A two-column range as the 4th argument is an all-units price-break table applied to every row.
 */
export function eoqSheet(annualDemand: Arg, orderCost: Arg, holdingRate: Arg, unitCostOrTiers: Arg, output?: Arg): Result {
  let tiers: PriceTier[] | undefined;
  let what: EoqOutput = 'quantity';
  try {
    if (isGrid(unitCostOrTiers) && unitCostOrTiers[0]?.length === 2) tiers = parseTiers(unitCostOrTiers);
    const o = isGrid(output) ? output[0]?.[0] : output;
    if (!isBlank(o)) {
      const t = String(o).trim().toLowerCase().replace(/\s+/g, '_') as EoqOutput;
      if (!EOQ_OUTPUTS.includes(t)) throw new InputError(`output must be one of ${EOQ_OUTPUTS.join(', ')}, got "${String(o)}"`);
      what = t;
    }
  } catch (e) {
    return errorCell(e, NAMES);
  }
  const base = tiers ? Math.max(...tiers.map((t) => t.unitCost)) : undefined;
  return mapCells(
    [
      { name: 'annual_demand', required: true },
      { name: 'order_cost', required: true },
      { name: 'holding_rate', required: true },
      { name: 'unit_cost', required: !tiers },
    ],
    [annualDemand, orderCost, holdingRate, tiers ? undefined : unitCostOrTiers],
    ([D, K, i, c]) => {
      const r = eoq({
        annualDemand: num(D, { name: 'annual_demand', gt: 0 }),
        orderCost: num(K, { name: 'order_cost', gt: 0 }),
        holdingRate: num(i, { name: 'holding_rate', gt: 0 }),
        // With a tier table, orders below the first break pay the table's highest price.
        unitCost: base ?? num(c, { name: 'unit_cost', gt: 0 }),
        tiers,
      });
      switch (what) {
        case 'quantity':
          return r.quantity;
        case 'unit_cost':
          return r.unitCost;
        case 'annual_cost':
          return r.annualCost;
        case 'orders_per_year':
          return r.ordersPerYear;
        case 'cycle_days':
          return r.cycleDays;
      }
    },
    NAMES,
  );
}

/** DAYS_OF_COVER(on_hand, [in_transit], daily_demand): (on hand + in transit) / daily demand. */
export function daysOfCoverSheet(onHand: Arg, inTransit: Arg, dailyDemand: Arg): Result {
  return mapCells(
    [
      { name: 'on_hand', required: true },
      { name: 'in_transit', required: false },
      { name: 'daily_demand', required: true },
    ],
    [onHand, inTransit, dailyDemand],
    ([oh, it, d]) =>
      daysOfCover(
        num(oh, { name: 'on_hand' }),
        num(it, { name: 'in_transit', min: 0, default: 0 }),
        num(d, { name: 'daily_demand', min: 0 }),
      ),
    { ...NAMES, dailyDemand: 'daily_demand' },
  );
}

/** Stock ÷ constant velocity: how many time units (those of the velocity) until the stock is gone. */
export function selloutAtVelocity(stock: CellValue | undefined, velocity: CellValue | undefined): number | string {
  const s = num(stock, { name: 'stock', min: 0 });
  const v = num(velocity, { name: 'velocity', min: 0 });
  if (s === 0) return 0;
  if (v === 0) return '∞';
  return s / v;
}

export { toNumber };
