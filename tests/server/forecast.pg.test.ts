import { describe } from 'vitest';
import { forecastSuite } from './suites/forecast.suite';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('forecasts on PostgreSQL (TEST_DATABASE_URL)', () => forecastSuite(url));
