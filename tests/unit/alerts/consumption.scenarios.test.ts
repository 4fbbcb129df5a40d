import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  baselineBand,
  baselineSettingsOf,
  createAlertState,
  evaluate,
  releaseHeld,
  resolveSettings,
  smallSampleFactor,
} from '../../../core/alerts';
import type { AlertRule } from '../../../core/alerts';
import { createRng } from '../../../core/random';
import { DAY_MS, HOUR_MS } from '../../../core/series/types';
import { SKU, SKU_A, T0, WARM, consumption, day, play, rates, warmState } from './play';

const W = WARM.length; // first period after the warm-up

describe('CONSUMPTION_DEVIATION: raise, escalate, resolve', () => {
  it('raises after 2 periods, escalates only after 3 consecutive periods at the higher level, resolves after 2 clear', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    // Upper band ≈ 104 (σ ≈ 2): 120 is ~15 % over (YELLOW), 145 ~38 % (ORANGE), 200 ~90 % (RED).
    const { log, events } = play(st, rule, rates([120, 120, 145, 145, 145, 200, 200, 200, 100, 100], W), { offset: W });
    expect(log).toEqual([
      { i: W, type: 'SUPPRESSED', level: 'YELLOW', reason: 'DEBOUNCE' },
      { i: W + 1, type: 'RAISE', level: 'YELLOW', reason: null },
      { i: W + 2, type: 'SUPPRESSED', level: 'ORANGE', reason: 'DEBOUNCE' },
      { i: W + 3, type: 'SUPPRESSED', level: 'ORANGE', reason: 'DEBOUNCE' },
      { i: W + 4, type: 'ESCALATE', level: 'ORANGE', reason: null },
      { i: W + 5, type: 'SUPPRESSED', level: 'RED', reason: 'DEBOUNCE' },
      { i: W + 6, type: 'SUPPRESSED', level: 'RED', reason: 'DEBOUNCE' },
      { i: W + 7, type: 'ESCALATE', level: 'RED', reason: null },
      { i: W + 9, type: 'RESOLVE', level: 'RED', reason: null },
    ]);
    // One alert per subject and kind: every event after the raise concerns the same alert.
    const ids = new Set(events.filter((e) => e.alertId).map((e) => e.alertId));
    expect(ids.size).toBe(1);
    expect(events.filter((e) => e.type === 'SUPPRESSED').every((e) => !e.notify)).toBe(true);
    expect(events.filter((e) => e.type !== 'SUPPRESSED').every((e) => e.notify)).toBe(true);
  });

  it('a RED-strength incident confirms YELLOW after 2 periods and RED after 3', () => {
    const rule = consumption();
    const { log, events } = play(warmState(SKU, rule), rule, rates([200, 200, 200, 200], W), { offset: W });
    expect(log.map((l) => [l.i - W, l.type, l.level])).toEqual([
      [0, 'SUPPRESSED', 'RED'],
      [1, 'RAISE', 'YELLOW'],
      [2, 'ESCALATE', 'RED'],
    ]);
    const rule1 = (i: number) => events[i].explanation.steps.find((s) => s.label === 'level rule')?.value;
    expect(rule1(1)).toBe('YELLOW: 2 consecutive periods at YELLOW or above; this period RED: over ≥ 60 %');
    expect(rule1(2)).toBe('RED: over ≥ 60 %');
  });

  it('every event explains itself: observed rate, baseline, band, % over, level rule, consecutive count', () => {
    const rule = consumption();
    const { events } = play(warmState(SKU, rule), rule, rates([120, 120], W));
    const raise = events.find((e) => e.type === 'RAISE')!;
    const x = raise.explanation;
    expect(x.inputs.observedRate).toBe(120);
    const upper = x.inputs.bandUpper as number;
    const mean = x.inputs.mean as number;
    const sigma = x.inputs.sigma as number;
    // k = 2 widened by the small-sample factor for the 20 + 1 periods behind σ (n_eff = 21 < 39).
    expect(x.inputs.k).toBe(2);
    expect(x.inputs.kEffective as number).toBeCloseTo(2 * smallSampleFactor(2, 21), 3);
    expect(upper).toBeCloseTo(mean + (x.inputs.kEffective as number) * sigma, 2);
    expect(x.inputs.percentOver as number).toBeCloseTo(((120 - upper) / upper) * 100, 1);
    expect(x.inputs.percentOver as number).toBeGreaterThanOrEqual(10);
    expect(x.inputs.percentOver as number).toBeLessThan(30);
    const step = (label: string) => x.steps.find((s) => s.label === label)?.value;
    expect(step('consecutive periods')).toBe(2);
    expect(step('required periods')).toBe(2);
    expect(step('level rule')).toBe('YELLOW: 10 % ≤ over < 30 %');
    expect(raise.consecutive).toBe(2);
    expect(raise.required).toBe(2);
  });

  it('ABC class A uses the STRICT profile: k 1.8 and escalation after 2 periods', () => {
    const rule = consumption();
    const st = warmState(SKU_A, rule);
    const { log, events } = play(st, rule, rates([145, 145, 145], W), { offset: W });
    expect(log.map((l) => [l.i - W, l.type, l.level])).toEqual([
      [0, 'SUPPRESSED', 'ORANGE'],
      [1, 'RAISE', 'ORANGE'],
    ]);
    expect(events[1].explanation.inputs.k).toBe(1.8);
    // The same 2-period ORANGE run only yields YELLOW for class B (escalation needs 3).
    const b = play(warmState(SKU, rule), rule, rates([145, 145], W));
    expect(b.events.map((e) => [e.type, e.level])).toEqual([
      ['SUPPRESSED', 'ORANGE'],
      ['RAISE', 'YELLOW'],
    ]);
  });

  it('a narrower STRICT band catches a deviation the STANDARD band treats as noise', () => {
    // Raise on one period so only the first band matters; warm-up 90/110 (σ ≈ 10).
    const rule = consumption({ debouncePeriods: 1 });
    const wide = Array.from({ length: 20 }, (_, i) => (i % 2 ? 110 : 90));
    const sb = warmState(SKU, rule, wide);
    const sa = warmState(SKU_A, rule, wide);
    const yellow = (st: typeof sb, subject: typeof SKU) => {
      const s = resolveSettings(rule, subject, st.feedback);
      return 1.1 * baselineBand(st.baseline, baselineSettingsOf(s), s.k, day(W)).upper;
    };
    const [ya, yb] = [yellow(sa, SKU_A), yellow(sb, SKU)];
    expect(ya).toBeLessThan(yb);
    const v = (ya + yb) / 2;
    expect(play(sb, rule, rates([v], W)).events).toEqual([]);
    expect(play(sa, rule, rates([v], W)).events.map((e) => [e.type, e.level])).toEqual([['RAISE', 'YELLOW']]);
  });
});

