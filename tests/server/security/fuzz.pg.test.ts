import { describe } from 'vitest';
import { fuzzSuite } from './fuzz.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('bad-input fuzzing of every mutation (PostgreSQL, TEST_DATABASE_URL)', () => fuzzSuite(url));
