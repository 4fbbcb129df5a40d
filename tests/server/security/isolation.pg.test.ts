import { describe } from 'vitest';
import { isolationSuite } from './isolation.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('workspace isolation: the key of B against everything of A (PostgreSQL, TEST_DATABASE_URL)', () =>
  isolationSuite(url),
);
