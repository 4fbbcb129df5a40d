import { describe } from 'vitest';
import { competitorSnapshotSuite } from './suites/competitor-snapshot.suite';

describe('competitors and snapshots on SQLite', () => competitorSnapshotSuite());
