import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EntitySubscriberInterface } from 'typeorm';
import { gqlOk } from '../helpers/gql';
import { describeDatabase } from '../helpers/database';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * latestSnapshot costs one index seek per competitor, whatever the history length: the statement
 * the loader sends is checked with the database's own plan (PostgreSQL: EXPLAIN ANALYZE counts the
 * snapshot rows the plan touches; SQLite: the plan is a correlated seek, no grouping over the index).
 */
const COMPETITORS = 4;
const READINGS = 300;
const T0 = Date.UTC(2026, 9, 1);

describeDatabase('latestSnapshot by one seek', (databaseUrl) => {
  let s: TestServer;
  const seen: { query: string; parameters: unknown[] }[] = [];
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    const input = [];
    for (let c = 0; c < COMPETITORS; c++)
      for (let k = 0; k < READINGS; k++)
        input.push({
          asin: `B0LATE${String(c).padStart(4, '0')}`,
          capturedAt: new Date(T0 + k * 600_000).toISOString(),
          stock: 5000 - k - c,
        });
    await gqlOk(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: input });
    await s.app.services.alertEvaluator.idle();
    const recorder: EntitySubscriberInterface = {
      afterQuery: (e) => void seen.push({ query: e.query, parameters: (e.parameters ?? []) as unknown[] }),
    };
    s.db.ds.subscribers.push(recorder);
  });
  afterAll(async () => s?.stop());

  it('answers the newest reading and reads one index entry per competitor', async () => {
    seen.length = 0;
    const data = await gqlOk(s.url, s.apiKey, `{ competitors(first: 10) { edges { node { asin latestSnapshot { stock capturedAt } } } } }`);
    const nodes = data.competitors.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.latestSnapshot.stock)).toEqual([...Array(COMPETITORS).keys()].map((c) => 5000 - (READINGS - 1) - c));
    expect(new Date(nodes[0].latestSnapshot.capturedAt).getTime()).toBe(T0 + (READINGS - 1) * 600_000);

    const latest = seen.find((q) => /FROM snapshot/i.test(q.query) && /captured_at/i.test(q.query) && !/deal_type/i.test(q.query));
    expect(latest, 'the latest-snapshot statement').toBeDefined();
    if (s.db.dialect === 'postgres') {
      const [row] = await s.db.manager.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${latest!.query}`, latest!.parameters);
      const plan = (typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'])[0].Plan;
      let snapshotRows = 0;
      const walk = (n: any) => {
        if (n['Relation Name'] === 'snapshot') snapshotRows += n['Actual Rows'] * n['Actual Loops'];
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(plan);
      expect(snapshotRows).toBeLessThanOrEqual(COMPETITORS);
    } else {
      const plan: { detail: string }[] = await s.db.manager.query(`EXPLAIN QUERY PLAN ${latest!.query}`, latest!.parameters);
      const text = plan.map((p) => p.detail).join('\n');
      expect(text).not.toMatch(/GROUP BY|SCAN snapshot|SCAN s\b/);
      expect(text).toMatch(/CORRELATED SCALAR SUBQUERY/);
    }
  });
});
