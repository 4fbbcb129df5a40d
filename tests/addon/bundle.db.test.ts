import { describeDatabase } from '../helpers/database';
import { bundleSuite } from './suites/bundle.suite';

describeDatabase('built add-on against the real server', (databaseUrl) => bundleSuite(databaseUrl));
