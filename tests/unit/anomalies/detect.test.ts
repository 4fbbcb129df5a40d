import { describe, expect, it } from 'vitest';
import { anomalyForPeriod, detectSnapshotAnomalies } from '../../../core/anomalies';
import type { SnapshotFlag } from '../../../core/anomalies';
import { createRng } from '../../../core/random';
import { DAY_MS, type DealType, type SnapshotPoint } from '../../../core/series/types';

interface Day {
  sales: number;
  stock: number;
  bsr: number;
}

/** A competitor selling ~50/day from 5,000 units, BSR responding to sales (elasticity 0.9). */
function series(seed: number, days = 60, mult: (d: number) => number = () => 1): Day[] {
  const rng = createRng(seed);
  let stock = 5000;
  const out: Day[] = [];
  for (let d = 0; d < days; d++) {
    const sales = Math.max(0, Math.round(50 * mult(d) + 7 * rng.normal()));
    stock -= sales;
    out.push({ sales, stock, bsr: Math.round(Math.exp(9 - 0.9 * Math.log(sales + 1) + 0.05 * rng.normal()) * 100) });
  }
  return out;
}

const snap = (d: number, x: Partial<SnapshotPoint> & { stock: number | null; bsr: number | null }): SnapshotPoint => ({
  at: d * DAY_MS,
  stockIsLowerBound: false,
  price: 19.99,
  dealType: 'NONE',
  dealQuantity: null,
  dealClaimedPercent: null,
  dealEndsAt: null,
  source: 'test',
  ...x,
});
const toSnaps = (days: Day[]) => days.map((x, d) => snap(d, { stock: x.stock, bsr: x.bsr }));
const codes = (f: SnapshotFlag) => f.reasons.map((r) => r.code);
const flagged = (flags: SnapshotFlag[]) => flags.filter((f) => f.anomalous).map((f) => f.index);