describe('noise that must NOT alert', () => {
  it('flapping single-period breaches never raise (each run is broken by a normal period)', () => {
    const rule = consumption();
    const { log } = play(warmState(SKU, rule), rule, rates([125, 100, 125, 100, 125, 100, 125, 100, 125, 100], W));
    expect(log.filter((l) => l.type !== 'SUPPRESSED')).toEqual([]);
    expect(log.map((l) => l.reason)).toEqual(['DEBOUNCE', 'DEBOUNCE', 'DEBOUNCE', 'DEBOUNCE', 'DEBOUNCE']);
  });

  it('hysteresis: an open alert flapping between breach and just-over-the-band stays one alert and does not resolve', () => {
    const rule = consumption();
    // 110 is above the upper band (≈104–106 while the alert is open) but below YELLOW (≈115):
    // NEUTRAL, neither breach nor clear.
    const { log } = play(warmState(SKU, rule), rule, rates([125, 125, 110, 125, 110, 125, 110, 110, 110], W));
    expect(log.filter((l) => l.type === 'RAISE')).toHaveLength(1);
    expect(log.filter((l) => l.type === 'RESOLVE')).toHaveLength(0);
  });

  it('censored rates (capped stock) never alert and do not move the baseline', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    const { log, state } = play(st, rule, rates([300, 300, 300, 300, 300], W, { censored: true }), { offset: W });
    expect(log.every((l) => l.type === 'SUPPRESSED' && l.reason === 'CENSORED' && l.level === 'RED')).toBe(true);
    expect(log).toHaveLength(5);
    expect(state.baseline).toEqual(st.baseline);
    expect(state.runs).toEqual({ YELLOW: 0, ORANGE: 0, RED: 0 });
  });

  it('periods flagged anomalous by core/anomalies never alert', () => {
    const rule = consumption();
    const obs = rates([300, 300, 300], W).map((o) => ({ ...o, anomaly: { reasons: ['CROSS_SIGNAL: stock drop with no rank movement'] } }));
    const { log, events } = play(warmState(SKU, rule), rule, obs);
    expect(log.map((l) => l.reason)).toEqual(['ANOMALY', 'ANOMALY', 'ANOMALY']);
    expect(events[0].explanation.notes.some((n) => n.includes('CROSS_SIGNAL'))).toBe(true);
  });

  it('an anomalous period inside a real incident does not count and restarts the run', () => {
    const rule = consumption();
    const obs = rates([120, 300, 120, 120], W);
    obs[1] = { ...obs[1], anomaly: { reasons: ['SPIKE'] } };
    const { log } = play(warmState(SKU, rule), rule, obs, { offset: W });
    expect(log.map((l) => [l.i - W, l.type, l.reason])).toEqual([
      [0, 'SUPPRESSED', 'DEBOUNCE'],
      [1, 'SUPPRESSED', 'ANOMALY'],
      [2, 'SUPPRESSED', 'DEBOUNCE'],
      [3, 'RAISE', null],
    ]);
  });

  it('a period without data between two bursts breaks the run (every-other-day bursts never alert)', () => {
    const rule = consumption();
    const obs = rates([125, 0, 125, 0, 125], W);
    obs[1] = { ...obs[1], signal: { type: 'RATE', value: null } };
    obs[3] = { ...obs[3], signal: { type: 'RATE', value: null } };
    const { log } = play(warmState(SKU, rule), rule, obs);
    expect(log.map((l) => l.reason)).toEqual(['DEBOUNCE', 'DEBOUNCE', 'DEBOUNCE']);
  });

  it('stationary noise rarely raises: ≤ 1 % of 300 seeded 80-period series (cv 2–20 %)', () => {
    // A statistical bound, not a certainty: 0.4 % of 3,000 such series raise (σ estimated from
    // ~39 effective periods is sometimes low). Seeds are fixed, so the test is deterministic.
    let raised = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = createRng(seed * 7919);
      const cv = 0.02 + 0.18 * rng.next();
      const values = Array.from({ length: 80 }, () => Math.max(0, 100 * (1 + cv * rng.normal())));
      const { events } = play(createAlertState(SKU, 'CONSUMPTION_DEVIATION'), consumption(), rates(values, 0));
      if (events.some((e) => e.type === 'RAISE')) raised++;
    }
    expect(raised).toBeLessThanOrEqual(3);
  });

  it('property: the level raised by a 3-period incident never decreases as the incident grows', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    const rank = (v: number): number => {
      const { events } = play(st, rule, rates([v, v, v], W));
      const lv = events.filter((e) => e.type === 'RAISE' || e.type === 'ESCALATE').map((e) => e.level);
      return lv.length ? ['YELLOW', 'ORANGE', 'RED'].indexOf(lv.at(-1)!) : -1;
    };
    fc.assert(
      fc.property(
        fc.double({ min: 90, max: 400, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (v, dv) => rank(v + dv) >= rank(v),
      ),
      { numRuns: 200 },
    );
  });

  it('without history or a prior the band is not armed: no alert, no noise', () => {
    const rule = consumption();
    const { events } = play(createAlertState(SKU, 'CONSUMPTION_DEVIATION'), rule, rates([100, 500, 500, 500, 500, 500], 0));
    expect(events).toEqual([]);
  });
});

