/**
 * The seller's own promotions: record, update, delete and list them (errors name the input field,
 * nothing half-written), and give the other modules what the forecasting needs from them: a
 * product's promotion periods (flagged out of the baseline fit) and the lift estimate of its planned
 * ones from the workspace's past promotions. The formulas live in core/forecast/promotions.ts.
 */
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { Explainer } from '../../../core/explain';
import {
  estimateLift,
  type LiftEstimate,
  type LiftObservation,
  liftObservations,
  observedLift,
  type PromoSalesDay,
  type PromotionPeriod,
  type PromotionType,
  BASELINE_DAYS,
} from '../../../core/forecast/promotions';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import { instantKey, isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput } from '../../graphql/errors';
import { toExplanation } from '../../graphql/explanation';
import * as v from '../../graphql/validate';
import { dateOfDay, dayOfStored, epochDayOf, isoOfDay, parseDay } from '../product/days';
import { Product } from '../product/product.entity';
import { sku as skuCode } from '../product/product.service';
import { PromotionRow } from './promotion.entity';
import { type MeasuredLift, type Promotion, type PromotionKind, type PromotionLiftEstimate, PromotionStatus } from './promotion.types';
import type { PromotionsArgs, RecordPromotionInput, UpdatePromotionInput } from './promotion.inputs';

/** Longest promotion accepted, days. */
export const MAX_PROMOTION_DAYS = 366;
/** Past promotions the lift estimator reads: those ended within this many days before today … */
export const LIFT_HISTORY_DAYS = 730;
/** … at most this many, newest first (bounds the sales read to MAX × (BASELINE_DAYS + MAX_PROMOTION_DAYS) rows). */
export const MAX_LIFT_PROMOTIONS = 500;

/** How far back the per-request batch of a product's promotions reaches (the longest window read: 730-day plans, 28 baseline days). */
const BATCH_SINCE_DAYS = 800;
/** Rows one batch of products' promotions may read. */
const MAX_BATCH_ROWS = 5000;

type StoredPeriod = PromotionPeriod & { id: string; productId: string };

/** A planned (or running) promotion of a product with its lift estimate (null without past promotions). */
export interface PlannedLift {
  id: string;
  start: number;
  end: number;
  type: PromotionType;
  discountPct: number | null;
  estimate: LiftEstimate | null;
}

/** A stored promotion as core sees it (epoch days). */
function periodOf(r: PromotionRow): PromotionPeriod & { id: string; productId: string } {
  return {
    id: r.id,
    productId: r.productId,
    start: dayOfStored(r.startDay),
    end: dayOfStored(r.endDay),
    type: r.type as PromotionType,
    discountPct: r.discountPct === null ? null : Number(r.discountPct),
  };
}

function statusOf(start: number, end: number, today: number): PromotionStatus {
  if (start > today) return PromotionStatus.PLANNED;
  return end < today ? PromotionStatus.PAST : PromotionStatus.ACTIVE;
}

/** Validated discount, quantity and note of an input (null clears, undefined keeps). */
function details(input: { discountPct?: number | null; quantity?: number | null; note?: string | null }) {
  return {
    discountPct:
      input.discountPct === undefined ? undefined : v.optionalFinite('input.discountPct', input.discountPct, { min: 0, max: 99.99 }),
    quantity:
      input.quantity === undefined ? undefined : v.optionalFinite('input.quantity', input.quantity, { min: 1, max: 1e9, integer: true }),
    note: input.note === undefined ? undefined : v.optionalText('input.note', input.note, { max: 200 }),
  };
}

/** Checks the days of a promotion: end ≥ start, at most MAX_PROMOTION_DAYS long. */
function checkDays(start: number, end: number): void {
  if (end < start) throw badInput('input.end', `must not be before start (${isoOfDay(start)}), got ${isoOfDay(end)}`);
  if (end - start + 1 > MAX_PROMOTION_DAYS)
    throw badInput('input.end', `a promotion lasts at most ${MAX_PROMOTION_DAYS} days, got ${end - start + 1}`);
}

