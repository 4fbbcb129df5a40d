/** Announced deals survive import: a start time in the future makes the competitor's deal UPCOMING. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const IMPORT = `mutation($csv: String!, $format: CsvFormat!, $asin: String) {
  importSnapshotsCsv(csv: $csv, format: $format, asin: $asin) { inserted rejected { line reason } } }`;

describeDatabase('importing announced deals', (databaseUrl) => {
  describe('importing announced deals', () => {
    let s: TestServer;
    const now = Date.UTC(2026, 10, 20, 12);
    const iso = (h: number) => new Date(now + h * 3_600_000).toISOString();
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
      s.app.clock.now = () => now;
    });
    afterAll(async () => s?.stop());

    const upcoming = async (asin: string) =>
      (
        await gqlOk(
          s.url,
          s.apiKey,
          `query($a: String!) { competitor(asin: $a) { latestSnapshot { dealType dealStartsAt } activeDeal { status } deals { edges { node { status } } } } }`,
          { a: asin },
        )
      ).competitor;

    it('stores dealStartsAt from the long format', async () => {
      const csv = [
        'asin,capturedAt,stock,price,dealType,dealQuantity,dealClaimedPercent,dealStartsAt,dealEndsAt',
        ...[-6, -4, -2].map((h) => `B0UPCOMING1,${iso(h)},500,24.99,LIGHTNING,300,0,${iso(4)},${iso(10)}`),
      ].join('\n');
      const r = await gqlOk(s.url, s.apiKey, IMPORT, { csv, format: 'LONG' });
      expect(r.importSnapshotsCsv).toEqual({ inserted: 3, rejected: [] });
      const c = await upcoming('B0UPCOMING1');
      expect(c.latestSnapshot).toEqual({ dealType: 'LIGHTNING', dealStartsAt: iso(4) });
      expect(c.deals.edges.map((e: any) => e.node.status)).toEqual(['UPCOMING']);
      const ids = await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0UPCOMING1") { deals { edges { node { id } } } } }`);
      const id = ids.competitor.deals.edges[0].node.id;
      const one = await gqlOk(
        s.url,
        s.apiKey,
        `query($id: ID!) { competitor(asin: "B0UPCOMING1") { deal(id: $id) { status startedAt } } }`,
        { id },
      );
      expect(one.competitor.deal).toEqual({ status: 'UPCOMING', startedAt: iso(4) });
    });

    it("reads Keepa's UPCOMING state and start time, keeping the current price", async () => {
      const csv = [
        'Time,Stock,Buy Box,Lightning Deals,Lightning Deal: State,Lightning Deal: Quantity,Lightning Deal: Start Time,Lightning Deal: End Time',
        ...[-6, -4, -2].map((h) => `${iso(h)},420,29.99,19.99,UPCOMING,250,${iso(3)},${iso(9)}`),
      ].join('\n');
      const r = await gqlOk(s.url, s.apiKey, IMPORT, { csv, format: 'KEEPA', asin: 'B0UPCOMING2' });
      expect(r.importSnapshotsCsv).toEqual({ inserted: 3, rejected: [] });
      const c = await upcoming('B0UPCOMING2');
      expect(c.latestSnapshot).toEqual({ dealType: 'LIGHTNING', dealStartsAt: iso(3) });
      expect(c.deals.edges.map((e: any) => e.node.status)).toEqual(['UPCOMING']);
      const price = await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0UPCOMING2") { latestSnapshot { price } } }`);
      expect(price.competitor.latestSnapshot.price).toBe(29.99);
    });
  });
});
