/**
 * Concurrent creation of the same new key (two replicas, or parallel requests on PostgreSQL's
 * concurrent transactions): every request succeeds and exactly one row exists. On PostgreSQL the
 * read-then-insert of an upsert races; the loser's unique violation is retried once (Db.write).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

describeDatabase('concurrent upserts of one new key', (databaseUrl) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  });
  afterAll(async () => s?.stop());

  const count = async (table: string) => Number((await s.db.manager.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('8 parallel upsertCompetitor, upsertSupplier and upsertProduct calls for one new key all succeed and store one row each', async () => {
    for (let round = 0; round < 3; round++) {
      const asin = `B0RACE${round}0000`;
      const sku = `RACE-${round}`;
      const supplier = `Race supplier ${round}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => [
          gql(s.url, s.apiKey, `mutation { upsertCompetitor(input: { asin: "${asin}", title: "t${i}" }) { id } }`),
          gql(s.url, s.apiKey, `mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id } }`, {
            i: { name: supplier, procurement: { mean: 5, sd: 1 }, shipping: { mean: 3, sd: 1 }, inbound: { mean: 1, sd: 0 } },
          }),
          gql(
            s.url,
            s.apiKey,
            `mutation { upsertProduct(input: { sku: "${sku}", name: "n${i}", unitCost: 4, price: 10, onHand: ${i} }) { id } }`,
          ),
        ]).flat(),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const ids = (field: string) =>
        new Set(results.map((r) => (r.data as Record<string, { id: string } | undefined>)?.[field]?.id).filter(Boolean));
      expect([ids('upsertCompetitor').size, ids('upsertSupplier').size, ids('upsertProduct').size]).toEqual([1, 1, 1]);
    }
    expect([await count('competitor'), await count('supplier'), await count('product')]).toEqual([3, 3, 3]);
  });
});
