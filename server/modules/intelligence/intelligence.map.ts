/**
 * core/ results → GraphQL objects. Epoch ms become Dates; figures core marks as lower bounds lose
 * their exact field (null) and keep the bound, so a censored reading is never shown as exact.
 */
import { anomalySentence, type SnapshotFlag, wrongFields } from '../../../core/anomalies';
import type { AnomalyField, AnomalyKind, SnapshotAnomaly } from './anomaly.types';
import type { Deal as CoreDeal, DealBaselineComparison, SellOutEtaMs } from '../../../core/deals';
import type { DataProvenance, Explanation as CoreExplanation } from '../../../core/explain';
import type { RestockEvent, StockoutWindow as CoreStockoutWindow } from '../../../core/restock';
import type { Baseline as CoreBaseline, VelocityResult } from '../../../core/series';
import type { Estimate } from '../../../core/series/types';
import { toExplanation } from '../../graphql/explanation';
import {
  type ActualUnitsSource,
  type Baseline,
  type CurveShape,
  type Deal,
  type DealBatchSource,
  type DealComparison,
  type DealQuantitySource,
  type DealStatus,
  type DealStrategy,
  type DrainModel,
  type RateEstimate,
  type Restock,
  type RestockKind,
  type SellOutEta,
  type StockoutWindow,
  type Velocity,
  VelocitySource,
} from './intelligence.types';

const date = (ms: number): Date => new Date(ms);
const dateOrNull = (ms: number | null | undefined): Date | null => (ms === null || ms === undefined ? null : new Date(ms));

/** Deal ids are `<competitorId>:<type>:<startedAt ms>`: unique across competitors, stable across requests. */
export function dealId(competitorId: string, d: CoreDeal): string {
  return `${competitorId}:${d.type}:${Math.round(d.startedAt)}`;
}

export function parseDealId(id: string): { competitorId: string; type: string; startedAt: number } | null {
  const parts = id.split(':');
  if (parts.length !== 3 || !parts[0] || !/^-?\d{1,16}$/.test(parts[2])) return null;
  return { competitorId: parts[0], type: parts[1], startedAt: Number(parts[2]) };
}

/** Attaches data provenance to an explanation core built without it (restock events). */
export function withData(e: CoreExplanation, data: DataProvenance): CoreExplanation {
  return e.data ? e : { ...e, data };
}

export function toRate(e: Estimate): RateEstimate {
  return { value: e.value, lower: e.lower, upper: e.upper };
}

/**
 * The signal of a stock-based figure: STOCK when stock intervals (exact or censored) were counted, DEAL_CLAIMS
 * when only deal claims were, null when nothing was measured (the rank path may then give one).
 */
export function stockSource(c: VelocityResult['intervalCounts']): VelocitySource | null {
  if (c.EXACT + c.CENSORED > 0) return VelocitySource.STOCK;
  if (c.CLAIMS > 0) return VelocitySource.DEAL_CLAIMS;
  return null;
}

/** The API's Velocity from core's result; without `explanation`, the field is resolved on request. */
export function toVelocity(
  v: Omit<VelocityResult, 'provenance' | 'explanation'> & { explanation?: VelocityResult['explanation'] },
): Velocity {
  return {
    from: date(v.from),
    to: date(v.to),
    source: stockSource(v.intervalCounts),
    perHour: toRate(v.perHour),
    perDay: toRate(v.perDay),
    confidence: v.confidence,
    isLowerBoundOnly: v.isLowerBoundOnly,
    unitsMeasured: v.unitsMeasured,
    unitsLowerBound: v.unitsLowerBound,
    dealUnits: v.dealUnits,
    measuredHours: v.measuredHours,
    censoredHours: v.censoredHours,
    unobservedHours: v.unobservedHours,
    excludedHours: v.excludedHours,
    restockUnits: v.restockUnits,
    dispersion: v.dispersion,
    intervals: {
      exact: v.intervalCounts.EXACT,
      claims: v.intervalCounts.CLAIMS,
      censored: v.intervalCounts.CENSORED,
      restock: v.intervalCounts.RESTOCK,
      gap: v.intervalCounts.GAP,
    },
    ...(v.explanation ? { explanation: toExplanation(v.explanation) } : {}),
  };
}

