import { describe } from 'vitest';
import { limitsSuite } from './suites/limits.suite';

describe('HTTP and GraphQL limits on SQLite', () => limitsSuite());
