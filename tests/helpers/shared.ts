import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The read-only shared/ folder (data sets, golden vectors) that sits beside the repository. */
export const SHARED_DIR = resolve(process.env.RESTOCK_RADAR_SHARED ?? resolve(process.cwd(), '..', 'shared'));

export function sharedPath(...parts: string[]): string {
  const p = resolve(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`shared file missing: ${p} (set RESTOCK_RADAR_SHARED to the shared/ folder)`);
  return p;
}
