/**
 * Deterministic, labelled competitor scenarios: snapshots as a capture tool would record them plus
 * the ground truth behind them (deals with their true sell-out minute, restocks, stockout windows,
 * flaps). Feeds the detection benchmark (bench/detect.ts), the unit tests and the server's demo
 * workspace. Same seed, same scenarios (core/random.ts).
 *
 * The simulation runs minute by minute per competitor:
 *  - ordinary demand: Poisson with a diurnal cycle (peak mid-afternoon), price elasticity 1.5,
 *    lifts for flag deals (DOTD ×4, BEST_DEAL ×2, PRICE_DROP ×1.6, COUPON ×1.3);
 *  - replenishment: reorder point with random lead times, late deliveries (multi-day stockouts),
 *    deliveries arriving in 1–3 tranches within ~3 h;
 *  - lightning deals: quantity 20–2000, drain r(t) = r0·e^(−kt) (front-loaded), constant, or
 *    accelerating; some sell out, some expire; plateaus (claims freeze); batch releases mid-deal;
 *    announcements (UPCOMING with dealStartsAt); the badge stays at 100 % after a sell-out or not;
 *    sellers stock up before a deal;
 *  - display: cart reservations make shown stock wobble by a few units, returned units make stock
 *    flap 0 ↔ 1 during stockouts, sources cap stock ("10+", "999+"), % claimed is floored, and
 *    1.5 % of live-deal captures miss the deal badge;
 *  - captures every 5–60 min by tier with jitter, random drops, outages of hours, null stock,
 *    and some competitors whose captures stop before the end (stale).
 */
import { createRng, type Rng } from '../random';
import { DAY_MS, type DealType, HOUR_MS, type SnapshotPoint } from '../series/types';
import type {
  CompetitorMeta,
  Scenario,
  ScenarioOptions,
  ScenarioSet,
  Tier,
  TrueDeal,
  TrueDealShape,
  TrueFlap,
  TrueRestock,
  TrueStockout,
} from './types';

const MIN_MS = 60_000;

const BRANDS = [
  'Anker',
  'Lumora',
  'Kitchenix',
  'Voltaic',
  'PureNest',
  'Trailhaus',
  'Zephyra',
  'Brightly',
  'Oakmere',
  'Nordvik',
  'Pawsome',
  'Glacio',
  'Hearthly',
  'Sunfield',
  'Quillon',
  'Mistral',
];
const NOUNS = [
  'USB-C Charger',
  'Air Fryer',
  'Yoga Mat',
  'LED Desk Lamp',
  'Water Bottle',
  'Bluetooth Speaker',
  'Dog Harness',
  'Coffee Grinder',
  'Phone Case',
  'Camping Lantern',
  'Electric Toothbrush',
  'Knife Set',
  'Backpack',
  'Wireless Earbuds',
  'Humidifier',
  'Resistance Bands',
];
const ADJ = ['Pro', 'Max', 'Mini', 'Plus', 'Lite', 'XL', '2-Pack', 'Gen 2', 'Ultra', 'Compact'];
const MARKETS: [string, number][] = [
  ['US', 0.5],
  ['DE', 0.15],
  ['UK', 0.15],
  ['JP', 0.1],
  ['FR', 0.1],
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function mix(seed: number, i: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function uniform(rng: Rng, a: number, b: number): number {
  return a + (b - a) * rng.next();
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)];
}

function weighted<T>(rng: Rng, xs: readonly [T, number][]): T {
  const u = rng.next();
  let acc = 0;
  for (const [x, w] of xs) {
    acc += w;
    if (u < acc) return x;
  }
  return xs[xs.length - 1][0];
}

/** Poisson draw: inversion for small means, normal approximation for large ones. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  let k = 0;
  let p = Math.exp(-lambda);
  let f = p;
  const u = rng.next();
  while (u > f && k < 1000) {
    k++;
    p *= lambda / k;
    f += p;
  }
  return k;
}

interface PlannedDeal {
  truth: TrueDeal;
  shown: boolean;
  batchAt: number | null;
  batchFraction: number;
  /** Units claimed so far and the current deal quantity (grows with a batch release). */
  sold: number;
  q: number;
  live: boolean;
  done: boolean;
  prepped: boolean;
  lift: number;
}

interface Order {
  tranches: { at: number; qty: number }[];
  total: number;
  record: TrueRestock | null;
}

