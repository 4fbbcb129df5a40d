import { describe } from 'vitest';
import { replenishmentSuite } from './suites/replenishment.suite';

describe('replenishment planning on SQLite', () => replenishmentSuite());
