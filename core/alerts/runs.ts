/** Consecutive-period rules shared by evaluate.ts and the tests. */
import { levelRank } from './levels';
import type { AlertSettings } from './settings';
import { ALERT_LEVELS, type AlertLevel } from './types';

export const ALERT_LEVELS_ASC: readonly AlertLevel[] = ALERT_LEVELS;

/** Consecutive periods needed to confirm a level: D at the kind's base level, N above it. */
export function need(level: AlertLevel, s: Pick<AlertSettings, 'baseLevel' | 'debounce' | 'escalateAfter'>): number {
  return levelRank(level) <= levelRank(s.baseLevel) ? s.debounce : s.escalateAfter;
}

/** Highest level above `above` (any level when null) and at or above the base level whose run is long enough. */
export function confirmedAbove(
  runs: Record<AlertLevel, number>,
  s: Pick<AlertSettings, 'baseLevel' | 'debounce' | 'escalateAfter'>,
  above: AlertLevel | null,
): AlertLevel | null {
  for (let i = ALERT_LEVELS.length - 1; i >= 0; i--) {
    const l = ALERT_LEVELS[i];
    if (above !== null && i <= levelRank(above)) break;
    if (i < levelRank(s.baseLevel)) break;
    if (runs[l] >= need(l, s)) return l;
  }
  return null;
}
