/**
 * Flags snapshots whose data should not drive alerts (bad captures must not raise or clear an
 * alert, nor skew consumption figures): statistical anomalies (3σ on
 * deltas, isolation forest on stock delta / price change / rank change) and cross-signal
 * contradictions (a large stock drop with no rank response). Real events that look unusual are
 * "explained" and not flagged: a stock increase is a restock, a drop with a matching rank
 * improvement is sales, a price move when the deal type changes is a deal.
 *
 * Each reason has a scope: READING (the value itself is wrong: both periods touching it are
 * suspect) or INTERVAL (the change into this snapshot is not what it seems: only the period ending
 * here is suspect). Run it on a trailing window for live data: the newest snapshot has no right
 * neighbour yet, so a SPIKE (which needs the revert) shows up one snapshot later.
 */
import { Explainer, type Explanation } from '../explain';
import type { SnapshotPoint } from '../series/types';
import { fitIsolationForest, isolationScore } from './isolationForest';
import { sigmaOutliers, type SigmaMethod } from './sigma';
import { median } from './stats';

export type AnomalyCode = 'IMPOSSIBLE_VALUE' | 'SPIKE' | 'CROSS_SIGNAL' | 'ISOLATION_FOREST';
export type AnomalyField = 'stock' | 'price' | 'rank';

export interface AnomalyReason {
  code: AnomalyCode;
  fields: AnomalyField[];
  scope: 'READING' | 'INTERVAL';
  detail: string;
}

export interface SnapshotFlag {
  index: number;
  at: number;
  anomalous: boolean;
  reasons: AnomalyReason[];
  /** Isolation score of the change into this snapshot (null: not scored). */
  isolationScore: number | null;
  /** Robust z of the change into this snapshot per field (null: no usable change). */
  z: Record<AnomalyField, number | null>;
}

export interface AnomalyDetectionOptions {
  seed: number;
  /** σ threshold for delta outliers (default 3). */
  k?: number;
  /** Default MEDIAN_MAD (robust); MEAN_SD is the textbook 3σ. */
  method?: SigmaMethod;
  /** A SPIKE needs the next change to undo at least this share of the jump (default 0.5). */
  spikeRevert?: number;
  /** A cross-signal drop must be at least this many units (default 1). */
  minDropUnits?: number;
  /** Rank improvement over the window's typical BSR (log ratio) always required of a large drop (default 0.05). */
  rankEpsilon?: number;
  /** Minimum log-rank response per log of drop/typical drop (default 0.25). */
  minRankElasticity?: number;
  /** BSR may lag stock by this many snapshots (default 0: daily data; BSR updates about hourly,
   *  so use 1–6 for captures every 10–60 minutes). */
  rankLag?: number;
  /** Isolation forest settings; null disables it. Default 100 trees, ψ 256, threshold 0.65. */
  forest?: { trees?: number; sampleSize?: number; threshold?: number } | null;
  /** Fewer usable changes than this: only impossible values are checked (default 8). */
  minPoints?: number;
}

export interface AnomalyReport {
  flags: SnapshotFlag[];
  anomalousCount: number;
  explanation: Explanation;
}

const fmt = (x: number): string => String(Number(x.toPrecision(4)));

/** Upper end of the plausible log-rank response per log of sales (BSR moves less than 1:1 in practice). */
const MAX_RANK_ELASTICITY = 1.5;
/** Day-to-day noise of log BSR tolerated around the expected response. */
const RANK_TOLERANCE = 0.15;

/** Validated detection options with their defaults (anomalySettings). */
export interface Settings {
  k: number;
  method: SigmaMethod;
  spikeRevert: number;
  minDrop: number;
  rankEps: number;
  elasticity: number;
  rankLag: number;
  minPoints: number;
  forest: { trees: number; sampleSize: number; threshold: number } | null;
}

