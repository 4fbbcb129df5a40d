/**
 * Detector benchmark on a labelled scenario set (core/sim): precision / recall of restocks, deals
 * and stockout windows, deal status and sold-out time accuracy, and sell-out ETA error vs the true
 * sell-out minute at 25 / 50 / 75 % of each deal's life. Every figure is compared with a naive
 * baseline measured in the same run:
 *   restocks   naive = every rise between consecutive readings (censored values taken at face value)
 *   stockouts  naive = consecutive 0 readings ≥ 24 h, any non-zero reading ends it
 *   deals      naive = every stretch of consecutive deal-flagged readings
 *   ETA        naive = remaining ÷ average rate since the deal started (straight line)
 *
 * Matching rules (documented so the numbers can be checked):
 *   restock    a detected event (kind ≠ FLAP, confidence ≥ 0.5) matches a true restock whose arrival
 *              lies in [earliestAt − 1 min, at + 1 min]. Recall counts true restocks that a reading
 *              could show (stock below the source's cap before, a capture after).
 *   deal       same type and overlapping [first, last reading] vs the true visible period.
 *   stockout   overlap in time. True windows within ±tol of the 24 h minimum (tol = 2 capture
 *              intervals + 1 h: the capture grid cannot tell 23.5 h from 24.5 h) are neither
 *              required nor penalised.
 *
 * Issue 14 section (seeded simulated deals, core/deals/simulate.ts): start error and bracket coverage
 * by cadence; curve shape and peak period agreement across 5/10/30/60-minute cadences; sell-out ETA
 * error (median signed and absolute relative error, coverage) by drain and hours into the deal;
 * deals LIVE past their type's longest run and non-whole quantities; one-capture glitches (flags,
 * restocks and stockouts they would fake), restock quantities, the real-time rate rule on Poisson
 * counts and staleness of backfilled listings.
 *
 * Usage: npx tsx bench/detect.ts [competitors=200] [days=28] [seed=20260101] [seeds per cell=20]
 */
import { RATE_DEFAULTS, rateLevel } from '../core/alerts/rate';
import { anomalyFlags } from '../core/anomalies/flags';
import { detectDeals, type Deal } from '../core/deals/detect';
import { etaScenario, shapeScenario, simulateDeal, type SimulatedShape } from '../core/deals/simulate';
import { MAX_DEAL_DURATION_HOURS } from '../core/deals/timing';
import { detectRestocks } from '../core/restock/detect';
import { stockoutWindows } from '../core/restock/stockout';
import { captureStaleness, quantileSorted } from '../core/series/provenance';
import { createRng } from '../core/random';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../core/series/types';
import { generateScenarios } from '../core/sim/generate';
import type { Scenario, TrueDeal } from '../core/sim/types';

const competitors = Number(process.argv[2] ?? 200);
const days = Number(process.argv[3] ?? 28);
const seed = Number(process.argv[4] ?? 20260101);
const MIN = 60_000;

interface PR {
  tp: number;
  fp: number;
  fn: number;
}
const pr = (): PR => ({ tp: 0, fp: 0, fn: 0 });
const precision = (x: PR) => (x.tp + x.fp ? x.tp / (x.tp + x.fp) : 1);
const recall = (x: PR) => (x.tp + x.fn ? x.tp / (x.tp + x.fn) : 1);

function hasCaptureIn(points: readonly SnapshotPoint[], a: number, b: number): boolean {
  for (const p of points) if (p.at >= a && p.at <= b) return true;
  return false;
}

// ---------- naive baselines ----------
function naiveRestocks(points: readonly SnapshotPoint[]): { at: number; earliestAt: number }[] {
  const out: { at: number; earliestAt: number }[] = [];
  let prev: SnapshotPoint | null = null;
  for (const p of points) {
    if (p.stock === null) continue;
    if (prev && p.stock > (prev.stock as number)) out.push({ at: p.at, earliestAt: prev.at });
    prev = p;
  }
  return out;
}

