/**
 * Derived facts kept at ingest (docs/architecture.md, "Facts"): consumption facts (velocity sums),
 * deal episodes, restock events and stockout windows. Every snapshot writer — API batches
 * and CSV imports (SnapshotService), retention roll-ups (RetentionService) — calls `afterWrite` in
 * its transaction with the earliest changed capture per competitor, so the facts commit or roll
 * back with the readings. `rebuild` re-derives them from the raw snapshots (CLI
 * `rebuild-intelligence`, and at startup for facts made by an older rule version).
 */
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import type { SnapshotFacts } from '../snapshot/snapshot.facts';
import { CONSUMPTION_RULES, maintainConsumption } from './consumption.facts';
import { EPISODE_RULES, maintainEpisodes } from './episodes.facts';
import { maintainRestocks, RESTOCK_RULES, staleRestocksSql } from './restocks.facts';

export interface RebuildScope {
  workspaceId?: string;
  competitorId?: string;
  /** Only competitors with facts from another rule version (or readings but no facts). */
  staleOnly?: boolean;
  progress?: (done: number, total: number) => void;
}

export class FactsService implements SnapshotFacts {
  constructor(private readonly db: Db) {}

  /**
   * One maintenance pass per competitor of the batch (aggregated by the caller), in its transaction.
   * The competitors' rows are locked first (PostgreSQL): concurrent batches of one listing re-derive
   * its facts one after the other, each seeing the other's readings, instead of colliding on them.
   */
  async afterWrite(m: EntityManager, changedSince: ReadonlyMap<string, number>): Promise<void> {
    await this.db.lockRows(m, 'competitor', [...changedSince.keys()]);
    for (const [competitorId, since] of changedSince) {
      await maintainConsumption(this.db, m, competitorId, since);
      await maintainEpisodes(this.db, m, competitorId, since);
      // After the episodes: restocks.facts.ts reads them to start its context at a deal run's start.
      await maintainRestocks(this.db, m, competitorId, since);
    }
  }

  /** The competitors a rebuild covers. */
  async rebuildTargets(scope: RebuildScope): Promise<string[]> {
    const q = this.db.params();
    const where: string[] = [];
    if (scope.workspaceId) where.push(`c.workspace_id = ${q.add(scope.workspaceId)}`);
    if (scope.competitorId) where.push(`c.id = ${q.add(scope.competitorId)}`);
    if (scope.staleOnly) {
      where.push(`(EXISTS (SELECT 1 FROM consumption_fact f WHERE f.competitor_id = c.id AND f.rules <> ${q.add(CONSUMPTION_RULES)})
        OR (NOT EXISTS (SELECT 1 FROM consumption_fact f WHERE f.competitor_id = c.id)
            AND (SELECT COUNT(*) FROM (SELECT 1 FROM snapshot s WHERE s.competitor_id = c.id AND s.stock IS NOT NULL LIMIT 2) two) = 2)
        OR EXISTS (SELECT 1 FROM deal_episode e WHERE e.competitor_id = c.id AND e.rules <> ${q.add(EPISODE_RULES)})
        OR (NOT EXISTS (SELECT 1 FROM deal_episode e WHERE e.competitor_id = c.id)
            AND EXISTS (SELECT 1 FROM snapshot s WHERE s.competitor_id = c.id AND s.deal_type <> 'NONE'))
        OR ${staleRestocksSql(RESTOCK_RULES)})`);
    }
    const rows: { id: string }[] = await this.db.manager.query(
      `SELECT c.id AS id FROM competitor c${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`,
      q.values,
    );
    return rows.map((r) => r.id);
  }

  /** Re-derives the facts of every competitor in scope from its raw snapshots, one transaction each. */
  async rebuild(scope: RebuildScope = {}): Promise<{ competitors: number; facts: number; episodes: number; restocks: number }> {
    const ids = await this.rebuildTargets(scope);
    let facts = 0;
    let episodes = 0;
    let restocks = 0;
    for (const [i, id] of ids.entries()) {
      await this.db.write(async (m) => {
        await this.db.lockRows(m, 'competitor', [id]);
        facts += await maintainConsumption(this.db, m, id, -Infinity);
        episodes += await maintainEpisodes(this.db, m, id, -Infinity);
        restocks += await maintainRestocks(this.db, m, id, -Infinity);
      });
      scope.progress?.(i + 1, ids.length);
    }
    return { competitors: ids.length, facts, episodes, restocks };
  }
}
