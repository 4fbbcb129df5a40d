import { describe, expect, it } from 'vitest';
import {
  acknowledgeAlert,
  baselineBand,
  baselineSettingsOf,
  createAlertState,
  evaluate,
  resolveAlert,
  resolveSettings,
} from '../../../core/alerts';
import type { AlertState } from '../../../core/alerts';
import { DAY_MS } from '../../../core/series/types';
import { SKU, WARM, consumption, day, play, rates, warmState } from './play';

const W = WARM.length;
const WIDE = Array.from({ length: 20 }, (_, i) => (i % 2 ? 110 : 90)); // mean ≈ 100, σ ≈ 10

/** Play an incident at `value` for 2 periods from period `at`, then 5 ordinary periods (resolve + cool-down). */
function incident(st: AlertState, at: number, value: number, ordinary = [100, 100, 100, 100, 100]) {
  const rule = consumption();
  return play(st, rule, rates([value, value, ...ordinary], at));
}
const WIDE_ORDINARY = [90, 110, 90, 110, 90];

describe('acknowledge with a cause label', () => {
  it('OPEN → ACKNOWLEDGED keeps the alert open; labelling twice is counted once; relabelling replaces', () => {
    const rule = consumption();
    const p = play(warmState(SKU, rule), rule, rates([125, 125], W));
    const id = p.events.find((e) => e.type === 'RAISE')!.alertId!;
    const a1 = acknowledgeAlert(p.state, rule, id, 'DATA_ERROR', day(W + 1) + 1000);
    expect(a1.state.open).toMatchObject({ id, status: 'ACKNOWLEDGED', cause: 'DATA_ERROR', acknowledgedAt: day(W + 1) + 1000 });
    expect(a1.adjustment).toBeNull();
    const a2 = acknowledgeAlert(a1.state, rule, id, 'DATA_ERROR', day(W + 1) + 2000);
    expect(a2.state.feedback.pendingDataErrors).toEqual([id]);
    expect(a2.adjustment).toBeNull();
    const a3 = acknowledgeAlert(a2.state, rule, id, 'SUPPLY_DELAY', day(W + 1) + 3000);
    expect(a3.state.feedback.pendingDataErrors).toEqual([]);
    expect(a3.state.feedback.labels.map((l) => l.cause)).toEqual(['SUPPLY_DELAY']);
    // The input state is untouched.
    expect(p.state.open!.status).toBe('OPEN');
  });

  it('a resolved alert can be labelled after the fact; unknown ids and labels are rejected', () => {
    const rule = consumption();
    const p = incident(warmState(SKU, rule), W, 125);
    const id = p.events.find((e) => e.type === 'RAISE')!.alertId!;
    expect(p.state.open).toBeNull();
    const a = acknowledgeAlert(p.state, rule, id, 'COMPETITOR_EVENT', day(W + 7));
    expect(a.alert).toMatchObject({ id, cause: 'COMPETITOR_EVENT' });
    expect(() => acknowledgeAlert(p.state, rule, 'nope', 'OTHER', day(W + 7))).toThrow(/alertId nope is neither/);
    expect(() => acknowledgeAlert(p.state, rule, id, 'BOGUS' as never, day(W + 7))).toThrow(/cause must be one of/);
  });
});

