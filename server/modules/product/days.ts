/**
 * Calendar days at the API edge. A day is an ISO `YYYY-MM-DD` string in the API, an integer epoch
 * day for core/, and the Date of its UTC midnight in the database.
 */
import { isoFromEpochDay, toEpochDay } from '../../../core/replenishment';
import { badInput } from '../../graphql/errors';

export const DAY_MS = 86_400_000;
/** Earliest day accepted anywhere (catches typos such as 0202-01-01). */
export const MIN_DAY = toEpochDay('min', '2000-01-01');

export const epochDayOf = (ms: number): number => Math.floor(ms / DAY_MS);
export const dateOfDay = (day: number): Date => new Date(day * DAY_MS);
export const isoOfDay = (day: number): string => isoFromEpochDay(day);

/** A stored day (SQLite text `YYYY-MM-DD HH:MM:SS.sss` or a PostgreSQL Date) as an epoch day. */
export function dayOfStored(v: string | Date): number {
  if (v instanceof Date) return epochDayOf(v.getTime());
  return toEpochDay('stored day', v.slice(0, 10));
}

/** Validates an ISO calendar day; `maxDay` bounds it from above (e.g. no sales recorded for tomorrow). */
export function parseDay(field: string, v: string, { maxDay, minDay = MIN_DAY }: { maxDay?: number; minDay?: number } = {}): number {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw badInput(field, `must be an ISO calendar day YYYY-MM-DD, got "${String(v).slice(0, 40)}"`);
  let day: number;
  try {
    day = toEpochDay(field, v);
  } catch {
    throw badInput(field, `is not a valid calendar day: ${v}`);
  }
  if (day < minDay) throw badInput(field, `must not be before ${isoOfDay(minDay)}, got ${v}`);
  if (maxDay !== undefined && day > maxDay) throw badInput(field, `must not be after ${isoOfDay(maxDay)}, got ${v}`);
  return day;
}
