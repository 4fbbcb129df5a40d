import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import { chunks, type InsertSpec } from '../../db/dialect';
import { emptyPage, instantKey, isText, keysetPage, type Page, pageWindow } from '../../graphql/connection';
import { badInput, notFound } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { Supplier } from '../supplier/supplier.entity';
import { nameKey } from '../supplier/supplier.service';
import type { Clock } from '../../clock';
import type { EventBus } from '../../events';
import { dateOfDay, dayOfStored, epochDayOf, parseDay } from './days';
import { AbcClass, Product, PurchaseOrder, PurchaseOrderStatus } from './product.entity';
import type {
  ProductsArgs,
  PurchaseOrdersArgs,
  RecordPurchaseOrderInput,
  RecordSalesResult,
  SalesInput,
  UpsertProductInput,
} from './product.inputs';

export const MAX_SALES_BATCH = 10_000;
const MAX_UNITS = 10_000_000;
const MAX_MONEY = 10_000_000;
const INT32 = 2_147_483_647;
// eslint-disable-next-line no-control-regex -- a SKU must not contain control characters: matching them is the point
const SKU_PATTERN = /^[^\u0000-\u001f\u007f]+$/;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function sku(field: string, value: string): string {
  return v.text(field, value, { max: 64, pattern: SKU_PATTERN });
}

/** One validated sales day of a recordSales batch. */
interface SalesRow {
  sku: string;
  day: number;
  units: number;
  inStock: boolean;
}

/** Re-sending a (product, day) overwrites it. 1,000 rows (5,000 parameters) per statement. */
const SALES_UPSERT: InsertSpec = {
  table: 'sales_day',
  columns: ['product_id', 'sale_date', 'units', 'in_stock', 'updated_at'],
  conflict: ['product_id', 'sale_date'],
  update: ['units', 'in_stock', 'updated_at'],
};
const SALES_UPSERT_ROWS = 1000;

/** Validates a recordSales batch (errors name `input[i].field`); a (sku, date) may appear once. */
function validSales(input: SalesInput[], maxDay: number): SalesRow[] {
  const seen = new Map<string, number>();
  return input.map((s, i) => {
    const f = (name: string) => `input[${i}].${name}`;
    const row = {
      sku: sku(f('sku'), s.sku),
      day: parseDay(f('date'), s.date, { maxDay }),
      units: v.finite(f('units'), s.units, { min: 0, max: MAX_UNITS, integer: true }),
      inStock: s.inStock !== false,
    };
    const key = `${row.sku}\u0000${row.day}`;
    const j = seen.get(key);
    if (j !== undefined) throw badInput(f('date'), `repeats input[${j}] (same sku and date): send each day once per batch`);
    seen.set(key, i);
    return row;
  });
}

/** Product id by SKU for the workspace's products among `skus` (500 SKUs per statement), inside `m`'s transaction. */
export async function productIdsBySku(
  db: Db,
  m: EntityManager,
  workspaceId: string,
  skus: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const chunk of chunks(skus, 500)) {
    const q = db.params();
    const found: { id: string; sku: string }[] = await m.query(
      `SELECT id, sku FROM product WHERE workspace_id = ${q.add(workspaceId)} AND sku IN (${q.list(chunk)})`,
      q.values,
    );
    for (const p of found) ids.set(p.sku, p.id);
  }
  return ids;
}

export class ProductService {
  /** Publishes `products.changed` after a commit that changes sales, on hand or open orders. */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /** Resolves a supplier named by id or by name inside a transaction; a foreign id is "no such supplier". */
  private async supplierRef(
    m: EntityManager,
    workspaceId: string,
    field: string,
    ref: { id?: string | null; name?: string | null },
  ): Promise<Supplier | null> {
    if (ref.id && ref.name) throw badInput(`${field}Id`, 'give either supplierId or supplier (name), not both');
    if (ref.id) {
      const s = await m.findOne(Supplier, { where: { workspaceId, id: ref.id } });
      if (!s) throw badInput(`${field}Id`, 'no supplier with this id in this workspace');
      return s;
    }
    if (ref.name) {
      const s = await m.findOne(Supplier, { where: { workspaceId, nameKey: nameKey(ref.name) } });
      if (!s) throw badInput(field, `no supplier named "${ref.name.trim().slice(0, 60)}" in this workspace`);
      return s;
    }
    return null;
  }