describe('DATA_ERROR feedback widens the band, bounded, and says so', () => {
  it('two DATA_ERROR alerts widen k 2 → 2.5; the same deviation then no longer alerts', () => {
    const rule = consumption();
    const first = incident(warmState(SKU, rule, WIDE), W, 150, WIDE_ORDINARY);
    const id1 = first.events.find((e) => e.type === 'RAISE')!.alertId!;
    const ack1 = acknowledgeAlert(first.state, rule, id1, 'DATA_ERROR', day(W + 7));
    expect(ack1.adjustment).toBeNull();
    const second = incident(ack1.state, W + 7, 150, WIDE_ORDINARY);
    const id2 = second.events.find((e) => e.type === 'RAISE')!.alertId!;
    const ack2 = acknowledgeAlert(second.state, rule, id2, 'DATA_ERROR', day(W + 14));
    const adj = ack2.adjustment!;
    expect(adj).toMatchObject({ parameter: 'k', before: 2, after: 2.5, alertIds: [id1, id2] });
    expect(adj.explanation.notes.join(' ')).toMatch(/band of sku-1 widened from ±2σ to ±2.5σ/);
    expect(ack2.state.feedback.adjustments).toEqual([adj]);

    // Same baseline, with and without the feedback: a deviation between the two YELLOW thresholds
    // (1.1 × upper band at k = 2 and at k = 2.5) alerts only without it.
    const widened = ack2.state;
    const unwidened: AlertState = { ...widened, feedback: { ...widened.feedback, kBoost: 0 } };
    const bs = baselineSettingsOf(resolveSettings(rule, SKU, widened.feedback));
    const at = day(W + 14);
    const y2 = 1.1 * baselineBand(widened.baseline, bs, 2, at).upper;
    const y25 = 1.1 * baselineBand(widened.baseline, bs, 2.5, at).upper;
    const band2 = baselineBand(widened.baseline, bs, 2, at);
    const band25 = baselineBand(widened.baseline, bs, 2.5, at);
    expect(y25 - y2).toBeCloseTo(1.1 * (band25.k - band2.k) * band2.sd, 9);
    expect(band25.k).toBeGreaterThan(band2.k + 0.5);
    const v = (y2 + y25) / 2;
    expect(play(unwidened, rule, rates([v, v], W + 14)).events.map((e) => e.type)).toEqual(['SUPPRESSED', 'RAISE']);
    expect(play(widened, rule, rates([v, v], W + 14)).events).toEqual([]);
    // …and the explanation of any later event shows the widened k and where it came from.
    const later = play(widened, rule, rates([300], W + 14));
    expect(later.events[0].explanation.inputs.k).toBe(2.5);
    expect(later.events[0].explanation.steps.find((s) => s.label === 'setting: k')?.note).toBe(
      '2 (rule) × 1 (STANDARD) + 0.5 (DATA_ERROR feedback)',
    );
  });

  it('k never grows beyond k + 2, and the adjustment at the bound says so', () => {
    const rule = consumption();
    let st = warmState(SKU, rule, WIDE);
    const ks: number[] = [];
    for (let i = 0; i < 12; i++) {
      const p = incident(st, W + 7 * i, 600, WIDE_ORDINARY);
      const raise = p.events.find((e) => e.type === 'RAISE');
      expect(raise).toBeDefined();
      const a = acknowledgeAlert(p.state, rule, raise!.alertId!, 'DATA_ERROR', day(W + 7 * i + 7));
      if (a.adjustment) ks.push(a.adjustment.after);
      st = a.state;
    }
    expect(ks).toEqual([2.5, 3, 3.5, 4, 4, 4]);
    expect(st.feedback.kBoost).toBe(2);
    expect(st.feedback.adjustments.at(-1)!.explanation.notes.join(' ')).toMatch(/already at the bound/);
  });

  it('kinds without a band get one more debounce period instead', () => {
    const rule = { id: 'r-ss', kind: 'SAFETY_STOCK_BREACH' as const, periodMs: DAY_MS };
    let ss = createAlertState(SKU, 'SAFETY_STOCK_BREACH');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const p = play(ss, rule, [
        { at: day(100 + 3 * i), signal: { type: 'STOCK', onHand: 10, safetyStock: 100 } },
        { at: day(101 + 3 * i), signal: { type: 'STOCK', onHand: 200, safetyStock: 100 } },
      ]);
      ids.push(p.events.find((e) => e.type === 'RAISE')!.alertId!);
      ss = p.state;
    }
    const a1 = acknowledgeAlert(ss, rule, ids[0], 'DATA_ERROR', day(107));
    const a2 = acknowledgeAlert(a1.state, rule, ids[1], 'DATA_ERROR', day(107));
    expect(a2.adjustment).toMatchObject({ parameter: 'debouncePeriods', before: 1, after: 2 });
    const p = play(a2.state, rule, [
      { at: day(110), signal: { type: 'STOCK', onHand: 10, safetyStock: 100 } },
      { at: day(111), signal: { type: 'STOCK', onHand: 10, safetyStock: 100 } },
    ]);
    expect(p.events.map((e) => [e.type, e.reason])).toEqual([
      ['SUPPRESSED', 'DEBOUNCE'],
      ['RAISE', null],
    ]);
  });
});

