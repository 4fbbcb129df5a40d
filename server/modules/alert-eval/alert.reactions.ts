import type { EventBus } from '../../events';
import { log } from '../../http/log';
import type { AlertEvaluator } from './alert.evaluator';

/**
 * How the alert evaluator reacts to the rest of the server. After an ingest (snapshots, product
 * changes, ledgers) it evaluates the touched subjects after the response, queued per workspace, so
 * an ingest never waits for it (tests and benchmarks wait with `evaluator.idle()`). Acknowledging
 * or resolving an alert by hand feeds the cause label back into the subject's state.
 */
export function reactToEvents(events: EventBus, evaluator: AlertEvaluator, opts: { ingest: boolean }): void {
  const background = (what: string, work: Promise<void>) =>
    void work.catch((e) => log('error', `alert evaluation after ${what} failed`, { error: String(e), stack: (e as Error)?.stack }));
  if (opts.ingest) {
    events.subscribe('snapshots.recorded', (e) => background('recordSnapshots', evaluator.onSnapshots(e.workspaceId, e.competitorIds)));
    events.subscribe('products.changed', (e) => background('a product change', evaluator.onProducts(e.workspaceId, e.productIds)));
    events.subscribe('ledger.recorded', (e) => background('recordLedger', evaluator.onLedger(e.workspaceId, e.productIds)));
  }
  events.subscribe('alert.acknowledged', (e) => evaluator.acknowledged(e.workspaceId, e.alert));
  events.subscribe('alert.resolved', (e) => evaluator.resolvedManually(e.workspaceId, e.alert));
}
