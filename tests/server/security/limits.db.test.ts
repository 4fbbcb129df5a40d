/**
 * Abuse limits with the default configuration: complexity (aliases priced one by one, with weights
 * on computing fields), parser tokens, document bytes, batched operations, page and batch sizes,
 * body size, CSRF and introspection/suggestions in production. (Depth with a lowered limit:
 * tests/server/limits.db.test.ts.) The GraphQL limits run over both transports, HTTP and
 * WebSocket (graphql-ws client), which share one pipeline; body size, batching and CSRF are HTTP's.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isNonNullType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from '../../helpers/gql';
import { transport, TRANSPORTS } from '../../helpers/ws';
import { startTestServer, type TestServer } from '../../helpers/server';
import { describeDatabase } from '../../helpers/database';

describeDatabase('abuse limits (default configuration)', (databaseUrl) => {
  describe.each(TRANSPORTS)('GraphQL and HTTP limits (default configuration) over %s', (name) => {
    const t = transport(name);
    const gql = t.gql.bind(t);
    const http = name === 'http';
    let s: TestServer;
    let schema: GraphQLSchema;
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}`, ...headers },
        body,
      });
    const count = async (table: string) => Number((await s.db.manager.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    const aliases = (n: number, f: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f(i)}`).join(' ')} }`;

    beforeAll(async () => {
      s = await startTestServer({ databaseUrl });
      schema = buildClientSchema(await gqlOk<IntrospectionQuery>(s.url, s.apiKey, getIntrospectionQuery()));
      await gqlOk(s.url, s.apiKey, `mutation { upsertCompetitor(input: { asin: "B0LIMIT001" }) { id } }`);
    });
    afterAll(async () => {
      await t.closeAll();
      await s?.stop();
    });

    it('prices every alias: 1,000 aliases of a computing field are refused before running', async () => {
      const sup = `compareSuppliers(input: { suppliers: [{ name: "a", unitCost: 1, procurement: { mean: 3 } }, { name: "b", unitCost: 1, procurement: { mean: 4 } }] }) { __typename }`;
      for (const q of [
        aliases(1000, () => sup),
        aliases(1000, () => `competitor(asin: "B0LIMIT001") { forecast(horizonHours: 24) { model } }`),
        aliases(1000, () => `product(sku: "X") { forecast(horizonDays: 30) { model } }`),
        aliases(250, () => `skuPriorityMatrix { __typename }`),
      ]) {
        const t = Date.now();
        const r = await gql(s.url, s.apiKey, q);
        expect(r.status).toBe(400);
        expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 100_000 } });
        expect(r.errors?.[0].message).toMatch(/^Query complexity \d+ exceeds the limit of 100000/);
        expect(Date.now() - t).toBeLessThan(5000);
      }
      // The add-on's own batches stay inside: 2,000 aliased lookups, 1,000 aliased plans.
      const lookups = aliases(
        2000,
        (i) =>
          `competitor(asin: "B0X${i}") { asin title latestSnapshot { capturedAt stock stockIsLowerBound dealType dealQuantity dealClaimedPercent dealEndsAt source } }`,
      );
      expect((await gql(s.url, s.apiKey, lookups)).errors).toBeUndefined();
      const plans = aliases(
        1000,
        (i) =>
          `product(sku: "S${i}") { sku onHand replenishmentPlan { safetyStock reorderPoint orderQuantity orderByDate explanation { text } } }`,
      );
      expect((await gql(s.url, s.apiKey, plans)).errors).toBeUndefined();
    });

    it('refuses documents past 100,000 tokens at parse time (cheap aliases cannot flood validation)', async () => {
      const t = Date.now();
      const r = await gql(
        s.url,
        s.apiKey,
        aliases(60_000, () => '__typename'),
      );
      expect(r.status).toBe(400);
      expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(r.errors?.[0].message).toMatch(/more tha[nt] 100000 tokens/);
      expect(Date.now() - t).toBeLessThan(5000);
    });

    it('refuses a document over 2 MiB of comments (the token limit does not count comments)', async () => {
      const comments = `# ${'x'.repeat(1000)}\n`.repeat(15_000); // 15 MB
      const r = await gql(s.url, s.apiKey, `${comments}{ competitors { totalCount } }`);
      expect(r.status).toBe(400);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 2 * 1024 * 1024 } });
      expect(r.errors?.[0].message).toMatch(/Document of 15\d{6} bytes exceeds the limit of 2097152 bytes/);
      const small = await gql(s.url, s.apiKey, `${`# ${'x'.repeat(1000)}\n`.repeat(100)}{ competitors { totalCount } }`);
      expect(small.errors).toBeUndefined();
    }, 30_000);

    it.runIf(http)('refuses a JSON array of operations (one request, one operation, one budget)', async () => {
      const res = await post(JSON.stringify([{ query: '{ competitors { totalCount } }' }, { query: '{ products { totalCount } }' }]));
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/batching disabled/i);
    });

    it('bounds every page size argument to 1–500, naming the argument', async () => {
      const fields = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.some((a) => a.name === 'first'));
      expect(fields.length).toBeGreaterThanOrEqual(8);
      for (const f of fields) {
        const required = f.args.filter((a) => a.name !== 'first' && isNonNullType(a.type) && a.defaultValue === undefined);
        if (required.length) continue; // webhookDeliveries(webhookId!) is checked by hand below
        const sel = getNamedType(f.type).name.endsWith('Connection') ? '{ totalCount }' : '{ __typename }';
        for (const first of [501, 0, -1, 1_000_000]) {
          const r = await gql(s.url, s.apiKey, `{ r: ${f.name}(first: ${first}) ${sel} }`);
          expect(r.errors?.[0]?.extensions, `${f.name}(first: ${first})`).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
        }
      }
      const nested = await gql(s.url, s.apiKey, `{ competitors(first: 1) { edges { node { snapshots(first: 501) { totalCount } } } } }`);
      expect(nested.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const asins = await gql(s.url, s.apiKey, `query($a: [String!]) { competitors(asins: $a) { totalCount } }`, {
        a: Array.from({ length: 501 }, (_, i) => `B0${i}`),
      });
      expect(asins.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asins' });
    });

    it('bounds write batches to 10,000 items, all or nothing', async () => {
      const snaps = Array.from({ length: 10_001 }, (_, i) => ({
        asin: 'B0LIMIT001',
        capturedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        stock: 5,
      }));
      const before = await count('snapshot');
      const r = await gql(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: snaps });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
      expect(r.errors?.[0].message).toMatch(/10,?000/);
      expect(await count('snapshot')).toBe(before);
      await gqlOk(s.url, s.apiKey, `mutation { upsertProduct(input: { sku: "LIM-1", name: "n", unitCost: 1, price: 2 }) { id } }`);
      const sales = Array.from({ length: 10_001 }, (_, i) => ({
        sku: 'LIM-1',
        date: new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
        units: 1,
      }));
      const r2 = await gql(s.url, s.apiKey, `mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted } }`, { i: sales });
      expect(r2.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
      expect(await count('sales_day')).toBe(0);
    });

    it('gives bad input one shape, extensions.field with the input path, whichever layer found it', async () => {
      const snaps = Array.from({ length: 4 }, (_, i) => ({
        asin: 'B0SHAPE',
        capturedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
        stock: 5,
      }));
      const q = `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`;
      // graphql-js's variable coercion (HTTP 400) …
      const coercion = await gql(s.url, s.apiKey, q, { i: snaps.map((x, i) => (i === 3 ? { ...x, stock: 'many' } : x)) });
      expect(coercion.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[3].stock' });
      const missing = await gql(s.url, s.apiKey, q, { i: snaps.map((x, i) => (i === 2 ? { stock: 1, capturedAt: x.capturedAt } : x)) });
      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[2].asin' });
      // … and the service's own check name the input the same way.
      const service = await gql(s.url, s.apiKey, q, {
        i: snaps.map((x, i) => (i === 3 ? { ...x, capturedAt: '1990-01-01T00:00:00Z' } : x)),
      });
      expect(service.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[3].capturedAt' });
      expect(await count('snapshot')).toBe(0);
    });

    it('refuses the NUL character in any string, variable or literal (PostgreSQL cannot store it)', async () => {
      const v = await gql(s.url, s.apiKey, `mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
        i: { asin: 'B0NUL', title: 'a\u0000b' },
      });
      expect(v.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.title' } });
      const l = await gql(s.url, s.apiKey, `mutation { upsertCompetitor(input: { asin: "B0NUL", brand: "x\\u0000y" }) { id } }`);
      expect(l.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.brand' } });
      expect(await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0NUL") { id } }`)).toEqual({ competitor: null });
    });

    it.runIf(http)('answers 413 to a body over 16 MiB and 400 to a body that is not JSON', async () => {
      const res = await post(JSON.stringify({ query: `{ competitors(search: "${'x'.repeat(17 * 1024 * 1024)}") { totalCount } }` }));
      expect(res.status).toBe(413);
      expect(await res.text()).toMatch(/exceeds 16777216 bytes/);
      const bad = await post('{"query": [');
      expect(bad.status).toBe(400);
    });

    it.runIf(http)('prevents CSRF: simple cross-site requests (text/plain, form posts, plain GET) are refused', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await post(JSON.stringify({ query: '{ competitors { totalCount } }' }), { 'content-type': type });
        expect(res.status, type).toBe(400);
      }
      const get = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ competitors { totalCount } }')}`, {
        headers: { authorization: `Bearer ${s.apiKey}` },
      });
      expect(get.status).toBe(400);
      expect(await get.text()).toMatch(/CSRF/i);
      // A GET with the preflight header is a query only; a mutation over GET is refused.
      const m = await fetch(
        `${s.url}/graphql?query=${encodeURIComponent('mutation { upsertCompetitor(input: { asin: "B0GET" }) { id } }')}`,
        {
          headers: { authorization: `Bearer ${s.apiKey}`, 'apollo-require-preflight': 'true' },
        },
      );
      expect(m.status).toBe(405);
      expect(await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0GET") { id } }`)).toEqual({ competitor: null });
    });

    it('in production: no introspection and no field suggestions', async () => {
      const prod = await startTestServer({ databaseUrl, env: { NODE_ENV: 'production' } });
      try {
        for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Competitor") { fields { name } } }']) {
          const r = await gql(prod.url, prod.apiKey, q);
          expect(r.errors?.[0].message, q).toMatch(/introspection/i);
          expect(r.data).toBeNull();
        }
        const typo = await gql(prod.url, prod.apiKey, '{ competitor(asin: "x") { titel } }');
        expect(typo.errors?.[0].message).toMatch(/Cannot query field "titel"/);
        expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
        const dev = await gql(s.url, s.apiKey, '{ competitor(asin: "x") { titel } }');
        expect(dev.errors?.[0].message).toMatch(/Did you mean "title"/);
        // Variable coercion (an input field and an enum value misspelt) carries no hint either.
        const coercion = [
          [`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, { i: { asin: 'B0X', titel: 'x' } }],
          [`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, { i: { asin: 'B0X', tier: 'COR' } }],
        ] as const;
        for (const [q, v] of coercion) {
          const p = await gql(prod.url, prod.apiKey, q, v);
          expect(p.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
          expect(p.errors?.[0].message).not.toMatch(/Did you mean/);
          const d = await gql(s.url, s.apiKey, q, v);
          expect(d.errors?.[0].message).toMatch(/Did you mean/);
        }
      } finally {
        await t.closeAll();
        await prod.stop();
      }
    });
  });
});
