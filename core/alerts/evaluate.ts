/**
 * The alert state machine: evaluate(state, observation, rule, now) → { state', events }.
 *
 * Per (subject, kind) it keeps consecutive-period runs per level, the one open alert, a re-arm
 * cool-down, a deferred (quiet-hours) transition and the learned baseline. Rules:
 * - A level L is confirmed after `need(L)` consecutive breaching periods at L or above:
 *   need = debounce D for the kind's base level, escalateAfter N for every level above it.
 * - No open alert: RAISE at the highest confirmed level (after D periods), unless inside the
 *   cool-down after the previous alert resolved (SUPPRESSED COOLDOWN).
 * - Open alert: ESCALATE when a higher level is confirmed (one alert per subject and kind; an update
 *   raises its level, never a second alert). Levels never go down while open.
 * - RESOLVE after `resolveAfter` consecutive CLEAR periods. CLEAR is stricter than "not breaching"
 *   (hysteresis): a NEUTRAL period neither breaches nor counts towards resolution.
 * - Anomalous, censored, value-less and excluded periods do not count and break the run (the
 *   breaching periods must be consecutive); they do not count towards resolution either. When they
 *   would have breached they yield SUPPRESSED(reason) so the audit trail shows what was held back.
 *   A gap longer than maxGapPeriods between observations breaks the runs too.
 * - Quiet hours: a non-RED RAISE/ESCALATE is deferred (SUPPRESSED QUIET_HOURS, the runs keep
 *   counting); at the first evaluation or `releaseHeld` call after quiet hours end it happens at the
 *   level the runs then confirm, or not at all if the condition has cleared meanwhile. RED is never held.
 * - Replaying an observation whose time equals the last one is a no-op; an older one is reported
 *   as SUPPRESSED OUT_OF_ORDER and otherwise ignored.
 */
import type { Explanation, ExplanationStep } from '../explain';
import { captureStaleness } from '../series/provenance';
import { emptyBaseline, updateBaseline } from './baseline';
import { baselineSettingsOf, classify, type Classification } from './classify';
import { findExclusion } from './exclusions';
import { ALERT_LEVELS_ASC, confirmedAbove, need } from './runs';
import { levelRank } from './levels';
import { isQuietAt } from './quietHours';
import { resolveSettings, type AlertSettings } from './settings';
import {
  ALERT_KINDS,
  SIGNAL_FOR_KIND,
  type AlertEvent,
  type AlertEventType,
  type AlertKind,
  type AlertLevel,
  type AlertObservation,
  type AlertRule,
  type AlertState,
  type AlertSubject,
  type EvaluationResult,
  type SuppressionReason,
} from './types';

export function createAlertState(subject: AlertSubject, kind: AlertKind): AlertState {
  if (!subject || typeof subject.id !== 'string' || subject.id === '') throw new TypeError('subject.id must be a non-empty string');
  if (subject.type !== 'PRODUCT' && subject.type !== 'COMPETITOR') {
    throw new TypeError(`subject.type must be PRODUCT or COMPETITOR, got ${String(subject.type)}`);
  }
  if (!ALERT_KINDS.includes(kind)) throw new TypeError(`kind must be one of ${ALERT_KINDS.join(', ')}, got ${String(kind)}`);
  return {
    version: 1,
    subject: { ...subject },
    kind,
    lastAt: null,
    baseline: emptyBaseline(null),
    runs: { YELLOW: 0, ORANGE: 0, RED: 0 },
    runStartedAt: null,
    clearRun: 0,
    open: null,
    cooldownUntil: null,
    held: null,
    knownEvents: [],
    feedback: { kBoost: 0, debounceBoost: 0, pendingDataErrors: [], labels: [], adjustments: [] },
    recent: [],
    seq: 0,
  };
}

