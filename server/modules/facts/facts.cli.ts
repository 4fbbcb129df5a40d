/**
 * `restock-radar rebuild-intelligence [--workspace NAME] [--competitor ID] [--stale-only]`
 * (docs/operations.md, "Intelligence facts"). Re-derives the facts that reads and alerts serve from
 * the raw snapshots, one transaction per competitor, with a progress bar on a terminal (a line every
 * 2 s otherwise). Exit 0 on success, 1 on an error.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config';
import { Db } from '../../db/db';
import { compose } from '../../root';
import { usageError as fail } from '../../usage';

export const REBUILD_HELP = `  rebuild-intelligence [--workspace NAME] [--competitor ID] [--stale-only]
                                Rebuild the derived facts (velocity sums, deal episodes, restocks, stockouts) from the raw snapshots;
                                --stale-only: only those made by older rules or missing.`;

function progressReporter() {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'competitors |{bar}| {value}/{total} | ETA {eta_formatted}', stream: process.stdout, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done: number, total: number) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      done: () => started && bar.stop(),
    };
  }
  let last = Date.now();
  let latest: [number, number] | null = null;
  const line = ([done, total]: [number, number]) => console.log(`competitors ${done}/${total}`);
  return {
    update(done: number, total: number) {
      latest = [done, total];
      if (Date.now() - last >= 2000) {
        last = Date.now();
        line(latest);
      }
    },
    done: () => latest && line(latest),
  };
}

export async function runRebuildIntelligence(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, competitor: { type: 'string' }, 'stale-only': { type: 'boolean' } },
  });
  if (positionals.length) fail(`rebuild-intelligence takes no positional arguments, got ${positionals.join(' ')}`);
  const db = await Db.open(loadConfig().databaseUrl);
  try {
    const { services } = compose(db);
    let workspaceId: string | undefined;
    if (values.workspace) {
      const ws = await services.workspaces.findByName(values.workspace);
      if (!ws) fail(`workspace "${values.workspace}" does not exist`);
      workspaceId = ws.id;
    }
    const progress = progressReporter();
    const started = Date.now();
    const r = await services.facts.rebuild({
      workspaceId,
      competitorId: values.competitor,
      staleOnly: Boolean(values['stale-only']),
      progress: progress.update,
    });
    progress.done();
    if (values.competitor && r.competitors === 0)
      fail(`competitor "${values.competitor}" does not exist${values.workspace ? ` in workspace "${values.workspace}"` : ''}`);
    console.log(
      `Rebuilt the facts of ${r.competitors} competitor(s): ${r.facts} intervals, ${r.episodes} deal episodes, ${r.restocks} restock events and stockout windows, ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