function validate(opts: ScenarioOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object');
  if (!Number.isInteger(opts.seed)) throw new TypeError(`seed must be an integer, got ${String(opts.seed)}`);
  if (!Number.isInteger(opts.competitors) || opts.competitors < 1)
    throw new RangeError(`competitors must be an integer ≥ 1, got ${opts.competitors}`);
  if (!(opts.days >= 1) || opts.days > 365) throw new RangeError(`days must be in [1, 365], got ${opts.days}`);
  if (!Number.isFinite(opts.start)) throw new TypeError(`start must be epoch ms, got ${String(opts.start)}`);
}

export function generateScenarios(opts: ScenarioOptions): ScenarioSet {
  validate(opts);
  const now = opts.start + Math.round(opts.days * DAY_MS);
  const scenarios: Scenario[] = [];
  const usedAsins = new Set<string>();
  for (let i = 0; i < opts.competitors; i++) {
    const rng = createRng(mix(opts.seed, i));
    scenarios.push(simulateCompetitor(rng, i, opts.start, now, usedAsins));
  }
  return { seed: opts.seed, start: opts.start, now, scenarios };
}

function makeMeta(rng: Rng, i: number, usedAsins: Set<string>): CompetitorMeta {
  const tier = weighted<Tier>(rng, [
    ['CORE', 0.25],
    ['GENERAL', 0.45],
    ['POTENTIAL', 0.3],
  ]);
  const interval = tier === 'CORE' ? pick(rng, [5, 10, 15]) : tier === 'GENERAL' ? pick(rng, [15, 20, 30]) : pick(rng, [30, 45, 60]);
  const D = Math.min(600, Math.max(2, 25 * Math.exp(0.9 * rng.normal())));
  const capKind = rng.next();
  // Big sellers hide behind "999+" more often; a few sources cap at 10 like Keepa's offer counts.
  const stockCap = capKind < 0.08 ? 10 : capKind < 0.08 + (D > 40 ? 0.45 : 0.15) ? 999 : null;
  let asin: string;
  do {
    asin = 'B0';
    for (let k = 0; k < 8; k++) asin += ALNUM[Math.floor(rng.next() * ALNUM.length)];
  } while (usedAsins.has(asin));
  usedAsins.add(asin);
  const brand = pick(rng, BRANDS);
  return {
    asin,
    title: `${brand} ${pick(rng, NOUNS)} ${pick(rng, ADJ)}`,
    brand,
    tier,
    marketplace: weighted(rng, MARKETS),
    captureIntervalMinutes: interval,
    stockCap,
    source: stockCap === 10 ? 'keepa' : stockCap === 999 ? 'helium10' : 'scraper',
    dealQuantityShown: rng.next() < 0.75,
    baseDailyDemand: Math.round(D * 10) / 10,
    basePrice: Math.round(uniform(rng, 9, 90) * 100) / 100 - 0.01,
  };
}

/** A deal slot aligned to 30 minutes, uniformly in [lo, hi]. */
function slot(rng: Rng, lo: number, hi: number): number {
  return Math.round((lo + rng.next() * Math.max(0, hi - lo)) / (30 * MIN_MS)) * 30 * MIN_MS;
}

/** True when [s, e] keeps at least `pad` away from every taken interval. */
function isFree(taken: readonly { s: number; e: number }[], s: number, e: number, pad: number): boolean {
  return taken.every((t) => e + pad <= t.s || s >= t.e + pad);
}

/**
 * A lightning deal starting at `startAt` for `durH` hours: quantity 20–2000 (35 % small, 25 %
 * medium, 40 % large), drain DECAY r0·e^(−kt) with kE in [1.2, 5] and total demand r0/k of
 * 0.5–2.5 × Q, else CONSTANT or ACCELERATING at 0.4–2.2 × Q over the deal; 20 % get a plateau,
 * 15 % a batch release, 70 % keep their badge after a sell-out.
 */
