/**
 * THE per-reading anomaly flags: one verdict per snapshot that restocks, stockout windows, velocity
 * and alerts all honour, and that Competitor.anomalies shows.
 *
 * A flag is a pure function of the reading and its NEIGHBOURHOOD, a bounded context window:
 *
 *   before  back to the 48th reading with an exact stock figure, none more than 14 days older
 *           (the robust centre and 1.4826·MAD scale of the changes, the typical drop and the
 *           typical rank the detectors compare with)
 *   after   on to the 6th reading with an exact stock figure, none more than 48 hours newer (a
 *           SPIKE needs the next reading's revert; the rank may lag the stock by up to 6 readings
 *           when captures are frequent)
 *   censored or stock-less readings in between come along (at most 4 × 48 before and 4 × 6 after
 *   in all), so inserting a censored reading changes no stock verdict
 *
 * so it can be computed once per reading at ingest (and recomputed for the 6 readings before a new
 * one, whose neighbourhood it enters) and stored. The newest reading has no right neighbour yet, so
 * a SPIKE on it shows one capture later. The detectors are detect.ts's (impossible values, kσ
 * spikes on changes with MEDIAN_MAD, cross-signal drop vs rank, isolation forest; seed 1), with the
 * rank lag taken from the neighbourhood's median capture interval.
 *
 * Each reason has a scope (detect.ts): READING (the value is wrong: restocks, stockout windows,
 * velocity and alerts leave it out, as if it had not been captured) or INTERVAL (the change into
 * the reading is not what it seems, e.g. a drop the rank does not explain: the reading's level
 * stands; alerts do not fire on that period; velocity still counts stock that left, the
 * anomalies field says why it may not be sales).
 *
 * Restocks, stockouts and velocity use only the READING verdicts on stock, and those can only be a
 * SPIKE (validated stock is never negative), so stockReadingFlags judges just the readings where a
 * spike is possible at all (mayBeWrongStock) and gives exactly anomalyFlags' stock verdicts at a
 * fraction of the cost; alerts and Competitor.anomalies use anomalyFlags (every reason).
 */
import { medianIntervalMs } from '../series/provenance';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../series/types';
import { validatePoints } from '../series/validate';
import {
  type AnomalyDetectionOptions,
  type AnomalyField,
  type Settings,
  type SnapshotFlag,
  anomalySettings,
  detectSnapshotAnomalyAt,
  requiredRankImprovement,
} from './detect';
import { MAD_TO_SIGMA, MEANAD_TO_SIGMA, mean, sampleSd } from './stats';

/** The neighbourhood a flag depends on (see the header). */
export const ANOMALY_NEIGHBOURHOOD = { before: 48, after: 6, beforeMs: 14 * DAY_MS, afterMs: 2 * DAY_MS, maxSpan: 4 } as const;

/** A reading with an exact stock figure (what the neighbourhood counts). */
const exact = (p: SnapshotPoint): boolean => p.stock !== null && !p.stockIsLowerBound;

/** Detection options of the shared flags (everything but the seed and rank lag, which are fixed / derived). */
export type FlagOptions = Omit<AnomalyDetectionOptions, 'seed' | 'rankLag'>;

/** Seed of the isolation forest: fixed, so a reading's flag never depends on who asks. */
export const ANOMALY_SEED = 1;

/**
 * Index range [lo, hi] (inclusive) of the neighbourhood of points[index]: back to the 48th reading
 * with an exact stock figure before it and on to the 6th after it (censored or stock-less readings
 * in between come along, so inserting one changes no stock verdict), within 14 days before and
 * 48 h after, and at most maxSpan × 48 readings before and maxSpan × 6 after in all.
 */
export function neighbourhoodOf(points: readonly SnapshotPoint[], index: number): { lo: number; hi: number } {
  const N = ANOMALY_NEIGHBOURHOOD;
  const t = points[index].at;
  let lo = index;
  for (let n = 0; lo > 0 && index - lo < N.maxSpan * N.before && t - points[lo - 1].at <= N.beforeMs;) {
    if (exact(points[lo - 1]) && ++n > N.before) break;
    lo--;
  }
  let hi = index;
  for (let n = 0; hi < points.length - 1 && hi - index < N.maxSpan * N.after && points[hi + 1].at - t <= N.afterMs;) {
    if (exact(points[hi + 1]) && ++n > N.after) break;
    hi++;
  }
  return { lo, hi };
}

