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
  let asin = '';
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

function planDeals(rng: Rng, meta: CompetitorMeta, start: number, now: number): PlannedDeal[] {
  const days = (now - start) / DAY_MS;
  const deals: PlannedDeal[] = [];
  const taken: { s: number; e: number }[] = [];
  const free = (s: number, e: number, pad: number) => taken.every((t) => e + pad <= t.s || s >= t.e + pad);
  const earliest = start + Math.min(9, days * 0.35) * DAY_MS;

  const lightning = (startAt: number, durH: number, announced: boolean): PlannedDeal => {
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
  };
  const slot = (lo: number, hi: number): number => Math.round((lo + rng.next() * Math.max(0, hi - lo)) / (30 * MIN_MS)) * 30 * MIN_MS;

  // Forced deals around `now` so that LIVE and UPCOMING appear.
  const u = rng.next();
  if (u < 0.1 && days >= 3) {
    const durH = rng.int(8, 24) / 2;
    const s = Math.round((now - uniform(rng, 0.2, 0.8) * durH * HOUR_MS) / MIN_MS) * MIN_MS;
    const d = lightning(s, durH, rng.next() < 0.5);
    deals.push(d);
    taken.push({ s: d.truth.announcedAt ?? s, e: d.truth.scheduledEndAt });
  } else if (u < 0.15 && days >= 3) {
    const durH = rng.int(8, 24) / 2;
    const s = Math.round((now + uniform(rng, 1, 6) * HOUR_MS) / (30 * MIN_MS)) * 30 * MIN_MS;
    const d = lightning(s, durH, true);
    d.truth.announcedAt = Math.min(d.truth.announcedAt as number, now - 2 * HOUR_MS);
    deals.push(d);
    taken.push({ s: d.truth.announcedAt, e: d.truth.scheduledEndAt });
  }

  const active = rng.next() < 0.7;
  const n = active ? poisson(rng, days / 6) : poisson(rng, days / 25);
  for (let j = 0; j < n; j++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const durH = rng.int(8, 24) / 2;
      const s = slot(earliest, now - durH * HOUR_MS - 2 * HOUR_MS);
      if (s < earliest) break;
      const announced = rng.next() < 0.5;
      const annLead = 12 * HOUR_MS;
      if (!free(s - (announced ? annLead : 0), s + durH * HOUR_MS, 30 * HOUR_MS)) continue;
      const d = lightning(s, durH, announced);
      deals.push(d);
      taken.push({ s: d.truth.announcedAt ?? s, e: d.truth.scheduledEndAt });
      break;
    }
  }

  // Flag deals (no quantity or % claimed): a price cut and a demand lift for a while.
  if (rng.next() < 0.4) {
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
        const s = slot(start + DAY_MS, now - durH * HOUR_MS - 2 * HOUR_MS);
        if (s < start + DAY_MS) break;
        if (!free(s, s + durH * HOUR_MS, 12 * HOUR_MS)) continue;
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
  }
  return deals.sort((a, b) => a.truth.startAt - b.truth.startAt);
}

