import type { EntityManager } from 'typeorm';
import {
  MOVEMENT_TYPES,
  reconcileLedger,
  type ReconciliationReport,
  type RecordedSale,
  type StockMovement,
  type StockReading,
} from '../../../core/anomalies';
import { DEAL_TYPES } from '../../../core/series/types';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import { type InsertSpec, readTime } from '../../db/dialect';
import type { EventBus } from '../../events';
import { instantKey, isInt, keysetPage, type Page } from '../../graphql/connection';
import { badInput } from '../../graphql/errors';
import { toExplanation } from '../../graphql/explanation';
import * as v from '../../graphql/validate';
import { Product } from '../product/product.entity';
import { productIdsBySku, sku as validSku } from '../product/product.service';
import { OrderSaleRow, StockMovementRow, StockReadingRow } from './ledger.entity';
import type { LedgerPageArgs, Reconciliation, RecordLedgerInput, RecordLedgerResult, ReconciliationArgs } from './ledger.inputs';

/** Items per recordLedger call, the three lists together. */
export const MAX_LEDGER_BATCH = 10_000;
/** Longest window the reconciliation query reads. */
export const MAX_RECONCILE_SPAN_DAYS = 92;
/** Rows of one ledger the reconciliation query reads at most. */
const MAX_RECONCILE_ROWS = 100_000;
const INT32 = 2_147_483_647;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One product's ledgers in core's units (epoch ms), each sorted by time. */
export interface Ledger {
  movements: StockMovement[];
  sales: RecordedSale[];
  readings: (StockReading & { dealType: string; dealEndsAt: number | null })[];
}

export interface ReconcileSettings {
  tolerance: { absolute: number; relative: number };
  windowMs: number;
  settleMs: number;
}

/** Where a product's reconciliation settings come from (the alert rules, through the evaluator). */
export interface ReconcileSettingsSource {
  reconcileSettingsFor(workspaceId: string, p: Product): Promise<ReconcileSettings>;
}

