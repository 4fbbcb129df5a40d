import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'vitest';

/**
 * The read-only folder of public data sets (msales, M3, hospital, carparts, …) that sits beside the repository as
 * ../shared, or wherever RESTOCK_RADAR_SHARED points. CI provides it; a bare clone has none, so suites over it skip.
 */
export const SHARED_DIR = resolve(process.env.RESTOCK_RADAR_SHARED ?? resolve(process.cwd(), '..', 'shared'));

/** Absolute path of a file in the shared folder (which may be absent: see describeWithSharedData). */
export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

/** A public data set file in the shared folder and where it comes from. */
export interface SharedDataSet {
  /** Path inside the shared folder, e.g. 'data/msales_with_stockout.csv'. */
  file: string;
  /** Where the public data set comes from, said in the skip reason. */
  origin: string;
}

/**
 * describe() for a suite over a public data set: it runs when the file is in the shared folder and is otherwise
 * skipped under a one-line reason naming the file and its origin. The body still runs to collect the (skipped)
 * tests, so it must read the file in a hook or a test, never while collecting.
 */
export function describeWithSharedData(title: string, dataSet: SharedDataSet, body: () => void): void {
  const present = existsSync(sharedPath(dataSet.file));
  const where = process.env.RESTOCK_RADAR_SHARED ? sharedPath(dataSet.file) : `../shared/${dataSet.file}`;
  describe.skipIf(!present)(present ? title : `needs ${where} (${dataSet.origin}): skipped`, body);
}
