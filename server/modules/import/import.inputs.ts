import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SnapshotConflict } from '../snapshot/snapshot.inputs';

export enum CsvFormat {
  KEEPA = 'KEEPA',
  KEEPA_FINDER = 'KEEPA_FINDER',
  KEEPA_HISTORY = 'KEEPA_HISTORY',
  KEEPA_JSON = 'KEEPA_JSON',
  HELIUM10_XRAY = 'HELIUM10_XRAY',
  LONG = 'LONG',
}
registerEnumType(CsvFormat, {
  name: 'CsvFormat',
  description: "A CSV export layout (docs/import.md lists each one's columns).",
  valuesConfig: {
    KEEPA_JSON: { description: 'A Keepa API product JSON document (one or more products).' },
    KEEPA: { description: 'Keepa product-history export: one product per file, a Time column.' },
    KEEPA_FINDER: { description: 'Keepa Product Finder / Product Viewer export: one row per ASIN, no time column (captured at export).' },
    KEEPA_HISTORY: {
      description: 'A Keepa history written by the Python keepa package (pandas): an unnamed time column, series such as SALES, COUNT_NEW.',
    },
    HELIUM10_XRAY: {
      description: 'Helium 10 Xray export: one row per ASIN, locale-formatted numbers, no time column (captured at export).',
    },
    LONG: { description: 'One observation per row with asin and capturedAt columns.' },
  },
});

/** Largest CSV text the mutation accepts; bigger files go through the CLI (`import`). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
/** Rejected rows listed in a mutation result (all are counted). */
export const MAX_REJECTED_LISTED = 1000;

@ArgsType()
export class ImportSnapshotsCsvArgs {
  @Field(() => String, { description: 'The CSV text, header row first, or a Keepa API JSON document (at most 5 MiB).' })
  csv!: string;

  @Field(() => CsvFormat, { nullable: true, description: 'The layout; told from the header when absent (the result says which).' })
  format?: CsvFormat | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Capture time of every row of an export without a time column (KEEPA_FINDER, HELIUM10_XRAY). Default: a date in fileName, else now.',
  })
  capturedAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The file\'s name, for what it names: an ASIN (KEEPA), a marketplace token ("keepa_DE_…"), an export date ("…-2026-04-25-…").',
  })
  fileName?: string | null;

  @Field(() => String, { nullable: true, description: 'KEEPA files without an ASIN column: the product they belong to.' })
  asin?: string | null;

  @Field(() => String, { nullable: true, description: 'Marketplace for rows without one. Default US.' })
  marketplace?: string | null;

  @Field(() => String, { nullable: true, description: 'Source for rows without one. Default "keepa" (KEEPA) or "csv" (LONG).' })
  source?: string | null;

  @Field(() => Int, { nullable: true, description: 'Stock readings ≥ this are lower bounds (a source that caps silently).' })
  stockCap?: number | null;
}

@ObjectType({ description: 'A data row that was not stored.' })
export class RejectedCsvRow {
  @Field(() => Int, { description: '1-based line in the CSV (the header is line 1).' })
  line!: number;

  @Field(() => String, { description: 'Why the row was rejected, naming the column.' })
  reason!: string;
}

@ObjectType({ description: 'A batch whose write failed: none of its rows were stored.' })
export class FailedCsvBatch {
  @Field(() => Int, { description: "File line of the batch's first row." })
  firstLine!: number;

  @Field(() => Int, { description: "File line of the batch's last row." })
  lastLine!: number;

  @Field(() => Int, { description: 'Rows in the batch.' })
  rows!: number;

  @Field(() => String, { description: 'Why the write failed.' })
  reason!: string;
}

@ObjectType({ description: 'Outcome of a CSV import. Re-importing a file reports its rows as duplicates.' })
export class ImportSnapshotsCsvResult {
  @Field(() => Int, { description: 'Data rows read (header excluded).' })
  rows!: number;

  @Field(() => Int, { description: 'Readings stored.' })
  inserted!: number;

  @Field(() => Int, { description: 'Rows already stored for the same (competitor, capturedAt).' })
  duplicates!: number;

  @Field(() => Int, { description: 'Competitors the file named that did not exist yet (created with tier POTENTIAL).' })
  competitorsCreated!: number;

  @Field(() => [RejectedCsvRow], { description: 'Rejected rows with line and reason (the first 1,000).' })
  rejected!: RejectedCsvRow[];

