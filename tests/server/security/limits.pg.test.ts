import { describe } from 'vitest';
import { securityLimitsSuite } from '../suites/security-limits.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('abuse limits (default configuration) on PostgreSQL (TEST_DATABASE_URL)', () => securityLimitsSuite(url));