/** Working copy: every nested object the machine mutates is copied. */
function cloneState(s: AlertState): AlertState {
  return {
    ...s,
    subject: { ...s.subject },
    baseline: s.baseline,
    runs: { ...s.runs },
    open: s.open ? { ...s.open } : null,
    held: s.held ? { ...s.held } : null,
    knownEvents: [...s.knownEvents],
    feedback: {
      ...s.feedback,
      pendingDataErrors: [...s.feedback.pendingDataErrors],
      labels: [...s.feedback.labels],
      adjustments: [...s.feedback.adjustments],
    },
    recent: [...s.recent],
  };
}

export function validateState(state: AlertState): void {
  if (!state || state.version !== 1) throw new TypeError(`state.version must be 1, got ${String(state?.version)}`);
  if (!ALERT_KINDS.includes(state.kind)) throw new TypeError(`state.kind must be an alert kind, got ${String(state.kind)}`);
}

function validateObservation(obs: AlertObservation, kind: AlertKind): void {
  if (!obs || typeof obs !== 'object') throw new TypeError('observation must be an object');
  if (!Number.isFinite(obs.at)) throw new RangeError(`observation.at must be a finite epoch ms, got ${String(obs.at)}`);
  const expected = SIGNAL_FOR_KIND[kind];
  if (!obs.signal || obs.signal.type !== expected) {
    throw new TypeError(`observation.signal.type must be ${expected} for ${kind}, got ${String(obs.signal?.type)}`);
  }
}

/** Shared per-call context for building events. */
interface Ctx {
  st: AlertState;
  s: AlertSettings;
  now: number;
  observedAt: number;
  base: Explanation;
  events: AlertEvent[];
}

function explanationWith(base: Explanation, steps: ExplanationStep[], notes: string[]): Explanation {
  return { ...base, inputs: { ...base.inputs }, steps: [...base.steps, ...steps], notes: [...base.notes, ...notes] };
}

function emit(
  c: Ctx,
  type: AlertEventType,
  f: {
    alertId: string | null;
    level: AlertLevel | null;
    previousLevel?: AlertLevel | null;
    reason?: SuppressionReason | null;
    consecutive: number;
    required: number;
    levelRule?: string | null;
    steps?: ExplanationStep[];
    notes?: string[];
  },
): void {
  c.st.seq += 1;
  const steps: ExplanationStep[] = [
    { label: 'consecutive periods', value: f.consecutive },
    { label: 'required periods', value: f.required },
  ];
  if (f.levelRule) steps.push({ label: 'level rule', value: f.levelRule });
  steps.push(...(f.steps ?? []));
  const notes = [...(f.notes ?? [])];
  if (type === 'SUPPRESSED' && f.reason) notes.push(`suppressed: ${f.reason}`);
  c.events.push({
    id: `${c.st.subject.id}:${c.st.kind}:E${c.st.seq}`,
    type,
    at: c.now,
    observedAt: c.observedAt,
    kind: c.st.kind,
    subjectId: c.st.subject.id,
    alertId: f.alertId,
    level: f.level,
    previousLevel: f.previousLevel ?? null,
    reason: f.reason ?? null,
    consecutive: f.consecutive,
    required: f.required,
    notify: type !== 'SUPPRESSED',
    explanation: explanationWith(c.base, steps, notes),
  });
}

function resetRuns(st: AlertState): void {
  st.runs = { YELLOW: 0, ORANGE: 0, RED: 0 };
  st.runStartedAt = null;
  st.held = null;
}

/** The level rule behind a transition to `target`: the tier rule itself when this period is at
 *  that level, else the confirmation by consecutive periods (e.g. RED-strength periods that have
 *  so far confirmed only YELLOW). */
function ruleFor(target: AlertLevel, run: number, observed: { level: AlertLevel; levelRule: string } | null): string {
  if (observed && observed.level === target) return observed.levelRule;
  const now = observed ? `; this period ${observed.levelRule}` : '';
  return `${target}: ${run} consecutive periods at ${target} or above${now}`;
}

type ObservedLevel = { level: AlertLevel; levelRule: string } | null;

