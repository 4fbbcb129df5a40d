import { describe } from 'vitest';
import { outboxCrashSuite } from '../suites/outbox-crash.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('webhook outbox: kill -9 during deliveries (PostgreSQL, real server process; TEST_DATABASE_URL)', () =>
  outboxCrashSuite(url),
);
