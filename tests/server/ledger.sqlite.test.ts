import { describe } from 'vitest';
import { ledgerSuite } from './suites/ledger.suite';

describe('own-SKU ledgers and reconciliation on SQLite', () => ledgerSuite());