export class PromotionService {
  /** Per-request memo of the workspace's lift observations (keyed by the request's loaders object). */
  private readonly memo = new WeakMap<object, Map<string, Promise<LiftObservation[]>>>();
  /** Per-request batch loaders of products' promotions (keyed by the request's loaders object). */
  private readonly batches = new WeakMap<object, DataLoader<string, StoredPeriod[]>>();
  /** Per-request batch loaders of measured lifts (keyed by the request's loaders object). */
  private readonly measuredBatches = new WeakMap<object, DataLoader<Promotion, MeasuredLift | null>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  today(): number {
    return epochDayOf(this.clock.now());
  }

  toType(r: PromotionRow, sku: string): Promotion {
    const p = periodOf(r);
    return {
      id: r.id,
      sku,
      type: r.type as PromotionKind,
      start: isoOfDay(p.start),
      end: isoOfDay(p.end),
      discountPct: p.discountPct,
      quantity: r.quantity,
      note: r.note,
      status: statusOf(p.start, p.end, this.today()),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      productId: r.productId,
    };
  }

  /** Rejects a period overlapping another promotion of the same product (its lift could not be told apart). */
  private async checkOverlap(m: EntityManager, productId: string, start: number, end: number, exceptId: string | null): Promise<void> {
    const qb = m
      .createQueryBuilder(PromotionRow, 'p')
      .where('p.productId = :pid', { pid: productId })
      .andWhere('p.startDay <= :end AND p.endDay >= :start', { start: dateOfDay(start), end: dateOfDay(end) });
    if (exceptId) qb.andWhere('p.id <> :id', { id: exceptId });
    const other = await qb.getOne();
    if (other) {
      const o = periodOf(other);
      throw badInput('input.start', `overlaps promotion ${other.id} (${isoOfDay(o.start)} to ${isoOfDay(o.end)}) of the same sku`);
    }
  }

  async record(workspaceId: string, input: RecordPromotionInput): Promise<Promotion> {
    const code = skuCode('input.sku', input.sku);
    const start = parseDay('input.start', input.start);
    const end = parseDay('input.end', input.end);
    checkDays(start, end);
    const d = details(input);
    return this.db.write(async (m) => {
      const product = await m.findOne(Product, { where: { workspaceId, sku: code } });
      if (!product) throw badInput('input.sku', `no product with sku "${code}" in this workspace`);
      await this.checkOverlap(m, product.id, start, end, null);
      const row = m.create(PromotionRow, {
        id: randomUUID(),
        workspaceId,
        productId: product.id,
        type: input.type,
        startDay: dateOfDay(start),
        endDay: dateOfDay(end),
        discountPct: d.discountPct ?? null,
        quantity: d.quantity ?? null,
        note: d.note ?? null,
      });
      await m.save(row);
      return this.toType(row, product.sku);
    });
  }

  async update(workspaceId: string, input: UpdatePromotionInput): Promise<Promotion> {
    const id = v.id('input.id', input.id);
    const d = details(input);
    if (input.type === null) throw badInput('input.type', 'cannot be cleared');
    if (input.start === null) throw badInput('input.start', 'cannot be cleared');
    if (input.end === null) throw badInput('input.end', 'cannot be cleared');
    const newStart = input.start === undefined ? undefined : parseDay('input.start', input.start);
    const newEnd = input.end === undefined ? undefined : parseDay('input.end', input.end);
    return this.db.write(async (m) => {
      const row = await m.findOne(PromotionRow, { where: { workspaceId, id } });
      if (!row) throw badInput('input.id', 'no promotion with this id in this workspace');
      const p = periodOf(row);
      const start = newStart ?? p.start;
      const end = newEnd ?? p.end;
      checkDays(start, end);
      await this.checkOverlap(m, row.productId, start, end, row.id);
      if (input.type) row.type = input.type;
      row.startDay = dateOfDay(start);
      row.endDay = dateOfDay(end);
      if (d.discountPct !== undefined) row.discountPct = d.discountPct;
      if (d.quantity !== undefined) row.quantity = d.quantity;
      if (d.note !== undefined) row.note = d.note;
      await m.save(row);
      const product = await m.findOneOrFail(Product, { where: { id: row.productId } });
      return this.toType(row, product.sku);
    });
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const res = await this.db.write((m) => m.delete(PromotionRow, { workspaceId, id: v.id('id', id) }));
    return (res.affected ?? 0) > 0;
  }