/** A window the evaluator reconciles; `at` is when it is judged (the observation time). */
export interface LedgerWindow {
  at: number;
  from: number;
  to: number;
  label: string;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * The windows that need reconciling (pure). Per own deal that has ended (the reading after its
 * last deal reading shows NONE, or its dealEndsAt has passed): [last exact reading before the deal
 * start, first exact reading at or after the end + settle time], judged at that closing reading;
 * before that reading exists, a negative reading after the end is judged at once (no oversell is
 * tolerated after the deal). Rolling windows of `windowMs` (UTC-aligned) are judged once a reading
 * at or after their end + settle time exists. Censored readings never open or close a window (core
 * only lets them contradict a ledger that says fewer units).
 */
export function ledgerWindows(l: Ledger, s: ReconcileSettings, now: number, since = -Infinity): LedgerWindow[] {
  const rs = l.readings;
  if (!rs.length) return [];
  const exact = rs.filter((r) => r.stock !== null && !r.stockIsLowerBound);
  const lastExactAtOrBefore = (t: number) => {
    for (let i = exact.length - 1; i >= 0; i--) if (exact[i].at <= t) return exact[i];
    return null;
  };
  const out: LedgerWindow[] = [];
  for (let i = 0; i < rs.length; i++) {
    if (rs[i].dealType === 'NONE') continue;
    let j = i;
    while (j + 1 < rs.length && rs[j + 1].dealType !== 'NONE') j++;
    const start = rs[i].at;
    const type = rs[i].dealType;
    const last = rs[j];
    const next = rs[j + 1];
    i = j;
    let end: number;
    if (next) end = last.dealEndsAt !== null && last.dealEndsAt < next.at ? Math.max(last.at, last.dealEndsAt) : next.at;
    else if (last.dealEndsAt !== null && last.dealEndsAt <= now) end = Math.max(last.at, last.dealEndsAt);
    else continue; // still live
    const opening = [...exact].reverse().find((r) => r.at < start) ?? exact.find((r) => r.at === start);
    if (!opening) continue;
    const deal = `own ${type} deal ${iso(start)} → ${iso(end)}`;
    const closing = exact.find((r) => r.at >= end + s.settleMs);
    if (closing)
      out.push({ at: closing.at, from: opening.at, to: closing.at, label: `${deal}, reconciled to the reading of ${iso(closing.at)}` });
    const negative = rs.find((r) => r.at >= end && r.stock !== null && r.stock < 0 && (!closing || r.at < closing.at));
    if (negative)
      out.push({
        at: negative.at,
        from: opening.at,
        to: negative.at,
        label: `${deal}: stock ${negative.stock} at ${iso(negative.at)} after the deal`,
      });
  }
  const lastAt = rs[rs.length - 1].at;
  const W = s.windowMs;
  for (let start = Math.floor(Math.max(rs[0].at, since - W) / W) * W; start + W + s.settleMs <= lastAt && start + W <= now; start += W) {
    const end = start + W;
    if (end <= since) continue;
    const opening = lastExactAtOrBefore(start);
    if (!opening) continue;
    out.push({ at: end, from: opening.at, to: end, label: `window ${iso(start)} → ${iso(end)}` });
  }
  return out.filter((w) => w.at > since && w.to > w.from).sort((a, b) => a.at - b.at);
}

/** Core reconciliation of one window: everything in (from, to], opened by the exact reading at `from`. */
export function reconcileWindow(
  l: Ledger,
  w: { from: number; to: number },
  tolerance: ReconcileSettings['tolerance'],
): ReconciliationReport {
  const within = <T extends { at: number }>(xs: T[]) => xs.filter((x) => x.at >= w.from && x.at <= w.to);
  return reconcileLedger(
    {
      recordedSales: within(l.sales),
      stockMovements: within(l.movements),
      snapshots: within(l.readings).map(({ at, stock, stockIsLowerBound }) => ({ at, stock, stockIsLowerBound })),
    },
    { tolerance, from: w.from, to: w.to },
  );
}

/** Replaces epoch-ms numbers in core's finding details by ISO times (planners read these). */
export const readableDetail = (s: string): string => s.replace(/\b1\d{12}\b/g, (m) => iso(Number(m)));

interface ValidRows {
  movements: { i: number; sku: string; at: Date; quantity: number; type: string; reference: string | null; key: string }[];
  sales: { i: number; sku: string; at: Date; units: number; orderId: string }[];
  readings: {
    i: number;
    sku: string;
    at: Date;
    stock: number | null;
    lower: boolean;
    source: string | null;
    dealType: string;
    dealEndsAt: Date | null;
  }[];
}

/** The three ledger INSERTs: a row already stored (same idempotency key) is skipped, never changed. */
const MOVEMENT_INSERT: InsertSpec = {
  table: 'stock_movement',
  columns: ['product_id', 'at', 'quantity', 'type', 'reference', 'dedupe_key'],
  conflict: ['product_id', 'dedupe_key'],
};
const SALE_INSERT: InsertSpec = {
  table: 'order_sale',
  columns: ['product_id', 'order_id', 'at', 'units'],
  conflict: ['product_id', 'order_id'],
};
const READING_INSERT: InsertSpec = {
  table: 'stock_reading',
  columns: ['product_id', 'at', 'stock', 'stock_is_lower_bound', 'source', 'deal_type', 'deal_ends_at'],
  conflict: ['product_id', 'at'],
};

/** Rows per INSERT: about 10,000 parameters (SQLite allows 32,766, PostgreSQL 65,535). */
const insertChunkRows = (spec: InsertSpec): number => Math.floor(1000 / spec.columns.length) * 10;

/** Rejects the first item whose SKU is not a product of the workspace (the batch then writes nothing). */
function unknownSku(list: string, xs: { i: number; sku: string }[], ids: Map<string, string>): void {
  const x = xs.find((r) => !ids.has(r.sku));
  if (x)
    throw badInput(`input.${list}[${x.i}].sku`, `no product with sku "${x.sku}" in this workspace: create it with upsertProduct first`);
}

export class LedgerService {
  /**
   * Publishes `ledger.recorded` after a commit with new rows; `settings` gives a product's
   * reconciliation tolerance (the alert rules' RECONCILIATION_MISMATCH parameters).
   */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly settings: ReconcileSettingsSource,
  ) {}