function naiveStockouts(points: readonly SnapshotPoint[], minH: number): { start: number; end: number | null }[] {
  const out: { start: number; end: number | null }[] = [];
  let s: number | null = null;
  for (const p of points) {
    if (p.stock === null) continue;
    if (p.stock === 0) s ??= p.at;
    else if (s !== null) {
      if (p.at - s >= minH * HOUR_MS) out.push({ start: s, end: p.at });
      s = null;
    }
  }
  if (s !== null) out.push({ start: s, end: null });
  return out;
}

function naiveDeals(points: readonly SnapshotPoint[]): { type: string; first: number; last: number }[] {
  const out: { type: string; first: number; last: number }[] = [];
  let cur: { type: string; first: number; last: number } | null = null;
  for (const p of points) {
    if (p.dealType === 'NONE') {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    if (cur && cur.type === p.dealType) cur.last = p.at;
    else {
      if (cur) out.push(cur);
      cur = { type: p.dealType, first: p.at, last: p.at };
    }
  }
  if (cur) out.push(cur);
  return out;
}

// ---------- matching ----------
function matchRestocks(
  truth: Scenario['truth']['restocks'],
  observable: (r: Scenario['truth']['restocks'][number]) => boolean,
  det: { at: number; earliestAt: number; quantity?: number; toLevelIsLowerBound?: boolean }[],
  acc: PR,
  qtyErrors?: number[],
): void {
  const used = new Set<number>();
  for (const r of truth) {
    let hit = -1;
    for (let i = 0; i < det.length; i++) {
      if (used.has(i)) continue;
      if (r.at >= det[i].earliestAt - MIN && r.at <= det[i].at + MIN) {
        hit = i;
        break;
      }
    }
    if (hit >= 0) {
      used.add(hit);
      acc.tp++;
      const q = det[hit].quantity;
      if (qtyErrors && q !== undefined && !det[hit].toLevelIsLowerBound) qtyErrors.push(Math.abs(q - r.quantity) / r.quantity);
    } else if (observable(r)) acc.fn++;
  }
  acc.fp += det.length - used.size;
}

function trueVisible(d: TrueDeal, now: number): { s: number; e: number } {
  const s = d.announcedAt ?? d.startAt;
  const e = d.type === 'LIGHTNING' && d.soldOutAt !== null && !d.badgeStaysAfterSellOut ? d.soldOutAt : d.scheduledEndAt;
  return { s, e: Math.min(e, now) };
}

function pct(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    q,
  );
}

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : '—';
}

// ---------- run ----------
const t0 = Date.now();
const set = generateScenarios({ seed, competitors, days, start: Date.UTC(2026, 0, 5) });
const tGen = Date.now() - t0;
const now = set.now;

const R = { ours: pr(), naive: pr() };
const S = { ours: pr(), naive: pr() };
const Dl = { ours: pr(), naive: pr() };
let statusOk = 0;
let statusN = 0;
const soldOutErrMin: number[] = [];
const flapEpisodes = { truth: 0, eventsOnEpisodes: 0, episodesWithMoreThanOne: 0 };
let unobservableRestocks = 0;
const shapeConf: Record<string, Record<string, number>> = {};
const qtyErr: number[] = [];
const restockQtyErr: number[] = [];
const impliedCover = { n: 0, inBand: 0 };

interface EtaRow {
  frac: number;
  ours: number[];
  oursRel: number[];
  naive: number[];
  naiveRel: number[];
  oursNull: number;
  naiveNull: number;
  covered: number;
  coverN: number;
}
const fracs = [0.25, 0.5, 0.75];
const eta: EtaRow[] = fracs.map((frac) => ({
  frac,
  ours: [],
  oursRel: [],
  naive: [],
  naiveRel: [],
  oursNull: 0,
  naiveNull: 0,
  covered: 0,
  coverN: 0,
}));
const expiredCalls = { n: 0, ours: 0, naive: 0 };

