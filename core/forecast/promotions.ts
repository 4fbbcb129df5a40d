/**
 * The seller's own promotions (lightning deals, coupons, price discounts) as events in the demand
 * series: past promotion days are flagged and kept out of the baseline model, each past promotion's
 * lift over its baseline is measured, and a planned promotion gets a lift estimate with an interval
 * from the past promotions of the same SKU, partially pooled with those of similar SKUs (same group,
 * e.g. category) and of the whole workspace, by discount depth and promotion type.
 *
 * Baseline / lift decomposition after Blattberg & Neslin (1990), "Sales Promotion: Concepts,
 * Methods and Strategies", ch. 11 (lift = promoted sales over the baseline, sales without the
 * promotion), on the log scale as in Cooper, Baron, Levy, Swisher & Gogos (1999), "PromoCast™: a
 * new forecasting method for promotion planning", Marketing Science 18(3). Partial pooling of the
 * SKU and group effects after Gelman & Hill (2007), "Data Analysis Using Regression and
 * Multilevel/Hierarchical Models", §12.2 (the shrinkage n/(n + σ²/τ²)).
 *
 * Why past promotion days are left out of the baseline fit (set missing) rather than replaced by a
 * value: the engine already handles missing periods (ETS leaves them out of the likelihood and moves
 * its state with the one-step forecast; the other models see that in-sample estimate), so the model's
 * own in-sample estimate fills them without a second fit, and no lift leaks into the level, trend or
 * seasonal states.
 */
import { PhiInv } from '../stats/normal';

export type PromotionType = 'LIGHTNING_DEAL' | 'COUPON' | 'PRICE_DISCOUNT' | 'OTHER';
export const PROMOTION_TYPES: readonly PromotionType[] = ['LIGHTNING_DEAL', 'COUPON', 'PRICE_DISCOUNT', 'OTHER'];

/** A promotion period of one SKU: epoch days, both ends inclusive. */
export interface PromotionPeriod {
  start: number;
  end: number;
  type: PromotionType;
  /** Discount in percent (0–100); null when none was given. */
  discountPct: number | null;
}

/** One day of a SKU's sales (epoch day). */
export interface PromoSalesDay {
  day: number;
  units: number;
  /** false = stockout: sales capped by stock, not demand. */
  inStock: boolean;
}

/** Days before a promotion that form its baseline (Blattberg & Neslin use a pre-period of weeks). */
export const BASELINE_DAYS = 28;
/** Fewest in-stock baseline days for a measurable lift. */
export const MIN_BASELINE_DAYS = 7;
/** Continuity correction of the log ratio of counts: ln((p + ½)/(b + ½)) stays finite at 0 (Haldane 1956). */
export const COUNT_CORRECTION = 0.5;
/** Prior on the spread of one promotion's log-lift around its expectation: σ₀ (log units) worth ν₀ observations. */
export const LIFT_PRIOR = { sigma: 0.3, weight: 2 } as const;

/** Step 1: true for each day start … start + n − 1 that lies inside any of the promotions. */
export function promotionDayMask(start: number, n: number, promos: readonly PromotionPeriod[]): boolean[] {
  const mask = new Array<boolean>(n).fill(false);
  for (const p of promos) {
    for (let d = Math.max(p.start, start); d <= Math.min(p.end, start + n - 1); d++) mask[d - start] = true;
  }
  return mask;
}

/**
 * Step 2: the daily series with promotion days set missing (NaN) and marked in stock, so the
 * baseline model neither learns their lift nor treats them as censored; `masked` counts them.
 */
export function withoutPromotionDays(
  y: readonly number[],
  inStock: readonly boolean[],
  start: number,
  promos: readonly PromotionPeriod[],
): { y: number[]; inStock: boolean[]; masked: number } {
  const mask = promotionDayMask(start, y.length, promos);
  let masked = 0;
  const out = y.map((v, i) => {
    if (!mask[i]) return v;
    masked++;
    return NaN;
  });
  return { y: out, inStock: inStock.map((s, i) => s || mask[i]!), masked };
}

