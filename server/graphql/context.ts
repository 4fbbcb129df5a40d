import type { Db } from '../db/db';
import { CompetitorService } from '../modules/competitor/competitor.service';
import { createSnapshotLoaders } from '../modules/snapshot/snapshot.loaders';
import { SnapshotService } from '../modules/snapshot/snapshot.service';
import { WorkspaceService } from '../modules/workspace/workspace.service';

/** Long-lived services, one set per server process. */
export function createServices(db: Db) {
  const workspaces = new WorkspaceService(db);
  const competitors = new CompetitorService(db);
  const snapshots = new SnapshotService(db, competitors);
  return { db, workspaces, competitors, snapshots };
}
export type Services = ReturnType<typeof createServices>;

/** Per-request loaders: their caches must never outlive one request (or cross workspaces). */
export function createLoaders(services: Services) {
  return { snapshots: createSnapshotLoaders(services.db) };
}

export interface Context {
  workspaceId: string;
  requestId: string;
  services: Services;
  loaders: ReturnType<typeof createLoaders>;
}