const tDet0 = Date.now();
for (const sc of set.scenarios) {
  const pts = sc.points;
  const lastCapture = pts.length ? pts[pts.length - 1].at : -Infinity;
  const cap = sc.meta.stockCap;

  // Restocks.
  const det = detectRestocks(pts, { now }).filter((e) => e.kind !== 'FLAP' && e.confidence >= 0.5);
  const obs = (r: Scenario['truth']['restocks'][number]) =>
    r.observable && r.at < lastCapture && hasCaptureIn(pts, r.at, r.at + 6 * HOUR_MS);
  unobservableRestocks += sc.truth.restocks.filter((r) => !obs(r)).length;
  matchRestocks(sc.truth.restocks, obs, det, R.ours, restockQtyErr);
  matchRestocks(sc.truth.restocks, obs, naiveRestocks(pts), R.naive);
  void cap;

  // Flap episodes: how many events land on each true flap.
  const allEvents = detectRestocks(pts, { now });
  for (const f of sc.truth.flaps) {
    flapEpisodes.truth++;
    const n = allEvents.filter((e) => e.at >= f.start && e.at <= f.end + 6 * HOUR_MS && e.kind === 'FLAP').length;
    flapEpisodes.eventsOnEpisodes += n;
    if (n > 1) flapEpisodes.episodesWithMoreThanOne++;
  }

  // Stockouts.
  const interval = sc.meta.captureIntervalMinutes;
  const tol = (2 * interval) / 60 + 1;
  const wins = stockoutWindows(pts, { now, minDurationHours: 24 });
  const truthSo = sc.truth.stockouts.filter((w) => (w.end ?? now) <= lastCapture + HOUR_MS || w.end === null);
  const evalSo = (found: { start: number; end: number | null }[], acc: PR) => {
    const used = new Set<number>();
    for (const w of truthSo) {
      const we = w.end ?? now;
      const idx = found.findIndex((f, i) => !used.has(i) && f.start < we && (f.end ?? now) > w.start);
      const required = w.durationHours >= 24 + tol && (sc.truth.capturesStoppedAt === null || w.start < sc.truth.capturesStoppedAt);
      const allowed = w.durationHours >= 24 - tol;
      if (idx >= 0 && allowed) {
        used.add(idx);
        acc.tp++;
      } else if (idx >= 0) {
        used.add(idx);
        acc.fp++;
      } else if (required) acc.fn++;
    }
    acc.fp += found.length - used.size;
  };
  evalSo(wins, S.ours);
  evalSo(naiveStockouts(pts, 24), S.naive);

  // Deals.
  const deals = detectDeals(pts, { now, etaDraws: 50 });
  const truthDeals = sc.truth.deals.filter((d) => {
    const v = trueVisible(d, now);
    return hasCaptureIn(pts, v.s, v.e);
  });
  const usedD = new Set<number>();
  for (const td of truthDeals) {
    const v = trueVisible(td, now);
    const i = deals.findIndex((d, j) => !usedD.has(j) && d.type === td.type && d.firstSeenAt <= v.e && d.lastSeenAt >= v.s);
    if (i < 0) {
      Dl.ours.fn++;
      continue;
    }
    usedD.add(i);
    Dl.ours.tp++;
    const d = deals[i];
    statusN++;
    if (d.status === td.status) statusOk++;
    if (td.status === 'SOLD_OUT' && d.soldOutAt !== null && td.soldOutAt !== null)
      soldOutErrMin.push(Math.abs(d.soldOutAt - td.soldOutAt) / MIN);
    if (td.type === 'LIGHTNING' && td.status !== 'UPCOMING') {
      const key =
        td.shape === 'DECAY'
          ? td.k * (((td.soldOutAt ?? td.scheduledEndAt) - td.startAt) / HOUR_MS) >= 1.6
            ? 'DECAY kE≥1.6'
            : 'DECAY kE<1.6'
          : td.shape;
      shapeConf[key] ??= {};
      shapeConf[key][d.curveShape] = (shapeConf[key][d.curveShape] ?? 0) + 1;
      if (d.dealQuantitySource === 'IMPLIED' && td.finalQuantity) {
        impliedCover.n++;
        qtyErr.push(Math.abs((d.dealQuantity as number) - td.finalQuantity) / td.finalQuantity);
        if ((d.dealQuantityLower as number) <= td.finalQuantity && td.finalQuantity <= (d.dealQuantityUpper as number))
          impliedCover.inBand++;
      }
    }
  }
  Dl.ours.fp += deals.length - usedD.size;
  const nd = naiveDeals(pts);
  const usedN = new Set<number>();
  for (const td of truthDeals) {
    const v = trueVisible(td, now);
    const i = nd.findIndex((d, j) => !usedN.has(j) && d.type === td.type && d.first <= v.e && d.last >= v.s);
    if (i < 0) Dl.naive.fn++;
    else {
      usedN.add(i);
      Dl.naive.tp++;
    }
  }
  Dl.naive.fp += nd.length - usedN.size;

  // ETA at points in the deal's life.
  for (const td of truthDeals) {
    if (td.type !== 'LIGHTNING' || td.startAt < set.start + 2 * DAY_MS) continue;
    const evalPoint = (tEval: number): Deal | null => {
      const sub = pts.filter((p) => p.at <= tEval && p.at >= td.startAt - 15 * DAY_MS);
      const ds = detectDeals(sub, { now: tEval, etaDraws: 100 });
      const d = ds.length ? ds[ds.length - 1] : null;
      return d && d.status === 'LIVE' && d.lastSeenAt >= td.startAt ? d : null;
    };
    if (td.status === 'SOLD_OUT' && td.soldOutAt !== null) {
      const life = td.soldOutAt - td.startAt;
      if (life < 45 * MIN) continue;
      fracs.forEach((f, k) => {
        const tEval = td.startAt + f * life;
        const d = evalPoint(tEval);
        if (!d || !d.claimCurve.length) return;
        const row = eta[k];
        const left = (td.soldOutAt as number) - tEval;
        const p50 = d.sellOutEta?.p50 ?? null;
        if (p50 === null) row.oursNull++;
        else {
          row.ours.push(Math.abs(p50 - (td.soldOutAt as number)) / HOUR_MS);
          row.oursRel.push(Math.abs(p50 - (td.soldOutAt as number)) / left);
        }
        if (d.sellOutEta && d.sellOutEta.p10 !== null) {
          row.coverN++;
          const hi = d.sellOutEta.p90 ?? Infinity;
          if (d.sellOutEta.p10 <= (td.soldOutAt as number) && (td.soldOutAt as number) <= hi) row.covered++;
        } else if (d.sellOutEta) {
          row.coverN++;
        }
        // Naive straight line on the same detected curve.
        const c = d.claimCurve;
        const lastU = c[c.length - 1].units;
        const full = d.percentMode ? 100 : (d.dealQuantity as number);
        const el = (c[c.length - 1].at - d.startedAt) / HOUR_MS;
        const rate = el > 0 ? lastU / el : 0;
        if (rate <= 0) row.naiveNull++;
        else {
          const naiveEta = Math.max(tEval, c[c.length - 1].at + ((full - lastU) / rate) * HOUR_MS);
          if (d.scheduledEndAt !== null && naiveEta > d.scheduledEndAt) row.naiveNull++;
          else {
            row.naive.push(Math.abs(naiveEta - (td.soldOutAt as number)) / HOUR_MS);
            row.naiveRel.push(Math.abs(naiveEta - (td.soldOutAt as number)) / left);
          }
        }
      });
    } else if (td.status === 'EXPIRED') {
      const tEval = td.startAt + 0.5 * (td.scheduledEndAt - td.startAt);
      const d = evalPoint(tEval);
      if (!d || !d.claimCurve.length) continue;
      expiredCalls.n++;
      if (d.sellOutEta?.p50 != null) expiredCalls.ours++;
      const c = d.claimCurve;
      const lastU = c[c.length - 1].units;
      const full = d.percentMode ? 100 : (d.dealQuantity as number);
      const el = (c[c.length - 1].at - d.startedAt) / HOUR_MS;
      const rate = el > 0 ? lastU / el : 0;
      if (rate > 0 && d.scheduledEndAt !== null && c[c.length - 1].at + ((full - lastU) / rate) * HOUR_MS <= d.scheduledEndAt)
        expiredCalls.naive++;
    }
  }
}
const tDet = Date.now() - tDet0;

