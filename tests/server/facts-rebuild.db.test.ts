import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONSUMPTION_RULES } from '../../server/modules/facts/consumption.facts';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Rebuilding the consumption facts: what `--stale-only` (and the server at startup) picks — facts of
 * another rule version, or readings without facts — and the CLI `rebuild-intelligence` restoring
 * them for one competitor, with the figures the API served before.
 */
const T0 = Date.UTC(2026, 3, 1);
const VELOCITY = `{ competitors(first: 10) { edges { node { id asin velocity { perHour { value lower upper } unitsMeasured } } } } }`;

/** The CLI as a child process; async, so the in-process test server keeps answering meanwhile. */
function cli(databaseUrl: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl, RESTOCK_RADAR_QUIET: '1' }, encoding: 'utf8', timeout: 120_000 },
      (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describeDatabase('facts rebuild', (databaseUrl) => {
  let s: TestServer;
  const facts = async (id: string) => {
    const q = s.db.params();
    return s.db.manager.query(
      `SELECT at, kind, rules, c_units FROM consumption_fact WHERE competitor_id = ${q.add(id)} ORDER BY at`,
      q.values,
    );
  };
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => T0 + 3 * 86_400_000;
    const input = [];
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 200; k++)
        input.push({
          asin: `B0REBU${String(c).padStart(4, '0')}`,
          capturedAt: new Date(T0 + k * 600_000).toISOString(),
          stock: 2000 - k * (c + 1),
        });
    await gqlOk(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: input });
    await s.app.services.alertEvaluator.idle();
  });
  afterAll(async () => s?.stop());

  it('finds stale facts (older rules, or none) and the CLI rebuilds one competitor to the same figures', async () => {
    const before = (await gqlOk(s.url, s.apiKey, VELOCITY)).competitors.edges.map((e: any) => e.node);
    expect(before[1].velocity.perHour.value).toBeCloseTo(2 * 6, 9); // 2 units per 10 minutes
    const [a, b, c] = before.map((n: any) => n.id);
    const kept = await facts(a);
    expect(kept).toHaveLength(199);
    expect(await s.app.services.facts.rebuildTargets({ staleOnly: true })).toEqual([]);

    const q = s.db.params();
    await s.db.manager.query(
      `UPDATE consumption_fact SET rules = ${q.add(CONSUMPTION_RULES - 1)} WHERE competitor_id = ${q.add(a)}`,
      q.values,
    );
    const d = s.db.params();
    await s.db.manager.query(`DELETE FROM consumption_fact WHERE competitor_id = ${d.add(b)}`, d.values);
    expect((await s.app.services.facts.rebuildTargets({ staleOnly: true })).sort()).toEqual([a, b].sort());
    // Without facts the API has no measured interval for b: the read never falls back to raw rows.
    const gone = (await gqlOk(s.url, s.apiKey, VELOCITY)).competitors.edges.map((e: any) => e.node);
    expect(gone[1].velocity.perHour.value).toBeNull();

    const r = await cli(s.databaseUrl, 'rebuild-intelligence', '--competitor', b);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Rebuilt the facts of 1 competitor\(s\): 199 intervals/);
    expect(r.status).toBe(0);
    expect((await s.app.services.facts.rebuildTargets({ staleOnly: true })).sort()).toEqual([a]);
    await s.app.services.facts.rebuild({ staleOnly: true });
    expect(await s.app.services.facts.rebuildTargets({ staleOnly: true })).toEqual([]);
    expect(await facts(a)).toEqual(kept);
    const after = (await gqlOk(s.url, s.apiKey, VELOCITY)).competitors.edges.map((e: any) => e.node);
    expect(after).toEqual(before);
    expect(c).toBeDefined();

    const bad = await cli(s.databaseUrl, 'rebuild-intelligence', '--workspace', 'nope');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/workspace "nope" does not exist/);
  }, 240_000);
});
