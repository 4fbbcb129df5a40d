/**
 * Replenishment planning and profitability over the stored products, suppliers, sales and purchase
 * orders. Thin glue: validate arguments (errors name the field), gather inputs through the
 * per-request loaders, call core/, map the result. The formulas live in core/replenishment and
 * core/profitability.
 */
import { randomUUID } from 'node:crypto';
import type { Explanation as CoreExplanation } from '../../../core/explain';
import type { ForecastOptions, ForecastResult } from '../../../core/forecast';
import type { LiftEstimate, PromotionPeriod } from '../../../core/forecast/promotions';
import {
  type LandedCostInput as CoreLandedCostInput,
  priorityMatrix,
  type PrioritySku,
  type SupplierOption,
} from '../../../core/profitability';
import {
  eoq,
  type LeadTimeComponents,
  type PriceTier,
  type Promotion,
  type QuantityMethod as CoreQuantityMethod,
  type ReplenishmentPlan as CorePlan,
  replenishmentPlan,
  type ReplenishmentPlanInput,
  type SafetyStockMethod as CoreSafetyStockMethod,
} from '../../../core/replenishment';
import type { Clock } from '../../clock';
import type { TaskRunner } from '../../workers/pool';
import type { Db } from '../../db/db';
import { isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput, notFound } from '../../graphql/errors';
import { toExplanation } from '../../graphql/explanation';
import * as v from '../../graphql/validate';
import { epochDayOf, isoOfDay, parseDay } from '../product/days';
import type { Product } from '../product/product.entity';
import type { ProductLoaders } from '../product/product.loaders';
import type { ProductService } from '../product/product.service';
import type { Supplier, SupplierPriceTier } from '../supplier/supplier.entity';
import type { LeadTimeStageInput } from '../supplier/supplier.inputs';
import type { SupplierLoaders } from '../supplier/supplier.loaders';
import { checkTiers, nameKey, type SupplierService, type Tier } from '../supplier/supplier.service';
import { leadTimeComponents } from '../supplier/supplier.types';
import { DEFAULT_WINDOW_DAYS, type DemandEstimate, type DemandEstimator, MAX_WINDOW_DAYS, movingAverageEstimator } from './demand';
import type {
  CompareSuppliersInput,
  EoqInput,
  ProfitabilityScenarioInput,
  ProfitabilityScenariosArgs,
  ReplenishmentPlanArgs,
  SaveProfitabilityScenarioInput,
  SkuPriorityMatrixArgs,
} from './planning.inputs';
import {
  coreQuantityMethod,
  coreSafetyStockMethod,
  type DemandEstimateType,
  DemandSource,
  type EoqResult,
  type OrderQuantityMethod,
  type PriorityMatrix,
  type PriorityQuadrant,
  type ProfitabilityScenarioResult,
  type ReplenishmentPlan,
  SafetyStockMethod,
  type SupplierComparison,
} from './planning.types';
import { SavedProfitabilityScenario } from './scenario.entity';

export interface PlanningLoaders {
  products: ProductLoaders;
  suppliers: SupplierLoaders;
  /** The request's time budget, when there is one: pool work stops past it. */
  budget?: { signal: AbortSignal };
  /** The request's batched model fits (the forecast module's `fits` loader), for demandSource FORECAST. */
  forecasts?: { fits: { load(key: { y: number[]; opts: ForecastOptions }): Promise<ForecastResult> } };
}

/** The seller's promotions of a product (the promotion module's PromotionService). */
export interface PlannedPromotionSource {
  /** Promotions of the product overlapping the epoch days [from, to]; `memoKey` batches one request's products. */
  periodsOf(productId: string, from: number, to: number, memoKey?: object): Promise<PromotionPeriod[]>;
  /** Planned or running promotions of the product overlapping [from, to], each with its lift estimate (null without past ones). */
  plannedLifts(
    workspaceId: string,
    product: Product,
    from: number,
    to: number,
    memoKey?: object,
  ): Promise<(PromotionPeriod & { estimate: LiftEstimate | null })[]>;
}

/** Demand from the forecasting engine, for plans with demandSource FORECAST. */
export interface ForecastDemandSource {
  planningEstimator(loaders: PlanningLoaders, windowDays: number): DemandEstimator;
}

const MAX_MONEY = 10_000_000;
/** Supplier-days one comparison may simulate: bounds a request to well under a second. */
export const MAX_SIMULATION_WORK = 5_000_000;

/**
 * Runs a core function and turns its RangeError/TypeError (whose message starts with the offending
 * field, e.g. "tiers[2].unitCost must be > 0") into BAD_USER_INPUT naming `<prefix>.<field>`.
 */
function viaCore<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asInputError(prefix, e);
  }
}

/** viaCore for a core task run in the worker pool (the pool rebuilds RangeError/TypeError). */
async function viaPool<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw asInputError(prefix, e);
  }
}

/** A core RangeError/TypeError as BAD_USER_INPUT naming `<prefix>.<field>`; anything else unchanged. */
function asInputError(prefix: string, e: unknown): unknown {
  if (!(e instanceof RangeError || e instanceof TypeError)) return e;
  const m = /^([A-Za-z_][\w.[\]]*)\s+(.*)$/s.exec(e.message);
  const field = m ? (prefix ? `${prefix}.${m[1]}` : m[1]) : prefix || 'input';
  return badInput(field, m ? m[2] : e.message);
}

function openUnit(field: string, x: number): number {
  v.finite(field, x);
  if (!(x > 0 && x < 1)) throw badInput(field, `must be strictly between 0 and 1, got ${x}`);
  return x;
}

const opt = <T>(x: T | null | undefined): T | undefined => (x === null ? undefined : x);