  /** Validates every item (errors name `input.<list>[i].<field>`), with core's sign rules per movement type. */
  private validate(input: RecordLedgerInput, now: number): ValidRows {
    const ms = input.stockMovements ?? [];
    const ss = input.orderSales ?? [];
    const rs = input.stockReadings ?? [];
    const total = ms.length + ss.length + rs.length;
    if (total > MAX_LEDGER_BATCH) throw badInput('input', `at most ${MAX_LEDGER_BATCH} items per call (all lists together), got ${total}`);
    const seen = new Map<string, string>();
    const once = (field: string, key: string) => {
      const prev = seen.get(key);
      if (prev) throw badInput(field, `repeats ${prev} (same key): send each entry once per batch`);
      seen.set(key, field.replace(/\.[a-zA-Z]+$/, ''));
    };
    const movements = ms.map((m, i) => {
      const f = (n: string) => `input.stockMovements[${i}].${n}`;
      const sku = validSku(f('sku'), m.sku);
      const at = v.instant(f('at'), m.at, now);
      const quantity = v.finite(f('quantity'), m.quantity, { min: -INT32, max: INT32, integer: true });
      if (!MOVEMENT_TYPES.includes(m.type)) throw badInput(f('type'), `must be one of ${MOVEMENT_TYPES.join(', ')}`);
      if (m.type === 'SALE' && quantity > 0) throw badInput(f('quantity'), `must be ≤ 0 for a SALE, got ${quantity}`);
      if ((m.type === 'RECEIPT' || m.type === 'RETURN') && quantity < 0)
        throw badInput(f('quantity'), `must be ≥ 0 for a ${m.type}, got ${quantity}`);
      const reference = v.optionalText(f('reference'), m.reference, { max: 100 });
      const key = reference !== null ? `ref:${reference}` : `at:${at.toISOString()}|${m.type}|${quantity}`;
      once(reference !== null ? f('reference') : f('at'), `m|${sku}|${key}`);
      return { i, sku, at, quantity, type: m.type, reference, key };
    });
    const sales = ss.map((s, i) => {
      const f = (n: string) => `input.orderSales[${i}].${n}`;
      const sku = validSku(f('sku'), s.sku);
      const orderId = v.text(f('orderId'), s.orderId, { max: 100 });
      once(f('orderId'), `s|${sku}|${orderId}`);
      return {
        i,
        sku,
        orderId,
        at: v.instant(f('at'), s.at, now),
        units: v.finite(f('units'), s.units, { min: 0, max: INT32, integer: true }),
      };
    });
    const readings = rs.map((r, i) => {
      const f = (n: string) => `input.stockReadings[${i}].${n}`;
      const sku = validSku(f('sku'), r.sku);
      const at = v.instant(f('at'), r.at, now);
      const stock = v.optionalFinite(f('stock'), r.stock, { min: -INT32, max: INT32, integer: true });
      const lower = Boolean(r.stockIsLowerBound);
      if (lower && stock === null) throw badInput(f('stockIsLowerBound'), 'is true but stock is null: a lower bound needs a value');
      if (lower && stock! < 0) throw badInput(f('stockIsLowerBound'), `is true but stock is ${stock}: a capped reading is never negative`);
      if (!DEAL_TYPES.includes(r.dealType)) throw badInput(f('dealType'), `must be one of ${DEAL_TYPES.join(', ')}`);
      if (r.dealType === 'NONE' && r.dealEndsAt) throw badInput(f('dealEndsAt'), 'is set but dealType is NONE');
      const dealEndsAt = r.dealEndsAt ? v.instant(f('dealEndsAt'), r.dealEndsAt, now + 30 * DAY) : null;
      once(f('at'), `r|${sku}|${at.toISOString()}`);
      return { i, sku, at, stock, lower, source: v.optionalText(f('source'), r.source, { max: 40 }), dealType: r.dealType, dealEndsAt };
    });
    return { movements, sales, readings };
  }

