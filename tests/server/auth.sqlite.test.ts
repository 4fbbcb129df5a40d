import { describe } from 'vitest';
import { authSuite } from './suites/auth.suite';

describe('API keys and workspace isolation on SQLite', () => authSuite());
