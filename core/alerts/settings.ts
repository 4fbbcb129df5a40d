/**
 * Effective settings of one rule for one subject: the kind's STANDARD defaults, overridden by the
 * rule, transformed by the subject's profile (ABC class A / competitor tier CORE → STRICT), plus
 * bounded feedback from DATA_ERROR labels. Every coefficient that was applied is explained.
 */
import { Explainer, type Explanation } from '../explain';
import { DEFAULT_TIERS, bumpLevel, validateTiers, type TierEdges } from './levels';
import { RATE_DEFAULTS, validateRateSettings, type RateSettings } from './rate';
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  SIGNAL_FOR_KIND,
  type AlertKind,
  type AlertLevel,
  type AlertProfile,
  type AlertRule,
  type AlertSubject,
  type BaselineMethod,
  type CompetitorTier,
  type BaselinePrior,
  type ExclusionRule,
  type FeedbackState,
  type QuietHours,
  type SignalType,
} from './types';

/** Expected capture interval of a listing whose own interval is unknown (fewer than 2 captures), by tier. */
export const TIER_CAPTURE_INTERVAL_MS: Record<CompetitorTier, number> = {
  CORE: 3_600_000,
  GENERAL: 4 * 3_600_000,
  POTENTIAL: 24 * 3_600_000,
};

/**
 * The stale factor the default DATA_STALE rule applies to a competitor: 3 intervals × its profile's
 * staleFactorMul (CORE 2, GENERAL 3, POTENTIAL 4.5). `dataStatus.stale` uses it, so a listing is
 * stale there exactly when its DATA_STALE alert opens (a rule with its own staleFactor moves only the alert).
 */
export function defaultStaleFactorFor(subject: AlertSubject): number {
  return Math.max(1, 3 * PROFILE_COEFFICIENTS[profileFor(subject).profile].staleFactorMul);
}

/** Kinds whose threshold is a learned kσ band (feedback widens k); the others have fixed thresholds. */
export const BAND_KINDS: readonly AlertKind[] = ['CONSUMPTION_DEVIATION'];

export interface ProfileCoefficients {
  /** Multiplies k: a narrower band fires earlier. */
  kFactor: number;
  /** Added to the debounce periods (consecutive breaching periods before a raise). */
  debounceDelta: number;
  /** Added to the escalation periods (consecutive periods at a higher level before escalating). */
  escalateDelta: number;
  /** Multiplies the safety stock threshold (class A gets an extra 20 % buffer: its stockouts cost most). */
  safetyStockBuffer: number;
  /** Multiplies the sell-out horizon: warn earlier. */
  selloutHorizonFactor: number;
  /** Multiplies the staleness factor: stale sooner. */
  staleFactorMul: number;
  /** Competitor event alerts are raised this many levels higher. */
  eventLevelBump: number;
}

/**
 * Documented coefficients. STRICT (ABC A, tier CORE) narrows the band by 10 % (k 2 → 1.8),
 * escalates one period sooner, adds a 20 % safety-stock buffer, warns of sell-out 1.5×
 * earlier, calls data stale after 2 instead of 3 missed intervals and raises competitor events one
 * level higher. LENIENT (ABC C, tier POTENTIAL) widens it by 12.5 % (k 2 → 2.25) and waits one more
 * period for both raise and escalation. The level edges (10/30/60 % over the band) are the same for all.
 */
export const PROFILE_COEFFICIENTS: Record<AlertProfile, ProfileCoefficients> = {
  STRICT: {
    kFactor: 0.9,
    debounceDelta: 0,
    escalateDelta: -1,
    safetyStockBuffer: 1.2,
    selloutHorizonFactor: 1.5,
    staleFactorMul: 2 / 3,
    eventLevelBump: 1,
  },
  STANDARD: {
    kFactor: 1,
    debounceDelta: 0,
    escalateDelta: 0,
    safetyStockBuffer: 1,
    selloutHorizonFactor: 1,
    staleFactorMul: 1,
    eventLevelBump: 0,
  },
  LENIENT: {
    kFactor: 1.125,
    debounceDelta: 1,
    escalateDelta: 1,
    safetyStockBuffer: 1,
    selloutHorizonFactor: 1,
    staleFactorMul: 1.5,
    eventLevelBump: 0,
  },
};