/** Note on an event that was held by quiet hours and is released now. */
function heldNote(c: Ctx, quiet: boolean): string[] {
  return c.st.held && !quiet ? [`deferred by quiet hours since ${new Date(c.st.held.since).toISOString()}`] : [];
}

/**
 * No open alert: raise at the level the runs confirm (after `debounce` periods at the base level),
 * unless the cool-down after the last alert has not ended, or quiet hours defer a non-RED raise.
 */
function attemptRaise(c: Ctx, observed: ObservedLevel, quiet: boolean): void {
  const { st, s } = c;
  const target = st.runs[s.baseLevel] >= s.debounce ? confirmedAbove(st.runs, s, null) : null;
  if (!target) {
    if (observed) {
      emit(c, 'SUPPRESSED', {
        alertId: null,
        level: observed.level,
        reason: 'DEBOUNCE',
        consecutive: st.runs[s.baseLevel],
        required: s.debounce,
        levelRule: observed.levelRule,
      });
    }
    st.held = null;
    return;
  }
  const required = need(target, s);
  if (st.cooldownUntil !== null && c.observedAt < st.cooldownUntil) {
    if (observed) {
      emit(c, 'SUPPRESSED', {
        alertId: null,
        level: target,
        reason: 'COOLDOWN',
        consecutive: st.runs[target],
        required,
        levelRule: observed.levelRule,
        notes: [`re-arms at ${new Date(st.cooldownUntil).toISOString()} (${s.cooldown} periods after the last alert resolved)`],
      });
    }
    return;
  }
  if (quiet && target !== 'RED') {
    st.held = { type: 'RAISE', level: target, since: st.held?.since ?? c.now, explanation: c.base };
    emit(c, 'SUPPRESSED', {
      alertId: null,
      level: target,
      reason: 'QUIET_HOURS',
      consecutive: st.runs[target],
      required,
      levelRule: ruleFor(target, st.runs[target], observed),
      notes: ['non-RED raise deferred until quiet hours end; dropped if the condition clears first'],
    });
    return;
  }
  st.seq += 1;
  const alertId = `${st.subject.id}:${st.kind}:A${st.seq}`;
  st.open = {
    id: alertId,
    kind: st.kind,
    subjectId: st.subject.id,
    level: target,
    status: 'OPEN',
    openedAt: c.now,
    firstBreachAt: st.runStartedAt ?? c.observedAt,
    updatedAt: c.now,
    cause: null,
    acknowledgedAt: null,
  };
  emit(c, 'RAISE', {
    alertId,
    level: target,
    consecutive: st.runs[target],
    required,
    levelRule: ruleFor(target, st.runs[target], observed),
    notes: heldNote(c, quiet),
  });
  st.held = null;
}

/**
 * An open alert: escalate to a higher level once the runs confirm it (a higher period that is not
 * yet confirmed is suppressed as DEBOUNCE); quiet hours defer a non-RED escalation. Escalating an
 * acknowledged alert re-opens it.
 */
function attemptEscalate(c: Ctx, open: NonNullable<AlertState['open']>, observed: ObservedLevel, quiet: boolean): void {
  const { st, s } = c;
  const target = confirmedAbove(st.runs, s, open.level);
  if (!target) {
    if (observed && levelRank(observed.level) > levelRank(open.level)) {
      emit(c, 'SUPPRESSED', {
        alertId: open.id,
        level: observed.level,
        previousLevel: open.level,
        reason: 'DEBOUNCE',
        consecutive: st.runs[observed.level],
        required: need(observed.level, s),
        levelRule: observed.levelRule,
        notes: ['escalation needs more consecutive periods at this level'],
      });
    }
    st.held = null;
    return;
  }
  const required = need(target, s);
  if (quiet && target !== 'RED') {
    st.held = { type: 'ESCALATE', level: target, since: st.held?.since ?? c.now, explanation: c.base };
    emit(c, 'SUPPRESSED', {
      alertId: open.id,
      level: target,
      previousLevel: open.level,
      reason: 'QUIET_HOURS',
      consecutive: st.runs[target],
      required,
      levelRule: ruleFor(target, st.runs[target], observed),
      notes: ['non-RED escalation deferred until quiet hours end; dropped if the condition eases first'],
    });
    return;
  }
  const previous = open.level;
  const notes = heldNote(c, quiet);
  if (open.status === 'ACKNOWLEDGED') notes.push(`re-opened: it was acknowledged (${open.cause}) at ${previous}`);
  st.open = { ...open, level: target, status: 'OPEN', updatedAt: c.now };
  emit(c, 'ESCALATE', {
    alertId: open.id,
    level: target,
    previousLevel: previous,
    consecutive: st.runs[target],
    required,
    levelRule: ruleFor(target, st.runs[target], observed),
    notes,
  });
  st.held = null;
}

