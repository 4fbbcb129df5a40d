import { describe } from 'vitest';
import { importUpcomingSuite } from './suites/import-upcoming.suite';

describe('importing announced deals on SQLite', () => importUpcomingSuite());