function simulateCompetitor(rng: Rng, index: number, start: number, now: number, usedAsins: Set<string>): Scenario {
  const meta = makeMeta(rng, index, usedAsins);
  const D = meta.baseDailyDemand;
  const deals = planDeals(rng, meta, start, now);
  const totalMin = Math.round((now - start) / MIN_MS);

  // Replenishment policy.
  const leadMin = uniform(rng, 2, 6);
  const leadMax = leadMin + uniform(rng, 2, 8);
  const safetyDays = uniform(rng, -2, 4);
  const lateProb = rng.next() < 0.25 ? 0.6 : 0.2;
  const cycleDays = uniform(rng, 10, 30);
  const rop = Math.max(3, D * ((leadMin + leadMax) / 2 + safetyDays));
  let onHand = Math.round(rop + D * cycleDays * uniform(rng, 0.1, 1));
  if (rng.next() < 0.06) onHand = 0; // starts out of stock

  // Capture plan.
  const outages: { s: number; e: number }[] = [];
  for (let j = rng.int(0, 2); j > 0; j--) {
    const s = start + rng.next() * (now - start);
    outages.push({ s, e: s + uniform(rng, 2, 10) * HOUR_MS });
  }
  const stopped = rng.next() < 0.04 ? now - uniform(rng, 1, 3) * DAY_MS : null;
  let capturesStoppedAt = stopped;
  if (capturesStoppedAt !== null) {
    for (const d of deals) {
      const s = d.truth.announcedAt ?? d.truth.startAt;
      if (capturesStoppedAt >= s - HOUR_MS && capturesStoppedAt <= d.truth.scheduledEndAt + HOUR_MS) capturesStoppedAt = s - 2 * HOUR_MS;
    }
  }

  let price = meta.basePrice;
  const listPrice = rng.next() < 0.5 ? Math.round(meta.basePrice * uniform(rng, 1.1, 1.4) * 100) / 100 : null;
  let nextPriceChange = start + uniform(rng, 4, 12) * DAY_MS;

  const orders: Order[] = [];
  const restocks: TrueRestock[] = [];
  const stockouts: TrueStockout[] = [];
  const flaps: TrueFlap[] = [];
  let outSince: number | null = onHand === 0 ? start : null;
  let flapStart: number | null = null;
  let ewmaPerDay = D;
  const points: SnapshotPoint[] = [];
  let nextCapture = start + rng.next() * meta.captureIntervalMinutes * MIN_MS;
  let reserved = 0;
  if (onHand === 0) {
    // A late order is on its way.
    const at = start + uniform(rng, 1, 6) * DAY_MS;
    orders.push({ tranches: [{ at, qty: Math.round(D * cycleDays) + 5 }], total: Math.round(D * cycleDays) + 5, record: null });
  }

  const placeOrder = (t: number, qty: number, lead: number) => {
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
    orders.push({ tranches, total: qty, record: null });
  };
  const pendingQty = () => orders.reduce((s, o) => s + o.tranches.reduce((a, x) => a + x.qty, 0), 0);
  const inDeal = (t: number) => deals.find((d) => d.live && t >= d.truth.startAt && t < d.truth.scheduledEndAt) ?? null;

  for (let m = 0; m < totalMin; m++) {
    const t = start + m * MIN_MS;
    const hourOfDay = (((t / HOUR_MS) % 24) + 24) % 24;
    const before = onHand;

    // 1. Deliveries.
    let delivered = 0;
    for (const o of orders) {
      while (o.tranches.length && o.tranches[0].at <= t) {
        const tr = o.tranches.shift() as { at: number; qty: number };
        delivered += tr.qty;
        if (o.record === null) {
          o.record = {
            at: t,
            quantity: o.total,
            tranches: 0,
            inDeal: inDeal(t) !== null,
            observable: meta.stockCap === null || before < meta.stockCap,
          };
          restocks.push(o.record);
        }
        o.record.tranches++;
      }
    }
    for (let j = orders.length - 1; j >= 0; j--) if (!orders[j].tranches.length) orders.splice(j, 1);
    if (delivered > 0) {
      onHand += delivered;
      flapStart = null;
    }

    // 2. Deal lifecycle.
    let lift = 1;
    let priceNow = price;
    let ld: PlannedDeal | null = null;
    for (const d of deals) {
      const T = d.truth;
      if (!d.prepped && t >= T.startAt - 36 * HOUR_MS) {
        d.prepped = true;
        const need = Math.ceil(d.q * 1.3 + D * 3);
        if (onHand + pendingQty() < need) placeOrder(t, need - onHand - pendingQty() + Math.round(D * 7), uniform(rng, 12, 24) * HOUR_MS);
      }
      if (!d.live && !d.done && t >= T.startAt && t < T.scheduledEndAt) {
        d.live = true;
        if (T.type === 'LIGHTNING') {
          if (onHand < d.q) {
            if (onHand >= 20) d.q = onHand;
            else {
              // The seller allocates fresh units to the deal at its start.
              onHand += d.q;
              restocks.push({
                at: t,
                quantity: d.q,
                tranches: 1,
                inDeal: true,
                observable: meta.stockCap === null || before < meta.stockCap,
              });
            }
          }
          T.quantity = d.q;
          T.finalQuantity = d.q;
        }
      }
      if (d.live && t >= T.scheduledEndAt) {
        d.live = false;
        d.done = true;
      }
      if (!d.live) continue;
      if (T.type !== 'LIGHTNING') {
        lift *= d.lift;
        priceNow = price * (1 - T.discount);
        continue;
      }
      ld = d;
      if (d.batchAt !== null && t >= d.batchAt && T.soldOutAt === null) {
        const B = Math.max(10, Math.round(d.q * d.batchFraction));
        d.q += B;
        onHand += B;
        T.finalQuantity = d.q;
        T.batches.push({ at: t, quantity: B });
        restocks.push({ at: t, quantity: B, tranches: 1, inDeal: true, observable: meta.stockCap === null || before < meta.stockCap });
        d.batchAt = null;
        flapStart = null;
      }
    }

    // 3. Sales.
    const diurnal = 1 + 0.6 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
    const elastic = Math.pow(meta.basePrice / price, 1.5);
    const lambda = (D / 1440) * diurnal * elastic * lift;
    let salesThisMin = 0;
    if (ld && ld.truth.soldOutAt === null) {
      const T = ld.truth;
      const inPlateau = T.plateaus.some((p) => t >= p.start && t < p.end);
      if (!inPlateau) {
        const th = (t - T.startAt) / HOUR_MS;
        const durH = (T.scheduledEndAt - T.startAt) / HOUR_MS;
        const rate =
          T.shape === 'DECAY' ? T.r0 * Math.exp(-T.k * th) : T.shape === 'ACCELERATING' ? T.r0 * (0.3 + (1.4 * th) / durH) : T.r0;
        let n = poisson(rng, (rate / 60) * (0.7 + 0.3 * diurnal));
        n = Math.min(n, ld.q - ld.sold, onHand);
        ld.sold += n;
        onHand -= n;
        salesThisMin += n;
        // Buyers outside the deal (no Prime, other offers) keep buying at the regular price.
        const extra = Math.min(onHand, poisson(rng, lambda * 0.3));
        onHand -= extra;
        salesThisMin += extra;
        T.unitsSold = ld.sold;
        if (ld.sold >= ld.q || onHand === 0) {
          T.soldOutAt = t;
        }
      }
    } else {
      const n = Math.min(onHand, poisson(rng, lambda * (ld ? 1.3 : 1)));
      onHand -= n;
      salesThisMin += n;
    }

    // 4. Stockouts, returns (flaps).
    if (onHand === 0) {
      if (flapStart !== null) {
        flaps.push({ start: flapStart, end: t });
        flapStart = null;
      }
      if (outSince === null) outSince = t;
      else if (t - outSince > 6 * HOUR_MS && rng.next() < 1 / (1.5 * 1440)) {
        onHand = 1;
        flapStart = t;
      }
    } else if (outSince !== null && delivered + (before < onHand ? onHand - before : 0) > 0 && flapStart === null) {
      stockouts.push({ start: outSince, end: t, durationHours: (t - outSince) / HOUR_MS });
      outSince = null;
    }

    // 5. Reorder.
    if (!orders.length && onHand <= rop) {
      const late = rng.next() < lateProb ? uniform(rng, 2, 10) : 0;
      placeOrder(t, Math.max(5, Math.round(D * cycleDays * uniform(rng, 0.8, 1.2))), (uniform(rng, leadMin, leadMax) + late) * DAY_MS);
    }

    // 6. Price changes.
    if (t >= nextPriceChange) {
      price = Math.round(meta.basePrice * (1 + 0.07 * Math.max(-2, Math.min(2, rng.normal()))) * 100) / 100;
      nextPriceChange = t + uniform(rng, 4, 12) * DAY_MS;
    }
    ewmaPerDay += (salesThisMin * 1440 - ewmaPerDay) / 1440;

    // 7. Capture.
    if (t >= nextCapture) {
      nextCapture = t + meta.captureIntervalMinutes * MIN_MS * uniform(rng, 0.9, 1.1);
      if (capturesStoppedAt !== null && t >= capturesStoppedAt) continue;
      if (outages.some((o) => t >= o.s && t < o.e) || rng.next() < 0.03) continue;
      // Cart reservations: shown stock = on hand − a few reserved units now and then.
      reserved = rng.next() < 0.85 ? 0 : rng.int(1, Math.min(3, Math.max(1, Math.round(D / 50))));
      const shown = Math.max(0, onHand - reserved);
      const cap = meta.stockCap;
      const censored = cap !== null && shown >= cap;
      const p: SnapshotPoint = {
        at: t,
        stock: rng.next() < 0.02 ? null : censored ? cap : shown,
        stockIsLowerBound: censored,
        price: priceNow,
        listPrice,
        dealType: 'NONE',
        dealQuantity: null,
        dealClaimedPercent: null,
        dealEndsAt: null,
        dealStartsAt: null,
        bsr: Math.max(1, Math.round((150_000 / Math.pow(1 + ewmaPerDay, 0.85)) * Math.exp(0.05 * rng.normal()))),
        source: meta.source,
      };
      if (p.stock === null) p.stockIsLowerBound = false;
      for (const d of deals) {
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
        // Capture tools miss a deal badge now and then.
        if (rng.next() < 0.015) continue;
        p.dealType = 'LIGHTNING';
        p.dealEndsAt = T.scheduledEndAt;
        p.dealStartsAt = T.announcedAt !== null ? T.startAt : null;
        p.dealQuantity = d.shown ? d.q : null;
        p.dealClaimedPercent = T.soldOutAt !== null ? 100 : Math.min(100, Math.floor((100 * d.sold) / d.q));
        if (T.soldOutAt === null) p.price = Math.round(price * (1 - T.discount) * 100) / 100;
      }
      points.push(p);
    }
  }
  if (outSince !== null) stockouts.push({ start: outSince, end: null, durationHours: (now - outSince) / HOUR_MS });
  if (flapStart !== null) flaps.push({ start: flapStart, end: now });

  // Deal truth as of now.
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
  // Drop deals never visible (not started and not announced by now).
  const visibleDeals = deals.map((d) => d.truth).filter((T) => T.startAt < now || (T.announcedAt !== null && T.announcedAt <= now));

  return {
    meta,
    points,
    truth: {
      deals: visibleDeals,
      restocks,
      stockouts,
      flaps,
      capturesStoppedAt: capturesStoppedAt ?? null,
    },
  };
}
