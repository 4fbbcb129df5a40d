import { describe } from 'vitest';
import { cliSuite } from './suites/cli.suite';

describe('restock-radar CLI on a SQLite file', () => cliSuite());
