/**
 * Stochastic inventory policies from Snyder & Shen, FoSCT ch. 4–5 (conventions of stockpyl, whose
 * examples are our golden vectors): newsvendor / base stock, (r, Q) exact cost and its
 * approximations, Poisson (r, Q) and (s, S) exact algorithms, the (s, S) power approximation, and
 * Wagner–Whitin dynamic lot sizing. h and p are per unit per period; K per order.
 */
import { Explainer, type Explanation } from '../explain';
import { PhiInv, normalLoss, normalSecondLoss, poissonF, poissonLoss, poissonP, stdNormalLossInverse } from '../stats/normal';
import { finite, integer, nonNegative, positive } from './validate';

interface CostParams {
  holdingCost: number;
  stockoutCost: number;
}

function costParams(i: CostParams): { h: number; p: number } {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  return { h: positive('holdingCost', i.holdingCost), p: positive('stockoutCost', i.stockoutCost) };
}

// ——— Newsvendor / base stock ———————————————————————————————————————————————

/** Newsvendor cost g(S) = h·n̄(S) + p·n(S) for normal demand. */
export function newsvendorNormalCost(
  baseStock: number,
  i: CostParams & { demandMean: number; demandSd: number; leadTime?: number },
): number {
  const { h, p } = costParams(i);
  const S = finite('baseStock', baseStock);
  const { mean, sd } = protectionDemand(i);
  const { n, nBar } = normalLoss(S, mean, sd);
  return h * nBar + p * n;
}

/** Demand over the protection interval of a periodic base-stock policy: L + 1 periods. */
function protectionDemand(i: { demandMean: number; demandSd: number; leadTime?: number }): { mean: number; sd: number } {
  const mu = nonNegative('demandMean', i.demandMean);
  const sd = nonNegative('demandSd', i.demandSd);
  const L = i.leadTime === undefined ? 0 : nonNegative('leadTime', i.leadTime);
  return { mean: mu * (L + 1), sd: sd * Math.sqrt(L + 1) };
}

export interface NewsvendorResult {
  baseStock: number;
  cost: number;
  criticalRatio: number;
  explanation: Explanation;
}

/**
 * Normal newsvendor S* = μ + σ·Φ⁻¹(p/(p + h)), cost (h + p)·σ·φ(z). With a lead time L (periodic
 * review base stock) the protection interval is L + 1 periods: μ(L + 1), σ√(L + 1).
 */
export function newsvendorNormal(i: CostParams & { demandMean: number; demandSd: number; leadTime?: number }): NewsvendorResult {
  const { h, p } = costParams(i);
  const { mean, sd } = protectionDemand(i);
  const criticalRatio = p / (p + h);
  const z = PhiInv(criticalRatio);
  const baseStock = mean + z * sd;
  const cost = newsvendorNormalCost(baseStock, i);
  const explanation = new Explainer('S* = μ + σ·Φ⁻¹(p/(p+h)); g(S) = h·n̄(S) + p·n(S)', {
    holdingCost: h,
    stockoutCost: p,
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTime: i.leadTime ?? 0,
  })
    .step('critical ratio p/(p+h)', criticalRatio)
    .step('protection-interval mean', mean)
    .step('protection-interval sd', sd)
    .step('z', z)
    .step('S*', baseStock)
    .step('expected cost', cost)
    .build();
  return { baseStock, cost, criticalRatio, explanation };
}

/** Poisson newsvendor cost g(S) = h·n̄(S) + p·n(S). */
export function newsvendorPoissonCost(baseStock: number, i: CostParams & { demandMean: number }): number {
  const { h, p } = costParams(i);
  const { n, nBar } = poissonLoss(finite('baseStock', baseStock), nonNegative('demandMean', i.demandMean));
  return h * nBar + p * n;
}

