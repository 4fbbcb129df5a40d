/**
 * A pass that runs on a timer and never overlaps itself: the schedulers (alerts, retention, Keepa)
 * own one each. `once` runs a pass now unless one is in flight (then it joins that one), so a slow
 * pass delays the next instead of piling up; `stop` waits for the pass in flight.
 */
export class Periodic<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  /**
   * @param pass the scheduled pass; it must not throw (log and return instead)
   * @param intervalMs between passes
   * @param firstDelayMs before the first pass (default one interval)
   */
  constructor(
    private readonly pass: () => Promise<T>,
    readonly intervalMs: number,
    readonly firstDelayMs = intervalMs,
  ) {}

  /** Runs `pass` (default: the scheduled one) unless a pass is in flight, whose result it then returns. */
  once(pass: () => Promise<T> = this.pass): Promise<T> {
    if (this.running) return this.running;
    this.running = pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      void this.once();
      this.timer = setInterval(() => void this.once(), this.intervalMs);
      this.timer.unref();
    }, this.firstDelayMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer); // clearTimeout also clears an interval
    this.timer = null;
    await this.running;
  }
}