function lightningDeal(rng: Rng, meta: CompetitorMeta, startAt: number, durH: number, announced: boolean): PlannedDeal {
  const size = rng.next();
  const Q = size < 0.35 ? rng.int(20, 90) : size < 0.6 ? rng.int(100, 299) : rng.int(300, 2000);
  const shape = weighted<TrueDealShape>(rng, [
    ['DECAY', 0.5],
    ['CONSTANT', 0.38],
    ['ACCELERATING', 0.12],
  ]);
  let r0: number;
  let k = 0;
  if (shape === 'DECAY') {
    k = uniform(rng, 1.2, 5) / durH;
    r0 = uniform(rng, 0.5, 2.5) * Q * k;
  } else {
    r0 = (uniform(rng, 0.4, 2.2) * Q) / durH;
  }
  const plateaus: { start: number; end: number }[] = [];
  if (rng.next() < 0.2) {
    const ps = startAt + uniform(rng, 0.15, 0.7) * durH * HOUR_MS;
    plateaus.push({ start: Math.round(ps / MIN_MS) * MIN_MS, end: Math.round((ps + uniform(rng, 40, 150) * MIN_MS) / MIN_MS) * MIN_MS });
  }
  const batch = rng.next() < 0.15;
  const discount = Math.round((Q >= 300 ? uniform(rng, 0.2, 0.55) : uniform(rng, 0.1, 0.35)) * 100) / 100;
  const truth: TrueDeal = {
    type: 'LIGHTNING',
    announcedAt: announced ? startAt - Math.round(uniform(rng, 2, 12) * 2) * 30 * MIN_MS : null,
    startAt,
    scheduledEndAt: startAt + durH * HOUR_MS,
    quantity: Q,
    finalQuantity: Q,
    batches: [],
    soldOutAt: null,
    endedAt: null,
    status: 'EXPIRED',
    unitsSold: 0,
    shape,
    r0,
    k,
    plateaus,
    discount,
    badgeStaysAfterSellOut: rng.next() < 0.7,
  };
  return {
    truth,
    shown: meta.dealQuantityShown,
    batchAt: batch ? startAt + uniform(rng, 0.3, 0.7) * durH * HOUR_MS : null,
    batchFraction: uniform(rng, 0.3, 1.0),
    sold: 0,
    q: Q,
    live: false,
    done: false,
    prepped: false,
    lift: 1,
  };
}

/** With 10 % a deal live at `now`, with 5 % one announced and starting soon, so that LIVE and UPCOMING appear. */
function forcedDeal(rng: Rng, meta: CompetitorMeta, now: number, days: number): PlannedDeal | null {
  const u = rng.next();
  if (u < 0.1 && days >= 3) {
    const durH = rng.int(8, 24) / 2;
    const s = Math.round((now - uniform(rng, 0.2, 0.8) * durH * HOUR_MS) / MIN_MS) * MIN_MS;
    return lightningDeal(rng, meta, s, durH, rng.next() < 0.5);
  }
  if (u < 0.15 && days >= 3) {
    const durH = rng.int(8, 24) / 2;
    const s = Math.round((now + uniform(rng, 1, 6) * HOUR_MS) / (30 * MIN_MS)) * 30 * MIN_MS;
    const d = lightningDeal(rng, meta, s, durH, true);
    d.truth.announcedAt = Math.min(d.truth.announcedAt as number, now - 2 * HOUR_MS);
    return d;
  }
  return null;
}

/** Flag deals (no quantity or % claimed): with 40 % one or two, a price cut and a demand lift for a while. */
function flagDeals(rng: Rng, start: number, now: number, taken: { s: number; e: number }[]): PlannedDeal[] {
  const deals: PlannedDeal[] = [];
  if (!(rng.next() < 0.4)) return deals;
  const m = rng.int(1, 2);
  for (let j = 0; j < m; j++) {
    const type = pick<DealType>(rng, ['DEAL_OF_THE_DAY', 'BEST_DEAL', 'COUPON', 'PRICE_DROP']);
    const durH =
      type === 'DEAL_OF_THE_DAY'
        ? 24
        : type === 'BEST_DEAL'
          ? rng.int(3, 5) * 24
          : type === 'COUPON'
            ? rng.int(5, 7) * 24
            : rng.int(1, 3) * 24;
    for (let attempt = 0; attempt < 20; attempt++) {
      const s = slot(rng, start + DAY_MS, now - durH * HOUR_MS - 2 * HOUR_MS);
      if (s < start + DAY_MS) break;
      if (!isFree(taken, s, s + durH * HOUR_MS, 12 * HOUR_MS)) continue;
      const lift = type === 'DEAL_OF_THE_DAY' ? 4 : type === 'BEST_DEAL' ? 2 : type === 'COUPON' ? 1.3 : 1.6;
      const discount = type === 'COUPON' ? 0 : Math.round(uniform(rng, 0.1, 0.3) * 100) / 100;
      const truth: TrueDeal = {
        type,
        announcedAt: null,
        startAt: s,
        scheduledEndAt: s + durH * HOUR_MS,
        quantity: 0,
        finalQuantity: null,
        batches: [],
        soldOutAt: null,
        endedAt: null,
        status: 'EXPIRED',
        unitsSold: 0,
        shape: 'FLAT_PRICE',
        r0: 0,
        k: 0,
        plateaus: [],
        discount,
        badgeStaysAfterSellOut: false,
      };
      deals.push({ truth, shown: false, batchAt: null, batchFraction: 0, sold: 0, q: 0, live: false, done: false, prepped: true, lift });
      taken.push({ s, e: s + durH * HOUR_MS });
      break;
    }
  }
  return deals;
}

