import { describe } from 'vitest';
import { alertsEvalSuite } from './suites/alerts-eval.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('alert evaluation on PostgreSQL (TEST_DATABASE_URL)', () => alertsEvalSuite(url));