interface KindDefaults {
  debounce: number;
  escalateAfter: number;
  resolveAfter: number;
  cooldown: number;
}

/**
 * Period counts per kind. Consumption needs 2 consecutive periods to raise (one noisy period never
 * alerts) and 3 consecutive periods to escalate. Stock thresholds and discrete competitor events are
 * already debounced upstream (hysteresis, restock/stockout detection), so they act on one period.
 */
const KIND_DEFAULTS: Record<AlertKind, KindDefaults> = {
  CONSUMPTION_DEVIATION: { debounce: 2, escalateAfter: 3, resolveAfter: 2, cooldown: 3 },
  SAFETY_STOCK_BREACH: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 1 },
  REORDER_POINT_REACHED: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 1 },
  SELLOUT_IMMINENT: { debounce: 1, escalateAfter: 3, resolveAfter: 1, cooldown: 1 },
  COMPETITOR_DEAL_STARTED: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 0 },
  COMPETITOR_RESTOCK: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 0 },
  COMPETITOR_STOCKOUT: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 0 },
  DATA_STALE: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 0 },
  RECONCILIATION_MISMATCH: { debounce: 1, escalateAfter: 1, resolveAfter: 1, cooldown: 0 },
  // One window over the edge raises (the Poisson test and minimum count are its noise control: "within one
  // window of the rise"); two clear windows resolve; re-arms one window later.
  CONSUMPTION_RATE: { debounce: 1, escalateAfter: 1, resolveAfter: 2, cooldown: 1 },
};

/** The level a kind fires at when it first breaches (its floor). */
export function baseLevelOf(kind: AlertKind, eventLevel: AlertLevel): AlertLevel {
  switch (kind) {
    case 'SAFETY_STOCK_BREACH':
    case 'RECONCILIATION_MISMATCH':
      return 'RED';
    case 'CONSUMPTION_RATE':
      return 'ORANGE';
    case 'COMPETITOR_DEAL_STARTED':
    case 'COMPETITOR_RESTOCK':
    case 'COMPETITOR_STOCKOUT':
      return eventLevel;
    default:
      return 'YELLOW';
  }
}

export interface FeedbackSettings {
  /** DATA_ERROR labels (since the last adjustment) that trigger one widening step. */
  widenAfter: number;
  kStep: number;
  kMaxBoost: number;
  debounceStep: number;
  debounceMaxBoost: number;
}

export const FEEDBACK_DEFAULTS: FeedbackSettings = {
  widenAfter: 2,
  kStep: 0.5,
  kMaxBoost: 2,
  debounceStep: 1,
  debounceMaxBoost: 2,
};

export interface AlertSettings {
  kind: AlertKind;
  profile: AlertProfile;
  profileReason: string;
  periodMs: number;
  method: BaselineMethod;
  /** Effective k = kRule × profile.kFactor + feedback.kBoost. */
  k: number;
  kRule: number;
  alpha: number;
  alphaVariance: number;
  window: number;
  seasonLength: number | null;
  seasonGamma: number;
  minHistory: number;
  prior: BaselinePrior | null;
  minUpper: number;
  tiers: TierEdges;
  debounce: number;
  escalateAfter: number;
  resolveAfter: number;
  cooldown: number;
  hysteresis: number;
  safetyStockBuffer: number;
  selloutHorizonHours: number;
  staleFactor: number;
  eventLevel: AlertLevel;
  baseLevel: AlertLevel;
  /** A known event registered by a MARKETING label lasts this many periods by default. */
  knownEventPeriods: number;
  /** A gap longer than this many periods between observations breaks consecutive runs. */
  maxGapPeriods: number;
  /** Weight of a breaching observation in the baseline update (relative to alpha). */
  breachUpdateWeight: number;
  smallSampleCorrection: boolean;
  feedback: FeedbackSettings;
  exclusions: ExclusionRule[];
  quietHours: QuietHours | null;
  /** CONSUMPTION_RATE: window (= periodMs), ratio edges, minimum units, Poisson quantile (rate.ts). */
  rate: RateSettings;
  explanation: Explanation;
}

