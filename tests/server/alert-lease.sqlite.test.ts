import { describe } from 'vitest';
import { alertLeaseSuite } from './suites/alert-lease.suite';

describe('alert evaluation lease on SQLite', () => alertLeaseSuite());
