/**
 * Hostile suite: workspace B's key tries every way in to workspace A's data. Attempts are generated
 * from the live schema (every Query/Mutation field with an ID, sku, asin, subject or name argument),
 * so a field added later is attacked automatically; inputs that embed ids are attacked by hand.
 * Passes when no response of B contains anything of A and A's rows are byte-for-byte unchanged.
 * The generated and hand-made attacks run over both transports, HTTP and the WebSocket.
 */
import { createClient } from 'graphql-ws';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gql, type GqlResponse, gqlOk } from '../../helpers/gql';
import { transport, TRANSPORTS, wsSession } from '../../helpers/ws';
import { WorkspaceService } from '../../../server/modules/workspace/workspace.service';
import { startTestServer, type TestServer } from '../../helpers/server';
import { databaseDigest, type Seeded, seedWorkspace } from './seed';
import { describeDatabase } from '../../helpers/database';

/** Argument names that address one thing of a workspace, besides every argument of type ID. */
const ADDRESSING = new Set(['id', 'asin', 'asins', 'sku', 'subjectId', 'webhookId', 'supplierId', 'competitorId', 'name', 'search']);

interface Attempt {
  field: string;
  operation: 'query' | 'mutation';
  arg: string;
  value: unknown;
  text: string;
}

/**
 * Leaf selection for a type: its scalar fields without required arguments, one level into objects;
 * an interface (Node) selects each implementing type's fields through an inline fragment, aliased
 * by type so that same-named fields of different types do not conflict.
 */