  async upsert(workspaceId: string, input: UpsertProductInput): Promise<Product> {
    const code = sku('input.sku', input.sku);
    const name = input.name === undefined || input.name === null ? null : v.text('input.name', input.name, { max: 500 });
    const unitCost = v.optionalFinite('input.unitCost', input.unitCost, { min: 0.01, max: MAX_MONEY });
    const price = v.optionalFinite('input.price', input.price, { min: 0.01, max: MAX_MONEY });
    const onHand = v.optionalFinite('input.onHand', input.onHand, { min: 0, max: INT32, integer: true });
    const moq = v.optionalFinite('input.moq', input.moq, { min: 0, max: INT32, integer: true });
    const casePack = v.optionalFinite('input.casePack', input.casePack, { min: 1, max: 1_000_000, integer: true });
    const storageLimit = v.optionalFinite('input.storageLimit', input.storageLimit, { min: 0, max: INT32, integer: true });
    if (input.abcClass !== undefined && input.abcClass !== null && !Object.values(AbcClass).includes(input.abcClass)) {
      throw badInput('input.abcClass', 'must be A, B or C');
    }
    let stockChanged = false;
    const result = await this.db.write(async (m) => {
      let p = await m.findOne(Product, { where: { workspaceId, sku: code } });
      stockChanged = !p || (onHand !== null && onHand !== p.onHand) || (input.abcClass != null && input.abcClass !== p.abcClass);
      if (!p) {
        if (name === null) throw badInput('input.name', 'is required for a new product');
        if (unitCost === null) throw badInput('input.unitCost', 'is required for a new product');
        if (price === null) throw badInput('input.price', 'is required for a new product');
        p = m.create(Product, {
          id: randomUUID(),
          workspaceId,
          sku: code,
          abcClass: AbcClass.B,
          onHand: 0,
          moq: 0,
          casePack: 1,
          storageLimit: null,
          supplierId: null,
        });
      }
      if (name !== null) p.name = name;
      if (unitCost !== null) p.unitCost = unitCost;
      if (price !== null) p.price = price;
      if (input.abcClass) p.abcClass = input.abcClass;
      if (onHand !== null) p.onHand = onHand;
      if (moq !== null) p.moq = moq;
      if (casePack !== null) p.casePack = casePack;
      if (input.storageLimit !== undefined) p.storageLimit = storageLimit;
      if (input.supplierId === null && !input.supplier) p.supplierId = null;
      else if (input.supplierId || input.supplier) {
        p.supplierId = (await this.supplierRef(m, workspaceId, 'input.supplier', { id: input.supplierId, name: input.supplier }))!.id;
      }
      const saved = await m.save(p);
      delete saved.supplier;
      return saved;
    });
    if (stockChanged) await this.events.publish('products.changed', { workspaceId, productIds: [result.id] });
    return result;
  }

