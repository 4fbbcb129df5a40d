import { describe } from 'vitest';
import { crashSuite } from '../suites/crash.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('kill -9 during sustained ingest (PostgreSQL, real server process; TEST_DATABASE_URL)', () => crashSuite(url));
