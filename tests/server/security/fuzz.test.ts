import { describe } from 'vitest';
import { fuzzSuite } from './fuzz.suite';

describe('bad-input fuzzing of every mutation (SQLite)', () => fuzzSuite());
