import { describe } from 'vitest';
import { alertsDeliverySuite } from './suites/alerts-delivery.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('alerts, webhooks and subscriptions on PostgreSQL (TEST_DATABASE_URL)', () => alertsDeliverySuite(url));