// ---------- report ----------
const totalPts = set.scenarios.reduce((s, x) => s + x.points.length, 0);
console.log(
  `bench/detect — ${competitors} competitors × ${days} days, seed ${seed}: ${totalPts} snapshots (generated in ${(tGen / 1000).toFixed(1)} s, detected in ${(tDet / 1000).toFixed(1)} s)\n`,
);
console.log('detector            method  precision  recall     TP    FP    FN   target ≥ 0.95');
const row = (name: string, m: string, x: PR) =>
  console.log(
    `${name.padEnd(19)} ${m.padEnd(7)} ${fmt(precision(x)).padStart(9)} ${fmt(recall(x)).padStart(7)} ${String(x.tp).padStart(6)} ${String(x.fp).padStart(5)} ${String(x.fn).padStart(5)}   ${m === 'ours' ? (precision(x) >= 0.95 && recall(x) >= 0.95 ? 'MET' : 'MISSED') : ''}`,
  );
row('restocks', 'ours', R.ours);
row('restocks', 'naive', R.naive);
row('deals', 'ours', Dl.ours);
row('deals', 'naive', Dl.naive);
row('stockouts ≥ 24 h', 'ours', S.ours);
row('stockouts ≥ 24 h', 'naive', S.naive);
console.log(
  `\n(${unobservableRestocks} true restocks could not be seen — stock above the source's cap before and after, or no capture after — and are not counted as misses)`,
);
console.log(
  `restock quantity (exact levels): median abs error ${fmt(100 * pct(restockQtyErr, 0.5), 1)} %, P90 ${fmt(100 * pct(restockQtyErr, 0.9), 1)} % over ${restockQtyErr.length}`,
);
console.log(
  `flap episodes: ${flapEpisodes.truth} true; FLAP events on them ${flapEpisodes.eventsOnEpisodes}; episodes split into > 1 event: ${flapEpisodes.episodesWithMoreThanOne}`,
);
console.log(`deal status correct: ${statusOk}/${statusN} = ${fmt(statusOk / Math.max(1, statusN))}`);
console.log(
  `sold-out time error (min): median ${fmt(pct(soldOutErrMin, 0.5), 1)}, P90 ${fmt(pct(soldOutErrMin, 0.9), 1)} over ${soldOutErrMin.length} deals`,
);
console.log(
  `implied deal quantity: median abs error ${fmt(100 * pct(qtyErr, 0.5), 1)} %, true quantity inside the band ${impliedCover.inBand}/${impliedCover.n}`,
);

