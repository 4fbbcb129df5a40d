/**
 * Real-time consumption rate (core/alerts/rate.ts): golden values worked by hand or with R
 * (qpois, qnorm), properties over random streams, and the CONSUMPTION_RATE kind through evaluate().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectedCount,
  hourOfDayRates,
  normalQuantile,
  orderSeries,
  poissonQuantile,
  rateLevel,
  RATE_DEFAULTS,
  snapshotSeries,
  windowCount,
} from '../../../core/alerts/rate';
import { createAlertState, evaluate } from '../../../core/alerts';
import type { AlertObservation, AlertRule, AlertState } from '../../../core/alerts/types';
import type { SnapshotPoint } from '../../../core/series/types';

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1); // a UTC midnight

describe('rate steps (golden)', () => {
  it('poissonQuantile equals R qpois(q, μ)', () => {
    // qpois(0.999, c(0.25, 1, 4, 10, 100)) = 3 5 11 21 132
    expect([0.25, 1, 4, 10, 100].map((mu) => poissonQuantile(mu, 0.999))).toEqual([3, 5, 11, 21, 132]);
    expect(poissonQuantile(0, 0.999)).toBe(0);
    // Normal approximation above μ = 500: qpois(0.999, 1000) = 1098.
    expect(Math.abs(poissonQuantile(1000, 0.999) - 1098)).toBeLessThanOrEqual(1);
    expect(() => poissonQuantile(-1, 0.5)).toThrow(/mu/);
  });

  it('normalQuantile equals R qnorm', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 8);
  });

  it('windowCount: orders count whole inside (start, end]; stock intervals are prorated; coverage of a stock series', () => {
    const orders = orderSeries(
      [
        { at: T0 + 10 * MIN, units: 2 },
        { at: T0 + 60 * MIN, units: 1 },
        { at: T0 + 61 * MIN, units: 5 },
      ],
      T0,
      T0 + 2 * H,
    );
    expect(windowCount(orders, T0, T0 + H)).toEqual({ units: 3, lowerBound: false, coverage: 1 });
    expect(windowCount(orders, T0 + H, T0 + 2 * H).units).toBe(5);
    const pts = [100, 90, 70].map((stock, i) => ({ at: T0 + i * H, stock, stockIsLowerBound: false, dealType: 'NONE' }) as SnapshotPoint);
    const drain = snapshotSeries(pts);
    // Half of the first interval (5) and half of the second (10).
    expect(windowCount(drain, T0 + 30 * MIN, T0 + 90 * MIN)).toEqual({ units: 15, lowerBound: false, coverage: 1 });
    // Only 30 of the 60 minutes after the last capture are measured.
    expect(windowCount(drain, T0 + 90 * MIN, T0 + 150 * MIN).coverage).toBeCloseTo(0.5, 12);
  });

  it('hourOfDayRates shrinks each hour towards the overall rate by 3 pseudo-hours; expectedCount integrates them', () => {
    // Two days: 1 order/h except 10 in hour 12 each day. Overall r̄ = (2·23 + 20)/48 = 1.375/h.
    const sales: { at: number; units: number }[] = [];
    for (let d = 0; d < 2; d++)
      for (let h = 0; h < 24; h++) sales.push({ at: T0 + d * 24 * H + h * H + 30 * MIN, units: h === 12 ? 10 : 1 });
    const r = hourOfDayRates(orderSeries(sales, T0, T0 + 48 * H), T0, T0 + 48 * H);
    expect(r.overall).toBeCloseTo(66 / 48, 12);
    expect(r.measuredHours).toBe(48);
    // r_12 = (20 + 3·1.375)/(2 + 3) = 4.825;  r_0 = (2 + 3·1.375)/5 = 1.225.
    expect(r.rates[12]).toBeCloseTo(4.825, 12);
    expect(r.rates[0]).toBeCloseTo(1.225, 12);
    // A window 11:30–12:30: half an hour at r_11 plus half at r_12.
    expect(expectedCount(r.rates, T0 + 11.5 * H, T0 + 12.5 * H)).toBeCloseTo(0.5 * 1.225 + 0.5 * 4.825, 12);
  });

  it('rateLevel: ORANGE above 200 %, RED above 500 %, only with ≥ 5 units and above the Poisson limit', () => {
    const s = RATE_DEFAULTS;
    expect(rateLevel(21, 4, s)).toMatchObject({ status: 'BREACH', level: 'RED', poissonLimit: 11 });
    expect(rateLevel(20, 4, s)).toMatchObject({ status: 'BREACH', level: 'ORANGE' }); // exactly 500 % is not above
    expect(rateLevel(12, 4, s)).toMatchObject({ status: 'BREACH', level: 'ORANGE' });
    expect(rateLevel(11, 4, s)).toMatchObject({ status: 'NEUTRAL', wouldBe: 'ORANGE' }); // 275 % but ≤ Q0.999(4) = 11
    expect(rateLevel(8, 4, s)).toMatchObject({ status: 'CLEAR' }); // exactly 200 %
    expect(rateLevel(3, 0.25, s)).toMatchObject({ status: 'NEUTRAL', wouldBe: 'RED' }); // 1200 % of a slow seller: noise
    expect(rateLevel(4, 0, s)).toMatchObject({ status: 'NEUTRAL', wouldBe: 'RED' }); // below the 5-unit minimum
    expect(rateLevel(5, 0, s)).toMatchObject({ status: 'BREACH', level: 'RED' });
  });
});

describe('rate steps (properties)', () => {
  it('Q_q(μ) is the smallest k with P(X ≤ k) ≥ q, and grows with μ and q', () => {
    const cdf = (k: number, mu: number) => {
      let p = Math.exp(-mu);
      let c = p;
      for (let i = 1; i <= k; i++) {
        p *= mu / i;
        c += p;
      }
      return c;
    };
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 300, noNaN: true }), fc.double({ min: 0.6, max: 0.9999, noNaN: true }), (mu, q) => {
        const k = poissonQuantile(mu, q);
        expect(cdf(k, mu)).toBeGreaterThanOrEqual(q - 1e-12);
        if (k > 0) expect(cdf(k - 1, mu)).toBeLessThan(q + 1e-12);
        expect(poissonQuantile(mu * 1.5, q)).toBeGreaterThanOrEqual(k);
        expect(poissonQuantile(mu, Math.min(0.99999, q + 0.00005))).toBeGreaterThanOrEqual(k);
      }),
      { seed: 8, numRuns: 300 },
    );
  });

  it('windowCount is additive over adjacent windows, and a level never falls as the count rises', () => {
    const stream = fc.array(fc.record({ m: fc.integer({ min: 0, max: 600 }), units: fc.integer({ min: 1, max: 5 }) }), { maxLength: 80 });
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 599 }), fc.double({ min: 0, max: 40, noNaN: true }), (xs, cut, mu) => {
        const series = orderSeries(
          xs.map((x) => ({ at: T0 + x.m * MIN, units: x.units })),
          T0,
          T0 + 600 * MIN,
        );
        const a = windowCount(series, T0 - 1, T0 + cut * MIN).units;
        const b = windowCount(series, T0 + cut * MIN, T0 + 600 * MIN).units;
        expect(a + b).toBe(xs.reduce((s, x) => s + x.units, 0));
        const rank = (n: number) => {
          const v = rateLevel(n, mu, RATE_DEFAULTS);
          return v.status === 'BREACH' ? (v.level === 'RED' ? 2 : 1) : 0;
        };
        expect(rank(a + b)).toBeGreaterThanOrEqual(rank(Math.min(a, b)));
        if (a + b < RATE_DEFAULTS.minUnits) expect(rank(a + b)).toBe(0);
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('pure Poisson noise at the expected rate fires in at most 0.2 % of windows', () => {
    // Seeded LCG; Poisson draws by inversion. 4000 windows at μ = 0.3, 2, 6 and 20.
    let seed = 12345;
    const u = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
    const draw = (mu: number) => {
      let k = 0;
      let p = Math.exp(-mu);
      let c = p;
      const x = u();
      while (x > c) {
        k += 1;
        p *= mu / k;
        c += p;
      }
      return k;
    };
    for (const mu of [0.3, 2, 6, 20]) {
      let fired = 0;
      for (let i = 0; i < 4000; i++) if (rateLevel(draw(mu), mu, RATE_DEFAULTS).status === 'BREACH') fired++;
      expect(fired / 4000, `μ = ${mu}`).toBeLessThanOrEqual(0.002);
    }
  });
});

describe('CONSUMPTION_RATE through evaluate()', () => {
  const rule: AlertRule = { id: 'r', kind: 'CONSUMPTION_RATE', periodMs: H };
  const obs = (at: number, observed: number | null, expected: number | null, lowerBound = false): AlertObservation => ({
    at,
    signal: { type: 'WINDOW_RATE', observed, expected, lowerBound },
  });
  const play = (list: AlertObservation[], state?: AlertState) => {
    let st = state ?? createAlertState({ id: 'sku', type: 'PRODUCT' }, 'CONSUMPTION_RATE');
    const log: [number, string, string | null, string | null][] = [];
    list.forEach((o, i) => {
      const r = evaluate(st, o, rule, o.at);
      st = r.state;
      for (const e of r.events) log.push([i, e.type, e.level, e.reason]);
    });
    return log;
  };

  it('raises RED on the first window above 500 %, resolves after two clear windows, and a censored bound that breaches counts', () => {
    const t = (i: number) => T0 + i * 20 * MIN;
    expect(play([obs(t(0), 4, 4), obs(t(1), 30, 4), obs(t(2), 31, 4), obs(t(3), 5, 4), obs(t(4), 4, 4)])).toEqual([
      [1, 'RAISE', 'RED', null],
      [4, 'RESOLVE', 'RED', null],
    ]);
    expect(play([obs(t(0), 14, 4)])).toEqual([[0, 'RAISE', 'ORANGE', null]]);
    expect(play([obs(t(0), 30, 4, true)])).toEqual([[0, 'RAISE', 'RED', null]]);
    // Too little history, or a window too thinly measured: no alert.
    expect(play([obs(t(0), 30, null), obs(t(1), null, 4)])).toEqual([]);
  });

  it('exclusions suppress it, and it re-arms one window after resolving', () => {
    const t = (i: number) => T0 + i * 30 * MIN;
    const excluded: AlertRule = { ...rule, exclusions: [{ id: 'X1', from: t(0), to: t(1), reason: 'Prime Day' }] };
    let st = createAlertState({ id: 'sku', type: 'PRODUCT' }, 'CONSUMPTION_RATE');
    const r = evaluate(st, obs(t(1), 30, 4), excluded, t(1));
    expect(r.events.map((e) => [e.type, e.reason])).toEqual([['SUPPRESSED', 'EXCLUDED']]);
    // Raised, resolved by two clear windows, then a breach 30 min later falls in the 1-window cool-down; 90 min later re-arms.
    const log = play([
      obs(t(2), 30, 4),
      obs(t(3), 4, 4),
      obs(t(4), 4, 4),
      obs(t(5), 30, 4),
      obs(t(6), 4, 4),
      obs(t(7), 4, 4),
      obs(t(8), 30, 4),
    ]);
    expect(log).toEqual([
      [0, 'RAISE', 'RED', null],
      [2, 'RESOLVE', 'RED', null],
      [3, 'SUPPRESSED', 'RED', 'COOLDOWN'],
      [6, 'RAISE', 'RED', null],
    ]);
    st = r.state;
    expect(st.open).toBeNull();
  });
});
