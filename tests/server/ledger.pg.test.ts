import { describe } from 'vitest';
import { ledgerSuite } from './suites/ledger.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('own-SKU ledgers and reconciliation on PostgreSQL (TEST_DATABASE_URL)', () => ledgerSuite(url));