/** Validated options with their defaults; snapshots must be in strictly increasing time order. */
export function anomalySettings(snapshots: readonly SnapshotPoint[], opts: AnomalyDetectionOptions): Settings {
  if (!Array.isArray(snapshots)) throw new TypeError('snapshots must be an array');
  if (!opts || !Number.isFinite(opts.seed)) throw new TypeError(`opts.seed must be a finite number, got ${String(opts?.seed)}`);
  const st: Settings = {
    k: opts.k ?? 3,
    method: opts.method ?? 'MEDIAN_MAD',
    spikeRevert: opts.spikeRevert ?? 0.5,
    minDrop: opts.minDropUnits ?? 1,
    rankEps: opts.rankEpsilon ?? 0.05,
    elasticity: opts.minRankElasticity ?? 0.25,
    rankLag: opts.rankLag ?? 0,
    minPoints: opts.minPoints ?? 8,
    forest: opts.forest === null ? null : { trees: 100, sampleSize: 256, threshold: 0.65, ...(opts.forest ?? {}) },
  };
  if (!(st.spikeRevert > 0 && st.spikeRevert <= 1)) throw new RangeError(`spikeRevert must be in (0, 1], got ${st.spikeRevert}`);
  if (!(st.minDrop >= 0)) throw new RangeError(`minDropUnits must be ≥ 0, got ${st.minDrop}`);
  if (!(st.rankEps >= 0)) throw new RangeError(`rankEpsilon must be ≥ 0, got ${st.rankEps}`);
  if (!(st.elasticity >= 0)) throw new RangeError(`minRankElasticity must be ≥ 0, got ${st.elasticity}`);
  if (!Number.isInteger(st.rankLag) || st.rankLag < 0) throw new RangeError(`rankLag must be an integer ≥ 0, got ${st.rankLag}`);
  if (!Number.isInteger(st.minPoints) || st.minPoints < 2) throw new RangeError(`minPoints must be an integer ≥ 2, got ${st.minPoints}`);
  if (st.forest && !(st.forest.threshold > 0 && st.forest.threshold < 1)) {
    throw new RangeError(`forest.threshold must be in (0, 1), got ${st.forest.threshold}`);
  }
  for (let i = 1; i < snapshots.length; i++) {
    if (!(snapshots[i].at > snapshots[i - 1].at)) {
      throw new RangeError(
        `snapshots must be in strictly increasing time order: snapshots[${i}].at=${snapshots[i].at} ≤ ${snapshots[i - 1].at}`,
      );
    }
  }
  return st;
}

function addReason(flags: SnapshotFlag[], i: number, r: AnomalyReason): void {
  flags[i].reasons.push(r);
  flags[i].anomalous = true;
}

type BadFields = Record<AnomalyField, boolean>;

/** Impossible values (negative stock, price or BSR not > 0): the reading is wrong whatever the rest says. */
function markImpossible(snapshots: readonly SnapshotPoint[], flags: SnapshotFlag[]): BadFields[] {
  const bad = snapshots.map(() => ({ stock: false, price: false, rank: false }));
  snapshots.forEach((s, i) => {
    const f: AnomalyField[] = [];
    if (s.stock !== null && s.stock < 0) f.push('stock');
    if (s.price !== null && !(s.price > 0)) f.push('price');
    if (s.bsr !== null && !(s.bsr > 0)) f.push('rank');
    for (const x of f) bad[i][x] = true;
    if (f.length)
      addReason(flags, i, {
        code: 'IMPOSSIBLE_VALUE',
        fields: f,
        scope: 'READING',
        detail: `impossible ${f.join(', ')} (stock ${s.stock}, price ${s.price}, bsr ${s.bsr})`,
      });
  });
  return bad;
}

/** Changes into each snapshot, their kσ outliers, and the window's typical drop and rank. */
interface Signals {
  n: number;
  bsr: (number | null)[];
  /** Usable values per field (null: missing, censored or impossible). */
  vals: Record<AnomalyField, (number | null)[]>;
  /** The change into i is from reading i − 1 itself (no unusable reading bridged). */
  adjacent: Record<AnomalyField, boolean[]>;
  /** Stock change, log price change, log BSR change into each snapshot (null: no usable change). */
  dS: (number | null)[];
  dP: (number | null)[];
  dR: (number | null)[];
  sig: Record<AnomalyField, ReturnType<typeof sigmaOutliers>>;
  /** Median stock drop, at least 1. */
  typicalDrop: number;
  /** Median BSR over the window. */
  typicalRank: number | null;
}

