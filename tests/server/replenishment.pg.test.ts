import { describe } from 'vitest';
import { replenishmentSuite } from './suites/replenishment.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('replenishment planning on PostgreSQL (TEST_DATABASE_URL)', () => replenishmentSuite(url));
