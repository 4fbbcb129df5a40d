import type { Clock } from '../../clock';
import { log } from '../../http/log';
import { Periodic } from '../../periodic';
import type { AlertEvaluator } from './alert.evaluator';

export interface AlertSchedulerOptions {
  /** Interval of the scheduled pass (SELLOUT_IMMINENT, DATA_STALE). Default 5 minutes. */
  intervalMs?: number;
}

/**
 * Interval timer for the time-based alert kinds, started and stopped by the app like the webhook
 * dispatcher. Passes never overlap: a slow pass delays the next one instead of piling up.
 */
export class AlertScheduler {
  readonly intervalMs: number;
  private readonly periodic: Periodic<void>;

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly clock: Clock,
    opts: AlertSchedulerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 5 * 60_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1000)
      throw new RangeError(`intervalMs must be ≥ 1000, got ${this.intervalMs}`);
    this.periodic = new Periodic(() => this.pass(this.clock.now()), this.intervalMs);
  }

  /** One pass as of `now` (tests call it directly with a chosen clock). Errors are logged. */
  runOnce(now = this.clock.now()): Promise<void> {
    return this.periodic.once(() => this.pass(now));
  }

  private pass(now: number): Promise<void> {
    return this.evaluator
      .runOnce(now)
      .catch((e: unknown) => log('error', 'scheduled alert pass failed', { error: String(e), stack: (e as Error)?.stack }));
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.evaluator.idle();
  }
}
