import { In } from 'typeorm';
import type { Db } from '../../db/db';
import { badInput } from '../../graphql/errors';
import type { Node } from '../../graphql/node';
import * as v from '../../graphql/validate';
import { AlertRuleRow } from '../alert-eval/alert-rule.entity';
import { Alert } from '../alert/alert.entity';
import { Competitor } from '../competitor/competitor.entity';
import { SavedProfitabilityScenario } from '../planning/scenario.entity';
import { Product, PurchaseOrder } from '../product/product.entity';
import { Supplier } from '../supplier/supplier.entity';
import { Webhook } from '../webhook/webhook.entity';

/** Every type that implements Node, most often refetched first (a lookup stops once every id is found). */
export const NODE_TYPES = [Competitor, Product, Alert, PurchaseOrder, Supplier, AlertRuleRow, Webhook, SavedProfitabilityScenario] as const;

/** Most ids one `nodes(ids)` call takes. */
export const MAX_NODE_IDS = 100;

/**
 * Refetches Node objects by id. Ids are UUIDs unique across types, so the type is found by looking
 * the id up; every lookup filters on the caller's workspace, so another workspace's id answers null
 * exactly like an id that never existed.
 */
export class NodeService {
  constructor(private readonly db: Db) {}

  /**
   * The objects of `ids` in order, null where this workspace has none. Ids are checked first
   * (BAD_USER_INPUT naming `fieldOf(i)`), then one `id IN (…)` statement per Node type until all are
   * found: at most NODE_TYPES.length statements, whatever the number of ids.
   */
  async byIds(workspaceId: string, ids: readonly string[], fieldOf: (i: number) => string): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODE_IDS) throw badInput(fieldOf(-1), `at most ${MAX_NODE_IDS} ids per call, got ${ids.length}`);
    ids.forEach((id, i) => v.id(fieldOf(i), id));
    const found = new Map<string, Node>();
    let missing = [...new Set(ids.map((id) => id.toLowerCase()))];
    for (const type of NODE_TYPES) {
      if (missing.length === 0) break;
      const rows: Node[] = await this.db.manager.find(type, { where: { workspaceId, id: In(missing) } });
      for (const row of rows) found.set(row.id.toLowerCase(), row);
      missing = missing.filter((id) => !found.has(id));
    }
    return ids.map((id) => found.get(id.toLowerCase()) ?? null);
  }
}