describe('new subjects borrow the category prior', () => {
  it('a prior arms the band from the first period; its weight fades as history accrues', () => {
    const prior = { mean: 100, cv: 0.05, strength: 5, source: 'category Kitchen' };
    const rule = consumption({ prior });
    const st0 = createAlertState(SKU, 'CONSUMPTION_DEVIATION');
    const { log, events } = play(st0, rule, rates([150, 150], 0));
    expect(log.map((l) => [l.type, l.level])).toEqual([
      ['SUPPRESSED', 'YELLOW'],
      ['RAISE', 'YELLOW'],
    ]);
    // First period: n = 0, band = prior only: μ 100, σ = 0.05·100 = 5, resting on the prior's 5
    // pseudo-observations: ν = 4, t ≈ z + (z³+z)/4ν + (5z⁵+16z³+3z)/96ν² + (3z⁷+19z⁵+17z³−15z)/384ν³
    // = 2 + 0.625 + 0.19141 + 0.04468 = 2.86108 at z = 2; k_eff = 2.86108·√(1 + 1/5) = 3.13415.
    // upper = 100 + 3.13415·5 = 115.671; 150 is 29.68 % over: YELLOW.
    expect(events[0].explanation.inputs.bandUpper as number).toBeCloseTo(115.671, 2);
    expect(events[0].explanation.inputs.percentOver as number).toBeCloseTo(29.68, 1);
    expect(String(events[0].explanation.inputs.prior)).toContain('weight 1');
  });
});

