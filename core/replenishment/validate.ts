/**
 * Input checks shared by the replenishment and profitability formulas. Every message names the
 * field so that the API can surface it as BAD_USER_INPUT and a sheet user sees what to fix.
 */

export function finite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number, got ${String(v)}`);
  }
  return v;
}

export function nonNegative(name: string, v: unknown): number {
  const x = finite(name, v);
  if (x < 0) throw new RangeError(`${name} must be ≥ 0, got ${x}`);
  return x;
}

export function positive(name: string, v: unknown): number {
  const x = finite(name, v);
  if (!(x > 0)) throw new RangeError(`${name} must be > 0, got ${x}`);
  return x;
}

/** A probability strictly inside (0, 1): service levels of 0 or 1 have no finite z. */
export function openProbability(name: string, v: unknown): number {
  const x = finite(name, v);
  if (!(x > 0 && x < 1)) throw new RangeError(`${name} must be in (0, 1), got ${x}`);
  return x;
}

/** A probability in [0, 1] (on-time rates, shrink, churn). */
export function probability(name: string, v: unknown): number {
  const x = finite(name, v);
  if (x < 0 || x > 1) throw new RangeError(`${name} must be in [0, 1], got ${x}`);
  return x;
}

export function integer(name: string, v: unknown): number {
  const x = finite(name, v);
  if (!Number.isInteger(x)) throw new RangeError(`${name} must be an integer, got ${x}`);
  return x;
}

export function positiveInteger(name: string, v: unknown): number {
  const x = integer(name, v);
  if (x < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${x}`);
  return x;
}

export function optional<T>(v: T | undefined | null, check: (x: T) => T): T | undefined {
  return v === undefined || v === null ? undefined : check(v);
}

export function nonEmptyArray<T>(name: string, v: unknown): T[] {
  if (!Array.isArray(v) || v.length === 0) throw new TypeError(`${name} must be a non-empty array`);
  return v as T[];
}

export function object(name: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object`);
  return v as Record<string, unknown>;
}
