import type { EntityManager } from 'typeorm';

/**
 * What every writer of snapshots calls, in its own transaction, so that derived facts
 * (server/modules/facts) change with the readings they derive from: `changedSince` maps each
 * competitor whose readings changed to the earliest capture time (epoch ms) that changed.
 * Declared here so the snapshot and retention modules need not import the facts module.
 */
export interface SnapshotFacts {
  afterWrite(m: EntityManager, changedSince: ReadonlyMap<string, number>): Promise<void>;
}
