import { describe } from 'vitest';
import { retentionSuite } from './suites/retention.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('snapshot retention on PostgreSQL (TEST_DATABASE_URL)', () => retentionSuite(url));
