import { describe, expect, it } from 'vitest';
import { createAlertState, evaluate } from '../../../core/alerts';
import type { AlertObservation, AlertRule, AlertSignal, AlertSubject } from '../../../core/alerts';
import { reconcileLedger } from '../../../core/anomalies';
import { DAY_MS, HOUR_MS } from '../../../core/series/types';
import { SKU, SKU_A, day, play } from './play';

const obs = (signals: AlertSignal[], start = 0): AlertObservation[] => signals.map((signal, j) => ({ at: day(start + j), signal }));
const rule = (kind: AlertRule['kind'], over: Partial<AlertRule> = {}): AlertRule => ({ id: `r-${kind}`, kind, periodMs: DAY_MS, ...over });
const summary = (p: ReturnType<typeof play>) => p.log.map((l) => [l.i, l.type, l.level, l.reason]);

describe('SAFETY_STOCK_BREACH', () => {
  const stock = (onHand: number | null, extra: Partial<Extract<AlertSignal, { type: 'STOCK' }>> = {}): AlertSignal => ({
    type: 'STOCK',
    onHand,
    safetyStock: 100,
    ...extra,
  });

  it('is RED at once, clears only above SS × 1.05 (hysteresis), and flapping around SS is one alert', () => {
    const r = rule('SAFETY_STOCK_BREACH');
    const p = play(createAlertState(SKU, r.kind), r, obs([150, 120, 99, 101, 99, 104, 99, 105, 140].map((v) => stock(v))));
    expect(summary(p)).toEqual([
      [2, 'RAISE', 'RED', null],
      [7, 'RESOLVE', 'RED', null],
    ]);
    expect(p.events[0].explanation.steps.find((s) => s.label === 'level rule')?.value).toBe('RED: safety stock breached (99 < 100)');
  });

  it('ABC class A adds the 20 % buffer: 115 on hand breaches SS 100 for A but not for B', () => {
    const r = rule('SAFETY_STOCK_BREACH');
    expect(play(createAlertState(SKU_A, r.kind), r, obs([stock(115)])).log.map((l) => l.type)).toEqual(['RAISE']);
    expect(play(createAlertState(SKU, r.kind), r, obs([stock(115)])).log).toEqual([]);
  });

  it('a capped (lower-bound) reading below SS is SUPPRESSED(CENSORED), an unknown one is silent', () => {
    const r = rule('SAFETY_STOCK_BREACH');
    const p = play(createAlertState(SKU, r.kind), r, obs([stock(10, { censored: true }), stock(null)]));
    expect(summary(p)).toEqual([[0, 'SUPPRESSED', 'RED', 'CENSORED']]);
  });

  it('requires the safety stock in the signal', () => {
    const r = rule('SAFETY_STOCK_BREACH');
    expect(() => evaluate(createAlertState(SKU, r.kind), { at: day(0), signal: { type: 'STOCK', onHand: 5 } }, r, day(0))).toThrow(
      /signal\.safetyStock is required/,
    );
  });
});

describe('REORDER_POINT_REACHED', () => {
  it('fires YELLOW on the inventory position (on hand + in transit) and clears when a PO lifts it', () => {
    const r = rule('REORDER_POINT_REACHED');
    const sig = (onHand: number, inTransit: number): AlertSignal => ({
      type: 'STOCK',
      onHand,
      inTransit,
      reorderPoint: 100,
      safetyStock: 40,
    });
    const p = play(createAlertState(SKU, r.kind), r, obs([sig(80, 30), sig(70, 30), sig(60, 30), sig(60, 200)]));
    // 110 > 100: fine; 100 ≤ 100: reached; 90: still open; 260 > 105: clear.
    expect(summary(p)).toEqual([
      [1, 'RAISE', 'YELLOW', null],
      [3, 'RESOLVE', 'YELLOW', null],
    ]);
  });

  it('class A: ROP + (1.2 − 1)·SS = 108 is reached at position 105', () => {
    const r = rule('REORDER_POINT_REACHED');
    const sig: AlertSignal = { type: 'STOCK', onHand: 105, inTransit: 0, reorderPoint: 100, safetyStock: 40 };
    expect(play(createAlertState(SKU_A, r.kind), r, obs([sig])).log.map((l) => l.type)).toEqual(['RAISE']);
    expect(play(createAlertState(SKU, r.kind), r, obs([sig])).log).toEqual([]);
  });
});

