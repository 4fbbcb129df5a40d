import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Suites that run once per database (tests/helpers/database.ts): the "sqlite" and "postgres" projects. */
const DATABASE_SUITES = 'tests/**/*.db.test.ts';
/** Suites about PostgreSQL alone (several server processes on one database): the "postgres" project only. */
const POSTGRES_ONLY = 'tests/**/*.pg.test.ts';

export default defineConfig({
  resolve: {
    // graphql ships both .js (CJS) and .mjs: without pinning one, type-graphql (CJS) and our ESM code
    // would load two copies and fail with "Cannot use GraphQLSchema from another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql/index.js') }],
  },
  test: {
    pool: 'forks',
    // Two files at a time: most database suites wait on PostgreSQL, child processes or sockets, so two
    // overlap well on a 2-core machine (the default here was one, and the suite took ~22 minutes).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/setup.ts'],
    // `--project <name>` picks one. Every project inherits the settings above (extends: true).
    projects: [
      {
        // Everything else: pure unit tests, and tests that choose their own database (a temporary SQLite file, or
        // both databases side by side as the migrations test does).
        extends: true,
        test: { name: 'standalone', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, DATABASE_SUITES, POSTGRES_ONLY] },
      },
      { extends: true, test: { name: 'sqlite', include: [DATABASE_SUITES], env: { RR_TEST_DB: 'sqlite' } } },
      // Skipped, suite by suite with the reason in its title, when TEST_DATABASE_URL is not set.
      { extends: true, test: { name: 'postgres', include: [DATABASE_SUITES, POSTGRES_ONLY], env: { RR_TEST_DB: 'postgres' } } },
    ],
  },
});
