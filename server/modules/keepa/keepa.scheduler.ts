import type { Clock } from '../../clock';
import { log } from '../../http/log';
import { Periodic } from '../../periodic';
import type { WorkspaceService } from '../workspace/workspace.service';
import type { KeepaSyncService, KeepaSyncSummary } from './keepa.service';

export interface KeepaSchedulerOptions {
  /** Workspaces polled by name (RESTOCK_RADAR_KEEPA_WORKSPACES). Empty: the scheduler stays off. */
  workspaces: readonly string[];
  /** Between passes. Default 60 minutes (RESTOCK_RADAR_KEEPA_INTERVAL_MINUTES). */
  intervalMs?: number;
  /** First pass after start. Default 5 minutes. */
  firstDelayMs?: number;
  /** Histories of the last N days per pass. Default 2 (a pass an hour re-reads little). */
  days?: number;
  offers?: number | null;
  maxListings?: number;
}

/**
 * The scheduled Keepa poll, started and stopped by the app like the retention pass: on only when a
 * Keepa key is configured and workspaces are named. Passes never overlap; a workspace whose pass fails
 * (bad key, quota, network) is logged and the next one is still polled.
 */
export class KeepaScheduler {
  readonly intervalMs: number;
  readonly firstDelayMs: number;
  private readonly periodic: Periodic<Map<string, KeepaSyncSummary | Error>>;

  constructor(
    private readonly service: KeepaSyncService,
    private readonly workspaces: WorkspaceService,
    private readonly clock: Clock,
    readonly opts: KeepaSchedulerOptions,
  ) {
    this.intervalMs = opts.intervalMs ?? 60 * 60_000;
    this.firstDelayMs = opts.firstDelayMs ?? 5 * 60_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 60_000)
      throw new RangeError(`intervalMs must be ≥ 60000, got ${this.intervalMs}`);
    this.periodic = new Periodic(() => this.pass(), this.intervalMs, this.firstDelayMs);
  }

  get enabled(): boolean {
    return this.service.configured && this.opts.workspaces.length > 0;
  }

  /** One pass over the configured workspaces (tests call it directly). Errors are logged, never thrown. */
  runOnce(): Promise<Map<string, KeepaSyncSummary | Error>> {
    if (!this.enabled) return Promise.resolve(new Map());
    return this.periodic.once();
  }

  private async pass(): Promise<Map<string, KeepaSyncSummary | Error>> {
    const out = new Map<string, KeepaSyncSummary | Error>();
    const started = this.clock.now();
    for (const name of this.opts.workspaces) {
      try {
        const ws = await this.workspaces.findByName(name);
        if (!ws) throw new Error(`workspace "${name}" (RESTOCK_RADAR_KEEPA_WORKSPACES) does not exist`);
        const s = await this.service.sync(ws.id, {
          days: this.opts.days ?? 2,
          offers: this.opts.offers ?? null,
          maxListings: this.opts.maxListings ?? 10_000,
          // A pass waits at most 2 minutes for tokens at a time; what it did not reach, the next pass does.
          maxWaitMs: 2 * 60_000,
        });
        out.set(name, s);
        log('info', 'keepa sync pass', { workspace: name, ...s, ms: this.clock.now() - started });
      } catch (e) {
        out.set(name, e as Error);
        log('error', 'keepa sync pass failed', { workspace: name, error: String(e), kind: (e as { kind?: string }).kind });
      }
    }
    return out;
  }

  start(): void {
    if (this.enabled) this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
