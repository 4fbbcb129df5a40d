/**
 * False-alert rate of the server's competitor event alerts on the labelled scenario set (core/sim,
 * the demo data): the scenarios are replayed into a real database through SnapshotService.record
 * in batches of `--batch-hours` (default 6 h, like a scraper that uploads a few times a day), the
 * post-commit evaluator runs after each batch as of the batch end, and the scheduled pass runs
 * every hour of simulated time. Every RAISE is then matched against the ground truth:
 *   COMPETITOR_RESTOCK       a true observable restock within [−2 h, +12 h] of the raising capture
 *   COMPETITOR_DEAL_STARTED  a true deal whose start (or announcement) is within [−2 h, +6 h]
 *   COMPETITOR_STOCKOUT      a true stockout covering the capture
 *   SELLOUT_IMMINENT         a true deal that sells out (or ends) within 48 h × 1.5 of the pass
 *   DATA_STALE               captures truly stopped before the pass (or a gap ≥ 2 intervals)
 * The CPU of the post-commit (ingest) pass is reported per batch, with the load average.
 * False-alert rate = unmatched RAISEs / all RAISEs (the product's target: below 5 %). Recall is
 * reported for restocks, deals and stockouts ≥ 26 h (the rule default is 24 h). Baseline in the
 * same run: a raise on every rise the restock detector reports (flaps and trickles included).
 *
 *   npx tsx bench/alert-eval.ts [--competitors 36] [--days 21] [--seed 42] [--batch-hours 6]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRestocks } from '../core/restock';
import { generateScenarios } from '../core/sim';
import { HOUR_MS } from '../core/series/types';
import { Db } from '../server/db/db';
import { compose } from '../server/root';
import type { AlertChange } from '../server/modules/alert/alert.inputs';
import type { CompetitorTier } from '../server/modules/competitor/competitor.entity';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const COMPETITORS = arg('competitors', 36);
const DAYS = arg('days', 21);
const SEED = arg('seed', 42);
const BATCH_H = arg('batch-hours', 6);

process.env.RESTOCK_RADAR_QUIET = '1';
const dir = mkdtempSync(join(tmpdir(), 'rr-alert-bench-'));
const started = performance.now();
try {
  const db = await Db.open(`sqlite:${join(dir, 'bench.db')}`);
  // Alerts are evaluated explicitly below, as of each batch's end.
  const { services } = compose(db, { alertsOnIngest: false });
  const { workspace } = await new WorkspaceService(db).createKey('bench');
  const end = Date.UTC(2026, 9, 1); // fixed: the same scenario set on every run
  const set = generateScenarios({ seed: SEED, competitors: COMPETITORS, days: DAYS, start: end - DAYS * 24 * HOUR_MS });

  // Capture every change the evaluator hands the store, with the capture time it rests on.
  const raised: { change: AlertChange; observedAt: number; asin: string }[] = [];
  const asinOf = new Map<string, string>();
  const apply = services.alerts.apply.bind(services.alerts);
  services.alerts.apply = async (ws, changes) => {
    for (const c of changes) {
      if (c.action !== 'RAISE') continue;
      const newest = c.explanation?.data?.newestAt;
      raised.push({ change: c, observedAt: newest ? Date.parse(newest) : c.at.getTime(), asin: asinOf.get(c.subjectId) ?? '?' });
    }
    return apply(ws, changes);
  };

  for (const { meta } of set.scenarios) {
    const c = await services.competitors.upsert(workspace.id, {
      asin: meta.asin,
      marketplace: meta.marketplace,
      title: meta.title,
      brand: meta.brand,
      tier: meta.tier as CompetitorTier,
    });
    asinOf.set(c.id, meta.asin);
  }
  // Time-ordered replay in batches; the evaluator's clock is the batch end (services take `now`).
  const ids = new Map([...asinOf].map(([id, asin]) => [asin, id]));
  const all = set.scenarios.flatMap(({ meta, points }) => points.map((p) => ({ meta, p }))).sort((a, b) => a.p.at - b.p.at);
  let i = 0;
  let evalMs = 0;
  let ingestPassCpuMs = 0;
  let batches = 0;
  for (let t = set.start + BATCH_H * HOUR_MS; t <= set.now + BATCH_H * HOUR_MS; t += BATCH_H * HOUR_MS) {
    const now = Math.min(t, set.now);
    const input = [];
    while (i < all.length && all[i].p.at <= now) {
      const { meta, p } = all[i++];
      input.push({
        asin: meta.asin,
        marketplace: meta.marketplace,
        capturedAt: new Date(p.at),
        stock: p.stock,
        stockIsLowerBound: p.stockIsLowerBound,
        price: p.price,
        listPrice: p.listPrice ?? null,
        dealType: p.dealType,
        dealQuantity: p.dealQuantity,
        dealClaimedPercent: p.dealClaimedPercent,
        dealEndsAt: p.dealEndsAt === null ? null : new Date(p.dealEndsAt),
        bsr: p.bsr,
        source: p.source,
      });
    }
    if (input.length) await services.snapshots.record(workspace.id, input, now);
    const e0 = performance.now();
    const touched = [...new Set(input.map((x) => ids.get(x.asin)!))];
    const c0 = process.cpuUsage();
    await services.alertEvaluator.onSnapshots(workspace.id, touched, now);
    const c1 = process.cpuUsage(c0);
    ingestPassCpuMs += (c1.user + c1.system) / 1000;
    for (let h = now - BATCH_H * HOUR_MS + HOUR_MS; h <= now; h += HOUR_MS) await services.alertEvaluator.runOnce(h);
    evalMs += performance.now() - e0;
    batches++;
    if (now === set.now) break;
  }

  const truthOf = new Map(set.scenarios.map((s) => [s.meta.asin, s]));
  const H = HOUR_MS;
  const matches = (r: (typeof raised)[number]): boolean => {
    const sc = truthOf.get(r.asin)!;
    const T = sc.truth;
    const t = r.observedAt;
    switch (r.change.kind) {
      case 'COMPETITOR_RESTOCK':
        return T.restocks.some((x) => x.observable && t >= x.at - 2 * H && t <= x.at + 12 * H);
      case 'COMPETITOR_DEAL_STARTED':
        return T.deals.some(
          (d) => t >= (d.announcedAt ?? d.startAt) - 2 * H && t <= Math.max(d.startAt, d.announcedAt ?? d.startAt) + 6 * H,
        );
      case 'COMPETITOR_STOCKOUT':
        return T.stockouts.some((w) => t >= w.start && (w.end === null || t <= w.end + H));
      case 'SELLOUT_IMMINENT': {
        const evalAt = r.change.at.getTime();
        return T.deals.some((d) => d.startAt <= evalAt && d.endedAt !== null && d.endedAt >= evalAt - H && d.endedAt <= evalAt + 72 * H);
      }
      case 'DATA_STALE': {
        const evalAt = r.change.at.getTime();
        const gap = evalAt - t;
        return (T.capturesStoppedAt !== null && evalAt > T.capturesStoppedAt) || gap >= 2 * sc.meta.captureIntervalMinutes * 60_000;
      }
      default:
        return false;
    }
  };
  const kinds = [
    'COMPETITOR_RESTOCK',
    'COMPETITOR_DEAL_STARTED',
    'COMPETITOR_STOCKOUT',
    'SELLOUT_IMMINENT',
    'DATA_STALE',
    'CONSUMPTION_DEVIATION',
  ] as const;
  const rows = kinds.map((k) => {
    const list = raised.filter((r) => r.change.kind === k);
    const fp = list.filter((r) => !matches(r));
    return { kind: k, raises: list.length, false: fp.length, rate: list.length ? fp.length / list.length : 0, examples: fp.slice(0, 2) };
  });
  // Recall of the discrete events (restocks observable, deals started inside the window, stockouts ≥ 24 h).
  const found = (asin: string, kind: string, lo: number, hi: number) =>
    raised.some((r) => r.asin === asin && r.change.kind === kind && r.observedAt >= lo && r.observedAt <= hi);
  let rs = 0,
    rsHit = 0,
    ds = 0,
    dsHit = 0,
    so = 0,
    soHit = 0;
  for (const sc of set.scenarios) {
    for (const x of sc.truth.restocks)
      if (x.observable && x.at > set.start + 24 * HOUR_MS) {
        rs++;
        if (found(sc.meta.asin, 'COMPETITOR_RESTOCK', x.at - 2 * H, x.at + 12 * H)) rsHit++;
      }
    for (const d of sc.truth.deals)
      if (d.startAt > set.start + 24 * HOUR_MS && d.startAt < set.now - 6 * H) {
        ds++;
        if (found(sc.meta.asin, 'COMPETITOR_DEAL_STARTED', (d.announcedAt ?? d.startAt) - 2 * H, d.startAt + 6 * H)) dsHit++;
      }
    for (const w of sc.truth.stockouts)
      if (w.durationHours >= 26) {
        so++;
        if (found(sc.meta.asin, 'COMPETITOR_STOCKOUT', w.start, (w.end ?? set.now) + H)) soHit++;
      }
  }
  const total = rows.reduce((a, r) => a + r.raises, 0);
  const falses = rows.reduce((a, r) => a + r.false, 0);
  console.log(
    `alert evaluation on ${set.scenarios.length} labelled competitors × ${DAYS} days (seed ${SEED}), ${all.length} snapshots in ${batches} batches of ${BATCH_H} h`,
  );
  console.log('kind                       raises  false  false-rate');
  for (const r of rows)
    console.log(
      `${r.kind.padEnd(26)} ${String(r.raises).padStart(6)} ${String(r.false).padStart(6)}  ${(100 * r.rate).toFixed(1).padStart(6)} %`,
    );
  console.log(
    `${'ALL'.padEnd(26)} ${String(total).padStart(6)} ${String(falses).padStart(6)}  ${(100 * (total ? falses / total : 0)).toFixed(1).padStart(6)} %   (target < 5 %)`,
  );
  // Baseline measured on the same data: alert on every rise restock detection reports (flaps and
  // low-confidence trickles included, no anomaly gate, no state machine).
  let base = 0;
  let baseFalse = 0;
  for (const sc of set.scenarios) {
    for (const e of detectRestocks(sc.points, { now: set.now })) {
      base++;
      if (!sc.truth.restocks.some((x) => x.observable && e.at >= x.at - 2 * H && e.at <= x.at + 12 * H)) baseFalse++;
    }
  }
  console.log(
    `${'baseline: every detected rise'.padEnd(26)} ${String(base).padStart(6)} ${String(baseFalse).padStart(6)}  ${(100 * (base ? baseFalse / base : 0)).toFixed(1).padStart(6)} %   (restocks only)`,
  );
  console.log(`recall: restocks ${rsHit}/${rs}, deal starts ${dsHit}/${ds}, stockouts ≥ 26 h ${soHit}/${so}`);
  console.log(
    `evaluation time ${(evalMs / 1000).toFixed(1)} s (${(evalMs / batches).toFixed(0)} ms per batch incl. ${BATCH_H} scheduled passes); total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(
    `ingest pass (onSnapshots, all event and consumption kinds): ${(ingestPassCpuMs / batches).toFixed(1)} ms CPU per pass over ${batches} passes; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if (args.includes('--debug'))
    for (const r of rows)
      for (const x of r.examples) console.log('false', r.kind, x.asin, new Date(x.observedAt).toISOString(), x.change.message);
  await services.alertEvaluator.idle();
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
