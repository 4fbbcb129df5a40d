import { describe } from 'vitest';
import { replenishmentLoadersSuite } from './suites/replenishment-loaders.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('batched replenishment fields on PostgreSQL (TEST_DATABASE_URL)', () => replenishmentLoadersSuite(url));