/** A past promotion's measured lift. */
export interface ObservedLift {
  /** ℓ = ln((p + ½)/(b + ½)). */
  logLift: number;
  /** Mean daily units on the in-stock promotion days. */
  promoMean: number;
  /** Mean daily units on the in-stock, promotion-free baseline days. */
  baselineMean: number;
  promoDays: number;
  baselineDays: number;
  /** Promotion days out of stock (left out: their sales were capped). */
  stockoutDays: number;
  /**
   * Count noise of ℓ (delta method for the log of Poisson sums): v = 1/(P + ½) + 1/(B + ½), with P and
   * B the units summed over the promotion and baseline days.
   */
  variance: number;
}

/**
 * Step 3: the lift of one past promotion. Baseline b = mean units over the in-stock days of the
 * BASELINE_DAYS before its start that lie in no promotion (days without a record between the first
 * and the last record count 0 units); p = mean units over its in-stock days; ℓ = ln((p + ½)/(b + ½)).
 * Null when fewer than MIN_BASELINE_DAYS baseline days or no in-stock promotion day exist.
 */
export function observedLift(
  sales: readonly PromoSalesDay[],
  promo: PromotionPeriod,
  allPromos: readonly PromotionPeriod[],
): ObservedLift | null {
  if (sales.length === 0) return null;
  const byDay = new Map(sales.map((s) => [s.day, s]));
  const first = Math.min(...sales.map((s) => s.day));
  const last = Math.max(...sales.map((s) => s.day));
  const inAny = (d: number): boolean => allPromos.some((p) => d >= p.start && d <= p.end);
  const dayUnits = (d: number): number | null => {
    if (d < first || d > last) return null;
    const r = byDay.get(d);
    if (!r) return 0;
    return r.inStock ? r.units : null;
  };
  const base: number[] = [];
  for (let d = promo.start - BASELINE_DAYS; d < promo.start; d++) {
    const u = inAny(d) ? null : dayUnits(d);
    if (u !== null) base.push(u);
  }
  const during: number[] = [];
  let stockoutDays = 0;
  for (let d = promo.start; d <= promo.end; d++) {
    const r = byDay.get(d);
    if (r && !r.inStock) stockoutDays++;
    const u = dayUnits(d);
    if (u !== null) during.push(u);
  }
  if (base.length < MIN_BASELINE_DAYS || during.length === 0) return null;
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const b = mean(base);
  const p = mean(during);
  const sum = (a: number[]): number => a.reduce((x, v) => x + v, 0);
  return {
    variance: 1 / (sum(during) + COUNT_CORRECTION) + 1 / (sum(base) + COUNT_CORRECTION),
    logLift: Math.log((p + COUNT_CORRECTION) / (b + COUNT_CORRECTION)),
    promoMean: p,
    baselineMean: b,
    promoDays: during.length,
    baselineDays: base.length,
    stockoutDays,
  };
}

/** A measured past promotion as the estimator sees it. */
export interface LiftObservation {
  sku: string;
  /** Similar-SKU group (e.g. category); null = none. */
  group: string | null;
  type: PromotionType;
  /** Discount as a fraction 0–1 (0 when none was given). */
  depth: number;
  logLift: number;
  /** Count noise of logLift (ObservedLift.variance); 0 when unknown. */
  variance?: number;
}

/** The planned promotion to estimate. */
export interface PlannedPromotion {
  sku: string;
  group: string | null;
  type: PromotionType;
  depth: number;
}

export interface LiftEstimate {
  /** Expected lift as a fraction: E[ratio] − 1 = exp(ℓ̂ + V/2) − 1 (0.4 = +40 %). */
  lift: number;
  /** Median lift exp(ℓ̂) − 1. */
  medianLift: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  /** Predicted log-lift ℓ̂ and its predictive variance V. */
  logLift: number;
  variance: number;
  /** Past promotions used: the SKU's own, its group's (other SKUs), the rest of the workspace. */
  sameSku: number;
  sameGroup: number;
  workspace: number;
  /** The parts of ℓ̂ (step 4–7). */
  parts: { intercept: number; depthSlope: number; typeEffect: number; groupEffect: number; skuEffect: number };
  /** How much of the SKU's own mean residual was kept: n/(n + σ²/τ²). */
  skuWeight: number;
  sigma2: number;
  trueSigma2: number;
  degreesOfFreedom: number;
}