describe('MARKETING registers a known event', () => {
  it('breaches inside it are SUPPRESSED(KNOWN_EVENT) and not learned; after it the alert escalates and re-opens', () => {
    const rule = consumption();
    const p = play(warmState(SKU, rule), rule, rates([125, 125], W));
    const id = p.events.find((e) => e.type === 'RAISE')!.alertId!;
    const ack = acknowledgeAlert(p.state, rule, id, 'MARKETING', day(W + 1) + 1, { knownEventUntil: day(W + 5) });
    expect(ack.knownEvent).toEqual({ id: `KE:${id}`, from: day(W), to: day(W + 5), label: `MARKETING (alert ${id})`, alertId: id });
    const n0 = ack.state.baseline.n;
    const q = play(ack.state, rule, rates([200, 200, 200, 200], W + 2), { offset: W + 2 });
    expect(q.log.map((l) => [l.i - W, l.type, l.reason])).toEqual([
      [2, 'SUPPRESSED', 'KNOWN_EVENT'],
      [3, 'SUPPRESSED', 'KNOWN_EVENT'],
      [4, 'SUPPRESSED', 'KNOWN_EVENT'],
      [5, 'SUPPRESSED', 'KNOWN_EVENT'],
    ]);
    expect(q.state.baseline.n).toBe(n0);
    expect(q.state.open!.status).toBe('ACKNOWLEDGED');
    const r = play(q.state, rule, rates([200, 200, 200], W + 6), { offset: W + 6 });
    expect(r.log.map((l) => [l.i - W, l.type, l.level, l.reason])).toEqual([
      [6, 'SUPPRESSED', 'RED', 'DEBOUNCE'],
      [7, 'SUPPRESSED', 'RED', 'DEBOUNCE'],
      [8, 'ESCALATE', 'RED', null],
    ]);
    expect(r.state.open!.status).toBe('OPEN');
    expect(r.events.at(-1)!.explanation.notes.join(' ')).toMatch(/re-opened: it was acknowledged \(MARKETING\) at YELLOW/);
  });

  it('default known event lasts 7 periods from the acknowledgement; relabelling withdraws it', () => {
    const rule = consumption();
    const p = play(warmState(SKU, rule), rule, rates([125, 125], W));
    const id = p.events.find((e) => e.type === 'RAISE')!.alertId!;
    const now = day(W + 1) + 5000;
    const ack = acknowledgeAlert(p.state, rule, id, 'MARKETING', now);
    expect(ack.knownEvent!.to).toBe(now + 7 * DAY_MS);
    const re = acknowledgeAlert(ack.state, rule, id, 'OTHER', now + 1);
    expect(re.state.knownEvents).toEqual([]);
  });
});

describe('manual resolution', () => {
  it('emits RESOLVE, starts the cool-down and restarts the runs', () => {
    const rule = consumption();
    const p = play(warmState(SKU, rule), rule, rates([125, 125], W));
    const id = p.state.open!.id;
    const r = resolveAlert(p.state, rule, id, day(W + 1) + 10);
    expect(r.events.map((e) => [e.type, e.alertId, e.level, e.notify])).toEqual([['RESOLVE', id, 'YELLOW', true]]);
    expect(r.state.open).toBeNull();
    expect(r.state.cooldownUntil).toBe(day(W + 1) + 3 * DAY_MS);
    // Still breaching: periods W+2, W+3 are inside the cool-down, W+4 raises a new alert.
    const q = play(r.state, rule, rates([125, 125, 125], W + 2), { offset: W + 2 });
    expect(q.log.map((l) => [l.i - W, l.type, l.reason])).toEqual([
      [2, 'SUPPRESSED', 'DEBOUNCE'],
      [3, 'SUPPRESSED', 'COOLDOWN'],
      [4, 'RAISE', null],
    ]);
    expect(q.events.at(-1)!.alertId).not.toBe(id);
    expect(() => resolveAlert(r.state, rule, id, day(W + 2))).toThrow(/is not the open alert/);
  });

  it('evaluation after acknowledgement keeps the acknowledged status while nothing escalates', () => {
    const rule = consumption();
    const p = play(warmState(SKU, rule), rule, rates([125, 125], W));
    const ack = acknowledgeAlert(p.state, rule, p.state.open!.id, 'SUPPLY_DELAY', day(W + 1) + 1);
    const r = evaluate(ack.state, rates([125], W + 2)[0], rule, day(W + 2));
    expect(r.events).toEqual([]);
    expect(r.state.open!.status).toBe('ACKNOWLEDGED');
  });
});