/**
 * Raise or escalate if the runs confirm a level. `observed` is the level of the current breaching
 * period (null on a release call, which only acts when a transition is due).
 */
function attemptTransition(c: Ctx, observed: ObservedLevel): void {
  const quiet = isQuietAt(c.now, c.s.quietHours);
  if (c.st.open) attemptEscalate(c, c.st.open, observed, quiet);
  else attemptRaise(c, observed, quiet);
}

/** Close the open alert (auto or manual) and start the re-arm cool-down. */
export function closeOpenAlert(st: AlertState, s: AlertSettings, observedAt: number, now: number): void {
  const open = st.open;
  if (!open) return;
  st.recent = [
    ...st.recent,
    { id: open.id, level: open.level, openedAt: open.openedAt, resolvedAt: now, firstBreachAt: open.firstBreachAt, cause: open.cause },
  ].slice(-10);
  st.open = null;
  st.cooldownUntil = s.cooldown > 0 ? observedAt + s.cooldown * s.periodMs : null;
  st.clearRun = 0;
}

function provenance(obs: AlertObservation, s: AlertSettings, now: number): Explanation['data'] | undefined {
  if (obs.source === undefined && obs.capturedAt === undefined) return undefined;
  const at = obs.capturedAt ?? null;
  const ageHours = at === null ? null : Math.max(0, now - at) / 3_600_000;
  return {
    source: obs.source ?? null,
    newestAt: at === null ? null : new Date(at).toISOString(),
    ageHours,
    stale: staleOf(obs, s, now),
  };
}

/**
 * `data.stale` of an alert's explanation. DATA_STALE: the one capture staleness rule (core/series
 * captureStaleness, as dataStatus.stale); other kinds: the newest reading is older than two periods.
 */
function staleOf(obs: AlertObservation, s: AlertSettings, now: number): boolean {
  const sig = obs.signal;
  if (sig.type === 'CAPTURE' && Number.isFinite(sig.expectedIntervalMs) && sig.expectedIntervalMs > 0) {
    return captureStaleness({
      now,
      newestCaptureAt: sig.lastCaptureAt,
      newestArrivedAt: sig.lastArrivedAt ?? null,
      intervalMs: sig.expectedIntervalMs,
      factor: s.staleFactor,
    }).stale;
  }
  const at = obs.capturedAt ?? null;
  return at === null ? true : now - at > 2 * s.periodMs;
}

function classificationLevel(cls: Classification): { level: AlertLevel | null; levelRule: string | null } {
  if (cls.status === 'BREACH') return { level: cls.level, levelRule: cls.levelRule };
  if (cls.status === 'UNKNOWN') return { level: cls.wouldBe, levelRule: cls.levelRule };
  return { level: null, levelRule: null };
}

/** An observation older than the last evaluated one is suppressed as OUT_OF_ORDER and changes nothing else. */
function outOfOrder(st: AlertState, s: AlertSettings, observedAt: number, now: number): AlertEvent[] {
  const c: Ctx = { st, s, now, observedAt, base: s.explanation, events: [] };
  emit(c, 'SUPPRESSED', {
    alertId: st.open?.id ?? null,
    level: null,
    reason: 'OUT_OF_ORDER',
    consecutive: 0,
    required: 0,
    notes: [`observation at ${observedAt} is older than the last evaluated one at ${st.lastAt}`],
  });
  return c.events;
}

