/**
 * Which windows the evaluator reconciles (ledgerWindows, pure): ended own deals, the negative
 * reading after one, rolling windows, and what never opens or closes a window.
 */
import { describe, expect, it } from 'vitest';
import { type Ledger, ledgerWindows, reconcileWindow } from '../../server/modules/ledger/ledger.service';

const H = 3_600_000;
const T = Date.UTC(2026, 5, 1);
const S = { tolerance: { absolute: 2, relative: 0.01 }, windowMs: 24 * H, settleMs: 6 * H };
type R = Ledger['readings'][number];
const r = (h: number, stock: number | null, extra: Partial<R> = {}): R => ({
  at: T + h * H,
  stock,
  stockIsLowerBound: false,
  dealType: 'NONE',
  dealEndsAt: null,
  ...extra,
});
const deal = (h: number, stock: number, endsH: number | null = 12): R =>
  r(h, stock, { dealType: 'LIGHTNING', dealEndsAt: endsH === null ? null : T + endsH * H });
const ledger = (readings: R[], moves: [number, number][] = [], sales: [number, number][] = []): Ledger => ({
  readings,
  movements: moves.map(([h, q]) => ({ at: T + h * H, quantity: q, type: 'SALE' as const })),
  sales: sales.map(([h, u]) => ({ at: T + h * H, units: u })),
});
const deals = (ws: ReturnType<typeof ledgerWindows>) => ws.filter((w) => w.label.startsWith('own'));

describe('ledgerWindows', () => {
  it('an ended deal is reconciled from the last exact reading before it to the first exact one after end + settle', () => {
    const l = ledger(
      [r(8, 100), deal(10, 100), deal(11, 70), r(12, 40), r(15, 40), r(20, 40)],
      [
        [10.5, -30],
        [11.5, -30],
      ],
      [
        [10.5, 30],
        [11.5, 30],
      ],
    );
    const ws = deals(ledgerWindows(l, S, T + 30 * H));
    expect(ws.map((w) => [(w.from - T) / H, (w.to - T) / H, (w.at - T) / H])).toEqual([[8, 20, 20]]);
    expect(reconcileWindow(l, ws[0], S.tolerance).ok).toBe(true);
  });

  it('waits for the settle time, skips censored and unknown readings as the closing one, and ignores a live deal', () => {
    const closing = (rs: R[], now = T + 40 * H) => deals(ledgerWindows(ledger(rs), S, now)).map((w) => (w.to - T) / H);
    expect(closing([r(8, 100), deal(10, 100), r(12, 40), r(17, 40)])).toEqual([]);
    expect(closing([r(8, 100), deal(10, 100), r(12, 40), r(19, 10, { stockIsLowerBound: true }), r(20, null), r(21, 40)])).toEqual([21]);
    // Still live (dealEndsAt ahead, no reading after it): nothing to reconcile yet.
    expect(closing([r(8, 100), deal(10, 100, 30)], T + 20 * H)).toEqual([]);
    // No reading after it, but dealEndsAt has passed: ended at dealEndsAt.
    expect(closing([r(8, 100), deal(10, 100, 12), deal(11, 80, 12)], T + 20 * H)).toEqual([]);
    expect(closing([r(8, 100), deal(10, 100, 12), deal(11, 80, 12), r(18, 80)], T + 20 * H)).toEqual([18]);
  });

  it('a negative reading after the deal is judged at once; one during the deal waits for the deal window', () => {
    const after = deals(ledgerWindows(ledger([r(8, 20), deal(10, 20), deal(11, 5), r(12, -4)]), S, T + 13 * H));
    expect(after.map((w) => [(w.from - T) / H, (w.at - T) / H])).toEqual([[8, 12]]);
    const during = deals(ledgerWindows(ledger([r(8, 20), deal(10, 20), deal(11, -2), r(12, 3)]), S, T + 13 * H));
    expect(during).toEqual([]);
  });

  it('rolling windows are UTC-aligned, need an opening reading and a reading after end + settle, and skip what was judged', () => {
    const rs = [r(-2, 50), r(6, 50), r(30, 50), r(54, 50), r(60, 50)];
    const at = (since?: number) => ledgerWindows(ledger(rs), S, T + 70 * H, since).map((w) => (w.at - T) / H);
    expect(at()).toEqual([24, 48]);
    expect(at(T + 24 * H)).toEqual([48]);
    expect(ledgerWindows(ledger(rs), { ...S, windowMs: 12 * H }, T + 70 * H).map((w) => (w.at - T) / H)).toEqual([12, 24, 36, 48]);
  });
});