/**
 * Change into each usable reading from the previous usable reading of the same field (readings
 * without a usable value in between are skipped, so inserting one changes no change); null for the
 * first usable one and for unusable readings.
 */
function changesFromPrevious(vals: readonly (number | null)[], change: (v: number, prev: number) => number): (number | null)[] {
  let prev: number | null = null;
  return vals.map((v) => {
    if (v === null) return null;
    const d = prev === null ? null : change(v, prev);
    prev = v;
    return d;
  });
}

/**
 * Changes between consecutive usable readings (the scale statistics and SPIKE use them; the
 * cross-signal and forest tests only those between adjacent readings). Censored (lower-bound) stock
 * gives no usable value: it is a bound, not a reading.
 */
function changeSignals(snapshots: readonly SnapshotPoint[], bad: readonly BadFields[], st: Settings): Signals {
  const stock = snapshots.map((s, i) => (s.stock === null || s.stockIsLowerBound || bad[i].stock ? null : s.stock));
  const price = snapshots.map((s, i) => (s.price === null || bad[i].price ? null : s.price));
  const bsr = snapshots.map((s, i) => (s.bsr === null || bad[i].rank ? null : s.bsr));
  const dS = changesFromPrevious(stock, (v, p) => v - p);
  const dP = changesFromPrevious(price, (v, p) => Math.log(v / p));
  const dR = changesFromPrevious(bsr, (v, p) => Math.log(v / p));
  const o = { k: st.k, method: st.method, minCount: st.minPoints };
  const sig = { stock: sigmaOutliers(dS, o), price: sigmaOutliers(dP, o), rank: sigmaOutliers(dR, o) };
  const drops = dS.filter((d): d is number => d !== null && d < 0).map((d) => -d);
  // Rank is compared with its typical level over the window, not with the previous snapshot: in a
  // sustained sales surge the rank improves once and then stays improved, while every day's drop
  // is still large against the window's typical drop.
  const ranks = bsr.filter((b): b is number => b !== null);
  return {
    n: snapshots.length,
    bsr,
    vals: { stock, price, rank: bsr },
    adjacent: {
      stock: stock.map((v, i) => i > 0 && v !== null && stock[i - 1] !== null),
      price: price.map((v, i) => i > 0 && v !== null && price[i - 1] !== null),
      rank: bsr.map((v, i) => i > 0 && v !== null && bsr[i - 1] !== null),
    },
    dS,
    dP,
    dR,
    sig,
    typicalDrop: Math.max(1, drops.length ? median(drops) : 1),
    typicalRank: ranks.length ? median(ranks) : null,
  };
}

/** Rank improvements ln(typical BSR ÷ bsr[j]) for j in [i, i + lag] (BSR may lag the stock). */
function rankImprovements(sg: Signals, i: number, rankLag: number): number[] {
  if (sg.typicalRank === null) return [];
  const out: number[] = [];
  for (let j = i; j <= Math.min(sg.n - 1, i + rankLag); j++) {
    const b = sg.bsr[j];
    if (b !== null) out.push(Math.log(sg.typicalRank / b));
  }
  return out;
}

/** Best rank improvement within the lag; null when unknown. */
function rankImprovement(sg: Signals, i: number, rankLag: number): number | null {
  const xs = rankImprovements(sg, i, rankLag);
  return xs.length ? Math.max(...xs) : null;
}

/** Rank improvement a drop requires: max(ε, elasticity × ln max(1, drop ÷ typical drop)). */
export function requiredRankImprovement(drop: number, typicalDrop: number, rankEps: number, elasticity: number): number {
  return Math.max(rankEps, elasticity * Math.log(Math.max(1, drop / typicalDrop)));
}