/** Tiers priced above the product's own unit cost are irrelevant for it (it already buys cheaper). */
function applicableTiers(tiers: SupplierPriceTier[] | Tier[], unitCost: number): { tiers: Tier[]; dropped: number } {
  const kept = tiers.filter((t) => t.unitCost <= unitCost).map((t) => ({ minQuantity: t.minQuantity, unitCost: t.unitCost }));
  return { tiers: kept, dropped: tiers.length - kept.length };
}

function withNotes(e: CoreExplanation, inputs: Record<string, string | number | boolean | null>, notes: string[]): CoreExplanation {
  return { ...e, inputs: { ...e.inputs, ...inputs }, notes: [...e.notes, ...notes] };
}

export function demandType(d: DemandEstimate): DemandEstimateType {
  return {
    method: d.method,
    mean: d.mean,
    sd: d.sd,
    max: d.max,
    windowDays: d.windowDays,
    from: d.from === null ? null : isoOfDay(d.from),
    to: isoOfDay(d.to),
    inStockDays: d.inStockDays,
    stockoutDaysExcluded: d.stockoutDaysExcluded,
    unrecordedDays: d.unrecordedDays,
    lastRecordedDate: d.lastRecordedDay === null ? null : isoOfDay(d.lastRecordedDay),
    warnings: d.warnings,
    explanation: toExplanation(d.explanation),
  };
}

function stage(field: string, s: LeadTimeStageInput): { mean: number; sd: number } {
  return { mean: v.finite(`${field}.mean`, s.mean, { min: 0, max: 365 }), sd: v.finite(`${field}.sd`, s.sd ?? 0, { min: 0, max: 365 }) };
}

function windowDays(field: string, w: number | null | undefined): number {
  return w === null || w === undefined ? DEFAULT_WINDOW_DAYS : v.finite(field, w, { min: 1, max: MAX_WINDOW_DAYS, integer: true });
}

/** Plan arguments after validation, with the deprecated method aliases resolved. */
interface PlanArgs {
  serviceLevel: number;
  fillRateTarget: number | undefined;
  method: CoreSafetyStockMethod;
  quantityMethod: CoreQuantityMethod;
  promotion: Promotion | undefined;
  peakCoefficient: number | null;
  peakDaily: number | null;
  peakDemand: number | null;
  coverageDays: number | null;
  reviewPeriodDays: number;
  holdingRate: number;
  window: number;
  horizonDays: number;
  leadTimeDays: number | null;
  leadTimeSdDays: number | null;
  maxLeadTimeDays: number | null;
}

/** Validates the plan arguments (errors name the argument) and resolves BRIEF to the method it stands for. */
function readPlanArgs(args: ReplenishmentPlanArgs): PlanArgs {
  const serviceLevel = openUnit('serviceLevel', args.serviceLevel);
  const fillRateTarget =
    args.fillRateTarget === null || args.fillRateTarget === undefined ? undefined : openUnit('fillRateTarget', args.fillRateTarget);
  if (args.method === SafetyStockMethod.FILL_RATE && fillRateTarget === undefined)
    throw badInput('fillRateTarget', 'is required when method is FILL_RATE');
  const uplift = v.optionalFinite('demandUplift', args.demandUplift, { min: -0.99, max: 10 });
  const upliftStart = args.upliftStart ? parseDay('upliftStart', args.upliftStart) : undefined;
  const upliftEnd = args.upliftEnd ? parseDay('upliftEnd', args.upliftEnd) : undefined;
  if (upliftStart !== undefined && upliftEnd !== undefined && upliftEnd < upliftStart)
    throw badInput('upliftEnd', 'must not be before upliftStart');
  if (uplift === null && (upliftStart !== undefined || upliftEnd !== undefined))
    throw badInput('demandUplift', 'is required with upliftStart or upliftEnd');
  const peakCoefficient = v.optionalFinite('peakCoefficient', args.peakCoefficient, { min: 0.01, max: 10 });
  const peakDaily = v.optionalFinite('peakDailyDemand', args.peakDailyDemand, { min: 0, max: 1e9 });
  const peakDemand = v.optionalFinite('peakDemand', args.peakDemand, { min: 0, max: 1e12 });
  const coverageDays = v.optionalFinite('coverageDays', args.coverageDays, { min: 0, max: 3660 });
  const reviewPeriodDays = v.finite('reviewPeriodDays', args.reviewPeriodDays, { min: 0, max: 365 });
  const holdingRate = v.finite('holdingRate', args.holdingRate, { min: 0.0001, max: 10 });
  const window = windowDays('windowDays', args.windowDays);
  const horizonDays = v.finite('horizonDays', args.horizonDays, { min: 1, max: 3660, integer: true });
  const leadTimeDays = v.optionalFinite('leadTimeDays', args.leadTimeDays, { min: 0, max: 1095 });
  const leadTimeSdDays = v.optionalFinite('leadTimeSdDays', args.leadTimeSdDays, { min: 0, max: 365 });
  if (leadTimeDays === null && leadTimeSdDays !== null) throw badInput('leadTimeSdDays', 'needs leadTimeDays');
  const maxLeadTimeDays = v.optionalFinite('maxLeadTimeDays', args.maxLeadTimeDays, { min: 0, max: 3000 });
  return {
    serviceLevel,
    fillRateTarget,
    method: coreSafetyStockMethod(args.method),
    quantityMethod: coreQuantityMethod(args.quantityMethod),
    promotion: uplift === null ? undefined : { uplift, start: upliftStart, end: upliftEnd },
    peakCoefficient,
    peakDaily,
    peakDemand,
    coverageDays,
    reviewPeriodDays,
    holdingRate,
    window,
    horizonDays,
    leadTimeDays,
    leadTimeSdDays,
    maxLeadTimeDays,
  };
}

