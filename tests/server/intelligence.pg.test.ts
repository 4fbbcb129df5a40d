import { describe } from 'vitest';
import { intelligenceSuite } from './suites/intelligence.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('competitor intelligence on PostgreSQL (TEST_DATABASE_URL)', () => intelligenceSuite(url));
