/**
 * The competitor and snapshot contract, run against SQLite and
 * against PostgreSQL (the database matrix, tests/helpers/database.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates competitorsCreated } }`;
const UPSERT = `mutation($input: UpsertCompetitorInput!) { upsertCompetitor(input: $input) { id asin marketplace title brand tier } }`;

const t0 = Date.UTC(2026, 9, 1, 8, 0, 0);
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

describeDatabase('competitors and snapshots', (databaseUrl) => {
  let s: TestServer;
  const count = async () => Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM snapshot'))[0].n);

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  });
  afterAll(async () => s?.stop());

  describe('upsertCompetitor and lookups', () => {
    it('creates, then updates by (marketplace, asin) without duplicating', async () => {
      const a = await gqlOk(s.url, s.apiKey, UPSERT, {
        input: { asin: 'b0test0001', title: 'Bamboo Cutting Board', brand: 'Acme', tier: 'CORE' },
      });
      expect(a.upsertCompetitor).toMatchObject({ asin: 'B0TEST0001', marketplace: 'US', title: 'Bamboo Cutting Board', tier: 'CORE' });
      const b = await gqlOk(s.url, s.apiKey, UPSERT, { input: { asin: 'B0TEST0001', title: 'Bamboo Board XL' } });
      expect(b.upsertCompetitor.id).toBe(a.upsertCompetitor.id);
      expect(b.upsertCompetitor).toMatchObject({ title: 'Bamboo Board XL', brand: 'Acme', tier: 'CORE' });
      const de = await gqlOk(s.url, s.apiKey, UPSERT, { input: { asin: 'B0TEST0001', marketplace: 'de' } });
      expect(de.upsertCompetitor.id).not.toBe(a.upsertCompetitor.id);
      expect(de.upsertCompetitor).toMatchObject({ marketplace: 'DE', tier: 'GENERAL' });

      const byId = await gqlOk(s.url, s.apiKey, `query($id: ID!) { competitor(id: $id) { asin marketplace } }`, {
        id: a.upsertCompetitor.id,
      });
      expect(byId.competitor).toEqual({ asin: 'B0TEST0001', marketplace: 'US' });
      const byAsin = await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0TEST0001", marketplace: "DE") { id } }`);
      expect(byAsin.competitor.id).toBe(de.upsertCompetitor.id);
      const missing = await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0NOTHERE0") { id } }`);
      expect(missing.competitor).toBeNull();
    });

    it('rejects bad input naming the field', async () => {
      const r = await gql(s.url, s.apiKey, UPSERT, { input: { asin: 'bad asin!' } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.asin' });
      const m = await gql(s.url, s.apiKey, UPSERT, { input: { asin: 'B0TEST0002', marketplace: 'U5' } });
      expect(m.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.marketplace' });
      const both = await gql(s.url, s.apiKey, `{ competitor(id: "x", asin: "B0TEST0001") { id } }`);
      expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('recordSnapshots', () => {
    const batch = (asin: string, n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        asin,
        capturedAt: at((from + i) * 10),
        stock: 500 - (from + i) * 3,
        price: 19.99,
        source: 'test',
      }));

    it('inserts, reports duplicates on re-send, and creates unknown competitors as POTENTIAL', async () => {
      const first = await gqlOk(s.url, s.apiKey, RECORD, { input: batch('B0INGEST01', 30) });
      expect(first.recordSnapshots).toEqual({ inserted: 30, duplicates: 0, competitorsCreated: 1 });
      const again = await gqlOk(s.url, s.apiKey, RECORD, { input: batch('B0INGEST01', 40) });
      expect(again.recordSnapshots).toEqual({ inserted: 10, duplicates: 30, competitorsCreated: 0 });
      const c = await gqlOk(
        s.url,
        s.apiKey,
        `{ competitor(asin: "B0INGEST01") { tier latestSnapshot { capturedAt stock price source } } }`,
      );
      expect(c.competitor.tier).toBe('POTENTIAL');
      expect(c.competitor.latestSnapshot).toEqual({ capturedAt: at(390), stock: 500 - 39 * 3, price: 19.99, source: 'test' });
    });

    it('counts a repeated (asin, capturedAt) inside one batch once', async () => {
      const row = { asin: 'B0INGEST02', capturedAt: at(0), stock: 5 };
      const r = await gqlOk(s.url, s.apiKey, RECORD, { input: [row, { ...row, stock: 6 }] });
      expect(r.recordSnapshots).toMatchObject({ inserted: 1, duplicates: 1 });
    });

    it('stores every row of a batch as sent, duplicates inside it skipped wherever they fall (filling only what the first lacked)', async () => {
      // The bulk paths bind 16 columns per row (SQLite: a reused statement; PostgreSQL: multi-row
      // INSERTs): every stored value is compared with what was sent, so a misaligned bind shows.
      const sent = Array.from({ length: 150 }, (_, i) => ({
        asin: `B0MULTI${i % 3}`,
        capturedAt: at(Math.floor(i / 3) * 7),
        stock: 1000 + i,
        price: i % 4 === 0 ? null : (1000 + i) / 100,
        dealType: i % 5 === 0 ? 'LIGHTNING' : 'NONE',
        dealQuantity: i % 5 === 0 ? 100 + i : null,
        dealClaimedPercent: i % 5 === 0 ? i % 100 : null,
        bsr: 1 + i,
        rating: i % 2 ? 4.5 : null,
        source: `s${i}`,
      }));
      const dupes = [
        [10, 13],
        [40, 103],
        [140, 146],
      ]; // [original, copy] with the same (asin, capturedAt)
      for (const [a, b] of dupes) sent[b] = { ...sent[b], asin: sent[a].asin, capturedAt: sent[a].capturedAt, stock: 1 };
      const r = await gqlOk(s.url, s.apiKey, RECORD, { input: sent });
      expect(r.recordSnapshots).toEqual({ inserted: 147, duplicates: 3, competitorsCreated: 3 });
      const q = `query($asin: String!) { competitor(asin: $asin) { snapshots(first: 100) { totalCount edges { node {
        capturedAt stock price dealType dealQuantity dealClaimedPercent bsr rating source } } } } }`;
      const stored = new Map<string, unknown>();
      for (const asin of ['B0MULTI0', 'B0MULTI1', 'B0MULTI2']) {
        const c: any = await gqlOk(s.url, s.apiKey, q, { asin });
        for (const e of c.competitor.snapshots.edges) stored.set(`${asin}@${e.node.capturedAt}`, e.node);
      }
      const copies = new Set(dupes.map(([, b]) => b));
      const expected = new Map(
        sent.filter((_, i) => !copies.has(i)).map(({ asin, ...x }) => [`${asin}@${x.capturedAt}`, { ...x }] as const),
      );
      // A copy fills in the values its original lacked (snapshot.merge.ts); the original's own values stay.
      for (const [a, b] of dupes) {
        const kept: Record<string, unknown> = expected.get(`${sent[a].asin}@${sent[a].capturedAt}`)!;
        for (const f of ['price', 'bsr', 'rating', 'dealQuantity', 'dealClaimedPercent'] as const) kept[f] ??= sent[b][f];
      }
      expect(stored.size).toBe(147);
      expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(expected));
    });

    it('stores censored readings, deal fields and exact cents', async () => {
      await gqlOk(s.url, s.apiKey, RECORD, {
        input: [
          {
            asin: 'B0INGEST03',
            capturedAt: at(5),
            stock: 999,
            stockIsLowerBound: true,
            price: 0.1 + 0.2,
            listPrice: 29.95,
            dealType: 'LIGHTNING',
            dealQuantity: 400,
            dealClaimedPercent: 37.5,
            dealEndsAt: at(365),
            bsr: 1234,
            rating: 4.6,
            reviewCount: 812,
            offerCount: 3,
          },
        ],
      });
      const c = await gqlOk(
        s.url,
        s.apiKey,
        `{ competitor(asin: "B0INGEST03") { latestSnapshot { capturedAt stock stockIsLowerBound price listPrice dealType dealQuantity dealClaimedPercent dealEndsAt bsr rating reviewCount offerCount source } } }`,
      );
      expect(c.competitor.latestSnapshot).toEqual({
        capturedAt: at(5),
        stock: 999,
        stockIsLowerBound: true,
        price: 0.3,
        listPrice: 29.95,
        dealType: 'LIGHTNING',
        dealQuantity: 400,
        dealClaimedPercent: 37.5,
        dealEndsAt: at(365),
        bsr: 1234,
        rating: 4.6,
        reviewCount: 812,
        offerCount: 3,
        source: null,
      });
    });

    it('rejects a whole batch when one item is bad, naming index and field, writing nothing', async () => {
      const before = await count();
      const competitorsBefore = Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM competitor'))[0].n);
      const input = batch('B0NEWCOMP1', 5);
      input[3] = { ...input[3], stock: -4 };
      const r = await gql(s.url, s.apiKey, RECORD, { input });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[3].stock' });
      expect(r.errors?.[0].message).toMatch(/input\[3\]\.stock: must be ≥ 0/);
      expect(await count()).toBe(before);
      expect(Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM competitor'))[0].n)).toBe(competitorsBefore);
    });

    it.each([
      [{ dealClaimedPercent: 120, dealType: 'LIGHTNING' }, 'dealClaimedPercent'],
      [{ capturedAt: '1999-12-31T00:00:00Z' }, 'capturedAt'],
      [{ stock: null, stockIsLowerBound: true }, 'stockIsLowerBound'],
      [{ price: -1 }, 'price'],
      [{ bsr: 0 }, 'bsr'],
      [{ dealQuantity: 50 }, 'dealType'],
      [{ asin: '' }, 'asin'],
    ])('rejects %o as input[1].%s', async (patch, field) => {
      const input = batch('B0BADITEM1', 2);
      input[1] = { ...input[1], ...patch } as (typeof input)[number];
      const r = await gql(s.url, s.apiKey, RECORD, { input });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `input[1].${field}` });
    });

    it('reports invalid dates and enums through GraphQL coercion with the item path', async () => {
      const r = await gql(s.url, s.apiKey, RECORD, { input: [{ asin: 'B0X', capturedAt: 'yesterday' }] });
      expect(r.status).toBe(400);
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toMatch(/capturedAt/);
      const e = await gql(s.url, s.apiKey, RECORD, { input: [{ asin: 'B0X', capturedAt: at(0), dealType: 'FLASH' }] });
      expect(e.errors?.[0].message).toMatch(/dealType/);
    });

    it('rejects batches over 10,000 items', async () => {
      const input = Array.from({ length: 10_001 }, (_, i) => ({ asin: 'B0BIGBATCH', capturedAt: at(i) }));
      const r = await gql(s.url, s.apiKey, RECORD, { input });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    });

    it('accepts a full 10,000-item batch in one call', async () => {
      const input = Array.from({ length: 10_000 }, (_, i) => ({
        asin: `B0FULL${String(i % 20).padStart(4, '0')}`,
        capturedAt: at(i),
        stock: i,
      }));
      const r = await gqlOk(s.url, s.apiKey, RECORD, { input });
      expect(r.recordSnapshots).toEqual({ inserted: 10_000, duplicates: 0, competitorsCreated: 20 });
    });
  });

  describe('competitors connection', () => {
    beforeAll(async () => {
      const input = Array.from({ length: 120 }, (_, i) => ({
        asin: `B0PAGE${String(i).padStart(4, '0')}`,
        capturedAt: at(i),
        stock: i,
      }));
      await gqlOk(s.url, s.apiKey, RECORD, { input });
      await gqlOk(s.url, s.apiKey, UPSERT, {
        input: { asin: 'B0PAGE0007', title: 'Stainless Garlic Press', brand: 'KitchenPro', tier: 'CORE' },
      });
    });

    it('pages through every competitor exactly once with stable cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let total = -1;
      for (let guard = 0; guard < 10; guard++) {
        const r: any = await gqlOk(
          s.url,
          s.apiKey,
          `query($after: String) { competitors(first: 50, after: $after, search: "B0PAGE") { totalCount edges { cursor node { asin } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        total = r.competitors.totalCount;
        seen.push(...r.competitors.edges.map((e: any) => e.node.asin));
        if (!r.competitors.pageInfo.hasNextPage) break;
        after = r.competitors.pageInfo.endCursor;
      }
      expect(total).toBe(120);
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      expect(seen).toEqual([...seen].sort());
    });

    it('filters by tier and searches title/brand case-insensitively', async () => {
      const core = await gqlOk(s.url, s.apiKey, `{ competitors(tier: CORE, search: "garlic") { totalCount edges { node { asin } } } }`);
      expect(core.competitors.edges.map((e: any) => e.node.asin)).toEqual(['B0PAGE0007']);
      const brand = await gqlOk(s.url, s.apiKey, `{ competitors(search: "kitchenpro") { totalCount } }`);
      expect(brand.competitors.totalCount).toBe(1);
      const literal = await gqlOk(s.url, s.apiKey, `{ competitors(search: "%") { totalCount } }`);
      expect(literal.competitors.totalCount).toBe(0);
    });

    it('bounds the page size and rejects foreign cursors', async () => {
      const big = await gql(s.url, s.apiKey, `{ competitors(first: 501) { totalCount } }`);
      expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const bad = await gql(s.url, s.apiKey, `{ competitors(after: "not-a-cursor") { totalCount } }`);
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });

  describe('Competitor.snapshots', () => {
    it('returns a time window in order, paged with cursors', async () => {
      const q = `query($from: DateTime, $to: DateTime, $after: String) { competitor(asin: "B0INGEST01") {
        snapshots(from: $from, to: $to, first: 4, after: $after) { totalCount edges { node { capturedAt stock } } pageInfo { hasNextPage endCursor } } } }`;
      const p1: any = await gqlOk(s.url, s.apiKey, q, { from: at(100), to: at(200) });
      expect(p1.competitor.snapshots.totalCount).toBe(10);
      expect(p1.competitor.snapshots.edges.map((e: any) => e.node.capturedAt)).toEqual([at(100), at(110), at(120), at(130)]);
      const p2: any = await gqlOk(s.url, s.apiKey, q, { from: at(100), to: at(200), after: p1.competitor.snapshots.pageInfo.endCursor });
      expect(p2.competitor.snapshots.edges.map((e: any) => e.node.stock)).toEqual([500 - 42, 500 - 45, 500 - 48, 500 - 51]);
    });
  });
});
