import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CsvFormat {
  KEEPA = 'KEEPA',
  LONG = 'LONG',
}
registerEnumType(CsvFormat, {
  name: 'CsvFormat',
  description:
    'KEEPA: a Keepa product-history export (one product per file); LONG: one observation per row with an asin column (docs/import.md).',
});

/** Largest CSV text the mutation accepts; bigger files go through the CLI (`import`). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
/** Rejected rows listed in a mutation result (all are counted). */
export const MAX_REJECTED_LISTED = 1000;

@ArgsType()
export class ImportSnapshotsCsvArgs {
  @Field(() => String, { description: 'The CSV text, header row first (at most 5 MiB).' })
  csv!: string;

  @Field(() => CsvFormat)
  format!: CsvFormat;

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
}
