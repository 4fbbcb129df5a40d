/**
 * Demand statistics for plans, behind a small interface so the forecasting engine can replace the
 * moving average later without touching the planning code.
 */
import { Explainer, type Explanation } from '../../../core/explain';
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
 * stockout does not depress demand. Days without a record count as 0 units sold, in stock.
 */
export function inStockMovingAverage(rows: SalesPoint[], today: number, windowDays: number): DemandEstimate {
  const to = today - 1;
  const start = today - windowDays;
  const inWindow = rows.filter((r) => r.day >= start && r.day <= to).sort((a, b) => a.day - b.day);
  const warnings: string[] = [];
  const ex = new Explainer('d̄ = mean of daily units over in-stock days; σ_d = sample sd (n − 1); max = largest in-stock day', {
    windowDays,
    windowStart: isoOfDay(start),
    windowEnd: isoOfDay(to),
  });
  const byDay = new Map(inWindow.map((r) => [r.day, r]));
  const from = inWindow.length ? inWindow[0].day : null;
  const values: number[] = [];
  let excluded = 0;
  let unrecorded = 0;
  const censored: number[] = [];
  if (from !== null) {
    for (let d = from; d <= to; d++) {
      const r = byDay.get(d);
      if (!r) {
        unrecorded += 1;
        values.push(0);
      } else if (!r.inStock) {
        excluded += 1;
        censored.push(r.units);
      } else values.push(r.units);
    }
  }
  const lastRecordedDay = inWindow.length ? inWindow[inWindow.length - 1].day : null;
  let mean = 0;
  let sd = 0;
  let max = 0;
  const n = values.length;
  if (n > 0) {
    mean = values.reduce((s, x) => s + x, 0) / n;
    sd = n > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
    max = Math.max(...values);
  } else if (censored.length) {
    // Every day was out of stock: what sold is only a floor on demand.
    mean = censored.reduce((s, x) => s + x, 0) / censored.length;
    max = Math.max(...censored);
    warnings.push(`every recorded day in the last ${windowDays} days was out of stock: demand ${round(mean)}/day is a lower bound`);
  } else {
    warnings.push(`no sales recorded in the last ${windowDays} days: demand taken as 0`);
  }
  if (n === 1) warnings.push('only one in-stock day of sales: demand sd taken as 0');
  if (lastRecordedDay !== null && to - lastRecordedDay >= STALE_DAYS) {
    warnings.push(
      `newest sales record is ${isoOfDay(lastRecordedDay)} (${today - lastRecordedDay} days ago): unrecorded days count as 0 units`,
    );
  }
  ex.input('firstRecordedDay', from === null ? null : isoOfDay(from))
    .input('lastRecordedDay', lastRecordedDay === null ? null : isoOfDay(lastRecordedDay))
    .step('in-stock days used (n)', n)
    .step('out-of-stock days excluded', excluded)
    .step('unrecorded days counted as 0', unrecorded)
    .step(
      'units on in-stock days Σ',
      values.reduce((s, x) => s + x, 0),
    )
    .step('mean daily demand d̄', mean)
    .step('sd of daily demand σ_d', sd)
    .step('max daily demand', max)
    .note(
      `Days flagged out of stock (inStock = false) are left out of mean, sd and max: sales on them were capped by stock, so counting them would depress demand${excluded ? ` (${excluded} excluded)` : ''}.`,
    )
    .note(
      'The window holds complete days before today and starts at the first recorded day inside it; days without a record count as 0 units sold.',
    );
  return {
    method: 'IN_STOCK_MOVING_AVERAGE',
    mean,
    sd,
    max,
    windowDays,
    from,
    to,
    inStockDays: n,
    stockoutDaysExcluded: excluded,
    unrecordedDays: unrecorded,
    lastRecordedDay,
    warnings,
    explanation: ex.build(),
  };
}

/** The moving-average estimator over a (per-request, batched) sales loader. */
export function movingAverageEstimator(
  loadSales: (key: { productId: string; from: number; to: number }) => Promise<SalesPoint[]>,
  windowDays: number,
): DemandEstimator {
  return {
    async estimate(productId, today) {
      const rows = await loadSales({ productId, from: today - windowDays, to: today - 1 });
      return inStockMovingAverage(rows, today, windowDays);
    },
  };
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