console.log('\nsell-out ETA (P50) vs true sell-out, SOLD_OUT lightning deals');
console.log('at life  method  n    no-ETA  |err| median h  |err| P90 h  rel median  rel P90  P10–P90 covers');
for (const r of eta) {
  console.log(
    `${(100 * r.frac).toFixed(0).padStart(5)} %  ours   ${String(r.ours.length).padStart(4)} ${String(r.oursNull).padStart(7)}  ${fmt(pct(r.ours, 0.5), 2).padStart(13)} ${fmt(pct(r.ours, 0.9), 2).padStart(12)} ${fmt(pct(r.oursRel, 0.5), 3).padStart(11)} ${fmt(pct(r.oursRel, 0.9), 3).padStart(8)}  ${r.covered}/${r.coverN} = ${fmt(r.covered / Math.max(1, r.coverN), 2)}`,
  );
  console.log(
    `${''.padStart(7)}  naive  ${String(r.naive.length).padStart(4)} ${String(r.naiveNull).padStart(7)}  ${fmt(pct(r.naive, 0.5), 2).padStart(13)} ${fmt(pct(r.naive, 0.9), 2).padStart(12)} ${fmt(pct(r.naiveRel, 0.5), 3).padStart(11)} ${fmt(pct(r.naiveRel, 0.9), 3).padStart(8)}`,
  );
}
console.log(
  `\nEXPIRED deals at 50 % of their window predicted to sell out before the end (false calls): ours ${expiredCalls.ours}/${expiredCalls.n}, naive ${expiredCalls.naive}/${expiredCalls.n}`,
);
console.log('\ncurve shape vs true drain (rows: truth; columns: detected)');
const shapes = ['FRONT_LOADED', 'STEADY', 'BACK_LOADED', 'INSUFFICIENT_DATA'];
console.log('truth'.padEnd(16) + shapes.map((s) => s.padStart(18)).join(''));
for (const [k, v] of Object.entries(shapeConf)) console.log(k.padEnd(16) + shapes.map((s) => String(v[s] ?? 0).padStart(18)).join(''));

