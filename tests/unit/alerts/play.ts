/** Helpers for scenario tests: play observations through the evaluator and keep a compact log. */
import { createAlertState, evaluate } from '../../../core/alerts';
import type { AlertEvent, AlertKind, AlertObservation, AlertRule, AlertState, AlertSubject } from '../../../core/alerts';
import { DAY_MS } from '../../../core/series/types';

export const T0 = Date.UTC(2024, 0, 1);
/** End of period i (0-based) on a daily grid. */
export const day = (i: number): number => T0 + (i + 1) * DAY_MS;

export interface Logged {
  i: number;
  type: AlertEvent['type'];
  level: AlertEvent['level'];
  reason: AlertEvent['reason'];
}

export interface Played {
  state: AlertState;
  events: AlertEvent[];
  log: Logged[];
}

/** Play `obs` in order (now = observation time unless `nowOf` says otherwise). */
export function play(
  state: AlertState,
  rule: AlertRule,
  obs: AlertObservation[],
  opts: { offset?: number; nowOf?: (o: AlertObservation) => number } = {},
): Played {
  let st = state;
  const events: AlertEvent[] = [];
  const log: Logged[] = [];
  obs.forEach((o, j) => {
    const r = evaluate(st, o, rule, opts.nowOf ? opts.nowOf(o) : o.at);
    st = r.state;
    for (const e of r.events) {
      events.push(e);
      log.push({ i: (opts.offset ?? 0) + j, type: e.type, level: e.level, reason: e.reason });
    }
  });
  return { state: st, events, log };
}

export const rates = (
  values: number[],
  start: number,
  extra: Partial<Extract<AlertObservation['signal'], { type: 'RATE' }>> = {},
): AlertObservation[] => values.map((v, j) => ({ at: day(start + j), signal: { type: 'RATE', value: v, ...extra } }));

/** 20 warm-up periods alternating 98/102: mean ≈ 100, σ ≈ 2, so with k = 2 the upper band is ≈ 104. */
export const WARM = Array.from({ length: 20 }, (_, i) => (i % 2 ? 102 : 98));

export function warmState(subject: AlertSubject, rule: AlertRule, warm: number[] = WARM): AlertState {
  return play(createAlertState(subject, rule.kind as AlertKind), rule, rates(warm, 0)).state;
}

export const SKU: AlertSubject = { id: 'sku-1', type: 'PRODUCT', abcClass: 'B' };
export const SKU_A: AlertSubject = { id: 'sku-a', type: 'PRODUCT', abcClass: 'A' };
export const consumption = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r-cons',
  kind: 'CONSUMPTION_DEVIATION',
  periodMs: DAY_MS,
  ...over,
});
