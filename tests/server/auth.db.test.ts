import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../server/modules/workspace/api-key.entity';
import { hashKey, WorkspaceService } from '../../server/modules/workspace/workspace.service';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const Q = `{ competitors { totalCount } }`;

describeDatabase('API keys and workspace isolation', (databaseUrl) => {
  describe('API keys over real HTTP', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
    });
    afterAll(async () => s?.stop());

    it('rejects a missing, malformed or unknown key with 401 UNAUTHENTICATED', async () => {
      for (const key of [null, 'rr_notarealkey000000000000000000']) {
        const r = await gql(s.url, key, Q);
        expect(r.status).toBe(401);
        expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(r.data).toBeNull();
      }
      const raw = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${s.apiKey}` },
        body: JSON.stringify({ query: Q }),
      });
      expect(raw.status).toBe(401);
    });

    it('accepts a valid key and stores only its hash', async () => {
      expect((await gqlOk(s.url, s.apiKey, Q)).competitors.totalCount).toBe(0);
      const rows = await s.db.manager.find(ApiKey);
      expect(rows.some((r) => r.hash === hashKey(s.apiKey))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(s.apiKey);
    });

    it('stops accepting a key once revoked', async () => {
      const key = await s.newKey('revocation');
      expect((await gql(s.url, key, Q)).status).toBe(200);
      expect(await new WorkspaceService(s.db).revoke(key.slice(0, 10))).toBe(1);
      const r = await gql(s.url, key, Q);
      expect(r.status).toBe(401);
      expect(r.errors?.[0].message).toMatch(/revoked/);
    });

    it('bootstraps a configured key idempotently into workspace "default"', async () => {
      const ws = new WorkspaceService(s.db);
      const key = 'ops-bootstrap-key-0123456789abcdef';
      expect(await ws.bootstrapKey(key)).toMatchObject({ created: true, workspace: { name: 'default' } });
      expect(await ws.bootstrapKey(key)).toMatchObject({ created: false, workspace: { name: 'default' } });
      expect(await s.db.manager.count(ApiKey, { where: { hash: hashKey(key) } })).toBe(1);
      expect((await gql(s.url, key, Q)).status).toBe(200);
      await expect(ws.bootstrapKey('short')).rejects.toThrow(/at least 16/);
    });
  });

  describe('workspace isolation', () => {
    let s: TestServer;
    let a: string;
    let b: string;
    let idA: string;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
      a = s.apiKey;
      b = await s.newKey('other');
      const r = await gqlOk(s.url, a, `mutation { upsertCompetitor(input: { asin: "B0SECRET01", title: "A's listing" }) { id } }`);
      idA = r.upsertCompetitor.id;
      await gqlOk(s.url, a, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, {
        i: [{ asin: 'B0SECRET01', capturedAt: '2026-10-01T00:00:00Z', stock: 42 }],
      });
    });
    afterAll(async () => s?.stop());

    it("does not show one workspace's competitors to another by id, asin, list or search", async () => {
      expect((await gqlOk(s.url, b, `query($id: ID!) { competitor(id: $id) { id } }`, { id: idA })).competitor).toBeNull();
      expect((await gqlOk(s.url, b, `{ competitor(asin: "B0SECRET01") { id } }`)).competitor).toBeNull();
      expect((await gqlOk(s.url, b, `{ competitors(search: "SECRET") { totalCount edges { node { id } } } }`)).competitors).toEqual({
        totalCount: 0,
        edges: [],
      });
    });

    it('gives another workspace its own competitor for the same ASIN, with its own snapshots', async () => {
      const r = await gqlOk(
        s.url,
        b,
        `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted duplicates competitorsCreated } }`,
        {
          i: [{ asin: 'B0SECRET01', capturedAt: '2026-10-01T00:00:00Z', stock: 7 }],
        },
      );
      expect(r.recordSnapshots).toEqual({ inserted: 1, duplicates: 0, competitorsCreated: 1 });
      const mine = await gqlOk(s.url, b, `{ competitor(asin: "B0SECRET01") { id latestSnapshot { stock } } }`);
      expect(mine.competitor.id).not.toBe(idA);
      expect(mine.competitor.latestSnapshot.stock).toBe(7);
      const theirs = await gqlOk(s.url, a, `{ competitor(asin: "B0SECRET01") { latestSnapshot { stock } } }`);
      expect(theirs.competitor.latestSnapshot.stock).toBe(42);
    });

    it("cannot page into another workspace's rows with its cursor", async () => {
      const pageA = await gqlOk(s.url, a, `{ competitors(first: 1) { pageInfo { endCursor } } }`);
      const r = await gqlOk(s.url, b, `query($c: String) { competitors(first: 50, after: $c) { edges { node { id } } } }`, {
        c: pageA.competitors.pageInfo.endCursor,
      });
      expect(r.competitors.edges.map((e: any) => e.node.id)).not.toContain(idA);
    });
  });
});
