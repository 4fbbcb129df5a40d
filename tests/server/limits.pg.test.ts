import { describe } from 'vitest';
import { limitsSuite } from './suites/limits.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('HTTP and GraphQL limits on PostgreSQL (TEST_DATABASE_URL)', () => limitsSuite(url));
