import { describe, expect, it } from 'vitest';
import type { SnapshotFlag } from '../../../core/anomalies/detect';
import { stockReadingFlags, wrongFields } from '../../../core/anomalies/flags';
import { createRng } from '../../../core/random';
import { detectRestockDrafts } from '../../../core/restock/detect';
import { stockoutFacts } from '../../../core/restock/stockout';
import { HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import { BASELINE_DAYS, RESTOCK_OPTIONS, restockFlags } from '../../../server/modules/facts/restocks.facts';

/**
 * restockFlags (server/modules/facts/restocks.facts.ts) judges the full flag only at readings whose
 * stock value is wrong: restock events and stockout windows (with their baselines and notes) must be
 * exactly those stockReadingFlags gives, on generated listings with one-capture stock spikes, price
 * and BSR spikes (flags the restock facts do not read) and stockouts.
 */
function listing(seed: number): SnapshotPoint[] {
  const rng = createRng(seed);
  const out: SnapshotPoint[] = [];
  let t = Date.UTC(2026, 0, 1);
  let stock = 400;
  let outFor = 0;
  let bsr = 2000;
  for (let i = 0; i < 2500; i++) {
    if (outFor > 0) stock = --outFor === 0 ? 100 + rng.int(0, 900) : 0;
    else {
      stock = Math.max(0, stock - rng.int(0, 3));
      const low = stock < 15 ? rng.next() : 1;
      if (low < 0.3) [stock, outFor] = [0, rng.int(3, 300)];
      else if (low < 0.5) stock += 200 + rng.int(0, 800);
    }
    bsr = Math.max(1, bsr + rng.int(-40, 40));
    const u = rng.next();
    // One-capture spikes: stock (0 or a jump), price, BSR; the next reading returns.
    const shown = u < 0.01 ? 0 : u < 0.02 ? stock + 500 + rng.int(0, 500) : stock;
    out.push({
      at: t,
      stock: shown,
      stockIsLowerBound: false,
      price: u > 0.98 ? 200 : 20 + rng.int(0, 3) / 10,
      listPrice: null,
      dealType: 'NONE',
      dealQuantity: null,
      dealClaimedPercent: null,
      dealStartsAt: null,
      dealEndsAt: null,
      bsr: u > 0.96 && u <= 0.98 ? bsr * 50 : bsr,
      source: 'gen',
    });
    t += rng.next() < 0.003 ? rng.int(13, 30) * HOUR_MS : 600_000 + rng.int(-60_000, 60_000);
  }
  return out;
}

function facts(pts: readonly SnapshotPoint[], flags: readonly SnapshotFlag[]) {
  const events = detectRestockDrafts(pts, { ...RESTOCK_OPTIONS, anomalies: flags });
  const windows = stockoutFacts(
    pts,
    { now: pts[pts.length - 1].at, minDurationHours: 0, baselineDays: BASELINE_DAYS, anomalies: flags, restock: RESTOCK_OPTIONS },
    events.map((d) => d.event),
  );
  return { events, windows };
}

describe('restock facts: flags judged only where the stock is wrong', () => {
  it('give the events and windows of stockReadingFlags', () => {
    let events = 0;
    let windows = 0;
    let otherFlagsDropped = 0;
    for (const seed of [1, 2, 3]) {
      const pts = listing(seed);
      const reference = stockReadingFlags(pts);
      const fast = restockFlags(pts);
      for (let i = 0; i < pts.length; i++) {
        const stockWrong = wrongFields(reference[i]).has('stock');
        expect(wrongFields(fast[i]).has('stock'), `seed ${seed}, reading ${i}`).toBe(stockWrong);
        if (stockWrong) expect(fast[i]).toEqual(reference[i]);
        else if (reference[i].anomalous) otherFlagsDropped++;
      }
      const want = facts(pts, reference);
      expect(facts(pts, fast), `seed ${seed}`).toEqual(want);
      events += want.events.length;
      windows += want.windows.length;
    }
    expect(events).toBeGreaterThan(10);
    expect(windows).toBeGreaterThan(10);
    expect(otherFlagsDropped, 'some flags restockFlags leaves out (price, BSR, sales scope)').toBeGreaterThan(0);
  });
});