  /** Promotions of the workspace by first day, then id (Relay paging both ways), optionally one sku's or one status. */
  async list(workspaceId: string, args: PromotionsArgs): Promise<Page<Promotion>> {
    const today = dateOfDay(this.today());
    let productId: string | null = null;
    if (args.sku !== null && args.sku !== undefined) {
      const product = await this.db.manager.findOne(Product, { where: { workspaceId, sku: skuCode('sku', args.sku) } });
      if (!product) throw badInput('sku', `no product with sku "${args.sku.trim().slice(0, 64)}" in this workspace`);
      productId = product.id;
    }
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(PromotionRow, 'p').where('p.workspaceId = :ws', { ws: workspaceId });
      if (productId) qb.andWhere('p.productId = :pid', { pid: productId });
      if (args.status === PromotionStatus.PLANNED) qb.andWhere('p.startDay > :today', { today });
      if (args.status === PromotionStatus.ACTIVE) qb.andWhere('p.startDay <= :today AND p.endDay >= :today', { today });
      if (args.status === PromotionStatus.PAST) qb.andWhere('p.endDay < :today', { today });
      return qb;
    };
    const page = await keysetPage('promotions', args, base, [
      instantKey<PromotionRow>('p.startDay', 'ASC', (r) => r.startDay),
      { column: 'p.id', dir: 'ASC', value: (r) => r.id, check: isText },
    ]);
    const skus = await this.skusOf(page.edges.map((e) => e.node.productId));
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: this.toType(e.node, skus.get(e.node.productId) ?? '') })) };
  }

  private async skusOf(productIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return new Map();
    const rows = await this.db.manager.createQueryBuilder(Product, 'p').select(['p.id', 'p.sku']).whereInIds(ids).getMany();
    return new Map(rows.map((p) => [p.id, p.sku]));
  }

  /**
   * A product's promotions overlapping the epoch days [from, to], by first day. With `memoKey` (the
   * request's loaders) the products of one request are read in one statement: every promotion ending
   * within BATCH_SINCE_DAYS before today or later.
   */
  async periodsOf(productId: string, from: number, to: number, memoKey?: object): Promise<StoredPeriod[]> {
    const since = this.today() - BATCH_SINCE_DAYS;
    if (memoKey && from >= since) {
      let loader = this.batches.get(memoKey);
      if (!loader) this.batches.set(memoKey, (loader = this.batchLoader(since)));
      return (await loader.load(productId)).filter((p) => p.start <= to && p.end >= from);
    }
    return this.queryPeriods(productId, from, to);
  }

  private batchLoader(since: number): DataLoader<string, StoredPeriod[]> {
    return new DataLoader<string, StoredPeriod[]>(
      async (ids) => {
        const rows = await this.db.manager
          .createQueryBuilder(PromotionRow, 'p')
          .where('p.productId IN (:...ids)', { ids: [...ids] })
          .andWhere('p.endDay >= :since', { since: dateOfDay(since) })
          .orderBy('p.startDay', 'ASC')
          .addOrderBy('p.id', 'ASC')
          .limit(MAX_BATCH_ROWS)
          .getMany();
        const out = new Map<string, StoredPeriod[]>(ids.map((id) => [id, []]));
        for (const r of rows) out.get(r.productId)?.push(periodOf(r));
        return ids.map((id) => out.get(id) ?? []);
      },
      { maxBatchSize: 500 },
    );
  }

  private async queryPeriods(productId: string, from: number, to: number): Promise<StoredPeriod[]> {
    const rows = await this.db.manager
      .createQueryBuilder(PromotionRow, 'p')
      .where('p.productId = :pid', { pid: productId })
      .andWhere('p.startDay <= :to AND p.endDay >= :from', { from: dateOfDay(from), to: dateOfDay(to) })
      .orderBy('p.startDay', 'ASC')
      .limit(MAX_LIFT_PROMOTIONS)
      .getMany();
    return rows.map(periodOf);
  }

  /** Daily sales of products over [from, to] (one statement). */
  private async salesOf(productIds: string[], from: number, to: number): Promise<Map<string, PromoSalesDay[]>> {
    const out = new Map<string, PromoSalesDay[]>(productIds.map((id) => [id, []]));
    if (!productIds.length) return out;
    const q = this.db.params();
    const rows: { product_id: string; sale_date: string | Date; units: number | string; in_stock: number | boolean }[] =
      await this.db.manager.query(
        `SELECT product_id, sale_date, units, in_stock FROM sales_day
        WHERE product_id IN (${q.list(productIds)}) AND sale_date >= ${q.add(dateOfDay(from))} AND sale_date <= ${q.add(dateOfDay(to))}
        ORDER BY product_id, sale_date`,
        q.values,
      );
    for (const r of rows)
      out.get(r.product_id)?.push({ day: dayOfStored(r.sale_date), units: Number(r.units), inStock: Boolean(r.in_stock) });
    return out;
  }

  /**
   * The workspace's measurable past promotions (core liftObservations): those ended before today
   * within LIFT_HISTORY_DAYS, at most MAX_LIFT_PROMOTIONS (newest), with their SKU's sales from
   * BASELINE_DAYS before the first one. Memoised per `memoKey` (the request's loaders).
   */
  observations(workspaceId: string, today: number, memoKey?: object): Promise<LiftObservation[]> {
    const key = `${workspaceId}|${today}`;
    const cache = memoKey ? (this.memo.get(memoKey) ?? new Map<string, Promise<LiftObservation[]>>()) : null;
    if (memoKey && cache) this.memo.set(memoKey, cache);
    const hit = cache?.get(key);
    if (hit) return hit;
    const p = this.loadObservations(workspaceId, today);
    cache?.set(key, p);
    return p;
  }

  private async loadObservations(workspaceId: string, today: number): Promise<LiftObservation[]> {
    const rows = await this.db.manager
      .createQueryBuilder(PromotionRow, 'p')
      .where('p.workspaceId = :ws', { ws: workspaceId })
      .andWhere('p.endDay < :today AND p.endDay >= :since', { today: dateOfDay(today), since: dateOfDay(today - LIFT_HISTORY_DAYS) })
      .orderBy('p.endDay', 'DESC')
      .addOrderBy('p.id', 'ASC')
      .limit(MAX_LIFT_PROMOTIONS)
      .getMany();
    if (!rows.length) return [];
    const periods = rows.map(periodOf);
    const byProduct = new Map<string, (PromotionPeriod & { id: string })[]>();
    for (const p of periods) byProduct.set(p.productId, [...(byProduct.get(p.productId) ?? []), p]);
    const from = Math.min(...periods.map((p) => p.start)) - BASELINE_DAYS;
    const to = Math.max(...periods.map((p) => p.end));
    const [sales, skus] = await Promise.all([this.salesOf([...byProduct.keys()], from, to), this.skusOf([...byProduct.keys()])]);
    return liftObservations(
      [...byProduct].map(([pid, promotions]) => ({ sku: skus.get(pid) ?? pid, group: null, sales: sales.get(pid) ?? [], promotions })),
      today,
    );
  }

  /**
   * The measured lift of a past promotion (null while planned or running, or without enough
   * baseline). With `memoKey` (the request's loaders) the promotions of one page are measured
   * together: one statement for their products' promotions and one for their sales.
   */
  measured(row: Promotion, memoKey?: object): Promise<MeasuredLift | null> {
    if (row.status !== PromotionStatus.PAST) return Promise.resolve(null);
    if (!memoKey) return this.measureMany([row]).then((r) => r[0]!);
    let loader = this.measuredBatches.get(memoKey);
    if (!loader)
      this.measuredBatches.set(memoKey, (loader = new DataLoader((rows) => this.measureMany(rows), { cache: false, maxBatchSize: 500 })));
    return loader.load(row);
  }

  private async measureMany(rows: readonly Promotion[]): Promise<(MeasuredLift | null)[]> {
    const periods = rows.map((r) => ({ start: parseDay('start', r.start), end: parseDay('end', r.end) }));
    const pids = [...new Set(rows.map((r) => r.productId))];
    const from = Math.min(...periods.map((p) => p.start)) - BASELINE_DAYS;
    const to = Math.max(...periods.map((p) => p.end));
    const [others, sales] = await Promise.all([
      this.db.manager
        .createQueryBuilder(PromotionRow, 'p')
        .where('p.productId IN (:...pids)', { pids })
        .andWhere('p.startDay <= :to AND p.endDay >= :from', { from: dateOfDay(from), to: dateOfDay(to) })
        .getMany(),
      this.salesOf(pids, from, to),
    ]);
    return rows.map((row, i) => {
      const { start, end } = periods[i]!;
      const all = others.filter((o) => o.productId === row.productId).map(periodOf);
      const o = observedLift(
        sales.get(row.productId) ?? [],
        { start, end, type: row.type as PromotionType, discountPct: row.discountPct },
        all,
      );
      return o
        ? {
            lift: Math.exp(o.logLift) - 1,
            promoMean: o.promoMean,
            baselineMean: o.baselineMean,
            promoDays: o.promoDays,
            baselineDays: o.baselineDays,
            stockoutDays: o.stockoutDays,
          }
        : null;
    });
  }

  /** Lift estimate of one promotion of `sku` from the workspace's past promotions (null without any). */
  async estimate(workspaceId: string, sku: string, p: PromotionPeriod, memoKey?: object): Promise<LiftEstimate | null> {
    const obs = await this.observations(workspaceId, this.today(), memoKey);
    return estimateLift(obs, { sku, group: null, type: p.type, depth: (p.discountPct ?? 0) / 100 });
  }

  /** GraphQL form of an estimate, explained. */
  estimateType(e: LiftEstimate, p: { type: string; discountPct: number | null }): PromotionLiftEstimate {
    return { ...e, explanation: toExplanation(explainLift(e, p).build()) };
  }

  /** Planned or running promotions of a product overlapping [from, to], each with its lift estimate. */
  async plannedLifts(workspaceId: string, product: Product, from: number, to: number, memoKey?: object): Promise<PlannedLift[]> {
    const today = this.today();
    const periods = (await this.periodsOf(product.id, Math.max(from, today), to, memoKey)).filter((p) => p.end >= today);
    const out: PlannedLift[] = [];
    for (const p of periods) out.push({ ...p, estimate: await this.estimate(workspaceId, product.sku, p, memoKey) });
    return out;
  }
}

