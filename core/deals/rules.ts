/**
 * The documented, measurable rules behind a deal's curve shape (how fast the deal sold: an early
 * rush, steady, or late) and strategy read (what the seller was after: volume, rank, clearance, a
 * test). Callers may override any threshold; the defaults are the product's.
 */

export type CurveShape = 'FRONT_LOADED' | 'STEADY' | 'BACK_LOADED' | 'INSUFFICIENT_DATA';

/**
 * Curve shape from f = units sold in the first quarter of the deal's elapsed time ÷ units sold in
 * all of it (elapsed = start → sell-out, end, or the newest reading). A uniform drain gives f = 0.25;
 * a decay r0·e^(−kt) over elapsed E gives f = (1 − e^(−kE/4)) / (1 − e^(−kE)), so f ≥ 0.40 means
 * kE ≳ 1.6: most of the deal went in an early rush.
 *   FRONT_LOADED ("J"-type collapse: stock plunges right after the start)  f ≥ frontLoadedMin
 *   BACK_LOADED  (accelerating: the deal caught on late)                   f ≤ backLoadedMax
 *   STEADY       ("L"-type gentle, sustained decline)                      otherwise
 *   INSUFFICIENT_DATA  fewer than minReadings live readings, under minUnits sold (or 5 % claimed
 *                      when the quantity is unknown), or under minElapsedHours elapsed
 */
export interface CurveShapeRules {
  frontLoadedMin: number;
  backLoadedMax: number;
  minReadings: number;
  minUnits: number;
  minElapsedHours: number;
}

export const DEFAULT_CURVE_SHAPE_RULES: CurveShapeRules = {
  frontLoadedMin: 0.4,
  backLoadedMax: 0.15,
  minReadings: 3,
  minUnits: 5,
  minElapsedHours: 0.5,
};

export type DealStrategy = 'VOLUME_PUSH' | 'RANK_PUSH' | 'CLEARANCE' | 'STANDARD_PROMO' | 'MARKET_TEST' | 'UNKNOWN';

/**
 * Strategy read from deal quantity Q, discount depth d = 1 − deal price ÷ reference price (list
 * price, else the median pre-deal price), and the pre-deal baseline (daily consumption D, average
 * stock, median BSR, days of history):
 *   UNKNOWN         Q unknown
 *   MARKET_TEST     Q < smallQuantityMax ("only a few dozen": testing demand or a cautious promo)
 *   large           Q ≥ largeQuantityMin, or Q ≥ largeDaysOfSales × D
 *     CLEARANCE     large, d ≥ deepDiscountMin and pre-deal days of cover (avg stock ÷ D) ≥ overstockDaysMin
 *     RANK_PUSH     large, d ≥ deepDiscountMin and (pre-deal median BSR ≥ weakRankMin or history < youngListingDays)
 *     VOLUME_PUSH   any other large deal (push volume, typically with an aggressive discount)
 *   STANDARD_PROMO  everything in between
 */
export interface StrategyRules {
  smallQuantityMax: number;
  largeQuantityMin: number;
  largeDaysOfSales: number;
  deepDiscountMin: number;
  overstockDaysMin: number;
  weakRankMin: number;
  youngListingDays: number;
}

export const DEFAULT_STRATEGY_RULES: StrategyRules = {
  smallQuantityMax: 100,
  largeQuantityMin: 300,
  largeDaysOfSales: 3,
  deepDiscountMin: 0.3,
  overstockDaysMin: 60,
  weakRankMin: 10_000,
  youngListingDays: 14,
};

export function classifyCurveShape(
  firstQuarterShare: number | null,
  readings: number,
  units: number,
  elapsedHours: number,
  percentMode: boolean,
  rules: CurveShapeRules = DEFAULT_CURVE_SHAPE_RULES,
): CurveShape {
  const minUnits = percentMode ? 5 : rules.minUnits;
  if (firstQuarterShare === null || readings < rules.minReadings || units < minUnits || elapsedHours < rules.minElapsedHours) {
    return 'INSUFFICIENT_DATA';
  }
  if (firstQuarterShare >= rules.frontLoadedMin) return 'FRONT_LOADED';
  if (firstQuarterShare <= rules.backLoadedMax) return 'BACK_LOADED';
  return 'STEADY';
}

export interface StrategyInputs {
  quantity: number | null;
  discount: number | null;
  baselinePerDay: number | null;
  avgStock: number | null;
  medianBsr: number | null;
  historyDays: number;
}

export function classifyStrategy(
  x: StrategyInputs,
  rules: StrategyRules = DEFAULT_STRATEGY_RULES,
): { strategy: DealStrategy; reason: string } {
  const Q = x.quantity;
  if (Q === null) return { strategy: 'UNKNOWN', reason: 'deal quantity unknown' };
  if (Q < rules.smallQuantityMax) return { strategy: 'MARKET_TEST', reason: `Q=${Q} < ${rules.smallQuantityMax}: small allocation` };
  const D = x.baselinePerDay;
  const daysOfSales = D !== null && D > 0 ? Q / D : null;
  const large = Q >= rules.largeQuantityMin || (daysOfSales !== null && daysOfSales >= rules.largeDaysOfSales);
  if (!large) return { strategy: 'STANDARD_PROMO', reason: `Q=${Q} between small and large` };
  const deep = x.discount !== null && x.discount >= rules.deepDiscountMin;
  const cover = D !== null && D > 0 && x.avgStock !== null ? x.avgStock / D : null;
  const sizeWhy = Q >= rules.largeQuantityMin ? `Q=${Q} ≥ ${rules.largeQuantityMin}` : `Q=${Q} ≥ ${rules.largeDaysOfSales} days of sales`;
  if (deep && cover !== null && cover >= rules.overstockDaysMin) {
    return {
      strategy: 'CLEARANCE',
      reason: `${sizeWhy}, discount ${(100 * (x.discount as number)).toFixed(0)} %, ${cover.toFixed(0)} days of cover before the deal`,
    };
  }
  if (deep && ((x.medianBsr !== null && x.medianBsr >= rules.weakRankMin) || x.historyDays < rules.youngListingDays)) {
    return {
      strategy: 'RANK_PUSH',
      reason: `${sizeWhy}, discount ${(100 * (x.discount as number)).toFixed(0)} %, weak rank (BSR ${x.medianBsr ?? '—'}) or young listing (${x.historyDays.toFixed(0)} days)`,
    };
  }
  return { strategy: 'VOLUME_PUSH', reason: `${sizeWhy}${x.discount !== null ? `, discount ${(100 * x.discount).toFixed(0)} %` : ''}` };
}
