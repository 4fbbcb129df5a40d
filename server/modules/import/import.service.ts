/**
 * CSV import into snapshots (CLI `import` and the importSnapshotsCsv mutation). Rows are parsed
 * as a stream (csv-parse), mapped by the format's header (import.formats.ts), and written in
 * batches through SnapshotService.record, which validates a whole batch before one transaction:
 *  - a row that cannot be parsed or fails validation is rejected with its line number and reason,
 *    and the rest of its batch is written without it;
 *  - a batch whose write fails (database error) is rolled back as a whole and reported with its
 *    line range; the other batches still land;
 *  - re-importing a file is harmless: rows already stored count as duplicates.
 */
import { type CsvError, type Parser, parse } from 'csv-parse';
import { GraphQLError } from 'graphql';
import type { SnapshotConflict, SnapshotInput } from '../snapshot/snapshot.inputs';
import { MAX_CONFLICT_EXAMPLES } from '../snapshot/snapshot.merge';
import { MAX_BATCH, type SnapshotService } from '../snapshot/snapshot.service';
import { detectFormat, mapperFor, TIMELESS_FORMATS } from './import.detect';
import { keepaJsonRows } from './import.keepa-json';
import { type CsvFormatName, type FormatOptions, type MappedRow, RowError, type RowMapper } from './import.formats';

export interface RejectedRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  reason: string;
}

export interface FailedBatch {
  firstLine: number;
  lastLine: number;
  rows: number;
  reason: string;
}

export interface ImportSummary {
  /** Data rows read (header excluded). */
  rows: number;
  inserted: number;
  duplicates: number;
  competitorsCreated: number;
  rejected: RejectedRow[];
  failedBatches: FailedBatch[];
  ignoredColumns: string[];
  batches: number;
  /** The format read, and why when it was detected from the header (null when it was given). */
  format: CsvFormatName | null;
  formatDetectedFrom: string | null;
  /** For exports without a time column: the capture time given to every row, and where it came from. */
  capturedAt: { at: Date; from: string } | null;
  /** Competitors whose title or brand the file set. */
  listingsUpdated: number;
  /** What the reader noticed and left out (e.g. Keepa histories this import does not use). */
  notes: string[];
  /** Stored readings that gained values from this file, and values that disagree (kept as stored). */
  merged: number;
  conflicts: number;
  conflictExamples: SnapshotConflict[];
}

/** Title and brand that exports carry (Keepa Product Finder, Helium 10 Xray) for the competitor rows. */
export interface ListingDetailsSink {
  updateDetails(workspaceId: string, details: ListingDetails[]): Promise<number>;
}

export interface ListingDetails {
  asin: string;
  marketplace: string;
  title: string | null;
  brand: string | null;
}

export interface ImportOptions extends FormatOptions {
  /** The format; detected from the header when absent. */
  format?: CsvFormatName | null;
  /** Capture time for exports without a time column when `capturedAt` is not given (file name, file time, now). */
  capturedAtDefault?: { at: Date; from: string } | null;
  /** Rows per write (≤ 10,000). Default 5,000. */
  batchSize?: number;
  /** Called after each batch and at most every ~1,000 rows with bytes parsed so far and rows read. */
  onProgress?: (p: { bytes: number; rows: number }) => void;
}

export const DEFAULT_BATCH = 5_000;

/** `;` or tab when the header has more of them than commas. */
function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const n = (c: string) => headerLine.split(c).length - 1;
  const counts: [',' | ';' | '\t', number][] = [
    [',', n(',')],
    [';', n(';')],
    ['\t', n('\t')],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/** Reads chunks until the first line is complete, so the delimiter can be chosen before parsing. */
async function* withFirstLine(
  source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  onFirst: (line: string) => void,
): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let seen = false;
  for await (const chunk of source) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (seen) {
      yield b;
      continue;
    }
    head = Buffer.concat([head, b]);
    const nl = head.indexOf(10);
    if (nl >= 0 || head.length > 1 << 20) {
      onFirst(head.subarray(0, nl >= 0 ? nl : head.length).toString('utf8'));
      seen = true;
      yield head;
    }
  }
  if (!seen) {
    onFirst(head.toString('utf8'));
    if (head.length) yield head;
  }
}

/**
 * The streaming CSV parser: records with their line info, ragged rows allowed, empty lines skipped;
 * a record that is not valid CSV is skipped and reported to `reject` with its line.
 */
