/**
 * `restock-radar import-report --workspace NAME [--report orders|fba-inventory|restock] FILE...`:
 * the seller's own SKUs from Amazon's reports (docs/import.md, "Own SKUs from Amazon reports").
 * Exit code 0 when every line was used (or skipped on purpose), 3 when lines were rejected, 1 on an error.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { Db } from '../../db/db';
import { compose } from '../../root';
import { parseInstant } from './import.formats';
import type { OwnReport } from './import.own';
import { DEFAULT_INBOUND_DAYS, type OwnReportSummary } from './import.own.service';
import { checkedFlag, integerFlag, usageError as fail } from '../../usage';

export const IMPORT_REPORT_HELP = `  import-report --workspace N [--report R] FILE...
                                Own SKUs from Amazon reports: orders (All Orders), fba-inventory
                                (Manage FBA Inventory), restock (Restock Inventory); default: told
                                from the header. --captured-at T (inventory reports; default the
                                file's time), --inbound-days N (arrival of inbound units, default ${DEFAULT_INBOUND_DAYS}).`;

const REPORTS: Record<string, OwnReport> = { orders: 'ORDERS', 'fba-inventory': 'FBA_INVENTORY', restock: 'RESTOCK' };

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      report: { type: 'string' },
      'captured-at': { type: 'string' },
      'inbound-days': { type: 'string' },
    },
  });
  if (!values.workspace) fail('import-report needs --workspace NAME');
  const report = values.report === undefined ? null : REPORTS[values.report.toLowerCase()];
  if (report === undefined) fail(`--report must be one of ${Object.keys(REPORTS).join(', ')}, got ${values.report}`);
  if (!positionals.length) fail('import-report needs at least one FILE');
  const days = integerFlag('inbound-days', values['inbound-days'], 0, 365) ?? null;
  const capturedAt = values['captured-at'] ? checkedFlag(() => parseInstant('--captured-at', values['captured-at']!)) : null;
  return { workspace: values.workspace, report, capturedAt, inboundDays: days, files: positionals };
}

export function describeSummary(file: string, s: OwnReportSummary): string[] {
  const out = [
    `${file}: ${s.report.toLowerCase().replace('_', '-')} report, ${s.rows} line(s)` +
      (s.report === 'ORDERS'
        ? `: ${s.orderLines.inserted} order line(s) stored (${s.orderLines.duplicates} already there), ${s.salesDays} sales day(s) recomputed`
        : `: on hand set for ${s.productsUpdated} SKU(s), ${s.inboundOrders} inbound order(s)`) +
      `, ${s.skipped.length} skipped, ${s.rejected.length} rejected`,
  ];
  for (const r of s.rejected.slice(0, 50)) out.push(`  line ${r.line}: ${r.reason}`);
  return out;
}

export async function runImportReport(argv: string[]): Promise<number> {
  const o = parse(argv);
  const db = await Db.open(loadConfig().databaseUrl);
  try {
    const { services } = compose(db, {});
    const workspace = await services.workspaces.findByName(o.workspace);
    if (!workspace) fail(`workspace "${o.workspace}" does not exist (create it with: apikey create --workspace ${o.workspace})`);
    let rejected = 0;
    for (const file of o.files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        fail(`cannot read ${file}: ${(e as Error).message}`);
      }
      const s = await services.ownReports.importReport(workspace.id, text, {
        report: o.report,
        capturedAt: o.capturedAt ?? statSync(file).mtime,
        inboundDays: o.inboundDays,
      });
      for (const line of describeSummary(basename(file), s)) console.log(line);
      rejected += s.rejected.length;
    }
    return rejected ? 3 : 0;
  } finally {
    await db.close();
  }
}