/** Poisson newsvendor: the smallest integer S with F(S) ≥ p/(p + h). */
export function newsvendorPoisson(i: CostParams & { demandMean: number }): NewsvendorResult {
  const { h, p } = costParams(i);
  const mu = nonNegative('demandMean', i.demandMean);
  const criticalRatio = p / (p + h);
  const baseStock = poissonQuantile(criticalRatio, mu);
  const cost = newsvendorPoissonCost(baseStock, i);
  const explanation = new Explainer('S* = min{S : F(S) ≥ p/(p+h)}, Poisson demand; g(S) = h·n̄(S) + p·n(S)', {
    holdingCost: h,
    stockoutCost: p,
    demandMean: mu,
  })
    .step('critical ratio', criticalRatio)
    .step('S*', baseStock)
    .step('expected cost', cost)
    .build();
  return { baseStock, cost, criticalRatio, explanation };
}

function poissonQuantile(alpha: number, mu: number): number {
  let S = 0;
  while (poissonF(S, mu) < alpha) S += 1;
  return S;
}

// ——— (r, Q), normal demand ————————————————————————————————————————————————

export interface RqParams extends CostParams {
  /** K per order. */
  orderCost: number;
  /** Mean demand per unit time (λ). */
  demandMean: number;
  /** Sd of demand per unit time (τ). */
  demandSd: number;
  /** Lead time in the same time unit. */
  leadTime: number;
}

function rqParams(i: RqParams) {
  const { h, p } = costParams(i);
  const K = positive('orderCost', i.orderCost);
  const lam = nonNegative('demandMean', i.demandMean);
  const tau = nonNegative('demandSd', i.demandSd);
  const L = nonNegative('leadTime', i.leadTime);
  return { h, p, K, lam, mu: lam * L, sigma: tau * Math.sqrt(L) };
}

/**
 * Exact (r, Q) cost g(r, Q) = (Kλ + ∫_r^{r+Q} g(y) dy)/Q, integrated in closed form:
 * ∫ g = (h + p)·[n²(r) − n²(r + Q)] + h·[(r + Q − μ)² − (r − μ)²]/2, since n̄(y) = (y − μ) + n(y)
 * and d n²(y)/dy = −n(y).
 */
export function rqCost(i: Omit<RqParams, 'orderCost'> & { orderCost: number; reorderPoint: number; orderQuantity: number }): number {
  const { h, p, K, lam, mu, sigma } = rqParams(i);
  const r = finite('reorderPoint', i.reorderPoint);
  const Q = positive('orderQuantity', i.orderQuantity);
  const integral =
    (h + p) * (normalSecondLoss(r, mu, sigma) - normalSecondLoss(r + Q, mu, sigma)) + (h * ((r + Q - mu) ** 2 - (r - mu) ** 2)) / 2;
  return (K * lam + integral) / Q;
}

/** Optimal r for a given Q: the r with g(r) = g(r + Q) (g convex, so a bisection is exact). */
export function rqOptimalReorderPoint(i: Omit<RqParams, 'orderCost'> & { orderQuantity: number }): number {
  const { h, p } = costParams(i);
  const Q = positive('orderQuantity', i.orderQuantity);
  const lam = nonNegative('demandMean', i.demandMean);
  const tau = nonNegative('demandSd', i.demandSd);
  const L = nonNegative('leadTime', i.leadTime);
  const mu = lam * L;
  const sigma = tau * Math.sqrt(L);
  const g = (y: number) => {
    const { n, nBar } = normalLoss(y, mu, sigma);
    return h * nBar + p * n;
  };
  const Sstar = sigma > 0 ? mu + sigma * PhiInv(p / (p + h)) : mu;
  // g(r) − g(r + Q) is non-increasing in r; it is ≥ 0 at S* − Q and ≤ 0 at S*.
  let lo = Sstar - Q;
  let hi = Sstar;
  for (let k = 0; k < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(hi)); k++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) - g(mid + Q) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface RqResult {
  reorderPoint: number;
  orderQuantity: number;
  /** Cost the method reports (approximate for EIL); `exactCost` is the true g(r, Q). */
  cost: number | null;
  exactCost: number;
  method: 'EIL' | 'EOQB' | 'EOQ+SS' | 'LOSS_FUNCTION';
  iterations: number;
  explanation: Explanation;
}