/**
 * The competitor's deals over the period: a forced LIVE/UPCOMING one, Poisson(days ÷ 6) lightning
 * deals for an active seller (70 %, else days ÷ 25) kept 30 h apart, then flag deals.
 */
function planDeals(rng: Rng, meta: CompetitorMeta, start: number, now: number): PlannedDeal[] {
  const days = (now - start) / DAY_MS;
  const deals: PlannedDeal[] = [];
  const taken: { s: number; e: number }[] = [];
  const earliest = start + Math.min(9, days * 0.35) * DAY_MS;
  const forced = forcedDeal(rng, meta, now, days);
  if (forced) {
    deals.push(forced);
    taken.push({ s: forced.truth.announcedAt ?? forced.truth.startAt, e: forced.truth.scheduledEndAt });
  }
  const active = rng.next() < 0.7;
  const n = active ? poisson(rng, days / 6) : poisson(rng, days / 25);
  for (let j = 0; j < n; j++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const durH = rng.int(8, 24) / 2;
      const s = slot(rng, earliest, now - durH * HOUR_MS - 2 * HOUR_MS);
      if (s < earliest) break;
      const announced = rng.next() < 0.5;
      const annLead = 12 * HOUR_MS;
      if (!isFree(taken, s - (announced ? annLead : 0), s + durH * HOUR_MS, 30 * HOUR_MS)) continue;
      const d = lightningDeal(rng, meta, s, durH, announced);
      deals.push(d);
      taken.push({ s: d.truth.announcedAt ?? s, e: d.truth.scheduledEndAt });
      break;
    }
  }
  deals.push(...flagDeals(rng, start, now, taken));
  return deals.sort((a, b) => a.truth.startAt - b.truth.startAt);
}

/** The competitor's replenishment policy: lead time in [leadMin, leadMax] days, late odds, cycle, reorder point. */
interface ReplenishmentPolicy {
  leadMin: number;
  leadMax: number;
  lateProb: number;
  cycleDays: number;
  rop: number;
}

/** Everything that changes minute by minute while one competitor is simulated. */
interface CompetitorSim {
  rng: Rng;
  meta: CompetitorMeta;
  /** Base daily demand. */
  D: number;
  deals: PlannedDeal[];
  policy: ReplenishmentPolicy;
  outages: { s: number; e: number }[];
  capturesStoppedAt: number | null;
  onHand: number;
  orders: Order[];
  restocks: TrueRestock[];
  stockouts: TrueStockout[];
  flaps: TrueFlap[];
  outSince: number | null;
  flapStart: number | null;
  /** Exponentially weighted sales per day (1-day memory), which drives the BSR. */
  ewmaPerDay: number;
  price: number;
  listPrice: number | null;
  nextPriceChange: number;
  nextCapture: number;
  points: SnapshotPoint[];
}

/**
 * Reorder point policy: lead time 2–6 days plus 2–8 days of spread, safety −2 to 4 days, late
 * deliveries with probability 0.2 (0.6 for a quarter of sellers), cycle 10–30 days;
 * ROP = max(3, D × (mean lead time + safety days)).
 */
function replenishmentPolicy(rng: Rng, D: number): ReplenishmentPolicy {
  const leadMin = uniform(rng, 2, 6);
  const leadMax = leadMin + uniform(rng, 2, 8);
  const safetyDays = uniform(rng, -2, 4);
  const lateProb = rng.next() < 0.25 ? 0.6 : 0.2;
  const cycleDays = uniform(rng, 10, 30);
  return { leadMin, leadMax, lateProb, cycleDays, rop: Math.max(3, D * ((leadMin + leadMax) / 2 + safetyDays)) };
}

/**
 * Capture outages (0–2 of 2–10 h) and, for 4 % of competitors, captures that stop 1–3 days before
 * the end (moved before any deal they would cut into).
 */
