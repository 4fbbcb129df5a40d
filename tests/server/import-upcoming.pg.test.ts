import { describe } from 'vitest';
import { importUpcomingSuite } from './suites/import-upcoming.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('importing announced deals on PostgreSQL (TEST_DATABASE_URL)', () => importUpcomingSuite(url));
