/**
 * Input checks shared by every public series/deal/restock function. Bad input fails loudly with
 * the offending field named, because a silently mis-sorted series would yield plausible but wrong
 * velocities.
 */
import { DEAL_TYPES, type SnapshotPoint } from './types';

const DEAL_TYPE_SET = new Set<string>(DEAL_TYPES);

function checkOptionalNumber(v: unknown, field: string, i: number, min?: number, max?: number): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`points[${i}].${field} must be a finite number or null, got ${String(v)}`);
  }
  if (min !== undefined && v < min) throw new RangeError(`points[${i}].${field} must be ≥ ${min}, got ${v}`);
  if (max !== undefined && v > max) throw new RangeError(`points[${i}].${field} must be ≤ ${max}, got ${v}`);
}

/** Throws unless `points` is an array of well-formed snapshots sorted by strictly increasing `at`. */
export function validatePoints(points: readonly SnapshotPoint[]): void {
  if (!Array.isArray(points)) throw new TypeError(`points must be an array, got ${typeof points}`);
  let prev = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p === null || typeof p !== 'object') throw new TypeError(`points[${i}] must be an object`);
    if (typeof p.at !== 'number' || !Number.isFinite(p.at)) {
      throw new TypeError(`points[${i}].at must be epoch ms, got ${String(p.at)}`);
    }
    if (p.at <= prev) {
      throw new RangeError(`points must be sorted by strictly increasing at: points[${i}].at=${p.at} ≤ previous ${prev}`);
    }
    prev = p.at;
    checkOptionalNumber(p.stock, 'stock', i, 0);
    if (typeof p.stockIsLowerBound !== 'boolean') {
      throw new TypeError(`points[${i}].stockIsLowerBound must be boolean, got ${String(p.stockIsLowerBound)}`);
    }
    if (!DEAL_TYPE_SET.has(p.dealType)) {
      throw new RangeError(`points[${i}].dealType must be one of ${DEAL_TYPES.join('|')}, got ${String(p.dealType)}`);
    }
    checkOptionalNumber(p.dealQuantity, 'dealQuantity', i, 0);
    checkOptionalNumber(p.dealClaimedPercent, 'dealClaimedPercent', i, 0, 100);
    checkOptionalNumber(p.dealEndsAt, 'dealEndsAt', i);
    checkOptionalNumber(p.dealStartsAt, 'dealStartsAt', i);
    checkOptionalNumber(p.price, 'price', i, 0);
    checkOptionalNumber(p.bsr, 'bsr', i, 0);
  }
}

export function validateNow(now: unknown): asserts now is number {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError(`now must be epoch ms, got ${String(now)}`);
}

export function validatePositive(v: unknown, field: string, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) {
    throw new RangeError(`${field} must be ${allowZero ? '≥ 0' : '> 0'}, got ${String(v)}`);
  }
}

export function validateRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && (typeof from !== 'number' || !Number.isFinite(from))) {
    throw new TypeError(`from must be epoch ms, got ${String(from)}`);
  }
  if (to !== undefined && (typeof to !== 'number' || !Number.isFinite(to))) {
    throw new TypeError(`to must be epoch ms, got ${String(to)}`);
  }
  if (from !== undefined && to !== undefined && from > to) throw new RangeError(`from must be ≤ to, got from=${from} to=${to}`);
}