function capturePlan(rng: Rng, deals: readonly PlannedDeal[], start: number, now: number) {
  const outages: { s: number; e: number }[] = [];
  for (let j = rng.int(0, 2); j > 0; j--) {
    const s = start + rng.next() * (now - start);
    outages.push({ s, e: s + uniform(rng, 2, 10) * HOUR_MS });
  }
  let capturesStoppedAt = rng.next() < 0.04 ? now - uniform(rng, 1, 3) * DAY_MS : null;
  if (capturesStoppedAt !== null) {
    for (const d of deals) {
      const s = d.truth.announcedAt ?? d.truth.startAt;
      if (capturesStoppedAt >= s - HOUR_MS && capturesStoppedAt <= d.truth.scheduledEndAt + HOUR_MS) capturesStoppedAt = s - 2 * HOUR_MS;
    }
  }
  return { outages, capturesStoppedAt };
}

/** Initial state: the competitor's policy, stock (6 % start out of stock, with a late order coming), prices and capture plan. */
function startCompetitor(rng: Rng, index: number, start: number, now: number, usedAsins: Set<string>): CompetitorSim {
  const meta = makeMeta(rng, index, usedAsins);
  const D = meta.baseDailyDemand;
  const deals = planDeals(rng, meta, start, now);
  const policy = replenishmentPolicy(rng, D);
  let onHand = Math.round(policy.rop + D * policy.cycleDays * uniform(rng, 0.1, 1));
  if (rng.next() < 0.06) onHand = 0; // starts out of stock
  const { outages, capturesStoppedAt } = capturePlan(rng, deals, start, now);
  const listPrice = rng.next() < 0.5 ? Math.round(meta.basePrice * uniform(rng, 1.1, 1.4) * 100) / 100 : null;
  const nextPriceChange = start + uniform(rng, 4, 12) * DAY_MS;
  const nextCapture = start + rng.next() * meta.captureIntervalMinutes * MIN_MS;
  const orders: Order[] = [];
  if (onHand === 0) {
    // A late order is on its way.
    const at = start + uniform(rng, 1, 6) * DAY_MS;
    const qty = Math.round(D * policy.cycleDays) + 5;
    orders.push({ tranches: [{ at, qty }], total: qty, record: null });
  }
  return {
    rng,
    meta,
    D,
    deals,
    policy,
    outages,
    capturesStoppedAt,
    onHand,
    orders,
    restocks: [],
    stockouts: [],
    flaps: [],
    outSince: onHand === 0 ? start : null,
    flapStart: null,
    ewmaPerDay: D,
    price: meta.basePrice,
    listPrice,
    nextPriceChange,
    nextCapture,
    points: [],
  };
}

/** An order of qty arriving after `lead` ms in 1–3 tranches (60/30/10 %) 20–90 min apart. */
function placeOrder(sim: CompetitorSim, t: number, qty: number, lead: number): void {
  const rng = sim.rng;
  const nT = weighted(rng, [
    [1, 0.6],
    [2, 0.3],
    [3, 0.1],
  ] as [number, number][]);
  const tranches: { at: number; qty: number }[] = [];
  let at = Math.round((t + lead) / MIN_MS) * MIN_MS;
  let left = qty;
  for (let j = 0; j < nT; j++) {
    const q = j === nT - 1 ? left : Math.max(1, Math.round((qty / nT) * uniform(rng, 0.7, 1.3)));
    tranches.push({ at, qty: Math.min(q, left) });
    left -= Math.min(q, left);
    at += Math.round(uniform(rng, 20, 90)) * MIN_MS;
    if (left <= 0) break;
  }
  sim.orders.push({ tranches, total: qty, record: null });
}

function pendingQty(sim: CompetitorSim): number {
  return sim.orders.reduce((s, o) => s + o.tranches.reduce((a, x) => a + x.qty, 0), 0);
}

/** A restock is observable unless the stock shown before it was already at the source's cap. */
function observable(sim: CompetitorSim, before: number): boolean {
  return sim.meta.stockCap === null || before < sim.meta.stockCap;
}

/** Tranches due by t arrive; the first tranche of an order records the restock. Returns the units delivered. */
function deliver(sim: CompetitorSim, t: number, before: number): number {
  let delivered = 0;
  const live = sim.deals.find((d) => d.live && t >= d.truth.startAt && t < d.truth.scheduledEndAt) ?? null;
  for (const o of sim.orders) {
    while (o.tranches.length && o.tranches[0].at <= t) {
      const tr = o.tranches.shift() as { at: number; qty: number };
      delivered += tr.qty;
      if (o.record === null) {
        o.record = { at: t, quantity: o.total, tranches: 0, inDeal: live !== null, observable: observable(sim, before) };
        sim.restocks.push(o.record);
      }
      o.record.tranches++;
    }
  }
  for (let j = sim.orders.length - 1; j >= 0; j--) if (!sim.orders[j].tranches.length) sim.orders.splice(j, 1);
  if (delivered > 0) {
    sim.onHand += delivered;
    sim.flapStart = null;
  }
  return delivered;
}