  list(workspaceId: string, args: ProductsArgs): Promise<Page<Product>> {
    const search = args.search?.trim() ? v.text('search', args.search, { max: 100 }) : null;
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(Product, 'p').where('p.workspaceId = :ws', { ws: workspaceId });
      if (args.abcClass) qb.andWhere('p.abcClass = :abc', { abc: args.abcClass });
      if (search) {
        qb.andWhere("(LOWER(p.sku) LIKE :q ESCAPE '\\' OR LOWER(p.name) LIKE :q ESCAPE '\\')", {
          q: `%${escapeLike(search.toLowerCase())}%`,
        });
      }
      return qb;
    };
    return keysetPage('products', args, base, [{ column: 'p.sku', dir: 'ASC', value: (p) => p.sku, check: isText }]);
  }

  byId(workspaceId: string, id: string): Promise<Product | null> {
    return this.db.manager.findOne(Product, { where: { workspaceId, id } });
  }

  bySku(workspaceId: string, code: string): Promise<Product | null> {
    return this.db.manager.findOne(Product, { where: { workspaceId, sku: sku('sku', code) } });
  }

  /** The first `limit` products of a workspace by sku (the priority matrix's population). */
  firstProducts(workspaceId: string, limit: number, abcClass: AbcClass | null = null): Promise<Product[]> {
    return this.db.manager.find(Product, {
      where: abcClass ? { workspaceId, abcClass } : { workspaceId },
      order: { sku: 'ASC' },
      take: limit,
    });
  }

  /**
   * Stores daily sales all-or-nothing: every item is validated first (errors name `input[i].field`),
   * then SKUs are resolved and the days upserted in one transaction. Re-sending a (sku, date)
   * overwrites that day, so a corrected export can simply be sent again.
   */
  async recordSales(workspaceId: string, input: SalesInput[]): Promise<RecordSalesResult> {
    if (input.length > MAX_SALES_BATCH) throw badInput('input', `at most ${MAX_SALES_BATCH} days per call, got ${input.length}`);
    if (input.length === 0) return { inserted: 0, updated: 0 };
    // Up to tomorrow (UTC): a seller east of Greenwich may close its day before UTC does.
    const rows = validSales(input, epochDayOf(this.clock.now()) + 1);
    let touched: string[] = [];
    const result = await this.db.write(async (m) => {
      const ids = await productIdsBySku(this.db, m, workspaceId, [...new Set(rows.map((r) => r.sku))]);
      const unknown = rows.findIndex((r) => !ids.has(r.sku));
      if (unknown >= 0) {
        throw badInput(
          `input[${unknown}].sku`,
          `no product with sku "${rows[unknown].sku}" in this workspace: create it with upsertProduct first`,
        );
      }
      const existing = await this.storedDays(m, [...new Set(ids.values())], rows);
      let updated = 0;
      for (const r of rows) if (existing.has(`${ids.get(r.sku)}|${r.day}`)) updated += 1;
      const now = new Date();
      await this.db.insertRows(
        m,
        SALES_UPSERT,
        rows.map((r) => [ids.get(r.sku), dateOfDay(r.day), r.units, r.inStock, now]),
        SALES_UPSERT_ROWS,
      );
      touched = [...new Set(ids.values())];
      return { inserted: rows.length - updated, updated };
    });
    await this.events.publish('products.changed', { workspaceId, productIds: touched });
    return result;
  }

  /**
   * The (product, day) pairs already stored, as `productId|epochDay`: read per chunk of 500
   * products over the batch's day range.
   */
  private async storedDays(m: EntityManager, productIds: string[], rows: SalesRow[]): Promise<Set<string>> {
    const minDay = Math.min(...rows.map((r) => r.day));
    const maxDay = Math.max(...rows.map((r) => r.day));
    const existing = new Set<string>();
    for (const chunk of chunks(productIds, 500)) {
      const q = this.db.params();
      const found: { product_id: string; sale_date: string | Date }[] = await m.query(
        `SELECT product_id, sale_date FROM sales_day WHERE product_id IN (${q.list(chunk)})
           AND sale_date >= ${q.add(dateOfDay(minDay))} AND sale_date <= ${q.add(dateOfDay(maxDay))}`,
        q.values,
      );
      for (const r of found) existing.add(`${r.product_id}|${dayOfStored(r.sale_date)}`);
    }
    return existing;
  }

  async recordPurchaseOrder(workspaceId: string, input: RecordPurchaseOrderInput): Promise<PurchaseOrder> {
    const code = sku('input.sku', input.sku);
    const quantity = v.finite('input.quantity', input.quantity, { min: 1, max: INT32, integer: true });
    const t = input.expectedAt instanceof Date ? input.expectedAt.getTime() : NaN;
    if (!Number.isFinite(t)) throw badInput('input.expectedAt', 'must be an ISO 8601 date-time');
    const today = epochDayOf(this.clock.now());
    const day = epochDayOf(t);
    if (day < today - 3660 || day > today + 3660) throw badInput('input.expectedAt', 'must be within ten years of today');
    const reference = v.optionalText('input.reference', input.reference, { max: 100 });
    return this.stockChanged(
      workspaceId,
      this.db.write(async (m) => {
        const p = await m.findOne(Product, { where: { workspaceId, sku: code } });
        if (!p) throw badInput('input.sku', `no product with sku "${code}" in this workspace`);
        const s = await this.supplierRef(m, workspaceId, 'input.supplier', { id: input.supplierId, name: input.supplier });
        return m.save(
          m.create(PurchaseOrder, {
            id: randomUUID(),
            workspaceId,
            productId: p.id,
            supplierId: s ? s.id : p.supplierId,
            quantity,
            expectedAt: input.expectedAt,
            status: PurchaseOrderStatus.OPEN,
            reference,
            receivedQuantity: null,
            receivedAt: null,
            cancelledAt: null,
          }),
        );
      }),
    );
  }

  /** Runs the post-commit hook for the order's product (in transit or on hand changed). */
  private async stockChanged(workspaceId: string, write: Promise<PurchaseOrder>): Promise<PurchaseOrder> {
    const po = await write;
    await this.events.publish('products.changed', { workspaceId, productIds: [po.productId] });
    return po;
  }

  private async openOrder(m: EntityManager, workspaceId: string, id: string): Promise<PurchaseOrder> {
    const po = await m.findOne(PurchaseOrder, { where: { workspaceId, id } });
    if (!po) throw notFound('purchase order', id);
    if (po.status !== PurchaseOrderStatus.OPEN) throw badInput('id', `purchase order is ${po.status}, only OPEN orders can change`);
    return po;
  }

  /** Closes an open order and adds what arrived to the product's on-hand stock. */
  receivePurchaseOrder(workspaceId: string, id: string, quantity: number | null | undefined): Promise<PurchaseOrder> {
    const received = v.optionalFinite('quantity', quantity, { min: 0, max: INT32, integer: true });
    return this.stockChanged(
      workspaceId,
      this.db.write(async (m) => {
        const po = await this.openOrder(m, workspaceId, id);
        const units = received ?? po.quantity;
        await m.increment(Product, { id: po.productId, workspaceId }, 'onHand', units);
        po.status = PurchaseOrderStatus.RECEIVED;
        po.receivedQuantity = units;
        po.receivedAt = new Date(this.clock.now());
        return m.save(po);
      }),
    );
  }

  cancelPurchaseOrder(workspaceId: string, id: string): Promise<PurchaseOrder> {
    return this.stockChanged(
      workspaceId,
      this.db.write(async (m) => {
        const po = await this.openOrder(m, workspaceId, id);
        po.status = PurchaseOrderStatus.CANCELLED;
        po.cancelledAt = new Date(this.clock.now());
        return m.save(po);
      }),
    );
  }

  async listPurchaseOrders(workspaceId: string, args: PurchaseOrdersArgs): Promise<Page<PurchaseOrder>> {
    const keys = [
      instantKey<PurchaseOrder>('o.expectedAt', 'ASC', (o) => o.expectedAt),
      { column: 'o.id', dir: 'ASC' as const, value: (o: PurchaseOrder) => o.id, check: isText },
    ];
    let productId: string | null = null;
    if (args.sku) {
      const p = await this.bySku(workspaceId, args.sku);
      // Still checks the paging arguments, so a bad cursor is refused whether or not the sku exists.
      if (!p)
        return emptyPage(
          pageWindow(
            'purchaseOrders',
            args,
            keys.map((k) => k.check),
          ),
        );
      productId = p.id;
    }
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(PurchaseOrder, 'o').where('o.workspaceId = :ws', { ws: workspaceId });
      if (productId) qb.andWhere('o.productId = :pid', { pid: productId });
      if (args.status) qb.andWhere('o.status = :st', { st: args.status });
      return qb;
    };
    return keysetPage('purchaseOrders', args, base, keys);
  }
}
