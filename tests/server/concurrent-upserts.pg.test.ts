import { describe } from 'vitest';
import { concurrentUpsertsSuite } from './suites/concurrent-upserts.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('concurrent upserts of one new key on PostgreSQL (TEST_DATABASE_URL)', () => concurrentUpsertsSuite(url));