function selection(type: GraphQLNamedType, depth = 0, schema?: GraphQLSchema, alias = ''): string {
  if (isInterfaceType(type) && schema)
    return [
      '__typename',
      ...schema.getPossibleTypes(type).map((t) => `... on ${t.name} { ${selection(t, depth, schema, `${t.name}_`)} }`),
    ].join(' ');
  if (!isObjectType(type)) return '';
  const parts: string[] = ['__typename'];
  const name = (f: string) => (alias ? `${alias}${f}: ${f}` : f);
  for (const f of Object.values((type as GraphQLObjectType).getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const t = getNamedType(f.type);
    if (isScalarType(t) || isEnumType(t)) parts.push(name(f.name));
    else if (depth < 2 && isObjectType(t) && (depth === 0 || /Connection$|Edge$/.test(type.name))) {
      // Connections (edges → node) are followed to their nodes; other objects one level deep.
      const inner = selection(t, depth + 1);
      if (inner) parts.push(`${name(f.name)} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

/** A plain valid value for a required argument that is not under attack. */
function filler(arg: GraphQLArgument): unknown {
  const t = getNamedType(arg.type);
  const v = isEnumType(t)
    ? t.getValues()[0].value
    : t.name === 'Int' || t.name === 'Float'
      ? 1
      : t.name === 'Boolean'
        ? false
        : isScalarType(t)
          ? 'x'
          : undefined;
  return isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type) ? [v] : v;
}

function typeString(arg: GraphQLArgument): string {
  return arg.type.toString();
}

function attempts(schema: GraphQLSchema, values: (arg: GraphQLArgument) => unknown[], uncovered: string[]): Attempt[] {
  const out: Attempt[] = [];
  for (const operation of ['query', 'mutation'] as const) {
    const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    for (const field of Object.values(root.getFields()) as GraphQLField<unknown, unknown>[]) {
      const targets = field.args.filter((a) => getNamedType(a.type).name === 'ID' || ADDRESSING.has(a.name));
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      if (!targets.length) {
        // Fields addressing A only through an input object are attacked by hand (see below).
        if (required.some((a) => isInputObjectType(getNamedType(a.type)))) uncovered.push(field.name);
        continue;
      }
      const sel = selection(getNamedType(field.type), 0, schema);
      for (const target of targets) {
        for (const value of values(target)) {
          const others = required.filter((a) => a !== target);
          if (others.some((a) => filler(a) === undefined)) {
            uncovered.push(field.name);
            continue;
          }
          const vars = [target, ...others];
          const text = `${operation}(${vars.map((a) => `$${a.name}: ${typeString(a)}`).join(', ')}) { r: ${field.name}(${vars
            .map((a) => `${a.name}: $${a.name}`)
            .join(', ')})${sel ? ` { ${sel} }` : ''} }`;
          out.push({ field: field.name, operation, arg: target.name, value, text });
        }
      }
    }
  }
  return out;
}

describeDatabase('workspace isolation: the key of B against everything of A', (databaseUrl) => {
  let s: TestServer;
  let keyB: string;
  let A: Seeded;
  let B: Seeded;
  let schema: GraphQLSchema;
  let digestA: Record<string, string>;

  const leaks = (r: GqlResponse, allowed: unknown): string[] => {
    const body = JSON.stringify({ data: r.data, errors: r.errors });
    const echo = JSON.stringify(allowed ?? null);
    return A.markers.filter((m) => body.includes(m) && !echo.includes(m));
  };
  const vars = (a: Attempt, s2: GraphQLSchema) => {
    const root = a.operation === 'query' ? s2.getQueryType()! : s2.getMutationType()!;
    const field = root.getFields()[a.field];
    const v: Record<string, unknown> = { [a.arg]: a.value };
    for (const arg of field.args)
      if (arg.name !== a.arg && isNonNullType(arg.type) && arg.defaultValue === undefined) v[arg.name] = filler(arg);
    return v;
  };
  const valuesFor =
    (who: Seeded) =>
    (arg: GraphQLArgument): unknown[] => {
      const list = isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type);
      const base =
        getNamedType(arg.type).name === 'ID' || arg.name === 'id'
          ? Object.values(who.ids)
          : arg.name === 'subjectId'
            ? [who.ids.competitor, who.ids.product, who.sku]
            : arg.name === 'asin' || arg.name === 'asins'
              ? [who.asin]
              : arg.name === 'sku'
                ? [who.sku]
                : arg.name === 'name'
                  ? [who.supplierName]
                  : [who.asin, who.sku, `${who.tag} secret`];
      return list ? base.map((x) => [x]) : base;
    };

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl, env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' } }); // webhooks point at loopback
    keyB = await s.newKey('intruder');
    A = await seedWorkspace(s, s.apiKey, 'aa');
    B = await seedWorkspace(s, keyB, 'bb');
    const intro = await gqlOk<IntrospectionQuery>(s.url, s.apiKey, getIntrospectionQuery());
    schema = buildClientSchema(intro);
  }, 60_000);
  afterAll(async () => s?.stop());

  it('the generated read attempts reach A with A’s key (so B’s empty answers mean something)', async () => {
    const uncovered: string[] = [];
    const reads = attempts(schema, valuesFor(A), uncovered).filter((a) => a.operation === 'query');
    const hitFields = new Set<string>();
    for (const a of reads) {
      const r = await gql(s.url, s.apiKey, a.text, vars(a, schema));
      const value = r.data?.r as { edges?: unknown[] } | null;
      if (value && (!value.edges || value.edges.length > 0)) hitFields.add(a.field);
    }
    // Every query field that addresses a workspace's rows finds A's with A's key.
    for (const f of [
      'competitor',
      'competitors',
      'deal',
      'product',
      'products',
      'supplier',
      'alert',
      'alerts',
      'purchaseOrders',
      'webhookDeliveries',
      'reconciliation',
      'promotions',
    ]) {
      if (schema.getQueryType()!.getFields()[f]) expect.soft(hitFields.has(f), `A reaches its own data through ${f}`).toBe(true);
    }
    digestA = await databaseDigest(s, B.workspaceId, ['api_key']);
  }, 60_000);

  it.each(TRANSPORTS)(
    'every Query and Mutation field with an addressing argument gives B nothing of A and changes nothing (over %s)',
    async (via) => {
      const t = transport(via);
      const uncovered: string[] = [];
      const all = attempts(schema, valuesFor(A), uncovered);
      expect(all.length).toBeGreaterThan(100);
      // Fields reaching rows only through an input object: each is attacked by hand in the next test
      // or carries no reference to stored rows. A new one fails here until it is classified.
      const byHand = [
        'upsertProduct',
        'upsertSupplier',
        'recordPurchaseOrder',
        'recordSales',
        'compareSuppliers',
        'profitabilityScenario',
        'updateAlertRule',
        'createAlertRule',
        'recordSnapshots',
        'saveProfitabilityScenario',
        'upsertCompetitor',
        'registerWebhook',
        'eoq',
        'recordLedger',
        'recordPromotion',
        'updatePromotion',
      ];
      expect([...new Set(uncovered)].filter((f) => !byHand.includes(f))).toEqual([]);
      const bad: string[] = [];
      for (const a of all) {
        const r = await t.gql(s.url, keyB, a.text, vars(a, schema));
        const leaked = leaks(r, a.value);
        if (leaked.length) bad.push(`${a.field}(${a.arg}: ${JSON.stringify(a.value)}) leaked ${leaked.join(', ')}`);
        const codes = (r.errors ?? []).map((e) => e.extensions?.code);
        if (codes.some((c) => c === 'INTERNAL_SERVER_ERROR')) bad.push(`${a.field}(${a.arg}) → internal error ${r.errors?.[0].message}`);
        if (codes.some((c) => c === 'GRAPHQL_VALIDATION_FAILED')) bad.push(`${a.field}: generated query invalid: ${r.errors?.[0].message}`);
        const value = r.data?.r as unknown;
        // Single rows must come back null (or false); filtered lists empty; plain arrays carry no A data (checked above).
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const edges = (value as { edges?: unknown[] }).edges;
          if (!edges) bad.push(`${a.field}(${a.arg}) answered ${JSON.stringify(value).slice(0, 120)}`);
          else if (edges.length) bad.push(`${a.field}(${a.arg}: ${JSON.stringify(a.value)}) listed ${edges.length} rows`);
        }
        if (value && typeof value === 'object' && 'id' in value && Object.values(A.ids).includes((value as { id: string }).id))
          bad.push(`${a.field} returned A's row`);
        // Mutations that found nothing must say NOT_FOUND (or reject the input), never succeed.
        if (a.operation === 'mutation' && !r.errors?.length && value !== false)
          bad.push(`${a.field}(${a.arg}) succeeded for B: ${JSON.stringify(value).slice(0, 120)}`);
        if (a.operation === 'mutation' && r.errors?.length) {
          expect.soft(['NOT_FOUND', 'BAD_USER_INPUT'], `${a.field}(${a.arg})`).toContain(codes[0]);
        }
      }
      await t.closeAll();
      expect(bad).toEqual([]);
      expect(await databaseDigest(s, B.workspaceId, ['api_key'])).toEqual(digestA);
    },
    120_000,
  );

  it.each(TRANSPORTS)('A’s ids embedded in B’s inputs are refused as unknown, and A’s rows do not change (over %s)', async (via) => {
    const t = transport(via);
    const tries: [string, Record<string, unknown>][] = [
      [
        `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id supplier { name } } }`,
        { i: { sku: 'B-NEW-1', name: 'x', unitCost: 1, supplierId: A.ids.supplier } },
      ],
      [
        `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id supplier { name } } }`,
        { i: { sku: 'B-NEW-1', name: 'x', unitCost: 1, supplier: A.supplierName } },
      ],
      [`mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id name } }`, { i: { id: A.ids.supplier, name: 'renamed by B' } }],
      [
        `mutation($i: RecordPurchaseOrderInput!) { recordPurchaseOrder(input: $i) { id } }`,
        { i: { sku: A.sku, quantity: 1, expectedAt: new Date().toISOString() } },
      ],
      [
        `mutation($i: RecordPurchaseOrderInput!) { recordPurchaseOrder(input: $i) { id } }`,
        { i: { sku: B.sku, quantity: 1, expectedAt: new Date().toISOString(), supplierId: A.ids.supplier } },
      ],
      [
        `mutation($i: RecordPromotionInput!) { recordPromotion(input: $i) { id } }`,
        { i: { sku: A.sku, type: 'COUPON', start: '2027-01-01', end: '2027-01-02' } },
      ],
      [
        `mutation($i: UpdatePromotionInput!) { updatePromotion(input: $i) { id note } }`,
        { i: { id: A.ids.promotion, note: 'changed by B' } },
      ],
      [
        `mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted updated } }`,
        { i: [{ sku: A.sku, date: '2026-01-01', units: 999 }] },
      ],
      [
        `mutation($i: RecordLedgerInput!) { recordLedger(input: $i) { stockReadings { inserted } } }`,
        {
          i: {
            stockReadings: [
              { sku: B.sku, at: new Date().toISOString(), stock: 1 },
              { sku: A.sku, at: new Date().toISOString(), stock: -5 },
            ],
          },
        },
      ],
      [
        `mutation($i: RecordLedgerInput!) { recordLedger(input: $i) { orderSales { inserted } } }`,
        { i: { orderSales: [{ sku: A.sku, orderId: 'ORD-bb-x', at: new Date().toISOString(), units: 9 }] } },
      ],
      [
        `query($i: CompareSuppliersInput!) { compareSuppliers(input: $i) { __typename } }`,
        { i: { sku: B.sku, suppliers: [{ supplierId: A.ids.supplier }, { supplierId: B.ids.supplier }] } },
      ],
      [
        `query($i: ProfitabilityScenarioInput!) { profitabilityScenario(input: $i) { __typename } }`,
        { i: { sku: A.sku, horizonDays: 30 } },
      ],
      [
        `query($i: CompareSuppliersInput!) { compareSuppliers(input: $i) { __typename } }`,
        { i: { sku: A.sku, suppliers: [{ supplierId: B.ids.supplier }, { name: 'n', unitCost: 1, procurement: { mean: 3 } }] } },
      ],
    ];
    if (schema.getMutationType()!.getFields().updateAlertRule) {
      tries.push([`mutation($i: UpdateAlertRuleInput!) { updateAlertRule(input: $i) { id } }`, { i: { id: A.ids.alert, name: 'x' } }]);
      tries.push([
        `mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { id } }`,
        { i: { kind: 'COMPETITOR_RESTOCK', name: 'x', scope: { type: 'COMPETITOR', competitorId: A.ids.competitor } } },
      ]);
    }
    for (const [q, v] of tries) {
      const r = await t.gql(s.url, keyB, q, v);
      expect(leaks(r, v), q).toEqual([]);
      expect(r.errors?.[0]?.extensions?.code, `${q} ${JSON.stringify(v)}`).toMatch(/^(NOT_FOUND|BAD_USER_INPUT)$/);
    }
    await t.closeAll();
    expect(await databaseDigest(s, B.workspaceId, ['api_key'])).toEqual(digestA);
  });

  it('the same asin, sku or scenario name in B creates B’s own rows and never touches A’s', async () => {
    const r = await gqlOk(s.url, keyB, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted duplicates } }`, {
      i: [{ asin: A.asin, capturedAt: new Date(Date.now() - 3_600_000).toISOString(), stock: 7, source: 'bb-own' }],
    });
    expect(r.recordSnapshots).toEqual({ inserted: 1, duplicates: 0 });
    const own = await gqlOk(
      s.url,
      keyB,
      `{ competitor(asin: "${A.asin}") { id title latestSnapshot { stock source } snapshots(first: 50) { totalCount } deals(first: 5) { totalCount } } }`,
    );
    expect(own.competitor).toMatchObject({
      title: null,
      latestSnapshot: { stock: 7, source: 'bb-own' },
      snapshots: { totalCount: 1 },
      deals: { totalCount: 0 },
    });
    expect(own.competitor.id).not.toBe(A.ids.competitor);
    await gqlOk(s.url, keyB, `mutation($i: SaveProfitabilityScenarioInput!) { saveProfitabilityScenario(input: $i) { id } }`, {
      i: { name: 'Scenario aa secret', scenario: { sku: B.sku, horizonDays: 30 } },
    });
    expect(await databaseDigest(s, B.workspaceId, ['api_key'])).toEqual(digestA);
    const mine = await gqlOk(s.url, s.apiKey, `{ competitor(asin: "${A.asin}") { id snapshots(first: 100) { totalCount } } }`);
    expect(mine.competitor).toEqual({ id: A.ids.competitor, snapshots: { totalCount: 30 } });
  });

  it('A’s cursors in B’s lists page B’s own rows only', async () => {
    const lists = ['competitors', 'products', 'suppliers', 'alerts', 'purchaseOrders', 'profitabilityScenarios', 'webhooks'];
    for (const l of lists) {
      const a = await gqlOk(s.url, s.apiKey, `{ ${l}(first: 1) { edges { cursor } } }`);
      const cursor = a[l].edges[0]?.cursor;
      expect(cursor, l).toBeTruthy();
      for (const c of [cursor, Buffer.from(JSON.stringify({ id: A.ids.competitor })).toString('base64')]) {
        const r = await gql(s.url, keyB, `query($c: String) { ${l}(first: 500, after: $c) { edges { node { __typename } } } }`, { c });
        expect(leaks(r, c), l).toEqual([]);
      }
    }
    const deals = await gqlOk(
      s.url,
      s.apiKey,
      `{ competitor(asin: "${A.asin}") { deals(first: 1) { edges { cursor } } snapshots(first: 1) { edges { cursor } } } }`,
    );
    for (const c of [deals.competitor.deals.edges[0].cursor, deals.competitor.snapshots.edges[0].cursor]) {
      const r = await gql(
        s.url,
        keyB,
        `query($c: String) { competitors(first: 500) { edges { node { deals(first: 5, after: $c) { edges { node { id } } } } } } }`,
        { c },
      );
      expect(leaks(r, c)).toEqual([]);
    }
  });

  it('secrets stay secret: keys stored only as hashes, webhook secrets never returned after creation, revoked keys refused', async () => {
    const keys: { hash: string }[] = await s.db.manager.query(`SELECT * FROM api_key`);
    const dump = JSON.stringify(keys);
    for (const k of [s.apiKey, keyB]) expect(dump).not.toContain(k);
    const secret = A.markers[A.markers.indexOf(`hook-${A.tag}`) + 1];
    const own = await gql(s.url, s.apiKey, `{ webhooks(first: 50) { edges { node { ${selection(schema.getType('Webhook')!)} } } } }`);
    expect(own.errors).toBeUndefined();
    expect(JSON.stringify(own.data)).not.toContain(secret);
    const extra = await s.newKey('revoked-ws');
    expect((await gql(s.url, extra, `{ competitors { totalCount } }`)).errors).toBeUndefined();
    const prefix: string = (
      await s.db.manager.query(`SELECT k.prefix FROM api_key k JOIN workspace w ON w.id = k.workspace_id WHERE w.name = 'revoked-ws'`)
    )[0].prefix;
    expect(await new WorkspaceService(s.db).revoke(prefix)).toBe(1);
    const r = await gql(s.url, extra, `{ competitors { totalCount } }`);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Over the WebSocket the revoked key cannot connect either (4403 Forbidden at connection_init).
    await expect(wsSession(s.url, extra).request(`{ competitors { totalCount } }`)).rejects.toThrow(/4403/);
  });

  it('B’s subscription receives none of A’s alert events; A’s own subscription does', async () => {
    const wsUrl = s.url.replace(/^http/, 'ws') + '/graphql';
    const sub = (key: string) => {
      const got: unknown[] = [];
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        lazy: false,
      });
      let ready!: () => void;
      const started = new Promise<void>((res) => (ready = res));
      client.on('connected', () => setTimeout(ready, 50));
      const stop = client.subscribe(
        {
          query: `subscription { alertRaised(minLevel: YELLOW, types: [RAISED, ESCALATED, RESOLVED]) { id alert { id subjectId title } } }`,
        },
        {
          next: (v) => got.push(v),
          error: () => {},
          complete: () => {},
        },
      );
      return { got, started, close: async () => (stop(), await client.dispose()) };
    };
    const b = sub(keyB);
    const a = sub(s.apiKey);
    await Promise.all([a.started, b.started]);
    await s.app.services.alerts.apply(A.workspaceId, [
      {
        action: 'RAISE',
        kind: 'DATA_STALE',
        level: 'RED',
        subjectType: 'COMPETITOR',
        subjectId: A.ids.competitor,
        subjectLabel: `${A.asin} aa secret`,
        title: 'Stale aa secret',
        message: 'aa secret',
        explanation: { formula: 'f', inputs: {}, steps: [], notes: [] },
        at: new Date(),
      },
    ]);
    const end = Date.now() + 5000;
    while (a.got.length < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 150));
    expect(a.got.length).toBeGreaterThanOrEqual(1);
    expect(b.got).toEqual([]);
    await a.close();
    await b.close();
  });
});
