/**
 * Types of the alert evaluator. The evaluator is a pure state machine: the server stores one
 * `AlertState` per (subject, kind), feeds it observations and persists what comes back, so a replay
 * of the same observations from the same state yields the same events (ids included).
 */
import type { Explanation } from '../explain';
import type { ReconciliationReport } from '../anomalies/reconcile';

export const ALERT_KINDS = [
  'CONSUMPTION_DEVIATION',
  'SAFETY_STOCK_BREACH',
  'REORDER_POINT_REACHED',
  'SELLOUT_IMMINENT',
  'COMPETITOR_DEAL_STARTED',
  'COMPETITOR_RESTOCK',
  'COMPETITOR_STOCKOUT',
  'DATA_STALE',
  'RECONCILIATION_MISMATCH',
  'CONSUMPTION_RATE',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Ordered from least to most severe; comparisons use `levelRank`. */
export const ALERT_LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const CAUSE_LABELS = ['MARKETING', 'DATA_ERROR', 'SUPPLY_DELAY', 'COMPETITOR_EVENT', 'OTHER'] as const;
export type CauseLabel = (typeof CAUSE_LABELS)[number];

export type AlertStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';

export const SUPPRESSION_REASONS = [
  /** A breach counted towards the consecutive-period requirement but has not met it yet. */
  'DEBOUNCE',
  /** An exclusion rule of the alert rule covers the subject, kind and time. */
  'EXCLUDED',
  /** A known event (e.g. registered by a MARKETING acknowledgement) covers the time. */
  'KNOWN_EVENT',
  /** core/anomalies flagged the underlying snapshot(s) as a data glitch. */
  'ANOMALY',
  /** The figure is a bound, not a measurement (capped stock such as "10+" or "999+"). */
  'CENSORED',
  /** The signal carried no usable value. */
  'NO_DATA',
  /** Too little history and no category/tier prior: no band yet. */
  'INSUFFICIENT_HISTORY',
  /** A new alert would open within the re-arm cool-down after the last one resolved. */
  'COOLDOWN',
  /** A non-RED raise or escalation was deferred until quiet hours end. */
  'QUIET_HOURS',
  /** The observation is older than one already evaluated. */
  'OUT_OF_ORDER',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export type SubjectType = 'PRODUCT' | 'COMPETITOR';
export type AbcClass = 'A' | 'B' | 'C';
export type CompetitorTier = 'CORE' | 'GENERAL' | 'POTENTIAL';

export interface AlertSubject {
  /** Stable id (product sku or competitor id); used in alert and event ids. */
  id: string;
  type: SubjectType;
  abcClass?: AbcClass | null;
  tier?: CompetitorTier | null;
  category?: string | null;
}

/** What one observation says, by kind of rule (see `SIGNAL_FOR_KIND`). */
export type AlertSignal =
  | {
      /** Consumption (burn) rate over one completed period, in units per period. */
      type: 'RATE';
      value: number | null;
      /** True when the figure is a bound rather than a measurement (censored stock at either end). */
      censored?: boolean;
      /** Optional stock context: RED when the rate breaches and on hand is below safety stock. */
      onHand?: number | null;
      safetyStock?: number | null;
    }
  | {
      type: 'STOCK';
      onHand: number | null;
      inTransit?: number | null;
      safetyStock?: number | null;
      reorderPoint?: number | null;
      /** True when on hand is a lower bound (capped source): the real stock is ≥ onHand. */
      censored?: boolean;
    }
  | {
      /** P50 sell-out ETA in hours from now; null when the drain never sells out. */
      type: 'SELLOUT_ETA';
      etaHours: number | null;
    }
  | {
      /** A derived competitor event: true while a deal is live / a restock was detected in this
       *  period / a stockout window is open. */
      type: 'EVENT';
      active: boolean;
      detail?: string | null;
    }
  | {
      type: 'CAPTURE';
      /** Epoch ms of the newest capture, null when nothing was ever captured. */
      lastCaptureAt: number | null;
      /** When the newest capture arrived (ingest time); omitted or null: its capture time. */
      lastArrivedAt?: number | null;
      /** How often captures are expected (the competitor's check interval). */
      expectedIntervalMs: number;
    }
  | {
      type: 'RECONCILIATION';
      report: ReconciliationReport;
    }
  | {
      /**
       * CONSUMPTION_RATE: units consumed in the rolling window (t − W, t] ending at the observation and
       * the units the hour-of-day baseline expects in it (core/alerts/rate.ts windowCount, expectedCount).
       */
      type: 'WINDOW_RATE';
      /** Units in the window; null when too little of the window is measured. */
      observed: number | null;
      /** Expected units in the window; null while the baseline has too little history. */
      expected: number | null;
      /** True when `observed` is a lower bound (censored stock in the window). */
      lowerBound?: boolean;
      /** What the units are, e.g. "order sales" or "stock drain and deal claims". */
      what?: string | null;
    };
export type SignalType = AlertSignal['type'];

export const SIGNAL_FOR_KIND: Record<AlertKind, SignalType> = {
  CONSUMPTION_DEVIATION: 'RATE',
  SAFETY_STOCK_BREACH: 'STOCK',
  REORDER_POINT_REACHED: 'STOCK',
  SELLOUT_IMMINENT: 'SELLOUT_ETA',
  COMPETITOR_DEAL_STARTED: 'EVENT',
  COMPETITOR_RESTOCK: 'EVENT',
  COMPETITOR_STOCKOUT: 'EVENT',
  DATA_STALE: 'CAPTURE',
  RECONCILIATION_MISMATCH: 'RECONCILIATION',
  CONSUMPTION_RATE: 'WINDOW_RATE',
};

export interface AnomalyMark {
  /** Human-readable reasons from core/anomalies (e.g. "SPIKE: stock 480 → 12 → 476"). */
  reasons: string[];
}

export interface AlertObservation {
  /** End of the observed period (or the moment observed), epoch ms. */
  at: number;
  signal: AlertSignal;
  /** Set when core/anomalies flagged the data behind this observation: it must not alert. */
  anomaly?: AnomalyMark | null;
  /** Provenance for the explanation: where the newest reading came from and when. */
  source?: string | null;
  capturedAt?: number | null;
}

/** Exclusion rule: no alerts for matching subject/kind inside the window (either bound optional). */
export interface ExclusionRule {
  id: string;
  /** Omitted or null: every subject. */
  subjectId?: string | null;
  /** Omitted or empty: every kind. */
  kinds?: AlertKind[] | null;
  from?: number | null;
  to?: number | null;
  reason: string;
}

/** A known event on one subject (promotion, stock transfer …): breaches inside are expected. */
export interface KnownEvent {
  id: string;
  from: number;
  to: number;
  label: string;
  /** The acknowledged alert that registered it, when it came from feedback. */
  alertId: string | null;
}

/** Local quiet hours: minutes after local midnight; may wrap past midnight (22:00 → 07:00). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
  /** Local time = UTC + offset (fixed offset keeps core free of time-zone tables). */
  utcOffsetMinutes: number;
}

/** Category/tier parameters a subject with little history borrows (see baseline.ts). */
export interface BaselinePrior {
  /** Typical rate of the peer group; null when only the dispersion is borrowed. */
  mean: number | null;
  /** Typical coefficient of variation σ/μ of the peer group. */
  cv: number;
  /** Pseudo-observations: the prior weighs strength/(n + strength) after n own observations. */
  strength: number;
  /** Where it came from, e.g. "category Kitchen (42 subjects)". */
  source: string;
}

export type BaselineMethod = 'EWMA' | 'MOVING_AVERAGE';
export type AlertProfile = 'STRICT' | 'STANDARD' | 'LENIENT';

/**
 * A rule as configured by the user. Every numeric field is optional: omitted fields take the
 * kind's STANDARD default, then the subject's profile (ABC A / tier CORE → STRICT) is applied on top.
 */
export interface AlertRule {
  id: string;
  kind: AlertKind;
  /** Length of one evaluation period (e.g. DAY_MS for daily consumption). Required. */
  periodMs: number;
  /** 'AUTO' (default) picks the profile from the subject's ABC class / competitor tier. */
  profile?: AlertProfile | 'AUTO';
  method?: BaselineMethod;
  /** Band half-width in σ before profile and feedback. */
  k?: number;
  alpha?: number;
  /** Smoothing of the EW variance (default alpha / 2). */
  alphaVariance?: number;
  window?: number;
  /** Periods per seasonal cycle (7 for daily data with a weekly pattern); null = none. */
  seasonLength?: number | null;
  seasonGamma?: number;
  minHistory?: number;
  prior?: BaselinePrior | null;
  /** Widen k while σ rests on few observations (Student-t prediction factor); default true. */
  smallSampleCorrection?: boolean;
  /** The upper band is never below this rate (units/period): avoids % over a near-zero band. */
  minUpper?: number;
  /** % over the upper band where YELLOW, ORANGE and RED start. */
  tiers?: { yellow: number; orange: number; red: number };
  debouncePeriods?: number;
  escalateAfterPeriods?: number;
  resolveAfterPeriods?: number;
  cooldownPeriods?: number;
  /** Relative margin the signal must clear by to count as clear (stock kinds, ETA). */
  hysteresis?: number;
  selloutHorizonHours?: number;
  /** DATA_STALE: stale once age ≥ staleFactor × expected interval. */
  staleFactor?: number;
  /** Level of competitor event alerts. */
  eventLevel?: AlertLevel;
  /**
   * CONSUMPTION_RATE thresholds (the window is `periodMs`, ≥ 5 min): ratios of observed to expected units
   * (orange 2 = 200 %, red 5 = 500 %), the fewest units that can alert and the Poisson quantile the count must exceed.
   */
  rate?: { orange?: number; red?: number; minUnits?: number; quantile?: number };
  exclusions?: ExclusionRule[];
  quietHours?: QuietHours | null;
}

export interface BaselineState {
  /** Accepted observations so far. */
  n: number;
  /** EW (or window) mean of the deseasonalised rate; null before the first observation. */
  mean: number | null;
  /** EW variance of the deseasonalised rate. */
  variance: number;
  /** Last `window` deseasonalised values (MOVING_AVERAGE only). */
  window: number[];
  /** Multiplicative seasonal factors (mean 1), null without seasonality. */
  seasonal: number[] | null;
  /** Observations per seasonal slot, for the warm-up average. */
  seasonalCounts: number[] | null;
}

export interface OpenAlert {
  id: string;
  kind: AlertKind;
  subjectId: string;
  level: AlertLevel;
  status: 'OPEN' | 'ACKNOWLEDGED';
  openedAt: number;
  /** Observation time of the first period of the breach run that opened it. */
  firstBreachAt: number;
  updatedAt: number;
  cause: CauseLabel | null;
  acknowledgedAt: number | null;
}

export interface ClosedAlert {
  id: string;
  level: AlertLevel;
  openedAt: number;
  resolvedAt: number;
  firstBreachAt: number;
  cause: CauseLabel | null;
}

export interface FeedbackLabel {
  alertId: string;
  cause: CauseLabel;
  at: number;
}

export interface FeedbackAdjustment {
  at: number;
  /** What changed: the band multiplier k (band kinds) or the debounce periods (other kinds). */
  parameter: 'k' | 'debouncePeriods';
  before: number;
  after: number;
  alertIds: string[];
  explanation: Explanation;
}

export interface FeedbackState {
  /** Added to k (band kinds), bounded by the settings' kMaxBoost. */
  kBoost: number;
  /** Added to the debounce periods (kinds without a band), bounded. */
  debounceBoost: number;
  /** DATA_ERROR labels received since the last adjustment. */
  pendingDataErrors: string[];
  labels: FeedbackLabel[];
  adjustments: FeedbackAdjustment[];
}

export interface HeldTransition {
  type: 'RAISE' | 'ESCALATE';
  level: AlertLevel;
  since: number;
  /** Figures of the newest breaching period, reused when the transition is released. */
  explanation: Explanation;
}

export interface AlertState {
  version: 1;
  subject: AlertSubject;
  kind: AlertKind;
  /** Observation time of the newest evaluated observation. */
  lastAt: number | null;
  baseline: BaselineState;
  /** Consecutive periods at or above each level. */
  runs: Record<AlertLevel, number>;
  runStartedAt: number | null;
  /** Consecutive clear periods (towards resolution). */
  clearRun: number;
  open: OpenAlert | null;
  /** New alerts of this subject and kind stay suppressed while observation time < this. */
  cooldownUntil: number | null;
  held: HeldTransition | null;
  knownEvents: KnownEvent[];
  feedback: FeedbackState;
  /** Last few resolved alerts (ids accepted by acknowledgeAlert for after-the-fact labels). */
  recent: ClosedAlert[];
  /** Event sequence number, for deterministic event ids. */
  seq: number;
}

export type AlertEventType = 'RAISE' | 'ESCALATE' | 'RESOLVE' | 'SUPPRESSED';

export interface AlertEvent {
  /** Deterministic: `${subjectId}:${kind}#${seq}`; the outbox can deduplicate on it. */
  id: string;
  type: AlertEventType;
  /** Evaluation time (the `now` argument). */
  at: number;
  /** Time of the observation that produced it. */
  observedAt: number;
  kind: AlertKind;
  subjectId: string;
  /** The alert concerned (null for a SUPPRESSED breach with no open alert). */
  alertId: string | null;
  /** New level (RAISE, ESCALATE), last level (RESOLVE), would-be level (SUPPRESSED). */
  level: AlertLevel | null;
  previousLevel: AlertLevel | null;
  reason: SuppressionReason | null;
  /** Consecutive breaching periods behind this event and how many the level rule needs. */
  consecutive: number;
  required: number;
  /** Deliver to webhooks/subscribers now. False for SUPPRESSED and for RESOLVE of an alert that
   *  was never delivered. */
  notify: boolean;
  explanation: Explanation;
}

export interface EvaluationResult {
  state: AlertState;
  events: AlertEvent[];
}