/** STRICT for ABC class A or tier CORE, LENIENT for class C or tier POTENTIAL, else STANDARD. */
export function profileFor(subject: AlertSubject): { profile: AlertProfile; reason: string } {
  if (subject.abcClass === 'A') return { profile: 'STRICT', reason: 'ABC class A' };
  if (subject.tier === 'CORE') return { profile: 'STRICT', reason: 'competitor tier CORE' };
  if (subject.abcClass === 'C') return { profile: 'LENIENT', reason: 'ABC class C' };
  if (subject.tier === 'POTENTIAL') return { profile: 'LENIENT', reason: 'competitor tier POTENTIAL' };
  return { profile: 'STANDARD', reason: 'no ABC class A/C or tier CORE/POTENTIAL' };
}

function num(rule: AlertRule, field: keyof AlertRule, fallback: number, check: (v: number) => boolean, what: string): number {
  const v = rule[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new RangeError(`rule.${String(field)} must be ${what}, got ${String(v)}`);
  }
  return v;
}

const positive = (v: number) => v > 0;
const nonNegative = (v: number) => v >= 0;
const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
const nonNegativeInt = (v: number) => Number.isInteger(v) && v >= 0;

export function validateRule(rule: AlertRule): void {
  if (!rule || typeof rule !== 'object') throw new TypeError('rule must be an object');
  if (typeof rule.id !== 'string' || rule.id === '') throw new TypeError('rule.id must be a non-empty string');
  if (!ALERT_KINDS.includes(rule.kind)) throw new TypeError(`rule.kind must be one of ${ALERT_KINDS.join(', ')}, got ${String(rule.kind)}`);
  if (!Number.isFinite(rule.periodMs) || rule.periodMs <= 0) {
    throw new RangeError(`rule.periodMs must be > 0, got ${String(rule.periodMs)}`);
  }
  if (rule.eventLevel !== undefined && !ALERT_LEVELS.includes(rule.eventLevel)) {
    throw new TypeError(`rule.eventLevel must be one of ${ALERT_LEVELS.join(', ')}, got ${String(rule.eventLevel)}`);
  }
  if (rule.tiers) validateTiers(rule.tiers);
  if (rule.prior) {
    const p = rule.prior;
    if (p.mean !== null && (!Number.isFinite(p.mean) || p.mean < 0))
      throw new RangeError(`rule.prior.mean must be ≥ 0 or null, got ${p.mean}`);
    if (!Number.isFinite(p.cv) || p.cv < 0) throw new RangeError(`rule.prior.cv must be ≥ 0, got ${p.cv}`);
    if (!Number.isFinite(p.strength) || p.strength <= 0) throw new RangeError(`rule.prior.strength must be > 0, got ${p.strength}`);
  }
  if (rule.quietHours) {
    const q = rule.quietHours;
    for (const f of ['startMinute', 'endMinute'] as const) {
      if (!Number.isInteger(q[f]) || q[f] < 0 || q[f] >= 1440)
        throw new RangeError(`rule.quietHours.${f} must be an integer in [0, 1440), got ${q[f]}`);
    }
    if (!Number.isFinite(q.utcOffsetMinutes) || Math.abs(q.utcOffsetMinutes) > 14 * 60) {
      throw new RangeError(`rule.quietHours.utcOffsetMinutes must be within ±840, got ${q.utcOffsetMinutes}`);
    }
  }
  for (const x of rule.exclusions ?? []) {
    if (typeof x.id !== 'string' || x.id === '') throw new TypeError('rule.exclusions[].id must be a non-empty string');
    if (x.from != null && x.to != null && x.to < x.from) {
      throw new RangeError(`rule.exclusions[${x.id}].to must be ≥ from, got ${x.from} → ${x.to}`);
    }
  }
}