const RQ_MAX_ITER = 10_000;
const RQ_TOL = 1e-10;

/**
 * Expected-inventory-level approximation (Hadley–Whitin), iterated from Q = EOQ:
 * r = F⁻¹(1 − Qh/(pλ)), Q = √(2λ(K + p·n(r))/h); cost h(r − λL + Q/2) + Kλ/Q + pλ·n(r)/Q.
 */
export function rqEil(i: RqParams): RqResult {
  const { h, p, K, lam, mu, sigma } = rqParams(i);
  if (!(lam > 0)) throw new RangeError(`demandMean must be > 0, got ${lam}`);
  let Q = Math.sqrt((2 * K * lam) / h);
  let r = 0;
  let it = 0;
  for (; it < RQ_MAX_ITER; it++) {
    const tail = 1 - (Q * h) / (p * lam);
    if (!(tail > 0)) throw new RangeError('stockoutCost is too small relative to holdingCost for the EIL approximation (Qh ≥ pλ)');
    const rNew = sigma > 0 ? mu + sigma * PhiInv(tail) : mu;
    const QNew = Math.sqrt((2 * lam * (K + p * normalLoss(rNew, mu, sigma).n)) / h);
    const done = Math.abs(QNew - Q) <= RQ_TOL && Math.abs(rNew - r) <= RQ_TOL;
    Q = QNew;
    r = rNew;
    if (done) break;
  }
  const n = normalLoss(r, mu, sigma).n;
  const cost = h * (r - mu + Q / 2) + (K * lam) / Q + (p * lam * n) / Q;
  return rqResult('EIL', r, Q, cost, it + 1, i, 'r = F⁻¹(1 − Qh/(pλ)), Q = √(2λ(K + p·n(r))/h), iterated from Q = EOQ');
}

/** EOQ-with-backorders approximation: Q = √(2Kλ(h + p)/(hp)), then r with g(r) = g(r + Q). */
export function rqEoqb(i: RqParams): RqResult {
  const { h, p, K, lam } = rqParams(i);
  const Q = Math.sqrt((2 * K * lam * (h + p)) / (h * p));
  const r = rqOptimalReorderPoint({ ...i, orderQuantity: Q });
  return rqResult('EOQB', r, Q, null, 1, i, 'Q = √(2Kλ(h+p)/(hp)); r solves g(r) = g(r+Q)');
}

/** EOQ plus safety stock: Q = EOQ, r = newsvendor level μ + σ·Φ⁻¹(p/(p + h)) on lead-time demand. */
export function rqEoqSs(i: RqParams): RqResult {
  const { h, p, K, lam, mu, sigma } = rqParams(i);
  const Q = Math.sqrt((2 * K * lam) / h);
  const r = mu + sigma * PhiInv(p / (p + h));
  return rqResult('EOQ+SS', r, Q, null, 1, i, 'Q = √(2Kλ/h); r = μ_L + σ_L·Φ⁻¹(p/(p+h))');
}

/**
 * Loss-function approximation (Hadley–Whitin), iterated from Q = EOQ:
 * n(r) = hQ/(h + p), Q = √(2(Kλ + (h + p)·n²(r))/h).
 */
export function rqLossFunction(i: RqParams): RqResult {
  const { h, p, K, lam, mu, sigma } = rqParams(i);
  if (!(sigma > 0)) throw new RangeError('demandSd and leadTime must be > 0 for the loss-function approximation');
  let Q = Math.sqrt((2 * K * lam) / h);
  let r = 0;
  let it = 0;
  for (; it < RQ_MAX_ITER; it++) {
    const rNew = mu + sigma * stdNormalLossInverse((h * Q) / ((h + p) * sigma));
    const QNew = Math.sqrt((2 * (K * lam + (h + p) * normalSecondLoss(rNew, mu, sigma))) / h);
    const done = Math.abs(QNew - Q) <= RQ_TOL && Math.abs(rNew - r) <= RQ_TOL;
    Q = QNew;
    r = rNew;
    if (done) break;
  }
  return rqResult('LOSS_FUNCTION', r, Q, null, it + 1, i, 'n(r) = hQ/(h+p), Q = √(2(Kλ + (h+p)·n²(r))/h), iterated from Q = EOQ');
}

