/**
 * One request's time budget: a deadline and the AbortSignal that fires at it. The composition
 * root makes one per request (with the request's loaders); the `timeBudget` plugin
 * (graphql/limits.ts) starts it when the request starts and stops it when the response goes out.
 * Services pass `signal` to the worker pool, so queued work of a request past its budget is dropped
 * and running work is ignored; the plugin refuses fields that start after the deadline.
 */
export class RequestBudget {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  /** Fires once the budget is spent; its reason is the error the request fails with. */
  readonly signal: AbortSignal = this.controller.signal;

  /** Starts the clock: after `ms` the signal aborts with `reason()`. 0 = no budget. */
  start(ms: number, reason: () => Error): void {
    if (this.timer || ms <= 0) return;
    this.timer = setTimeout(() => this.controller.abort(reason()), ms);
    this.timer.unref();
  }

  /** The response is out: no more deadline. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  get exceeded(): boolean {
    return this.signal.aborted;
  }
}
