#!/usr/bin/env node
/**
 * The one command-line entry: `npx restock-radar <command>` or `npm run cli -- <command>`.
 *   serve                      migrate, ensure keys and demo data, then serve GraphQL (npm start)
 *   migrate                    bring the database schema up to date
 *   apikey create --workspace NAME [--label TEXT]   print a new key (creates the workspace)
 *   apikey revoke --prefix PREFIX                   revoke keys by their 10-character prefix
 *   demo [--workspace demo] [--seed 2026]           load the demo data set and print a key
 *   schema [--check]           write (or check) schema/schema.graphql
 *   import --workspace NAME --format keepa|long FILE...   import snapshots from CSV files
 *   retention [--older-than-days N] [--dry-run]          roll up old raw snapshots hourly
 *   rebuild-intelligence [--workspace W] [--competitor ID] [--stale-only]   rebuild derived facts
 *   keepa sync [--workspace W] [--asin A,B]              poll tracked listings through the Keepa API
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { Db } from './db/db';
import { createApp } from './http/app';
import { printAppSchema } from './graphql/schema';
import { compose } from './root';
import { IMPORT_HELP, runImport } from './modules/import/import.cli';
import { IMPORT_REPORT_HELP, runImportReport } from './modules/import/import.own.cli';
import { RETENTION_HELP, runRetention } from './modules/retention/retention.cli';
import { REBUILD_HELP, runRebuildIntelligence } from './modules/facts/facts.cli';
import { KEEPA_HELP, runKeepa } from './modules/keepa/keepa.cli';

const SCHEMA_FILE = 'schema/schema.graphql';

const HELP = `Usage: restock-radar <command> [options]

Commands:
  serve                         Start the GraphQL server (default). Env: PORT, HOST, DATABASE_URL,
                                RESTOCK_RADAR_BOOTSTRAP_KEY, NODE_ENV. --no-demo skips demo data.
  migrate                       Apply pending database migrations.
  apikey create --workspace N   Create an API key (and the workspace if needed). --label TEXT
  apikey revoke --prefix P      Revoke every key starting with P (the first 10 characters).
  demo [--workspace demo] [--seed 2026]
                                Load the deterministic demo data set into a workspace.
  schema [--check]              Write schema/schema.graphql, or fail if it is out of date.
${IMPORT_HELP}
${IMPORT_REPORT_HELP}
${RETENTION_HELP}
${REBUILD_HELP}
${KEEPA_HELP}
`;

function curlExample(url: string, key: string): string {
  return [
    `curl -s ${url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${key}' \\`,
    `  -d '{"query":"{ competitors(first: 5) { totalCount edges { node { asin marketplace title latestSnapshot { capturedAt stock price dealType } } } } }"}'`,
  ].join('\n');
}

async function serve(noDemo: boolean): Promise<void> {
  const config = loadConfig();
  const db = await Db.open(config.databaseUrl, { logSql: config.logQueries });
  const { workspaces, facts } = compose(db).services;
  if (config.bootstrapKey) {
    const { created, workspace } = await workspaces.bootstrapKey(config.bootstrapKey);
    console.log(
      created ? `Bootstrap key added to workspace "${workspace.name}".` : `Bootstrap key is valid (workspace "${workspace.name}").`,
    );
  }
  let demoKey: string | null = null;
  if (!noDemo && !(await workspaces.findByName('demo'))) {
    console.log('First start: loading the demo workspace…');
    const { seedDemo, DEMO_SEED } = await import('./demo/seed');
    demoKey = (await seedDemo(db, { workspace: 'demo', seed: DEMO_SEED, progress: (m) => console.log(`  ${m}`) })).key;
  }
  const app = await createApp(db, config);
  // Worker threads load their TypeScript now, not inside the first request that needs them.
  await app.pool.warm();
  const url = await app.listen(config.port);
  // Facts made by older rules (or missing, after an upgrade) are rebuilt in the background.
  void facts.rebuild({ staleOnly: true }).then(
    (r) => r.competitors > 0 && console.log(`Rebuilt the intelligence facts of ${r.competitors} competitor(s).`),
    (e: Error) => console.error(`Rebuilding stale intelligence facts failed: ${e.message}`),
  );
  console.log(`Restock Radar GraphQL API on ${url}/graphql (database: ${db.dialect})`);
  if (demoKey) {
    console.log(`\nDemo workspace API key (shown once, store it):\n  ${demoKey}\n\nTry it:\n${curlExample(url, demoKey)}\n`);
  } else {
    console.log('Create a key with: npm run cli -- apikey create --workspace demo');
  }
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await Db.open(loadConfig().databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'import') return runImport(rest);
  if (command === 'import-report') return runImportReport(rest);
  if (command === 'retention') return runRetention(rest);
  if (command === 'rebuild-intelligence') return runRebuildIntelligence(rest);
  if (command === 'keepa') return runKeepa(rest);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      label: { type: 'string' },
      prefix: { type: 'string' },
      seed: { type: 'string' },
      check: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || command === 'help' || command === '--help') {
    console.log(HELP);
    return 0;
  }
  switch (command) {
    case 'serve':
      await serve(Boolean(values['no-demo']));
      return -1; // keep running
    case 'migrate':
      await withDb(async (db) => console.log(`Database is up to date (${db.dialect}).`));
      return 0;
    case 'apikey': {
      const [action] = positionals;
      if (action === 'create') {
        if (!values.workspace) throw new Error('apikey create needs --workspace NAME');
        const { key, workspace } = await withDb((db) => compose(db).services.workspaces.createKey(values.workspace!, values.label ?? ''));
        console.log(`Workspace: ${workspace.name}\nAPI key (shown once): ${key}`);
        return 0;
      }
      if (action === 'revoke') {
        if (!values.prefix) throw new Error('apikey revoke needs --prefix PREFIX');
        const n = await withDb((db) => compose(db).services.workspaces.revoke(values.prefix!));
        console.log(`Revoked ${n} key(s).`);
        return n > 0 ? 0 : 1;
      }
      throw new Error('apikey needs "create" or "revoke"');
    }
    case 'demo': {
      const { seedDemo, DEMO_SEED } = await import('./demo/seed');
      const seed = values.seed === undefined ? DEMO_SEED : Number(values.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
      const { key, competitors, snapshots, products } = await withDb((db) =>
        seedDemo(db, { workspace: values.workspace ?? 'demo', seed, progress: (m) => console.log(`  ${m}`) }),
      );
      console.log(`Loaded ${competitors} competitors, ${snapshots} snapshots and ${products} products.\nAPI key (shown once): ${key}`);
      return 0;
    }
    case 'schema': {
      const sdl = await printAppSchema();
      if (values.check) {
        const current = readFileSync(SCHEMA_FILE, 'utf8');
        if (current !== sdl) {
          console.error(`${SCHEMA_FILE} is out of date: run npm run schema:emit`);
          return 1;
        }
        console.log(`${SCHEMA_FILE} is up to date.`);
        return 0;
      }
      writeFileSync(SCHEMA_FILE, sdl);
      console.log(`Wrote ${SCHEMA_FILE}.`);
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: Error) => {
    console.error(`Error: ${e.message}`);
    process.exit(1);
  },
);
