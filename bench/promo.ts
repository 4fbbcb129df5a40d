/**
 * Promotion-lift estimator (core/forecast/promotions.ts) on simulated workspaces with known lift
 * (core/sim/promotions.ts): every SKU's planned promotion is estimated from the past promotions of the
 * workspace and compared with its true lift e^ℓ − 1 (error, 80 % / 95 % interval coverage), beside two
 * baselines measured in the same run: the workspace's mean log-lift, and the SKU's own mean log-lift
 * (the workspace's when it has none). A second table shows what leaving promotion days out of the
 * baseline fit does to the 28-day baseline forecast after the history (error against the true
 * promotion-free demand).
 *
 *   node --import tsx bench/promo.ts [--seeds N] [--skus N]
 */
import { loadavg } from 'node:os';
import { forecast } from '../core/forecast/index';
import { estimateLift, type LiftObservation, liftObservations, observedLift, withoutPromotionDays } from '../core/forecast/promotions';
import { simulatePromotions, type SimSku } from '../core/sim/promotions';

const args = process.argv.slice(2);
const arg = (name: string, def: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const SEEDS = arg('--seeds', 20);
const SKUS = arg('--skus', 60);
const HISTORY = 365;

interface Tally {
  n: number;
  absErr: number;
  absLogErr: number;
  in80: number;
  in95: number;
  in80measured: number;
  in95measured: number;
  measured: number;
  width95: number;
}
const blank = (): Tally => ({ n: 0, absErr: 0, absLogErr: 0, in80: 0, in95: 0, in80measured: 0, in95measured: 0, measured: 0, width95: 0 });
const tallies = new Map<string, Tally>(
  [
    'estimator (with groups)',
    '  … SKUs with 0 own past promotions',
    '  … SKUs with 1–2 own past promotions',
    '  … SKUs with 3+ own past promotions',
    'estimator (SKU + workspace)',
    'workspace mean log-lift',
    "SKU's own mean log-lift, else workspace",
  ].map((k) => [k, blank()]),
);
const add = (
  name: string,
  truth: number,
  measured: number | null,
  est: { lift: number; lower80?: number; upper80?: number; lower95?: number; upper95?: number },
): void => {
  const t = tallies.get(name) ?? blank();
  tallies.set(name, t);
  t.n++;
  t.absErr += Math.abs(est.lift - truth);
  t.absLogErr += Math.abs(Math.log1p(est.lift) - Math.log1p(truth));
  if (est.lower80 === undefined) return;
  const inside = (v: number, lo: number, hi: number): number => (v >= lo && v <= hi ? 1 : 0);
  t.in80 += inside(truth, est.lower80, est.upper80!);
  t.in95 += inside(truth, est.lower95!, est.upper95!);
  t.width95 += est.upper95! - est.lower95!;
  if (measured !== null) {
    t.measured++;
    t.in80measured += inside(measured, est.lower80, est.upper80!);
    t.in95measured += inside(measured, est.lower95!, est.upper95!);
  }
};

const meanLog = (obs: readonly LiftObservation[]): number => obs.reduce((s, o) => s + o.logLift, 0) / obs.length;

function scoreWorkspace(skus: SimSku[], useGroups: boolean): void {
  const hist = skus.map((s) => ({ sku: s.sku, group: useGroups ? s.group : null, sales: s.sales, promotions: s.past }));
  const obs = liftObservations(hist, HISTORY);
  if (obs.length === 0) return;
  const pooled = meanLog(obs);
  for (const s of skus) {
    const p = s.planned;
    const truth = Math.exp(p.logLift) - 1;
    const m = observedLift(s.plannedSales, p, [p]);
    const measured = m ? m.promoMean / m.baselineMean - 1 : null;
    const est = estimateLift(obs, { sku: s.sku, group: useGroups ? s.group : null, type: p.type, depth: (p.discountPct ?? 0) / 100 })!;
    const own = s.past.length ? obs.filter((o) => o.sku === s.sku) : [];
    const k = own.length === 0 ? '0' : own.length <= 2 ? '1–2' : '3+';
    add(`estimator (${useGroups ? 'with groups' : 'SKU + workspace'})`, truth, measured, est);
    if (useGroups) {
      add(`  … SKUs with ${k} own past promotions`, truth, measured, est);
      add('workspace mean log-lift', truth, measured, { lift: Math.exp(pooled) - 1 });
      add("SKU's own mean log-lift, else workspace", truth, measured, { lift: Math.exp(own.length ? meanLog(own) : pooled) - 1 });
    }
  }
}

const c0 = process.cpuUsage();
for (let seed = 1; seed <= SEEDS; seed++) {
  const skus = simulatePromotions({ seed, skus: SKUS, groups: 6, historyDays: HISTORY });
  scoreWorkspace(skus, true);
  scoreWorkspace(skus, false);
}
const cpu = process.cpuUsage(c0);
const pct = (a: number, n: number): string => (n ? ((100 * a) / n).toFixed(1) : '—').padStart(7);
const ref = tallies.get('workspace mean log-lift')!;
console.log(
  `promotion lift on ${SEEDS} simulated workspaces × ${SKUS} SKUs (6 groups); truth = the planned promotion's e^ℓ − 1; ` +
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
);
console.log(
  `${'method'.padEnd(44)}${'n'.padStart(6)}${'MAE lift'.padStart(10)}${'vs ws'.padStart(7)}${'|Δlog|'.padStart(8)}${'cov80'.padStart(7)}${'cov95'.padStart(7)}${'meas80'.padStart(8)}${'meas95'.padStart(8)}${'width95'.padStart(9)}`,
);
for (const [name, t] of tallies) {
  const hasInt = t.width95 > 0;
  console.log(
    `${name.padEnd(44)}${String(t.n).padStart(6)}${(t.absErr / t.n).toFixed(3).padStart(10)}${(t.absErr / t.n / (ref.absErr / ref.n)).toFixed(2).padStart(7)}` +
      `${(t.absLogErr / t.n).toFixed(3).padStart(8)}${hasInt ? pct(t.in80, t.n) : '      —'}${hasInt ? pct(t.in95, t.n) : '      —'}` +
      `${hasInt ? pct(t.in80measured, t.measured).padStart(8) : '       —'}${hasInt ? pct(t.in95measured, t.measured).padStart(8) : '       —'}` +
      `${hasInt ? (t.width95 / t.n).toFixed(2).padStart(9) : '        —'}`,
  );
}
console.log(
  `\ncov80/95: true lift inside the interval; meas80/95: the lift measured from the planned promotion's simulated sales (adds count noise). ` +
    `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms.`,
);

// Baseline forecast after the history, with and without the promotion days left out of the fit.
const skus = simulatePromotions({ seed: 1001, skus: 40, groups: 6, historyDays: HISTORY }).filter((s) =>
  s.past.some((p) => p.start >= HISTORY - 120),
);
let errWith = 0;
let errWithout = 0;
let biasWith = 0;
let biasWithout = 0;
for (const s of skus) {
  const y = s.sales.map((d) => d.units);
  const inStock = s.sales.map((d) => d.inStock);
  const H = 28;
  let truth = 0;
  for (let d = HISTORY; d < HISTORY + H; d++) truth += s.base * (1 + 0.15 * Math.sin((2 * Math.PI * d) / 7));
  const sum = (r: ReturnType<typeof forecast>): number => r.points.reduce((a, p) => a + p.value, 0);
  const raw = sum(forecast(y, { horizon: H, period: 7, inStock, counts: true }));
  const m = withoutPromotionDays(y, inStock, 0, s.past);
  const masked = sum(forecast(m.y, { horizon: H, period: 7, inStock: m.inStock, counts: true }));
  errWith += Math.abs(raw / truth - 1);
  errWithout += Math.abs(masked / truth - 1);
  biasWith += raw / truth - 1;
  biasWithout += masked / truth - 1;
}
const n = skus.length;
console.log(`\n28-day baseline forecast after the history, ${n} simulated SKUs with a promotion in their last 120 days (seed 1001):`);
console.log(
  `  promotion days in the fit:       mean |error| ${(100 * (errWith / n)).toFixed(1)} %, bias ${(100 * (biasWith / n)).toFixed(1)} %`,
);
console.log(
  `  promotion days left out (served): mean |error| ${(100 * (errWithout / n)).toFixed(1)} %, bias ${(100 * (biasWithout / n)).toFixed(1)} % ` +
    `(ratio ${(errWithout / errWith).toFixed(2)})`,
);
