/**
 * One observation → BREACH (with a level), CLEAR, NEUTRAL (between the breach and the clear
 * threshold: hysteresis) or UNKNOWN (cannot judge). Kind-specific; the state machine in evaluate.ts
 * is kind-agnostic.
 */
import { Explainer } from '../explain';
import { captureStaleness } from '../series/provenance';
import { baselineBand, type Band, type BaselineSettings } from './baseline';
import { describeTier, levelForPercentOver } from './levels';
import { rateLevel } from './rate';
import type { AlertSettings } from './settings';
import type { AlertLevel, AlertObservation, AlertSignal, BaselineState, SuppressionReason } from './types';

export type Classification =
  | { status: 'BREACH'; level: AlertLevel; levelRule: string }
  | { status: 'CLEAR' }
  | { status: 'NEUTRAL' }
  | {
      status: 'UNKNOWN';
      reason: Extract<SuppressionReason, 'CENSORED' | 'NO_DATA' | 'INSUFFICIENT_HISTORY'>;
      /** The level it would have had taken at face value (null: would not have breached). */
      wouldBe: AlertLevel | null;
      levelRule: string | null;
    };

export interface ClassifyResult {
  cls: Classification;
  explainer: Explainer;
  /** Rate kinds: the band used and the value the baseline may learn from (null: learn nothing). */
  band: Band | null;
  learnValue: number | null;
}

export function baselineSettingsOf(s: AlertSettings): BaselineSettings {
  return {
    method: s.method,
    alpha: s.alpha,
    alphaVariance: s.alphaVariance,
    window: s.window,
    seasonLength: s.seasonLength,
    seasonGamma: s.seasonGamma,
    minHistory: s.minHistory,
    prior: s.prior,
    minUpper: s.minUpper,
    periodMs: s.periodMs,
    breachUpdateWeight: s.breachUpdateWeight,
    smallSampleCorrection: s.smallSampleCorrection,
  };
}

