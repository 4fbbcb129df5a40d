/**
 * Alert lifecycle OPEN → ACKNOWLEDGED (with a cause label) → RESOLVED, and the feedback the labels
 * give the thresholds:
 * - DATA_ERROR: every `widenAfter` (2) alerts of a subject labelled DATA_ERROR widen its band by
 *   `kStep` (0.5 σ), up to `kMaxBoost` (+2 σ) over the rule's k. Kinds without a band get one more
 *   debounce period instead (up to +2). Each change is returned and kept in state.feedback.adjustments
 *   with an explanation, so the planner can see why the subject alerts less.
 * - MARKETING: registers a known event on the subject from the alert's first breaching period to
 *   `knownEventUntil` (default: `knownEventPeriods` = 7 periods after the acknowledgement). Breaches
 *   inside it are SUPPRESSED(KNOWN_EVENT) and the promotion does not enter the baseline.
 */
import { Explainer } from '../explain';
import { closeOpenAlert, validateState } from './evaluate';
import { BAND_KINDS, resolveSettings } from './settings';
import {
  CAUSE_LABELS,
  type AlertEvent,
  type AlertRule,
  type AlertState,
  type CauseLabel,
  type ClosedAlert,
  type FeedbackAdjustment,
  type KnownEvent,
  type OpenAlert,
} from './types';

export interface AcknowledgeOptions {
  /** MARKETING: end of the known event (epoch ms); default now + knownEventPeriods × period. */
  knownEventUntil?: number;
}

export interface AcknowledgeResult {
  state: AlertState;
  /** The alert as acknowledged (an open one) or the resolved one that was labelled after the fact. */
  alert: OpenAlert | ClosedAlert;
  /** A threshold change caused by this label, with its explanation (null when none). */
  adjustment: FeedbackAdjustment | null;
  /** The known event this MARKETING label registered (null otherwise). */
  knownEvent: KnownEvent | null;
}

