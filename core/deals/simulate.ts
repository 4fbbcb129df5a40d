/**
 * Seeded lightning-deal drains with known truth, for the deal tests and bench/detect: claims arrive
 * as a Poisson process with a chosen intensity, captured at a chosen cadence and phase, with % claimed
 * rounded to whole points as real deal pages show it. Pure and deterministic for a seed.
 *
 * Shapes (intensity r(t) in units/h, t hours since the start):
 *  STEADY        r(t) = r0
 *  DECAYING      r(t) = r0·e^(−k·t)
 *  FRONT_LOADED  a rush: r(t) = r0 for the first `rushHours`, then r0 ÷ 8
 *  BACK_LOADED   accelerating: r(t) = r0·(t ÷ T)², T the planned length (slow start, late surge)
 */
import { createRng } from '../random';
import { poisson } from '../sim/generate';
import { HOUR_MS, type SnapshotPoint } from '../series/types';

export type SimulatedShape = 'STEADY' | 'DECAYING' | 'FRONT_LOADED' | 'BACK_LOADED';

export interface SimulatedDrain {
  shape: SimulatedShape;
  /** Units per hour at the start (at the end for BACK_LOADED). */
  r0: number;
  /** DECAYING: decay per hour. */
  k?: number;
  /** FRONT_LOADED: hours of the rush. */
  rushHours?: number;
  /** BACK_LOADED: the planned length T in hours. */
  plannedHours?: number;
  quantity: number;
}

/** Intensity of a simulated drain at t hours (see header). */
export function simulatedRate(d: SimulatedDrain, t: number): number {
  if (t < 0) return 0;
  switch (d.shape) {
    case 'STEADY':
      return d.r0;
    case 'DECAYING':
      return d.r0 * Math.exp(-(d.k ?? 0) * t);
    case 'FRONT_LOADED':
      return t < (d.rushHours ?? 1) ? d.r0 : d.r0 / 8;
    case 'BACK_LOADED':
      return d.r0 * (t / (d.plannedHours ?? 8)) ** 2;
  }
}

export interface SimulatedDealOptions {
  drain: SimulatedDrain;
  /** Deal start, epoch ms. */
  startAt: number;
  cadenceMinutes: number;
  /** Minutes from the start to the first capture showing the deal, in [0, cadence). */
  phaseMinutes: number;
  /** Hours of captures after the start (they stop earlier at the first reading after the sell-out + 1 h). */
  observeHours: number;
  /** Scheduled end, hours after the start. Default 12 (a lightning deal). */
  endsAfterHours?: number;
  /** Give dealStartsAt on the deal readings. Default false. */
  scheduledStart?: boolean;
  /** Hours of no-deal captures before the deal, at the same cadence. Default 6. */
  preHours?: number;
  seed: number;
}

export interface SimulatedDeal {
  points: SnapshotPoint[];
  /** Minute the last unit went (epoch ms), or null when it did not sell out while observed. */
  soldOutAt: number | null;
  /** Cumulative units claimed at each simulated minute from the start. */
  unitsByMinute: number[];
}

/**
 * One simulated deal: minute-by-minute Poisson claims (at most the quantity), captured every
 * `cadenceMinutes` from start + phase (and before the start without the deal); each deal reading has
 * % claimed = round(100 × units ÷ Q), the given quantity and exact stock.
 */
export function simulateDeal(o: SimulatedDealOptions): SimulatedDeal {
  const rng = createRng(o.seed);
  const d = o.drain;
  const minutes = Math.ceil(o.observeHours * 60);
  const units: number[] = [0];
  let soldOutAt: number | null = null;
  for (let m = 1; m <= minutes; m++) {
    const prev = units[m - 1];
    const n = prev >= d.quantity ? 0 : Math.min(d.quantity - prev, poisson(rng, simulatedRate(d, (m - 0.5) / 60) / 60));
    units.push(prev + n);
    if (soldOutAt === null && prev + n >= d.quantity) soldOutAt = o.startAt + m * 60_000;
  }
  const endsAt = o.startAt + (o.endsAfterHours ?? 12) * HOUR_MS;
  const stock0 = 5 * d.quantity;
  const base = {
    stockIsLowerBound: false,
    listPrice: null,
    bsr: 5000,
    source: 'sim',
    dealQuantity: null,
    dealClaimedPercent: null,
    dealEndsAt: null,
  };
  const points: SnapshotPoint[] = [];
  const step = o.cadenceMinutes * 60_000;
  const first = o.startAt + o.phaseMinutes * 60_000;
  for (let t = first - step; t >= o.startAt - (o.preHours ?? 6) * HOUR_MS; t -= step)
    points.unshift({ ...base, at: t, stock: stock0, price: 20, dealType: 'NONE' });
  for (let t = first; t <= o.startAt + minutes * 60_000; t += step) {
    const u = units[Math.floor((t - o.startAt) / 60_000)];
    points.push({
      ...base,
      at: t,
      stock: stock0 - u,
      price: 14,
      dealType: 'LIGHTNING',
      dealQuantity: d.quantity,
      dealClaimedPercent: Math.min(100, Math.round((100 * u) / d.quantity)),
      dealEndsAt: endsAt,
      dealStartsAt: o.scheduledStart ? o.startAt : null,
    });
    if (soldOutAt !== null && t >= soldOutAt + HOUR_MS) break;
  }
  return { points, soldOutAt, unitsByMinute: units };
}

