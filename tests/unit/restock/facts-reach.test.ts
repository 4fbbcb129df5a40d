import { describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import { flagContextFrom, flagsTouchedFrom } from '../../../server/modules/facts/consumption.facts';
import { CONTEXT_MS, deriveRestockFacts, JOIN_MS, storedEvent } from '../../../server/modules/facts/restocks.facts';

/**
 * The restart bound of server/modules/facts/restocks.facts.ts, on generated listings (drains,
 * restocks, stockouts with flaps, censored and missing readings): for a change at `since`, the
 * restart R (flagsTouchedFrom, moved back to a fixpoint over the events' openings / last activities
 * and the windows' first 0) and the readings from the flag context of R − CONTEXT_MS give exactly the
 * events opened and windows starting from R on that the whole history gives. A context one day
 * shorter must fail somewhere (the bound is not loose by construction).
 */
function listing(seed: number): SnapshotPoint[] {
  const rng = createRng(seed);
  const out: SnapshotPoint[] = [];
  let t = Date.UTC(2026, 0, 1);
  let stock = 400;
  let outFor = 0;
  for (let i = 0; i < 6000; i++) {
    if (outFor > 0) stock = --outFor === 0 ? 100 + rng.int(0, 900) : rng.next() < 0.05 ? 1 : 0;
    else {
      stock = Math.max(0, stock - Math.floor(rng.next() * 3) + (rng.next() < 0.02 ? rng.int(0, 4) : 0));
      const u = stock < 15 ? rng.next() : 1;
      if (u < 0.15) [stock, outFor] = [0, rng.int(3, 400)];
      else if (u < 0.45) stock += 200 + rng.int(0, 800);
      else if (rng.next() < 0.002) stock += rng.int(5, 60);
    }
    const censored = rng.next() < 0.08;
    const missing = rng.next() < 0.02;
    out.push({
      at: t,
      stock: missing ? null : censored ? Math.min(stock, 999) : stock,
      stockIsLowerBound: !missing && censored,
      price: 20,
      listPrice: null,
      dealType: 'NONE',
      dealQuantity: null,
      dealClaimedPercent: null,
      dealStartsAt: null,
      dealEndsAt: null,
      bsr: null,
      source: 'gen',
    });
    t += rng.next() < 0.003 ? rng.int(13, 30) * HOUR_MS : 600_000 + rng.int(-60_000, 60_000);
  }
  return out;
}

function restartOf(pts: readonly SnapshotPoint[], since: number, full: ReturnType<typeof deriveRestockFacts>): number {
  let r = flagsTouchedFrom(pts, since);
  for (;;) {
    let next = r;
    for (const e of full.events) if (e.openedAt < r && e.lastActivityAt >= r - JOIN_MS) next = Math.min(next, e.openedAt);
    for (const w of full.windows)
      if (w.window.firstZeroAt < r && (w.window.endedBy === null || w.window.endedBy.at >= r)) next = Math.min(next, w.window.firstZeroAt);
    if (next === r) return r;
    r = next;
  }
}

function fromRestart(pts: readonly SnapshotPoint[], r: number, full: ReturnType<typeof deriveRestockFacts>, contextMs: number) {
  const c0 = flagContextFrom(pts, r - contextMs);
  const ctx = pts.filter((p) => p.at >= c0);
  const kept = full.events.filter((e) => e.openedAt < r && e.event.at >= ctx[0].at).map((e) => e.event);
  const part = deriveRestockFacts(ctx, r, kept);
  return {
    events: part.events.map((e) => ({ ...e, event: storedEvent(e.event) })),
    windows: part.windows
      .filter((w) => w.window.firstZeroAt >= r)
      .map((w) => ({ ...w.window, endedBy: w.window.endedBy?.at ?? null, b: w.baseline.perDay })),
  };
}

describe('restock facts: the restart bound', () => {
  it('events and windows derived from the restart and its context equal the whole history’s from R on', () => {
    let compared = 0;
    let shorterFailed = 0;
    for (const seed of [1, 2, 3]) {
      const pts = listing(seed);
      const full = deriveRestockFacts(pts);
      const rng = createRng(seed + 10);
      for (let k = 0; k < 12; k++) {
        const since = pts[rng.int(3000, pts.length - 1)].at;
        const r = restartOf(pts, since, full);
        const want = {
          events: full.events.filter((e) => e.openedAt >= r).map((e) => ({ ...e, event: storedEvent(e.event) })),
          windows: full.windows
            .filter((w) => w.window.firstZeroAt >= r)
            .map((w) => ({ ...w.window, endedBy: w.window.endedBy?.at ?? null, b: w.baseline.perDay })),
        };
        expect(fromRestart(pts, r, full, CONTEXT_MS), `seed ${seed}, since ${new Date(since).toISOString()}`).toEqual(want);
        compared += want.events.length + want.windows.length;
        if (JSON.stringify(fromRestart(pts, r, full, CONTEXT_MS - 13 * DAY_MS)) !== JSON.stringify(want)) shorterFailed++;
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(shorterFailed, 'a context 13 days shorter changes some facts').toBeGreaterThan(0);
  });
});