/** A SKU's history as the estimator reads it: its sales and its recorded promotions (past and planned). */
export interface SkuPromotionHistory {
  sku: string;
  group: string | null;
  sales: readonly PromoSalesDay[];
  promotions: readonly PromotionPeriod[];
}

/**
 * Step 3b: the measurable past promotions of every SKU as observations (observedLift), with the
 * discount as a fraction (0 when none was given). Promotions ending on or after `today` are not past.
 */
export function liftObservations(histories: readonly SkuPromotionHistory[], today: number): LiftObservation[] {
  const out: LiftObservation[] = [];
  for (const h of histories) {
    for (const p of h.promotions) {
      if (p.end >= today) continue;
      const o = observedLift(h.sales, p, h.promotions);
      if (o)
        out.push({ sku: h.sku, group: h.group, type: p.type, depth: (p.discountPct ?? 0) / 100, logLift: o.logLift, variance: o.variance });
    }
  }
  return out;
}

/**
 * Step 4: depth response ℓ = a + b·δ by least squares over all observations; b is kept only with
 * at least 4 observations and a discount spread (S_δδ > 0), and floored at 0 (a deeper discount does
 * not lower the lift); otherwise b = 0 and a = mean ℓ. Returns a, b, the mean depth and S_δδ.
 */
export function depthResponse(obs: readonly LiftObservation[]): { a: number; b: number; meanDepth: number; sxx: number } {
  const n = obs.length;
  const dBar = obs.reduce((s, o) => s + o.depth, 0) / n;
  const lBar = obs.reduce((s, o) => s + o.logLift, 0) / n;
  const sxx = obs.reduce((s, o) => s + (o.depth - dBar) ** 2, 0);
  if (n < 4 || sxx < 1e-9) return { a: lBar, b: 0, meanDepth: dBar, sxx };
  const sxy = obs.reduce((s, o) => s + (o.depth - dBar) * (o.logLift - lBar), 0);
  const b = Math.max(0, sxy / sxx);
  return { a: lBar - b * dBar, b, meanDepth: dBar, sxx };
}

/**
 * Step 5: residual variance with a conjugate prior, σ² = (ν₀σ₀² + SS)/(ν₀ + df), where SS is the
 * within-SKU sum of squares of the residuals and df = n − (number of SKUs) (Gelman et al. 2013,
 * "Bayesian Data Analysis", 3rd ed., §3.3, scaled-inverse-χ² prior). The spread of the promotions'
 * true lifts leaves out the count noise v_i of each measurement (a method-of-moments correction,
 * E[SS] = Σ (1 − 1/n_s)(σ_true² + v_i)): σ_true² = (ν₀σ₀² + max(0, SS − Σ (1 − 1/n_s)·v_i))/(ν₀ + df).
 */
export function residualVariance(
  res: readonly number[],
  skus: readonly string[],
  noise: readonly number[] = [],
): { sigma2: number; trueSigma2: number; df: number } {
  const by = groupMeans(res, skus);
  let ss = 0;
  let expectedNoise = 0;
  res.forEach((r, i) => {
    ss += (r - by.get(skus[i]!)!.mean) ** 2;
    expectedNoise += (1 - 1 / by.get(skus[i]!)!.n) * (noise[i] ?? 0);
  });
  const df = res.length - by.size;
  const prior = LIFT_PRIOR.weight * LIFT_PRIOR.sigma ** 2;
  return {
    sigma2: (prior + ss) / (LIFT_PRIOR.weight + df),
    trueSigma2: (prior + Math.max(0, ss - expectedNoise)) / (LIFT_PRIOR.weight + df),
    df,
  };
}

