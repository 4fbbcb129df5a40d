/**
 * `restock-radar import --workspace NAME [--format F] FILE...` (docs/import.md).
 * A progress bar with rows/s and ETA on a terminal; plain progress lines (every 2 s and at the end
 * of each file) when stdout is not a TTY, e.g. in CI logs. Exit code 0 when every row was stored
 * (or already there), 3 when some rows were rejected or a batch failed, 1 on a fatal error.
 */
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config';
import { Db } from '../../db/db';
import { compose } from '../../root';
import * as v from '../../graphql/validate';
import { MAX_BATCH } from '../snapshot/snapshot.service';
import { fileDefaults, FORMAT_NAMES, formatLabel, looksLikeJson } from './import.detect';
import { parseInstant } from './import.formats';
import { DEFAULT_BATCH, type ImportOptions, type ImportService, type ImportSummary } from './import.service';
import { checkedFlag, integerFlag, usageError as fail } from '../../usage';

export const IMPORT_HELP = `  import --workspace N [--format F] FILE...
                                Import snapshots from CSV exports. --format keepa, keepa-finder,
                                keepa-history, keepa-json, helium10-xray or long (default: told from
                                the header; .json files and JSON on standard input are keepa-json),
                                FILE "-" reads standard input,
                                --captured-at T (exports without a time column; default a date in the
                                file name, else the file's time), --asin A (keepa files without an ASIN
                                column; else taken from the file name), --marketplace M (default: a
                                code in the file name such as keepa_DE_…, else US), --source S, --stock-cap N
                                (readings ≥ N are lower bounds), --batch-size N (default ${DEFAULT_BATCH}),
                                --rejects FILE (write every rejected row as CSV),
                                --skip-alerts (do not evaluate alerts: for backfills of old history).`;

const SHOWN_REJECTS = 50;
const fmt = (n: number) => n.toLocaleString('en-US');

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      format: { type: 'string' },
      'captured-at': { type: 'string' },
      asin: { type: 'string' },
      marketplace: { type: 'string' },
      source: { type: 'string' },
      'stock-cap': { type: 'string' },
      'batch-size': { type: 'string' },
      rejects: { type: 'string' },
      'skip-alerts': { type: 'boolean' },
    },
  });
  if (!values.workspace) fail('import needs --workspace NAME');
  const format = values.format === undefined ? null : FORMAT_NAMES[values.format.toLowerCase()];
  if (format === undefined) fail(`--format must be one of ${Object.keys(FORMAT_NAMES).join(', ')}, got ${values.format}`);
  if (!positionals.length) fail('import needs at least one FILE');
  return {
    workspace: values.workspace,
    format,
    capturedAt: values['captured-at'] ? checkedFlag(() => parseInstant('--captured-at', values['captured-at']!)) : null,
    asin: values.asin ? checkedFlag(() => v.asin('--asin', values.asin!)) : null,
    marketplace: values.marketplace ? checkedFlag(() => v.marketplace('--marketplace', values.marketplace)) : null,
    source: values.source ?? null,
    stockCap: integerFlag('stock-cap', values['stock-cap'], 1, 2_147_483_647) ?? null,
    batchSize: integerFlag('batch-size', values['batch-size'], 1, MAX_BATCH) ?? DEFAULT_BATCH,
    rejects: values.rejects ?? null,
    alerts: !values['skip-alerts'],
    files: positionals,
  };
}

/** Progress for one file: a bar on a terminal, a line every 2 s (and at the end) otherwise. */
function progressFor(file: string, totalBytes: number) {
  const started = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${basename(file)} |{bar}| {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
        stream: process.stdout,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(1, totalBytes), 0, { rows: 0, rate: 0 });
    return {
      update: (p: { bytes: number; rows: number }) =>
        bar.update(Math.min(p.bytes, totalBytes), { rows: fmt(p.rows), rate: fmt(rate(p.rows)) }),
      done: (rows: number) => (bar.update(totalBytes, { rows: fmt(rows), rate: fmt(rate(rows)) }), bar.stop()),
    };
  }
  let last = started;
  const line = (bytes: number, rows: number) => {
    const pct = totalBytes > 0 ? Math.min(100, (100 * bytes) / totalBytes) : 100;
    const r = rate(rows);
    const etaS = pct > 0 && pct < 100 ? ((Date.now() - started) / 1000) * ((100 - pct) / pct) : 0;
    console.log(`${basename(file)}: ${pct.toFixed(0)}% | ${fmt(rows)} rows | ${fmt(r)} rows/s | ETA ${Math.ceil(etaS)} s`);
  };
  return {
    update: (p: { bytes: number; rows: number }) => {
      if (Date.now() - last >= 2000) {
        last = Date.now();
        line(p.bytes, p.rows);
      }
    },
    done: (rows: number) => line(totalBytes, rows),
  };
}