/** true: the drop came with a fitting rank improvement (sales); false: it did not; null: no rank data. */
function coherentDrop(sg: Signals, i: number, st: Settings): boolean | null {
  const d = sg.dS[i];
  if (d === null || d >= 0) return null;
  const imp = rankImprovement(sg, i, st.rankLag);
  return imp === null ? null : imp >= requiredRankImprovement(-d, sg.typicalDrop, st.rankEps, st.elasticity);
}

/**
 * Stock drop and rank tell the same story: the rank's move against its typical level is what the
 * drop's size against the typical drop implies (s = ln(max(1, drop) ÷ typical drop)), for a rank
 * elasticity between minRankElasticity and MAX_RANK_ELASTICITY, give or take RANK_TOLERANCE (daily
 * rank noise). Fewer sales with a worse rank is as consistent as more sales with a better one.
 */
function salesConsistent(sg: Signals, i: number, st: Settings): boolean {
  const d = sg.dS[i];
  if (d === null || d > 0) return false;
  const s = Math.log(Math.max(1, -d) / sg.typicalDrop);
  const lo = Math.min(st.elasticity * s, MAX_RANK_ELASTICITY * s) - RANK_TOLERANCE;
  const hi = Math.max(st.elasticity * s, MAX_RANK_ELASTICITY * s) + RANK_TOLERANCE;
  return rankImprovements(sg, i, st.rankLag).some((imp) => imp >= lo && imp <= hi);
}

/** Index of the nearest usable value of a field before (step −1) or after (step +1) index i; −1 when none. */
function usableNeighbour(vals: readonly (number | null)[], i: number, step: 1 | -1): number {
  for (let j = i + step; j >= 0 && j < vals.length; j += step) if (vals[j] !== null) return j;
  return -1;
}

/**
 * SPIKE: an outlier change undone (by at least spikeRevert of it) by an opposite outlier change
 * into the next usable reading. A dip whose falling leg is rank-coherent is a sell-down followed
 * by a restock, not a glitch.
 */
function markSpikes(sg: Signals, st: Settings, flags: SnapshotFlag[], only: number | null): void {
  const series = { stock: sg.dS, price: sg.dP, rank: sg.dR } as const;
  for (let i = Math.max(1, only ?? 1); i < (only === null ? sg.n - 1 : Math.min(only + 1, sg.n - 1)); i++) {
    for (const f of ['stock', 'price', 'rank'] as const) {
      const da = series[f][i];
      const j = da === null ? -1 : usableNeighbour(sg.vals[f], i, 1);
      if (da === null || j < 0) continue;
      const a = sg.sig[f].points[i];
      const b = sg.sig[f].points[j];
      const db = series[f][j] as number;
      if (!a.outlier || !b.outlier || Math.sign(da) === Math.sign(db)) continue;
      if (Math.abs(db) < st.spikeRevert * Math.abs(da)) continue;
      if (f === 'stock' && da < 0 && coherentDrop(sg, i, st) === true) continue;
      if (f === 'stock' && da > 0 && coherentDrop(sg, j, st) === true) continue;
      const v = sg.vals[f];
      addReason(flags, i, {
        code: 'SPIKE',
        fields: [f],
        scope: 'READING',
        detail: `${f} ${v[usableNeighbour(v, i, -1)]} → ${v[i]} → ${v[j]}: jump and revert (z ${fmt(a.z!)}, ${fmt(b.z!)}; outlier beyond ±${st.k}σ, revert ≥ ${fmt(100 * st.spikeRevert)} % of the jump)`,
      });
    }
  }
}

/** Both readings show the same deal: a drop between them is the deal's own sales (BSR lags claims), not a contradiction. */
function inLiveDeal(snapshots: readonly SnapshotPoint[], i: number): boolean {
  return i > 0 && snapshots[i].dealType !== 'NONE' && snapshots[i].dealType === snapshots[i - 1].dealType;
}

/**
 * CROSS_SIGNAL: a large drop (robust z ≤ −k, at least minDropUnits) without the rank response sales
 * would cause; a drop inside a live deal is its sales.
 */