function rqResult(
  method: RqResult['method'],
  r: number,
  Q: number,
  cost: number | null,
  iterations: number,
  i: RqParams,
  formula: string,
): RqResult {
  const exactCost = rqCost({ ...i, reorderPoint: r, orderQuantity: Q });
  const ex = new Explainer(`(r, Q) ${method}: ${formula}`, {
    holdingCost: i.holdingCost,
    stockoutCost: i.stockoutCost,
    orderCost: i.orderCost,
    demandMean: i.demandMean,
    demandSd: i.demandSd,
    leadTime: i.leadTime,
  })
    .step('lead-time demand mean λL', i.demandMean * i.leadTime)
    .step('lead-time demand sd τ√L', i.demandSd * Math.sqrt(i.leadTime))
    .step('r', r)
    .step('Q', Q)
    .step('iterations', iterations);
  if (cost !== null) ex.step('approximate cost', cost);
  ex.step('exact cost g(r, Q)', exactCost);
  return { reorderPoint: r, orderQuantity: Q, cost, exactCost, method, iterations, explanation: ex.build() };
}

// ——— (r, Q), Poisson demand ———————————————————————————————————————————————

export interface DiscretePolicyResult {
  reorderPoint: number;
  orderQuantity: number;
  cost: number;
  explanation: Explanation;
}

/**
 * Optimal integer (r, Q) for Poisson demand (Federgruen & Zheng 1992): start from the newsvendor
 * level, grow the set {r+1, …, r+Q} one level at a time by the cheaper neighbour, and stop when
 * the average cost would rise.
 */
export function rqPoissonExact(i: CostParams & { orderCost: number; demandMean: number; leadTime: number }): DiscretePolicyResult {
  const { h, p } = costParams(i);
  const K = positive('orderCost', i.orderCost);
  const lam = nonNegative('demandMean', i.demandMean);
  const mu = lam * nonNegative('leadTime', i.leadTime);
  const g = (y: number) => newsvendorPoissonCost(y, { holdingCost: h, stockoutCost: p, demandMean: mu });
  const S = poissonQuantile(p / (p + h), mu);
  let r = S - 1;
  let Q = 1;
  let sum = K * lam + g(S);
  let cost = sum;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const below = g(r);
    const above = g(r + Q + 1);
    const add = below < above ? below : above;
    const next = (sum + add) / (Q + 1);
    if (next > cost) break;
    if (below < above) r -= 1;
    sum += add;
    Q += 1;
    cost = next;
  }
  const explanation = new Explainer('Federgruen–Zheng: g(r,Q) = (Kλ + Σ_{y=r+1}^{r+Q} g(y))/Q, Poisson lead-time demand', {
    holdingCost: h,
    stockoutCost: p,
    orderCost: K,
    demandMean: lam,
    leadTime: i.leadTime,
  })
    .step('lead-time demand mean', mu)
    .step('newsvendor level S*', S)
    .step('r', r)
    .step('Q', Q)
    .step('cost', cost)
    .build();
  return { reorderPoint: r, orderQuantity: Q, cost, explanation };
}

// ——— (s, S), periodic review ——————————————————————————————————————————————

const SS_MAX_SPAN = 20_000;

/** Renewal quantities for Poisson demand, extended on demand (m(j), M(j) of Zheng–Federgruen). */
class Renewal {
  private readonly pmf: number[] = [];
  readonly m: number[] = [];
  readonly M: number[] = [0];
  constructor(private readonly mu: number) {
    const p0 = poissonP(0, mu);
    if (!(p0 < 1)) throw new RangeError('demandMean must be > 0 for an (s, S) policy');
    this.pmf.push(p0);
  }
  ensure(n: number): void {
    if (n > SS_MAX_SPAN) throw new RangeError(`S − s exceeds ${SS_MAX_SPAN}; demand is too large for the exact discrete algorithm`);
    while (this.m.length < n) {
      const j = this.m.length;
      while (this.pmf.length <= j) this.pmf.push(poissonP(this.pmf.length, this.mu));
      let v: number;
      if (j === 0) v = 1 / (1 - this.pmf[0]);
      else {
        let acc = 0;
        for (let l = 1; l <= j; l++) acc += this.pmf[l] * this.m[j - l];
        v = acc / (1 - this.pmf[0]);
      }
      this.m.push(v);
      this.M.push(this.M[this.M.length - 1] + v);
    }
  }
}

