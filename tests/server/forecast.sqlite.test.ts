import { describe } from 'vitest';
import { forecastSuite } from './suites/forecast.suite';

describe('forecasts on SQLite', () => forecastSuite());
