import { describe } from 'vitest';
import { demoSuite } from './suites/demo.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('built add-on against the demo workspace (PostgreSQL, TEST_DATABASE_URL)', () => demoSuite(url));
