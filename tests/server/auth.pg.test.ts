import { describe } from 'vitest';
import { authSuite } from './suites/auth.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('API keys and workspace isolation on PostgreSQL (TEST_DATABASE_URL)', () => authSuite(url));