/** The lead time a plan uses: the leadTimeDays argument as one procurement stage, else the supplier's three stages. */
function planLeadTime(product: Product, supplier: Supplier | null, a: PlanArgs, notes: string[]): LeadTimeComponents {
  if (a.leadTimeDays !== null) {
    notes.push('Lead time given as an argument (leadTimeDays, leadTimeSdDays): shown as a single procurement stage.');
    return {
      procurement: { mean: a.leadTimeDays, sd: a.leadTimeSdDays ?? 0 },
      shipping: { mean: 0, sd: 0 },
      inbound: { mean: 0, sd: 0 },
    };
  }
  if (supplier) return leadTimeComponents(supplier);
  throw badInput('leadTimeDays', `product ${product.sku} has no supplier: link one (upsertProduct supplierId) or pass leadTimeDays`);
}

/** What the plan gathered from the store for core's input. */
interface PlanFacts {
  today: number;
  demand: DemandEstimate;
  leadTime: LeadTimeComponents;
  maxLeadTimeDays: number | undefined;
  openOrders: { quantity: number; expectedAt: Date }[];
  orderCost: number | undefined;
  tiers: Tier[];
  /** The seller's planned promotions with their estimated uplift (when no demandUplift was typed). */
  promotions: Promotion[];
}

/** Core's plan input from the product, the validated arguments and the gathered facts. */
function planInput(product: Product, a: PlanArgs, f: PlanFacts): ReplenishmentPlanInput {
  const { demand } = f;
  return {
    sku: product.sku,
    today: f.today,
    demand: { mean: demand.mean, sd: demand.sd, max: demand.max, peak: a.peakDaily ?? undefined, forecast: demand.forecast },
    onHand: product.onHand,
    openPurchaseOrders: f.openOrders.map((o) => ({ quantity: o.quantity, arrival: epochDayOf(o.expectedAt.getTime()) })),
    leadTime: f.leadTime,
    maxLeadTimeDays: f.maxLeadTimeDays,
    serviceLevel: a.serviceLevel,
    fillRateTarget: a.fillRateTarget,
    safetyStockMethod: a.method,
    quantityMethod: a.quantityMethod,
    abcClass: product.abcClass,
    promotion: a.promotion,
    promotions: f.promotions.length ? f.promotions : undefined,
    peakCoefficient: a.peakCoefficient ?? undefined,
    peakDemand: a.peakDemand ?? undefined,
    coverageDays: a.coverageDays ?? undefined,
    reviewPeriodDays: a.reviewPeriodDays,
    moq: product.moq,
    casePack: product.casePack,
    storageLimit: product.storageLimit ?? undefined,
    orderCost: f.orderCost,
    holdingRate: a.holdingRate,
    unitCost: product.unitCost,
    tiers: f.tiers.length ? f.tiers : undefined,
    horizonDays: a.horizonDays,
  };
}

/** The GraphQL plan from core's plan: the EOQ tier by its minQuantity, demand and its warnings first. */
function planType(p: CorePlan, demand: DemandEstimate, tiers: Tier[], explanation: CoreExplanation): ReplenishmentPlan {
  const peak = p.quantityOptions.peakCoverage;
  const eoqOpt = p.quantityOptions.eoq;
  return {
    today: p.today,
    safetyStock: p.safetyStock,
    safetyStockMethod: p.safetyStockMethod as SafetyStockMethod,
    safetyStockReason: p.safetyStockReason,
    safetyStockOptions: p.safetyStockOptions,
    abcMultiplier: p.abcMultiplier,
    reorderPoint: p.reorderPoint,
    onHand: p.onHand,
    inTransit: p.inTransit,
    stockPosition: p.stockPosition,
    orderQuantity: p.orderQuantity,
    quantityMethod: p.quantityMethod as OrderQuantityMethod,
    quantityOptions: {
      peakCoverage: { ...peak.rounded, raw: peak.raw, peakDemand: peak.peakDemand, coefficient: peak.coefficient },
      eoq: eoqOpt
        ? {
            ...eoqOpt.rounded,
            raw: eoqOpt.raw,
            eoq: eoqOpt.eoq,
            unitCost: eoqOpt.unitCost,
            tierMinQuantity: eoqOpt.tier === null ? null : tiers[eoqOpt.tier].minQuantity,
          }
        : null,
    },
    storageHeadroom: p.storageHeadroom,
    orderByDate: p.orderByDate,
    orderNow: p.orderNow,
    daysUntilOrderBy: p.daysUntilOrderBy,
    expectedArrivalDate: p.expectedArrivalDate,
    daysOfCover: p.daysOfCover,
    projectedStockoutDate: p.projectedStockoutDate,
    expectedFillRate: p.expectedFillRate,
    cycleServiceLevel: p.cycleServiceLevel,
    expectedShortagePerCycle: p.expectedShortagePerCycle,
    leadTimeDays: p.leadTimeDays,
    leadTimeSdDays: p.leadTimeSd,
    maxLeadTimeDays: p.maxLeadTimeDays,
    leadTimeDailyDemand: p.leadTimeDailyDemand,
    leadTimeDemandMean: p.leadTimeDemandMean,
    leadTimeDemandSd: p.leadTimeDemandSd,
    demand: demandType(demand),
    warnings: [...demand.warnings, ...p.warnings],
    explanation: toExplanation(explanation),
  };
}

