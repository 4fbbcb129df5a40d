import { describe } from 'vitest';
import { loadersSuite } from './suites/loaders.suite';

describe('per-request DataLoaders on SQLite', () => loadersSuite());
