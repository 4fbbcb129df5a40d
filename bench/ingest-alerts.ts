/**
 * Where ingest CPU goes in-process: the bench:ingest rows recorded through SnapshotService.record()
 * (validation, inserts, fact maintenance; no HTTP or GraphQL), then the alert evaluation each batch
 * queues (AlertEvaluator.onSnapshots, awaited with idle() before the next batch), CPU timed around
 * each. The evaluator reads the last 21 days before the server's clock, so bench:ingest's rows
 * (dated January 2026) give it nothing to read; --recent dates the same rows to end now.
 *
 *   node --import tsx bench/ingest-alerts.ts [--rows 100000] [--batch 10000] [--recent]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../server/db/db';
import { compose } from '../server/root';
import { INGEST_COMPETITORS, INGEST_STEP_MS, ingestRows } from './lib/ingest-rows';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '10000' },
    recent: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const BATCH = Number(values.batch);
const t0 = values.recent
  ? Math.floor(Date.now() / INGEST_STEP_MS) * INGEST_STEP_MS - (ROWS / INGEST_COMPETITORS) * INGEST_STEP_MS
  : undefined;
// The rows of bench/ingest.ts, optionally shifted in time to end now.
const rows = ingestRows(ROWS, t0).map((r) => ({ ...r, capturedAt: new Date(r.capturedAt) }));

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), 'rr-bench-'));
const db = await Db.open(`sqlite:${join(dir, 'bench.db')}`);
const { services } = compose(db);
const ws = await services.workspaces.findOrCreate('bench');
let record = 0;
let alerts = 0;
for (let i = 0; i < rows.length; i += BATCH) {
  let c = process.cpuUsage();
  await services.snapshots.record(ws.id, rows.slice(i, i + BATCH) as Parameters<typeof services.snapshots.record>[1]);
  record += cpuMs(c);
  c = process.cpuUsage();
  await services.alertEvaluator.idle();
  alerts += cpuMs(c);
}
await db.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  `${ROWS.toLocaleString()} rows in ${BATCH.toLocaleString()}-row batches, ${values.recent ? 'dated to end now' : 'dated January 2026 (as bench:ingest)'}:`,
);
console.table({ 'record() (inserts + facts)': Math.round(record), 'alert evaluation queued per batch': Math.round(alerts) });
process.exit(0);