/**
 * The ETA scenario family of the tests and bench/detect: r0 = 200 units/h, decay k per hour (0 = a
 * constant drain); the true sell-out T is drawn uniformly in [2.5 h, min(12 h, ln 5 ÷ k)] — after the
 * two-hour mark, inside a lightning deal's 12 h, while demand is still ≥ 20 % of its start (later
 * than that the remaining drain is a trickle no ETA pins down) — and Q = (r0/k)(1 − e^(−kT)), or r0·T.
 * Captured every `cadenceMinutes` at a random phase, no scheduled start, % claimed in whole points.
 */
export function etaScenario(k: number, seed: number, cadenceMinutes: number, startAt: number): SimulatedDeal & { drain: SimulatedDrain } {
  const rng = createRng(1_000_003 * seed + Math.round(k * 1000));
  const r0 = 200;
  const tMax = k === 0 ? 10 : Math.min(12, Math.log(5) / k);
  const T = 2.5 + rng.next() * (tMax - 2.5);
  const quantity = Math.round(k === 0 ? r0 * T : (r0 / k) * (1 - Math.exp(-k * T)));
  const drain: SimulatedDrain = { shape: k === 0 ? 'STEADY' : 'DECAYING', r0, k, quantity };
  const phaseMinutes = Math.floor(rng.next() * cadenceMinutes);
  return { drain, ...simulateDeal({ drain, startAt, cadenceMinutes, phaseMinutes, observeHours: 12, seed }) };
}

/**
 * The curve-shape scenario family of the tests and bench/detect, one drain per shape with seeded
 * parameters, each expected to sell out inside a lightning deal's 12 h (a decaying one may fall
 * short by chance and run to its end):
 *  STEADY        r0 ∈ [60, 240] u/h for T ∈ [3, 8] h, Q = r0·T                 (f = 0.25)
 *  DECAYING      k ∈ [0.5, 0.9]/h, Q = the expected claims by kE ∈ [2.8, 3.5]  (f ≥ 0.5: half in the first quarter)
 *  FRONT_LOADED  a rush of r0 for E/5, then r0/8, E ∈ [3, 8] h                  (f ≈ 0.7)
 *  BACK_LOADED   r0·(t/E)², E ∈ [3, 8] h                                       (f = 1/64)
 * where f is the share of units sold in the first quarter of start → sell-out.
 */
export function shapeScenario(shape: SimulatedShape, seed: number): SimulatedDrain {
  const rng = createRng(7_919 * seed + shape.length);
  const E = 3 + 5 * rng.next();
  const r0 = 60 + 180 * rng.next();
  switch (shape) {
    case 'STEADY':
      return { shape, r0, quantity: Math.round(r0 * E) };
    case 'DECAYING': {
      const k = 0.5 + 0.4 * rng.next();
      const kE = 2.8 + 0.7 * rng.next();
      return { shape, r0: 4 * r0, k, quantity: Math.round(((4 * r0) / k) * (1 - Math.exp(-kE))) };
    }
    case 'FRONT_LOADED':
      return { shape, r0: 4 * r0, rushHours: E / 5, quantity: Math.round(4 * r0 * (E / 5) + (r0 / 2) * ((4 * E) / 5)) };
    case 'BACK_LOADED':
      return { shape, r0: 3 * r0, plannedHours: E, quantity: Math.round((3 * r0 * E) / 3) };
  }
}

/**
 * The realized first-quarter share of a simulated deal: units claimed by E/4 ÷ units by E, E the
 * minutes from the start to the sell-out (or to `endMinute` when it did not sell out).
 */
export function trueFirstQuarterShare(sim: SimulatedDeal, startAt: number, endMinute: number): number {
  const E = sim.soldOutAt === null ? endMinute : Math.round((sim.soldOutAt - startAt) / 60_000);
  const u = sim.unitsByMinute;
  return u[Math.round(E / 4)] / u[Math.min(E, u.length - 1)];
}
