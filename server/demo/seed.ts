/**
 * The demo workspace: a deterministic labelled scenario set from core/sim (lightning deals that
 * sell out or expire, decaying and steady drains, plateaus, restock batches, stockouts, censored
 * "10+"/"999+" readings, capture gaps), shifted so that it ends at the moment of seeding and looks
 * live. Loaded through the same services as the API, so it obeys every ingest rule.
 */
import { generateScenarios } from '../../core/sim';
import { HOUR_MS } from '../../core/series/types';
import type { Db } from '../db/db';
import { Competitor, type CompetitorTier } from '../modules/competitor/competitor.entity';
import { CompetitorService } from '../modules/competitor/competitor.service';
import type { SnapshotInput } from '../modules/snapshot/snapshot.inputs';
import { MAX_BATCH, SnapshotService } from '../modules/snapshot/snapshot.service';
import { WorkspaceService } from '../modules/workspace/workspace.service';

export interface DemoOptions {
  workspace: string;
  seed: number;
  competitors?: number;
  days?: number;
  /** End of the demo period (epoch ms); default now. */
  now?: number;
  progress?: (message: string) => void;
}

export interface DemoResult {
  key: string;
  competitors: number;
  snapshots: number;
}

export async function seedDemo(db: Db, opts: DemoOptions): Promise<DemoResult> {
  const count = opts.competitors ?? 36;
  const days = opts.days ?? 21;
  const end = Math.floor((opts.now ?? Date.now()) / HOUR_MS) * HOUR_MS;
  const workspaces = new WorkspaceService(db);
  const competitors = new CompetitorService(db);
  const snapshots = new SnapshotService(db, competitors);

  const existing = await workspaces.findByName(opts.workspace);
  if (existing && (await db.manager.count(Competitor, { where: { workspaceId: existing.id } })) > 0) {
    throw new Error(`workspace "${opts.workspace}" already has competitors; load the demo into a new workspace (--workspace NAME)`);
  }
  const { key, workspace } = await workspaces.createKey(opts.workspace, 'demo');
  const set = generateScenarios({ seed: opts.seed, competitors: count, days, start: end - days * 24 * HOUR_MS });
  opts.progress?.(`generated ${set.scenarios.length} competitors over ${days} days (seed ${opts.seed})`);

  let stored = 0;
  let batch: SnapshotInput[] = [];
  const flush = async () => {
    if (!batch.length) return;
    stored += (await snapshots.record(workspace.id, batch, end)).inserted;
    batch = [];
  };
  for (const [i, { meta, points }] of set.scenarios.entries()) {
    await competitors.upsert(workspace.id, {
      asin: meta.asin,
      marketplace: meta.marketplace,
      title: meta.title,
      brand: meta.brand,
      tier: meta.tier as CompetitorTier,
    });
    for (const p of points) {
      batch.push({
        asin: meta.asin,
        marketplace: meta.marketplace,
        capturedAt: new Date(p.at),
        stock: p.stock,
        stockIsLowerBound: p.stockIsLowerBound,
        price: p.price,
        listPrice: p.listPrice ?? null,
        dealType: p.dealType,
        dealQuantity: p.dealQuantity,
        dealClaimedPercent: p.dealClaimedPercent,
        dealEndsAt: p.dealEndsAt === null ? null : new Date(p.dealEndsAt),
        bsr: p.bsr,
        source: p.source,
      });
      if (batch.length === MAX_BATCH) await flush();
    }
    if ((i + 1) % 12 === 0 || i === set.scenarios.length - 1) opts.progress?.(`loaded ${i + 1}/${set.scenarios.length} competitors (${stored + batch.length} snapshots)`);
  }
  await flush();
  return { key, competitors: set.scenarios.length, snapshots: stored };
}
