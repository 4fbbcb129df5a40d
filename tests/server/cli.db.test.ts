/**
 * The operator's path, end to end: the real CLI in its own process (as `npm start` runs it) on a
 * real database (a SQLite file, or a fresh PostgreSQL database given as DATABASE_URL), restarted,
 * with keys from the environment and from `apikey create`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gql';
import { freshDatabaseUrl } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const cli = ['--import', 'tsx', 'server/cli.ts'];

describeDatabase('restock-radar CLI', (databaseUrl) => {
  const dialect = databaseUrl?.startsWith('postgres') ? 'postgres' : 'sqlite';
  const running: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let env: Record<string, string | undefined>;
  /** A second database of its own for the first-start demo. */
  let demoUrl: string;

  beforeAll(async () => {
    const main = await freshDatabaseUrl(databaseUrl);
    const demo = await freshDatabaseUrl(databaseUrl);
    cleanups.push(main.cleanup, demo.cleanup);
    env = { ...process.env, DATABASE_URL: main.url, HOST: '127.0.0.1', PORT: '0', RESTOCK_RADAR_QUIET: '1' };
    demoUrl = demo.url;
  });

  /** Runs the CLI to completion (up to 180 s: loading the demo takes ~40 s on an idle 2-core machine, longer under load). */
  function run(args: string[], extra: Record<string, string> = {}) {
    const r = spawnSync(process.execPath, [...cli, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 180_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  /** Starts `serve` and resolves once it prints its URL, with everything it printed. */
  function serve(
    args: string[],
    extra: Record<string, string> = {},
  ): Promise<{ url: string; out: () => string; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, [...cli, 'serve', ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let out = '';
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /on (http:\/\/\S+)\/graphql/.exec(out);
        // Wait for the whole start-up message (the key block follows the URL line).
        if (m && /(Try it:[\s\S]*\n\n|Create a key with)/.test(out)) {
          resolve({
            url: m[1],
            out: () => out,
            stop: () => new Promise<void>((res) => (child.once('exit', () => res()), child.kill('SIGTERM'))),
          });
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
  }

  afterAll(async () => {
    // Killed servers must be gone before their PostgreSQL database is dropped.
    await Promise.all(
      running
        .filter((c) => c.exitCode === null && c.signalCode === null)
        .map((c) => new Promise<void>((r) => (c.once('exit', () => r()), c.kill('SIGKILL')))),
    );
    for (const c of cleanups) await c();
  });

  describe('restock-radar CLI', () => {
    const bootstrap = 'deploy-bootstrap-key-5f1c2a9e7d3b';

    it('migrates an empty database', () => {
      const r = run(['migrate']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`up to date \\(${dialect}\\)`));
    });

    it('serves with a bootstrap key, idempotently across restarts', async () => {
      for (const expected of [/added to workspace "default"/, /is valid \(workspace "default"\)/]) {
        const s = await serve(['--no-demo'], { RESTOCK_RADAR_BOOTSTRAP_KEY: bootstrap });
        expect(s.out()).toMatch(expected);
        const r = await gql(s.url, bootstrap, `{ competitors { totalCount } }`);
        expect(r.status).toBe(200);
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        await s.stop();
      }
    });

    it('prints a working key from apikey create, and revokes it', async () => {
      const r = run(['apikey', 'create', '--workspace', 'acme', '--label', 'ci']);
      expect(r.code).toBe(0);
      const key = /API key \(shown once\): (\S+)/.exec(r.out)![1];
      const s = await serve(['--no-demo']);
      expect((await gql(s.url, key, `{ competitors { totalCount } }`)).status).toBe(200);
      expect(run(['apikey', 'revoke', '--prefix', key.slice(0, 10)]).out).toMatch(/Revoked 1 key/);
      expect((await gql(s.url, key, `{ competitors { totalCount } }`)).status).toBe(401);
      await s.stop();
    });

    it('loads the demo workspace on first start and prints a key and a curl command that work', async () => {
      const demoDb = { DATABASE_URL: demoUrl };
      const s = await serve([], demoDb);
      const out = s.out();
      expect(out).toMatch(/First start: loading the demo workspace/);
      const key = /Demo workspace API key \(shown once, store it\):\n\s+(\S+)/.exec(out)![1];
      // The printed curl command, run as printed (its JSON body), against the printed URL.
      const body = /-d '(\{.*\})'/.exec(out)![1];
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      const json: any = await res.json();
      expect(json.data.competitors.totalCount).toBe(36);
      expect(json.data.competitors.edges[0].node.latestSnapshot.capturedAt).toBeTruthy();
      // The demo also carries own SKUs with sales history, suppliers and open POs: plans are computable.
      const plans: any = await (
        await fetch(`${s.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({
            query:
              '{ products(first: 50) { totalCount edges { node { sku inTransit replenishmentPlan(serviceLevel: 0.95) { reorderPoint leadTimeDays } } } } }',
          }),
        })
      ).json();
      expect(plans.data.products.totalCount).toBe(8);
      for (const e of plans.data.products.edges) expect(e.node.replenishmentPlan.reorderPoint).toBeGreaterThan(0);
      expect(plans.data.products.edges.some((e: any) => e.node.inTransit > 0)).toBe(true);
      // Two SKUs carry ledgers with a past own deal: RR-PEELER's was oversold (RED, open), RR-BOARD-XL's reconciles.
      const ledger: any = await (
        await fetch(`${s.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({
            query: `{ alerts(first: 10, kind: RECONCILIATION_MISMATCH) { edges { node { subjectId level status message } } }
              p: reconciliation(sku: "RR-PEELER") { ok findings { code } } b: reconciliation(sku: "RR-BOARD-XL", to: "${new Date(Date.now() - 4 * 86_400_000).toISOString()}") { ok } }`,
          }),
        })
      ).json();
      expect(ledger.data.alerts.edges.map((e: any) => [e.node.subjectId, e.node.level, e.node.status])).toEqual([
        ['RR-PEELER', 'RED', 'OPEN'],
      ]);
      expect(ledger.data.alerts.edges[0].node.message).toMatch(/NEGATIVE_STOCK/);
      expect(ledger.data.p).toEqual({ ok: false, findings: [{ code: 'NEGATIVE_STOCK' }, { code: 'NEGATIVE_LEDGER_BALANCE' }] });
      expect(ledger.data.b).toEqual({ ok: true });
      await s.stop();
      // Second start: the demo exists, no new key is minted.
      const again = await serve([], demoDb);
      expect(again.out()).not.toMatch(/First start/);
      expect(again.out()).toMatch(/apikey create --workspace demo/);
      await again.stop();
    }, 180_000);

    it('loads the demo into a named workspace with `demo`, and refuses a workspace that has data', () => {
      const r = run(['demo', '--workspace', 'showroom']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Loaded 36 competitors, \d+ snapshots and 8 products\.\nAPI key \(shown once\): rr_/);
      const again = run(['demo', '--workspace', 'showroom']);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/already has competitors/);
    }, 180_000);

    it('explains usage errors', () => {
      const r = run(['apikey', 'create']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/needs --workspace NAME/);
      const u = run(['frobnicate']);
      expect(u.code).toBe(2);
      expect(u.err).toMatch(/Unknown command "frobnicate"/);
      expect(run(['--help']).out).toMatch(/apikey create --workspace N/);
    });

    it('fails fast on a bad DATABASE_URL', () => {
      const r = run(['migrate'], { DATABASE_URL: 'mysql://nope' });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/DATABASE_URL must start with postgres:\/\/ or sqlite:/);
    });
  });
});
