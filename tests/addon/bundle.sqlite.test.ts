import { describe } from 'vitest';
import { bundleSuite } from './suites/bundle.suite';

describe('built add-on against the real server (SQLite)', () => bundleSuite());