function groupMeans(values: readonly number[], keys: readonly string[]): Map<string, { mean: number; n: number }> {
  const acc = new Map<string, { sum: number; n: number }>();
  values.forEach((v, i) => {
    const a = acc.get(keys[i]!) ?? { sum: 0, n: 0 };
    a.sum += v;
    a.n++;
    acc.set(keys[i]!, a);
  });
  return new Map([...acc].map(([k, a]) => [k, { mean: a.sum / a.n, n: a.n }]));
}

/** A partially pooled effect: the shrunk mean of one key and its posterior variance. */
export interface PooledEffect {
  effect: number;
  weight: number;
  variance: number;
  n: number;
  tau2: number;
}

/**
 * Step 6: partial pooling of residuals by key. Between-key variance by moments,
 * τ² = max(0, s²(key means) − σ²·mean(1/n_k)) (needs ≥ 2 keys, else 0); the key's effect is its mean
 * residual × w, w = n/(n + σ²/τ²), with posterior variance 1/(n/σ² + 1/τ²) (τ² for an unseen key,
 * 0 when τ² = 0). Gelman & Hill (2007) §12.2.
 */
export function pooledEffect(res: readonly number[], keys: readonly string[], key: string, sigma2: number): PooledEffect {
  const by = groupMeans(res, keys);
  const means = [...by.values()];
  let tau2 = 0;
  if (means.length >= 2) {
    const mBar = means.reduce((s, g) => s + g.mean, 0) / means.length;
    const s2 = means.reduce((s, g) => s + (g.mean - mBar) ** 2, 0) / (means.length - 1);
    tau2 = Math.max(0, s2 - sigma2 * (means.reduce((s, g) => s + 1 / g.n, 0) / means.length));
  }
  const own = by.get(key);
  if (tau2 === 0) return { effect: 0, weight: 0, variance: 0, n: own?.n ?? 0, tau2 };
  if (!own) return { effect: 0, weight: 0, variance: tau2, n: 0, tau2 };
  const weight = own.n / (own.n + sigma2 / tau2);
  return { effect: own.mean * weight, weight, variance: 1 / (own.n / sigma2 + 1 / tau2), n: own.n, tau2 };
}

/**
 * Quantile of Student's t with ν degrees of freedom: exact for ν = 1, 2; Cornish–Fisher expansion
 * in 1/ν otherwise (Abramowitz & Stegun 1964, 26.7.5), within 1e-3 of the exact value for ν ≥ 3.
 */
