import { describe } from 'vitest';
import { securityLimitsSuite } from '../suites/security-limits.suite';

describe('abuse limits (default configuration) on SQLite', () => securityLimitsSuite());
