import { describe } from 'vitest';
import { crashSuite } from '../suites/crash.suite';

describe('kill -9 during sustained ingest (SQLite file, real server process)', () => crashSuite());