/** The rule's own values, each validated, with the kind's or the house default where the rule is silent. */
interface RuleValues extends Pick<
  AlertSettings,
  | 'kRule'
  | 'alpha'
  | 'alphaVariance'
  | 'window'
  | 'seasonLength'
  | 'seasonGamma'
  | 'minHistory'
  | 'minUpper'
  | 'resolveAfter'
  | 'cooldown'
  | 'hysteresis'
  | 'method'
> {
  /** The rule's own values before the profile and feedback adjust them. */
  debounceRule: number;
  escalateRule: number;
  selloutRule: number;
  staleRule: number;
}

/** Reads and validates the rule's numeric settings and baseline method (the kind's period counts as defaults). */
function ruleValues(rule: AlertRule, kd: KindDefaults): RuleValues {
  const kRule = num(rule, 'k', 2, positive, '> 0');
  const alpha = num(rule, 'alpha', 0.1, (v) => v > 0 && v <= 1, 'in (0, 1]');
  const values = {
    kRule,
    alpha,
    alphaVariance: num(rule, 'alphaVariance', alpha / 2, (v) => v > 0 && v <= 1, 'in (0, 1]'),
    window: num(rule, 'window', 28, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2'),
    seasonLength: rule.seasonLength == null ? null : num(rule, 'seasonLength', 0, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2'),
    seasonGamma: num(rule, 'seasonGamma', 0.2, (v) => v > 0 && v <= 1, 'in (0, 1]'),
    minHistory: num(rule, 'minHistory', 14, positiveInt, 'an integer ≥ 1'),
    minUpper: num(rule, 'minUpper', 1, nonNegative, '≥ 0'),
    debounceRule: num(rule, 'debouncePeriods', kd.debounce, positiveInt, 'an integer ≥ 1'),
    escalateRule: num(rule, 'escalateAfterPeriods', kd.escalateAfter, positiveInt, 'an integer ≥ 1'),
    resolveAfter: num(rule, 'resolveAfterPeriods', kd.resolveAfter, positiveInt, 'an integer ≥ 1'),
    cooldown: num(rule, 'cooldownPeriods', kd.cooldown, nonNegativeInt, 'an integer ≥ 0'),
    hysteresis: num(rule, 'hysteresis', 0.05, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    selloutRule: num(rule, 'selloutHorizonHours', 48, positive, '> 0'),
    staleRule: num(rule, 'staleFactor', 3, (v) => v >= 1, '≥ 1'),
  };
  const method: BaselineMethod = rule.method ?? 'EWMA';
  if (method !== 'EWMA' && method !== 'MOVING_AVERAGE')
    throw new TypeError(`rule.method must be EWMA or MOVING_AVERAGE, got ${String(method)}`);
  return { ...values, method };
}

/** The rule's values after the profile's coefficients and the DATA_ERROR feedback, with the terms that went in. */
export interface ProfiledValues {
  k: number;
  /** Feedback widening of k (band kinds only). */
  fbK: number;
  /** Feedback debounce periods (non-band kinds only). */
  fbDebounce: number;
  /** The profile's extra debounce periods (0 for one-period signals). */
  profileDebounce: number;
  debounce: number;
  escalateAfter: number;
  eventLevel: AlertLevel;
  selloutHorizonHours: number;
  staleFactor: number;
}

/**
 * Applies the profile coefficients c and the feedback to the rule's values (the coefficients are documented on
 * PROFILE_COEFFICIENTS):
 *
 *   k = k_rule·c.kFactor + kBoost (band kinds),  debounce = max(1, debounce_rule + c.debounceDelta + debounceBoost),
 *   escalateAfter = max(1, escalate_rule + c.escalateDelta),  selloutHorizon = h_rule·c.selloutHorizonFactor,
 *   staleFactor = max(1, stale_rule·c.staleFactorMul),  eventLevel = rule level bumped c.eventLevelBump levels.
 *
 * The kBoost applies to band kinds, the debounceBoost to the others. The profile's extra debounce is for
 * conditions that persist (rates, stock positions, sell-out ETAs); a detected event or a reconciliation finding is
 * one period long, and an extra period would silence a POTENTIAL competitor's restock or a class-C SKU's oversell
 * altogether, so those get none. Stale captures get none either: their threshold is a duration already (the
 * profile scales its factor), and the alert must open when `dataStatus.stale` turns true, not a pass later. Nor
 * does the real-time rate: its noise control is the Poisson test, and it must fire within one window of the rise.
 */
export function profiledValues(
  kind: AlertKind,
  rule: Pick<RuleValues, 'kRule' | 'debounceRule' | 'escalateRule' | 'selloutRule' | 'staleRule'> & { eventLevel?: AlertLevel },
  c: ProfileCoefficients,
  feedback: FeedbackState,
): ProfiledValues {
  const isBand = BAND_KINDS.includes(kind);
  const fbK = isBand ? feedback.kBoost : 0;
  const fbDebounce = isBand ? 0 : feedback.debounceBoost;
  // DATA_STALE's threshold is already a duration (T = factor × interval, the profile scales the factor)
  // and must agree with dataStatus.stale at the moment it is crossed, so it gets no extra pass either.
  const oneOff = (['EVENT', 'RECONCILIATION', 'CAPTURE', 'WINDOW_RATE'] as SignalType[]).includes(SIGNAL_FOR_KIND[kind]);
  const profileDebounce = oneOff ? 0 : c.debounceDelta;
  return {
    k: rule.kRule * c.kFactor + fbK,
    fbK,
    fbDebounce,
    profileDebounce,
    debounce: Math.max(1, rule.debounceRule + profileDebounce + fbDebounce),
    escalateAfter: Math.max(1, rule.escalateRule + c.escalateDelta),
    eventLevel: bumpLevel(rule.eventLevel ?? 'YELLOW', c.eventLevelBump),
    selloutHorizonHours: rule.selloutRule * c.selloutHorizonFactor,
    staleFactor: Math.max(1, rule.staleRule * c.staleFactorMul),
  };
}

/** Explains every coefficient applied: k, baseline and tiers for band kinds, periods, and the kind's own threshold. */
function settingsExplanation(
  rule: AlertRule,
  subject: AlertSubject,
  prof: { profile: AlertProfile; profileReason: string; c: ProfileCoefficients },
  r: RuleValues,
  p: ProfiledValues,
  tiers: TierEdges,
): Explanation {
  const { kind } = rule;
  const { profile, c } = prof;
  const ex = new Explainer(`settings of rule ${rule.id} (${kind}) for ${subject.id}`, { profile, profileReason: prof.profileReason });
  if (BAND_KINDS.includes(kind)) {
    ex.step('k', p.k, `${r.kRule} (rule) × ${c.kFactor} (${profile}) + ${p.fbK} (DATA_ERROR feedback)`);
    ex.step('baseline', r.method === 'EWMA' ? `EWMA α=${r.alpha}` : `moving average of ${r.window}`);
    ex.step('tiers % over upper band', `${tiers.yellow}/${tiers.orange}/${tiers.red}`);
  }
  ex.step(
    'debounce periods',
    p.debounce,
    `${r.debounceRule} (rule) + ${p.profileDebounce} (${profile})${p.fbDebounce ? ` + ${p.fbDebounce} (DATA_ERROR feedback)` : ''}`,
  );
  ex.step('escalate after periods', p.escalateAfter, `${r.escalateRule} (rule) + ${c.escalateDelta} (${profile})`);
  if (kind === 'SAFETY_STOCK_BREACH' || kind === 'REORDER_POINT_REACHED') {
    ex.step('safety stock buffer', c.safetyStockBuffer, `${profile}`);
  }
  if (kind === 'SELLOUT_IMMINENT') ex.step('sell-out horizon h', p.selloutHorizonHours, `${r.selloutRule} × ${c.selloutHorizonFactor}`);
  if (kind === 'DATA_STALE') ex.step('stale factor', p.staleFactor, `${r.staleRule} × ${c.staleFactorMul}`);
  if (kind === 'CONSUMPTION_RATE') {
    const rs = rateSettingsOf(rule);
    ex.step('window minutes', rs.windowMs / 60_000);
    ex.step('ORANGE / RED above % of expected', `${rs.orange * 100} / ${rs.red * 100}`);
    ex.step('minimum units', rs.minUnits, `and more than the Poisson ${rs.quantile} quantile of the expected count`);
  }
  return ex.build();
}

/** The CONSUMPTION_RATE settings of a rule: its window (periodMs) and thresholds, RATE_DEFAULTS where silent; validated. */
export function rateSettingsOf(rule: AlertRule): RateSettings {
  const s: RateSettings = {
    ...RATE_DEFAULTS,
    windowMs: rule.periodMs,
    orange: rule.rate?.orange ?? RATE_DEFAULTS.orange,
    red: rule.rate?.red ?? RATE_DEFAULTS.red,
    minUnits: rule.rate?.minUnits ?? RATE_DEFAULTS.minUnits,
    quantile: rule.rate?.quantile ?? RATE_DEFAULTS.quantile,
  };
  if (rule.kind === 'CONSUMPTION_RATE') validateRateSettings(s);
  return s;
}

export function resolveSettings(rule: AlertRule, subject: AlertSubject, feedback: FeedbackState): AlertSettings {
  validateRule(rule);
  const kind = rule.kind;
  const auto = profileFor(subject);
  const profile = rule.profile && rule.profile !== 'AUTO' ? rule.profile : auto.profile;
  const profileReason = rule.profile && rule.profile !== 'AUTO' ? `set on rule ${rule.id}` : auto.reason;
  const c = PROFILE_COEFFICIENTS[profile];
  const r = ruleValues(rule, KIND_DEFAULTS[kind]);
  const p = profiledValues(kind, { ...r, eventLevel: rule.eventLevel }, c, feedback);
  const tiers = rule.tiers ?? DEFAULT_TIERS;

  return {
    kind,
    profile,
    profileReason,
    periodMs: rule.periodMs,
    method: r.method,
    k: p.k,
    kRule: r.kRule,
    alpha: r.alpha,
    alphaVariance: r.alphaVariance,
    window: r.window,
    seasonLength: r.seasonLength,
    seasonGamma: r.seasonGamma,
    minHistory: r.minHistory,
    prior: rule.prior ?? null,
    minUpper: r.minUpper,
    tiers,
    debounce: p.debounce,
    escalateAfter: p.escalateAfter,
    resolveAfter: r.resolveAfter,
    cooldown: r.cooldown,
    hysteresis: r.hysteresis,
    safetyStockBuffer: c.safetyStockBuffer,
    selloutHorizonHours: p.selloutHorizonHours,
    staleFactor: p.staleFactor,
    eventLevel: p.eventLevel,
    baseLevel: baseLevelOf(kind, p.eventLevel),
    knownEventPeriods: 7,
    maxGapPeriods: 1.5,
    breachUpdateWeight: 0.25,
    smallSampleCorrection: rule.smallSampleCorrection ?? true,
    feedback: FEEDBACK_DEFAULTS,
    exclusions: rule.exclusions ?? [],
    quietHours: rule.quietHours ?? null,
    rate: rateSettingsOf(rule),
    explanation: settingsExplanation(rule, subject, { profile, profileReason, c }, r, p, tiers),
  };
}
