import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { dateOfDay, dayOfStored } from './days';
import { Product, PurchaseOrder, PurchaseOrderStatus } from './product.entity';

/** A product's sales over the inclusive epoch-day range [from, to]. */
export interface SalesWindowKey {
  productId: string;
  from: number;
  to: number;
}

/** One stored sales day, as an epoch day. */
export interface SalesPoint {
  day: number;
  units: number;
  inStock: boolean;
}

/**
 * Per-request batching for the per-product fields: however many products a query asks for, each
 * loader costs one statement per distinct argument set (sales: per distinct window).
 */
export function createProductLoaders(db: Db) {
  /** Keys are product ids taken from rows already scoped to the request's workspace. */
  const byId = new DataLoader<string, Product | null>(
    async (ids) => {
      const rows = await db.manager.find(Product, { where: { id: In([...ids]) } });
      const found = new Map(rows.map((p) => [p.id, p]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );

  const openPurchaseOrders = new DataLoader<string, PurchaseOrder[]>(
    async (productIds) => {
      const rows = await db.manager.find(PurchaseOrder, {
        where: { productId: In([...productIds]), status: PurchaseOrderStatus.OPEN },
        order: { expectedAt: 'ASC', id: 'ASC' },
      });
      const out = new Map<string, PurchaseOrder[]>(productIds.map((id) => [id, []]));
      for (const po of rows) out.get(po.productId)?.push(po);
      return productIds.map((id) => out.get(id) ?? []);
    },
    { maxBatchSize: 1000 },
  );

  const sales = new DataLoader<SalesWindowKey, SalesPoint[], string>(
    async (keys) => {
      const out = new Map<string, SalesPoint[]>();
      const groups = new Map<string, SalesWindowKey[]>();
      for (const k of keys) groups.set(`${k.from}|${k.to}`, [...(groups.get(`${k.from}|${k.to}`) ?? []), k]);
      for (const [window, group] of groups) {
        const ids = [...new Set(group.map((k) => k.productId))];
        // Plain rows, no entity hydration: 500 products × 90 days is 45,000 rows.
        const q = db.params();
        const rows: { product_id: string; sale_date: string | Date; units: number | string; in_stock: number | boolean }[] =
          await db.manager.query(
            `SELECT product_id, sale_date, units, in_stock FROM sales_day
            WHERE product_id IN (${q.list(ids)})
              AND sale_date >= ${q.add(dateOfDay(group[0].from))} AND sale_date <= ${q.add(dateOfDay(group[0].to))}
            ORDER BY product_id, sale_date`,
            q.values,
          );
        for (const id of ids) out.set(`${id}|${window}`, []);
        for (const r of rows) {
          out
            .get(`${r.product_id}|${window}`)!
            .push({ day: dayOfStored(r.sale_date), units: Number(r.units), inStock: Boolean(r.in_stock) });
        }
      }
      return keys.map((k) => out.get(`${k.productId}|${k.from}|${k.to}`) ?? []);
    },
    { cacheKeyFn: (k) => `${k.productId}|${k.from}|${k.to}`, maxBatchSize: 1000 },
  );

  /**
   * `product(sku:)` lookups, keys `${workspaceId}|${sku}` (sku validated by the caller): one statement
   * per workspace however many aliases a request holds (a 95-alias forecast request used to run 95).
   */
  const bySku = new DataLoader<string, Product | null>(
    async (keys) => {
      const byWorkspace = new Map<string, string[]>();
      for (const k of keys) {
        const i = k.indexOf('|');
        byWorkspace.set(k.slice(0, i), [...(byWorkspace.get(k.slice(0, i)) ?? []), k.slice(i + 1)]);
      }
      const found = new Map<string, Product>();
      for (const [workspaceId, skus] of byWorkspace)
        for (const p of await db.manager.find(Product, { where: { workspaceId, sku: In([...new Set(skus)]) } }))
          found.set(`${workspaceId}|${p.sku}`, p);
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: 500 },
  );

  return { byId, bySku, openPurchaseOrders, sales };
}

export type ProductLoaders = ReturnType<typeof createProductLoaders>;
