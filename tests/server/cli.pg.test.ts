import { describe } from 'vitest';
import { cliSuite } from './suites/cli.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('restock-radar CLI on PostgreSQL (TEST_DATABASE_URL)', () => cliSuite(url));
