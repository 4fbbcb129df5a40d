import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

describeDatabase('HTTP and GraphQL limits', (databaseUrl) => {
  const postgres = databaseUrl?.startsWith('postgres') ?? false;
  describe('HTTP and GraphQL limits', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ databaseUrl, env: { RESTOCK_RADAR_MAX_DEPTH: '5', RESTOCK_RADAR_MAX_BODY_BYTES: '4096' } });
    });
    afterAll(async () => s?.stop());

    it('rejects queries deeper than the limit before running them', async () => {
      const r = await gql(s.url, s.apiKey, `{ competitors { edges { node { snapshots { edges { node { stock } } } } } } }`);
      expect(r.status).toBe(400);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 5, actual: 7 } });
      const ok = await gql(s.url, s.apiKey, `{ competitors { edges { node { latestSnapshot { stock } } } } }`);
      expect(ok.errors).toBeUndefined();
    });

    it('rejects queries whose page sizes multiply past the complexity limit', async () => {
      const r = await gql(
        s.url,
        s.apiKey,
        `{ competitors(first: 500) { edges { node { latestSnapshot { stock } snapshots(first: 500) { totalCount } } } } }`,
      );
      expect(r.status).toBe(400);
      expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.errors?.[0].message).toMatch(/complexity \d+ exceeds the limit of 100000/);
    });

    it('rejects oversized and malformed bodies with a clear status', async () => {
      const big = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` },
        body: JSON.stringify({ query: `{ competitors(search: "${'x'.repeat(5000)}") { totalCount } }` }),
      });
      expect(big.status).toBe(413);
      const bad = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` },
        body: '{"query": ',
      });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/not valid JSON/);
    });

    it('blocks simple cross-site GET requests (CSRF prevention)', async () => {
      const r = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ competitors { totalCount } }')}`, {
        headers: { authorization: `Bearer ${s.apiKey}` },
      });
      expect(r.status).toBe(400);
      expect(await r.text()).toMatch(/CSRF/i);
    });

    it('serves health and Prometheus metrics, and 404s unknown routes', async () => {
      const h = await fetch(`${s.url}/healthz`);
      expect(h.status).toBe(200);
      expect(await h.json()).toEqual({ status: 'ok', database: postgres ? 'postgres' : 'sqlite' });
      const m = await (await fetch(`${s.url}/metrics`)).text();
      expect(m).toMatch(/restock_radar_graphql_requests_total\{operation="anonymous",outcome="(ok|error)"\} \d+/);
      expect(m).toMatch(/process_cpu_user_seconds_total/);
      // SQLite: its one connection; PostgreSQL: the pool's open connections (at least one, at most poolSize 10).
      const total = Number(/restock_radar_db_connections\{state="total"\} (\d+)/.exec(m)?.[1]);
      if (postgres) {
        expect(total).toBeGreaterThanOrEqual(1);
        expect(total).toBeLessThanOrEqual(10);
      } else expect(total).toBe(1);
      expect(m).toMatch(/restock_radar_outbox_pending 0/);
      // Ingest counters follow the rows stored and skipped.
      const input = [0, 1, 1].map((i) => ({ asin: 'B0METRICS1', capturedAt: new Date(Date.UTC(2026, 9, 1, i)).toISOString(), stock: 5 }));
      await gql(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: input });
      const after = await (await fetch(`${s.url}/metrics`)).text();
      expect(after).toMatch(/restock_radar_ingest_rows_total\{result="inserted"\} 2/);
      expect(after).toMatch(/restock_radar_ingest_rows_total\{result="duplicate"\} 1/);
      expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    });

    it('allows introspection outside production only', async () => {
      const dev = await gql(s.url, s.apiKey, `{ __schema { queryType { name } } }`);
      expect(dev.data?.__schema.queryType.name).toBe('Query');
      const prod = await startTestServer({ databaseUrl, env: { NODE_ENV: 'production' } });
      try {
        const r = await gql(prod.url, prod.apiKey, `{ __schema { queryType { name } } }`);
        expect(r.errors?.[0].message).toMatch(/introspection/i);
      } finally {
        await prod.stop();
      }
    });
  });

  describe('pricing of model-running fields', () => {
    it('refuses a page of 500 product forecasts but allows 50', async () => {
      const s = await startTestServer({ databaseUrl });
      try {
        const big = await gql(s.url, s.apiKey, `{ products(first: 500) { edges { node { forecast(horizonDays: 28) { model } } } } }`);
        expect(big.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        const ok = await gql(s.url, s.apiKey, `{ products(first: 50) { edges { node { forecast(horizonDays: 28) { model } } } } }`);
        expect(ok.errors).toBeUndefined();
      } finally {
        await s.stop();
      }
    });
  });
});
