/**
 * The project against R's forecast package (ets, auto.arima, thetaf) on every public data set in
 * ../shared/data (bench/lib/compare-data.ts), per data set and frequency: sMAPE, MASE (scaled by the
 * in-sample seasonal naive MAE at the set's period; lag 1 when m = 1 or the series is too short),
 * coverage of the 80 % and 95 % intervals on the test window, and CPU ms per series (process.cpuUsage
 * here; R's proc.time user + system per fit). R's forecasts are made by bench/r/forecasts.R in a child
 * process of this run and cached in $TMPDIR/restock-radar-r-compare/ by a hash of its input
 * (--fresh recomputes them). The project's served method gets the calendar period of each set.
 *
 *   npx tsx bench/r-compare.ts [--every K] [--limit N] [--sets "M3 monthly,hospital"] [--r-only] [--fresh] [--partial]
 *
 * --partial scores a set whose R run is still going (another process writes its .part file) on the series
 * R has finished, and says how many those are; without it the bench waits for R.
 *
 * --every K keeps every K-th series of each set (a systematic sample, the same for R and the project):
 * R needs about a second of CPU per monthly series for ets + auto.arima, too long for every series on a
 * shared 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { forecast } from '../core/forecast/index';
import { mase, naiveScaleMae, smape } from '../core/forecast/metrics';
import { compareSets, type CompareSet } from './lib/compare-data';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const limit = opt('--limit') === undefined ? Infinity : Number(opt('--limit'));
if (!(limit > 0)) throw new RangeError(`--limit must be a positive number, got ${opt('--limit')}`);
const every = opt('--every') === undefined ? 1 : Number(opt('--every'));
if (!Number.isInteger(every) || every < 1) throw new RangeError(`--every must be an integer ≥ 1, got ${opt('--every')}`);
const only = opt('--sets')
  ?.split(',')
  .map((s) => s.trim());
const rOnly = args.includes('--r-only');
const fresh = args.includes('--fresh');
const partial = args.includes('--partial');
const CACHE = resolve(tmpdir(), 'restock-radar-r-compare');
const R_SCRIPT = resolve(import.meta.dirname, 'r', 'forecasts.R');

interface Fc {
  mean: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}
type MethodOut = Map<string, { fc: Fc; ms: number; failed: boolean }>;

/** R's forecasts for one set: method → id → forecast, from the cache or a fresh Rscript run. */
function rForecasts(set: CompareSet): Map<string, MethodOut> {
  const input = ['id,m,h,train', ...set.series.map((s) => `${s.id},${set.m},${set.h},${s.train.join(';')}`)].join('\n') + '\n';
  const key = createHash('sha256').update(readFileSync(R_SCRIPT)).update(input).digest('hex').slice(0, 16);
  mkdirSync(CACHE, { recursive: true });
  let out = resolve(CACHE, `${key}.csv`);
  if (partial && !existsSync(out) && existsSync(`${out}.part`)) out = `${out}.part`;
  else if (fresh || !existsSync(out)) {
    const inp = resolve(CACHE, `${key}.in.csv`);
    writeFileSync(inp, input);
    process.stderr.write(`R: ${set.name}, ${set.series.length} series (Rscript ${R_SCRIPT})…\n`);
    const r = spawnSync('Rscript', [R_SCRIPT, inp, `${out}.part`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`Rscript failed on ${set.name} (exit ${r.status})`);
    renameSync(`${out}.part`, out);
  }
  const res = new Map<string, MethodOut>();
  let text = readFileSync(out, 'utf8');
  // A running R writes its .part file in blocks: a last line without its newline is unfinished.
  if (out.endsWith('.part')) text = text.slice(0, text.lastIndexOf('\n') + 1);
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [id, label, ms, step, ...v] = line.split(',');
    const failed = label!.endsWith('!');
    const method = failed ? label!.slice(0, -1) : label!;
    let byId = res.get(method);
    if (!byId) res.set(method, (byId = new Map()));
    let e = byId.get(id!);
    if (!e) byId.set(id!, (e = { fc: { mean: [], lo80: [], hi80: [], lo95: [], hi95: [] }, ms: Number(ms), failed }));
    const k = Number(step) - 1;
    const [mean, lo80, hi80, lo95, hi95] = v.map(Number);
    e.fc.mean[k] = mean!;
    e.fc.lo80[k] = lo80!;
    e.fc.hi80[k] = hi80!;
    e.fc.lo95[k] = lo95!;
    e.fc.hi95[k] = hi95!;
  }
  return res;
}

/** The series every R method forecast completely (all of a partial run but its last, unfinished series). */
function finishedSeries(set: CompareSet, r: Map<string, MethodOut>): CompareSet {
  const done = (id: string): boolean =>
    ['ets', 'auto.arima', 'thetaf'].every((m) => {
      const e = r.get(m)?.get(id);
      return e !== undefined && e.fc.mean.length === set.h && e.fc.hi95.every((v) => v !== undefined);
    });
  return { ...set, series: set.series.filter((s) => done(s.id)) };
}