function csvParser(delimiter: ',' | ';' | '\t', reject: (line: number, reason: string) => void): Parser {
  return parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) reject(Number((err as unknown as { lines?: number }).lines ?? 0), `not valid CSV: ${err.message}`);
      return undefined;
    },
  });
}

/**
 * Resolves on the parser's next 'drain' or 'close' and removes the listener that did not fire, so a
 * wait leaves nothing behind (one leftover 'close' listener per backpressure wait used to pile up
 * into a MaxListenersExceededWarning on any file of a few hundred kilobytes).
 */
function drainedOrClosed(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.once('drain', done);
    parser.once('close', done);
  });
}

/**
 * Writes the already pulled first chunk and then the rest of `input` into the parser, waiting on
 * backpressure, and ends it; a read error destroys the parser so its reader sees the error.
 */
async function feedParser(parser: Parser, first: IteratorResult<Buffer>, input: AsyncGenerator<Buffer>): Promise<void> {
  try {
    if (!first.done) parser.write(first.value);
    for await (const chunk of input) {
      if (parser.destroyed) break;
      if (!parser.write(chunk)) await drainedOrClosed(parser);
    }
    if (!parser.destroyed) parser.end();
  } catch (e) {
    parser.destroy(e as Error);
  }
}

function checkBatchSize(size = DEFAULT_BATCH): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH)
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH}, got ${size}`);
  return size;
}

const emptySummary = (): ImportSummary => ({
  rows: 0,
  inserted: 0,
  duplicates: 0,
  competitorsCreated: 0,
  rejected: [],
  failedBatches: [],
  ignoredColumns: [],
  batches: 0,
  format: null,
  formatDetectedFrom: null,
  capturedAt: null,
  listingsUpdated: 0,
  notes: [],
  merged: 0,
  conflicts: 0,
  conflictExamples: [],
});

/** The header's format (given or detected) and the capture time a timeless export's rows get. */
function resolveFormat(header: string[], opts: ImportOptions, summary: ImportSummary): FormatOptions {
  const detected = opts.format ? null : detectFormat(header);
  const format = opts.format ?? detected!.format;
  summary.format = format;
  summary.formatDetectedFrom = detected?.why ?? null;
  if (!TIMELESS_FORMATS.includes(format)) return opts;
  const captured = opts.capturedAt ? { at: opts.capturedAt, from: 'given' } : (opts.capturedAtDefault ?? null);
  summary.capturedAt = captured;
  return { ...opts, capturedAt: captured?.at ?? null };
}

/** Title/brand per listing named in a batch (the last non-empty value of the file wins). */
function listingDetails(rows: MappedRow[]): ListingDetails[] {
  const byKey = new Map<string, ListingDetails>();
  for (const r of rows) {
    if (!r.title && !r.brand) continue;
    const marketplace = r.marketplace ?? 'US';
    const key = `${marketplace}|${r.asin.toUpperCase()}`;
    const prev = byKey.get(key);
    byKey.set(key, {
      asin: r.asin.toUpperCase(),
      marketplace,
      title: r.title ?? prev?.title ?? null,
      brand: r.brand ?? prev?.brand ?? null,
    });
  }
  return [...byKey.values()];
}

export class ImportService {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly listings: ListingDetailsSink,
  ) {}

  async importCsv(
    workspaceId: string,
    source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
    opts: ImportOptions,
  ): Promise<ImportSummary> {
    const batchSize = checkBatchSize(opts.batchSize);
    const summary = emptySummary();
    const reject = (line: number, reason: string) => summary.rejected.push({ line, reason });

    const detected: { delimiter: ',' | ';' | '\t' } = { delimiter: ',' };
    const input = withFirstLine(source, (line) => (detected.delimiter = detectDelimiter(line.replace(/^\uFEFF/, ''))));
    // The delimiter is known once the first chunk has been pulled; start the parser lazily.
    const first = await input.next();
    const { delimiter } = detected;
    const parser = csvParser(delimiter, reject);
    const feed = feedParser(parser, first, input);

    let mapper: RowMapper | null = null;
    let batch: { line: number; input: MappedRow }[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      await this.writeBatch(workspaceId, batch, summary);
      batch = [];
      opts.onProgress?.({ bytes, rows: summary.rows });
    };

    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      bytes = info.bytes;
      if (!mapper) {
        const fmtOpts: FormatOptions = { ...resolveFormat(record, opts, summary), decimalComma: opts.decimalComma ?? delimiter === ';' };
        mapper = mapperFor(summary.format!, record, fmtOpts);
        summary.ignoredColumns = mapper.ignored;
        continue;
      }
      summary.rows++;
      try {
        batch.push({ line: info.lines, input: mapper.map(record) });
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        reject(info.lines, e.message);
      }
      if (batch.length >= batchSize) await flush();
      else if (summary.rows % 1000 === 0) opts.onProgress?.({ bytes, rows: summary.rows });
    }
    await feed;
    if (!mapper) throw new RowError('the file is empty: a header row is required');
    await flush();
    summary.rejected.sort((a, b) => a.line - b.line);
    return summary;
  }

  /**
   * Imports a Keepa API JSON document (import.keepa-json.ts), read whole: its rows are written in
   * batches like a CSV's; a rejected row's `line` is its 1-based position in the document's rows.
   */
  async importKeepaJson(workspaceId: string, text: string, opts: ImportOptions): Promise<ImportSummary> {
    const batchSize = checkBatchSize(opts.batchSize);
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new RowError(`not valid JSON: ${(e as Error).message}`);
    }
    return this.importKeepaDocument(workspaceId, doc, { ...opts, batchSize }, text.length);
  }

  /**
   * A parsed Keepa API document (the `import` CLI's JSON and the Keepa connector's `/product` answers,
   * server/modules/keepa): its rows are written in batches like a CSV's, each batch through
   * SnapshotService.record (validated whole, facts maintained once per batch, re-sent readings merged);
   * a rejected row's `line` is its 1-based position in the document's rows.
   */
  async importKeepaDocument(workspaceId: string, doc: unknown, opts: ImportOptions, bytes = 0): Promise<ImportSummary> {
    const batchSize = checkBatchSize(opts.batchSize);
    const { rows, notes } = keepaJsonRows(doc, opts);
    const summary: ImportSummary = { ...emptySummary(), format: 'KEEPA_JSON', rows: rows.length, notes };
    for (let i = 0; i < rows.length; i += batchSize) {
      const batch = rows.slice(i, i + batchSize).map((input, k) => ({ line: i + k + 1, input }));
      await this.writeBatch(workspaceId, batch, summary);
      opts.onProgress?.({ bytes: Math.round((bytes * Math.min(rows.length, i + batchSize)) / rows.length), rows: i + batch.length });
    }
    return summary;
  }

  /** Writes one batch's snapshots, then the title and brand its rows carry onto their competitors. */
  private async writeBatch(workspaceId: string, batch: { line: number; input: MappedRow }[], summary: ImportSummary): Promise<void> {
    await this.writeSnapshots(workspaceId, batch, summary);
    const details = listingDetails(batch.map((b) => b.input));
    if (details.length) summary.listingsUpdated += await this.listings.updateDetails(workspaceId, details);
  }

  /**
   * Validation errors from record() name `input[i].field`: that row is rejected and the batch
   * retried without it (record() validates everything before writing, so nothing was written). Any
   * other failure rolled the batch's transaction back: report it and move on.
   */
  private async writeSnapshots(
    workspaceId: string,
    batch: { line: number; input: SnapshotInput }[],
    summary: ImportSummary,
  ): Promise<void> {
    let rows = batch;
    summary.batches++;
    while (rows.length) {
      try {
        const r = await this.snapshots.record(
          workspaceId,
          rows.map((x) => x.input),
        );
        summary.inserted += r.inserted;
        summary.duplicates += r.duplicates;
        summary.competitorsCreated += r.competitorsCreated;
        summary.merged += r.merged;
        summary.conflicts += r.conflicts;
        summary.conflictExamples.push(...r.conflictExamples.slice(0, MAX_CONFLICT_EXAMPLES - summary.conflictExamples.length));
        return;
      } catch (e) {
        const field = e instanceof GraphQLError ? e.extensions?.field : undefined;
        const m = typeof field === 'string' ? /^input\[(\d+)\]\.?(.*)$/.exec(field) : null;
        if (m && e instanceof GraphQLError && e.extensions?.code === 'BAD_USER_INPUT') {
          const i = Number(m[1]);
          summary.rejected.push({ line: rows[i].line, reason: e.message.replace(/^input\[\d+\]\./, '') });
          rows = rows.filter((_, j) => j !== i);
          continue;
        }
        summary.failedBatches.push({
          firstLine: rows[0].line,
          lastLine: rows[rows.length - 1].line,
          rows: rows.length,
          reason: `nothing of this batch was written: ${(e as Error).message}`,
        });
        return;
      }
    }
  }
}
