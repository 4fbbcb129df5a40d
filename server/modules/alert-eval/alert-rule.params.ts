/**
 * What a stored rule holds, the built-in defaults, and the translation to the core evaluator's
 * AlertRule. Kept apart from the service so the evaluator and the resolver share one definition.
 */
import type { AlertKind, AlertLevel, AlertRule as CoreAlertRule, CompetitorTier, QuietHours } from '../../../core/alerts/types';
import { DEFAULT_RECONCILE_TOLERANCE } from '../../../core/anomalies';
import { DAY_MS, HOUR_MS } from '../../../core/series/types';
import type { SubjectType } from '../alert/alert.entity';

export type ScopeType = 'ALL' | 'TIER' | 'ABC_CLASS' | 'COMPETITOR' | 'PRODUCT';

export interface StoredExclusion {
  id: string;
  /** Competitor id or product sku; null = every subject the rule covers. */
  subjectId: string | null;
  from: number | null;
  to: number | null;
  /** What the window is, e.g. "Prime Day" (a known event) or "scraper migration". */
  reason: string;
  knownEvent: boolean;
}

export interface RuleParams {
  scope: { type: ScopeType; tier: CompetitorTier | null; abcClass: 'A' | 'B' | 'C' | null };
  k: number | null;
  debouncePeriods: number | null;
  escalateAfterPeriods: number | null;
  selloutWithinHours: number | null;
  minStockoutHours: number | null;
  staleFactor: number | null;
  eventLevel: AlertLevel | null;
  exclusions: StoredExclusion[];
  quietHours: QuietHours | null;
  /** RECONCILIATION_MISMATCH: mismatch when |difference| > max(absolute, relative × max(|expected|, |actual|)). */
  toleranceAbsolute?: number | null;
  toleranceRelative?: number | null;
  /** RECONCILIATION_MISMATCH: length of the rolling reconciliation window (UTC-aligned), hours. */
  reconcileWindowHours?: number | null;
  /** RECONCILIATION_MISMATCH: wait this long after a window (deal or rolling) ends for the marketplace reading to settle. */
  settleHours?: number | null;
  /** CONSUMPTION_RATE: rolling window in minutes (default 60, at least 5). */
  rateWindowMinutes?: number | null;
  /** CONSUMPTION_RATE: ORANGE above this % of the expected units (default 200). */
  rateOrangePercent?: number | null;
  /** CONSUMPTION_RATE: RED above this % of the expected units (default 500). */
  rateRedPercent?: number | null;
  /** CONSUMPTION_RATE: fewest units in a window that can alert (default 5). */
  rateMinUnits?: number | null;
}

/** The kinds this evaluator computes, and which subjects each applies to. */
export const KIND_SUBJECTS: Partial<Record<AlertKind, readonly SubjectType[]>> = {
  CONSUMPTION_DEVIATION: ['PRODUCT', 'COMPETITOR'],
  SAFETY_STOCK_BREACH: ['PRODUCT'],
  REORDER_POINT_REACHED: ['PRODUCT'],
  SELLOUT_IMMINENT: ['COMPETITOR'],
  COMPETITOR_DEAL_STARTED: ['COMPETITOR'],
  COMPETITOR_RESTOCK: ['COMPETITOR'],
  COMPETITOR_STOCKOUT: ['COMPETITOR'],
  DATA_STALE: ['COMPETITOR'],
  RECONCILIATION_MISMATCH: ['PRODUCT'],
  CONSUMPTION_RATE: ['PRODUCT', 'COMPETITOR'],
};
export const EVALUATED_KINDS = Object.keys(KIND_SUBJECTS) as AlertKind[];

/**
 * Length of one evaluation period. Consumption is judged per calendar day (UTC) for both own
 * sales and competitor burn. The other kinds are judged per observation (an ingest, a capture, a
 * scheduled pass); their period only bounds the gap (1.5 periods) after which consecutive runs
 * restart: a day for stock positions and captures (a POTENTIAL listing may be captured daily), an
 * hour for the scheduled kinds (the pass runs every few minutes).
 */
export const PERIOD_MS: Record<AlertKind, number> = {
  CONSUMPTION_DEVIATION: DAY_MS,
  SAFETY_STOCK_BREACH: DAY_MS,
  REORDER_POINT_REACHED: DAY_MS,
  SELLOUT_IMMINENT: HOUR_MS,
  COMPETITOR_DEAL_STARTED: DAY_MS,
  COMPETITOR_RESTOCK: DAY_MS,
  COMPETITOR_STOCKOUT: DAY_MS,
  DATA_STALE: HOUR_MS,
  RECONCILIATION_MISMATCH: DAY_MS,
  // The default window; a rule's rateWindowMinutes replaces it (toCoreRule).
  CONSUMPTION_RATE: HOUR_MS,
};

/** Minimum duration of a competitor stockout window before it alerts, unless the rule says otherwise. */
export const DEFAULT_MIN_STOCKOUT_HOURS = 24;

/** Reconciliation defaults: core's tolerance (2 units or 1 %), a daily rolling window, 6 h settle time. */
export const DEFAULT_RECONCILE = {
  toleranceAbsolute: DEFAULT_RECONCILE_TOLERANCE.absolute,
  toleranceRelative: DEFAULT_RECONCILE_TOLERANCE.relative,
  reconcileWindowHours: 24,
  settleHours: 6,
} as const;

/** The reconciliation settings of a rule, defaults filled in. */
export function reconcileSettings(p: RuleParams): {
  tolerance: { absolute: number; relative: number };
  windowMs: number;
  settleMs: number;
} {
  return {
    tolerance: {
      absolute: p.toleranceAbsolute ?? DEFAULT_RECONCILE.toleranceAbsolute,
      relative: p.toleranceRelative ?? DEFAULT_RECONCILE.toleranceRelative,
    },
    windowMs: (p.reconcileWindowHours ?? DEFAULT_RECONCILE.reconcileWindowHours) * HOUR_MS,
    settleMs: (p.settleHours ?? DEFAULT_RECONCILE.settleHours) * HOUR_MS,
  };
}

