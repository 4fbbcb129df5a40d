/**
 * Three-way reconciliation of an own SKU after a deal ends: recorded sales (order system) vs the
 * stock-movement ledger (warehouse) vs stock snapshots (marketplace). Negative stock anywhere, or a
 * mismatch beyond the tolerance, is a RED finding: once the deal is over the tolerated oversell is zero.
 */
import { Explainer, type Explanation } from '../explain';

export interface RecordedSale {
  at: number;
  units: number;
}

export const MOVEMENT_TYPES = ['RECEIPT', 'SALE', 'RETURN', 'ADJUSTMENT', 'TRANSFER'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** Signed quantity: receipts and returns add (≥ 0), sales remove (≤ 0), adjustments/transfers either. */
export interface StockMovement {
  at: number;
  quantity: number;
  type: MovementType;
}

export interface StockReading {
  at: number;
  stock: number | null;
  /** The real stock is ≥ stock (capped source). */
  stockIsLowerBound?: boolean;
}

export interface ReconcileInput {
  recordedSales: RecordedSale[];
  stockMovements: StockMovement[];
  snapshots: StockReading[];
}

export interface ReconcileOptions {
  /** Mismatch when |difference| > max(absolute, relative × max(|expected|, |actual|)). */
  tolerance?: { absolute: number; relative: number };
  /** Window; defaults to the first and last exact snapshot. Events in (from, to] are counted. */
  from?: number;
  to?: number;
}

export const RECONCILIATION_CODES = ['NEGATIVE_STOCK', 'NEGATIVE_LEDGER_BALANCE', 'SALES_VS_MOVEMENTS', 'LEDGER_VS_SNAPSHOT'] as const;
export type ReconciliationCode = (typeof RECONCILIATION_CODES)[number];

export interface ReconciliationFinding {
  code: ReconciliationCode;
  level: 'RED';
  at: number | null;
  expected: number;
  actual: number;
  difference: number;
  tolerance: number;
  detail: string;
}

export interface ReconciliationReport {
  ok: boolean;
  level: 'RED' | null;
  findings: ReconciliationFinding[];
  figures: {
    from: number;
    to: number;
    openingStock: number;
    closingStock: number | null;
    recordedSalesUnits: number;
    saleMovementUnits: number;
    netMovementUnits: number;
    expectedClosingStock: number;
  };
  explanation: Explanation;
}

export const DEFAULT_RECONCILE_TOLERANCE = { absolute: 2, relative: 0.01 };

function finite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${name} must be a finite number, got ${String(v)}`);
  return v;
}

function validate(input: ReconcileInput): void {
  if (!input || typeof input !== 'object') throw new TypeError('reconcileLedger input must be an object');
  for (const f of ['recordedSales', 'stockMovements', 'snapshots'] as const) {
    if (!Array.isArray(input[f])) throw new TypeError(`${f} must be an array`);
  }
  input.recordedSales.forEach((s, i) => {
    finite(s.at, `recordedSales[${i}].at`);
    if (finite(s.units, `recordedSales[${i}].units`) < 0) throw new RangeError(`recordedSales[${i}].units must be ≥ 0, got ${s.units}`);
  });
  input.stockMovements.forEach((m, i) => {
    finite(m.at, `stockMovements[${i}].at`);
    const q = finite(m.quantity, `stockMovements[${i}].quantity`);
    if (!MOVEMENT_TYPES.includes(m.type))
      throw new TypeError(`stockMovements[${i}].type must be one of ${MOVEMENT_TYPES.join(', ')}, got ${String(m.type)}`);
    if (m.type === 'SALE' && q > 0) throw new RangeError(`stockMovements[${i}].quantity must be ≤ 0 for a SALE, got ${q}`);
    if ((m.type === 'RECEIPT' || m.type === 'RETURN') && q < 0) {
      throw new RangeError(`stockMovements[${i}].quantity must be ≥ 0 for a ${m.type}, got ${q}`);
    }
  });
  input.snapshots.forEach((s, i) => {
    finite(s.at, `snapshots[${i}].at`);
    if (s.stock !== null) finite(s.stock, `snapshots[${i}].stock`);
  });
}

type Tolerance = { absolute: number; relative: number };

/** Mismatch tolerance: max(absolute, relative × max(|expected|, |actual|)). */
export function toleranceFor(tol: Tolerance, expected: number, actual: number): number {
  return Math.max(tol.absolute, tol.relative * Math.max(Math.abs(expected), Math.abs(actual)));
}

/** The first snapshot in the window with negative stock (oversold), if any. */
function negativeStock(windowSnaps: readonly StockReading[]): ReconciliationFinding | null {
  const s = windowSnaps.find((x) => x.stock !== null && x.stock < 0);
  if (!s) return null;
  const stock = s.stock as number;
  return {
    code: 'NEGATIVE_STOCK',
    level: 'RED',
    at: s.at,
    expected: 0,
    actual: stock,
    difference: stock,
    tolerance: 0,
    detail: `snapshot at ${s.at} shows stock ${stock} < 0 (oversold)`,
  };
}

/** Ledger running balance from the opening reading; a finding at its lowest point when that is below 0. */
function ledgerBalance(opening: number, moves: readonly StockMovement[]): { balance: number; finding: ReconciliationFinding | null } {
  let balance = opening;
  let minBalance = opening;
  let minAt: number | null = null;
  for (const m of moves) {
    balance += m.quantity;
    if (balance < minBalance) {
      minBalance = balance;
      minAt = m.at;
    }
  }
  if (!(minBalance < 0)) return { balance, finding: null };
  return {
    balance,
    finding: {
      code: 'NEGATIVE_LEDGER_BALANCE',
      level: 'RED',
      at: minAt,
      expected: 0,
      actual: minBalance,
      difference: minBalance,
      tolerance: 0,
      detail: `ledger balance falls to ${minBalance} < 0 at ${minAt} (more units left than were there)`,
    },
  };
}

/**
 * Ledger vs every snapshot after the opening one; the worst mismatch is reported. A lower-bound
 * reading only contradicts the ledger when the ledger says fewer units than the bound. Also the
 * closing stock: the last exact reading.
 */
function ledgerVsSnapshots(
  windowSnaps: readonly StockReading[],
  openingSnap: StockReading,
  opening: number,
  moves: readonly StockMovement[],
  tol: Tolerance,
): { worst: ReconciliationFinding | null; closingStock: number | null } {
  let worst: ReconciliationFinding | null = null;
  let mismatches = 0;
  let mi = 0;
  let running = opening;
  let closingStock: number | null = null;
  for (const s of windowSnaps) {
    if (s.at <= openingSnap.at || s.stock === null) continue;
    while (mi < moves.length && moves[mi].at <= s.at) running += moves[mi++].quantity;
    if (!s.stockIsLowerBound) closingStock = s.stock;
    const diff = s.stock - running;
    const t = toleranceFor(tol, running, s.stock);
    const bad = s.stockIsLowerBound ? diff > t : Math.abs(diff) > t;
    if (!bad) continue;
    mismatches++;
    if (!worst || Math.abs(diff) > Math.abs(worst.difference)) {
      worst = {
        code: 'LEDGER_VS_SNAPSHOT',
        level: 'RED',
        at: s.at,
        expected: running,
        actual: s.stock,
        difference: diff,
        tolerance: t,
        detail: `${s.stockIsLowerBound ? 'lower-bound ' : ''}snapshot at ${s.at} shows ${s.stock}, ledger expects ${running} (difference ${diff}, tolerance ${t})`,
      };
    }
  }
  if (worst) worst.detail += mismatches > 1 ? `; ${mismatches} snapshots disagree in all` : '';
  return { worst, closingStock };
}

/** Reconciles sales, movements and snapshots over (from, to] (see the header). */
export function reconcileLedger(input: ReconcileInput, opts: ReconcileOptions = {}): ReconciliationReport {
  validate(input);
  const tol = opts.tolerance ?? DEFAULT_RECONCILE_TOLERANCE;
  if (!(tol.absolute >= 0)) throw new RangeError(`tolerance.absolute must be ≥ 0, got ${tol.absolute}`);
  if (!(tol.relative >= 0)) throw new RangeError(`tolerance.relative must be ≥ 0, got ${tol.relative}`);

  const snaps = [...input.snapshots].sort((a, b) => a.at - b.at);
  const exact = snaps.filter((s) => s.stock !== null && !s.stockIsLowerBound);
  if (exact.length === 0) throw new RangeError('snapshots must contain at least one exact (non-null, not lower-bound) stock reading');
  const from = opts.from ?? exact[0].at;
  const to = opts.to ?? exact[exact.length - 1].at;
  if (to < from) throw new RangeError(`to must be ≥ from, got ${from} → ${to}`);
  // Opening stock: the newest exact reading at or before `from`.
  const openingSnap = [...exact].reverse().find((s) => s.at <= from) ?? null;
  if (!openingSnap) throw new RangeError(`no exact stock reading at or before from=${from} to open the ledger`);
  const opening = openingSnap.stock as number;

  const inWindow = <T extends { at: number }>(xs: T[]): T[] => xs.filter((x) => x.at > from && x.at <= to).sort((a, b) => a.at - b.at);
  const moves = inWindow(input.stockMovements);
  const sales = inWindow(input.recordedSales);
  const windowSnaps = snaps.filter((s) => s.at >= from && s.at <= to);

  const ex = new Explainer('three-way reconciliation: recorded sales vs stock movements vs snapshots', {
    from,
    to,
    openingStock: opening,
    toleranceAbsolute: tol.absolute,
    toleranceRelative: tol.relative,
  });
  const findings: ReconciliationFinding[] = [];
  const negative = negativeStock(windowSnaps);
  if (negative) findings.push(negative);
  const ledger = ledgerBalance(opening, moves);
  ex.step('ledger closing balance = opening + Σ movements', ledger.balance);
  if (ledger.finding) findings.push(ledger.finding);

  // Recorded sales vs SALE movements.
  const recordedUnits = sales.reduce((a, s) => a + s.units, 0);
  const saleMoveUnits = -moves.filter((m) => m.type === 'SALE').reduce((a, m) => a + m.quantity, 0);
  const salesTol = toleranceFor(tol, recordedUnits, saleMoveUnits);
  ex.step('recorded sales units', recordedUnits).step('units out by SALE movements', saleMoveUnits);
  if (Math.abs(recordedUnits - saleMoveUnits) > salesTol) {
    findings.push({
      code: 'SALES_VS_MOVEMENTS',
      level: 'RED',
      at: to,
      expected: recordedUnits,
      actual: saleMoveUnits,
      difference: saleMoveUnits - recordedUnits,
      tolerance: salesTol,
      detail: `order system recorded ${recordedUnits} units sold, the ledger moved ${saleMoveUnits} out as sales (difference ${saleMoveUnits - recordedUnits}, tolerance ${salesTol})`,
    });
  }
  const { worst, closingStock } = ledgerVsSnapshots(windowSnaps, openingSnap, opening, moves, tol);
  if (worst) findings.push(worst);

  ex.step('findings', findings.length);
  if (findings.length === 0) ex.note('sales, movements and snapshots agree within tolerance');
  const netMove = moves.reduce((a, m) => a + m.quantity, 0);
  return {
    ok: findings.length === 0,
    level: findings.length ? 'RED' : null,
    findings,
    figures: {
      from,
      to,
      openingStock: opening,
      closingStock,
      recordedSalesUnits: recordedUnits,
      saleMovementUnits: saleMoveUnits,
      netMovementUnits: netMove,
      expectedClosingStock: opening + netMove,
    },
    explanation: ex.build(),
  };
}
