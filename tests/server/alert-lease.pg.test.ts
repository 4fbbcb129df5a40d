import { describe } from 'vitest';
import { alertLeaseSuite } from './suites/alert-lease.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('alert evaluation lease on PostgreSQL (TEST_DATABASE_URL)', () => alertLeaseSuite(url));