/**
 * A lightning deal going live: when stock is short of its quantity the deal shrinks to the stock
 * (≥ 20 units) or the seller allocates fresh units to it.
 */
function startLightning(sim: CompetitorSim, d: PlannedDeal, t: number, before: number): void {
  const T = d.truth;
  if (sim.onHand < d.q) {
    if (sim.onHand >= 20) d.q = sim.onHand;
    else {
      sim.onHand += d.q;
      sim.restocks.push({ at: t, quantity: d.q, tranches: 1, inDeal: true, observable: observable(sim, before) });
    }
  }
  T.quantity = d.q;
  T.finalQuantity = d.q;
}

/** A batch release into a live lightning deal: max(10, batchFraction × Q) more units. */
function releaseBatch(sim: CompetitorSim, d: PlannedDeal, t: number, before: number): void {
  const B = Math.max(10, Math.round(d.q * d.batchFraction));
  d.q += B;
  sim.onHand += B;
  d.truth.finalQuantity = d.q;
  d.truth.batches.push({ at: t, quantity: B });
  sim.restocks.push({ at: t, quantity: B, tranches: 1, inDeal: true, observable: observable(sim, before) });
  d.batchAt = null;
  sim.flapStart = null;
}

/**
 * Deal lifecycle at minute t: stock-up orders 36 h ahead (to 1.3 × Q + 3 days of demand), deals
 * going live and ending, batch releases. Returns the flag deals' demand lift and price, and the live lightning deal.
 */
function dealMinute(sim: CompetitorSim, t: number, before: number): { lift: number; priceNow: number; ld: PlannedDeal | null } {
  let lift = 1;
  let priceNow = sim.price;
  let ld: PlannedDeal | null = null;
  for (const d of sim.deals) {
    const T = d.truth;
    if (!d.prepped && t >= T.startAt - 36 * HOUR_MS) {
      d.prepped = true;
      const need = Math.ceil(d.q * 1.3 + sim.D * 3);
      if (sim.onHand + pendingQty(sim) < need)
        placeOrder(sim, t, need - sim.onHand - pendingQty(sim) + Math.round(sim.D * 7), uniform(sim.rng, 12, 24) * HOUR_MS);
    }
    if (!d.live && !d.done && t >= T.startAt && t < T.scheduledEndAt) {
      d.live = true;
      if (T.type === 'LIGHTNING') startLightning(sim, d, t, before);
    }
    if (d.live && t >= T.scheduledEndAt) {
      d.live = false;
      d.done = true;
    }
    if (!d.live) continue;
    if (T.type !== 'LIGHTNING') {
      lift *= d.lift;
      priceNow = sim.price * (1 - T.discount);
      continue;
    }
    ld = d;
    if (d.batchAt !== null && t >= d.batchAt && T.soldOutAt === null) releaseBatch(sim, d, t, before);
  }
  return { lift, priceNow, ld };
}

/**
 * Lightning-deal rate at th hours into a deal of durH hours: DECAY r0·e^(−k·th), ACCELERATING
 * r0·(0.3 + 1.4·th/durH), CONSTANT r0.
 */
export function lightningRate(T: Pick<TrueDeal, 'shape' | 'r0' | 'k'>, th: number, durH: number): number {
  return T.shape === 'DECAY' ? T.r0 * Math.exp(-T.k * th) : T.shape === 'ACCELERATING' ? T.r0 * (0.3 + (1.4 * th) / durH) : T.r0;
}

/**
 * Sales in minute t: ordinary demand λ = D/1440 × diurnal (1 + 0.6·sin(2π(h − 9)/24)) × price
 * elasticity (base price ÷ price)^1.5 × flag-deal lift; during a live lightning deal its own drain
 * (lightningRate, scaled by 0.7 + 0.3 × diurnal) plus 30 % of ordinary demand at the regular price.
 */
