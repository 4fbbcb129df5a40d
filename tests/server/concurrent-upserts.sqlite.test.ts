import { describe } from 'vitest';
import { concurrentUpsertsSuite } from './suites/concurrent-upserts.suite';

describe('concurrent upserts of one new key on SQLite', () => concurrentUpsertsSuite());
