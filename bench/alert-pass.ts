/**
 * CPU of one post-ingest alert pass (AlertEvaluator.onSnapshots, every competitor kind of the default
 * rules) in a steady capture stream: `--competitors` listings with `--days` of 10-minute captures
 * (a drain with censored readings, stockouts and restocks, a deal now and then) recorded through
 * SnapshotService.record (facts maintained), then `--passes` rounds of one new capture per listing,
 * each followed by one evaluation pass as of its capture time. Prints the median and mean CPU ms per
 * pass and the load average.
 *
 *   npx tsx bench/alert-pass.ts [--competitors 10] [--days 21] [--passes 12]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../core/random';
import { DAY_MS } from '../core/series/types';
import { Db } from '../server/db/db';
import { compose } from '../server/root';
import type { SnapshotInput } from '../server/modules/snapshot/snapshot.inputs';
import { WorkspaceService } from '../server/modules/workspace/workspace.service';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const COMPETITORS = arg('competitors', 10);
const DAYS = arg('days', 21);
const PASSES = arg('passes', 12);
const STEP = 600_000;

process.env.RESTOCK_RADAR_QUIET = '1';
const dir = mkdtempSync(join(tmpdir(), 'rr-alert-pass-'));

/** A listing's capture at `t` from its running state (drain, censoring, stockouts, restocks, deals). */
function capture(rng: ReturnType<typeof createRng>, st: { stock: number; deal: number; claimed: number }, asin: string, t: number) {
  if (st.deal === 0 && rng.next() < 0.003) [st.deal, st.claimed] = [rng.int(12, 36), 0];
  st.stock = Math.max(0, st.stock - Math.floor(rng.next() * (st.deal > 0 ? 8 : 2.5)));
  if (st.stock === 0 && rng.next() < 0.05) st.stock = 300 + rng.int(0, 500);
  if (st.deal > 0) st.claimed = Math.min(100, st.claimed + rng.next() * 4);
  const row = {
    asin,
    marketplace: 'US',
    capturedAt: new Date(t),
    stock: st.stock,
    stockIsLowerBound: st.stock > 0 && rng.next() < 0.05,
    price: 20,
    dealType: st.deal > 0 ? 'LIGHTNING' : 'NONE',
    dealQuantity: st.deal > 0 ? 200 : null,
    dealClaimedPercent: st.deal > 0 ? Math.round(st.claimed) : null,
    source: 'bench',
  } as SnapshotInput;
  if (st.deal > 0) st.deal--;
  return row;
}

try {
  const db = await Db.open(`sqlite:${join(dir, 'bench.db')}`);
  const { services } = compose(db, { alertsOnIngest: false });
  const { workspace } = await new WorkspaceService(db).createKey('bench');
  const end = Date.UTC(2026, 9, 1);
  const start = end - DAYS * DAY_MS;
  const listings = Array.from({ length: COMPETITORS }, (_, c) => ({
    asin: `B0PASS${String(c).padStart(4, '0')}`,
    rng: createRng(100 + c),
    st: { stock: 600, deal: 0, claimed: 0 },
  }));
  const ids: string[] = [];
  for (const l of listings) ids.push((await services.competitors.upsert(workspace.id, { asin: l.asin, marketplace: 'US' })).id);
  for (const l of listings) {
    const rows = [];
    for (let t = start; t < end; t += STEP) rows.push(capture(l.rng, l.st, l.asin, t));
    for (let i = 0; i < rows.length; i += 1000) await services.snapshots.record(workspace.id, rows.slice(i, i + 1000), end);
  }
  // First pass (no alert state yet): judges the whole window once.
  const f0 = process.cpuUsage();
  await services.alertEvaluator.onSnapshots(workspace.id, ids, end);
  const first = process.cpuUsage(f0);
  const cpu: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const t = end + p * STEP;
    await services.snapshots.record(
      workspace.id,
      listings.map((l) => capture(l.rng, l.st, l.asin, t)),
      t,
    );
    const c0 = process.cpuUsage();
    await services.alertEvaluator.onSnapshots(workspace.id, ids, t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const sorted = [...cpu].sort((a, b) => a - b);
  console.log(`${COMPETITORS} competitors × ${DAYS} days of 10-minute captures; ${PASSES} passes of one capture per competitor`);
  console.log(`first pass (no state): ${((first.user + first.system) / 1000).toFixed(0)} ms CPU`);
  console.log(
    `steady pass: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms CPU, mean ${(cpu.reduce((a, x) => a + x, 0) / cpu.length).toFixed(1)} ms ` +
      `(${(sorted[Math.floor(sorted.length / 2)] / COMPETITORS).toFixed(1)} ms per competitor); load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  await services.alertEvaluator.idle();
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
