import { describe } from 'vitest';
import { importSuite } from './suites/import.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('CSV import on PostgreSQL (TEST_DATABASE_URL)', () => importSuite(url));