/** c(s, S) = (K + Σ_{d=0}^{S−s−1} m(d)·g(S − d)) / M(S − s), zero lead time, Poisson demand per period. */
export function sSCostPoisson(i: CostParams & { orderCost: number; demandMean: number; reorderPoint: number; orderUpTo: number }): number {
  const { h, p } = costParams(i);
  const K = positive('orderCost', i.orderCost);
  const mu = positive('demandMean', i.demandMean);
  const s = integer('reorderPoint', i.reorderPoint);
  const S = integer('orderUpTo', i.orderUpTo);
  if (!(S > s)) throw new RangeError(`orderUpTo must exceed reorderPoint (${s}), got ${S}`);
  const ren = new Renewal(mu);
  const g = (y: number) => newsvendorPoissonCost(y, { holdingCost: h, stockoutCost: p, demandMean: mu });
  return sSCostWith(ren, g, K, s, S);
}

function sSCostWith(ren: Renewal, g: (y: number) => number, K: number, s: number, S: number): number {
  ren.ensure(S - s);
  let acc = K;
  for (let d = 0; d < S - s; d++) acc += ren.m[d] * g(S - d);
  return acc / ren.M[S - s];
}

export interface SSResult {
  reorderPoint: number;
  orderUpTo: number;
  cost: number | null;
  explanation: Explanation;
}

/** Optimal (s, S) for Poisson demand per period, zero lead time (Zheng & Federgruen 1991). */
export function sSPoissonExact(i: CostParams & { orderCost: number; demandMean: number }): SSResult {
  const { h, p } = costParams(i);
  const K = positive('orderCost', i.orderCost);
  const mu = positive('demandMean', i.demandMean);
  const ren = new Renewal(mu);
  const gCache = new Map<number, number>();
  const g = (y: number) => {
    let v = gCache.get(y);
    if (v === undefined) {
      v = newsvendorPoissonCost(y, { holdingCost: h, stockoutCost: p, demandMean: mu });
      gCache.set(y, v);
    }
    return v;
  };
  const c = (s: number, S: number) => sSCostWith(ren, g, K, s, S);

  const yStar = poissonQuantile(p / (p + h), mu);
  // s(S0): lower s until ordering up to S0 is no worse than holding at s.
  let s = yStar;
  do s -= 1;
  while (c(s, yStar) > g(s));
  let sHat = s;
  let SHat = yStar;
  let cHat = c(sHat, SHat);
  for (let S = SHat + 1; g(S) <= cHat; S++) {
    if (c(s, S) < cHat) {
      SHat = S;
      while (c(s, SHat) <= g(s + 1)) s += 1;
      sHat = s;
      cHat = c(sHat, SHat);
    }
  }
  const explanation = new Explainer('Zheng–Federgruen: c(s,S) = (K + Σ_{d=0}^{S−s−1} m(d)·g(S−d)) / M(S−s)', {
    holdingCost: h,
    stockoutCost: p,
    orderCost: K,
    demandMean: mu,
  })
    .step('newsvendor level y*', yStar)
    .step('s', sHat)
    .step('S', SHat)
    .step('cost per period', cHat)
    .build();
  return { reorderPoint: sHat, orderUpTo: SHat, cost: cHat, explanation };
}

/**
 * Ehrhardt–Mosier (1984) power approximation for normal demand, zero lead time:
 * Q = 1.30·μ^0.494·(K/h)^0.506·(1 + σ²/μ²)^0.116, z = √(Q·h/(σ·p)),
 * s = 0.973·μ + σ·(0.183/z + 1.063 − 2.192·z), S = s + Q (no newsvendor cap, as in FoSCT).
 */
