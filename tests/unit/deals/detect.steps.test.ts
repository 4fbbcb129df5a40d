import { describe, expect, it } from 'vitest';
import { backdatedSoldOutAt, dealRates, findPlateaus, firstQuarterShare, quantityAfterClaimDrop } from '../../../core/deals/detect';
import { at, H, pt } from '../series/build';

describe('deal analysis steps', () => {
  it('quantity after a claim drop keeps units continuous: c·Q = c′·Q′', () => {
    // 50 % of 200 = 100 units; after the drop to 25 % the same 100 units are 25 % of 400.
    expect(quantityAfterClaimDrop(200, 50, 25)).toBe(400);
    expect((50 * 200) / 100).toBe((25 * quantityAfterClaimDrop(200, 50, 25)) / 100);
  });

  it('back-dates the sell-out by units left ÷ rate, clamped to the interval', () => {
    // 90 units at t0, full 100, 20 units/h: 0.5 h after t0, before the sold-out reading at t0 + 1 h.
    expect(backdatedSoldOutAt({ at: at(0), units: 90 }, at(1), 100, 20)).toBe(at(0.5));
    // A slow rate would place it after the reading: clamped to the reading.
    expect(backdatedSoldOutAt({ at: at(0), units: 90 }, at(1), 100, 1)).toBe(at(1));
    // No rate: midway.
    expect(backdatedSoldOutAt({ at: at(0), units: 90 }, at(1), 100, null)).toBe(at(0.5));
    expect(backdatedSoldOutAt({ at: at(0), units: 90 }, at(1), 100, 0)).toBe(at(0.5));
  });

  it('rates: velocity now, peak and the ≥ 80 %-of-peak period', () => {
    // 10 units/h for 2 h, 40 units/h for 2 h, then 10 units/h again; readings every hour.
    const units = [0, 10, 20, 60, 100, 110, 120];
    const rc = units.map((u, i) => ({ at: at(i), units: u }));
    const r = dealRates(rc, H);
    expect(r.velocityNow).toBe(10);
    expect(r.peak).toBeCloseTo(40, 9);
    // Window counts N(t) = U(t) − U(t − 1 h) on a 5-minute grid: 40 for t in [3, 4]; the period keeps
    // windows with N ≥ min(0.8·40, 40 − 2√40) = 27.35: N = 10 + 30(t − 2) reaches it at t = 2 + 7/12,
    // N = 40 − 30(t − 4) leaves it after t = 4 + 5/12. Period [1 h 35 min, 4 h 25 min].
    const p = r.peakPeriod as NonNullable<typeof r.peakPeriod>;
    expect(p.start).toBeCloseTo(at(1 + 7 / 12), -1);
    expect(p.end).toBeCloseTo(at(4 + 5 / 12), -1);
    // U(4 h 25) − U(1 h 35) = (100 + 10·5/12) − (10 + 10·7/12).
    expect(p.units).toBeCloseTo(100 + (10 * 5) / 12 - (10 + (10 * 7) / 12), 6);
    expect(p.slopePerHour).toBeCloseTo(p.units / (17 / 6), 6);
    expect(dealRates(rc.slice(0, 1), H)).toEqual({ velocityNow: null, peak: null, peakPeriod: null });
    const flat = dealRates(
      [
        { at: at(0), units: 5 },
        { at: at(1), units: 5 },
      ],
      H,
    );
    expect(flat).toEqual({ velocityNow: 0, peak: null, peakPeriod: null });
  });

  it('plateaus: expected units = prior rate × hours, suspicious at ≥ 3 resolution steps', () => {
    const live = [0, 1, 2, 3, 4, 5].map((h, i) => {
      const c = h < 2 ? 10 * h : 20;
      return { p: pt(h, 100 - c), idx: i, c, q: 100 };
    });
    const rc = live.map((l) => ({ at: l.p.at, units: l.c }));
    const [p] = findPlateaus(live, rc, 4, H, 1);
    // Rate into the plateau 10 units/h over 3 h: 30 units expected, ≥ 3 × 1.
    expect(p).toEqual({ start: at(2), end: at(5), captures: 4, hours: 3, expectedUnits: 30, suspicious: true });
    expect(findPlateaus(live, rc, 4, H, 11)[0].suspicious).toBe(false);
    expect(findPlateaus(live, rc, 5, H, 1)).toEqual([]);
  });

  it('first-quarter share f = u(start + E/4) ÷ u(end), the curve held flat to the end', () => {
    // Uniform drain: f = 0.25.
    const uniform = [0, 1, 2, 3, 4].map((h) => ({ at: at(h), units: 10 * h }));
    expect(firstQuarterShare(uniform, at(0), at(4))).toBeCloseTo(0.25, 12);
    // All 40 units in the first hour of an 8 h deal: f = 1 (interpolated at 2 h on the flat extension).
    expect(
      firstQuarterShare(
        [
          { at: at(0), units: 0 },
          { at: at(1), units: 40 },
        ],
        at(0),
        at(8),
      ),
    ).toBe(1);
    expect(firstQuarterShare([{ at: at(0), units: 0 }], at(0), at(8))).toBeNull();
    expect(firstQuarterShare(uniform, at(0), at(0))).toBeNull();
  });
});