/** The explanation of a lift estimate: the named steps of core/forecast/promotions.ts estimateLift. */
export function explainLift(e: LiftEstimate, p: { type: string; discountPct: number | null }): Explainer {
  return new Explainer(
    'ℓ̂ = a + b·δ + type + group + SKU effects (partially pooled); lift = exp(ℓ̂ + V/2) − 1; interval exp(ℓ̂ ± t_ν·√V) − 1',
    { type: p.type, discountPct: p.discountPct, pastPromotionsSameSku: e.sameSku, pastPromotionsOtherSkus: e.workspace + e.sameGroup },
  )
    .step('intercept a (log-lift at no discount)', e.parts.intercept)
    .step('depth slope b (per unit of discount fraction)', e.parts.depthSlope)
    .step('type effect', e.parts.typeEffect)
    .step('SKU effect (shrunk)', e.parts.skuEffect, `weight n/(n + σ²/τ²) = ${e.skuWeight.toFixed(3)}`)
    .step('predicted log-lift ℓ̂', e.logLift)
    .step('predictive variance V', e.variance)
    .step('expected lift', e.lift)
    .note(
      "Each past promotion's lift is its mean daily units over the mean of the 28 promotion-free in-stock days before it (log ratio, ½ added to both); stockout days during a promotion are left out (sales capped).",
    )
    .note('Estimator and sources: core/forecast/promotions.ts (Blattberg & Neslin 1990; Cooper et al. 1999; Gelman & Hill 2007 §12.2).');
}