  /**
   * Stores the three ledgers all-or-nothing: every item is validated, then SKUs resolved and rows
   * inserted in one transaction. Idempotent: a movement by (sku, reference) or, without one, (sku,
   * at, type, quantity); a sale by (sku, orderId); a reading by (sku, at). Stored rows never change.
   */
  async record(workspaceId: string, input: RecordLedgerInput, now = this.clock.now()): Promise<RecordLedgerResult> {
    const rows = this.validate(input, now);
    const skus = [...new Set([...rows.movements, ...rows.sales, ...rows.readings].map((r) => r.sku))];
    const empty = {
      stockMovements: { inserted: 0, duplicates: 0 },
      orderSales: { inserted: 0, duplicates: 0 },
      stockReadings: { inserted: 0, duplicates: 0 },
    };
    if (!skus.length) return empty;
    const touched = new Set<string>();
    const result = await this.db.write(async (m) => {
      const ids = await productIdsBySku(this.db, m, workspaceId, skus);
      unknownSku('stockMovements', rows.movements, ids);
      unknownSku('orderSales', rows.sales, ids);
      unknownSku('stockReadings', rows.readings, ids);
      const insert = async <T extends { sku: string }>(spec: InsertSpec, xs: T[], values: (r: T) => unknown[]) => {
        const written = await this.db.insertRows(m, { ...spec, returning: 'product_id' }, xs.map(values), insertChunkRows(spec));
        for (const r of written) touched.add(String(r.product_id));
        return { inserted: written.length, duplicates: xs.length - written.length };
      };
      return {
        stockMovements: await insert(MOVEMENT_INSERT, rows.movements, (r) => [
          ids.get(r.sku),
          r.at,
          r.quantity,
          r.type,
          r.reference,
          r.key,
        ]),
        orderSales: await insert(SALE_INSERT, rows.sales, (r) => [ids.get(r.sku), r.orderId, r.at, r.units]),
        stockReadings: await insert(READING_INSERT, rows.readings, (r) => [
          ids.get(r.sku),
          r.at,
          r.stock,
          r.lower,
          r.source,
          r.dealType,
          r.dealEndsAt,
        ]),
      };
    });
    // After commit: the evaluator reconciles what changed (never fails the ingest).
    if (touched.size) await this.events.publish('ledger.recorded', { workspaceId, productIds: [...touched] });
    return result;
  }

  /**
   * Units of the stored order sales per SKU and UTC calendar day, over [from, to) — what the days an
   * orders import touched add up to with every order stored before (so overlapping reports agree).
   */
  async dailyOrderUnits(workspaceId: string, skus: readonly string[], from: Date, to: Date): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (let i = 0; i < skus.length; i += 500) {
      const rows = await this.db.manager
        .createQueryBuilder(OrderSaleRow, 'o')
        .innerJoin(Product, 'p', 'p.id = o.productId')
        .select(['p.sku AS sku', 'o.at AS at', 'o.units AS units'])
        .where('p.workspaceId = :ws', { ws: workspaceId })
        .andWhere('p.sku IN (:...skus)', { skus: skus.slice(i, i + 500) })
        .andWhere('o.at >= :from AND o.at < :to', { from, to })
        .getRawMany<{ sku: string; at: string | Date; units: number }>();
      for (const r of rows) {
        const day = new Date(readTime(r.at)).toISOString().slice(0, 10);
        const days = out.get(r.sku) ?? new Map<string, number>();
        days.set(day, (days.get(day) ?? 0) + Number(r.units));
        out.set(r.sku, days);
      }
    }
    return out;
  }

  /** One page of a product's ledger rows in [from, to), oldest first (`list` names the cursor's list). */
  page<T extends StockMovementRow | OrderSaleRow | StockReadingRow>(
    entity: new () => T,
    list: string,
    productId: string,
    args: LedgerPageArgs,
  ): Promise<Page<T>> {
    if (args.from && args.to && args.to < args.from) throw badInput('to', 'must not be before from');
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(entity, 'x').where('x.productId = :pid', { pid: productId });
      if (args.from) qb.andWhere('x.at >= :from', { from: args.from });
      if (args.to) qb.andWhere('x.at < :to', { to: args.to });
      return qb;
    };
    return keysetPage(list, args, base, [
      instantKey<T>('x.at', 'ASC', (r) => r.at),
      { column: 'x.id', dir: 'ASC', value: (r) => r.id, check: isInt },
    ]);
  }

  /** Three-way reconciliation of one SKU over [from, to] (the query); null when the SKU is not this workspace's. */
  async reconciliation(workspaceId: string, args: ReconciliationArgs, now = this.clock.now()): Promise<Reconciliation | null> {
    const code = validSku('sku', args.sku);
    const to = args.to ? v.instant('to', args.to, now).getTime() : now;
    const from = args.from ? v.instant('from', args.from, now).getTime() : to - DAY;
    if (from > to) throw badInput('from', `must not be after to (${iso(to)})`);
    if (to - from > MAX_RECONCILE_SPAN_DAYS * DAY) throw badInput('from', `the window may span at most ${MAX_RECONCILE_SPAN_DAYS} days`);
    const p = await this.db.manager.findOne(Product, { where: { workspaceId, sku: code } });
    if (!p) return null;
    const opening = await this.db.manager
      .createQueryBuilder(StockReadingRow, 'r')
      .where('r.productId = :pid AND r.at <= :from AND r.stock IS NOT NULL AND r.stockIsLowerBound = :f', {
        pid: p.id,
        from: new Date(from),
        f: false,
      })
      .orderBy('r.at', 'DESC')
      .limit(1)
      .getOne();
    if (!opening) throw badInput('from', `no exact stock reading of ${code} at or before ${iso(from)} to open the ledger`);
    const openAt = opening.at.getTime();
    const ledgers = await loadLedgers(this.db, [p.id], openAt, to, MAX_RECONCILE_ROWS);
    const ledger = ledgers.get(p.id)!;
    const settings = await this.settings.reconcileSettingsFor(workspaceId, p);
    const r = reconcileWindow(ledger, { from: openAt, to }, settings.tolerance);
    return {
      sku: p.sku,
      ok: r.ok,
      level: r.level,
      findings: r.findings.map((f) => ({ ...f, at: f.at === null ? null : new Date(f.at), detail: readableDetail(f.detail) })),
      figures: { ...r.figures, from: new Date(r.figures.from), to: new Date(r.figures.to) },
      toleranceAbsolute: settings.tolerance.absolute,
      toleranceRelative: settings.tolerance.relative,
      explanation: toExplanation(r.explanation),
    };
  }
}