/** The served method (auto, calendar period of the set) on every series, CPU ms per series. */
function ours(set: CompareSet): MethodOut {
  const res: MethodOut = new Map();
  for (const s of set.series.slice(0, 3)) forecast(s.train, { horizon: set.h, period: set.m }); // JIT warm-up
  for (const s of set.series) {
    const c0 = process.cpuUsage();
    const r = forecast(s.train, { horizon: set.h, period: set.m });
    const c1 = process.cpuUsage(c0);
    const p = r.points;
    const fc = {
      mean: p.map((x) => x.value),
      lo80: p.map((x) => x.lower80),
      hi80: p.map((x) => x.upper80),
      lo95: p.map((x) => x.lower95),
      hi95: p.map((x) => x.upper95),
    };
    res.set(s.id, { fc, ms: (c1.user + c1.system) / 1000, failed: false });
  }
  return res;
}

interface Row {
  method: string;
  smape: number;
  mase: number;
  c80: number;
  c95: number;
  ms: number;
  failed: number;
}

function score(set: CompareSet, method: string, out: MethodOut): Row {
  let s = 0;
  let ma = 0;
  let nMase = 0;
  let in80 = 0;
  let in95 = 0;
  let pts = 0;
  let ms = 0;
  let failed = 0;
  for (const x of set.series) {
    const e = out.get(x.id);
    if (!e) throw new Error(`${method}: no forecast for ${x.id} in ${set.name}`);
    s += smape(x.test, e.fc.mean)!;
    const m = set.m > 1 && naiveScaleMae(x.train, set.m) ? set.m : 1;
    const v = mase(x.test, e.fc.mean, x.train, m);
    if (v !== null && Number.isFinite(v)) {
      ma += v;
      nMase++;
    }
    x.test.forEach((y, k) => {
      if (y >= e.fc.lo80[k]! && y <= e.fc.hi80[k]!) in80++;
      if (y >= e.fc.lo95[k]! && y <= e.fc.hi95[k]!) in95++;
      pts++;
    });
    ms += e.ms;
    if (e.failed) failed++;
  }
  const n = set.series.length;
  return { method, smape: s / n, mase: ma / Math.max(1, nMase), c80: (100 * in80) / pts, c95: (100 * in95) / pts, ms: ms / n, failed };
}

function printSet(set: CompareSet, rows: Row[]): void {
  console.log(`\n${set.name} (${set.frequency}, m = ${set.m}, h = ${set.h}, ${set.series.length} series)`);
  console.log(
    `${'method'.padEnd(22)}${'sMAPE'.padStart(8)}${'MASE'.padStart(8)}${'cov80'.padStart(8)}${'cov95'.padStart(8)}${'ms/series'.padStart(11)}  note`,
  );
  // The targets: beat R's ets and auto.arima (thetaf is shown, not a target).
  const best = (f: (r: Row) => number): number =>
    Math.min(...rows.filter((r) => r.method === 'R ets' || r.method === 'R auto.arima').map(f));
  for (const r of rows) {
    const note = r.method.startsWith('ours')
      ? `vs R ets and auto.arima: sMAPE ${r.smape < best((x) => x.smape) ? 'beats both' : 'DOES NOT beat both'}, MASE ${r.mase < best((x) => x.mase) ? 'beats both' : 'DOES NOT beat both'}`
      : r.failed > 0
        ? `${r.failed} fits failed (naive used)`
        : '';
    console.log(
      `${r.method.padEnd(22)}${r.smape.toFixed(2).padStart(8)}${r.mase.toFixed(3).padStart(8)}${r.c80.toFixed(1).padStart(8)}${r.c95.toFixed(1).padStart(8)}${r.ms.toFixed(1).padStart(11)}  ${note}`,
    );
  }
}

const notes: string[] = [];
const sets = compareSets(notes)
  .filter((s) => !only || only.includes(s.name))
  .map((s) => ({ ...s, series: s.series.filter((_, i) => i % every === 0).slice(0, limit) }));
if (every > 1) console.log(`every ${every}th series of each set (systematic sample)`);
console.log(
  `load average at start: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
for (const set of sets) {
  const r = rForecasts(set);
  if (rOnly) continue;
  const scored = finishedSeries(set, r);
  if (scored.series.length < set.series.length) {
    notes.push(
      `${set.name}: R finished ${scored.series.length} of ${set.series.length} series (--partial); every method is scored on those`,
    );
  }
  if (scored.series.length === 0) continue;
  const rows = [score(scored, 'ours (served auto)', ours(scored))];
  for (const m of ['ets', 'auto.arima', 'thetaf']) rows.push(score(scored, `R ${m}`, r.get(m) ?? new Map()));
  printSet(scored, rows);
}
for (const n of notes) console.log(`note: ${n}`);
console.log(
  `\nload average at end: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
