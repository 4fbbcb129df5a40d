/**
 * A per-workspace lease on the alert evaluator's state, held in the database so that several
 * processes on one database (server replicas on PostgreSQL, or `import` next to `serve` on one
 * SQLite file) never evaluate the same workspace at once: each pass reads alert_state, runs the
 * state machine and writes it back, and two interleaved passes would lose updates or deliver an
 * event twice.
 *
 * A lease row (alert_eval_lease) instead of a PostgreSQL advisory lock: it works the same on both
 * databases and holds no pooled connection while the pass runs (a session lock per busy workspace
 * could starve the pool). A holder that dies leaves a lease that expires after `ttlMs`; a live
 * holder renews it every ttlMs / 3 and checks it before it commits (fencing).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import { log } from '../../http/log';

export interface LeaseOptions {
  /** A holder that stops renewing loses the lease after this long. */
  ttlMs?: number;
  /** First wait between attempts while another holder has it (doubles up to 1 s, with jitter). */
  retryMs?: number;
}

/** Rows a statement with RETURNING produced (the plain query() result differs by driver for UPDATE). */
async function returning(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const r = await m.queryRunner!.query(sql, params, true);
  return r.records?.length ?? 0;
}

export class LeaseLostError extends Error {
  constructor(workspaceId: string) {
    super(`alert evaluation lease of workspace ${workspaceId} was lost (another process took over); the pass is abandoned`);
  }
}

export class WorkspaceLease {
  /** Unique per process and evaluator: two apps in one process are two holders. */
  readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly lost = new Set<string>();

  constructor(
    private readonly db: Db,
    opts: LeaseOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.retryMs = opts.retryMs ?? 25;
  }

  /** Runs `fn` while holding the workspace's lease; waits for another holder to release or expire. */
  async hold<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let wait = this.retryMs;
    let warned = false;
    while (!(await this.tryAcquire(workspaceId))) {
      if (!warned && Date.now() - started > this.ttlMs) {
        warned = true;
        log('warn', 'waiting for the alert evaluation lease longer than its ttl', { workspaceId, waitedMs: Date.now() - started });
      }
      await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
      wait = Math.min(1_000, wait * 2);
    }
    this.lost.delete(workspaceId);
    const renew = setInterval(() => {
      void this.renew(workspaceId).catch((e: unknown) =>
        log('error', 'alert evaluation lease renewal failed', { workspaceId, error: String(e) }),
      );
    }, this.ttlMs / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(workspaceId);
    }
  }

  /** Throws when this holder no longer owns the workspace's lease: call before writing results. */
  async assertHeld(workspaceId: string): Promise<void> {
    if (this.lost.has(workspaceId) || !(await this.renew(workspaceId))) throw new LeaseLostError(workspaceId);
  }

  private async tryAcquire(workspaceId: string): Promise<boolean> {
    const now = Date.now();
    const q = this.db.params();
    // Insert, or take over a lease that expired (or is already ours); RETURNING yields a row only then.
    const sql = `INSERT INTO alert_eval_lease (workspace_id, holder, expires_at) VALUES ${q.tuple([workspaceId, this.holder, now + this.ttlMs])}
         ON CONFLICT (workspace_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE alert_eval_lease.expires_at < ${q.add(now)} OR alert_eval_lease.holder = excluded.holder
         RETURNING holder`;
    const rows = await this.db.write((m) => returning(m, sql, q.values));
    return rows === 1;
  }

  /** Extends our lease; false (and remembered) when someone else holds it now. */
  private async renew(workspaceId: string): Promise<boolean> {
    const q = this.db.params();
    const sql = `UPDATE alert_eval_lease SET expires_at = ${q.add(Date.now() + this.ttlMs)} WHERE workspace_id = ${q.add(workspaceId)} AND holder = ${q.add(this.holder)} RETURNING holder`;
    const rows = await this.db.write((m) => returning(m, sql, q.values));
    const held = rows === 1;
    if (!held) this.lost.add(workspaceId);
    return held;
  }

  private async release(workspaceId: string): Promise<void> {
    const q = this.db.params();
    const sql = `DELETE FROM alert_eval_lease WHERE workspace_id = ${q.add(workspaceId)} AND holder = ${q.add(this.holder)}`;
    await this.db.write((m) => m.query(sql, q.values));
  }
}
