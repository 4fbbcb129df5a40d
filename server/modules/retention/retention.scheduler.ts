import type { Clock } from '../../clock';
import { log } from '../../http/log';
import { Periodic } from '../../periodic';
import type { RetentionService, RetentionSummary } from './retention.service';

export interface RetentionSchedulerOptions {
  /** Roll up raw readings older than this many days; 0 keeps raw readings forever (no timer). */
  olderThanDays: number;
  /** Between passes. Default 24 h. */
  intervalMs?: number;
  /**
   * First pass after start. Default 10 minutes: late enough not to compete with start-up work,
   * early enough that a server restarted daily still runs it.
   */
  firstDelayMs?: number;
}

/**
 * Daily retention pass in the server, started and stopped by the app like the alert scheduler.
 * Passes never overlap; each is chunked by the service (bounded transactions) so ingest goes on.
 */
export class RetentionScheduler {
  readonly intervalMs: number;
  readonly firstDelayMs: number;
  private readonly periodic: Periodic<RetentionSummary | null>;

  constructor(
    private readonly service: RetentionService,
    private readonly clock: Clock,
    readonly opts: RetentionSchedulerOptions,
  ) {
    this.intervalMs = opts.intervalMs ?? 24 * 3_600_000;
    this.firstDelayMs = opts.firstDelayMs ?? 10 * 60_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1000)
      throw new RangeError(`intervalMs must be ≥ 1000, got ${this.intervalMs}`);
    if (!(opts.olderThanDays >= 0)) throw new RangeError(`olderThanDays must be ≥ 0, got ${opts.olderThanDays}`);
    this.periodic = new Periodic(() => this.pass(this.clock.now()), this.intervalMs, this.firstDelayMs);
  }

  get enabled(): boolean {
    return this.opts.olderThanDays > 0;
  }

  /** One pass as of `now` (tests call it directly). Errors are logged, never thrown. */
  runOnce(now = this.clock.now()): Promise<RetentionSummary | null> {
    if (!this.enabled) return Promise.resolve(null);
    return this.periodic.once(() => this.pass(now));
  }

  private pass(now: number): Promise<RetentionSummary | null> {
    return this.service
      .run({ olderThanDays: this.opts.olderThanDays, now })
      .then((s) => {
        log('info', 'snapshot retention pass', { ...s, cutoff: s.cutoff.toISOString() });
        return s;
      })
      .catch((e: unknown) => {
        log('error', 'snapshot retention pass failed', { error: String(e), stack: (e as Error)?.stack });
        return null;
      });
  }

  start(): void {
    if (this.enabled) this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