/**
 * Readings the rank may lag the stock by: BSR updates about hourly, so with a median capture
 * interval m < 2 h the lag is min(6, max(1, round(1 h ÷ max(m, 1 min)))) readings, else 0.
 */
export function rankLagFor(points: readonly SnapshotPoint[]): number {
  const m = medianIntervalMs(points);
  return m !== null && m < 2 * HOUR_MS ? Math.min(6, Math.max(1, Math.round(HOUR_MS / Math.max(m, 60_000)))) : 0;
}

/** The flag of points[index], computed from its neighbourhood only; `index` and `at` refer to `points`. */
export function flagReading(points: readonly SnapshotPoint[], index: number, opts: FlagOptions = {}): SnapshotFlag {
  if (!Number.isInteger(index) || index < 0 || index >= points.length) {
    throw new RangeError(`index must be an integer in [0, ${points.length - 1}], got ${index}`);
  }
  const { lo, hi } = neighbourhoodOf(points, index);
  const nb = points.slice(lo, hi + 1);
  const f = detectSnapshotAnomalyAt(nb, index - lo, { ...opts, seed: ANOMALY_SEED, rankLag: rankLagFor(nb) });
  return { ...f, index };
}

/**
 * flagReading for every reading of a series (sorted by time, validated). With `judge`, only the
 * readings captured in [judge.from, judge.to] are judged (a figure over a window needs no more);
 * the others get an unflagged flag, their neighbourhood still counts for the judged ones.
 */
export function anomalyFlags(
  points: readonly SnapshotPoint[],
  opts: FlagOptions = {},
  judge: { from: number; to: number } | null = null,
): SnapshotFlag[] {
  validatePoints(points);
  return points.map((p, i) =>
    judge === null || (p.at >= judge.from && p.at <= judge.to) ? flagReading(points, i, opts) : unflagged(i, p.at),
  );
}

/**
 * Necessary condition for a wrong STOCK value at points[i]: on validated readings (stock ≥ 0) the
 * only READING reason on stock is a SPIKE, which needs exact stock here and at the usable readings
 * p before and q after, with changes of opposite sign (or none into i) and |s_q − s_i| ≥
 * spikeRevert × |s_i − s_p|. Cheap: no statistics.
 */
export function mayBeWrongStock(points: readonly SnapshotPoint[], i: number, spikeRevert = 0.5): boolean {
  if (!exact(points[i])) return false;
  let p = i - 1;
  while (p >= 0 && !exact(points[p])) p--;
  let q = i + 1;
  while (q < points.length && !exact(points[q])) q++;
  if (p < 0 || q >= points.length) return false;
  const da = (points[i].stock as number) - (points[p].stock as number);
  const db = (points[q].stock as number) - (points[i].stock as number);
  return Math.sign(da) !== Math.sign(db) && Math.abs(db) >= spikeRevert * Math.abs(da);
}

/**
 * The flags restocks, stockout windows and velocity need: flagReading at every reading that may
 * hold a wrong stock value (mayBeWrongStock), an unflagged flag elsewhere. Their stock READING
 * verdicts are exactly anomalyFlags' (a property test checks it); other reasons are only complete
 * at the judged readings. `judge` limits the judged readings to a time range as in anomalyFlags.
 */
export function stockReadingFlags(
  points: readonly SnapshotPoint[],
  opts: FlagOptions = {},
  judge: { from: number; to: number } | null = null,
): SnapshotFlag[] {
  validatePoints(points);
  return points.map((p, i) =>
    (judge === null || (p.at >= judge.from && p.at <= judge.to)) && mayBeWrongStock(points, i, opts.spikeRevert)
      ? flagReading(points, i, opts)
      : unflagged(i, p.at),
  );
}

/**
 * The readings whose STOCK value is wrong (left out as if not captured): exactly
 * wrongFields(stockReadingFlags(points, opts, judge)[i]).has('stock'), a property test checks it
 * against that reference, at a fraction of its cost. Fact maintenance at ingest needs only these
 * verdicts (intervals and deal runs read no price or BSR). On validated readings the only READING
 * reason on stock is a SPIKE, so per candidate (mayBeWrongStock) this evaluates just detect.ts's
 * stock SPIKE test over the reading's neighbourhood (neighbourhoodOf), cheapest conditions first:
 *   the change into it and into the next exact reading have opposite signs, the second undoes at
 *   least spikeRevert of the first; at least minPoints changes in the neighbourhood; both changes
 *   kσ outliers against the neighbourhood's changes (sigma.ts: median and 1.4826·MAD, or 1.2533 ×
 *   mean absolute deviation when MAD = 0; MEAN_SD: mean and sample SD); and the falling leg not a
 *   rank-coherent sale (detect.ts coherentDrop: ln(median BSR ÷ BSR) within the rank lag ≥
 *   max(ε, elasticity × ln(drop ÷ median drop))). Medians sort typed copies (no comparator, no
 *   price or rank statistics, no flag objects). `judge` as in stockReadingFlags.
 */