// ---------- issue 14: deal timing, shape across cadences, ETA on decaying drains ----------
// Seeded simulated deals (core/deals/simulate.ts): Poisson claims, % claimed in whole points, no
// scheduled start, captured every 5, 10, 30 and 60 minutes at a random phase.
const cellSeeds = Number(process.argv[5] ?? 20);
const simStart = Date.UTC(2026, 0, 5, 10);
const CADENCES = [5, 10, 30, 60];
const median = (xs: number[]) => pct(xs, 0.5);
const lastDeal = (pts: readonly SnapshotPoint[], now: number, draws = 50): Deal | undefined =>
  detectDeals(pts, { now, etaDraws: draws }).at(-1);

console.log(`\n— issue 14 figures (${cellSeeds} seeded deals per cell) —`);

// Item 1: start error and bracket coverage by cadence.
console.log('\nstart time: |startedAt − true start| (min) and the [startedAtEarliest, startedAtLatest] bracket covering the truth');
console.log('cadence  median  P90    bracket covers   exact (uncertainty 0)');
for (const cad of CADENCES) {
  const err: number[] = [];
  let covers = 0;
  let exact = 0;
  let n = 0;
  for (const shape of ['STEADY', 'DECAYING'] as const)
    for (let s = 1; s <= cellSeeds; s++) {
      const drain = shapeScenario(shape, s);
      const sim = simulateDeal({ drain, startAt: simStart, cadenceMinutes: cad, phaseMinutes: (s * 17) % cad, observeHours: 12, seed: s });
      const d = lastDeal(sim.points, simStart + 1.5 * HOUR_MS, 10);
      if (!d) continue;
      n++;
      err.push(Math.abs(d.startedAt - simStart) / MIN);
      if ((d.startedAtEarliest ?? -Infinity) <= simStart + MIN && simStart <= d.startedAtLatest + MIN) covers++;
      if (d.startUncertaintyHours === 0) exact++;
    }
  console.log(
    `${String(cad).padStart(4)} min ${fmt(median(err), 1).padStart(7)} ${fmt(pct(err, 0.9), 1).padStart(6)}   ${covers}/${n}`.padEnd(44) +
      `${exact}/${n}`,
  );
}

// Item 2: shape and peak period across cadences.
console.log("\ncurve shape across cadences (sold-out or ended deals; truth = the realized first-quarter share's class)");
console.log('drain          same shape at all 4   right at all 4   peak start/end spread ≤ max(½ h, E/5)');
for (const shape of ['STEADY', 'DECAYING', 'FRONT_LOADED', 'BACK_LOADED'] as SimulatedShape[]) {
  const want = shape === 'DECAYING' ? 'FRONT_LOADED' : shape;
  let same = 0;
  let right = 0;
  let peakSame = 0;
  for (let s = 1; s <= cellSeeds; s++) {
    const drain = shapeScenario(shape, s);
    const ds = CADENCES.map((cad) => {
      const sim = simulateDeal({ drain, startAt: simStart, cadenceMinutes: cad, phaseMinutes: (s * 17) % cad, observeHours: 12, seed: s });
      return lastDeal(sim.points, (sim.points.at(-1) as SnapshotPoint).at, 10) as Deal;
    });
    if (new Set(ds.map((d) => d.curveShape)).size === 1) same++;
    if (ds.every((d) => d.curveShape === want)) right++;
    const tol = Math.max(0.5 * HOUR_MS, (ds[0].durationHours * HOUR_MS) / 5);
    const spread = (f: (d: Deal) => number) => Math.max(...ds.map(f)) - Math.min(...ds.map(f));
    if (ds.every((d) => d.peakPeriod) && spread((d) => d.peakPeriod!.start) <= tol && spread((d) => d.peakPeriod!.end) <= tol) peakSame++;
  }
  console.log(
    `${shape.padEnd(14)} ${`${same}/${cellSeeds}`.padStart(8)}   ${`${right}/${cellSeeds}`.padStart(16)}   ${`${peakSame}/${cellSeeds}`.padStart(12)}${shape === 'STEADY' ? ' (a steady drain has no distinct peak)' : ''}`,
  );
}