export function toEta(e: SellOutEtaMs | null): SellOutEta | null {
  if (!e || (e.p10 === null && e.p50 === null && e.p90 === null)) return null;
  return { p10: dateOrNull(e.p10), p50: dateOrNull(e.p50), p90: dateOrNull(e.p90) };
}

export function toDeal(competitorId: string, d: CoreDeal): Deal {
  return {
    id: dealId(competitorId, d),
    competitorId,
    type: d.type,
    status: d.status as DealStatus,
    startedAt: date(d.startedAt),
    startedAtEarliest: dateOrNull(d.startedAtEarliest),
    startedAtLatest: date(d.startedAtLatest),
    startUncertaintyHours: d.startUncertaintyHours,
    endedAt: dateOrNull(d.endedAt),
    endInferred: d.endInferred,
    scheduledStartAt: dateOrNull(d.scheduledStartAt),
    scheduledEndAt: dateOrNull(d.scheduledEndAt),
    firstSeenAt: date(d.firstSeenAt),
    lastSeenAt: date(d.lastSeenAt),
    captures: d.captures,
    dealQuantity: d.dealQuantity,
    dealQuantityLower: d.dealQuantityLower,
    dealQuantityUpper: d.dealQuantityUpper,
    dealQuantitySource: d.dealQuantitySource as DealQuantitySource,
    unitsSold: d.unitsSold,
    claimedPercent: d.claimedPercent,
    remainingUnits: d.remainingUnits,
    velocityPerHour: d.velocityPerHour,
    peakVelocityPerHour: d.peakVelocityPerHour,
    velocityPercentPerHour: d.velocityPercentPerHour,
    sellOutEta: toEta(d.sellOutEta),
    sellOutEtaReason: d.sellOutEtaReason,
    sellOutProbability: d.sellOutProbability,
    drainModel: d.drainModel as DrainModel | null,
    soldOutAt: dateOrNull(d.soldOutAt),
    sellThroughRate: d.sellThroughRate,
    durationHours: d.durationHours,
    peakPeriod: d.peakPeriod
      ? { start: date(d.peakPeriod.start), end: date(d.peakPeriod.end), slopePerHour: d.peakPeriod.slopePerHour, units: d.peakPeriod.units }
      : null,
    plateaus: d.plateaus.map((p) => ({ ...p, start: date(p.start), end: date(p.end) })),
    curveShape: d.curveShape as CurveShape,
    firstQuarterShare: d.firstQuarterShare,
    strategy: d.strategy as DealStrategy,
    strategyReason: d.strategyReason,
    discountPercent: d.discountPercent,
    discountVsListPercent: d.discountVsListPercent,
    discountVsPreDealPercent: d.discountVsPreDealPercent,
    dealPrice: d.dealPrice,
    referencePrice: d.referencePrice,
    listPrice: d.listPrice,
    preDealPrice: d.preDealPrice,
    restockBatches: d.restockBatches.map((b) => ({ at: date(b.at), quantity: b.quantity, source: b.source as DealBatchSource })),
    claimCurve: d.claimCurve.map((c) => ({ at: date(c.at), units: c.units })),
    percentMode: d.percentMode,
    explanation: toExplanation(d.explanation),
  };
}

export function toRestock(e: RestockEvent, data: DataProvenance): Restock {
  const lb = e.toLevelIsLowerBound;
  return {
    at: date(e.at),
    earliestAt: date(e.earliestAt),
    quantity: lb ? null : e.quantity,
    quantityLowerBound: e.quantity,
    quantityIsLowerBound: lb,
    fromLevel: e.fromLevel,
    toLevel: e.toLevel,
    toLevelIsLowerBound: lb,
    kind: e.kind as RestockKind,
    confidence: e.confidence,
    transitions: e.transitions,
    explanation: toExplanation(withData(e.explanation, data)),
  };
}