export function tQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(nu >= 1)) throw new RangeError(`nu must be ≥ 1, got ${nu}`);
  if (nu === 1) return Math.tan(Math.PI * (p - 0.5));
  if (nu === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = PhiInv(p);
  const z2 = z * z;
  const g1 = ((z2 + 1) * z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}

/**
 * Steps 4–8: the lift of a planned promotion from past ones (null without any).
 *  4. depth response a + b·δ (depthResponse), residuals r_i = ℓ_i − a − b·δ_i;
 *  5. σ² of a measured lift and σ²_true of a promotion's true lift (residualVariance);
 *  6. type effect t_τ = pooled residual of the planned type (pooledEffect over types);
 *  7. group effect g (other SKUs' residuals after t, pooled over groups), then SKU effect u (residuals
 *     after t and g, pooled over SKUs);
 *  8. ℓ̂ = a + b·δ* + t + g + u; V = σ²_true + σ²(1/n + (δ* − δ̄)²/S_δδ) + Var t + Var g + Var u
 *     (the interval is for the planned promotion's true lift, not for a noisy measurement of it);
 *     interval exp(ℓ̂ ± t_{ν}(q)·√V) − 1 with ν = df + ν₀; lift = exp(ℓ̂ + V/2) − 1 (the mean ratio).
 */
export function estimateLift(obs: readonly LiftObservation[], planned: PlannedPromotion): LiftEstimate | null {
  if (obs.length === 0) return null;
  for (const [i, o] of obs.entries()) {
    if (!Number.isFinite(o.logLift)) throw new RangeError(`observations[${i}].logLift must be finite, got ${o.logLift}`);
    if (!(o.depth >= 0 && o.depth <= 1)) throw new RangeError(`observations[${i}].depth must be in [0, 1], got ${o.depth}`);
  }
  if (!(planned.depth >= 0 && planned.depth <= 1)) throw new RangeError(`planned.depth must be in [0, 1], got ${planned.depth}`);
  const n = obs.length;
  const fit = depthResponse(obs);
  const r0 = obs.map((o) => o.logLift - fit.a - fit.b * o.depth);
  const { sigma2, trueSigma2, df } = residualVariance(
    r0,
    obs.map((o) => o.sku),
    obs.map((o) => o.variance ?? 0),
  );
  const t = pooledEffect(
    r0,
    obs.map((o) => o.type),
    planned.type,
    sigma2,
  );
  const r1 = r0.map((r, i) => r - (obs[i]!.type === planned.type ? t.effect : 0));
  const groupKey = (o: { group: string | null; sku: string }): string => (o.group === null ? `sku:${o.sku}` : `group:${o.group}`);
  const g =
    planned.group === null
      ? { effect: 0, variance: 0, weight: 0, n: 0, tau2: 0 }
      : pooledEffect(r1, obs.map(groupKey), groupKey(planned), sigma2);
  const r2 = r1.map((r, i) => r - (groupKey(obs[i]!) === groupKey(planned) ? g.effect : 0));
  const u = pooledEffect(
    r2,
    obs.map((o) => o.sku),
    planned.sku,
    sigma2,
  );
  const logLift = fit.a + fit.b * planned.depth + t.effect + g.effect + u.effect;
  const fitVar = sigma2 * (1 / n + (fit.sxx > 1e-9 && fit.b > 0 ? (planned.depth - fit.meanDepth) ** 2 / fit.sxx : 0));
  const variance = trueSigma2 + fitVar + t.variance + g.variance + u.variance;
  const nu = Math.max(0, df) + LIFT_PRIOR.weight;
  const bound = (q: number): number => Math.exp(logLift + tQuantile(q, nu) * Math.sqrt(variance)) - 1;
  const sameSku = obs.filter((o) => o.sku === planned.sku).length;
  const sameGroup = planned.group === null ? 0 : obs.filter((o) => o.sku !== planned.sku && o.group === planned.group).length;
  return {
    lift: Math.exp(logLift + variance / 2) - 1,
    medianLift: Math.exp(logLift) - 1,
    lower80: bound(0.1),
    upper80: bound(0.9),
    lower95: bound(0.025),
    upper95: bound(0.975),
    logLift,
    variance,
    sameSku,
    sameGroup,
    workspace: n - sameSku - sameGroup,
    parts: { intercept: fit.a, depthSlope: fit.b, typeEffect: t.effect, groupEffect: g.effect, skuEffect: u.effect },
    skuWeight: u.weight,
    sigma2,
    trueSigma2,
    degreesOfFreedom: nu,
  };
}

/**
 * Step 9: forecast = baseline + planned lift. Each forecast day (epoch day firstDay + i) inside a
 * planned promotion gets value × (1 + lift) and its bounds × (1 + the lift's matching bound): the
 * baseline and the lift treated as one multiplicative factor each, both quantiles taken together
 * (a conservative combination, wider than independent errors would give); nesting 95 % ⊇ 80 % ∋ value kept.
 */
export function withPlannedLift<P extends { value: number; lower80: number; upper80: number; lower95: number; upper95: number }>(
  points: readonly P[],
  firstDay: number,
  planned: readonly { start: number; end: number; estimate: LiftEstimate }[],
): P[] {
  return points.map((p, i) => {
    const day = firstDay + i;
    const hit = planned.find((q) => day >= q.start && day <= q.end);
    if (!hit) return p;
    const e = hit.estimate;
    const value = p.value * (1 + e.lift);
    const lower80 = Math.min(value, p.lower80 * (1 + e.lower80));
    const upper80 = Math.max(value, p.upper80 * (1 + e.upper80));
    return {
      ...p,
      value,
      lower80,
      upper80,
      lower95: Math.min(lower80, p.lower95 * (1 + e.lower95)),
      upper95: Math.max(upper80, p.upper95 * (1 + e.upper95)),
    };
  });
}
