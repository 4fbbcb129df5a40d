import { badInput } from './errors';

/**
 * Small input checkers shared by services. Each throws BAD_USER_INPUT naming the field, so
 * validation code reads as a list of rules.
 */
export const MAX_PAGE = 500;

export function pageSize(first: number | null | undefined, field = 'first', fallback = 50): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput(field, `must be an integer from 1 to ${MAX_PAGE}, got ${first}`);
  }
  return first;
}

export function finite(field: string, v: number, { min = -Infinity, max = Infinity, integer = false } = {}): number {
  if (!Number.isFinite(v)) throw badInput(field, `must be a finite number, got ${v}`);
  if (integer && !Number.isInteger(v)) throw badInput(field, `must be a whole number, got ${v}`);
  if (v < min) throw badInput(field, `must be ≥ ${min}, got ${v}`);
  if (v > max) throw badInput(field, `must be ≤ ${max}, got ${v}`);
  return v;
}

export function optionalFinite(
  field: string,
  v: number | null | undefined,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number | null {
  return v === null || v === undefined ? null : finite(field, v, opts);
}

export function text(
  field: string,
  v: string,
  { min = 1, max = 200, pattern }: { min?: number; max?: number; pattern?: RegExp } = {},
): string {
  const t = v.trim();
  if (t.length < min) throw badInput(field, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
  if (t.length > max) throw badInput(field, `must have at most ${max} characters, got ${t.length}`);
  if (pattern && !pattern.test(t)) throw badInput(field, `has an invalid format: "${t.slice(0, 40)}"`);
  return t;
}

export function optionalText(field: string, v: string | null | undefined, opts: { max?: number } = {}): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : text(field, t, { max: opts.max });
}

/** Earliest and latest instants we accept for observations: catches unit mix-ups (s vs ms) early. */
export const MIN_TIME = Date.UTC(2000, 0, 1);
export const FUTURE_SLACK_MS = 24 * 3_600_000;

export function instant(field: string, d: Date, now: number): Date {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw badInput(field, 'must be an ISO 8601 date-time');
  if (t < MIN_TIME) throw badInput(field, `must not be before 2000-01-01, got ${d.toISOString()}`);
  if (t > now + FUTURE_SLACK_MS) throw badInput(field, `must not be more than 24 h in the future, got ${d.toISOString()}`);
  return d;
}

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id this API issued (UUID-shaped): anything else is a malformed argument, not a missing row. */
export function id(field: string, v: string): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v))
    throw badInput(field, `must be an id as returned by the API, got "${String(v).slice(0, 40)}"`);
  return v;
}

export const ASIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const MARKETPLACE_PATTERN = /^[A-Z]{2,8}$/;

export function asin(field: string, v: string): string {
  return text(field, v, { max: 40, pattern: ASIN_PATTERN }).toUpperCase();
}

export function marketplace(field: string, v: string | null | undefined): string {
  return text(field, (v ?? 'US').toUpperCase(), { max: 8, pattern: MARKETPLACE_PATTERN });
}