export function toStockoutWindow(w: CoreStockoutWindow): StockoutWindow {
  return {
    start: date(w.start),
    end: dateOrNull(w.end),
    open: w.open,
    durationHours: w.durationHours,
    // core leaves the point estimate null when the baseline is censored; keep that explicit.
    opportunityUnits: w.opportunityIsLowerBound ? null : w.opportunityUnits,
    opportunityLower: w.opportunityLower,
    opportunityUpper: w.opportunityUpper,
    opportunityIsLowerBound: w.opportunityIsLowerBound,
    baselinePerDay: w.opportunityIsLowerBound ? null : w.baselinePerDay,
    endedByRestockAt: dateOrNull(w.endedBy?.at),
    explanation: toExplanation(w.explanation),
  };
}

export function toBaseline(b: CoreBaseline): Baseline {
  return {
    from: date(b.from),
    to: date(b.to),
    coveredDays: b.coveredDays,
    avgStock: b.avgStockIsLowerBound ? null : b.avgStock,
    avgStockLowerBound: b.avgStock,
    avgStockIsLowerBound: b.avgStockIsLowerBound,
    dailyConsumption: toRate(b.dailyConsumption),
    consumptionIsLowerBound: b.consumptionIsLowerBound,
    outOfStockHours: b.outOfStockHours,
    restockCycle: {
      restocks: b.restockCycle.restocks,
      meanDays: b.restockCycle.meanDays,
      medianDays: b.restockCycle.medianDays,
      lastRestockAt: dateOrNull(b.restockCycle.lastRestockAt),
      nextExpectedAt: dateOrNull(b.restockCycle.nextExpectedAt),
    },
    explanation: toExplanation(b.explanation),
  };
}

export function toComparison(id: string, c: DealBaselineComparison): DealComparison {
  const f = c.forecastVsActual;
  return {
    dealId: id,
    baseline: toBaseline(c.baseline),
    baselineSufficient: c.baselineSufficient,
    dealHours: c.dealHours,
    expectedUnits: c.expectedUnits,
    actualUnits: c.actualUnits,
    actualUnitsSource: c.actualUnitsSource as ActualUnitsSource,
    actualDealUnits: c.actualDealUnits,
    liftRatio: c.liftRatio,
    incrementalUnits: c.incrementalUnits,
    postPerDay: c.postPerDay,
    postRatioToBaseline: c.postRatioToBaseline,
    recoveryThreshold: c.recoveryThreshold,
    recoveredAt: dateOrNull(c.recoveredAt),
    hoursToRecover: c.hoursToRecover,
    forecastVsActual: f
      ? {
          forecastAt: date(f.forecastAt),
          model: f.model as DrainModel,
          predictedSoldOutAt: {
            p10: dateOrNull(f.predictedSoldOutAt.p10),
            p50: dateOrNull(f.predictedSoldOutAt.p50),
            p90: dateOrNull(f.predictedSoldOutAt.p90),
          },
          actualSoldOutAt: dateOrNull(f.actualSoldOutAt),
          errorHours: f.errorHours,
          predictedUnitsByEnd: f.predictedUnitsByEnd,
          actualUnitsByEnd: f.actualUnitsByEnd,
          unitsErrorPercent: f.unitsErrorPercent,
          percentMode: f.percentMode,
        }
      : null,
    explanation: toExplanation(c.explanation),
  };
}

/** A flagged reading for Competitor.anomalies: kinds and fields as enums, the reasons in one sentence. */
export function toSnapshotAnomaly(f: SnapshotFlag): SnapshotAnomaly {
  return {
    capturedAt: date(f.at),
    kinds: [...new Set(f.reasons.map((r) => r.code))] as AnomalyKind[],
    fields: [...new Set(f.reasons.flatMap((r) => r.fields))].map((x) => x.toUpperCase()) as AnomalyField[],
    stockLeftOut: wrongFields(f).has('stock'),
    explanation: anomalySentence(f),
  };
}
