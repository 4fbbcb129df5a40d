/**
 * A small typed event bus for cross-service reactions (modelled on Vendure's EventBus): a service
 * publishes what happened after its transaction commits; the services that react subscribe in the
 * composition root (server/root.ts). A publisher never knows who listens, so no service needs a
 * reference to the services that react to it.
 */
import type { AlertEvent } from './graphql/pubsub';
import { log } from './http/log';
import type { Alert } from './modules/alert/alert.entity';

export interface ServerEvents {
  /** New snapshot rows were committed for these competitors. */
  'snapshots.recorded': { workspaceId: string; competitorIds: string[] };
  /** Stock, sales or purchase orders of these products changed. */
  'products.changed': { workspaceId: string; productIds: string[] };
  /** New own-SKU ledger rows were committed for these products. */
  'ledger.recorded': { workspaceId: string; productIds: string[] };
  /** A user acknowledged an alert (with a cause label). */
  'alert.acknowledged': { workspaceId: string; alert: Alert };
  /** A user resolved an alert by hand. */
  'alert.resolved': { workspaceId: string; alert: Alert };
  /** Alert events were committed (and queued in the webhook outbox in the same transaction). */
  'alerts.committed': { workspaceId: string; events: AlertEvent[] };
}

export type EventName = keyof ServerEvents;
type Handler<K extends EventName> = (payload: ServerEvents[K]) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<EventName, Handler<never>[]>();

  /** Calls `handler` for every later `publish(name)`; returns the function that unsubscribes it. */
  subscribe<K extends EventName>(name: K, handler: Handler<K>): () => void {
    const list = (this.handlers.get(name) ?? []) as Handler<K>[];
    this.handlers.set(name, [...list, handler] as Handler<never>[]);
    return () => {
      const current = (this.handlers.get(name) ?? []) as Handler<K>[];
      this.handlers.set(
        name,
        current.filter((h) => h !== handler),
      );
    };
  }

  /**
   * Runs the handlers in subscription order and waits for them. A failing handler is logged and
   * never fails the publisher: the publisher's work is already committed.
   */
  async publish<K extends EventName>(name: K, payload: ServerEvents[K]): Promise<void> {
    for (const handler of (this.handlers.get(name) ?? []) as Handler<K>[]) {
      try {
        await handler(payload);
      } catch (e) {
        log('error', `a "${name}" handler failed`, { error: String(e), stack: (e as Error)?.stack });
      }
    }
  }
}