function report(file: string, s: ImportSummary, seconds: number): void {
  if (s.format)
    console.log(
      `${basename(file)}: format ${formatLabel(s.format)}${s.formatDetectedFrom ? ` (told from the header: ${s.formatDetectedFrom})` : ''}`,
    );
  if (s.capturedAt) console.log(`${basename(file)}: every row captured at ${s.capturedAt.at.toISOString()} (${s.capturedAt.from})`);
  console.log(
    `${basename(file)}: ${fmt(s.rows)} rows in ${seconds.toFixed(1)} s — ${fmt(s.inserted)} inserted, ${fmt(s.duplicates)} duplicates, ` +
      `${fmt(s.rejected.length)} rejected, ${s.failedBatches.length} failed batch(es), ${s.competitorsCreated} competitor(s) created` +
      (s.listingsUpdated ? `, ${s.listingsUpdated} title/brand(s) updated` : ''),
  );
  if (s.merged) console.log(`  ${fmt(s.merged)} stored reading(s) gained values they lacked`);
  if (s.conflicts) {
    console.log(`  ${fmt(s.conflicts)} value(s) disagree with the stored readings and were not stored, e.g.:`);
    for (const c of s.conflictExamples)
      console.log(`    ${c.asin} ${c.capturedAt.toISOString()} ${c.field}: stored ${c.stored}, file ${c.incoming}`);
  }
  if (s.ignoredColumns.length) console.log(`  ignored columns: ${s.ignoredColumns.join(', ')}`);
  for (const note of s.notes) console.log(`  ${note}`);
  for (const r of s.rejected.slice(0, SHOWN_REJECTS)) console.log(`  line ${r.line}: ${r.reason}`);
  if (s.rejected.length > SHOWN_REJECTS)
    console.log(`  … and ${fmt(s.rejected.length - SHOWN_REJECTS)} more rejected rows (--rejects FILE writes them all)`);
  for (const b of s.failedBatches) console.log(`  lines ${b.firstLine}–${b.lastLine} (${fmt(b.rows)} rows): ${b.reason}`);
}

const csvCell = (x: string) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);

/**
 * One file (or standard input for "-"): Keepa JSON (`--format keepa-json`, a .json name, or text starting
 * with "{" or "[") is read whole; CSV is streamed.
 */
async function importOne(imports: ImportService, workspaceId: string, file: string, opts: ImportOptions): Promise<ImportSummary> {
  const stream = file === '-' ? process.stdin : createReadStream(file);
  if (opts.format === 'KEEPA_JSON' || (!opts.format && file.toLowerCase().endsWith('.json'))) {
    return imports.importKeepaJson(workspaceId, await text(stream), { ...opts, format: 'KEEPA_JSON' });
  }
  if (!opts.format && file === '-') {
    const body = await text(stream);
    return looksLikeJson(body) ? imports.importKeepaJson(workspaceId, body, opts) : imports.importCsv(workspaceId, [body], opts);
  }
  return imports.importCsv(workspaceId, stream, opts);
}

async function text(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runImport(argv: string[]): Promise<number> {
  const o = parse(argv);
  for (const f of o.files) {
    try {
      if (f !== '-' && !statSync(f).isFile()) fail(`${f} is not a file`);
    } catch (e) {
      if ((e as { usage?: boolean }).usage) throw e;
      fail(`cannot read ${f}: ${(e as Error).message}`);
    }
  }
  const db = await Db.open(loadConfig().databaseUrl);
  try {
    // The server's services: every stored batch is evaluated for alerts as an API ingest would be
    // (queued and coalesced; the lease keeps this process and a running server from racing). The
    // server's webhook dispatcher delivers what this writes to the outbox.
    const { services } = compose(db, { alertsOnIngest: o.alerts });
    const imports = services.imports;
    const workspace = await services.workspaces.findByName(o.workspace);
    if (!workspace) fail(`workspace "${o.workspace}" does not exist (create it with: apikey create --workspace ${o.workspace})`);
    const totals = { rows: 0, inserted: 0, duplicates: 0, rejected: 0, failed: 0 };
    const rejects: string[] = ['file,line,reason'];
    for (const file of o.files) {
      const stdin = file === '-';
      const defaults = fileDefaults(stdin ? null : basename(file), o, stdin ? new Date() : statSync(file).mtime);
      for (const note of defaults.notes) console.log(`${basename(file)}: ${note}`);
      const progress = progressFor(file, stdin ? 0 : statSync(file).size);
      const t0 = Date.now();
      let s: ImportSummary;
      try {
        s = await importOne(imports, workspace.id, file, {
          format: o.format,
          asin: defaults.asin,
          marketplace: defaults.marketplace,
          capturedAt: o.capturedAt,
          capturedAtDefault: defaults.capturedAtDefault,
          source: o.source,
          stockCap: o.stockCap,
          batchSize: o.batchSize,
          onProgress: progress.update,
        });
      } catch (e) {
        progress.done(0);
        throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
      }
      progress.done(s.rows);
      report(file, s, (Date.now() - t0) / 1000);
      totals.rows += s.rows;
      totals.inserted += s.inserted;
      totals.duplicates += s.duplicates;
      totals.rejected += s.rejected.length;
      totals.failed += s.failedBatches.length;
      for (const r of s.rejected) rejects.push([file, String(r.line), r.reason].map(csvCell).join(','));
    }
    if (o.alerts && totals.inserted) {
      console.log('Evaluating alerts for the imported listings…');
      const before = Date.now();
      await services.alertEvaluator.idle();
      console.log(`Alerts evaluated in ${((Date.now() - before) / 1000).toFixed(1)} s (webhooks go out from the server's outbox).`);
    }
    if (o.rejects) writeFileSync(o.rejects, `${rejects.join('\n')}\n`);
    console.log(
      `Imported ${o.files.length} file(s) into workspace "${o.workspace}": ${fmt(totals.rows)} rows, ${fmt(totals.inserted)} inserted, ` +
        `${fmt(totals.duplicates)} duplicates, ${fmt(totals.rejected)} rejected, ${totals.failed} failed batch(es).`,
    );
    return totals.rejected || totals.failed ? 3 : 0;
  } finally {
    await db.close();
  }
}
