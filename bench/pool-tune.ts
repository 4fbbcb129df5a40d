/**
 * Tuning-window accuracy of the regular pool's members and their combinations, per data set and
 * frequency (the sets of bench/r-compare.ts). Every series' training part is split once more: its
 * last h periods are the tuning window (the test window is never read), the rest is the history.
 * The members (AutoETS, Theta, the pool's ARIMA) are fitted without backtest or calibration and
 * combined offline: the equal-weight mean of ETS and Theta (the default before issue 17's second
 * round), the mean and the median of ETS, Theta and ARIMA. The served auto method (--served) is
 * scored on the same windows.
 *
 *   npx tsx bench/pool-tune.ts [--every K] [--sets "M3 monthly,hospital"] [--served | --served-only]
 *
 * sMAPE; MASE scaled by the history's in-sample seasonal naive MAE (lag 1 when m = 1 or too short).
 */
import { loadavg } from 'node:os';
import { forecast, type ForecastOptions } from '../core/forecast/index';
import { mase, naiveScaleMae, smape } from '../core/forecast/metrics';
import { compareSets, type CompareSeries } from './lib/compare-data';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const every = Number(opt('--every') ?? 1);
if (!Number.isInteger(every) || every < 1) throw new RangeError(`--every must be an integer ≥ 1, got ${opt('--every')}`);
const only = opt('--sets')
  ?.split(',')
  .map((s) => s.trim());
const servedOnly = args.includes('--served-only');
const served = servedOnly || args.includes('--served');

const MEMBERS = ['AUTO_ETS', 'THETA', 'AUTO_ARIMA'] as const;
type Member = (typeof MEMBERS)[number];

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};

/** One member's point forecast, NaN-filled when it cannot fit (the combination then skips it). */
function member(train: number[], h: number, m: number, model: Member): number[] {
  const o: ForecastOptions = { horizon: h, period: m, model, backtest: false, calibrate: false };
  try {
    return forecast(train, o).points.map((p) => p.value);
  } catch {
    return new Array<number>(h).fill(NaN);
  }
}

function combineBy(parts: number[][], f: (xs: number[]) => number, clip: boolean): number[] {
  return parts[0]!.map((_, k) => {
    const v = f(parts.map((p) => p[k]!).filter((x) => Number.isFinite(x)));
    return clip ? Math.max(0, v) : v;
  });
}

interface Acc {
  smape: number;
  mase: number;
  nMase: number;
  ms: number;
}

function add(acc: Acc, s: CompareSeries, fc: number[], m: number): void {
  acc.smape += smape(s.test, fc)!;
  const mm = m > 1 && naiveScaleMae(s.train, m) ? m : 1;
  const v = mase(s.test, fc, s.train, mm);
  if (v !== null && Number.isFinite(v)) {
    acc.mase += v;
    acc.nMase++;
  }
}

console.log(
  `tuning windows (last h of each training part); load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
for (const set of compareSets([]).filter((s) => !only || only.includes(s.name))) {
  const series = set.series
    .filter((_, i) => i % every === 0)
    .map((s) => ({ id: s.id, train: s.train.slice(0, -set.h), test: s.train.slice(-set.h) }))
    .filter((s) => s.train.length >= 3);
  const names = servedOnly
    ? ['served auto']
    : ['ETS', 'THETA', 'ARIMA', 'mean(ETS,THETA)', 'mean(ETS,THETA,ARIMA)', 'median(ETS,THETA,ARIMA)', ...(served ? ['served auto'] : [])];
  const accs = new Map(names.map((n) => [n, { smape: 0, mase: 0, nMase: 0, ms: 0 } as Acc]));
  for (const s of series) {
    const clip = s.train.every((v) => v >= 0);
    const parts = (servedOnly ? [] : MEMBERS).map((mb) => {
      const c0 = process.cpuUsage();
      const fc = member(s.train, set.h, set.m, mb);
      const c1 = process.cpuUsage(c0);
      return { fc, ms: (c1.user + c1.system) / 1000 };
    });
    const fcs = parts.map((p) => p.fc);
    const fill = (fc: number[]): number[] => (fc.every((v) => Number.isFinite(v)) ? fc : fcs.find((f) => f.every(Number.isFinite))!);
    const byName: [string, number[]][] = servedOnly
      ? []
      : [
          ['ETS', fill(fcs[0]!)],
          ['THETA', fill(fcs[1]!)],
          ['ARIMA', fill(fcs[2]!)],
          ['mean(ETS,THETA)', combineBy([fill(fcs[0]!), fill(fcs[1]!)], mean, clip)],
          ['mean(ETS,THETA,ARIMA)', combineBy(fcs, mean, clip)],
          ['median(ETS,THETA,ARIMA)', combineBy(fcs, median, clip)],
        ];
    if (served) {
      const c0 = process.cpuUsage();
      const r = forecast(s.train, { horizon: set.h, period: set.m });
      const c1 = process.cpuUsage(c0);
      byName.push(['served auto', r.points.map((p) => p.value)]);
      accs.get('served auto')!.ms += (c1.user + c1.system) / 1000;
    }
    for (const [n, fc] of byName) add(accs.get(n)!, s, fc, set.m);
    parts.forEach((p, i) => (accs.get(['ETS', 'THETA', 'ARIMA'][i]!)!.ms += p.ms));
  }
  console.log(`\n${set.name} (m = ${set.m}, h = ${set.h}, ${series.length} series)`);
  for (const [n, a] of accs) {
    const ms = a.ms > 0 ? (a.ms / series.length).toFixed(1) : '';
    console.log(
      `${n.padEnd(26)}${(a.smape / series.length).toFixed(2).padStart(8)}${(a.mase / Math.max(1, a.nMase)).toFixed(3).padStart(8)}${ms.padStart(8)}`,
    );
  }
}
console.log(
  `\nload average at end: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
