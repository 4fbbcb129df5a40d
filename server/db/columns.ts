import type { ValueTransformer } from 'typeorm';

/**
 * Money is stored as integer cents so SQLite and PostgreSQL agree to the cent and sums never drift;
 * the API speaks decimal currency units.
 */
export const centsTransformer: ValueTransformer = {
  to: (v: number | null | undefined) => (v === null || v === undefined ? v : Math.round(v * 100)),
  from: (v: number | string | null) => (v === null || v === undefined ? null : Number(v) / 100),
};

/** PostgreSQL returns BIGINT/NUMERIC as strings; everything we store fits a double. */
export const numberTransformer: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: number | string | null) => (v === null || v === undefined ? null : Number(v)),
};

export const toCents = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Math.round(v * 100));

/**
 * The text form TypeORM's SQLite driver uses for datetime columns (UTC, no zone suffix). The bulk
 * ingest path writes it directly, so it must match byte for byte (a test checks that it does).
 */
export const toSqliteDatetime = (d: Date): string => {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ (slicing is measurably cheaper than replace on the ingest path)
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
};