function salesMinute(sim: CompetitorSim, t: number, lift: number, ld: PlannedDeal | null): number {
  const rng = sim.rng;
  const hourOfDay = (((t / HOUR_MS) % 24) + 24) % 24;
  const diurnal = 1 + 0.6 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
  const elastic = Math.pow(sim.meta.basePrice / sim.price, 1.5);
  const lambda = (sim.D / 1440) * diurnal * elastic * lift;
  if (!ld || ld.truth.soldOutAt !== null) {
    const n = Math.min(sim.onHand, poisson(rng, lambda * (ld ? 1.3 : 1)));
    sim.onHand -= n;
    return n;
  }
  const T = ld.truth;
  if (T.plateaus.some((p) => t >= p.start && t < p.end)) return 0;
  const rate = lightningRate(T, (t - T.startAt) / HOUR_MS, (T.scheduledEndAt - T.startAt) / HOUR_MS);
  let n = poisson(rng, (rate / 60) * (0.7 + 0.3 * diurnal));
  n = Math.min(n, ld.q - ld.sold, sim.onHand);
  ld.sold += n;
  sim.onHand -= n;
  // Buyers outside the deal (no Prime, other offers) keep buying at the regular price.
  const extra = Math.min(sim.onHand, poisson(rng, lambda * 0.3));
  sim.onHand -= extra;
  T.unitsSold = ld.sold;
  if (ld.sold >= ld.q || sim.onHand === 0) T.soldOutAt = t;
  return n + extra;
}

/**
 * Stockout windows and flaps: after 6 h out of stock a returned unit appears at a rate of one per
 * 1.5 days (a flap until it sells); a stockout ends when stock arrives.
 */
function stockoutMinute(sim: CompetitorSim, t: number, before: number, delivered: number): void {
  if (sim.onHand === 0) {
    if (sim.flapStart !== null) {
      sim.flaps.push({ start: sim.flapStart, end: t });
      sim.flapStart = null;
    }
    if (sim.outSince === null) sim.outSince = t;
    else if (t - sim.outSince > 6 * HOUR_MS && sim.rng.next() < 1 / (1.5 * 1440)) {
      sim.onHand = 1;
      sim.flapStart = t;
    }
  } else if (sim.outSince !== null && delivered + (before < sim.onHand ? sim.onHand - before : 0) > 0 && sim.flapStart === null) {
    sim.stockouts.push({ start: sim.outSince, end: t, durationHours: (t - sim.outSince) / HOUR_MS });
    sim.outSince = null;
  }
}

/** Deal fields of a capture: announced (UPCOMING) and live deals; 1.5 % of live captures miss the badge. */
function dealFields(sim: CompetitorSim, p: SnapshotPoint, t: number): void {
  for (const d of sim.deals) {
    const T = d.truth;
    const upcoming = T.announcedAt !== null && t >= T.announcedAt && t < T.startAt;
    const liveNow = t >= T.startAt && t < T.scheduledEndAt && d.live;
    if (!upcoming && !liveNow) continue;
    if (T.type !== 'LIGHTNING') {
      if (liveNow) {
        p.dealType = T.type;
        p.dealEndsAt = T.scheduledEndAt;
      }
      continue;
    }
    if (upcoming) {
      p.dealType = 'LIGHTNING';
      p.dealStartsAt = T.startAt;
      p.dealEndsAt = T.scheduledEndAt;
      p.dealQuantity = d.shown ? d.q : null;
      continue;
    }
    if (T.soldOutAt !== null && !T.badgeStaysAfterSellOut) continue;
    if (sim.rng.next() < 0.015) continue;
    p.dealType = 'LIGHTNING';
    p.dealEndsAt = T.scheduledEndAt;
    p.dealStartsAt = T.announcedAt !== null ? T.startAt : null;
    p.dealQuantity = d.shown ? d.q : null;
    p.dealClaimedPercent = T.soldOutAt !== null ? 100 : Math.min(100, Math.floor((100 * d.sold) / d.q));
    if (T.soldOutAt === null) p.price = Math.round(sim.price * (1 - T.discount) * 100) / 100;
  }
}

/**
 * A capture at minute t when one is due (interval × 0.9–1.1): skipped after captures stop, during
 * outages and 3 % at random. Shown stock = on hand − a few cart reservations (15 %), capped by the
 * source; 2 % null stock; BSR = 150000 ÷ (1 + sales/day)^0.85 with 5 % log noise.
 */
