/**
 * Quiet hours in local time with a fixed UTC offset. The window [start, end) may wrap midnight;
 * start === end means "never quiet" (an empty window rather than a 24-hour one, so a mistyped rule
 * cannot silence everything).
 */
import type { QuietHours } from './types';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

function localMinute(now: number, q: QuietHours): number {
  const m = Math.floor(now / MINUTE_MS) + q.utcOffsetMinutes;
  return ((m % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

export function isQuietAt(now: number, q: QuietHours | null): boolean {
  if (!q || q.startMinute === q.endMinute) return false;
  const m = localMinute(now, q);
  return q.startMinute < q.endMinute ? m >= q.startMinute && m < q.endMinute : m >= q.startMinute || m < q.endMinute;
}

/** The first instant ≥ now that is outside quiet hours (now itself when not quiet). */
export function quietEndsAt(now: number, q: QuietHours | null): number {
  if (!q || !isQuietAt(now, q)) return now;
  const m = localMinute(now, q);
  const ahead = (q.endMinute - m + DAY_MINUTES) % DAY_MINUTES;
  // Whole local minutes ahead, then back to the minute boundary.
  return (Math.floor(now / MINUTE_MS) + ahead) * MINUTE_MS;
}