  @Field(() => Int, { description: 'Rows rejected in all (rejected lists the first 1,000).' })
  rejectedCount!: number;

  @Field(() => [FailedCsvBatch], { description: 'Batches whose write failed: none of their rows were stored.' })
  failedBatches!: FailedCsvBatch[];

  @Field(() => [String], { description: 'Header columns that map to no snapshot field.' })
  ignoredColumns!: string[];

  @Field(() => CsvFormat, { description: 'The layout read.' })
  format!: CsvFormat;

  @Field(() => String, { nullable: true, description: 'Why that layout, when it was told from the header (null when given).' })
  formatDetectedFrom!: string | null;

  @Field(() => Date, { nullable: true, description: 'The capture time given to every row of an export without a time column.' })
  capturedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where capturedAt came from: given, the date in the file name, or the request time.',
  })
  capturedAtFrom!: string | null;

  @Field(() => Int, { description: 'Competitors whose title or brand the file set.' })
  listingsUpdated!: number;

  @Field(() => Int, { description: 'Stored readings that gained values they lacked (a re-import with more columns).' })
  merged!: number;

  @Field(() => Int, { description: 'Values that disagree with the stored readings: kept as stored, not overwritten.' })
  conflicts!: number;

  @Field(() => [SnapshotConflict], { description: 'The first 10 conflicts.' })
  conflictExamples!: SnapshotConflict[];

  @Field(() => [String], { description: 'What came from the file name (ASIN, marketplace) and what the reader left out.' })
  notes!: string[];
}

export enum OwnReportKind {
  ORDERS = 'ORDERS',
  FBA_INVENTORY = 'FBA_INVENTORY',
  RESTOCK = 'RESTOCK',
}
registerEnumType(OwnReportKind, {
  name: 'OwnReportKind',
  description: "An Amazon Seller Central report of the seller's own SKUs (docs/import.md).",
  valuesConfig: {
    ORDERS: { description: 'All Orders report: order lines → ledger order sales and daily sales.' },
    FBA_INVENTORY: { description: 'Manage FBA Inventory report: fulfillable + reserved → on hand; inbound → in transit.' },
    RESTOCK: { description: 'Restock Inventory report: Available → on hand; Inbound → in transit.' },
  },
});

@ArgsType()
export class ImportOwnReportArgs {
  @Field(() => String, {
    description: 'The report text as Seller Central writes it (tab- or comma-separated, header first; at most 5 MiB).',
  })
  text!: string;

  @Field(() => OwnReportKind, { nullable: true, description: 'The report; told from the header when absent.' })
  report?: OwnReportKind | null;

  @Field(() => Date, { nullable: true, description: 'When an inventory report was taken (default: now); inbound arrival counts from it.' })
  capturedAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Days until reported inbound units arrive (the reports give no date). Default 10.' })
  inboundDays?: number | null;
}

@ObjectType({ description: 'A report line left out on purpose (a cancelled order, quantity 0).' })
export class SkippedReportLine {
  @Field(() => Int, { description: '1-based line (the header is line 1).' })
  line!: number;

  @Field(() => String, { description: 'Why it was left out.' })
  reason!: string;
}

@ObjectType({ description: 'Outcome of an own-SKU report import.' })
export class ImportOwnReportResult {
  @Field(() => OwnReportKind, { description: 'The report read.' })
  report!: OwnReportKind;

  @Field(() => Int, { description: 'Data lines read.' })
  rows!: number;

  @Field(() => Int, { description: 'ORDERS: order lines stored (new).' })
  orderLinesInserted!: number;

  @Field(() => Int, { description: 'ORDERS: order lines already stored (same order id), skipped.' })
  orderLinesDuplicate!: number;

  @Field(() => Int, { description: 'ORDERS: (SKU, day) sales recomputed from every stored order line.' })
  salesDays!: number;

  @Field(() => Int, { description: 'Inventory reports: SKUs whose on hand was set.' })
  productsUpdated!: number;

  @Field(() => Int, { description: 'Inventory reports: "FBA inbound" purchase orders standing for reported inbound units.' })
  inboundOrders!: number;

  @Field(() => [SkippedReportLine], { description: 'Lines left out on purpose (first 1,000).' })
  skipped!: SkippedReportLine[];

  @Field(() => [RejectedCsvRow], { description: 'Lines that could not be read or name a SKU the workspace lacks (first 1,000).' })
  rejected!: RejectedCsvRow[];
}
