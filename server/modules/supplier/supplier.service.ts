import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { Supplier, SupplierPriceTier } from './supplier.entity';
import type { LeadTimeStageInput, PriceTierInput, SuppliersArgs, UpsertSupplierInput } from './supplier.inputs';

export const MAX_TIERS = 50;
const MAX_STAGE_DAYS = 365;
const MAX_MONEY = 10_000_000;

export const nameKey = (name: string): string => name.trim().toLowerCase();

export interface Tier {
  minQuantity: number;
  unitCost: number;
}

/**
 * Validates all-units price tiers: whole minimum quantities, no duplicate breaks, and a price that
 * never rises with the quantity (a "discount" that raises the price is a data error). Returns them
 * sorted by minQuantity.
 */
export function checkTiers(field: string, tiers: PriceTierInput[], { minQuantity = 1 } = {}): Tier[] {
  if (tiers.length > MAX_TIERS) throw badInput(field, `at most ${MAX_TIERS} tiers, got ${tiers.length}`);
  const checked = tiers.map((t, i) => ({
    i,
    minQuantity: v.finite(`${field}[${i}].minQuantity`, t.minQuantity, { min: minQuantity, max: 1_000_000_000, integer: true }),
    unitCost: v.finite(`${field}[${i}].unitCost`, t.unitCost, { min: 0.01, max: MAX_MONEY }),
  }));
  const sorted = [...checked].sort((a, b) => a.minQuantity - b.minQuantity);
  for (let k = 1; k < sorted.length; k++) {
    const [prev, t] = [sorted[k - 1], sorted[k]];
    if (t.minQuantity === prev.minQuantity)
      throw badInput(`${field}[${t.i}].minQuantity`, `duplicates ${field}[${prev.i}] (${t.minQuantity})`);
    if (t.unitCost > prev.unitCost) {
      throw badInput(
        `${field}[${t.i}].unitCost`,
        `must not exceed the price of the smaller break ${prev.minQuantity} (${prev.unitCost}), got ${t.unitCost}`,
      );
    }
  }
  return sorted.map(({ minQuantity: q, unitCost }) => ({ minQuantity: q, unitCost }));
}

function stage(field: string, s: LeadTimeStageInput): { mean: number; sd: number } {
  return {
    mean: v.finite(`${field}.mean`, s.mean, { min: 0, max: MAX_STAGE_DAYS }),
    sd: v.finite(`${field}.sd`, s.sd ?? 0, { min: 0, max: MAX_STAGE_DAYS }),
  };
}

export class SupplierService {
  constructor(private readonly db: Db) {}

