import type { AlertKind, ExclusionRule, KnownEvent } from './types';

export type ExclusionMatch = { type: 'EXCLUDED'; id: string; reason: string } | { type: 'KNOWN_EVENT'; id: string; reason: string };

/** Does the rule cover this subject, kind and time? Bounds are inclusive; a missing bound is open. */
export function exclusionCovers(x: ExclusionRule, subjectId: string, kind: AlertKind, at: number): boolean {
  if (x.subjectId != null && x.subjectId !== subjectId) return false;
  if (x.kinds && x.kinds.length > 0 && !x.kinds.includes(kind)) return false;
  if (x.from != null && at < x.from) return false;
  if (x.to != null && at > x.to) return false;
  return true;
}

/** First exclusion rule, else first known event, covering the observation (null when none). */
export function findExclusion(
  rules: readonly ExclusionRule[],
  known: readonly KnownEvent[],
  subjectId: string,
  kind: AlertKind,
  at: number,
): ExclusionMatch | null {
  for (const x of rules) {
    if (exclusionCovers(x, subjectId, kind, at)) return { type: 'EXCLUDED', id: x.id, reason: x.reason };
  }
  for (const e of known) {
    if (at >= e.from && at <= e.to) return { type: 'KNOWN_EVENT', id: e.id, reason: e.label };
  }
  return null;
}
