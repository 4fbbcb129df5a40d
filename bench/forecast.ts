/**
 * Forecast throughput on the M3 monthly set (1,428 series, h = 18): series per second of the served
 * model (forecast(), auto: ETS + Theta with a backtest, intervals) —
 *   - on one thread, and on a pool of worker threads (one per core), as a server would spread them;
 *   - against a baseline measured in the same run on the same thread: our port of R's thetaf (the
 *     cheapest competitive model, same algorithm as forecast::thetaf);
 *   - against R's stored fitting times (fit_ms in ../shared/data/m3, forecast::ets / thetaf /
 *     snaive as recorded on the machine that produced them: a different machine, so that ratio is
 *     indicative, the same-run one is exact).
 * Every forecast is checked (18 finite values) so a broken model cannot look fast.
 *
 *   npx tsx bench/forecast.ts [--limit N] [--workers N]
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { forecast } from '../core/forecast/index';
import { thetaf } from '../core/forecast/theta';
import { loadM3Forecasts, loadM3Monthly, type M3Series } from './lib/forecast-data';

const H = 18;
const M = 12;

function check(id: string, f: readonly number[]): void {
  if (f.length !== H || f.some((v) => !Number.isFinite(v))) throw new Error(`${id}: forecast is not ${H} finite values`);
}

function served(x: M3Series): void {
  const r = forecast(x.train, { horizon: H, period: M });
  check(
    x.id,
    r.points.map((p) => p.value),
  );
}

function baseline(x: M3Series): void {
  check(x.id, thetaf(x.train, H, M).mean);
}

if (!isMainThread) {
  // Worker: forecasts its share of the series and reports how many it did.
  const { ids } = workerData as { ids: string[] };
  const want = new Set(ids);
  const mine = loadM3Monthly().filter((x) => want.has(x.id));
  for (const x of mine.slice(0, 3)) served(x);
  parentPort!.postMessage('ready');
  parentPort!.once('message', () => {
    for (const x of mine) served(x);
    parentPort!.postMessage(mine.length);
  });
} else {
  const args = process.argv.slice(2);
  const opt = (name: string, def: number) => {
    const i = args.indexOf(name);
    if (i < 0) return def;
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${args[i + 1]}`);
    return n;
  };
  const series = loadM3Monthly().slice(0, opt('--limit', 1_000_000));
  const workers = opt('--workers', availableParallelism());

  /** Series per second of `fn` over every series on this thread, after a short warm-up. */
  const rate = (fn: (x: M3Series) => void) => {
    for (const x of series.slice(0, 5)) fn(x);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const x of series) fn(x);
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { wallPerS: series.length / wall, cpuPerS: series.length / ((c.user + c.system) / 1e6), wall };
  };

  // Node 20 workers do not inherit the tsx loader: register it, then load this file.
  const BOOT = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const pool = async () => {
    const shares: string[][] = Array.from({ length: workers }, () => []);
    series.forEach((x, i) => shares[i % workers]!.push(x.id));
    const ws = shares.map((ids) => new Worker(BOOT, { eval: true, workerData: { ids } }));
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    const t0 = performance.now();
    const done = await Promise.all(
      ws.map((w) => new Promise<number>((r, j) => (w.once('message', r), w.once('error', j), w.postMessage('go')))),
    );
    const wall = (performance.now() - t0) / 1000;
    await Promise.all(ws.map((w) => w.terminate()));
    if (done.reduce((a, b) => a + b, 0) !== series.length) throw new Error('workers did not forecast every series');
    return { wallPerS: series.length / wall, wall };
  };

  const storedRate = (method: string) => {
    const ms = [...loadM3Forecasts(method)].filter(([id]) => series.some((x) => x.id === id)).map(([, v]) => v.fitMs!);
    return 1000 / (ms.reduce((a, b) => a + b, 0) / ms.length);
  };

  const base = rate(baseline);
  const ours = rate(served);
  const par = await pool();
  const r = { ets: storedRate('R_ets'), thetaf: storedRate('R_thetaf'), snaive: storedRate('R_snaive') };
  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log(
    `\nForecast throughput, M3 monthly: ${series.length} series, h = ${H} (${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores)\n`,
  );
  console.log(`${'method'.padEnd(52)}${'series/s'.padStart(8)}  note`);
  console.log('-'.repeat(90));
  console.log(`${'baseline: thetaf port, 1 thread (same run)'.padEnd(52)}${f(base.wallPerS)}  CPU ${base.cpuPerS.toFixed(1)}/s`);
  console.log(
    `${'served forecast() auto, 1 thread'.padEnd(52)}${f(ours.wallPerS)}  CPU ${ours.cpuPerS.toFixed(1)}/s, ${ours.wall.toFixed(1)} s in all`,
  );
  console.log(`${`served forecast() auto, ${workers} worker threads`.padEnd(52)}${f(par.wallPerS)}  ${par.wall.toFixed(1)} s in all`);
  console.log(`${'R forecast::ets (stored fit_ms)'.padEnd(52)}${f(r.ets)}  other machine`);
  console.log(`${'R forecast::thetaf (stored fit_ms)'.padEnd(52)}${f(r.thetaf)}  other machine`);
  console.log(`${'R snaive (stored fit_ms)'.padEnd(52)}${f(r.snaive)}  other machine`);
  console.log('-'.repeat(90));
  console.log(`ratio served / same-run thetaf baseline (1 thread): ${(ours.wallPerS / base.wallPerS).toFixed(3)}`);
  console.log(
    `ratio served (1 thread) / R ets stored: ${(ours.wallPerS / r.ets).toFixed(1)}×; pool / R ets: ${(par.wallPerS / r.ets).toFixed(1)}×`,
  );
  console.log(`pool scaling: ${(par.wallPerS / ours.wallPerS).toFixed(2)}× on ${workers} threads`);
}