describe('debounce and re-arm after resolution', () => {
  it('a new breach right after RESOLVE waits out the 3-period cool-down', () => {
    const rule = consumption();
    const { log } = play(warmState(SKU, rule), rule, rates([125, 125, 100, 100, 125, 125, 125, 125], W), { offset: W });
    expect(log.map((l) => [l.i - W, l.type, l.reason])).toEqual([
      [0, 'SUPPRESSED', 'DEBOUNCE'],
      [1, 'RAISE', null],
      [3, 'RESOLVE', null],
      [4, 'SUPPRESSED', 'DEBOUNCE'],
      [5, 'SUPPRESSED', 'COOLDOWN'],
      [6, 'RAISE', null],
    ]);
  });

  it('a gap in the data breaks a run: the periods are not consecutive', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    const obs = [
      { at: day(W), signal: { type: 'RATE' as const, value: 125 } },
      { at: day(W + 3), signal: { type: 'RATE' as const, value: 125 } },
    ];
    const { log, events } = play(st, rule, obs);
    expect(log.map((l) => l.reason)).toEqual(['DEBOUNCE', 'DEBOUNCE']);
    expect(events[1].consecutive).toBe(1);
  });
});

describe('exclusion rules', () => {
  const window = { id: 'x-promo', subjectId: 'sku-1', from: day(W + 2), to: day(W + 6), reason: 'spring promotion' };

  it('breaches inside the window are SUPPRESSED(EXCLUDED), outside they alert; the promotion does not enter the baseline', () => {
    const rule = consumption({ exclusions: [window] });
    const st = warmState(SKU, rule);
    const values = [100, 100, 160, 160, 160, 160, 160, 100, 100, 100];
    const { log, state } = play(st, rule, rates(values, W), { offset: W });
    expect(log.map((l) => [l.i - W, l.type, l.reason])).toEqual([
      [2, 'SUPPRESSED', 'EXCLUDED'],
      [3, 'SUPPRESSED', 'EXCLUDED'],
      [4, 'SUPPRESSED', 'EXCLUDED'],
      [5, 'SUPPRESSED', 'EXCLUDED'],
      [6, 'SUPPRESSED', 'EXCLUDED'],
    ]);
    // Baseline learned only the 5 ordinary periods around the window.
    expect(state.baseline.n).toBe(st.baseline.n + 5);
    expect(state.baseline.mean!).toBeLessThan(102);
  });

  it('an exclusion for another subject or another kind does not apply', () => {
    for (const x of [
      { ...window, subjectId: 'sku-2' },
      { ...window, kinds: ['SAFETY_STOCK_BREACH' as const] },
    ]) {
      const rule = consumption({ exclusions: [x] });
      const { log } = play(warmState(SKU, rule), rule, rates([100, 100, 160, 160], W));
      expect(log.map((l) => l.type)).toEqual(['SUPPRESSED', 'RAISE']);
    }
  });

  it('an open-ended exclusion with no subject silences every subject from its start', () => {
    const rule = consumption({ exclusions: [{ id: 'x-all', from: day(W), reason: 'marketplace outage' }] });
    const { log } = play(warmState(SKU, rule), rule, rates([160, 160, 160], W));
    expect(log.map((l) => l.reason)).toEqual(['EXCLUDED', 'EXCLUDED', 'EXCLUDED']);
  });
});