function markCrossSignal(snapshots: readonly SnapshotPoint[], sg: Signals, st: Settings, flags: SnapshotFlag[], only: number | null): void {
  for (let i = Math.max(1, only ?? 1); i < (only === null ? sg.n : Math.min(only + 1, sg.n)); i++) {
    const d = sg.dS[i];
    const z = sg.sig.stock.points[i].z;
    // Only a change between adjacent readings: across a censored or missing reading the drop
    // spans several capture intervals and is no single interval's sales.
    if (d === null || !sg.adjacent.stock[i] || d >= 0 || z === null || z > -st.k || -d < st.minDrop || inLiveDeal(snapshots, i)) continue;
    if (coherentDrop(sg, i, st) !== false) continue;
    addReason(flags, i, {
      code: 'CROSS_SIGNAL',
      fields: ['stock'],
      scope: 'INTERVAL',
      detail: `stock dropped ${-d} (z ${fmt(z)} ≤ −${st.k}, typical drop ${fmt(sg.typicalDrop)}) but rank is only ${fmt(rankImprovement(sg, i, st.rankLag)!)} better than typical (log BSR), < ${fmt(requiredRankImprovement(-d, sg.typicalDrop, st.rankEps, st.elasticity))} required`,
    });
  }
}

/**
 * Isolation forest on (stock delta, log price change, log rank change): a score ≥ threshold is
 * flagged unless a restock, rank-consistent sales or a deal change explains it. Returns the number scored.
 */
function markIsolation(
  snapshots: readonly SnapshotPoint[],
  sg: Signals,
  st: Settings,
  seed: number,
  flags: SnapshotFlag[],
  only: number | null,
): number {
  const forestOpts = st.forest;
  if (!forestOpts) return 0;
  const { dS, dP, dR } = sg;
  const rows: { i: number; x: number[] }[] = [];
  for (let i = 1; i < sg.n; i++) {
    if (sg.adjacent.stock[i] && sg.adjacent.price[i] && sg.adjacent.rank[i]) rows.push({ i, x: [dS[i]!, dP[i]!, dR[i]!] });
  }
  if (rows.length < st.minPoints) return 0;
  /** A restock, rank-consistent sales (more or fewer than usual), a deal start/end or a live deal's sales explain the change. */
  const explained = (i: number) =>
    dS[i]! > 0 || salesConsistent(sg, i, st) || snapshots[i].dealType !== snapshots[i - 1].dealType || inLiveDeal(snapshots, i);
  // One reading judged: fit the forest only when its change is scored and nothing explains it.
  const judged = only === null ? rows : rows.filter((r) => r.i === only && !explained(r.i));
  if (judged.length === 0) return 0;
  const forest = fitIsolationForest(
    rows.map((r) => r.x),
    { seed, trees: forestOpts.trees, sampleSize: forestOpts.sampleSize },
  );
  for (const r of judged) {
    const score = isolationScore(forest, r.x);
    flags[r.i].isolationScore = score;
    if (score < forestOpts.threshold || explained(r.i)) continue;
    const d = dS[r.i]!;
    const z = flags[r.i].z;
    const fields = (['stock', 'price', 'rank'] as const).filter((f) => z[f] !== null && Math.abs(z[f]!) >= 2);
    addReason(flags, r.i, {
      code: 'ISOLATION_FOREST',
      fields: fields.length ? fields : ['stock', 'price', 'rank'],
      scope: 'INTERVAL',
      detail: `isolation score ${fmt(score)} ≥ ${forestOpts.threshold} (Δstock ${d}, Δln price ${fmt(dP[r.i]!)}, Δln BSR ${fmt(dR[r.i]!)}) with no restock, sales or deal to explain it`,
    });
  }
  return rows.length;
}

/**
 * Runs the detectors in order (impossible values, spikes, cross-signal drops, isolation forest) on
 * every snapshot, or on the one at index `only` (its neighbours still give the statistics).
 */