export const emptyParams = (): RuleParams => ({
  scope: { type: 'ALL', tier: null, abcClass: null },
  k: null,
  debouncePeriods: null,
  escalateAfterPeriods: null,
  selloutWithinHours: null,
  minStockoutHours: null,
  staleFactor: null,
  eventLevel: null,
  exclusions: [],
  quietHours: null,
  toleranceAbsolute: null,
  toleranceRelative: null,
  reconcileWindowHours: null,
  settleHours: null,
  rateWindowMinutes: null,
  rateOrangePercent: null,
  rateRedPercent: null,
  rateMinUnits: null,
});

/** CONSUMPTION_RATE: the rule's rolling window in ms (default 1 h). */
export function rateWindowMs(p: RuleParams): number {
  return p.rateWindowMinutes != null ? p.rateWindowMinutes * 60_000 : PERIOD_MS.CONSUMPTION_RATE;
}

/**
 * Default rules, created for a workspace the first time its rules are needed (listing or
 * evaluation) when it has none. One per kind, covering every subject; every threshold is the core
 * STANDARD default, tightened automatically for ABC class A / tier CORE (STRICT profile) and
 * loosened for class C / tier POTENTIAL (core/alerts/settings.ts):
 * - Consumption deviation: EWMA baseline ± 2σ (STRICT 1.8σ), YELLOW/ORANGE/RED at 10/30/60 % over
 *   the upper band, 2 consecutive days to raise, 3 to escalate (STRICT 2).
 * - Safety stock breach: RED when on hand < safety stock of the replenishment plan (service level
 *   95 %; class A × 1.2). Reorder point reached: YELLOW when on hand + in transit ≤ ROP.
 * - Sell-out imminent: YELLOW when a competitor's live deal sells out (P50) within 48 h, ORANGE
 *   within 24 h, RED within 12 h (CORE: 72 h horizon).
 * - Deal started, restock, stockout (open ≥ 24 h): YELLOW (CORE: ORANGE).
 * - Data stale: YELLOW when no capture for 3 × the listing's usual capture interval (CORE 2 ×),
 *   ORANGE at 2 ×, RED at 4 × that.
 * - Ledger mismatch (own SKUs): RED when the three-way reconciliation (order sales vs stock
 *   movements vs own-listing readings) of an ended own deal or of a daily window finds negative
 *   stock or a difference over max(2 units, 1 %); a clean reconciliation resolves it.
 * - Consumption rate (real time; own order sales and competitor drains/deal claims): units in the
 *   last hour vs the hour-of-day baseline, ORANGE above 200 %, RED above 500 %, only with ≥ 5 units
 *   and more than the Poisson 0.999 quantile of the expected count (core/alerts/rate.ts).
 */
export const DEFAULT_RULES: { kind: AlertKind; name: string }[] = [
  { kind: 'CONSUMPTION_DEVIATION', name: 'Consumption deviates from its baseline' },
  { kind: 'SAFETY_STOCK_BREACH', name: 'Own SKU below safety stock' },
  { kind: 'REORDER_POINT_REACHED', name: 'Own SKU at its reorder point' },
  { kind: 'SELLOUT_IMMINENT', name: 'Competitor deal about to sell out' },
  { kind: 'COMPETITOR_DEAL_STARTED', name: 'Competitor deal started' },
  { kind: 'COMPETITOR_RESTOCK', name: 'Competitor restocked' },
  { kind: 'COMPETITOR_STOCKOUT', name: 'Competitor out of stock' },
  { kind: 'DATA_STALE', name: 'Competitor captures stopped' },
  { kind: 'RECONCILIATION_MISMATCH', name: 'Own SKU ledger mismatch' },
  { kind: 'CONSUMPTION_RATE', name: 'Consumption rate spike (real time)' },
];

/** The core evaluator's view of a stored rule. Exclusions are filtered to this subject by core. */
export function toCoreRule(id: string, kind: AlertKind, p: RuleParams): CoreAlertRule {
  const rule: CoreAlertRule = { id, kind, periodMs: kind === 'CONSUMPTION_RATE' ? rateWindowMs(p) : PERIOD_MS[kind] };
  if (kind === 'CONSUMPTION_RATE') {
    rule.rate = {};
    if (p.rateOrangePercent != null) rule.rate.orange = p.rateOrangePercent / 100;
    if (p.rateRedPercent != null) rule.rate.red = p.rateRedPercent / 100;
    if (p.rateMinUnits != null) rule.rate.minUnits = p.rateMinUnits;
  }
  // `!= null`: params stored by an older version may lack a field.
  if (p.k != null) rule.k = p.k;
  if (p.debouncePeriods != null) rule.debouncePeriods = p.debouncePeriods;
  if (p.escalateAfterPeriods != null) rule.escalateAfterPeriods = p.escalateAfterPeriods;
  if (p.selloutWithinHours != null) rule.selloutHorizonHours = p.selloutWithinHours;
  if (p.staleFactor != null) rule.staleFactor = p.staleFactor;
  if (p.eventLevel != null) rule.eventLevel = p.eventLevel;
  if (p.quietHours) rule.quietHours = p.quietHours;
  if (p.exclusions?.length) {
    rule.exclusions = p.exclusions.map((x) => ({
      id: x.id,
      subjectId: x.subjectId,
      from: x.from,
      to: x.to,
      reason: x.knownEvent ? `known event: ${x.reason}` : x.reason,
    }));
  }
  return rule;
}
