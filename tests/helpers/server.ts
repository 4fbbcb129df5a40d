/**
 * Starts the real server (real HTTP on a real port, real database) for a test file.
 * SQLite: a fresh temporary file. PostgreSQL (databaseUrl or TEST_DATABASE_URL given): a fresh
 * database created for the test and dropped afterwards, so files never see each other's rows.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { type App, createApp } from '../../server/http/app';
import type { DispatcherOptions } from '../../server/modules/webhook/webhook.dispatcher';

export interface TestServer {
  url: string;
  apiKey: string;
  db: Db;
  app: App;
  databaseUrl: string;
  /** Creates another workspace and returns a key for it. */
  newKey(workspace: string): Promise<string>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Load the demo data set into the key's workspace. */
  demo?: boolean;
  /** postgres://… to run on PostgreSQL; default: a temporary SQLite file. */
  databaseUrl?: string;
  env?: Record<string, string>;
  /**
   * Webhook dispatcher settings. By default it does not poll (it is still nudged by every alert
   * commit), so background statements do not disturb statement-count assertions.
   */
  dispatcher?: DispatcherOptions;
}

async function freshPostgres(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rr_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A database of its own (temp SQLite file or fresh PostgreSQL database) and its cleanup. */
export async function freshDatabaseUrl(databaseUrl?: string): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (databaseUrl?.startsWith('postgres')) {
    const { url, drop } = await freshPostgres(databaseUrl);
    return { url, cleanup: drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'restock-radar-test-'));
  return { url: `sqlite:${join(dir, 'test.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { url: databaseUrl, cleanup } = await freshDatabaseUrl(opts.databaseUrl);
  const db = await Db.open(databaseUrl);
  let demoKey: string | null = null;
  if (opts.demo) {
    const { seedDemo, DEMO_SEED } = await import('../../server/demo/seed');
    demoKey = (await seedDemo(db, { workspace: 'demo', seed: DEMO_SEED })).key;
  }
  const app = await createApp(
    db,
    loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      RESTOCK_RADAR_QUIET: '1',
      // Suites test answers, not the production budget (10 s): a loaded CI machine must not turn a
      // slow answer into TIME_BUDGET_EXCEEDED. The budget's own suite sets its budget.
      RESTOCK_RADAR_TIME_BUDGET_MS: process.env.RESTOCK_RADAR_TIME_BUDGET_MS ?? '120000',
      ...opts.env,
    }),
    {
      dispatcher: { pollMs: 3_600_000, ...opts.dispatcher },
    },
  );
  const { workspaces } = app.services;
  const apiKey = demoKey ?? (await workspaces.createKey('test')).key;
  const url = await app.listen(0, '127.0.0.1');
  return {
    url,
    apiKey,
    db,
    app,
    databaseUrl,
    newKey: async (workspace) => (await workspaces.createKey(workspace)).key,
    async stop() {
      await app.close();
      await db.close();
      await cleanup();
    },
  };
}