function checkCommon(state: AlertState, rule: AlertRule, alertId: string, now: number): void {
  validateState(state);
  if (rule?.kind !== state.kind) throw new TypeError(`rule.kind must match state.kind ${state.kind}, got ${String(rule?.kind)}`);
  if (typeof alertId !== 'string' || alertId === '') throw new TypeError('alertId must be a non-empty string');
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite epoch ms, got ${String(now)}`);
}

/**
 * Acknowledge the open alert with a cause, or label a recently resolved one (feedback still
 * counts). Relabelling the same alert replaces its label; a label is never counted twice.
 */
export function acknowledgeAlert(
  state: AlertState,
  rule: AlertRule,
  alertId: string,
  cause: CauseLabel,
  now: number,
  options: AcknowledgeOptions = {},
): AcknowledgeResult {
  checkCommon(state, rule, alertId, now);
  if (!CAUSE_LABELS.includes(cause)) throw new TypeError(`cause must be one of ${CAUSE_LABELS.join(', ')}, got ${String(cause)}`);
  if (options.knownEventUntil !== undefined && !Number.isFinite(options.knownEventUntil)) {
    throw new RangeError(`knownEventUntil must be a finite epoch ms, got ${String(options.knownEventUntil)}`);
  }
  const s = resolveSettings(rule, state.subject, state.feedback);
  const st: AlertState = {
    ...state,
    open: state.open ? { ...state.open } : null,
    knownEvents: [...state.knownEvents],
    recent: state.recent.map((r) => ({ ...r })),
    feedback: {
      ...state.feedback,
      pendingDataErrors: [...state.feedback.pendingDataErrors],
      labels: [...state.feedback.labels],
      adjustments: [...state.feedback.adjustments],
    },
  };

  let alert: OpenAlert | ClosedAlert;
  if (st.open && st.open.id === alertId) {
    st.open = { ...st.open, status: 'ACKNOWLEDGED', cause, acknowledgedAt: now, updatedAt: now };
    alert = st.open;
  } else {
    const i = st.recent.findIndex((r) => r.id === alertId);
    if (i < 0)
      throw new RangeError(`alertId ${alertId} is neither the open alert nor a recently resolved one of ${state.subject.id}/${state.kind}`);
    st.recent[i] = { ...st.recent[i], cause };
    alert = st.recent[i];
  }

  const fb = st.feedback;
  fb.labels = [...fb.labels.filter((l) => l.alertId !== alertId), { alertId, cause, at: now }].slice(-20);
  fb.pendingDataErrors = fb.pendingDataErrors.filter((id) => id !== alertId);

  let adjustment: FeedbackAdjustment | null = null;
  if (cause === 'DATA_ERROR') {
    fb.pendingDataErrors.push(alertId);
    if (fb.pendingDataErrors.length >= s.feedback.widenAfter) {
      const ids = [...fb.pendingDataErrors];
      fb.pendingDataErrors = [];
      const isBand = BAND_KINDS.includes(state.kind);
      const parameter = isBand ? 'k' : 'debouncePeriods';
      const before = isBand ? s.k : s.debounce;
      const boostBefore = isBand ? fb.kBoost : fb.debounceBoost;
      const step = isBand ? s.feedback.kStep : s.feedback.debounceStep;
      const bound = isBand ? s.feedback.kMaxBoost : s.feedback.debounceMaxBoost;
      const boostAfter = Math.min(bound, boostBefore + step);
      const ex = new Explainer(
        isBand
          ? 'feedback: k ← k + step after `widenAfter` DATA_ERROR labels, boost bounded'
          : 'feedback: debounce ← debounce + step after `widenAfter` DATA_ERROR labels, boost bounded',
        { widenAfter: s.feedback.widenAfter, step, maxBoost: bound, boostBefore },
      ).step('alerts labelled DATA_ERROR', ids.join(', '));
      if (boostAfter > boostBefore) {
        if (isBand) fb.kBoost = boostAfter;
        else fb.debounceBoost = boostAfter;
        const after = before + (boostAfter - boostBefore);
        ex.step(parameter, after, `${before} → ${after}`);
        ex.note(
          isBand
            ? `band of ${state.subject.id} widened from ±${before}σ to ±${after}σ: its alerts were repeatedly labelled DATA_ERROR`
            : `${state.subject.id} now needs ${after} consecutive periods before ${state.kind} alerts: repeatedly labelled DATA_ERROR`,
        );
        adjustment = { at: now, parameter, before, after, alertIds: ids, explanation: ex.build() };
      } else {
        ex.note(`already at the bound (+${bound}); no further change`);
        adjustment = { at: now, parameter, before, after: before, alertIds: ids, explanation: ex.build() };
      }
      fb.adjustments = [...fb.adjustments, adjustment].slice(-20);
    }
  }

  let knownEvent: KnownEvent | null = null;
  if (cause === 'MARKETING') {
    const until = options.knownEventUntil ?? now + s.knownEventPeriods * s.periodMs;
    if (until < alert.firstBreachAt) {
      throw new RangeError(`knownEventUntil must be ≥ the alert's first breach ${alert.firstBreachAt}, got ${until}`);
    }
    knownEvent = { id: `KE:${alertId}`, from: alert.firstBreachAt, to: until, label: `MARKETING (alert ${alertId})`, alertId };
    st.knownEvents = [...st.knownEvents.filter((k) => k.id !== knownEvent!.id), knownEvent].slice(-20);
  } else {
    // Relabelled away from MARKETING: withdraw the event it registered.
    st.knownEvents = st.knownEvents.filter((k) => k.alertId !== alertId);
  }
  return { state: st, alert, adjustment, knownEvent };
}

/** Manual resolution of the open alert: RESOLVE event, cool-down starts, runs restart. */
export function resolveAlert(
  state: AlertState,
  rule: AlertRule,
  alertId: string,
  now: number,
): { state: AlertState; events: AlertEvent[] } {
  checkCommon(state, rule, alertId, now);
  if (!state.open || state.open.id !== alertId)
    throw new RangeError(`alertId ${alertId} is not the open alert of ${state.subject.id}/${state.kind}`);
  const s = resolveSettings(rule, state.subject, state.feedback);
  const open = state.open;
  const st: AlertState = {
    ...state,
    recent: [...state.recent],
    runs: { YELLOW: 0, ORANGE: 0, RED: 0 },
    runStartedAt: null,
    held: null,
    seq: state.seq + 1,
  };
  closeOpenAlert(st, s, state.lastAt ?? now, now);
  const ex = new Explainer(`manual resolution of ${open.id}`, { level: open.level, status: open.status, cause: open.cause })
    .note(`re-arms after ${s.cooldown} periods; a breach still under way needs ${s.debounce} new consecutive periods to alert again`)
    .build();
  const event: AlertEvent = {
    id: `${state.subject.id}:${state.kind}:E${st.seq}`,
    type: 'RESOLVE',
    at: now,
    observedAt: state.lastAt ?? now,
    kind: state.kind,
    subjectId: state.subject.id,
    alertId: open.id,
    level: open.level,
    previousLevel: null,
    reason: null,
    consecutive: 0,
    required: 0,
    notify: true,
    explanation: ex,
  };
  return { state: st, events: [event] };
}