function captureMinute(sim: CompetitorSim, t: number, priceNow: number): void {
  const rng = sim.rng;
  const meta = sim.meta;
  sim.nextCapture = t + meta.captureIntervalMinutes * MIN_MS * uniform(rng, 0.9, 1.1);
  if (sim.capturesStoppedAt !== null && t >= sim.capturesStoppedAt) return;
  if (sim.outages.some((o) => t >= o.s && t < o.e) || rng.next() < 0.03) return;
  const reserved = rng.next() < 0.85 ? 0 : rng.int(1, Math.min(3, Math.max(1, Math.round(sim.D / 50))));
  const shown = Math.max(0, sim.onHand - reserved);
  const cap = meta.stockCap;
  const censored = cap !== null && shown >= cap;
  const p: SnapshotPoint = {
    at: t,
    stock: rng.next() < 0.02 ? null : censored ? cap : shown,
    stockIsLowerBound: censored,
    price: priceNow,
    listPrice: sim.listPrice,
    dealType: 'NONE',
    dealQuantity: null,
    dealClaimedPercent: null,
    dealEndsAt: null,
    dealStartsAt: null,
    bsr: Math.max(1, Math.round((150_000 / Math.pow(1 + sim.ewmaPerDay, 0.85)) * Math.exp(0.05 * rng.normal()))),
    source: meta.source,
  };
  if (p.stock === null) p.stockIsLowerBound = false;
  dealFields(sim, p, t);
  sim.points.push(p);
}

/** One simulated minute: deliveries, deals, sales, stockouts, reorder, price changes, capture. */
function simulateMinute(sim: CompetitorSim, t: number): void {
  const rng = sim.rng;
  const before = sim.onHand;
  const delivered = deliver(sim, t, before);
  const { lift, priceNow, ld } = dealMinute(sim, t, before);
  const salesThisMin = salesMinute(sim, t, lift, ld);
  stockoutMinute(sim, t, before, delivered);
  const { policy } = sim;
  if (!sim.orders.length && sim.onHand <= policy.rop) {
    const late = rng.next() < policy.lateProb ? uniform(rng, 2, 10) : 0;
    placeOrder(
      sim,
      t,
      Math.max(5, Math.round(sim.D * policy.cycleDays * uniform(rng, 0.8, 1.2))),
      (uniform(rng, policy.leadMin, policy.leadMax) + late) * DAY_MS,
    );
  }
  if (t >= sim.nextPriceChange) {
    sim.price = Math.round(sim.meta.basePrice * (1 + 0.07 * Math.max(-2, Math.min(2, rng.normal()))) * 100) / 100;
    sim.nextPriceChange = t + uniform(rng, 4, 12) * DAY_MS;
  }
  sim.ewmaPerDay += (salesThisMin * 1440 - sim.ewmaPerDay) / 1440;
  if (t >= sim.nextCapture) captureMinute(sim, t, priceNow);
}

/** Each deal's true status and end as of `now`. */
function settleDealTruth(deals: readonly PlannedDeal[], now: number): void {
  for (const d of deals) {
    const T = d.truth;
    if (T.type !== 'LIGHTNING') {
      T.status = now < T.startAt ? 'UPCOMING' : now < T.scheduledEndAt ? 'LIVE' : 'EXPIRED';
      T.endedAt = now < T.scheduledEndAt ? null : T.scheduledEndAt;
      continue;
    }
    if (T.soldOutAt !== null) {
      T.status = 'SOLD_OUT';
      T.endedAt = T.soldOutAt;
    } else if (now < T.startAt) {
      T.status = 'UPCOMING';
    } else if (now < T.scheduledEndAt) {
      T.status = 'LIVE';
    } else {
      T.status = 'EXPIRED';
      T.endedAt = T.scheduledEndAt;
    }
  }
}

/** One competitor simulated minute by minute from start to now, with its ground truth. */
function simulateCompetitor(rng: Rng, index: number, start: number, now: number, usedAsins: Set<string>): Scenario {
  const sim = startCompetitor(rng, index, start, now, usedAsins);
  const totalMin = Math.round((now - start) / MIN_MS);
  for (let m = 0; m < totalMin; m++) simulateMinute(sim, start + m * MIN_MS);
  if (sim.outSince !== null) sim.stockouts.push({ start: sim.outSince, end: null, durationHours: (now - sim.outSince) / HOUR_MS });
  if (sim.flapStart !== null) sim.flaps.push({ start: sim.flapStart, end: now });
  settleDealTruth(sim.deals, now);
  // Drop deals never visible (not started and not announced by now).
  const visibleDeals = sim.deals.map((d) => d.truth).filter((T) => T.startAt < now || (T.announcedAt !== null && T.announcedAt <= now));
  return {
    meta: sim.meta,
    points: sim.points,
    truth: {
      deals: visibleDeals,
      restocks: sim.restocks,
      stockouts: sim.stockouts,
      flaps: sim.flaps,
      capturesStoppedAt: sim.capturesStoppedAt ?? null,
    },
  };
}
