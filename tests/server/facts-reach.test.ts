import { describe, expect, it } from 'vitest';
import { flagReading, neighbourhoodOf } from '../../core/anomalies/flags';
import { createRng } from '../../core/random';
import { HOUR_MS, type SnapshotPoint } from '../../core/series/types';
import { flagContextFrom, flagsTouchedFrom } from '../../server/modules/facts/consumption.facts';

/**
 * The reach of the shared anomaly flags that incremental fact maintenance relies on
 * (server/modules/facts/consumption.facts.ts), checked against core's neighbourhoodOf on seeded
 * random series (censored and stock-less readings, 10-minute captures with gaps):
 *   - a change of the readings from `since` on (inserted, removed or altered readings) leaves the
 *     neighbourhood, and so the flag, of every reading before flagsTouchedFrom unchanged;
 *   - the neighbourhood of every reading after an anchor starts at or after flagContextFrom.
 */
function series(seed: number, n: number, t0 = Date.UTC(2026, 0, 1)): SnapshotPoint[] {
  // Every third series mostly censored or stock-less, so the reading-count bounds bind, not the exact ones.
  const [none, capped] = seed % 3 === 0 ? [0.4, 0.85] : [0.1, 0.25];
  const rng = createRng(seed);
  const out: SnapshotPoint[] = [];
  let stock = 500;
  for (let i = 0, t = t0; i < n; i++) {
    stock = Math.max(0, stock - rng.int(0, 3) + (rng.next() < 0.01 ? 300 : 0));
    const kind = rng.next();
    out.push({
      at: t,
      stock: kind < none ? null : rng.next() < 0.03 ? stock + 200 : stock,
      stockIsLowerBound: kind >= none && kind < capped,
      price: 20,
      dealType: 'NONE',
      dealQuantity: null,
      dealClaimedPercent: null,
      dealEndsAt: null,
      bsr: 1000 + rng.int(0, 100),
      source: null,
    });
    t += rng.next() < 0.01 ? rng.int(13, 60) * HOUR_MS : 600_000;
  }
  return out;
}

/** The readings from `since` on changed: some removed, some altered, new ones inserted between. */
function changed(points: readonly SnapshotPoint[], since: number, seed: number): SnapshotPoint[] {
  const rng = createRng(seed);
  const out: SnapshotPoint[] = [];
  for (const p of points) {
    if (p.at < since) {
      out.push(p);
      continue;
    }
    if (rng.next() < 0.2) continue;
    out.push(rng.next() < 0.3 ? { ...p, stock: p.stock === null ? 7 : null, stockIsLowerBound: false } : p);
    if (rng.next() < 0.3) out.push({ ...p, at: p.at + 1 + rng.int(0, 100_000), stock: rng.int(0, 900), stockIsLowerBound: false });
  }
  return out;
}

const span = (points: readonly SnapshotPoint[], i: number) => {
  const { lo, hi } = neighbourhoodOf(points, i);
  return points.slice(lo, hi + 1);
};

describe('the reach of the anomaly flags', () => {
  it('a change from `since` on moves no flag before flagsTouchedFrom', () => {
    let checked = 0;
    let movedAfter = 0;
    for (let s = 0; s < 30; s++) {
      const before = series(10 + s, 400);
      const since = before[120 + ((s * 7) % 200)].at;
      const after = changed(before, since, 50 + s);
      const touched = flagsTouchedFrom(after, since);
      for (let i = 0; i < before.length && before[i].at < since; i++) {
        const same = JSON.stringify(span(before, i)) === JSON.stringify(span(after, i));
        if (before[i].at < touched) {
          expect(same, `series ${s}, reading ${i}: its neighbourhood moved though before flagsTouchedFrom`).toBe(true);
          expect(flagReading(after, i)).toEqual(flagReading(before, i));
          checked++;
        } else if (!same) movedAfter++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    // The bound is not vacuous: neighbourhoods from it on do move.
    expect(movedAfter).toBeGreaterThan(30);
  });

  it('the flags after an anchor look back no further than flagContextFrom', () => {
    let checked = 0;
    for (let s = 0; s < 20; s++) {
      const points = series(100 + s, 600);
      for (const a of [50, 200, 250, 420]) {
        const from = flagContextFrom(points.slice(0, a + 1), points[a].at);
        for (let j = a + 1; j < points.length; j++) {
          expect(points[neighbourhoodOf(points, j).lo].at, `series ${s}, anchor ${a}, reading ${j}`).toBeGreaterThanOrEqual(from);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });
});
