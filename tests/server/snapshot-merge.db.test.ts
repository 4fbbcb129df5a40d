/**
 * Re-sent readings through the real API on both databases: a duplicate fills in what the stored reading
 * lacked, and a value that disagrees is reported, never silently dropped nor overwritten; the same for a
 * re-imported file with more columns.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) {
  inserted duplicates merged conflicts conflictExamples { asin capturedAt field stored incoming } } }`;
const IMPORT = `mutation($csv: String!) { importSnapshotsCsv(csv: $csv) { rows inserted duplicates merged conflicts conflictExamples { asin field stored incoming } } }`;

describeDatabase('re-sent readings merge', (databaseUrl) => {
  let s: TestServer;
  const reading = async (asin: string, at: string) =>
    (
      await gqlOk(
        s.url,
        s.apiKey,
        `query($asin: String!, $from: DateTime!) { competitor(asin: $asin) { snapshots(from: $from, first: 1) { totalCount edges { node { capturedAt stock stockIsLowerBound price bsr offerCount reviewCount } } } } }`,
        { asin, from: at },
      )
    ).competitor.snapshots;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  }, 120_000);
  afterAll(() => s?.stop());

  it('a duplicate fills in the values the stored reading lacked, and reports the ones that disagree', async () => {
    const at = '2026-11-01T10:00:00.000Z';
    const first = await gqlOk(s.url, s.apiKey, RECORD, { input: [{ asin: 'B0MERGE001', capturedAt: at, stock: 40, price: 19.99 }] });
    expect(first.recordSnapshots).toMatchObject({ inserted: 1, duplicates: 0, merged: 0, conflicts: 0 });
    const again = await gqlOk(s.url, s.apiKey, RECORD, {
      input: [{ asin: 'B0MERGE001', capturedAt: at, stock: 41, price: 19.99, bsr: 1200, offerCount: 3 }],
    });
    expect(again.recordSnapshots).toEqual({
      inserted: 0,
      duplicates: 1,
      merged: 1,
      conflicts: 1,
      conflictExamples: [{ asin: 'B0MERGE001', capturedAt: at, field: 'stock', stored: '40', incoming: '41' }],
    });
    const r = await reading('B0MERGE001', at);
    expect(r.totalCount).toBe(1);
    expect(r.edges[0].node).toMatchObject({ stock: 40, price: 19.99, bsr: 1200, offerCount: 3 });
    // The same batch again changes nothing and still reports the disagreement.
    const third = await gqlOk(s.url, s.apiKey, RECORD, {
      input: [{ asin: 'B0MERGE001', capturedAt: at, stock: 41, price: 19.99, bsr: 1200, offerCount: 3 }],
    });
    expect(third.recordSnapshots).toMatchObject({ inserted: 0, duplicates: 1, merged: 0, conflicts: 1 });
  });

  it('a re-imported file with more columns: rows gain them, nothing is dropped without a word', async () => {
    const thin = ['asin,capturedAt,stock', 'B0MERGE002,2026-11-02T00:00:00Z,50', 'B0MERGE002,2026-11-02T01:00:00Z,48'].join('\n');
    expect((await gqlOk(s.url, s.apiKey, IMPORT, { csv: thin })).importSnapshotsCsv).toMatchObject({ inserted: 2, merged: 0 });
    const rich = [
      'asin,capturedAt,stock,price,bsr,reviewCount',
      'B0MERGE002,2026-11-02T00:00:00Z,50,9.99,310,87',
      'B0MERGE002,2026-11-02T01:00:00Z,47,9.99,305,87',
    ].join('\n');
    const r = (await gqlOk(s.url, s.apiKey, IMPORT, { csv: rich })).importSnapshotsCsv;
    expect(r).toEqual({
      rows: 2,
      inserted: 0,
      duplicates: 2,
      merged: 2,
      conflicts: 1,
      conflictExamples: [{ asin: 'B0MERGE002', field: 'stock', stored: '48', incoming: '47' }],
    });
    expect((await reading('B0MERGE002', '2026-11-02T01:00:00Z')).edges[0].node).toMatchObject({
      stock: 48,
      price: 9.99,
      bsr: 305,
      reviewCount: 87,
    });
  });

  it('a capped re-sent stock that disagrees on being a lower bound is a conflict too', async () => {
    const at = '2026-11-03T00:00:00.000Z';
    await gqlOk(s.url, s.apiKey, RECORD, { input: [{ asin: 'B0MERGE003', capturedAt: at, stock: 999 }] });
    const r = await gqlOk(s.url, s.apiKey, RECORD, {
      input: [{ asin: 'B0MERGE003', capturedAt: at, stock: 999, stockIsLowerBound: true }],
    });
    expect(r.recordSnapshots).toMatchObject({
      merged: 0,
      conflicts: 1,
      conflictExamples: [{ field: 'stockIsLowerBound', stored: 'false', incoming: 'true' }],
    });
  });
});