describe('quiet hours', () => {
  // Hourly periods; quiet 22:00–07:00 UTC. Warm-up ends at 20:00 on day 2.
  const quiet = { startMinute: 22 * 60, endMinute: 7 * 60, utcOffsetMinutes: 0 };
  const rule: AlertRule = consumption({ periodMs: HOUR_MS, quietHours: quiet });
  const hour = (h: number) => T0 + h * HOUR_MS;
  const warm = () => {
    let st = createAlertState(SKU, 'CONSUMPTION_DEVIATION');
    for (let h = 1; h <= 44; h++)
      st = evaluate(st, { at: hour(h), signal: { type: 'RATE', value: h % 2 ? 102 : 98 } }, rule, hour(h)).state;
    return st; // last observation 20:00 on 2 Jan
  };
  const hourly = (from: number, values: number[]) =>
    values.map((v, j) => ({ at: hour(from + j), signal: { type: 'RATE' as const, value: v } }));

  it('a non-RED raise confirmed at night is deferred and raised at the first evaluation after 07:00', () => {
    // Breach from 23:00 (h 47) through 08:00 (h 56).
    const { log, events } = play(warm(), rule, hourly(45, [100, 100, ...Array(10).fill(125)]), { offset: 45 });
    const raise = events.filter((e) => e.type === 'RAISE');
    expect(raise).toHaveLength(1);
    expect(raise[0].at).toBe(hour(55)); // 07:00
    expect(raise[0].level).toBe('YELLOW');
    expect(raise[0].explanation.notes.some((n) => n.includes('deferred by quiet hours since 2024-01-03T00:00'))).toBe(true);
    // 23:00 is the first breach (debounce), 00:00 … 06:00 are deferred.
    expect(log.filter((l) => l.reason === 'QUIET_HOURS').map((l) => l.i)).toEqual([48, 49, 50, 51, 52, 53, 54]);
  });

  it('a deferred raise whose condition clears before morning is dropped', () => {
    const { events } = play(warm(), rule, hourly(45, [100, 100, 125, 125, 125, 100, 100, 100, 100, 100, 100, 100]));
    expect(events.filter((e) => e.type !== 'SUPPRESSED')).toEqual([]);
    expect(events.filter((e) => e.reason === 'QUIET_HOURS')).toHaveLength(2);
  });

  it('RED is never held: the YELLOW confirmed at 00:00 is deferred, RED confirmed at 01:00 goes out at once', () => {
    const { events } = play(warm(), rule, hourly(47, [200, 200, 200, 200]));
    expect(events.map((e) => [e.type, e.level, e.reason, e.at])).toEqual([
      ['SUPPRESSED', 'RED', 'DEBOUNCE', hour(47)],
      ['SUPPRESSED', 'YELLOW', 'QUIET_HOURS', hour(48)],
      ['RAISE', 'RED', null, hour(49)],
    ]);
  });

  it('releaseHeld at the end of quiet hours raises without waiting for the next observation', () => {
    const { state } = play(warm(), rule, hourly(47, [125, 125, 125]));
    expect(state.held?.type).toBe('RAISE');
    expect(releaseHeld(state, rule, hour(54) + 30 * 60_000).events).toEqual([]); // 06:30: still quiet
    const r = releaseHeld(state, rule, hour(55));
    expect(r.events.map((e) => [e.type, e.level, e.at])).toEqual([['RAISE', 'YELLOW', hour(55)]]);
    expect(r.state.held).toBeNull();
    expect(r.events[0].explanation.inputs.observedRate).toBe(125);
  });
});