/** A gap of more than maxGapPeriods since the last observation restarts the runs: periods must be consecutive. */
function restartAfterGap(st: AlertState, s: AlertSettings, observedAt: number): ExplanationStep[] {
  if (st.lastAt === null || !(observedAt - st.lastAt > s.maxGapPeriods * s.periodMs)) return [];
  const steps: ExplanationStep[] = [];
  const periods = (observedAt - st.lastAt) / s.periodMs;
  if (st.runs.YELLOW + st.runs.ORANGE + st.runs.RED > 0 || st.clearRun > 0) {
    steps.push({ label: 'gap (periods)', value: Number(periods.toFixed(2)), note: 'runs restarted: not consecutive' });
  }
  resetRuns(st);
  st.clearRun = 0;
  return steps;
}

/** Season length set or changed: keep the level and spread, relearn the factors; unset: drop them. */
function alignSeasonality(st: AlertState, s: AlertSettings): void {
  if (s.seasonLength && (!st.baseline.seasonal || st.baseline.seasonal.length !== s.seasonLength)) {
    const fresh = emptyBaseline(s.seasonLength);
    st.baseline = { ...st.baseline, seasonal: fresh.seasonal, seasonalCounts: fresh.seasonalCounts };
  } else if (!s.seasonLength && st.baseline.seasonal) {
    st.baseline = { ...st.baseline, seasonal: null, seasonalCounts: null };
  }
}

/**
 * Why this period does not count, if it does not: an anomalous observation, an unknown
 * classification (its own reason), or a breach inside an exclusion window or known event.
 */
function gateOf(
  obs: AlertObservation,
  cls: Classification,
  exclusion: ReturnType<typeof findExclusion>,
): { gate: SuppressionReason | null; gateNotes: string[] } {
  if (obs.anomaly) return { gate: 'ANOMALY', gateNotes: obs.anomaly.reasons.map((r) => `anomaly: ${r}`) };
  if (cls.status === 'UNKNOWN') return { gate: cls.reason, gateNotes: [] };
  if (cls.status === 'BREACH' && exclusion)
    return {
      gate: exclusion.type,
      gateNotes: [`${exclusion.type === 'EXCLUDED' ? 'exclusion rule' : 'known event'} ${exclusion.id}: ${exclusion.reason}`],
    };
  return { gate: null, gateNotes: [] };
}

