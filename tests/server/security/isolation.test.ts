import { describe } from 'vitest';
import { isolationSuite } from './isolation.suite';

describe('workspace isolation: the key of B against everything of A (SQLite)', () => isolationSuite());
