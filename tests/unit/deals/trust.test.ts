/**
 * Deal figures a seller can trust (issue 14, items 1, 4, 5): the start is where the drain starts and
 * its uncertainty is stated; a deal seen once does not stay LIVE forever; quantities are whole units;
 * the discount is given against the pre-deal price as well as the list price.
 */
import { describe, expect, it } from 'vitest';
import { type Deal, detectDeals } from '../../../core/deals/detect';
import { MAX_DEAL_DURATION_HOURS } from '../../../core/deals/timing';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, deal, H, pt } from '../series/build';

const only = (ds: Deal[]): Deal => {
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('item 1: start time', () => {
  // Hourly captures before the deal; the deal shows at 10:00 with 0 % claimed, then 60 u/h (Q = 600)
  // read every 10 minutes. No scheduled start.
  const linear = (first: number): SnapshotPoint[] => {
    const pts: SnapshotPoint[] = [pt(8, 2000), pt(9, 2000)];
    for (let i = 0; i <= 12; i++) {
      const t = first + i / 6;
      const units = 60 * (t - 10);
      pts.push(deal(t, 2000 - units, (100 * units) / 600, 600, 20));
    }
    return pts;
  };
  it('claims still 0 at the first reading: the deal starts there, the rate is the true 60 u/h, the curve STEADY', () => {
    const d = only(detectDeals(linear(10), { now: at(12) }));
    expect(d.startedAt).toBe(at(10));
    // Under half a point (3 of 600 units) claimed: at most 3 minutes earlier at 60 u/h.
    expect(d.startedAtEarliest as number).toBeCloseTo(at(10) - 3 * 60_000, -1);
    expect(d.startedAtLatest).toBe(at(10));
    expect(d.startUncertaintyHours as number).toBeCloseTo(0.05, 6);
    expect(d.velocityPerHour).toBeCloseTo(60, 6);
    expect(d.peakVelocityPerHour).toBeCloseTo(60, 6);
    expect(d.curveShape).toBe('STEADY');
    expect(d.firstQuarterShare).toBeCloseTo(0.25, 6);
    expect(d.explanation.steps.find((s) => s.label === 'startedAt')?.note).toMatch(/claims still ~0/);
  });
  it('claims already under way at the first reading: the start is back-dated by the early rate and bracketed by the captures', () => {
    // The deal started at 10:00 but the first capture showing it is 10:20 (20 units claimed).
    const d = only(detectDeals(linear(10 + 2 / 6).slice(0), { now: at(12.5) }));
    expect(Math.abs(d.startedAt - at(10))).toBeLessThan(60_000);
    expect(d.startedAtEarliest).toBe(at(9));
    expect(d.startedAtLatest).toBe(at(10 + 2 / 6));
    expect(d.startUncertaintyHours).toBeCloseTo(4 / 3, 9);
    expect(d.velocityPerHour).toBeCloseTo(60, 6);
    expect(d.explanation.steps.find((s) => s.label === 'startedAt')?.note).toMatch(/between/);
  });
  it('a scheduled start is exact', () => {
    const pts = [pt(9, 500), deal(10.5, 470, 5, 600, 20, { dealStartsAt: at(10) }), deal(11, 440, 10, 600, 20, { dealStartsAt: at(10) })];
    const d = only(detectDeals(pts, { now: at(11) }));
    expect(d.startedAt).toBe(at(10));
    expect(d.startedAtEarliest).toBe(at(10));
    expect(d.startedAtLatest).toBe(at(10));
    expect(d.startUncertaintyHours).toBe(0);
  });
  it('no capture before the deal: the earliest start is unknown', () => {
    const d = only(detectDeals(linear(10 + 2 / 6).slice(2), { now: at(12.5) }));
    expect(d.startedAtEarliest).toBeNull();
    expect(d.startUncertaintyHours).toBeNull();
    expect(d.startedAt).toBeLessThan(at(10 + 2 / 6));
  });
});

describe('item 4: a deal seen once does not stay LIVE', () => {
  const once = [pt(0, 300), deal(1, 280, 10, 200, 0, { dealEndsAt: null })];
  it('LIVE while its type could still be running', () => {
    const d = only(detectDeals(once, { now: at(5) }));
    expect(d.status).toBe('LIVE');
    expect(d.endInferred).toBe(false);
  });
  it('EXPIRED after the longest a lightning deal runs (12 h), the end marked as inferred', () => {
    expect(MAX_DEAL_DURATION_HOURS.LIGHTNING).toBe(12);
    const d = only(detectDeals(once, { now: at(214) }));
    expect(d.status).toBe('EXPIRED');
    expect(d.endInferred).toBe(true);
    expect(d.endedAt).toBe(d.startedAt + 12 * H);
    expect(d.sellOutEta).toBeNull();
    expect(d.explanation.notes.join(' ')).toMatch(/inferred/);
  });
  it('with a scheduled end and no newer reading, it ends at the scheduled end, inferred', () => {
    const d = only(detectDeals([pt(0, 300), deal(1, 280, 10, 200, 6)], { now: at(214) }));
    expect(d.status).toBe('EXPIRED');
    expect(d.endedAt).toBe(at(6));
    expect(d.endInferred).toBe(true);
  });
  it('an end seen in the captures is not inferred', () => {
    const d = only(detectDeals([deal(0, 100, 0, 50, 2), deal(1, 90, 20, 50, 2), deal(1.9, 85, 30, 50, 2), pt(2.1, 85)], { now: at(3) }));
    expect(d.status).toBe('EXPIRED');
    expect(d.endInferred).toBe(false);
  });
  it('a coupon announced without readings since also ends at its type maximum', () => {
    const c = only(detectDeals([pt(0, 50, { dealType: 'COUPON' })], { now: at(24 * MAX_DEAL_DURATION_HOURS.COUPON + 1) }));
    expect(c.status).toBe('EXPIRED');
    expect(c.endInferred).toBe(true);
  });
});

describe('item 5: whole units and the discount against the pre-deal price', () => {
  // Q = 563 implied from stock drops: 5.63 units per point; % claimed read to 0.1 point.
  const pts: SnapshotPoint[] = [pt(-48, 3000, { listPrice: 25 }), pt(-24, 3000, { listPrice: 25 }), pt(-1, 3000, { listPrice: 25 })];
  for (let i = 0; i <= 9; i++) {
    const units = 17 * i;
    pts.push(deal(i / 6, 3000 - units, Math.round((1000 * units) / 563) / 10, null, 10, { dealStartsAt: at(0), listPrice: 25 }));
  }
  const d = only(detectDeals(pts, { now: at(1.5) }));
  it('implied quantity and its band are whole units', () => {
    expect(d.dealQuantitySource).toBe('IMPLIED');
    expect(Number.isInteger(d.dealQuantity)).toBe(true);
    expect(Number.isInteger(d.dealQuantityLower)).toBe(true);
    expect(Number.isInteger(d.dealQuantityUpper)).toBe(true);
    expect(Math.abs((d.dealQuantity as number) - 563)).toBeLessThanOrEqual(2);
    expect(d.dealQuantityLower as number).toBeLessThanOrEqual(d.dealQuantity as number);
    expect(d.dealQuantityUpper as number).toBeGreaterThanOrEqual(d.dealQuantity as number);
    expect(Number.isInteger(d.unitsSold)).toBe(true);
    expect(Number.isInteger(d.remainingUnits)).toBe(true);
  });
  it('discount against list price and against the price before the deal', () => {
    // Deal price 14; list price 25 → 44 %; pre-deal price 20 → 30 %.
    expect(d.dealPrice).toBe(14);
    expect(d.listPrice).toBe(25);
    expect(d.preDealPrice).toBe(20);
    expect(d.discountVsListPercent).toBeCloseTo(44, 9);
    expect(d.discountVsPreDealPercent).toBeCloseTo(30, 9);
    expect(d.discountPercent).toBeCloseTo(44, 9);
  });
});