describe('replay and ordering', () => {
  it('is deterministic: the same observations from the same state give identical events and state', () => {
    const rule = consumption();
    const obs = rates([120, 120, 145, 145, 145, 100, 100], W);
    const a = play(warmState(SKU, rule), rule, obs);
    const b = play(warmState(SKU, rule), rule, obs);
    expect(a.events).toEqual(b.events);
    expect(a.state).toEqual(b.state);
  });

  it('re-sending the newest observation is a no-op; an older one is reported OUT_OF_ORDER and ignored', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    const o = rates([120], W)[0];
    const r1 = evaluate(st, o, rule, o.at);
    const r2 = evaluate(r1.state, o, rule, o.at + 1000);
    expect(r2.events).toEqual([]);
    expect(r2.state).toBe(r1.state);
    const r3 = evaluate(r1.state, rates([500], W - 3)[0], rule, o.at);
    expect(r3.events.map((e) => e.reason)).toEqual(['OUT_OF_ORDER']);
    expect(r3.state.baseline).toEqual(r1.state.baseline);
    expect(r3.state.lastAt).toBe(r1.state.lastAt);
  });

  it('rejects inconsistent input with errors that name the field', () => {
    const rule = consumption();
    const st = createAlertState(SKU, 'CONSUMPTION_DEVIATION');
    expect(() => evaluate(st, { at: day(0), signal: { type: 'STOCK', onHand: 1 } }, rule, day(0))).toThrow(
      /observation\.signal\.type must be RATE/,
    );
    expect(() => evaluate(st, { at: day(0), signal: { type: 'RATE', value: -1 } }, rule, day(0))).toThrow(/signal\.value must be ≥ 0/);
    expect(() => evaluate(st, { at: NaN, signal: { type: 'RATE', value: 1 } }, rule, day(0))).toThrow(/observation\.at/);
    expect(() => evaluate(st, rates([1], 0)[0], { ...rule, periodMs: 0 }, day(0))).toThrow(/rule\.periodMs must be > 0/);
    expect(() => evaluate(st, rates([1], 0)[0], { ...rule, k: -1 }, day(0))).toThrow(/rule\.k must be > 0/);
    expect(() => evaluate(st, rates([1], 0)[0], { ...rule, kind: 'DATA_STALE' }, day(0))).toThrow(/rule\.kind must match/);
    expect(() => evaluate(st, rates([1], 0)[0], { ...rule, tiers: { yellow: 30, orange: 10, red: 60 } }, day(0))).toThrow(
      /tiers must increase/,
    );
  });

  it('state is never mutated', () => {
    const rule = consumption();
    const st = warmState(SKU, rule);
    const snapshot = JSON.stringify(st);
    play(st, rule, rates([200, 200, 200, 200, 100, 100], W));
    expect(JSON.stringify(st)).toBe(snapshot);
  });
});

describe('moving-average baseline option', () => {
  it('raises on the same incident with a 14-period moving average', () => {
    const rule = consumption({ method: 'MOVING_AVERAGE', window: 14 });
    const { log } = play(warmState(SKU, rule), rule, rates([125, 125, 100, 100], W), { offset: W });
    expect(log.map((l) => [l.i - W, l.type])).toEqual([
      [0, 'SUPPRESSED'],
      [1, 'RAISE'],
      [3, 'RESOLVE'],
    ]);
  });
});

describe('seasonality', () => {
  it('with seasonLength 7 the weekly peak is not an incident, while a real surge on a trough day is', () => {
    const pattern = [0.7, 0.8, 1, 1, 1.1, 1.3, 1.6];
    const rng = createRng(11);
    const values = Array.from({ length: 84 }, (_, i) => 100 * pattern[i % 7] * (1 + 0.03 * rng.normal()));
    const seasonal = consumption({ seasonLength: 7 });
    const plain = consumption();
    const s1 = play(createAlertState(SKU, 'CONSUMPTION_DEVIATION'), seasonal, rates(values, 0));
    expect(s1.events.filter((e) => e.type === 'RAISE')).toEqual([]);
    // Surge ×1.5 on two consecutive trough days (slots 0 and 1 of week 13).
    const surge = [0.7 * 150, 0.8 * 150];
    const withSeason = play(s1.state, seasonal, rates(surge, 84));
    expect(withSeason.events.map((e) => e.type)).toEqual(['SUPPRESSED', 'RAISE']);
    // The plain band has absorbed the weekly swing into σ and misses the same surge.
    const p1 = play(createAlertState(SKU, 'CONSUMPTION_DEVIATION'), plain, rates(values, 0));
    const withoutSeason = play(p1.state, plain, rates(surge, 84));
    expect(withoutSeason.events.filter((e) => e.type === 'RAISE')).toEqual([]);
  });
});

describe('DAY_MS grid sanity', () => {
  it('day(i) is the end of period i', () => {
    expect(day(0) - T0).toBe(DAY_MS);
  });
});
