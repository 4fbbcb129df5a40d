import { describe } from 'vitest';
import { bundleSuite } from './suites/bundle.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('built add-on against the real server (PostgreSQL, TEST_DATABASE_URL)', () => bundleSuite(url));
