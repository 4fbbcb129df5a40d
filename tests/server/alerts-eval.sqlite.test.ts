import { describe } from 'vitest';
import { alertsEvalSuite } from './suites/alerts-eval.suite';

describe('alert evaluation on SQLite', () => alertsEvalSuite());