  async upsert(workspaceId: string, input: UpsertSupplierInput): Promise<Supplier> {
    const name = v.text('input.name', input.name, { max: 200 });
    const key = nameKey(name);
    const stages = {
      procurement: input.procurement ? stage('input.procurement', input.procurement) : null,
      shipping: input.shipping ? stage('input.shipping', input.shipping) : null,
      inbound: input.inbound ? stage('input.inbound', input.inbound) : null,
    };
    const maxLt = v.optionalFinite('input.maxLeadTimeDays', input.maxLeadTimeDays, { min: 0, max: 3 * MAX_STAGE_DAYS });
    const onTime = v.optionalFinite('input.onTimeRate', input.onTimeRate, { min: 0, max: 1 });
    const lateDelay = v.optionalFinite('input.lateDelayDays', input.lateDelayDays, { min: 0, max: MAX_STAGE_DAYS });
    const orderCost = v.optionalFinite('input.orderCost', input.orderCost, { min: 0, max: MAX_MONEY });
    const tiers = input.tiers ? checkTiers('input.tiers', input.tiers) : null;

    const saved = await this.db.write(async (m) => {
      let s: Supplier | null = null;
      if (input.id) {
        s = await m.findOne(Supplier, { where: { workspaceId, id: input.id } });
        if (!s) throw badInput('input.id', 'no supplier with this id in this workspace');
      }
      const byName = await m.findOne(Supplier, { where: { workspaceId, nameKey: key } });
      if (s && byName && byName.id !== s.id) throw badInput('input.name', `"${name}" is already the name of another supplier`);
      s ??= byName;
      if (!s) {
        for (const f of ['procurement', 'shipping', 'inbound'] as const) {
          if (!stages[f]) throw badInput(`input.${f}`, 'is required for a new supplier (mean and sd in days)');
        }
        s = m.create(Supplier, { id: randomUUID(), workspaceId, onTimeRate: 1, orderCost: 0, maxLeadTimeDays: null, lateDelayDays: null });
      }
      s.name = name;
      s.nameKey = key;
      if (stages.procurement) [s.procurementMean, s.procurementSd] = [stages.procurement.mean, stages.procurement.sd];
      if (stages.shipping) [s.shippingMean, s.shippingSd] = [stages.shipping.mean, stages.shipping.sd];
      if (stages.inbound) [s.inboundMean, s.inboundSd] = [stages.inbound.mean, stages.inbound.sd];
      if (input.maxLeadTimeDays !== undefined) s.maxLeadTimeDays = maxLt;
      if (onTime !== null) s.onTimeRate = onTime;
      if (input.lateDelayDays !== undefined) s.lateDelayDays = lateDelay;
      if (orderCost !== null) s.orderCost = orderCost;
      const meanLt = s.procurementMean + s.shippingMean + s.inboundMean;
      if (s.maxLeadTimeDays !== null && s.maxLeadTimeDays < meanLt - 1e-9) {
        throw badInput(
          'input.maxLeadTimeDays',
          `must be ≥ the mean lead time ${meanLt} days (procurement + shipping + inbound), got ${s.maxLeadTimeDays}`,
        );
      }
      const out = await m.save(s);
      if (tiers) {
        await m.delete(SupplierPriceTier, { supplierId: out.id });
        if (tiers.length)
          await m.insert(
            SupplierPriceTier,
            tiers.map((t) => ({ supplierId: out.id, ...t })),
          );
      }
      return out;
    });
    saved.tiers = undefined;
    return saved;
  }

  list(workspaceId: string, args: SuppliersArgs): Promise<Page<Supplier>> {
    const base = () => this.db.manager.createQueryBuilder(Supplier, 's').where('s.workspaceId = :ws', { ws: workspaceId });
    return keysetPage('suppliers', args, base, [{ column: 's.nameKey', dir: 'ASC', value: (s) => s.nameKey, check: isText }]);
  }

  byId(workspaceId: string, id: string): Promise<Supplier | null> {
    return this.db.manager.findOne(Supplier, { where: { workspaceId, id } });
  }

  byName(workspaceId: string, name: string): Promise<Supplier | null> {
    return this.db.manager.findOne(Supplier, { where: { workspaceId, nameKey: nameKey(name) } });
  }

  lookup(workspaceId: string, args: { id?: string | null; name?: string | null }): Promise<Supplier | null> {
    if (args.id && args.name) throw badInput('id', 'give either id or name, not both');
    if (args.id) return this.byId(workspaceId, args.id);
    if (args.name) return this.byName(workspaceId, v.text('name', args.name, { max: 200 }));
    throw badInput('id', 'give id or name');
  }

  /** Price tiers of many suppliers in one statement, sorted by minQuantity. */
  async tiersOf(supplierIds: readonly string[]): Promise<Map<string, SupplierPriceTier[]>> {
    const out = new Map<string, SupplierPriceTier[]>(supplierIds.map((id) => [id, []]));
    if (!supplierIds.length) return out;
    const rows = await this.db.manager.find(SupplierPriceTier, {
      where: { supplierId: In([...supplierIds]) },
      order: { minQuantity: 'ASC' },
    });
    for (const t of rows) out.get(t.supplierId)?.push(t);
    return out;
  }
}
