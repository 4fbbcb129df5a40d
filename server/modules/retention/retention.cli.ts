/**
 * `restock-radar retention [--older-than-days N] [--dry-run] [--workspace NAME]` (docs/operations.md, "Snapshot
 * retention"). Rolls up raw snapshots older than N days (default SNAPSHOT_RETENTION_DAYS) into one
 * row per competitor and UTC hour. Progress: a bar on a terminal, a line every 2 s otherwise;
 * then a summary (rows before/after, hours rolled up). Exit 0 on success, 1 on an error.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config';
import { Db } from '../../db/db';
import { compose } from '../../root';
import type { RetentionProgress, RetentionSummary } from './retention.service';
import { integerFlag, usageError as fail } from '../../usage';

export const RETENTION_HELP = `  retention [--older-than-days N] [--dry-run] [--workspace NAME]
                                Roll up raw snapshots older than N days (default
                                SNAPSHOT_RETENTION_DAYS, 90) into one row per competitor and UTC
                                hour (last reading + min/max stock and price). --dry-run counts only.`;

const fmt = (n: number) => n.toLocaleString('en-US');

function progressReporter(dryRun: boolean) {
  const verb = dryRun ? 'would roll up' : 'rolled up';
  if (process.stdout.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      update(p: RetentionProgress) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `competitors |{bar}| {value}/{total} | ${verb} {hours} hours, {rows} rows removed | ETA {eta_formatted}`,
              stream: process.stdout,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.competitors, 0, { hours: 0, rows: 0 });
        }
        bar.update(p.competitorsDone, { hours: fmt(p.hoursRolledUp), rows: fmt(p.rowsDeleted) });
      },
      done: () => bar?.stop(),
    };
  }
  let last = Date.now();
  const line = (p: RetentionProgress) =>
    console.log(
      `competitors ${fmt(p.competitorsDone)}/${fmt(p.competitors)} | ${verb} ${fmt(p.hoursRolledUp)} hours, ${fmt(p.rowsDeleted)} rows removed`,
    );
  let latest: RetentionProgress | null = null;
  return {
    update(p: RetentionProgress) {
      latest = p;
      if (Date.now() - last >= 2000) {
        last = Date.now();
        line(p);
      }
    },
    done: () => latest && line(latest),
  };
}

export function describeSummary(s: RetentionSummary): string {
  const pct = s.rowsBefore > 0 ? ((100 * (s.rowsBefore - s.rowsAfter)) / s.rowsBefore).toFixed(1) : '0.0';
  return [
    `${s.dryRun ? 'Dry run (nothing written): would roll up' : 'Rolled up'} ${fmt(s.hoursRolledUp)} hours of ${fmt(s.competitorsRolledUp)}/${fmt(s.competitors)} competitors older than ${s.cutoff.toISOString()}.`,
    `Snapshot rows: ${fmt(s.rowsBefore)} before, ${fmt(s.rowsAfter)} after${s.dryRun ? ' (predicted)' : ''} (${fmt(s.rowsDeleted)} removed, ${pct} %), ` +
      `${s.transactions} transaction(s), ${(s.durationMs / 1000).toFixed(1)} s.`,
  ].join('\n');
}

export async function runRetention(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'older-than-days': { type: 'string' }, 'dry-run': { type: 'boolean' }, workspace: { type: 'string' } },
  });
  if (positionals.length) fail(`retention takes no positional arguments, got ${positionals.join(' ')}`);
  const config = loadConfig();
  let days = config.snapshotRetentionDays;
  if (values['older-than-days'] !== undefined) {
    days = integerFlag('older-than-days', values['older-than-days'], 1, 36_500) ?? days;
  } else if (days === 0) {
    console.log(
      'Snapshot retention is off (SNAPSHOT_RETENTION_DAYS=0 keeps raw snapshots forever); pass --older-than-days N to run it anyway.',
    );
    return 0;
  }
  const db = await Db.open(config.databaseUrl);
  try {
    const { services } = compose(db);
    let workspaceId: string | undefined;
    if (values.workspace) {
      const ws = await services.workspaces.findByName(values.workspace);
      if (!ws) fail(`workspace "${values.workspace}" does not exist`);
      workspaceId = ws.id;
    }
    const dryRun = Boolean(values['dry-run']);
    console.log(
      `Snapshot retention: raw readings older than ${days} day(s)${values.workspace ? ` in workspace "${values.workspace}"` : ''}${dryRun ? ' (dry run)' : ''}…`,
    );
    const progress = progressReporter(dryRun);
    const summary = await services.retention.run({ olderThanDays: days, dryRun, workspaceId, progress: progress.update });
    progress.done();
    console.log(describeSummary(summary));
    return 0;
  } finally {
    await db.close();
  }
}
