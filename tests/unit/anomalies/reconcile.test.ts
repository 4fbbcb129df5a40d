import { describe, expect, it } from 'vitest';
import { reconcileLedger } from '../../../core/anomalies';
import type { ReconcileInput } from '../../../core/anomalies';

/** A deal from t=0 to t=10: opening 500, sold 120 + 80, 5 returned, 100 received. */
const balanced = (): ReconcileInput => ({
  recordedSales: [
    { at: 3, units: 120 },
    { at: 7, units: 80 },
  ],
  stockMovements: [
    { at: 3, quantity: -120, type: 'SALE' },
    { at: 5, quantity: 100, type: 'RECEIPT' },
    { at: 7, quantity: -80, type: 'SALE' },
    { at: 8, quantity: 5, type: 'RETURN' },
  ],
  snapshots: [
    { at: 0, stock: 500 },
    { at: 4, stock: 380 },
    { at: 10, stock: 405 },
  ],
});

describe('reconcileLedger', () => {
  it('a consistent ledger is OK: 500 − 120 + 100 − 80 + 5 = 405', () => {
    const r = reconcileLedger(balanced());
    expect(r.ok).toBe(true);
    expect(r.level).toBeNull();
    expect(r.findings).toEqual([]);
    expect(r.figures).toEqual({
      from: 0,
      to: 10,
      openingStock: 500,
      closingStock: 405,
      recordedSalesUnits: 200,
      saleMovementUnits: 200,
      netMovementUnits: -95,
      expectedClosingStock: 405,
    });
  });

  it('a snapshot off the ledger by more than the tolerance is RED (worst one reported)', () => {
    const input = balanced();
    input.snapshots[1] = { at: 4, stock: 377 }; // −3 is within max(2, 1 % of 380) = 3.8
    input.snapshots[2] = { at: 10, stock: 395 }; // −10 is beyond max(2, 1 % of 405) = 4.05
    const r = reconcileLedger(input);
    expect(r.findings).toEqual([
      {
        code: 'LEDGER_VS_SNAPSHOT',
        level: 'RED',
        at: 10,
        expected: 405,
        actual: 395,
        difference: -10,
        tolerance: 4.05,
        detail: 'snapshot at 10 shows 395, ledger expects 405 (difference -10, tolerance 4.05)',
      },
    ]);
    expect(r.level).toBe('RED');
  });

  it('recorded sales that the warehouse did not move are RED', () => {
    const input = balanced();
    input.recordedSales.push({ at: 9, units: 12 });
    const f = reconcileLedger(input).findings;
    expect(f.map((x) => [x.code, x.expected, x.actual, x.difference])).toEqual([['SALES_VS_MOVEMENTS', 212, 200, -12]]);
    // Within tolerance (2 units, 1 %) there is no finding.
    const small = balanced();
    small.recordedSales.push({ at: 9, units: 2 });
    expect(reconcileLedger(small).ok).toBe(true);
  });

  it('negative stock in a snapshot and a negative ledger balance are RED (oversold)', () => {
    const input: ReconcileInput = {
      recordedSales: [{ at: 2, units: 60 }],
      stockMovements: [{ at: 2, quantity: -60, type: 'SALE' }],
      snapshots: [
        { at: 0, stock: 50 },
        { at: 3, stock: -10 },
      ],
    };
    const r = reconcileLedger(input);
    expect(r.findings.map((f) => [f.code, f.at, f.actual])).toEqual([
      ['NEGATIVE_STOCK', 3, -10],
      ['NEGATIVE_LEDGER_BALANCE', 2, -10],
    ]);
  });

  it('a lower-bound snapshot only contradicts a ledger that says fewer units than the bound', () => {
    const input = balanced();
    input.snapshots.push({ at: 9, stock: 300, stockIsLowerBound: true }); // ≥ 300, ledger 405: fine
    expect(reconcileLedger(input).ok).toBe(true);
    input.snapshots[3] = { at: 9, stock: 450, stockIsLowerBound: true }; // ≥ 450 but ledger 405
    const f = reconcileLedger(input).findings;
    expect(f.map((x) => [x.code, x.at, x.difference])).toEqual([['LEDGER_VS_SNAPSHOT', 9, 45]]);
  });

  it('a window counts only events in (from, to]', () => {
    const r = reconcileLedger(balanced(), { from: 4, to: 10 });
    // Opening from the reading at 4 (380); counted: +100 at 5, −80 at 7, +5 at 8 → 405.
    expect(r.figures).toMatchObject({ openingStock: 380, recordedSalesUnits: 80, saleMovementUnits: 80, expectedClosingStock: 405 });
    expect(r.ok).toBe(true);
  });

  it('validates with errors that name the field', () => {
    const bad = balanced();
    bad.stockMovements[0] = { at: 3, quantity: 120, type: 'SALE' };
    expect(() => reconcileLedger(bad)).toThrow(/stockMovements\[0\]\.quantity must be ≤ 0 for a SALE/);
    const bad2 = balanced();
    bad2.recordedSales[1] = { at: 7, units: -1 };
    expect(() => reconcileLedger(bad2)).toThrow(/recordedSales\[1\]\.units must be ≥ 0/);
    expect(() => reconcileLedger({ ...balanced(), snapshots: [{ at: 0, stock: null }] })).toThrow(/at least one exact/);
    expect(() => reconcileLedger(balanced(), { from: 5, to: 1 })).toThrow(/to must be ≥ from/);
    expect(() => reconcileLedger(balanced(), { tolerance: { absolute: -1, relative: 0 } })).toThrow(/tolerance\.absolute/);
  });
});