export function sSPowerApproximation(
  i: CostParams & { orderCost: number; demandMean: number; demandSd: number },
): SSResult & { orderQuantity: number; z: number } {
  const { h, p } = costParams(i);
  const K = positive('orderCost', i.orderCost);
  const mu = positive('demandMean', i.demandMean);
  const sd = positive('demandSd', i.demandSd);
  const Q = 1.3 * mu ** 0.494 * (K / h) ** 0.506 * (1 + (sd / mu) ** 2) ** 0.116;
  const z = Math.sqrt((Q / sd) * (h / p));
  const s = 0.973 * mu + sd * (0.183 / z + 1.063 - 2.192 * z);
  const S = s + Q;
  const explanation = new Explainer(
    'Power approximation: Q = 1.30μ^0.494(K/h)^0.506(1+σ²/μ²)^0.116; s = 0.973μ + σ(0.183/z + 1.063 − 2.192z)',
    {
      holdingCost: h,
      stockoutCost: p,
      orderCost: K,
      demandMean: mu,
      demandSd: sd,
    },
  )
    .step('Q', Q)
    .step('z', z)
    .step('s', s)
    .step('S', S)
    .note('Ehrhardt–Mosier also suggest capping s and S at the newsvendor level when Q/μ ≤ 1.5; this follows FoSCT and does not.')
    .build();
  return { reorderPoint: s, orderUpTo: S, orderQuantity: Q, z, cost: null, explanation };
}

// ——— Wagner–Whitin ——————————————————————————————————————————————————————

export interface WagnerWhitinResult {
  /** Order quantity per period (index 0 = first period). */
  orders: number[];
  cost: number;
  explanation: Explanation;
}

/**
 * Wagner–Whitin dynamic lot sizing: θ(t) = min_{s ≤ t} θ(s − 1) + K·[demand in s..t > 0] +
 * h·Σ_{j=s}^{t} (j − s)·d_j, holding charged on ending inventory per period.
 */
export function wagnerWhitin(i: { demand: number[]; orderCost: number; holdingCost: number }): WagnerWhitinResult {
  if (typeof i !== 'object' || i === null) throw new TypeError('input must be an object');
  if (!Array.isArray(i.demand) || i.demand.length === 0) throw new TypeError('demand must be a non-empty array');
  const d = i.demand.map((v, k) => nonNegative(`demand[${k}]`, v));
  const K = nonNegative('orderCost', i.orderCost);
  const h = nonNegative('holdingCost', i.holdingCost);
  const T = d.length;
  const theta = new Array<number>(T + 1).fill(Infinity);
  const from = new Array<number>(T + 1).fill(0);
  theta[0] = 0;
  for (let t = 1; t <= T; t++) {
    let hold = 0;
    let qty = 0;
    // s = period of the order (1-based) covering s..t; walk s downwards accumulating holding.
    for (let s = t; s >= 1; s--) {
      // Ordering one period earlier holds everything already covered one period longer.
      hold += h * qty;
      qty += d[s - 1];
      const v = theta[s - 1] + (qty > 0 ? K : 0) + hold;
      if (v < theta[t]) {
        theta[t] = v;
        from[t] = s;
      }
    }
  }
  const orders = new Array<number>(T).fill(0);
  for (let t = T; t >= 1;) {
    const s = from[t];
    let q = 0;
    for (let j = s; j <= t; j++) q += d[j - 1];
    orders[s - 1] = q;
    t = s - 1;
  }
  const ex = new Explainer('Wagner–Whitin: θ(t) = min_s θ(s−1) + K + h·Σ_{j=s}^{t}(j−s)·d_j', { orderCost: K, holdingCost: h });
  d.forEach((v, k) => ex.input(`demand[${k}]`, v));
  orders.forEach((q, k) => ex.step(`order in period ${k + 1}`, q));
  ex.step('total cost', theta[T]);
  return { orders, cost: theta[T], explanation: ex.build() };
}