function optionalNumber(v: unknown, name: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${name} must be a finite number or null, got ${String(v)}`);
  return v;
}

const round = (x: number, d = 4): number => Number(x.toFixed(d));

function classifyRate(sig: Extract<AlertSignal, { type: 'RATE' }>, at: number, baseline: BaselineState, s: AlertSettings): ClassifyResult {
  const value = optionalNumber(sig.value, 'signal.value');
  if (value !== null && value < 0) throw new RangeError(`signal.value must be ≥ 0, got ${value}`);
  const band = baselineBand(baseline, baselineSettingsOf(s), s.k, at);
  const ex = new Explainer(
    `consumption vs band: upper = s·(μ + k_eff·σ), k_eff = k·t-factor(n); over % = (rate − upper)/upper × 100; level by ${s.tiers.yellow}/${s.tiers.orange}/${s.tiers.red} %`,
    {
      observedRate: value,
      baseline: round(band.center),
      mean: round(band.mean),
      sigma: round(band.sd),
      k: s.k,
      kEffective: round(band.k),
      bandLower: round(band.lower),
      bandUpper: round(band.upper),
      seasonFactor: round(band.seasonFactor),
      history: band.n,
      method: s.method,
      profile: s.profile,
    },
  );
  if (s.prior) ex.input('prior', `${s.prior.source}: mean ${s.prior.mean ?? '—'}, cv ${s.prior.cv}, weight ${round(1 - band.ownWeight)}`);
  if (value === null) {
    ex.note('no rate for this period');
    return { cls: { status: 'UNKNOWN', reason: 'NO_DATA', wouldBe: null, levelRule: null }, explainer: ex, band, learnValue: null };
  }
  if (!band.armed) {
    ex.note(`band not armed: ${band.n} of ${s.minHistory} periods of history and no category/tier prior`);
    return {
      cls: { status: 'UNKNOWN', reason: 'INSUFFICIENT_HISTORY', wouldBe: null, levelRule: null },
      explainer: ex,
      band,
      learnValue: sig.censored ? null : value,
    };
  }
  const pctOver = band.upper > 0 ? ((value - band.upper) / band.upper) * 100 : value > 0 ? Infinity : 0;
  ex.input('percentOver', Number.isFinite(pctOver) ? round(pctOver, 2) : 'inf');
  let level = levelForPercentOver(pctOver, s.tiers);
  let levelRule = level ? describeTier(level, s.tiers) : null;
  const onHand = optionalNumber(sig.onHand, 'signal.onHand');
  const ss = optionalNumber(sig.safetyStock, 'signal.safetyStock');
  if (level && onHand !== null && ss !== null && onHand < ss * s.safetyStockBuffer) {
    ex.step('safety stock breached', `${onHand} < ${ss} × ${s.safetyStockBuffer}`);
    level = 'RED';
    levelRule = `RED: rate over band and safety stock breached (on hand ${onHand} < ${round(ss * s.safetyStockBuffer)})`;
  }
  if (sig.censored) {
    ex.note('rate is censored (stock capped at one end of the period): a bound, not a measurement');
    return { cls: { status: 'UNKNOWN', reason: 'CENSORED', wouldBe: level, levelRule }, explainer: ex, band, learnValue: null };
  }
  if (level) return { cls: { status: 'BREACH', level, levelRule: levelRule! }, explainer: ex, band, learnValue: value };
  return { cls: { status: value > band.upper ? 'NEUTRAL' : 'CLEAR' }, explainer: ex, band, learnValue: value };
}

function classifyStock(sig: Extract<AlertSignal, { type: 'STOCK' }>, s: AlertSettings): ClassifyResult {
  const onHand = optionalNumber(sig.onHand, 'signal.onHand');
  const ss = optionalNumber(sig.safetyStock, 'signal.safetyStock');
  const h = s.hysteresis;
  if (s.kind === 'SAFETY_STOCK_BREACH') {
    if (ss === null) throw new TypeError('signal.safetyStock is required for SAFETY_STOCK_BREACH');
    if (ss < 0) throw new RangeError(`signal.safetyStock must be ≥ 0, got ${ss}`);
    const threshold = ss * s.safetyStockBuffer;
    const ex = new Explainer('safety stock breach: on hand < SS × buffer; clear when on hand ≥ SS × buffer × (1 + h)', {
      onHand,
      safetyStock: ss,
      buffer: s.safetyStockBuffer,
      threshold: round(threshold),
      clearAt: round(threshold * (1 + h)),
      profile: s.profile,
    });
    if (onHand === null)
      return { cls: { status: 'UNKNOWN', reason: 'NO_DATA', wouldBe: null, levelRule: null }, explainer: ex, band: null, learnValue: null };
    const rule = `RED: safety stock breached (${onHand} < ${round(threshold)})`;
    if (onHand < threshold) {
      if (sig.censored) {
        ex.note('on hand is a lower bound: the real stock may be above the threshold');
        return {
          cls: { status: 'UNKNOWN', reason: 'CENSORED', wouldBe: 'RED', levelRule: rule },
          explainer: ex,
          band: null,
          learnValue: null,
        };
      }
      return { cls: { status: 'BREACH', level: 'RED', levelRule: rule }, explainer: ex, band: null, learnValue: null };
    }
    return { cls: { status: onHand >= threshold * (1 + h) ? 'CLEAR' : 'NEUTRAL' }, explainer: ex, band: null, learnValue: null };
  }
  // REORDER_POINT_REACHED on the inventory position (on hand + in transit). The profile's safety
  // stock buffer lifts the ROP by (buffer − 1)·SS: ROP = d̄·L̄ + SS, and only the SS part is buffered.
  const rop = optionalNumber(sig.reorderPoint, 'signal.reorderPoint');
  if (rop === null) throw new TypeError('signal.reorderPoint is required for REORDER_POINT_REACHED');
  const inTransit = optionalNumber(sig.inTransit, 'signal.inTransit') ?? 0;
  const ropEff = rop + (s.safetyStockBuffer - 1) * (ss ?? 0);
  const ex = new Explainer('reorder point: position = on hand + in transit ≤ ROP + (buffer − 1)·SS; clear above × (1 + h)', {
    onHand,
    inTransit,
    reorderPoint: rop,
    safetyStock: ss,
    buffer: s.safetyStockBuffer,
    effectiveReorderPoint: round(ropEff),
    profile: s.profile,
  });
  if (onHand === null)
    return { cls: { status: 'UNKNOWN', reason: 'NO_DATA', wouldBe: null, levelRule: null }, explainer: ex, band: null, learnValue: null };
  const position = onHand + inTransit;
  ex.step('inventory position', position);
  const level = s.baseLevel;
  const rule = `${level}: position ${position} ≤ reorder point ${round(ropEff)}`;
  if (position <= ropEff) {
    if (sig.censored) {
      return {
        cls: { status: 'UNKNOWN', reason: 'CENSORED', wouldBe: level, levelRule: rule },
        explainer: ex,
        band: null,
        learnValue: null,
      };
    }
    return { cls: { status: 'BREACH', level, levelRule: rule }, explainer: ex, band: null, learnValue: null };
  }
  return { cls: { status: position > ropEff * (1 + h) ? 'CLEAR' : 'NEUTRAL' }, explainer: ex, band: null, learnValue: null };
}

function classifySellout(sig: Extract<AlertSignal, { type: 'SELLOUT_ETA' }>, s: AlertSettings): ClassifyResult {
  const eta = optionalNumber(sig.etaHours, 'signal.etaHours');
  if (eta !== null && eta < 0) throw new RangeError(`signal.etaHours must be ≥ 0, got ${eta}`);
  const H = s.selloutHorizonHours;
  const ex = new Explainer('sell-out imminent: YELLOW at ETA ≤ h, ORANGE ≤ h/2, RED ≤ h/4; clear above h × (1 + hysteresis)', {
    etaHours: eta,
    horizonHours: H,
    profile: s.profile,
  });
  if (eta === null) {
    ex.note('the drain never sells out at the fitted rate');
    return { cls: { status: 'CLEAR' }, explainer: ex, band: null, learnValue: null };
  }
  const level: AlertLevel | null = eta <= H / 4 ? 'RED' : eta <= H / 2 ? 'ORANGE' : eta <= H ? 'YELLOW' : null;
  if (level) {
    const edge = level === 'RED' ? H / 4 : level === 'ORANGE' ? H / 2 : H;
    return {
      cls: { status: 'BREACH', level, levelRule: `${level}: ETA ${round(eta, 2)} h ≤ ${round(edge, 2)} h` },
      explainer: ex,
      band: null,
      learnValue: null,
    };
  }
  return { cls: { status: eta > H * (1 + s.hysteresis) ? 'CLEAR' : 'NEUTRAL' }, explainer: ex, band: null, learnValue: null };
}

/**
 * DATA_STALE: the one staleness rule of core/series/provenance.ts (`captureStaleness`, which
 * `dataStatus.stale` uses too): T = max(2 h, factor × interval), judged on when the newest capture
 * arrived; imported history (arrived later than T after it was captured) never breaches.
 * YELLOW at arrival age ≥ T, ORANGE ≥ 2T, RED ≥ 4T.
 */
function classifyCapture(sig: Extract<AlertSignal, { type: 'CAPTURE' }>, s: AlertSettings, now: number): ClassifyResult {
  const last = optionalNumber(sig.lastCaptureAt, 'signal.lastCaptureAt');
  const arrived = optionalNumber(sig.lastArrivedAt ?? null, 'signal.lastArrivedAt');
  if (!(Number.isFinite(sig.expectedIntervalMs) && sig.expectedIntervalMs > 0)) {
    throw new RangeError(`signal.expectedIntervalMs must be > 0, got ${sig.expectedIntervalMs}`);
  }
  const st = captureStaleness({
    now,
    newestCaptureAt: last,
    newestArrivedAt: arrived,
    intervalMs: sig.expectedIntervalMs,
    factor: s.staleFactor,
  });
  const T = st.staleAfterMs;
  const ex = new Explainer(
    'data stale: T = max(2 h, factor × interval); age = now − arrival of the newest capture; YELLOW ≥ T, ORANGE ≥ 2T, RED ≥ 4T; history that arrived more than T after capture is never stale',
    {
      lastCaptureAt: last,
      lastArrivedAt: arrived,
      expectedIntervalHours: round(sig.expectedIntervalMs / 3_600_000),
      staleFactor: round(s.staleFactor),
      thresholdHours: round(T / 3_600_000),
      profile: s.profile,
    },
  );
  if (last === null) {
    ex.note('nothing was ever captured');
    return { cls: { status: 'UNKNOWN', reason: 'NO_DATA', wouldBe: null, levelRule: null }, explainer: ex, band: null, learnValue: null };
  }
  ex.step('age hours', round((st.arrivalAgeMs ?? 0) / 3_600_000));
  ex.step('arrival lag hours', round((st.arrivalLagMs ?? 0) / 3_600_000));
  if (st.note) ex.note(st.note);
  const m = st.multiple;
  const level: AlertLevel | null = !st.stale ? null : m >= 4 ? 'RED' : m >= 2 ? 'ORANGE' : 'YELLOW';
  if (level) {
    const mult = level === 'RED' ? 4 : level === 'ORANGE' ? 2 : 1;
    const age = st.arrivalAgeMs ?? 0;
    return {
      cls: {
        status: 'BREACH',
        level,
        levelRule: `${level}: nothing arrived for ${round(age / 3_600_000, 2)} h ≥ ${mult}T = ${round((mult * T) / 3_600_000, 2)} h`,
      },
      explainer: ex,
      band: null,
      learnValue: null,
    };
  }
  return { cls: { status: 'CLEAR' }, explainer: ex, band: null, learnValue: null };
}

/**
 * CONSUMPTION_RATE: observed units N in the rolling window against the expected μ (rate.ts rateLevel):
 * ORANGE above `orange` × μ, RED above `red` × μ, only when N ≥ minUnits and N > Q_q(μ). Over an edge
 * without that evidence is NEUTRAL (no alert, no resolution). A lower-bound count that still breaches
 * is a breach (the truth is higher); one that does not is UNKNOWN (CENSORED).
 */
function classifyWindowRate(sig: Extract<AlertSignal, { type: 'WINDOW_RATE' }>, s: AlertSettings): ClassifyResult {
  const observed = optionalNumber(sig.observed, 'signal.observed');
  const expected = optionalNumber(sig.expected, 'signal.expected');
  const r = s.rate;
  const ex = new Explainer(
    `real-time rate: ratio = N / μ over the last ${round(r.windowMs / 60_000, 2)} min; ORANGE > ${r.orange * 100} %, RED > ${r.red * 100} % of expected, only when N ≥ ${r.minUnits} and N > Poisson Q${r.quantile}(μ)`,
    {
      observedUnits: observed === null ? null : round(observed),
      expectedUnits: expected === null ? null : round(expected),
      what: sig.what ?? null,
      lowerBound: !!sig.lowerBound,
      profile: s.profile,
    },
  );
  if (observed === null) {
    ex.note('too little of the window is measured (capture gap or restock)');
    return { cls: { status: 'UNKNOWN', reason: 'NO_DATA', wouldBe: null, levelRule: null }, explainer: ex, band: null, learnValue: null };
  }
  if (expected === null) {
    ex.note('the hour-of-day baseline needs more history before it can judge');
    return {
      cls: { status: 'UNKNOWN', reason: 'INSUFFICIENT_HISTORY', wouldBe: null, levelRule: null },
      explainer: ex,
      band: null,
      learnValue: null,
    };
  }
  const v = rateLevel(observed, expected, r);
  ex.step('ratio %', round(v.ratio * 100, 1));
  ex.step('Poisson limit (units)', v.poissonLimit, `smallest k with P(X ≤ k) ≥ ${r.quantile}, X ~ Poisson(${round(expected, 3)})`);
  const rule = (level: 'ORANGE' | 'RED') =>
    `${level}: ${round(observed, 1)} units${sig.what ? ` (${sig.what})` : ''} in the last ${round(r.windowMs / 60_000, 2)} min = ${round(v.ratio * 100, 1)} % of the ${round(expected, 2)} expected (> ${(level === 'RED' ? r.red : r.orange) * 100} %), above the Poisson limit ${v.poissonLimit}`;
  if (v.status === 'BREACH')
    return { cls: { status: 'BREACH', level: v.level, levelRule: rule(v.level) }, explainer: ex, band: null, learnValue: null };
  if (sig.lowerBound) {
    ex.note('the count is a lower bound (censored stock): a rate that does not breach at the bound is not known to be normal');
    return { cls: { status: 'UNKNOWN', reason: 'CENSORED', wouldBe: null, levelRule: null }, explainer: ex, band: null, learnValue: null };
  }
  if (v.status === 'NEUTRAL') {
    ex.note(
      `over the ${v.wouldBe} edge but within Poisson noise of the expected count (needs ≥ ${r.minUnits} units and > ${v.poissonLimit})`,
    );
    return { cls: { status: 'NEUTRAL' }, explainer: ex, band: null, learnValue: null };
  }
  return { cls: { status: 'CLEAR' }, explainer: ex, band: null, learnValue: null };
}

export function classify(obs: AlertObservation, baseline: BaselineState, s: AlertSettings, now: number): ClassifyResult {
  const sig = obs.signal;
  switch (sig.type) {
    case 'RATE':
      return classifyRate(sig, obs.at, baseline, s);
    case 'STOCK':
      return classifyStock(sig, s);
    case 'SELLOUT_ETA':
      return classifySellout(sig, s);
    case 'CAPTURE':
      return classifyCapture(sig, s, now);
    case 'WINDOW_RATE':
      return classifyWindowRate(sig, s);
    case 'EVENT': {
      if (typeof sig.active !== 'boolean') throw new TypeError(`signal.active must be a boolean, got ${String(sig.active)}`);
      const ex = new Explainer(`competitor event ${s.kind}: raised at ${s.eventLevel} while active`, {
        active: sig.active,
        detail: sig.detail ?? null,
        profile: s.profile,
      });
      if (!sig.active) return { cls: { status: 'CLEAR' }, explainer: ex, band: null, learnValue: null };
      return {
        cls: { status: 'BREACH', level: s.eventLevel, levelRule: `${s.eventLevel}: event level of profile ${s.profile}` },
        explainer: ex,
        band: null,
        learnValue: null,
      };
    }
    case 'RECONCILIATION': {
      const r = sig.report;
      if (!r || typeof r.ok !== 'boolean' || !Array.isArray(r.findings))
        throw new TypeError('signal.report must be a ReconciliationReport');
      const ex = new Explainer('ledger reconciliation: any negative stock or mismatch beyond tolerance is RED', {
        findings: r.findings.length,
        openingStock: r.figures.openingStock,
        expectedClosingStock: r.figures.expectedClosingStock,
        closingStock: r.figures.closingStock,
      });
      for (const f of r.findings) ex.step(f.code, f.difference, f.detail);
      if (r.ok) return { cls: { status: 'CLEAR' }, explainer: ex, band: null, learnValue: null };
      return {
        cls: { status: 'BREACH', level: 'RED', levelRule: `RED: ${r.findings.map((f) => f.code).join(', ')}` },
        explainer: ex,
        band: null,
        learnValue: null,
      };
    }
  }
}
