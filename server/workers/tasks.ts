/**
 * The task registry: the pure core functions the worker pool may run off the event loop, by name.
 * Every entry takes and returns structured-clone-able plain data (arrays, objects, numbers,
 * strings; no class instances, no functions), so the same call gives the same answer inline or in
 * a worker. Only core/ and pure modules (no I/O) are imported here: a worker never opens the
 * database.
 */
import { detectDeals, type DetectDealsOptions, type EtaCache, type SellOutEta } from '../../core/deals';
import type { SnapshotPoint } from '../../core/series/types';
import { forecast } from '../../core/forecast';
import { compareSuppliers, profitabilityScenario } from '../../core/profitability';
import { competitorSeries } from '../modules/forecast/forecast.compute';

/** Sell-out ETA fits kept per thread (detectDeals' etaCache), the least recently used dropped past ETA_CACHE_SIZE. */
export const ETA_CACHE_SIZE = 2_000;
const etaFits = new Map<string, SellOutEta>();
const etaCache: EtaCache = {
  get(key) {
    const v = etaFits.get(key);
    if (v !== undefined) {
      etaFits.delete(key);
      etaFits.set(key, v);
    }
    return v;
  },
  set(key, value) {
    etaFits.set(key, value);
    if (etaFits.size > ETA_CACHE_SIZE) etaFits.delete(etaFits.keys().next().value as string);
  },
};

export const TASKS = {
  /** Model fits and rolling-origin backtests of one demand series (35–100 ms on the demo data). */
  forecast,
  /** Seeded Monte Carlo over lead-time outcomes, one run per supplier and simulated day. */
  compareSuppliers,
  /** The contribution curve over order quantities (one inventory simulation per candidate quantity). */
  profitabilityScenario,
  /**
   * Deal detection over a competitor's history, drain fits and sell-out ETA bootstrap included; the
   * same live deal asked again (an unchanged claim curve) reuses its ETA fit from this thread's memo.
   */
  detectDeals: (points: readonly SnapshotPoint[], opts: DetectDealsOptions) => detectDeals(points, { ...opts, etaCache }),
  /** A competitor forecast's work on its readings: hourly series, live deal, provenance (forecast.compute.ts). */
  competitorSeries,
} as const;

/** A registry of pure functions: what a pool runs (the production TASKS, or a test's own module). */
export type TaskRegistry = Readonly<Record<string, (...args: never[]) => unknown>>;
export type Tasks = typeof TASKS;