/** Landed-cost inputs of a scenario; the unit cost defaults to the product's (noted). */
function scenarioLanded(
  f: (n: string) => string,
  input: ProfitabilityScenarioInput,
  product: Product | null,
  notes: string[],
): CoreLandedCostInput {
  const l = input.landed ?? {};
  const unitCostIn = l.unitCost ?? product?.unitCost;
  if (unitCostIn === undefined) throw badInput(f('landed.unitCost'), 'is required without sku');
  if (l.unitCost === null || l.unitCost === undefined) notes.push(`unit cost ${unitCostIn} from product ${product!.sku}.`);
  if (l.dutyBasis && l.dutyBasis !== 'CIF' && l.dutyBasis !== 'FOB')
    throw badInput(f('landed.dutyBasis'), `must be CIF or FOB, got "${l.dutyBasis.slice(0, 20)}"`);
  const landed: CoreLandedCostInput = {
    unitCost: v.finite(f('landed.unitCost'), unitCostIn, { min: 0.0001, max: MAX_MONEY }),
    freightPerUnit: opt(v.optionalFinite(f('landed.freightPerUnit'), l.freightPerUnit, { min: 0, max: MAX_MONEY })),
    freightPerShipment: opt(v.optionalFinite(f('landed.freightPerShipment'), l.freightPerShipment, { min: 0, max: 1e9 })),
    shipmentQuantity: opt(v.optionalFinite(f('landed.shipmentQuantity'), l.shipmentQuantity, { min: 1e-9, max: 1e9 })),
    insuranceRate: opt(v.optionalFinite(f('landed.insuranceRate'), l.insuranceRate, { min: 0, max: 1 })),
    dutyRate: opt(v.optionalFinite(f('landed.dutyRate'), l.dutyRate, { min: 0, max: 5 })),
    dutyBasis: (l.dutyBasis as 'CIF' | 'FOB' | null | undefined) ?? undefined,
    otherPerUnit: opt(v.optionalFinite(f('landed.otherPerUnit'), l.otherPerUnit, { min: 0, max: MAX_MONEY })),
  };
  if ((landed.freightPerShipment ?? 0) > 0 && landed.shipmentQuantity === undefined) {
    throw badInput(f('landed.shipmentQuantity'), 'is required with freightPerShipment (the units the shipment freight is spread over)');
  }
  return landed;
}

/** Holding-cost components and the optional storage capacity of a scenario. */
function scenarioHoldingStorage(f: (n: string) => string, input: ProfitabilityScenarioInput) {
  const h = input.holding ?? {};
  const holding = {
    storagePerUnitPerYear: opt(v.optionalFinite(f('holding.storagePerUnitPerYear'), h.storagePerUnitPerYear, { min: 0, max: MAX_MONEY })),
    capitalRate: opt(v.optionalFinite(f('holding.capitalRate'), h.capitalRate, { min: 0, max: 5 })),
    shrinkRate: opt(v.optionalFinite(f('holding.shrinkRate'), h.shrinkRate, { min: 0, max: 1 })),
  };
  const storage = input.storage
    ? {
        capacity: v.finite(f('storage.capacity'), input.storage.capacity, { min: 0, max: 1e9 }),
        overflowPerUnitPerDay: v.finite(f('storage.overflowPerUnitPerDay'), input.storage.overflowPerUnitPerDay, {
          min: 0,
          max: MAX_MONEY,
        }),
      }
    : undefined;
  return { holding, storage };
}

/** Stockout-cost inputs of a scenario (customer churn and the future contribution a lost customer takes). */
function scenarioStockout(f: (n: string) => string, input: ProfitabilityScenarioInput) {
  const so = input.stockout ?? {};
  return {
    churnRate: opt(v.optionalFinite(f('stockout.churnRate'), so.churnRate, { min: 0, max: 1 })),
    futureContributionPerCustomer: opt(
      v.optionalFinite(f('stockout.futureContributionPerCustomer'), so.futureContributionPerCustomer, { min: 0, max: MAX_MONEY }),
    ),
  };
}

