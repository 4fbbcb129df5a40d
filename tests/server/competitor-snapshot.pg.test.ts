import { describe } from 'vitest';
import { competitorSnapshotSuite } from './suites/competitor-snapshot.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('competitors and snapshots on PostgreSQL (TEST_DATABASE_URL)', () => competitorSnapshotSuite(url));
