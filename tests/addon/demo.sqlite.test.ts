import { describe } from 'vitest';
import { demoSuite } from './suites/demo.suite';

describe('built add-on against the demo workspace (SQLite)', () => demoSuite());
