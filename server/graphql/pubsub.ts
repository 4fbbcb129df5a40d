import { createPubSub } from '@graphql-yoga/subscription';
import type { Alert } from '../modules/alert/alert.entity';

export type AlertEventType = 'RAISED' | 'ESCALATED' | 'RESOLVED';

export interface AlertEvent {
  /** Event id: the same id goes to webhooks, so receivers can de-duplicate across channels. */
  id: string;
  type: AlertEventType;
  workspaceId: string;
  alert: Alert;
  createdAt: Date;
}

/**
 * In-process fan-out for the `alertRaised` subscription. Subscribers on one server process see the
 * events that process commits; webhooks (via the outbox) are the cross-replica delivery channel.
 */
export const pubSub = createPubSub<{ ALERT_EVENT: [AlertEvent] }>();
export const ALERT_EVENT = 'ALERT_EVENT' as const;