/**
 * The ledgers of some products in [from, to], each sorted by time. `maxRows` guards the
 * reconciliation query.
 */
export async function loadLedgers(
  db: Db,
  productIds: string[],
  from: number,
  to: number,
  maxRows = Infinity,
): Promise<Map<string, Ledger>> {
  const out = new Map<string, Ledger>(productIds.map((id) => [id, { movements: [], sales: [], readings: [] }]));
  const m: EntityManager = db.manager;
  for (let i = 0; i < productIds.length; i += 500) {
    const ids = productIds.slice(i, i + 500);
    const where = (qb: ReturnType<EntityManager['createQueryBuilder']>) =>
      qb
        .where('x.productId IN (:...ids) AND x.at >= :from AND x.at <= :to', { ids, from: new Date(from), to: new Date(to) })
        .orderBy('x.at', 'ASC')
        .addOrderBy('x.id', 'ASC');
    const cap = <T>(rows: T[], what: string) => {
      if (rows.length > maxRows) throw badInput('from', `the window holds more than ${maxRows} ${what}: narrow it`);
      return rows;
    };
    const limit = Number.isFinite(maxRows) ? maxRows + 1 : undefined;
    const moves = cap(await where(m.createQueryBuilder(StockMovementRow, 'x')).limit(limit).getMany(), 'stock movements');
    const sales = cap(await where(m.createQueryBuilder(OrderSaleRow, 'x')).limit(limit).getMany(), 'order sales');
    const reads = cap(await where(m.createQueryBuilder(StockReadingRow, 'x')).limit(limit).getMany(), 'stock readings');
    for (const r of moves) out.get(r.productId)!.movements.push({ at: r.at.getTime(), quantity: r.quantity, type: r.type });
    for (const r of sales) out.get(r.productId)!.sales.push({ at: r.at.getTime(), units: r.units });
    for (const r of reads) {
      out.get(r.productId)!.readings.push({
        at: r.at.getTime(),
        stock: r.stock,
        stockIsLowerBound: r.stockIsLowerBound,
        dealType: r.dealType,
        dealEndsAt: r.dealEndsAt?.getTime() ?? null,
      });
    }
  }
  return out;
}
