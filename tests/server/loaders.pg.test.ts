import { describe } from 'vitest';
import { loadersSuite } from './suites/loaders.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('per-request DataLoaders on PostgreSQL (TEST_DATABASE_URL)', () => loadersSuite(url));
