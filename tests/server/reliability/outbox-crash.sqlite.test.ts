import { describe } from 'vitest';
import { outboxCrashSuite } from '../suites/outbox-crash.suite';

describe('webhook outbox: kill -9 during deliveries (SQLite file, real server process)', () => outboxCrashSuite());
