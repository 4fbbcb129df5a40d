import { describe, expect, it } from 'vitest';
import { dealBaselineComparison } from '../../../core/deals/compare';
import { detectDeals } from '../../../core/deals/detect';
import type { SnapshotPoint } from '../../../core/series/types';
import { at, deal, H, pt } from '../series/build';

// Two weeks at 3000 − 2h (48/day); a deal 336–342 (Q = 500, 100 units/h, sold out at 341);
// afterwards 2/h again, and +1000 units at h = 400.
function scenario(): SnapshotPoint[] {
  const pts: SnapshotPoint[] = [];
  for (let h = 0; h < 336; h++) pts.push(pt(h, 3000 - 2 * h));
  for (let k = 0; k <= 6; k++) {
    const sold = Math.min(500, 100 * k);
    pts.push(deal(336 + k, 2328 - sold - (k === 6 ? 2 : 0), (100 * sold) / 500, 500, 342, { dealStartsAt: at(336) }));
  }
  let s = 1826;
  for (let h = 343; h <= 520; h++) {
    s -= 2;
    if (h === 400) s += 1000;
    pts.push(pt(h, s));
  }
  return pts;
}

describe('pre/post-deal comparison, hand-computed', () => {
  const pts = scenario();
  const now = at(520);
  const d = detectDeals(pts, { now }).find((x) => x.type === 'LIGHTNING');
  if (!d) throw new Error('deal not detected');
  const c = dealBaselineComparison(pts, d, { now });
  it('the deal itself', () => {
    expect(d.status).toBe('SOLD_OUT');
    expect(d.soldOutAt).toBe(at(341));
  });
  it('baseline: 48/day, average stock 3000 − 335', () => {
    expect(c.baseline.dailyConsumption.value).toBeCloseTo(48, 9);
    expect(c.baseline.avgStock).toBeCloseTo(2665, 9);
    expect(c.baselineSufficient).toBe(true);
  });
  it('actual vs expected units and lift', () => {
    expect(c.dealHours).toBeCloseTo(5, 9);
    expect(c.expectedUnits).toBeCloseTo(10, 9); // 48 × 5 ÷ 24
    expect(c.actualUnits).toBeCloseTo(500, 9);
    expect(c.actualUnitsSource).toBe('STOCK');
    expect(c.liftRatio).toBeCloseTo(50, 9);
    expect(c.incrementalUnits).toBeCloseTo(490, 9);
  });
  it('post-deal rate back at baseline', () => {
    expect(c.postRatioToBaseline as number).toBeGreaterThan(0.95);
    expect(c.postRatioToBaseline as number).toBeLessThan(1.05);
  });
  it('recovers normal stock (0.8 × 2665) at the restock, 59 h after the deal', () => {
    expect(c.recoveryThreshold).toBeCloseTo(0.8 * 2665, 9);
    expect(c.recoveredAt).toBe(at(400));
    expect(c.hoursToRecover).toBeCloseTo(59, 9);
  });
  it('forecast vs actual: 100/h seen in the first quarter sells 400 more in 4 h', () => {
    const f = c.forecastVsActual;
    expect(f).not.toBeNull();
    expect(f?.forecastAt).toBe(at(337.25));
    expect(f?.model).toBe('CONSTANT');
    expect(Math.abs((f?.predictedSoldOutAt.p50 as number) - at(341))).toBeLessThan(0.5 * H);
    expect(f?.actualSoldOutAt).toBe(at(341));
    expect(f?.predictedUnitsByEnd).toBeCloseTo(500, 9);
    expect(f?.actualUnitsByEnd).toBe(500);
    expect(f?.unitsErrorPercent).toBeCloseTo(0, 9);
  });
  it('says when the baseline is too short or the deal still live', () => {
    const short = pts.filter((p) => p.at >= at(300));
    const ds = detectDeals(short, { now }).find((x) => x.type === 'LIGHTNING');
    const cs = dealBaselineComparison(short, ds as NonNullable<typeof ds>, { now });
    expect(cs.baselineSufficient).toBe(false);
    expect(cs.explanation.notes.join(' ')).toMatch(/7–14/);
    const liveNow = at(338);
    const lv = detectDeals(pts, { now: liveNow }).find((x) => x.status === 'LIVE');
    const cl = dealBaselineComparison(pts, lv as NonNullable<typeof lv>, { now: liveNow });
    expect(cl.forecastVsActual).toBeNull();
    expect(cl.explanation.notes.join(' ')).toMatch(/still live/);
  });
  it('rejects bad options', () => {
    expect(() => dealBaselineComparison(pts, d, { now, forecastAtFraction: 1 })).toThrow(/forecastAtFraction/);
  });
});
