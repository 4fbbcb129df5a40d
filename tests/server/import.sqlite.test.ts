import { describe } from 'vitest';
import { importSuite } from './suites/import.suite';

describe('CSV import on SQLite', () => importSuite());
