import { describe } from 'vitest';
import { retentionSuite } from './suites/retention.suite';

describe('snapshot retention on SQLite', () => retentionSuite());
