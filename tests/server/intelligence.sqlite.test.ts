import { describe } from 'vitest';
import { intelligenceSuite } from './suites/intelligence.suite';

describe('competitor intelligence on SQLite', () => intelligenceSuite());