// Item 3: ETA error by drain and hours into the deal (10-minute cadence).
console.log('\nsell-out ETA (P50) by drain and hours into the deal, 10-minute captures; rel. error = (P50 − start) ÷ (truth − start) − 1');
console.log('drain        h in   n   median rel   median |rel|   |rel| ≤ 15 %   P10–P90 covers');
for (const k of [0, 0.1, 0.25, 0.5])
  for (const hIn of [1, 2, 3]) {
    const rel: number[] = [];
    let cov = 0;
    for (let s = 1; s <= cellSeeds; s++) {
      const sc = etaScenario(k, s, 10, simStart);
      const now = simStart + hIn * HOUR_MS;
      if (sc.soldOutAt === null || sc.soldOutAt <= now + 10 * MIN) continue;
      const d = lastDeal(
        sc.points.filter((p) => p.at <= now),
        now,
        200,
      );
      const e = d?.sellOutEta ?? null;
      rel.push(((e?.p50 ?? Infinity) - simStart) / (sc.soldOutAt - simStart) - 1);
      if (e && e.p10 !== null && e.p10 <= sc.soldOutAt && (e.p90 === null || sc.soldOutAt <= e.p90)) cov++;
    }
    const abs = rel.map(Math.abs);
    console.log(
      `${(k === 0 ? 'constant' : `decay ${k}/h`).padEnd(12)} ${String(hIn).padStart(4)} ${String(rel.length).padStart(3)}   ${fmt(median(rel), 3).padStart(10)}   ${fmt(median(abs), 3).padStart(12)}   ${`${abs.filter((x) => x <= 0.15).length}/${rel.length}`.padStart(12)}   ${`${cov}/${rel.length} = ${fmt(cov / Math.max(1, rel.length), 2)}`.padStart(14)}`,
    );
  }

// Items 4 and 5 on the scenario set above: no deal LIVE past its type's longest run without newer readings; whole units.
{
  let liveTooLong = 0;
  let fractional = 0;
  let inferred = 0;
  let n = 0;
  for (const sc of set.scenarios) {
    const cut = sc.points.filter((p) => p.at <= now - 2 * DAY_MS);
    for (const d of detectDeals(cut, { now, etaDraws: 10 })) {
      n++;
      if (d.status === 'LIVE' && d.scheduledEndAt === null && now - d.startedAt > MAX_DEAL_DURATION_HOURS[d.type as 'LIGHTNING'] * HOUR_MS)
        liveTooLong++;
      if (d.endInferred) inferred++;
      for (const q of [d.dealQuantity, d.dealQuantityLower, d.dealQuantityUpper, d.unitsSold, d.remainingUnits])
        if (q !== null && !Number.isInteger(q)) fractional++;
    }
  }
  console.log(
    `\ncaptures stopped 2 days before now (${n} deals): LIVE past their type's longest run ${liveTooLong}; ends inferred ${inferred}; non-whole quantities/units ${fractional}`,
  );
}

// ---------- issue 14 items 6–9: glitches, exact restocks, real-time rate alerts, backfills ----------
// Item 6: a single 0-stock reading inserted between two steady exact readings (≥ 50 units, no deal,
// the neighbours within 5 units) of every scenario, after its first 48 readings (the flags judge a
// reading against the 48 exact ones before it: a listing's very first captures have no history to
// tell a glitch from a real stockout), up to 3 per listing, ≥ 24 h apart. Counted: the
// restocks reported at the reading after the glitch, the stockout windows covering it (minimum 0 h, so
// even a one-capture window counts) and whether the shared anomaly flags mark it; naive = every rise.
{
  let glitches = 0;
  let flagged = 0;
  const falseRestocks = { ours: 0, naive: 0 };
  let falseStockouts = 0;
  for (const sc of set.scenarios) {
    const pts = sc.points.map((p) => ({ ...p }));
    const at: number[] = [];
    for (let i = 48; i + 1 < pts.length && at.length < 3; i++) {
      const [a, b, c] = [pts[i - 1], pts[i], pts[i + 1]];
      const steady = [a, b, c].every((p) => p.stock !== null && !p.stockIsLowerBound && p.stock >= 50 && p.dealType === 'NONE');
      if (!steady || Math.abs((a.stock as number) - (c.stock as number)) > 5) continue;
      if (at.length && b.at - at[at.length - 1] < DAY_MS) continue;
      b.stock = 0;
      at.push(b.at);
    }
    if (!at.length) continue;
    glitches += at.length;
    const idx = new Map(pts.map((p, i) => [p.at, i]));
    const flags = anomalyFlags(pts);
    const restocks = detectRestocks(pts, { now });
    const naive = naiveRestocks(pts);
    const windows = stockoutWindows(pts, { now, minDurationHours: 0 });
    for (const t of at) {
      const next = pts[(idx.get(t) as number) + 1].at;
      if (flags[idx.get(t) as number].anomalous) flagged++;
      if (restocks.some((r) => r.at === next)) falseRestocks.ours++;
      if (naive.some((r) => r.at === next)) falseRestocks.naive++;
      if (windows.some((w) => w.start <= t && (w.end === null || w.end >= t))) falseStockouts++;
    }
  }
  console.log(
    `\nitem 6, one-capture 0 between steady readings (${glitches} glitches): flagged ${flagged}; restocks reported after it ${falseRestocks.ours} (naive ${falseRestocks.naive}); stockout windows covering it ${falseStockouts}`,
  );
}

