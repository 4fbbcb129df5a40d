import { describe } from 'vitest';
import { alertsDeliverySuite } from './suites/alerts-delivery.suite';

describe('alerts, webhooks and subscriptions on SQLite', () => alertsDeliverySuite());
