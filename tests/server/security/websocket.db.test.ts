/**
 * The WebSocket transport replays the findings of issue 16 on a production-mode server and shows
 * each refused as over HTTP: introspection and suggestions, complexity, depth, tokens, document
 * bytes, the NUL guard; queries and mutations run through the same pipeline; and the
 * per-connection limits (operations open at once, message size, connection_init timeout, a revoked
 * key's sockets closed).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gqlOk } from '../../helpers/gql';
import { describeDatabase } from '../../helpers/database';
import { until } from '../../helpers/receiver';
import { startTestServer, type TestServer } from '../../helpers/server';
import { wsSession, type WsSession } from '../../helpers/ws';

const aliases = (n: number, f: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f(i)}`).join(' ')} }`;

/** A raw graphql-transport-ws socket, for what the client library would not send. */
function rawSocket(url: string) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((r, j) => (ws.on('open', () => r()), ws.on('error', j)));
  return { ws, closed, opened };
}

describeDatabase('WebSocket transport: every protection of the HTTP path', (databaseUrl) => {
  let s: TestServer;
  let ws: WsSession;
  beforeAll(async () => {
    s = await startTestServer({
      databaseUrl,
      env: {
        NODE_ENV: 'production',
        RESTOCK_RADAR_WS_MAX_OPERATIONS: '3',
        RESTOCK_RADAR_WS_MAX_MESSAGE_BYTES: String(4 * 1024 * 1024),
        RESTOCK_RADAR_WS_INIT_TIMEOUT_MS: '300',
        RESTOCK_RADAR_WS_REAUTH_MS: '200',
        RESTOCK_RADAR_MAX_DEPTH: '5',
      },
    });
    ws = wsSession(s.url, s.apiKey);
  });
  afterAll(async () => {
    await ws?.close();
    await s?.stop();
  });

  it('refuses introspection and gives no "Did you mean" suggestions in production', async () => {
    for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Competitor") { fields { name } } }']) {
      const r = await ws.request(q);
      expect(r.errors?.[0].message, q).toMatch(/introspection/i);
      expect(r.data).toBeNull();
    }
    const typo = await ws.request('{ competitor(asin: "x") { titel } }');
    expect(typo.errors?.[0].message).toMatch(/Cannot query field "titel"/);
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
    const coercion = await ws.request(`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
      i: { asin: 'B0WS', tier: 'COR' },
    });
    expect(coercion.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.tier' } });
    expect(coercion.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('refuses over-budget operations (a million points, 1,000 aliased forecasts) before running them', async () => {
    const started = Date.now();
    const r = await ws.request(aliases(2000, () => `competitors(first: 500) { totalCount }`));
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 100_000 } });
    expect(r.errors?.[0].message).toMatch(/^Query complexity 1002000 exceeds the limit of 100000/);
    // Forecasts are priced by measured CPU (about 210 points each): 1,000 of them are refused, as over HTTP.
    const forecasts = await ws.request(aliases(1000, () => `product(sku: "X") { forecast(horizonDays: 30) { model } }`));
    expect(forecasts.errors?.[0].message).toMatch(/^Query complexity \d+ exceeds/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('applies the depth, token and document-size limits', async () => {
    const depth = await ws.request(`{ competitors { edges { node { snapshots { edges { node { stock } } } } } } }`);
    expect(depth.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 5, actual: 7 } });
    const tokens = await ws.request(aliases(60_000, () => '__typename'));
    expect(tokens.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(tokens.errors?.[0].message).toMatch(/more tha[nt] 100000 tokens/);
    const comments = await ws.request(`${`# ${'x'.repeat(1000)}\n`.repeat(3000)}{ __typename }`);
    expect(comments.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 2 * 1024 * 1024 } });
  });

  it('refuses U+0000 in variables and literals, and stores nothing', async () => {
    const v = await ws.request(`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
      i: { asin: 'B0WSNUL', title: 'a\u0000b' },
    });
    expect(v.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.title' } });
    const l = await ws.request(`mutation { upsertCompetitor(input: { asin: "B0WSNUL", brand: "x\\u0000y" }) { id } }`);
    expect(l.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.brand' } });
    expect(await gqlOk(s.url, s.apiKey, `{ competitor(asin: "B0WSNUL") { id } }`)).toEqual({ competitor: null });
  });

  it('runs queries and mutations through the same pipeline (the documented choice), with masked internal errors', async () => {
    const m = await ws.request<{ upsertCompetitor: { asin: string } }>(`mutation { upsertCompetitor(input: { asin: "B0WSOK" }) { asin } }`);
    expect(m).toMatchObject({ data: { upsertCompetitor: { asin: 'B0WSOK' } } });
    const q = await ws.request(`{ competitor(asin: "B0WSOK") { asin } }`);
    expect(q.data).toEqual({ competitor: { asin: 'B0WSOK' } });
    const bad = await ws.request(`mutation { upsertCompetitor(input: { asin: "" }) { id } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.asin' });
  });

  it('limits the operations open at once on one connection', async () => {
    const client = wsSession(s.url, s.apiKey);
    const subs: (() => void)[] = [];
    const errors: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      subs.push(
        client.client.subscribe(
          { query: `subscription { alertRaised { id } }` },
          { next: () => {}, error: (e) => errors.push(e), complete: () => {} },
        ),
      );
    }
    await until(() => errors.length > 0, 5000);
    expect(errors[0]).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOO_MANY_OPERATIONS', limit: 3 }) }),
    ]);
    subs.forEach((stop) => stop());
    await client.close();
  });

  it('closes a connection whose message exceeds the size limit (1009) or that never sends connection_init (4408)', async () => {
    const big = rawSocket(s.url);
    await big.opened;
    big.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${s.apiKey}` } }));
    big.ws.send(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ __typename }`, variables: { x: 'y'.repeat(5_000_000) } } }),
    );
    expect((await big.closed).code).toBe(1009);
    const silent = rawSocket(s.url);
    const t = Date.now();
    await silent.opened;
    expect(await silent.closed).toMatchObject({ code: 4408 });
    expect(Date.now() - t).toBeLessThan(2000);
    const stranger = rawSocket(s.url);
    await stranger.opened;
    stranger.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer rr_not_a_key' } }));
    expect((await stranger.closed).code).toBe(4403);
  });

  it('closes the open sockets of a key when it is revoked', async () => {
    const created = await s.app.services.workspaces.createKey('ws-revoke');
    const conn = rawSocket(s.url);
    await conn.opened;
    conn.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${created.key}` } }));
    await new Promise<void>((r) => conn.ws.once('message', () => r()));
    conn.ws.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: `subscription { alertRaised { id } }` } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(conn.ws.readyState).toBe(WebSocket.OPEN);
    expect(await s.app.services.workspaces.revoke(created.apiKey.prefix)).toBe(1);
    const closed = await Promise.race([conn.closed, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    expect(closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/revoked/) });
  });
});