// Item 7: on the scenario set, restocks between exact readings whose quantity is not the observed rise.
{
  let exact = 0;
  let off = 0;
  for (const sc of set.scenarios)
    for (const r of detectRestocks(sc.points, { now })) {
      if (r.toLevelIsLowerBound || r.kind === 'FLAP') continue;
      exact++;
      if (r.quantity !== r.toLevel - r.fromLevel && r.quantity !== r.observedIncrease) off++;
    }
  console.log(`item 7, restocks between exact readings: ${exact}; quantity other than the observed rise: ${off}`);
}

// Item 8: the real-time rate rule (core/alerts/rate.ts, default settings) on Poisson counts per window:
// false alerts at the expected rate, and a 3× / 6× rise caught within one window.
{
  const rng = createRng(seed);
  const poissonDraw = (mu: number) => {
    if (mu > 30) return Math.max(0, Math.round(mu + Math.sqrt(mu) * rng.normal()));
    let k = 0;
    let p = rng.next();
    const limit = Math.exp(-mu);
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  };
  const N = 20_000;
  console.log(`item 8, rate alerts per window (${N} windows each): expected → false alerts | 3× caught | 6× caught`);
  for (const mu of [0.3, 1, 4, 20]) {
    const share = (mult: number) => {
      let n = 0;
      for (let i = 0; i < N; i++) if (rateLevel(poissonDraw(mu * mult), mu, RATE_DEFAULTS).status === 'BREACH') n++;
      return n / N;
    };
    console.log(
      `  ${String(mu).padStart(4)} → ${(100 * share(1)).toFixed(3)} % | ${(100 * share(3)).toFixed(1)} % | ${(100 * share(6)).toFixed(1)} %`,
    );
  }
}

// Item 9: staleness of backfilled listings (every capture arriving at `now`, the newest taken k days
// earlier) vs captures that stopped arriving 3.5 h ago on a 10-minute cadence; naive = the age of the
// newest capture alone (> 3 × interval), which calls every backfill stale.
{
  const interval = 10 * 60_000;
  for (const k of [0.5, 2, 10]) {
    let ours = 0;
    let naive = 0;
    for (const sc of set.scenarios) {
      const newest = sc.points.filter((p) => p.at <= now - k * DAY_MS).pop();
      if (!newest) continue;
      if (captureStaleness({ now, newestCaptureAt: newest.at, newestArrivedAt: now, intervalMs: interval }).stale) ours++;
      if (now - newest.at > 3 * interval) naive++;
    }
    console.log(`item 9, backfill whose newest capture is ${k} d old (${set.scenarios.length} listings): stale ${ours} (naive ${naive})`);
  }
  const stopped = captureStaleness({
    now,
    newestCaptureAt: now - 3.5 * HOUR_MS,
    newestArrivedAt: now - 3.5 * HOUR_MS,
    intervalMs: interval,
  });
  console.log(`item 9, live captures stopped 3.5 h ago: stale ${stopped.stale} (after ${(stopped.staleAfterMs / HOUR_MS).toFixed(1)} h)`);
}
