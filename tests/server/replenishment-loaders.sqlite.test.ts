import { describe } from 'vitest';
import { replenishmentLoadersSuite } from './suites/replenishment-loaders.suite';

describe('batched replenishment fields on SQLite', () => replenishmentLoadersSuite());
