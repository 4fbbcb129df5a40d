import type { Clock } from '../../clock';
import { log } from '../../http/log';
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly clock: Clock,
    opts: AlertSchedulerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 5 * 60_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1000)
      throw new RangeError(`intervalMs must be ≥ 1000, got ${this.intervalMs}`);
  }

  /** One pass as of `now` (tests call it directly with a chosen clock). Errors are logged. */
  runOnce(now = this.clock.now()): Promise<void> {
    if (this.running) return this.running;
    this.running = this.evaluator
      .runOnce(now)
      .catch((e: unknown) => log('error', 'scheduled alert pass failed', { error: String(e), stack: (e as Error)?.stack }))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.evaluator.idle();
  }
}
