import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

/** Seeds `n` competitors with 5 snapshots each into the workspace of `key`. */
async function seed(s: TestServer, key: string, n: number) {
  const input = [];
  for (let c = 0; c < n; c++) {
    for (let k = 0; k < 5; k++) {
      input.push({
        asin: `B0LOAD${String(c).padStart(4, '0')}`,
        capturedAt: new Date(Date.UTC(2026, 9, 1) + k * 3_600_000).toISOString(),
        stock: 100 * c + k,
      });
    }
  }
  await gqlOk(s.url, key, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: input });
}

const QUERY = `query($n: Int!) { competitors(first: $n) { totalCount edges { node { asin
  latestSnapshot { stock }
  snapshots(first: 2) { totalCount edges { node { stock } } pageInfo { hasNextPage } } } } } }`;

describeDatabase('per-request DataLoaders', (databaseUrl) => {
  describe('per-request DataLoaders', () => {
    let s: TestServer;
    let small: string;
    let large: string;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
      small = await s.newKey('small');
      large = await s.newKey('large');
      await seed(s, small, 10);
      await seed(s, large, 500);
      // Alert evaluation of those ingests runs after their responses: let it finish before counting.
      await s.app.services.alertEvaluator.idle();
    });
    afterAll(async () => s?.stop());

    const statements = async (key: string, n: number) => {
      const before = s.db.counter.count;
      const data = await gqlOk(s.url, key, QUERY, { n });
      return { count: s.db.counter.count - before, data };
    };

    it('answers correctly for every competitor', async () => {
      const { data } = await statements(large, 500);
      expect(data.competitors.edges).toHaveLength(500);
      for (const [c, e] of data.competitors.edges.entries()) {
        expect(e.node.latestSnapshot.stock).toBe(100 * c + 4);
        expect(e.node.snapshots.totalCount).toBe(5);
        expect(e.node.snapshots.edges.map((x: any) => x.node.stock)).toEqual([100 * c, 100 * c + 1]);
        expect(e.node.snapshots.pageInfo.hasNextPage).toBe(true);
      }
    });

    it('costs the same number of SQL statements for 10 and for 500 competitors', async () => {
      const a = await statements(small, 10);
      const b = await statements(large, 500);
      expect(b.count).toBe(a.count);
      // auth + page + count + latest (2) + snapshot page (2) + snapshot counts (1)
      expect(b.count).toBeLessThanOrEqual(8);
    });
  });
});
