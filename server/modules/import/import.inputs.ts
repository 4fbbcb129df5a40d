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

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'A batch whose write failed: none of its rows were stored.' })
export class FailedCsvBatch {
  @Field(() => Int)
  firstLine!: number;

  @Field(() => Int)
  lastLine!: number;

  @Field(() => Int)
  rows!: number;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'Outcome of a CSV import. Re-importing a file reports its rows as duplicates.' })
export class ImportSnapshotsCsvResult {
  @Field(() => Int, { description: 'Data rows read (header excluded).' })
  rows!: number;

  @Field(() => Int)
  inserted!: number;

  @Field(() => Int, { description: 'Rows already stored for the same (competitor, capturedAt).' })
  duplicates!: number;

  @Field(() => Int)
  competitorsCreated!: number;

  @Field(() => [RejectedCsvRow], { description: 'Rejected rows with line and reason (the first 1,000).' })
  rejected!: RejectedCsvRow[];

  @Field(() => Int)
  rejectedCount!: number;

  @Field(() => [FailedCsvBatch])
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
