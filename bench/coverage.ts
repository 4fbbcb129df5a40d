/**
 * Interval coverage of the served forecast (auto model pool), with and without the empirical
 * interval calibration of core/forecast/calibrate.ts, per data set and frequency: M3 monthly
 * (h = 18), the hospital set (monthly, h = 12), M3 monthly summed to quarters (h = 6) and to years
 * (h = 1). Coverage = share of test points inside the 80 % / 95 % interval; the target is within
 * 2 points of nominal. width95 = mean 95 % width calibrated / raw. ms/series = process CPU per series.
 *
 *   node --import tsx bench/coverage.ts [--limit N] [--sets m3,hospital,quarterly,yearly] [--tune]
 *
 * --tune scores the raw intervals on the last h periods of each training window instead (the test
 * windows are never seen) and solves, by bisection, the half-width factor κ per set and the one
 * factor per level whose mean coverage over the sets is nominal: INTERVAL_SCALE was set from it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { forecast, type ForecastPoint } from '../core/forecast/index';
import { INTERVAL_SCALE } from '../core/forecast/calibrate';
import { loadHospital, loadM3Aggregated, loadM3Monthly, SHARED, type SplitSeries } from './lib/forecast-data';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const limit = arg('--limit') ? Number(arg('--limit')) : Infinity;
if (!(limit > 0)) throw new RangeError(`--limit must be a positive number, got ${arg('--limit')}`);
const tune = args.includes('--tune');
const sets = (arg('--sets') ?? 'm3,hospital,quarterly,yearly').split(',');

interface SetDef {
  name: string;
  file: string;
  period: number;
  h: number;
  load: () => SplitSeries[];
}
const DEFS: Record<string, SetDef> = {
  m3: { name: 'M3 monthly', file: 'data/m3/m3_monthly_long.csv', period: 12, h: 18, load: loadM3Monthly },
  hospital: { name: 'hospital (monthly)', file: 'data/hospital_monthly_long.csv', period: 12, h: 12, load: () => loadHospital(12) },
  quarterly: { name: 'M3 monthly → quarterly', file: 'data/m3/m3_monthly_long.csv', period: 4, h: 6, load: () => loadM3Aggregated(3) },
  yearly: { name: 'M3 monthly → yearly', file: 'data/m3/m3_monthly_long.csv', period: 1, h: 1, load: () => loadM3Aggregated(12) },
};

/** Tuning split: the last h training periods become the test window. */
function tuningSplit(s: SplitSeries, h: number): SplitSeries {
  return { id: s.id, train: s.train.slice(0, s.train.length - h), test: s.train.slice(s.train.length - h) };
}

interface Tally {
  pts: number;
  in80: number;
  in95: number;
  width95: number;
  cpuMs: number;
  /** Per series: the points, for the --tune solve. */
  runs: ForecastPoint[][];
}

function run(series: SplitSeries[], def: SetDef, calibrate: boolean): Tally {
  const t: Tally = { pts: 0, in80: 0, in95: 0, width95: 0, cpuMs: 0, runs: [] };
  for (const s of series) {
    const c0 = process.cpuUsage();
    const r = forecast(s.train, { horizon: def.h, period: def.period, calibrate });
    const c1 = process.cpuUsage(c0);
    t.cpuMs += (c1.user + c1.system) / 1000;
    t.runs.push(r.points);
    r.points.forEach((p, k) => {
      const v = s.test[k];
      if (v === undefined || !Number.isFinite(v)) return;
      t.pts++;
      if (v >= p.lower80 && v <= p.upper80) t.in80++;
      if (v >= p.lower95 && v <= p.upper95) t.in95++;
      t.width95 += p.upper95 - p.lower95;
    });
  }
  return t;
}

const pct = (a: number, n: number): string => ((100 * a) / n).toFixed(1).padStart(6);
const ok = (a: number, n: number, nominal: number): string => (Math.abs((100 * a) / n - nominal) <= 2 ? 'ok' : 'OFF');

/** Coverage (%) of the raw intervals rescaled to μ ± κ·(bound − μ). */
function scaledCoverage(series: SplitSeries[], raw: Tally, kappa: number, level: 80 | 95): number {
  let pts = 0;
  let inside = 0;
  series.forEach((s, i) => {
    raw.runs[i]!.forEach((p, k) => {
      const v = s.test[k];
      if (v === undefined || !Number.isFinite(v)) return;
      const lo = level === 80 ? p.lower80 : p.lower95;
      const hi = level === 80 ? p.upper80 : p.upper95;
      pts++;
      if (v >= p.value - kappa * (p.value - lo) && v <= p.value + kappa * (hi - p.value)) inside++;
    });
  });
  return (100 * inside) / pts;
}

