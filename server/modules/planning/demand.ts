/**
 * Demand statistics for plans, behind a small interface so the forecasting engine can replace the
 * moving average later without touching the planning code.
 */
import { Explainer, type Explanation } from '../../../core/explain';
import { promotionDayMask, type PromotionPeriod } from '../../../core/forecast/promotions';
import { isoOfDay } from '../product/days';
import type { SalesPoint } from '../product/product.loaders';

export interface DemandEstimate {
  /** How the figures were obtained, e.g. IN_STOCK_MOVING_AVERAGE. */
  method: string;
  /** Mean units per day. */
  mean: number;
  /** Sample sd of daily units. */
  sd: number;
  /** Largest daily units observed (the "max daily" of the max-minus-average safety stock). */
  max: number;
  /** Expected units for today + k (k = 0, 1, …), when the estimator forecasts; the moving average does not. */
  forecast?: number[];
  windowDays: number;
  /** First and last day (epoch days) the statistics cover; from is null without any recorded day. */
  from: number | null;
  to: number;
  /** Days counted as demand (in stock). */
  inStockDays: number;
  /** Days flagged out of stock and left out of mean/sd/max. */
  stockoutDaysExcluded: number;
  /** Days inside the seller's own promotions, left out of mean/sd/max (the baseline does not learn their lift). */
  promotionDaysExcluded?: number;
  /** Days inside [from, to] with no record, counted as 0 units in stock. */
  unrecordedDays: number;
  lastRecordedDay: number | null;
  warnings: string[];
  explanation: Explanation;
}

export interface DemandEstimator {
  /** Demand for a product as of `today` (epoch day); a forecast estimator averages over `leadTimeDays`. */
  estimate(productId: string, today: number, leadTimeDays?: number): Promise<DemandEstimate>;
}

export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 730;
/** Sales older than this many days make the estimate suspect (a stopped feed reads as zero demand). */
const STALE_DAYS = 7;

/**
 * Mean, sample sd and max of daily units over the recent in-stock days. The window is the
 * `windowDays` complete days before today (today is still running); it starts at the first recorded
 * day inside the window, so a product with a short history is not diluted by days before it existed.
 * Days flagged inStock = false are censored (sales were capped by stock) and are left out, so a
 * stockout does not depress demand. Days without a record count as 0 units sold, in stock. Days inside
 * the seller's own promotions (`promotions`) are left out too, so the baseline does not learn their lift.
 */
export function inStockMovingAverage(
  rows: SalesPoint[],
  today: number,
  windowDays: number,
  promotions: readonly PromotionPeriod[] = [],
): DemandEstimate {
  const to = today - 1;
  const start = today - windowDays;
  const promo = promotionDayMask(start, windowDays, promotions);
  const isPromo = (d: number) => promo[d - start] === true;
  const all = rows.filter((r) => r.day >= start && r.day <= to).sort((a, b) => a.day - b.day);
  const inWindow = all.filter((r) => !isPromo(r.day));
  const promotionDaysExcluded = all.length - inWindow.length;
  const warnings: string[] = [];
  const ex = new Explainer('d̄ = mean of daily units over in-stock days; σ_d = sample sd (n − 1); max = largest in-stock day', {
    windowDays,
    windowStart: isoOfDay(start),
    windowEnd: isoOfDay(to),
  });
  const days = demandDays(inWindow, to, isPromo);
  const lastRecordedDay = inWindow.length ? inWindow[inWindow.length - 1].day : null;
  const { mean, sd, max } = windowStats(days, windowDays, warnings);
  const n = days.values.length;
  if (n === 1) warnings.push('only one in-stock day of sales: demand sd taken as 0');
  if (lastRecordedDay !== null && to - lastRecordedDay >= STALE_DAYS) {
    warnings.push(
      `newest sales record is ${isoOfDay(lastRecordedDay)} (${today - lastRecordedDay} days ago): unrecorded days count as 0 units`,
    );
  }
  explainWindow(ex, days, lastRecordedDay, { mean, sd, max });
  if (promotionDaysExcluded)
    ex.note(`${promotionDaysExcluded} day(s) inside the seller's own promotions are left out so the baseline does not learn their lift.`);
  return {
    method: 'IN_STOCK_MOVING_AVERAGE',
    mean,
    sd,
    max,
    windowDays,
    from: days.from,
    to,
    inStockDays: n,
    stockoutDaysExcluded: days.excluded,
    promotionDaysExcluded,
    unrecordedDays: days.unrecorded,
    lastRecordedDay,
    warnings,
    explanation: ex.build(),
  };
}

