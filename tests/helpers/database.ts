/**
 * The database matrix. Every `*.db.test.ts` suite runs once per database: vitest.config.ts runs those files in two
 * projects, "sqlite" and "postgres", which set RR_TEST_DB. A suite wraps its body in describeDatabase() and receives the
 * database to use; it passes that on to startTestServer() / freshDatabaseUrl(), which create a database of its own.
 */
import { describe } from 'vitest';

/** The databases of the matrix, by the RR_TEST_DB value that selects them. */
const DATABASES = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
} as const;

export type TestDatabase = keyof typeof DATABASES;

/** The database this run targets: RR_TEST_DB as set by the vitest project, SQLite when unset. */
export function testDatabase(): TestDatabase {
  const name = process.env.RR_TEST_DB ?? 'sqlite';
  if (!(name in DATABASES)) throw new Error(`RR_TEST_DB must be one of ${Object.keys(DATABASES).join(', ')}, got "${name}"`);
  return name as TestDatabase;
}

/**
 * describe() over the run's database. The body gets `undefined` on SQLite (each server or database helper then makes
 * a temporary SQLite file) and TEST_DATABASE_URL on PostgreSQL (each makes a fresh database on that server and drops it
 * after). The title ends with the database's name; on PostgreSQL without TEST_DATABASE_URL the suite is skipped and
 * its title says why.
 */
export function describeDatabase(title: string, body: (databaseUrl: string | undefined) => void): void {
  const database = testDatabase();
  const label = `${title} on ${DATABASES[database]}`;
  if (database === 'sqlite') {
    describe(label, () => body(undefined));
    return;
  }
  const url = process.env.TEST_DATABASE_URL;
  describe.skipIf(!url)(url ? label : `${label}: skipped, TEST_DATABASE_URL (postgres://…) is not set`, () => body(url));
}
