import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Clock } from '../../clock';
import type { Context } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { fileDefaults, looksLikeJson } from './import.detect';
import { RowError } from './import.formats';
import {
  type CsvFormat,
  ImportOwnReportArgs,
  ImportOwnReportResult,
  ImportSnapshotsCsvArgs,
  type OwnReportKind,
  ImportSnapshotsCsvResult,
  MAX_CSV_BYTES,
  MAX_REJECTED_LISTED,
} from './import.inputs';
import type { OwnReportImportService } from './import.own.service';
import type { ImportOptions, ImportService } from './import.service';

@Resolver()
export class ImportResolver {
  constructor(
    private readonly importService: ImportService,
    private readonly ownReportService: OwnReportImportService,
    private readonly clock: Clock,
  ) {}

  @Mutation(() => ImportOwnReportResult, {
    description:
      "Imports an Amazon report of the seller's own SKUs (All Orders, Manage FBA Inventory, Restock Inventory): lines of SKUs the workspace lacks are rejected, orders become ledger order sales and daily sales, inventory sets on hand and in transit.",
  })
  async importOwnReport(@Args(() => ImportOwnReportArgs) args: ImportOwnReportArgs, @Ctx() ctx: Context): Promise<ImportOwnReportResult> {
    const size = Buffer.byteLength(args.text, 'utf8');
    if (size > MAX_CSV_BYTES)
      throw badInput('text', `at most ${MAX_CSV_BYTES} bytes per call, got ${size}: import larger reports with the CLI (import-report)`);
    const capturedAt = args.capturedAt ? v.instant('capturedAt', args.capturedAt, this.clock.now()) : null;
    const inboundDays = v.optionalFinite('inboundDays', args.inboundDays, { min: 0, max: 365, integer: true });
    try {
      const s = await this.ownReportService.importReport(ctx.workspaceId, args.text, { report: args.report, capturedAt, inboundDays });
      return {
        ...s,
        report: s.report as OwnReportKind,
        orderLinesInserted: s.orderLines.inserted,
        orderLinesDuplicate: s.orderLines.duplicates,
        skipped: s.skipped.slice(0, MAX_REJECTED_LISTED),
        rejected: s.rejected.slice(0, MAX_REJECTED_LISTED),
      };
    } catch (e) {
      if (e instanceof RowError) throw badInput('text', e.message);
      throw e;
    }
  }

  @Mutation(() => ImportSnapshotsCsvResult, {
    description:
      'Imports snapshots from CSV text (Keepa, Helium 10 or long format; told from the header unless given), in batches of 5,000: bad rows are rejected with their line, the rest is stored. Idempotent on (competitor, capturedAt).',
  })
  async importSnapshotsCsv(
    @Args(() => ImportSnapshotsCsvArgs) args: ImportSnapshotsCsvArgs,
    @Ctx() ctx: Context,
  ): Promise<ImportSnapshotsCsvResult> {
    const size = Buffer.byteLength(args.csv, 'utf8');
    if (size > MAX_CSV_BYTES)
      throw badInput('csv', `at most ${MAX_CSV_BYTES} bytes per call, got ${size}: import larger files with the CLI (import)`);
    const asin = args.asin ? v.asin('asin', args.asin) : null;
    const marketplace = args.marketplace ? v.marketplace('marketplace', args.marketplace) : null;
    const source = v.optionalText('source', args.source, { max: 40 });
    const stockCap = v.optionalFinite('stockCap', args.stockCap, { min: 1, integer: true });
    const fileName = v.optionalText('fileName', args.fileName, { max: 255 });
    const capturedAt = args.capturedAt ? v.instant('capturedAt', args.capturedAt, this.clock.now()) : null;
    const defaults = fileDefaults(fileName, { asin, marketplace }, null, { at: new Date(this.clock.now()), from: 'the request time' });
    try {
      const opts: ImportOptions = {
        format: args.format,
        asin: defaults.asin,
        marketplace: defaults.marketplace,
        source,
        stockCap,
        capturedAt,
        capturedAtDefault: defaults.capturedAtDefault,
      };
      const json = args.format === 'KEEPA_JSON' || (!args.format && looksLikeJson(args.csv));
      const r = json
        ? await this.importService.importKeepaJson(ctx.workspaceId, args.csv, opts)
        : await this.importService.importCsv(ctx.workspaceId, [args.csv], opts);
      return {
        ...r,
        format: r.format as CsvFormat,
        capturedAt: r.capturedAt?.at ?? null,
        capturedAtFrom: r.capturedAt?.from ?? null,
        notes: [...defaults.notes, ...r.notes],
        rejected: r.rejected.slice(0, MAX_REJECTED_LISTED),
        rejectedCount: r.rejected.length,
      };
    } catch (e) {
      if (e instanceof RowError) throw badInput('csv', e.message);
      throw e;
    }
  }
}