describe('SELLOUT_IMMINENT', () => {
  it('YELLOW at ETA ≤ 48 h, ORANGE ≤ 24 h after 3 periods, clears when the drain can never sell out', () => {
    const r = rule('SELLOUT_IMMINENT', { periodMs: HOUR_MS });
    const eta = (h: number | null): AlertSignal => ({ type: 'SELLOUT_ETA', etaHours: h });
    const signals = [eta(60), eta(40), eta(20), eta(19), eta(18), eta(null)];
    const o = signals.map((signal, j) => ({ at: day(0) + j * HOUR_MS, signal }));
    const p = play(createAlertState({ id: 'c-1', type: 'COMPETITOR', tier: 'GENERAL' }, r.kind), r, o);
    expect(summary(p)).toEqual([
      [1, 'RAISE', 'YELLOW', null],
      [2, 'SUPPRESSED', 'ORANGE', 'DEBOUNCE'],
      [3, 'SUPPRESSED', 'ORANGE', 'DEBOUNCE'],
      [4, 'ESCALATE', 'ORANGE', null],
      [5, 'RESOLVE', 'ORANGE', null],
    ]);
  });

  it('tier CORE warns 1.5× earlier: ETA 60 h is inside its 72 h horizon', () => {
    const r = rule('SELLOUT_IMMINENT', { periodMs: HOUR_MS });
    const p = play(
      createAlertState({ id: 'c-core', type: 'COMPETITOR', tier: 'CORE' }, r.kind),
      r,
      obs([{ type: 'SELLOUT_ETA', etaHours: 60 }]),
    );
    expect(p.log.map((l) => [l.type, l.level])).toEqual([['RAISE', 'YELLOW']]);
  });
});

describe('competitor events', () => {
  const ev = (active: boolean): AlertSignal => ({ type: 'EVENT', active, detail: active ? 'LIGHTNING deal, 500 units' : null });
  const general: AlertSubject = { id: 'c-gen', type: 'COMPETITOR', tier: 'GENERAL' };
  const core: AlertSubject = { id: 'c-core', type: 'COMPETITOR', tier: 'CORE' };

  it('COMPETITOR_DEAL_STARTED: one alert while the deal is live, resolved when it ends', () => {
    const r = rule('COMPETITOR_DEAL_STARTED', { periodMs: HOUR_MS });
    const o = [false, true, true, true, false].map((a, j) => ({ at: day(0) + j * HOUR_MS, signal: ev(a) }));
    expect(summary(play(createAlertState(general, r.kind), r, o))).toEqual([
      [1, 'RAISE', 'YELLOW', null],
      [4, 'RESOLVE', 'YELLOW', null],
    ]);
  });

  it('tier CORE raises one level higher', () => {
    const r = rule('COMPETITOR_RESTOCK', { periodMs: HOUR_MS });
    const p = play(createAlertState(core, r.kind), r, [{ at: day(0), signal: ev(true) }]);
    expect(p.log.map((l) => [l.type, l.level])).toEqual([['RAISE', 'ORANGE']]);
  });

  it('COMPETITOR_STOCKOUT in a price-glitch snapshot is suppressed as an anomaly', () => {
    const r = rule('COMPETITOR_STOCKOUT');
    const p = play(createAlertState(general, r.kind), r, [
      { at: day(0), signal: ev(true), anomaly: { reasons: ['SPIKE: stock 480 → 0 → 476'] } },
    ]);
    expect(summary(p)).toEqual([[0, 'SUPPRESSED', 'YELLOW', 'ANOMALY']]);
  });
});