export class PlanningService {
  /** `forecasts` gives demand from the AUTO forecast (the forecast module), for demandSource FORECAST. */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly products: ProductService,
    private readonly suppliers: SupplierService,
    private readonly forecasts: ForecastDemandSource,
    private readonly tasks: TaskRunner,
    private readonly promotions: PlannedPromotionSource,
  ) {}

  /**
   * The uplift of the product's planned promotions in the plan's horizon: the hand-typed
   * demandUplift when given (an override: the planned promotions are then not applied), else each
   * planned promotion's lift estimate from past promotions (PromotionService.plannedLifts). Notes
   * say which was used.
   */
  private async plannedPromotions(product: Product, a: PlanArgs, today: number, memo: object, notes: string[]): Promise<Promotion[]> {
    const lifts = await this.promotions.plannedLifts(product.workspaceId, product, today, today + a.horizonDays - 1, memo);
    const when = (p: { type: string; start: number; end: number }) => `${p.type} ${isoOfDay(p.start)} to ${isoOfDay(p.end)}`;
    if (a.promotion) {
      notes.push(
        `Uplift: the hand-typed demandUplift +${(a.promotion.uplift * 100).toFixed(1)} % is used (an override)` +
          (lifts.length ? `; the estimated lift of the planned promotion(s) ${lifts.map(when).join(', ')} is not applied.` : '.'),
      );
      return [];
    }
    const out: Promotion[] = [];
    for (const p of lifts) {
      if (!p.estimate) {
        notes.push(
          `Planned promotion ${when(p)}: no past promotion in the workspace to estimate its lift from, so no uplift is applied; pass demandUplift to set one.`,
        );
        continue;
      }
      const e = p.estimate;
      out.push({ uplift: e.lift, start: Math.max(p.start, today), end: p.end });
      notes.push(
        `Uplift: planned promotion ${when(p)} raises demand by the estimated +${(100 * e.lift).toFixed(1)} % (80 %: ${(100 * e.lower80).toFixed(1)} to ${(100 * e.upper80).toFixed(1)} %) from ${e.sameSku} past promotion(s) of this sku and ${e.workspace + e.sameGroup} of other skus (Promotion.liftEstimate); demandUplift overrides it.`,
      );
    }
    return out;
  }

  /**
   * Where a plan gets demand from: the in-stock moving average of recorded sales by default, the
   * forecasting engine for demandSource FORECAST (same DemandEstimate contract).
   */
  private estimatorFor(source: DemandSource | null | undefined, loaders: PlanningLoaders, window: number): DemandEstimator {
    if (source === DemandSource.FORECAST) return this.forecasts.planningEstimator(loaders, window);
    return this.movingAverage(loaders, window);
  }

  private movingAverage(loaders: PlanningLoaders, windowDays: number): DemandEstimator {
    return movingAverageEstimator(
      (k) => loaders.products.sales.load(k),
      windowDays,
      (id, from, to) => this.promotions.periodsOf(id, from, to, loaders),
    );
  }

  /** Today as an epoch day (UTC), from the server's clock so tests can pin it. */
  today(): number {
    return epochDayOf(this.clock.now());
  }

  // ——— Replenishment plan ———

  async plan(product: Product, args: ReplenishmentPlanArgs, loaders: PlanningLoaders): Promise<ReplenishmentPlan> {
    const today = this.today();
    const a = readPlanArgs(args);
    const [supplier, openOrders] = await Promise.all([
      product.supplierId ? loaders.suppliers.byId.load(product.supplierId) : Promise.resolve(null),
      loaders.products.openPurchaseOrders.load(product.id),
    ]);
    const notes: string[] = [];
    const leadTime = planLeadTime(product, supplier, a, notes);
    // After the lead time: a forecast estimate is the demand over the lead time.
    const leadTimeMean = leadTime.procurement.mean + leadTime.shipping.mean + leadTime.inbound.mean;
    const demand = await this.estimatorFor(args.demandSource, loaders, a.window).estimate(product.id, today, leadTimeMean);

    let tiers: Tier[] = [];
    if (supplier) {
      const t = applicableTiers(await loaders.suppliers.tiers.load(supplier.id), product.unitCost);
      tiers = t.tiers;
      if (t.dropped) notes.push(`${t.dropped} supplier price tier(s) above the product's unit cost ${product.unitCost} ignored.`);
    }
    const orderCost = supplier && supplier.orderCost > 0 ? supplier.orderCost : undefined;
    if (orderCost === undefined)
      notes.push(supplier ? "The supplier's order cost is 0: no EOQ-based quantity." : 'No supplier order cost: no EOQ-based quantity.');
    if (a.quantityMethod === 'EOQ' && (orderCost === undefined || demand.mean <= 0)) {
      throw badInput('quantityMethod', 'EOQ needs a supplier order cost > 0 and demand > 0; use PEAK_COVERAGE');
    }
    const maxLeadTimeDays = a.maxLeadTimeDays ?? (a.leadTimeDays === null ? supplier?.maxLeadTimeDays : null) ?? undefined;
    const promotions = await this.plannedPromotions(product, a, today, loaders, notes);
    const input = planInput(product, a, { today, demand, leadTime, maxLeadTimeDays, openOrders, orderCost, tiers, promotions });
    const p = viaCore('', () => replenishmentPlan(input));
    const explanation = withNotes(
      p.explanation,
      {
        supplier: supplier?.name ?? null,
        'demand.method': demand.method,
        'demand.windowDays': a.window,
        'demand.inStockDays': demand.inStockDays,
        'demand.stockoutDaysExcluded': demand.stockoutDaysExcluded,
        'demand.unrecordedDays': demand.unrecordedDays,
      },
      [
        `Demand: ${demand.method} over ${demand.inStockDays} in-stock days ${demand.from === null ? '(no sales recorded)' : `from ${isoOfDay(demand.from)} to ${isoOfDay(demand.to)}`}; ` +
          `${demand.stockoutDaysExcluded} day(s) flagged out of stock excluded so stockouts do not depress demand.`,
        'today is the server date (UTC); open purchase orders arrive on the UTC day of expectedAt.',
        ...notes,
      ],
    );
    return planType(p, demand, tiers, explanation);
  }

  // ——— EOQ ———

  eoq(input: EoqInput): EoqResult {
    const annualDemand = v.finite('input.annualDemand', input.annualDemand, { min: 1e-9, max: 1e12 });
    const orderCost = v.finite('input.orderCost', input.orderCost, { min: 1e-9, max: 1e9 });
    const holdingRate = v.finite('input.holdingRate', input.holdingRate, { min: 1e-9, max: 10 });
    const unitCost = v.finite('input.unitCost', input.unitCost, { min: 1e-9, max: MAX_MONEY });
    const tiers = input.tiers ?? [];
    const sorted = checkTiers('input.tiers', tiers, { minQuantity: 0 });
    if (sorted.length && sorted[0].minQuantity > 0 && sorted[0].unitCost > unitCost) {
      const i = tiers.findIndex((t) => t.minQuantity === sorted[0].minQuantity);
      throw badInput(
        `input.tiers[${i}].unitCost`,
        `must not exceed the base unitCost ${unitCost} (all-units discounts lower the price), got ${sorted[0].unitCost}`,
      );
    }
    const r = viaCore('input', () =>
      eoq({
        annualDemand,
        orderCost,
        holdingRate,
        unitCost,
        tiers: tiers.length ? tiers.map((t) => ({ minQuantity: t.minQuantity, unitCost: t.unitCost })) : undefined,
      }),
    );
    return { ...r, explanation: toExplanation(r.explanation) };
  }

  // ——— Profitability scenarios ———

  private async productBySku(workspaceId: string, field: string, sku: string): Promise<Product> {
    const p = await this.products.bySku(workspaceId, v.text(field, sku, { max: 64 }));
    if (!p) throw badInput(field, `no product with sku "${sku.trim().slice(0, 64)}" in this workspace`);
    return p;
  }

  async scenario(
    workspaceId: string,
    input: ProfitabilityScenarioInput,
    loaders: PlanningLoaders,
    prefix = 'input',
  ): Promise<ProfitabilityScenarioResult> {
    const f = (n: string) => `${prefix}.${n}`;
    const product = input.sku ? await this.productBySku(workspaceId, f('sku'), input.sku) : null;
    const supplier = product?.supplierId ? await loaders.suppliers.byId.load(product.supplierId) : null;
    const notes: string[] = [];
    const warnings: string[] = [];

    const price = v.finite(f('price'), input.price ?? product?.price ?? NaN, { min: 0.01, max: MAX_MONEY });
    if (input.price === null || input.price === undefined) notes.push(`price ${price} from product ${product!.sku}.`);
    const landed = scenarioLanded(f, input, product, notes);

    let tiers: Tier[] = [];
    if (input.tiers) tiers = checkTiers(f('tiers'), input.tiers, { minQuantity: 0 });
    else if (supplier) {
      const t = applicableTiers(await loaders.suppliers.tiers.load(supplier.id), landed.unitCost);
      tiers = t.tiers;
      if (tiers.length) notes.push(`price tiers from supplier ${supplier.name}.`);
    }
    let orderCost = v.optionalFinite(f('orderCost'), input.orderCost, { min: 0, max: 1e9 });
    if (orderCost === null && supplier) {
      orderCost = supplier.orderCost;
      notes.push(`order cost ${orderCost} from supplier ${supplier.name}.`);
    }
    const { holding, storage } = scenarioHoldingStorage(f, input);
    const horizonDays = v.finite(f('horizonDays'), input.horizonDays, { min: 1, max: 730, integer: true });
    const window = windowDays(f('windowDays'), input.windowDays);

    const demand = await this.scenarioDemand(f, input, product, window, loaders, notes, warnings);
    const onHand = await this.scenarioOnHand(f, input, product, loaders, notes);
    const stockout = scenarioStockout(f, input);
    const maxQuantity = opt(v.optionalFinite(f('maxQuantity'), input.maxQuantity, { min: 1, max: 1e8 }));

    const r = await viaPool(prefix, () =>
      this.tasks.run(
        'profitabilityScenario',
        [
          {
            price,
            landed,
            tiers: tiers.length ? tiers : undefined,
            orderCost: orderCost ?? undefined,
            holding,
            storage,
            demand,
            horizonDays,
            onHand,
            stockout,
            maxQuantity,
          },
        ],
        loaders.budget?.signal,
      ),
    );
    return {
      sku: product?.sku ?? null,
      baseLandedUnitCost: r.baseLandedUnitCost,
      holdingPerUnitPerYear: r.holdingPerUnitPerYear,
      curve: r.curve,
      best: r.best,
      noOrder: r.noOrder,
      warnings,
      explanation: toExplanation(
        withNotes(
          r.explanation,
          { sku: product?.sku ?? null },
          notes.map((n) => `Default: ${n}`),
        ),
      ),
    };
  }

  /** Daily demand of a scenario: as given, else the product's in-stock sales statistics (noted, with their warnings). */
  private async scenarioDemand(
    f: (n: string) => string,
    input: ProfitabilityScenarioInput,
    product: Product | null,
    window: number,
    loaders: PlanningLoaders,
    notes: string[],
    warnings: string[],
  ): Promise<{ dailyMean: number; dailySd: number }> {
    if (input.demand) {
      return {
        dailyMean: v.finite(f('demand.dailyMean'), input.demand.dailyMean, { min: 0, max: 1e9 }),
        dailySd: v.finite(f('demand.dailySd'), input.demand.dailySd ?? 0, { min: 0, max: 1e9 }),
      };
    }
    if (!product) throw badInput(f('demand'), 'is required without sku');
    const est = await this.movingAverage(loaders, window).estimate(product.id, this.today());
    warnings.push(...est.warnings);
    notes.push(
      `demand from sales: ${est.method}, mean ${round(est.mean)} and sd ${round(est.sd)} units/day over ${est.inStockDays} in-stock days (${est.stockoutDaysExcluded} out-of-stock days excluded).`,
    );
    return { dailyMean: est.mean, dailySd: est.sd };
  }

  /** Stock at the start of a scenario: as given, else the product's on hand + in transit (noted), else 0. */
  private async scenarioOnHand(
    f: (n: string) => string,
    input: ProfitabilityScenarioInput,
    product: Product | null,
    loaders: PlanningLoaders,
    notes: string[],
  ): Promise<number> {
    const onHand = v.optionalFinite(f('onHand'), input.onHand, { min: 0, max: 1e12 });
    if (onHand !== null) return onHand;
    if (!product) return 0;
    const open = await loaders.products.openPurchaseOrders.load(product.id);
    const inTransit = open.reduce((s, o) => s + o.quantity, 0);
    notes.push(
      `on hand ${product.onHand} + in transit ${inTransit} from product ${product.sku}, counted as available at the start of the horizon.`,
    );
    return product.onHand + inTransit;
  }

  /** Validates by evaluating once, then stores the input under its name (replacing one of the same name). */
  async saveScenario(
    workspaceId: string,
    input: SaveProfitabilityScenarioInput,
    loaders: PlanningLoaders,
  ): Promise<SavedProfitabilityScenario> {
    const name = v.text('input.name', input.name, { max: 200 });
    await this.scenario(workspaceId, input.scenario, loaders, 'input.scenario');
    const stored = JSON.parse(JSON.stringify(input.scenario)) as Record<string, unknown>;
    return this.db.write(async (m) => {
      const existing = await m.findOne(SavedProfitabilityScenario, { where: { workspaceId, nameKey: nameKey(name) } });
      const row = existing ?? m.create(SavedProfitabilityScenario, { id: randomUUID(), workspaceId });
      row.name = name;
      row.nameKey = nameKey(name);
      row.input = stored;
      return m.save(row);
    });
  }

  listScenarios(workspaceId: string, args: ProfitabilityScenariosArgs): Promise<Page<SavedProfitabilityScenario>> {
    const base = () =>
      this.db.manager.createQueryBuilder(SavedProfitabilityScenario, 's').where('s.workspaceId = :ws', { ws: workspaceId });
    return keysetPage('profitabilityScenarios', args, base, [{ column: 's.nameKey', dir: 'ASC', value: (s) => s.nameKey, check: isText }]);
  }

  async deleteScenario(workspaceId: string, id: string): Promise<boolean> {
    return this.db.write(async (m) => {
      const row = await m.findOne(SavedProfitabilityScenario, { where: { workspaceId, id } });
      if (!row) throw notFound('profitability scenario', id);
      await m.delete(SavedProfitabilityScenario, { id: row.id, workspaceId });
      return true;
    });
  }

  /** Re-evaluates a saved scenario; a saved input that no longer evaluates (e.g. its sku was deleted) reports why. */
  evaluateSaved(s: SavedProfitabilityScenario, loaders: PlanningLoaders): Promise<ProfitabilityScenarioResult> {
    return this.scenario(s.workspaceId, s.input as unknown as ProfitabilityScenarioInput, loaders, 'input');
  }

  // ——— Supplier comparison ———

  async compareSuppliers(workspaceId: string, input: CompareSuppliersInput, loaders: PlanningLoaders): Promise<SupplierComparison> {
    if (input.suppliers.length < 2 || input.suppliers.length > 10)
      throw badInput('input.suppliers', `give 2 to 10 suppliers, got ${input.suppliers.length}`);
    const product = input.sku ? await this.productBySku(workspaceId, 'input.sku', input.sku) : null;
    const runs = v.finite('input.runs', input.runs, { min: 1, max: 10_000, integer: true });
    const horizonDays = v.finite('input.horizonDays', input.horizonDays, { min: 1, max: 1095, integer: true });
    if (runs * horizonDays * input.suppliers.length > MAX_SIMULATION_WORK) {
      throw badInput(
        'input.runs',
        `runs × horizonDays × suppliers must be ≤ ${MAX_SIMULATION_WORK.toLocaleString('en-US')}, got ${(runs * horizonDays * input.suppliers.length).toLocaleString('en-US')}`,
      );
    }
    const seed = v.finite('input.seed', input.seed, { integer: true });
    const holdingRate = v.finite('input.holdingRate', input.holdingRate, { min: 1e-6, max: 10 });
    const serviceLevel = openUnit('input.serviceLevel', input.serviceLevel);
    const lostSalePenalty = v.finite('input.lostSalePenalty', input.lostSalePenalty, { min: 0, max: MAX_MONEY });
    const price = v.finite('input.price', input.price ?? product?.price ?? NaN, { min: 0.01, max: MAX_MONEY });
    const notes: string[] = [];
    const demand = await this.comparisonDemand(input, product, loaders, notes);
    const ids: (string | null)[] = [];
    const names = new Map<string, number>();
    const options: SupplierOption[] = [];
    for (const [k, c] of input.suppliers.entries()) {
      const { id, option } = await this.comparedSupplier(workspaceId, k, c, product, names, loaders);
      ids.push(id);
      options.push(option);
    }
    const r = await viaPool('input', () =>
      this.tasks.run(
        'compareSuppliers',
        [
          {
            suppliers: options,
            demand,
            price,
            holdingRate,
            serviceLevel,
            reorderPointBasis: input.reorderPointBasis,
            lostSalePenalty,
            horizonDays,
            seed,
            runs,
          },
        ],
        loaders.budget?.signal,
      ),
    );
    const idOf = new Map(options.map((o, k) => [o.name, ids[k]]));
    return {
      suppliers: r.suppliers.map((o) => ({ ...o, supplierId: idOf.get(o.name) ?? null })),
      recommended: r.recommended,
      recommendedSupplierId: idOf.get(r.recommended) ?? null,
      reason: r.reason,
      seed: r.seed,
      runs: r.runs,
      horizonDays: r.horizonDays,
      explanation: toExplanation(withNotes(r.explanation, { sku: product?.sku ?? null }, notes)),
    };
  }

  /**
   * The comparison's daily demand: the input's mean and sd if given, else the sku's in-stock moving
   * average over `input.windowDays` (noted in `notes`); without either it is a bad input.
   */
  private async comparisonDemand(
    input: CompareSuppliersInput,
    product: Product | null,
    loaders: PlanningLoaders,
    notes: string[],
  ): Promise<{ dailyMean: number; dailySd: number }> {
    if (input.demand) {
      return {
        dailyMean: v.finite('input.demand.dailyMean', input.demand.dailyMean, { min: 1e-9, max: 1e9 }),
        dailySd: v.finite('input.demand.dailySd', input.demand.dailySd ?? 0, { min: 0, max: 1e9 }),
      };
    }
    if (!product) throw badInput('input.demand', 'is required without sku');
    const est = await this.movingAverage(loaders, windowDays('input.windowDays', input.windowDays)).estimate(product.id, this.today());
    if (!(est.mean > 0)) throw badInput('input.demand', `product ${product.sku} has no in-stock sales in the window: give demand`);
    notes.push(
      `Demand from ${product.sku}'s sales: ${est.method}, ${est.inStockDays} in-stock days, ${est.stockoutDaysExcluded} out-of-stock days excluded.`,
    );
    return { dailyMean: est.mean, dailySd: est.sd };
  }

  /**
   * Candidate `k` of a comparison as a core SupplierOption (with its stored supplier's id, or null
   * inline): each field from the input, else the stored supplier, else the sku (unit cost); names
   * must differ case-insensitively (`names` maps the lower-cased names seen so far to their index).
   */
  private async comparedSupplier(
    workspaceId: string,
    k: number,
    c: CompareSuppliersInput['suppliers'][number],
    product: Product | null,
    names: Map<string, number>,
    loaders: PlanningLoaders,
  ): Promise<{ id: string | null; option: SupplierOption }> {
    const f = (n: string) => `input.suppliers[${k}].${n}`;
    let stored: Supplier | null = null;
    if (c.supplierId) {
      stored = await this.suppliers.byId(workspaceId, c.supplierId);
      if (!stored) throw badInput(f('supplierId'), 'no supplier with this id in this workspace');
    }
    const name = c.name ? v.text(f('name'), c.name, { max: 200 }) : stored?.name;
    if (!name) throw badInput(f('name'), 'is required for an inline supplier');
    const seen = names.get(name.toLowerCase());
    if (seen !== undefined) throw badInput(f('name'), `repeats input.suppliers[${seen}] ("${name}"): names must differ`);
    names.set(name.toLowerCase(), k);
    const unitCost = v.finite(f('unitCost'), c.unitCost ?? product?.unitCost ?? NaN, { min: 0.0001, max: MAX_MONEY });
    const stages = {} as Record<'procurement' | 'shipping' | 'inbound', { mean: number; sd: number }>;
    for (const s of ['procurement', 'shipping', 'inbound'] as const) {
      const given = c[s];
      if (given) stages[s] = stage(f(s), given);
      else if (stored) stages[s] = leadTimeComponents(stored)[s];
      else throw badInput(f(s), 'is required for an inline supplier (mean and sd in days)');
    }
    const onTimeRate = v.finite(f('onTimeRate'), c.onTimeRate ?? stored?.onTimeRate ?? 1, { min: 0, max: 1 });
    const lateDelay = v.optionalFinite(f('lateDelayDays'), c.lateDelayDays ?? stored?.lateDelayDays, { min: 0, max: 365 });
    const orderCost = c.orderCost ?? stored?.orderCost;
    if (orderCost === undefined || orderCost === null) throw badInput(f('orderCost'), 'is required for an inline supplier');
    v.finite(f('orderCost'), orderCost, { min: 0.01, max: 1e9 });
    let tiers: Tier[] = [];
    if (c.tiers) tiers = checkTiers(f('tiers'), c.tiers, { minQuantity: 0 });
    else if (stored) tiers = applicableTiers(await loaders.suppliers.tiers.load(stored.id), unitCost).tiers;
    if (tiers.length && tiers[0].minQuantity > 0 && tiers[0].unitCost > unitCost) {
      throw badInput(f('tiers'), `tier prices must not exceed unitCost ${unitCost}`);
    }
    return {
      id: stored?.id ?? null,
      option: {
        name,
        unitCost,
        tiers: tiers.length ? (tiers as PriceTier[]) : undefined,
        leadTime: stages,
        onTimeRate,
        lateDelayDays: lateDelay ?? undefined,
        orderCost,
      },
    };
  }

  // ——— SKU priority matrix ———

  async priorityMatrix(workspaceId: string, args: SkuPriorityMatrixArgs, loaders: PlanningLoaders): Promise<PriorityMatrix> {
    const first = v.pageSize(args.first, 'first', 500);
    const riskThreshold = v.finite('riskThreshold', args.riskThreshold, { min: 0, max: 1 });
    const contributionThreshold = v.optionalFinite('contributionThreshold', args.contributionThreshold, { min: -1e12, max: 1e12 });
    const window = windowDays('windowDays', args.windowDays);
    const today = this.today();
    const products = await this.products.firstProducts(workspaceId, first, args.abcClass ?? null);
    const estimator = this.movingAverage(loaders, window);
    const gathered = await Promise.all(
      products.map(async (p) => {
        const [supplier, open, demand] = await Promise.all([
          p.supplierId ? loaders.suppliers.byId.load(p.supplierId) : Promise.resolve(null),
          loaders.products.openPurchaseOrders.load(p.id),
          estimator.estimate(p.id, today),
        ]);
        return { p, supplier, inTransit: open.reduce((s, o) => s + o.quantity, 0), demand };
      }),
    );
    const skipped = gathered.filter((g) => !g.supplier).map((g) => ({ sku: g.p.sku, reason: 'no supplier linked: lead time unknown' }));
    const skus: PrioritySku[] = gathered
      .filter((g) => g.supplier)
      .map(({ p, supplier, inTransit, demand }) => {
        const lt = leadTimeComponents(supplier!);
        const stages = [lt.procurement, lt.shipping, lt.inbound];
        return {
          sku: p.sku,
          price: p.price,
          unitCost: p.unitCost,
          dailyDemand: demand.mean,
          dailyDemandSd: demand.sd,
          onHand: p.onHand,
          inTransit,
          leadTimeDays: stages.reduce((s, x) => s + x.mean, 0),
          leadTimeSd: Math.sqrt(stages.reduce((s, x) => s + x.sd ** 2, 0)),
        };
      });
    const common = [
      `Demand per SKU: in-stock moving average over the last ${window} days (out-of-stock days excluded); lead time = procurement + shipping + inbound of the linked supplier (means and variances add).`,
      "Unit cost is the product's unit cost (no landed-cost components are stored per product).",
    ];
    if (!skus.length) {
      return {
        rows: [],
        reorderQueue: [],
        pause: [],
        contributionThreshold: contributionThreshold,
        riskThreshold,
        skipped,
        explanation: toExplanation({
          formula: 'Priority matrix: profit contribution × stockout risk',
          inputs: { skus: 0 },
          steps: [],
          notes: ['No product with a supplier to rank.', ...common],
        }),
      };
    }
    const m = viaCore('', () => priorityMatrix(skus, { riskThreshold, contributionThreshold: contributionThreshold ?? undefined }));
    return {
      rows: m.rows.map((r) => ({ ...r, quadrant: r.quadrant as PriorityQuadrant, explanation: toExplanation(r.explanation) })),
      reorderQueue: m.reorderQueue,
      pause: m.pause,
      contributionThreshold: m.contributionThreshold,
      riskThreshold: m.riskThreshold,
      skipped,
      explanation: toExplanation(withNotes(m.explanation, { windowDays: window, skipped: skipped.length }, common)),
    };
  }
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