export function evaluate(state: AlertState, observation: AlertObservation, rule: AlertRule, now: number): EvaluationResult {
  validateState(state);
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite epoch ms, got ${String(now)}`);
  if (rule?.kind !== state.kind) throw new TypeError(`rule.kind must match state.kind ${state.kind}, got ${String(rule?.kind)}`);
  validateObservation(observation, state.kind);
  const s = resolveSettings(rule, state.subject, state.feedback);
  const st = cloneState(state);
  const obs = observation;

  if (st.lastAt !== null && obs.at <= st.lastAt) {
    if (obs.at === st.lastAt) return { state, events: [] };
    return { state: st, events: outOfOrder(st, s, obs.at, now) };
  }
  const gapSteps = restartAfterGap(st, s, obs.at);
  alignSeasonality(st, s);

  const { cls, explainer, band, learnValue } = classify(obs, st.baseline, s, now);
  for (const g of gapSteps) explainer.step(g.label, g.value, g.note);
  const data = provenance(obs, s, now);
  if (data) explainer.data(data);
  for (const n of s.explanation.steps) explainer.step(`setting: ${n.label}`, n.value, n.note);
  explainer.input('profileReason', s.profileReason);
  const c: Ctx = { st, s, now, observedAt: obs.at, base: explainer.build(), events: [] };

  const anomalous = !!obs.anomaly;
  const exclusion = findExclusion(s.exclusions, st.knownEvents, st.subject.id, st.kind, obs.at);

  // Learn the baseline from ordinary data only: anomalies, censored values and excluded windows
  // (known promotions) must not drag the band.
  if (band && learnValue !== null && !anomalous && !exclusion) {
    // A breaching value is learned with reduced weight (see baseline.ts), and so is a value above
    // the band while an incident is under way (open alert or breach run). Outside incidents, values
    // between the band and the YELLOW edge are ordinary noise often enough (≈ 3 % of periods at
    // k ≈ 1.8) that damping them would bias σ low.
    const inIncident = st.open !== null || st.runs.YELLOW + st.runs.ORANGE + st.runs.RED > 0;
    const damped = band.armed && (cls.status === 'BREACH' || (cls.status === 'NEUTRAL' && inIncident));
    st.baseline = updateBaseline(st.baseline, learnValue, baselineSettingsOf(s), band, obs.at, damped);
  }

  const { level: wouldBe, levelRule } = classificationLevel(cls);
  const { gate, gateNotes } = gateOf(obs, cls, exclusion);

  let transitioned = false;
  if (gate) {
    if (wouldBe) {
      emit(c, 'SUPPRESSED', {
        alertId: st.open?.id ?? null,
        level: wouldBe,
        previousLevel: st.open?.level ?? null,
        reason: gate,
        consecutive: st.runs[wouldBe],
        required: need(wouldBe, s),
        levelRule,
        notes: [...gateNotes, 'not counted; the consecutive run restarts'],
      });
    }
    // A period without a usable reading is not a period "over": runs must be consecutive. (Holding
    // the run across such holes let every-other-day bursts with a restock day between them alert.)
    resetRuns(st);
  } else if (cls.status === 'BREACH') {
    for (const l of ALERT_LEVELS_ASC) st.runs[l] = levelRank(l) <= levelRank(cls.level) ? st.runs[l] + 1 : 0;
    st.runStartedAt ??= obs.at;
    st.clearRun = 0;
    attemptTransition(c, { level: cls.level, levelRule: cls.levelRule });
    transitioned = true;
  } else if (cls.status === 'CLEAR') {
    resetRuns(st);
    st.clearRun += 1;
    if (st.open && st.clearRun >= s.resolveAfter) {
      const open = st.open;
      emit(c, 'RESOLVE', {
        alertId: open.id,
        level: open.level,
        consecutive: st.clearRun,
        required: s.resolveAfter,
        notes: [`${st.clearRun} consecutive clear periods; re-arms after ${s.cooldown} periods`],
      });
      closeOpenAlert(st, s, obs.at, now);
    }
  } else {
    // NEUTRAL: between the breach and the clear threshold — the run is broken, nothing resolves.
    resetRuns(st);
    st.clearRun = 0;
  }

  if (!transitioned && st.held && !isQuietAt(now, s.quietHours)) attemptTransition(c, null);
  st.lastAt = obs.at;
  return { state: st, events: c.events };
}

/**
 * Scheduled call at (or after) the end of quiet hours: performs a deferred raise/escalation if the
 * runs still confirm it. A no-op when nothing is held or quiet hours still apply.
 */
export function releaseHeld(state: AlertState, rule: AlertRule, now: number): EvaluationResult {
  validateState(state);
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite epoch ms, got ${String(now)}`);
  if (rule?.kind !== state.kind) throw new TypeError(`rule.kind must match state.kind ${state.kind}, got ${String(rule?.kind)}`);
  const s = resolveSettings(rule, state.subject, state.feedback);
  if (!state.held || isQuietAt(now, s.quietHours)) return { state, events: [] };
  const st = cloneState(state);
  const c: Ctx = { st, s, now, observedAt: st.lastAt ?? now, base: st.held!.explanation, events: [] };
  attemptTransition(c, null);
  return { state: st, events: c.events };
}