describe('DATA_STALE (scheduled evaluation)', () => {
  it('YELLOW at 3 missed intervals, ORANGE at 6, RED at 12; resolves on a fresh capture', () => {
    const r = rule('DATA_STALE', { periodMs: HOUR_MS });
    const last = day(0);
    const ticks = [2, 3, 5, 6, 11, 12, 13];
    const o: AlertObservation[] = ticks.map((h) => ({
      at: last + h * HOUR_MS,
      signal: { type: 'CAPTURE', lastCaptureAt: last, expectedIntervalMs: HOUR_MS },
    }));
    o.push({
      at: last + 14 * HOUR_MS,
      signal: { type: 'CAPTURE', lastCaptureAt: last + 14 * HOUR_MS - 60_000, expectedIntervalMs: HOUR_MS },
    });
    const p = play(createAlertState({ id: 'c-gen', type: 'COMPETITOR' }, r.kind), r, o);
    expect(summary(p)).toEqual([
      [1, 'RAISE', 'YELLOW', null],
      [3, 'ESCALATE', 'ORANGE', null],
      [5, 'ESCALATE', 'RED', null],
      [7, 'RESOLVE', 'RED', null],
    ]);
    expect(p.events[0].explanation.steps.find((s) => s.label === 'age hours')?.value).toBe(3);
  });

  it('tier CORE is stale after 2 intervals', () => {
    const r = rule('DATA_STALE', { periodMs: HOUR_MS });
    const o: AlertObservation = {
      at: day(0) + 2 * HOUR_MS,
      signal: { type: 'CAPTURE', lastCaptureAt: day(0), expectedIntervalMs: HOUR_MS },
    };
    expect(play(createAlertState({ id: 'c', type: 'COMPETITOR', tier: 'CORE' }, r.kind), r, [o]).log.map((l) => l.type)).toEqual(['RAISE']);
    expect(play(createAlertState({ id: 'c', type: 'COMPETITOR', tier: 'GENERAL' }, r.kind), r, [o]).log).toEqual([]);
  });

  it('judged on arrival: history imported 3 days late never raises; a live feed that stops does, at T from its arrival', () => {
    const r = rule('DATA_STALE', { periodMs: HOUR_MS });
    const imported = day(3);
    const backfill: AlertObservation[] = [0, 6, 48, 200].map((h) => ({
      at: imported + h * HOUR_MS,
      signal: { type: 'CAPTURE', lastCaptureAt: day(0), lastArrivedAt: imported, expectedIntervalMs: HOUR_MS },
    }));
    expect(play(createAlertState({ id: 'c-back', type: 'COMPETITOR', tier: 'GENERAL' }, r.kind), r, backfill).log).toEqual([]);
    // Live: captured at day(0), arrived 5 min later; a pass 2 h 59 min after arrival is quiet, one at 3 h raises.
    const arrived = day(0) + 5 * 60_000;
    const live = [179, 180].map((m) => ({
      at: arrived + m * 60_000,
      signal: { type: 'CAPTURE' as const, lastCaptureAt: day(0), lastArrivedAt: arrived, expectedIntervalMs: HOUR_MS },
    }));
    expect(summary(play(createAlertState({ id: 'c-live', type: 'COMPETITOR', tier: 'POTENTIAL' }, r.kind), r, live))).toEqual([]);
    const p = play(createAlertState({ id: 'c-live', type: 'COMPETITOR', tier: 'GENERAL' }, r.kind), r, live);
    expect(summary(p)).toEqual([[1, 'RAISE', 'YELLOW', null]]);
  });
});

describe('RECONCILIATION_MISMATCH', () => {
  it('a report with findings raises RED with the findings in the explanation; a clean report resolves', () => {
    const r = rule('RECONCILIATION_MISMATCH');
    const bad = reconcileLedger({
      recordedSales: [{ at: 2, units: 30 }],
      stockMovements: [{ at: 2, quantity: -30, type: 'SALE' }],
      snapshots: [
        { at: 1, stock: 100 },
        { at: 3, stock: 60 },
      ],
    });
    const good = reconcileLedger({
      recordedSales: [{ at: 2, units: 30 }],
      stockMovements: [{ at: 2, quantity: -30, type: 'SALE' }],
      snapshots: [
        { at: 1, stock: 100 },
        { at: 3, stock: 70 },
      ],
    });
    const p = play(
      createAlertState(SKU, r.kind),
      r,
      obs([
        { type: 'RECONCILIATION', report: bad },
        { type: 'RECONCILIATION', report: good },
      ]),
    );
    expect(summary(p)).toEqual([
      [0, 'RAISE', 'RED', null],
      [1, 'RESOLVE', 'RED', null],
    ]);
    expect(p.events[0].explanation.steps.some((s) => s.label === 'LEDGER_VS_SNAPSHOT' && s.value === -10)).toBe(true);
  });
});
