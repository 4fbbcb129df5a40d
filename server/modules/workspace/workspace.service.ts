import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import { ApiKey } from './api-key.entity';
import { Workspace } from './workspace.entity';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Keys are 192 random bits, so a plain SHA-256 at rest is enough (no password stretching needed). */
export function newKey(): string {
  return `rr_${randomBytes(24).toString('base64url')}`;
}

export interface CreatedKey {
  key: string;
  workspace: Workspace;
  apiKey: ApiKey;
}

export class WorkspaceService {
  constructor(private readonly db: Db) {}

  async findOrCreate(name: string, m: EntityManager = this.db.manager): Promise<Workspace> {
    const existing = await m.findOne(Workspace, { where: { name } });
    if (existing) return existing;
    return m.save(m.create(Workspace, { id: randomUUID(), name }));
  }

  async findByName(name: string): Promise<Workspace | null> {
    return this.db.manager.findOne(Workspace, { where: { name } });
  }

  /** Creates the workspace if needed and a key for it. The plaintext key exists only in the result. */
  createKey(workspaceName: string, label = ''): Promise<CreatedKey> {
    return this.db.write(async (m) => {
      const workspace = await this.findOrCreate(workspaceName, m);
      const key = newKey();
      const apiKey = await this.storeKey(m, workspace, key, label);
      return { key, workspace, apiKey };
    });
  }

  /**
   * Makes sure `key` is valid. When no workspace holds it, it is added to workspace `default`
   * (created if needed). Idempotent: safe on every start.
   */
  async bootstrapKey(key: string): Promise<{ created: boolean; workspace: Workspace }> {
    if (key.length < 16) throw new Error('RESTOCK_RADAR_BOOTSTRAP_KEY must be at least 16 characters');
    return this.db.write(async (m) => {
      const existing = await m.findOne(ApiKey, { where: { hash: hashKey(key) }, relations: { workspace: true } });
      if (existing?.workspace) {
        if (existing.revokedAt) throw new Error('RESTOCK_RADAR_BOOTSTRAP_KEY has been revoked; choose a new one');
        return { created: false, workspace: existing.workspace };
      }
      const workspace = await this.findOrCreate('default', m);
      await this.storeKey(m, workspace, key, 'bootstrap');
      return { created: true, workspace };
    });
  }

  /** Resolves a presented key to its workspace id, or null when unknown or revoked. */
  async authenticate(key: string): Promise<string | null> {
    const row = await this.db.manager.findOne(ApiKey, { where: { hash: hashKey(key) }, select: { workspaceId: true, revokedAt: true } });
    return row && !row.revokedAt ? row.workspaceId : null;
  }

  async revoke(prefix: string): Promise<number> {
    return this.db.write(async (m) => {
      const keys = await m.find(ApiKey, { where: { prefix } });
      for (const k of keys) k.revokedAt = new Date();
      await m.save(keys);
      return keys.length;
    });
  }

  private storeKey(m: EntityManager, workspace: Workspace, key: string, label: string): Promise<ApiKey> {
    return m.save(
      m.create(ApiKey, {
        id: randomUUID(),
        workspaceId: workspace.id,
        hash: hashKey(key),
        prefix: key.slice(0, 10),
        label,
        revokedAt: null,
      }),
    );
  }
}