describe('snapshot anomalies', () => {
  it('a clean series has no anomalous snapshot', () => {
    const r = detectSnapshotAnomalies(toSnaps(series(7)), { seed: 1 });
    expect(flagged(r.flags)).toEqual([]);
    expect(r.anomalousCount).toBe(0);
  });

  it('a one-snapshot stock glitch (reads 20 % and comes back) is a SPIKE on that reading only', () => {
    const s = toSnaps(series(7));
    const real = s[20].stock!;
    s[20] = { ...s[20], stock: Math.round(real * 0.2) };
    const r = detectSnapshotAnomalies(s, { seed: 1 });
    expect(flagged(r.flags)).toEqual([20]);
    const spike = r.flags[20].reasons.find((x) => x.code === 'SPIKE')!;
    expect(spike).toMatchObject({ fields: ['stock'], scope: 'READING' });
    expect(spike.detail).toContain(`stock ${s[19].stock} → ${s[20].stock} → ${s[21].stock}`);
    // The falling leg also contradicts the rank (no sales burst): cross-signal agrees.
    expect(codes(r.flags[20])).toContain('CROSS_SIGNAL');
  });

  it('a large stock drop with no rank movement (removal, transfer) is a CROSS_SIGNAL on that interval', () => {
    const days = series(7);
    for (let d = 30; d < days.length; d++) days[d].stock -= 400;
    const r = detectSnapshotAnomalies(toSnaps(days), { seed: 1 });
    expect(flagged(r.flags)).toEqual([30]);
    expect(r.flags[30].reasons[0]).toMatchObject({ code: 'CROSS_SIGNAL', fields: ['stock'], scope: 'INTERVAL' });
    expect(r.flags[30].z.stock!).toBeLessThan(-3);
  });

  it('a sustained sales surge with the rank responding is NOT an anomaly (it is the incident alerts exist for)', () => {
    const r = detectSnapshotAnomalies(toSnaps(series(7, 60, (d) => (d >= 40 && d < 46 ? 2 : 1))), { seed: 1 });
    expect(flagged(r.flags)).toEqual([]);
    // …while the same drops without the rank response are flagged every day.
    const days = series(7, 60, (d) => (d >= 40 && d < 46 ? 2 : 1));
    const flat = series(7);
    const r2 = detectSnapshotAnomalies(
      days.map((x, d) => snap(d, { stock: x.stock, bsr: flat[d].bsr })),
      { seed: 1 },
    );
    expect(flagged(r2.flags)).toEqual([40, 41, 42, 43, 44, 45]);
  });

  it('rankLag lets the rank respond one snapshot late (sub-hourly captures)', () => {
    const days = series(7);
    // A real burst of 300 extra units on day 30 whose rank response shows only on day 31.
    for (let d = 30; d < days.length; d++) days[d].stock -= 300;
    days[31].bsr = Math.round(days[31].bsr / 4);
    const s = toSnaps(days);
    // Without lag: the drop has no rank response (day 30) and the rank jump has no sales (day 31).
    const noLag = detectSnapshotAnomalies(s, { seed: 1 }).flags;
    expect(flagged(noLag)).toEqual([30, 31]);
    expect(codes(noLag[30])).toContain('CROSS_SIGNAL');
    // With one snapshot of lag the two are read together as one burst of sales.
    expect(codes(detectSnapshotAnomalies(s, { seed: 1, rankLag: 1 }).flags[30])).toEqual([]);
  });

  it('a restock (stock jumps up and stays) is not flagged', () => {
    const days = series(7);
    for (let d = 25; d < days.length; d++) days[d].stock += 3000;
    expect(flagged(detectSnapshotAnomalies(toSnaps(days), { seed: 1 }).flags)).toEqual([]);
  });

  it('a price glitch is a price SPIKE; a deal starting is explained, an unexplained persistent jump is an isolation-forest anomaly', () => {
    const days = series(7);
    const s = toSnaps(days);
    s[50] = { ...s[50], price: 1.99 };
    const r = detectSnapshotAnomalies(s, { seed: 1 });
    expect(flagged(r.flags)).toEqual([50]);
    expect(r.flags[50].reasons[0]).toMatchObject({ code: 'SPIKE', fields: ['price'] });

    // From day 45 the price is 30 % lower and the rank 3× worse while sales and stock carry on:
    // nothing explains it (no deal type change, no restock, no sales burst).
    const odd = toSnaps(days).map((x, d) => (d >= 45 ? { ...x, price: 13.99, bsr: x.bsr! * 3 } : x));
    const r2 = detectSnapshotAnomalies(odd, { seed: 1 });
    expect(r2.flags[45].isolationScore!).toBeGreaterThanOrEqual(0.65);
    expect(codes(r2.flags[45])).toEqual(['ISOLATION_FOREST']);
    expect(flagged(r2.flags)).toEqual([45]);
    // The same move when a deal starts is explained.
    const deal = odd.map((x, d) => (d >= 45 ? { ...x, dealType: 'LIGHTNING' as DealType } : x));
    expect(flagged(detectSnapshotAnomalies(deal, { seed: 1 }).flags)).toEqual([]);
    // Scores of ordinary changes stay below the threshold.
    const ordinary = r2.flags.filter((f) => f.index > 1 && f.index < 44).map((f) => f.isolationScore!);
    expect(Math.max(...ordinary)).toBeLessThan(0.65);
  });

  it('censored (lower-bound) readings give no usable change and are never flagged', () => {
    const s = toSnaps(series(7));
    // Source caps at 999 from day 10 to 14: readings 999 (real stock ≈ 4,400) marked lower-bound.
    for (let d = 10; d <= 14; d++) s[d] = { ...s[d], stock: 999, stockIsLowerBound: true };
    const r = detectSnapshotAnomalies(s, { seed: 1 });
    expect(flagged(r.flags)).toEqual([]);
    expect(r.flags[11].z.stock).toBeNull();
  });

  it('impossible values are flagged whatever the statistics say', () => {
    const s = toSnaps(series(7, 5));
    s[2] = { ...s[2], stock: -3 };
    s[3] = { ...s[3], price: 0 };
    const r = detectSnapshotAnomalies(s, { seed: 1 });
    expect(r.flags[2].reasons).toEqual([
      { code: 'IMPOSSIBLE_VALUE', fields: ['stock'], scope: 'READING', detail: expect.stringContaining('stock -3') },
    ]);
    expect(r.flags[3].reasons[0]).toMatchObject({ code: 'IMPOSSIBLE_VALUE', fields: ['price'] });
  });

  it('is deterministic and validates its input', () => {
    const s = toSnaps(series(9));
    expect(detectSnapshotAnomalies(s, { seed: 5 })).toEqual(detectSnapshotAnomalies(s, { seed: 5 }));
    expect(() => detectSnapshotAnomalies([s[1], s[0]], { seed: 1 })).toThrow(/strictly increasing time order/);
    expect(() => detectSnapshotAnomalies(s, { seed: NaN })).toThrow(/opts\.seed/);
    expect(() => detectSnapshotAnomalies(s, { seed: 1, forest: { threshold: 1.2 } })).toThrow(/forest\.threshold/);
  });
});

describe('anomalyForPeriod', () => {
  const flags: SnapshotFlag[] = [
    {
      index: 0,
      at: 10,
      anomalous: true,
      reasons: [{ code: 'SPIKE', fields: ['stock'], scope: 'READING', detail: 'a' }],
      isolationScore: null,
      z: { stock: null, price: null, rank: null },
    },
    {
      index: 1,
      at: 20,
      anomalous: true,
      reasons: [{ code: 'CROSS_SIGNAL', fields: ['stock'], scope: 'INTERVAL', detail: 'b' }],
      isolationScore: null,
      z: { stock: null, price: null, rank: null },
    },
    {
      index: 2,
      at: 30,
      anomalous: true,
      reasons: [{ code: 'SPIKE', fields: ['price'], scope: 'READING', detail: 'c' }],
      isolationScore: null,
      z: { stock: null, price: null, rank: null },
    },
  ];

  it('a bad READING taints both periods touching it; a bad INTERVAL only the period it ends', () => {
    expect(anomalyForPeriod(flags, 0, 10)).toEqual({ reasons: ['SPIKE: a'] });
    expect(anomalyForPeriod(flags, 10, 20)).toEqual({ reasons: ['SPIKE: a', 'CROSS_SIGNAL: b'] });
    expect(anomalyForPeriod(flags, 20, 30)).toBeNull(); // the drop into 20 does not taint (20, 30]
    expect(anomalyForPeriod(flags, 20, 30, ['price'])).toEqual({ reasons: ['SPIKE: c'] });
    expect(() => anomalyForPeriod(flags, 30, 20)).toThrow(/to must be ≥ from/);
  });
});
