import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { Supplier, type SupplierPriceTier } from './supplier.entity';
import type { SupplierService } from './supplier.service';

/**
 * Per-request batching of supplier reads. Keys come from rows already scoped to the request's
 * workspace (a product's supplier_id), so the loaders need no workspace filter of their own.
 */
export function createSupplierLoaders(db: Db, suppliers: SupplierService) {
  const tiers = new DataLoader<string, SupplierPriceTier[]>(
    async (ids) => {
      const byId = await suppliers.tiersOf(ids);
      return ids.map((id) => byId.get(id) ?? []);
    },
    { maxBatchSize: 1000 },
  );

  const byId = new DataLoader<string, Supplier | null>(
    async (ids) => {
      const rows = await db.manager.find(Supplier, { where: { id: In([...ids]) } });
      const found = new Map(rows.map((s) => [s.id, s]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );

  return { byId, tiers };
}

export type SupplierLoaders = ReturnType<typeof createSupplierLoaders>;
