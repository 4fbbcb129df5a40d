/**
 * Simulated workspaces of own SKUs with promotions of known lift, for measuring the promotion-lift
 * estimator (core/forecast/promotions.ts) in bench/promo.ts and its test.
 *
 * Per SKU s in group g: daily demand Poisson(μ_s·w_d) with μ_s log-uniform on [2, 40] units/day and a
 * weekly factor w_d = 1 + 0.15·sin(2πd/7); on a promotion's days the demand is multiplied by e^ℓ,
 *   ℓ = α_type + β·δ + γ_g + υ_s + ε,  γ_g ~ N(0, 0.2²), υ_s ~ N(0, 0.15²), ε ~ N(0, 0.1²),
 * α = {LIGHTNING_DEAL 0.5, COUPON 0.15, PRICE_DISCOUNT 0.1, OTHER 0.2}, β = 2 (a 20 % discount adds 0.4
 * to the log-lift). A lightning deal lasts 1 day and sells out (out of stock, sales capped at 70 % of
 * demand) with probability 0.2; coupons and discounts last 3–10 days. Each SKU has 0–6 past promotions
 * in its year of history and one planned promotion after it, whose true lift e^ℓ − 1 is the target.
 */
import { createRng, type Rng } from '../random';
import type { PromoSalesDay, PromotionPeriod, PromotionType } from '../forecast/promotions';
import { poisson } from './generate';

export const SIM_TYPE_EFFECT: Record<PromotionType, number> = { LIGHTNING_DEAL: 0.5, COUPON: 0.15, PRICE_DISCOUNT: 0.1, OTHER: 0.2 };
export const SIM_DEPTH_SLOPE = 2;

export interface SimPromotion extends PromotionPeriod {
  /** True log-lift ℓ of this promotion. */
  logLift: number;
}

export interface SimSku {
  sku: string;
  group: string;
  /** Mean daily demand without promotions. */
  base: number;
  /** Sales of the history (days 0 … historyDays − 1). */
  sales: PromoSalesDay[];
  past: SimPromotion[];
  planned: SimPromotion;
  /** Sales on the planned promotion's days (what happened), for the measured lift. */
  plannedSales: PromoSalesDay[];
}

export interface SimOptions {
  seed: number;
  skus: number;
  groups: number;
  historyDays?: number;
  maxPastPromotions?: number;
}

const TYPES: PromotionType[] = ['LIGHTNING_DEAL', 'COUPON', 'PRICE_DISCOUNT', 'OTHER'];

function drawPromotion(rng: Rng, start: number, typeShift: number, skuShift: number): SimPromotion {
  const type = TYPES[rng.int(0, 3)]!;
  const depth = type === 'OTHER' ? 0 : [0.1, 0.15, 0.2, 0.25, 0.3, 0.4][rng.int(0, 5)]!;
  const days = type === 'LIGHTNING_DEAL' ? 1 : rng.int(3, 10);
  const logLift = SIM_TYPE_EFFECT[type] + SIM_DEPTH_SLOPE * depth + typeShift + skuShift + 0.1 * rng.normal();
  return { start, end: start + days - 1, type, discountPct: type === 'OTHER' ? null : depth * 100, logLift };
}

/** Sales of days [from, to] under the promotions (demand × e^ℓ on their days; deals may sell out). */
function salesOf(rng: Rng, base: number, from: number, to: number, promos: readonly SimPromotion[]): PromoSalesDay[] {
  const out: PromoSalesDay[] = [];
  for (let d = from; d <= to; d++) {
    const p = promos.find((q) => d >= q.start && d <= q.end);
    const mu = base * (1 + 0.15 * Math.sin((2 * Math.PI * d) / 7)) * (p ? Math.exp(p.logLift) : 1);
    const demand = poisson(rng, mu);
    if (p?.type === 'LIGHTNING_DEAL' && rng.next() < 0.2) out.push({ day: d, units: Math.floor(0.7 * demand), inStock: false });
    else out.push({ day: d, units: demand, inStock: true });
  }
  return out;
}

/** A simulated workspace (deterministic for a seed). */
export function simulatePromotions(o: SimOptions): SimSku[] {
  const rng = createRng(o.seed);
  const history = o.historyDays ?? 365;
  const maxPast = o.maxPastPromotions ?? 6;
  const groupShift = Array.from({ length: o.groups }, () => 0.2 * rng.normal());
  const out: SimSku[] = [];
  for (let s = 0; s < o.skus; s++) {
    const g = s % o.groups;
    const skuShift = 0.15 * rng.normal();
    const base = Math.exp(Math.log(2) + rng.next() * Math.log(20));
    const past: SimPromotion[] = [];
    const k = rng.int(0, maxPast);
    // Promotions spread over the year after a 60-day run-in, at least 35 days apart.
    let day = 60 + rng.int(0, 20);
    for (let j = 0; j < k && day < history - 14; j++) {
      past.push(drawPromotion(rng, day, groupShift[g]!, skuShift));
      day += 35 + rng.int(0, 25);
    }
    const planned = drawPromotion(rng, history + 7, groupShift[g]!, skuShift);
    out.push({
      sku: `SKU-${s}`,
      group: `G${g}`,
      base,
      sales: salesOf(rng, base, 0, history - 1, past),
      past,
      planned,
      plannedSales: salesOf(rng, base, planned.start - 28, planned.end, [planned]),
    });
  }
  return out;
}