/** Bisection for the κ at which `cov(κ)` (increasing) reaches `target`. */
function solve(cov: (kappa: number) => number, target: number): number {
  let lo = 0.3;
  let hi = 4;
  for (let it = 0; it < 30; it++) {
    const mid = (lo + hi) / 2;
    if (cov(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

console.log(
  `interval coverage, served auto forecast; ${tune ? 'TUNING windows (last h of each training window)' : 'test windows'}; ` +
    `κ80 = ${INTERVAL_SCALE.level80}, κ95 = ${INTERVAL_SCALE.level95}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
);
const tuned: { name: string; series: SplitSeries[]; raw: Tally }[] = [];
console.log(
  `${'set'.padEnd(26)}${'series'.padStart(7)}${'points'.padStart(8)}  ${'raw 80'.padStart(6)} ${'cal 80'.padStart(6)}  ${'raw 95'.padStart(6)} ${'cal 95'.padStart(6)}  width95 cal/raw  ms/series raw, cal`,
);
for (const key of sets) {
  const def = DEFS[key];
  if (!def) throw new RangeError(`unknown set "${key}" (m3, hospital, quarterly, yearly)`);
  if (!existsSync(resolve(SHARED, def.file))) {
    console.log(`${def.name.padEnd(26)} skipped: ${resolve(SHARED, def.file)} is absent (public data, see docs/forecast-accuracy.md#data)`);
    continue;
  }
  let series = def.load().slice(0, limit);
  if (tune) series = series.map((s) => tuningSplit(s, def.h));
  series = series.filter((s) => s.train.length >= 3 && s.test.length > 0);
  for (const s of series.slice(0, 3)) forecast(s.train, { horizon: def.h, period: def.period }); // JIT warm-up
  const raw = run(series, def, false);
  if (tune) {
    tuned.push({ name: def.name, series, raw });
    const k80 = solve((k) => scaledCoverage(series, raw, k, 80), 80);
    const k95 = solve((k) => scaledCoverage(series, raw, k, 95), 95);
    console.log(
      `${def.name.padEnd(26)}${String(series.length).padStart(7)}${String(raw.pts).padStart(8)}  raw ${pct(raw.in80, raw.pts)} / ${pct(raw.in95, raw.pts)}; ` +
        `κ for nominal: ${k80.toFixed(3)} (80 %), ${k95.toFixed(3)} (95 %); ${(raw.cpuMs / series.length).toFixed(1)} ms/series`,
    );
    continue;
  }
  const cal = run(series, def, true);
  console.log(
    `${def.name.padEnd(26)}${String(series.length).padStart(7)}${String(cal.pts).padStart(8)}  ${pct(raw.in80, raw.pts)} ${pct(cal.in80, cal.pts)} ${ok(cal.in80, cal.pts, 80).padEnd(3)}` +
      `${pct(raw.in95, raw.pts)} ${pct(cal.in95, cal.pts)} ${ok(cal.in95, cal.pts, 95).padEnd(3)} ${(cal.width95 / raw.width95).toFixed(3).padStart(8)}        ` +
      `${(raw.cpuMs / series.length).toFixed(1)}, ${(cal.cpuMs / series.length).toFixed(1)}`,
  );
}
if (tune && tuned.length) {
  const mean = (level: 80 | 95, k: number): number =>
    tuned.reduce((a, t) => a + scaledCoverage(t.series, t.raw, k, level), 0) / tuned.length;
  const k80 = solve((k) => mean(80, k), 80);
  const k95 = solve((k) => mean(95, k), 95);
  console.log(`\none factor per level, mean coverage over the sets nominal: κ80 = ${k80.toFixed(3)}, κ95 = ${k95.toFixed(3)}`);
  for (const t of tuned) {
    console.log(
      `  ${t.name.padEnd(26)} at these factors: ${scaledCoverage(t.series, t.raw, k80, 80).toFixed(1)} / ${scaledCoverage(t.series, t.raw, k95, 95).toFixed(1)}`,
    );
  }
}