function runDetectors(snapshots: readonly SnapshotPoint[], st: Settings, seed: number, only: number | null) {
  const flags: SnapshotFlag[] = snapshots.map((s, index) => ({
    index,
    at: s.at,
    anomalous: false,
    reasons: [],
    isolationScore: null,
    z: { stock: null, price: null, rank: null },
  }));
  const bad = markImpossible(snapshots, flags);
  const sg = changeSignals(snapshots, bad, st);
  for (let i = 0; i < snapshots.length; i++) {
    flags[i].z = { stock: sg.sig.stock.points[i].z, price: sg.sig.price.points[i].z, rank: sg.sig.rank.points[i].z };
  }
  markSpikes(sg, st, flags, only);
  markCrossSignal(snapshots, sg, st, flags, only);
  const scored = markIsolation(snapshots, sg, st, seed, flags, only);
  return { flags, sg, scored };
}

/**
 * The flag of the snapshot at `index` judged against the snapshots given (its neighbourhood): the
 * same detectors as detectSnapshotAnomalies, the forest fitted on the neighbourhood's changes only
 * when this reading's change is scored and unexplained. core/anomalies/flags.ts picks the neighbourhood.
 */
export function detectSnapshotAnomalyAt(snapshots: readonly SnapshotPoint[], index: number, opts: AnomalyDetectionOptions): SnapshotFlag {
  const st = anomalySettings(snapshots, opts);
  if (!Number.isInteger(index) || index < 0 || index >= snapshots.length) {
    throw new RangeError(`index must be an integer in [0, ${snapshots.length - 1}], got ${index}`);
  }
  return runDetectors(snapshots, st, opts.seed, index).flags[index];
}

/** Flags per snapshot, in the order: impossible values, spikes, cross-signal drops, isolation forest. */
export function detectSnapshotAnomalies(snapshots: readonly SnapshotPoint[], opts: AnomalyDetectionOptions): AnomalyReport {
  const st = anomalySettings(snapshots, opts);
  const n = snapshots.length;
  const { flags, sg, scored } = runDetectors(snapshots, st, opts.seed, null);

  const anomalousCount = flags.filter((f) => f.anomalous).length;
  const ex = new Explainer('snapshot anomalies: impossible values, kσ spikes on deltas, cross-signal drop vs rank, isolation forest', {
    snapshots: n,
    k: st.k,
    method: st.method,
    spikeRevert: st.spikeRevert,
    rankEpsilon: st.rankEps,
    minRankElasticity: st.elasticity,
    typicalDrop: sg.typicalDrop,
    typicalRank: sg.typicalRank,
    forestThreshold: st.forest?.threshold ?? null,
    seed: opts.seed,
  })
    .step('scored by isolation forest', scored)
    .step('anomalous snapshots', anomalousCount);
  for (const code of ['IMPOSSIBLE_VALUE', 'SPIKE', 'CROSS_SIGNAL', 'ISOLATION_FOREST'] as const) {
    ex.step(code, flags.filter((f) => f.reasons.some((r) => r.code === code)).length);
  }
  return { flags, anomalousCount, explanation: ex.build() };
}

/**
 * The anomaly mark for a period (from, to] whose figure is computed from the readings at `from`
 * and `to`: READING reasons at either end, INTERVAL reasons inside. Only reasons touching `fields`
 * count (stock for consumption, price for deal alerts). Null when the period is clean.
 */
export function anomalyForPeriod(
  flags: readonly SnapshotFlag[],
  from: number,
  to: number,
  fields: readonly AnomalyField[] = ['stock'],
): { reasons: string[] } | null {
  if (!(to >= from)) throw new RangeError(`to must be ≥ from, got ${from} → ${to}`);
  const reasons: string[] = [];
  for (const f of flags) {
    if (f.at < from || f.at > to) continue;
    for (const r of f.reasons) {
      if (!r.fields.some((x) => fields.includes(x))) continue;
      if (r.scope === 'INTERVAL' && f.at === from) continue;
      reasons.push(`${r.code}: ${r.detail}`);
    }
  }
  return reasons.length ? { reasons } : null;
}