/** The days of a window sorted into demand (in stock or unrecorded) and censored (out of stock). */
interface WindowDays {
  /** First recorded day inside the window; null without any record. */
  from: number | null;
  /** Units of each in-stock day, and 0 for each unrecorded day, from `from` to the window's end. */
  values: number[];
  /** Units sold on out-of-stock days (a floor on their demand). */
  censored: number[];
  excluded: number;
  unrecorded: number;
}

/**
 * Walks the days from the first record in the window (`inWindow`, sorted by day) to `to`: an
 * in-stock day counts its units, a day without a record counts 0 units in stock, and an out-of-stock
 * day is censored (its units go to `censored`, not to `values`); days for which `skip` holds (the
 * seller's promotion days) are left out altogether.
 */
function demandDays(inWindow: SalesPoint[], to: number, skip: (day: number) => boolean = () => false): WindowDays {
  const byDay = new Map(inWindow.map((r) => [r.day, r]));
  const from = inWindow.length ? inWindow[0].day : null;
  const out: WindowDays = { from, values: [], censored: [], excluded: 0, unrecorded: 0 };
  if (from === null) return out;
  for (let d = from; d <= to; d++) {
    if (skip(d)) continue;
    const r = byDay.get(d);
    if (!r) {
      out.unrecorded += 1;
      out.values.push(0);
    } else if (!r.inStock) {
      out.excluded += 1;
      out.censored.push(r.units);
    } else out.values.push(r.units);
  }
  return out;
}

/**
 * Sample statistics of daily units x_1 … x_n: mean d̄ = Σ x_i / n, sample sd
 * σ_d = √(Σ (x_i − d̄)² / (n − 1)) (Bessel's correction; 0 when n = 1) and max = max x_i.
 * Needs n ≥ 1.
 */
export function sampleDailyStats(values: number[]): { mean: number; sd: number; max: number } {
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, max: Math.max(...values) };
}

/**
 * Mean, sd and max of the window's demand days (sampleDailyStats). Without any, a window whose
 * every recorded day was out of stock takes the mean and max of what sold as a lower bound (sd 0),
 * and an empty window gives 0; both say so in `warnings`.
 */
function windowStats(days: WindowDays, windowDays: number, warnings: string[]): { mean: number; sd: number; max: number } {
  if (days.values.length > 0) return sampleDailyStats(days.values);
  if (days.censored.length) {
    // Every day was out of stock: what sold is only a floor on demand.
    const mean = days.censored.reduce((s, x) => s + x, 0) / days.censored.length;
    warnings.push(`every recorded day in the last ${windowDays} days was out of stock: demand ${round(mean)}/day is a lower bound`);
    return { mean, sd: 0, max: Math.max(...days.censored) };
  }
  warnings.push(`no sales recorded in the last ${windowDays} days: demand taken as 0`);
  return { mean: 0, sd: 0, max: 0 };
}

/** The explanation's inputs, steps and notes for the moving average over `days`. */
function explainWindow(
  ex: Explainer,
  days: WindowDays,
  lastRecordedDay: number | null,
  stats: { mean: number; sd: number; max: number },
): void {
  ex.input('firstRecordedDay', days.from === null ? null : isoOfDay(days.from))
    .input('lastRecordedDay', lastRecordedDay === null ? null : isoOfDay(lastRecordedDay))
    .step('in-stock days used (n)', days.values.length)
    .step('out-of-stock days excluded', days.excluded)
    .step('unrecorded days counted as 0', days.unrecorded)
    .step(
      'units on in-stock days Σ',
      days.values.reduce((s, x) => s + x, 0),
    )
    .step('mean daily demand d̄', stats.mean)
    .step('sd of daily demand σ_d', stats.sd)
    .step('max daily demand', stats.max)
    .note(
      `Days flagged out of stock (inStock = false) are left out of mean, sd and max: sales on them were capped by stock, so counting them would depress demand${days.excluded ? ` (${days.excluded} excluded)` : ''}.`,
    )
    .note(
      'The window holds complete days before today and starts at the first recorded day inside it; days without a record count as 0 units sold.',
    );
}

/** The moving-average estimator over a (per-request, batched) sales loader. */
export function movingAverageEstimator(
  loadSales: (key: { productId: string; from: number; to: number }) => Promise<SalesPoint[]>,
  windowDays: number,
  loadPromotions: (productId: string, from: number, to: number) => Promise<PromotionPeriod[]> = async () => [],
): DemandEstimator {
  return {
    async estimate(productId, today) {
      const [rows, promos] = await Promise.all([
        loadSales({ productId, from: today - windowDays, to: today - 1 }),
        loadPromotions(productId, today - windowDays, today - 1),
      ]);
      return inStockMovingAverage(rows, today, windowDays, promos);
    },
  };
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