export function wrongStockReadings(
  points: readonly SnapshotPoint[],
  opts: FlagOptions = {},
  judge: { from: number; to: number } | null = null,
): boolean[] {
  validatePoints(points);
  const st = anomalySettings(points, { ...opts, seed: ANOMALY_SEED });
  const out: boolean[] = new Array(points.length).fill(false);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if ((judge === null || (p.at >= judge.from && p.at <= judge.to)) && mayBeWrongStock(points, i, st.spikeRevert)) {
      out[i] = isStockSpike(points, i, st);
    }
  }
  return out;
}

/** The readings with the stock values wrongStockReadings marks removed (null, as if not captured); the same array when none. */
export function withoutWrongStock(points: readonly SnapshotPoint[], wrong: readonly boolean[]): readonly SnapshotPoint[] {
  if (wrong.length !== points.length) throw new RangeError(`wrong must hold one verdict per reading: ${wrong.length} for ${points.length}`);
  if (!wrong.includes(true)) return points;
  return points.map((p, i) => (wrong[i] ? { ...p, stock: null, stockIsLowerBound: false } : p));
}

/** Median of the first `n` values (a sorted typed copy; the arithmetic of stats.ts median). */
function medianOf(xs: Float64Array, n: number): number {
  const s = xs.slice(0, n).sort();
  const m = n >> 1;
  return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Centre and scale of sigma.ts sigmaOutliers over the first `n` changes (null scale: no outliers). */
function sigmaScale(d: Float64Array, n: number, st: Settings): { center: number; scale: number | null } {
  if (n < st.minPoints) return { center: 0, scale: null };
  if (st.method === 'MEAN_SD') {
    const xs = Array.from(d.subarray(0, n));
    return { center: mean(xs), scale: sampleSd(xs) };
  }
  const center = medianOf(d, n);
  const dev = new Float64Array(n);
  for (let x = 0; x < n; x++) dev[x] = Math.abs(d[x] - center);
  const m = medianOf(dev, n);
  if (m > 0) return { center, scale: MAD_TO_SIGMA * m };
  let sum = 0;
  for (let x = 0; x < n; x++) sum += dev[x];
  return { center, scale: MEANAD_TO_SIGMA * (sum / n) };
}

/** detect.ts's stock SPIKE verdict on points[i] judged against its neighbourhood (see wrongStockReadings). */
function isStockSpike(points: readonly SnapshotPoint[], i: number, st: Settings): boolean {
  const { lo, hi } = neighbourhoodOf(points, i);
  if (i - lo < 1 || i > hi - 1) return false;
  // Changes between consecutive exact readings of the neighbourhood, in time order; ka / kb: the
  // change into points[i] and into the next exact reading (at j).
  const d = new Float64Array(hi - lo + 1);
  let m = 0;
  let ka = -1;
  let kb = -1;
  let j = -1;
  let prev: number | null = null;
  for (let x = lo; x <= hi; x++) {
    const s = points[x].stock;
    if (s === null || points[x].stockIsLowerBound || s < 0) continue;
    if (prev !== null) {
      if (x === i) ka = m;
      else if (ka >= 0 && kb < 0) [kb, j] = [m, x];
      d[m++] = s - prev;
    }
    prev = s;
  }
  if (ka < 0 || kb < 0) return false;
  const da = d[ka];
  const db = d[kb];
  if (Math.sign(da) === Math.sign(db) || Math.abs(db) < st.spikeRevert * Math.abs(da)) return false;
  const { center, scale } = sigmaScale(d, m, st);
  if (scale === null || scale === 0) return false;
  if (!(Math.abs((da - center) / scale) >= st.k && Math.abs((db - center) / scale) >= st.k)) return false;
  // detect.ts markSpikes: a falling first leg is checked at i, a rising one's fall at j; none after a 0 change.
  const fall = da < 0 ? { at: i, drop: -da } : da > 0 && db < 0 ? { at: j, drop: -db } : null;
  return fall === null || !coherentFall(points, lo, hi, d, m, fall, st);
}

/** detect.ts coherentDrop for the drop into points[fall.at]: a fitting rank improvement within the rank lag. */
function coherentFall(
  points: readonly SnapshotPoint[],
  lo: number,
  hi: number,
  d: Float64Array,
  m: number,
  fall: { at: number; drop: number },
  st: Settings,
): boolean {
  const ranks = new Float64Array(hi - lo + 1);
  let r = 0;
  for (let x = lo; x <= hi; x++) {
    const b = points[x].bsr;
    if (b !== null && b > 0) ranks[r++] = b;
  }
  if (r === 0) return false;
  const typicalRank = medianOf(ranks, r);
  const lag = rankLagFor(points.slice(lo, hi + 1));
  let best: number | null = null;
  for (let x = fall.at; x <= Math.min(hi, fall.at + lag); x++) {
    const b = points[x].bsr;
    if (b !== null && b > 0) best = Math.max(best ?? -Infinity, Math.log(typicalRank / b));
  }
  if (best === null) return false;
  const drops = new Float64Array(m);
  let n = 0;
  for (let x = 0; x < m; x++) if (d[x] < 0) drops[n++] = -d[x];
  const typicalDrop = Math.max(1, n ? medianOf(drops, n) : 1);
  return best >= requiredRankImprovement(fall.drop, typicalDrop, st.rankEps, st.elasticity);
}

function unflagged(index: number, at: number): SnapshotFlag {
  return { index, at, anomalous: false, reasons: [], isolationScore: null, z: { stock: null, price: null, rank: null } };
}

/** Throws unless `flags` are the flags of `points` (one per reading, same times). */
export function checkFlags(points: readonly SnapshotPoint[], flags: readonly SnapshotFlag[]): void {
  if (!Array.isArray(flags)) throw new TypeError('anomalies must be an array of flags, one per reading');
  if (flags.length !== points.length)
    throw new RangeError(`anomalies must hold one flag per reading: ${flags.length} for ${points.length}`);
  for (let i = 0; i < flags.length; i++) {
    if (flags[i].at !== points[i].at) throw new RangeError(`anomalies[${i}].at=${flags[i].at} is not points[${i}].at=${points[i].at}`);
  }
}

/** The fields whose VALUE a flag says is wrong (READING scope). */
export function wrongFields(flag: SnapshotFlag): Set<AnomalyField> {
  const out = new Set<AnomalyField>();
  for (const r of flag.reasons) if (r.scope === 'READING') for (const f of r.fields) out.add(f);
  return out;
}

/**
 * The readings with every value a READING flag says is wrong removed (stock, price or BSR set to
 * null, as if not captured); the same array when nothing is flagged.
 */
export function withoutAnomalousValues(points: readonly SnapshotPoint[], flags: readonly SnapshotFlag[]): readonly SnapshotPoint[] {
  checkFlags(points, flags);
  if (!flags.some((f) => f.anomalous)) return points;
  return points.map((p, i) => {
    const wrong = wrongFields(flags[i]);
    if (wrong.size === 0) return p;
    return {
      ...p,
      ...(wrong.has('stock') ? { stock: null, stockIsLowerBound: false } : {}),
      ...(wrong.has('price') ? { price: null } : {}),
      ...(wrong.has('rank') ? { bsr: null } : {}),
    };
  });
}

/** A human sentence for a flagged reading: each reason with the values and thresholds it rests on. */
export function anomalySentence(flag: SnapshotFlag): string {
  if (!flag.anomalous) return 'no anomaly';
  return flag.reasons
    .map((r) => {
      const what =
        r.scope === 'READING'
          ? `the ${r.fields.join(', ')} reading is taken as wrong and left out`
          : 'the change into this reading is not counted as sales';
      return `${r.code}: ${r.detail}; ${what}.`;
    })
    .join(' ');
}

/** Notes for an explanation when stock readings flagged as wrong in [from, to] were left out (empty when none). */
export function anomalyNote(points: readonly SnapshotPoint[], flags: readonly SnapshotFlag[], from = -Infinity, to = Infinity): string[] {
  const hit = flags.filter((f, i) => points[i].at >= from && points[i].at <= to && wrongFields(f).has('stock'));
  if (!hit.length) return [];
  const first = hit
    .slice(0, 3)
    .map((f) => `${new Date(f.at).toISOString()} (${f.reasons.map((r) => r.code).join(', ')})`)
    .join('; ');
  return [
    `${hit.length} stock reading(s) flagged as wrong were left out, as if not captured (see Competitor.anomalies): ${first}${hit.length > 3 ? '; …' : ''}`,
  ];
}
