/**
 * Bad-input fuzzing of every mutation over both transports, real HTTP and the WebSocket (graphql-ws). Starting from a valid input (accepted first,
 * as a control), one leaf is replaced by a hostile value chosen by fast-check (fixed seed in
 * tests/setup.ts): negative, huge, fractional or non-finite numbers (a raw `1e309` in the JSON body
 * is how Infinity can arrive; NaN cannot be written in JSON and arrives as null), out-of-range or
 * malformed dates, empty/oversized/injection strings in identifier fields, unknown enums, wrong
 * types, null for required fields, duplicates. Each must be refused with an error naming the field
 * (BAD_USER_INPUT for values, coercion/validation errors for types) and leave the database as it was.
 * Free-text fields, where SQL or HTML is legitimate content, must store it verbatim instead.
 */
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gqlOk } from '../../helpers/gql';
import { transport, type TransportName, TRANSPORTS } from '../../helpers/ws';
import { startTestServer, type TestServer } from '../../helpers/server';
import { databaseDigest } from './seed';
import { describeDatabase } from '../../helpers/database';

const H = 3_600_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** A value written into the JSON body as raw text (1e309 parses as Infinity on the server). */
class Raw {
  constructor(readonly text: string) {}
  toJSON() {
    return `__raw:${this.text}__`;
  }
}
const INF = new Raw('1e309');
const NEG_INF = new Raw('-1e309');

const SQL = `'; DROP TABLE competitor; --`;
const HTML = `<script>alert(1)</script><img src=x onerror=alert(1)>`;

interface Case {
  mutation: string;
  /** The operation text; $i is the input under test. */
  query: string;
  argType: string;
  base: () => unknown;
  /** Leaves (dot paths, [n] for list items) that are free text: SQL/HTML there is content, not an attack. */
  freeText?: string[];
  /** Leaves naming the workspace's own identifiers (SKUs): any printable text, but never empty, blank or oversized. */
  looseIds?: string[];
  /** Leaf → hostile values the domain accepts (documented exceptions). */
  accepts?: Record<string, unknown[]>;
}

const CASES: Case[] = [
  {
    mutation: 'upsertCompetitor',
    argType: 'UpsertCompetitorInput!',
    query: `mutation($i: UpsertCompetitorInput!) { r: upsertCompetitor(input: $i) { id } }`,
    base: () => ({ asin: 'B0FUZZ0001', marketplace: 'US', title: 'Fuzz board', brand: 'Fz', tier: 'CORE' }),
    freeText: ['title', 'brand'],
  },
  {
    mutation: 'recordSnapshots',
    argType: '[SnapshotInput!]!',
    query: `mutation($i: [SnapshotInput!]!) { r: recordSnapshots(input: $i) { inserted duplicates } }`,
    base: () => [
      {
        asin: 'B0FUZZ0001',
        marketplace: 'US',
        capturedAt: iso(NOW - 2 * H),
        stock: 40,
        stockIsLowerBound: false,
        price: 9.99,
        listPrice: 12.5,
        dealType: 'LIGHTNING',
        dealQuantity: 100,
        dealClaimedPercent: 20,
        dealEndsAt: iso(NOW + 4 * H),
        bsr: 1200,
        offerCount: 3,
        rating: 4.5,
        reviewCount: 80,
        source: 'fuzz',
      },
    ],
    freeText: ['[0].source'],
    // Idempotent on (competitor, capturedAt): a repeated row is counted as a duplicate, by contract.
    accepts: { '': ['duplicate'] },
  },
  {
    mutation: 'upsertSupplier',
    argType: 'UpsertSupplierInput!',
    query: `mutation($i: UpsertSupplierInput!) { r: upsertSupplier(input: $i) { id } }`,
    freeText: ['name'],
    base: () => ({
      name: 'Fuzz supplier',
      procurement: { mean: 3, sd: 1 },
      shipping: { mean: 10, sd: 2 },
      inbound: { mean: 1, sd: 0 },
      orderCost: 25,
      onTimeRate: 0.9,
      lateDelayDays: 2,
      maxLeadTimeDays: 30,
      tiers: [
        { minQuantity: 100, unitCost: 4 },
        { minQuantity: 500, unitCost: 3.5 },
      ],
    }),
  },
  {
    mutation: 'upsertProduct',
    argType: 'UpsertProductInput!',
    query: `mutation($i: UpsertProductInput!) { r: upsertProduct(input: $i) { id } }`,
    base: () => ({
      sku: 'FZ-1',
      name: 'Fuzz product',
      unitCost: 4.2,
      price: 12,
      onHand: 30,
      abcClass: 'A',
      casePack: 6,
      moq: 12,
      storageLimit: 1000,
      supplier: 'Fuzz supplier',
    }),
    freeText: ['name'],
    looseIds: ['sku'],
    // An empty supplier name is "not given": the product keeps its supplier (omitted fields keep their value).
    accepts: { supplier: [''] },
  },
  {
    mutation: 'recordSales',
    argType: '[SalesInput!]!',
    query: `mutation($i: [SalesInput!]!) { r: recordSales(input: $i) { inserted updated } }`,
    base: () => [
      { sku: 'FZ-1', date: iso(NOW - 48 * H).slice(0, 10), units: 4, inStock: true },
      { sku: 'FZ-1', date: iso(NOW - 24 * H).slice(0, 10), units: 0, inStock: false },
    ],
    looseIds: ['[0].sku', '[1].sku'],
  },
  {
    mutation: 'recordLedger',
    argType: 'RecordLedgerInput!',
    query: `mutation($i: RecordLedgerInput!) { r: recordLedger(input: $i) { stockReadings { inserted duplicates } } }`,
    base: () => ({
      stockMovements: [{ sku: 'FZ-1', at: iso(NOW - 30 * H), quantity: 10, type: 'RECEIPT', reference: 'ASN-1' }],
      orderSales: [{ sku: 'FZ-1', orderId: 'ORD-1', at: iso(NOW - 20 * H), units: 2 }],
      stockReadings: [
        {
          sku: 'FZ-1',
          at: iso(NOW - 10 * H),
          stock: 38,
          stockIsLowerBound: false,
          source: 'fuzz',
          dealType: 'LIGHTNING',
          dealEndsAt: iso(NOW + 2 * H),
        },
      ],
    }),
    freeText: ['stockMovements[0].reference', 'stockReadings[0].source'],
    looseIds: ['stockMovements[0].sku', 'orderSales[0].sku', 'stockReadings[0].sku', 'orderSales[0].orderId'],
    // An oversold listing shows negative stock: a reading of −1 is data, not an attack.
    accepts: { 'stockReadings[0].stock': [-1] },
  },
  {
    mutation: 'recordPurchaseOrder',
    argType: 'RecordPurchaseOrderInput!',
    query: `mutation($i: RecordPurchaseOrderInput!) { r: recordPurchaseOrder(input: $i) { id } }`,
    base: () => ({ sku: 'FZ-1', quantity: 120, expectedAt: iso(NOW + 7 * 24 * H), reference: 'PO-1', supplier: 'Fuzz supplier' }),
    freeText: ['reference'],
    looseIds: ['sku'],
    accepts: { supplier: [''] },
  },
  {
    mutation: 'saveProfitabilityScenario',
    argType: 'SaveProfitabilityScenarioInput!',
    query: `mutation($i: SaveProfitabilityScenarioInput!) { r: saveProfitabilityScenario(input: $i) { id } }`,
    looseIds: ['scenario.sku'],
    base: () => ({
      name: 'Fuzz plan',
      scenario: {
        sku: 'FZ-1',
        horizonDays: 60,
        price: 12,
        orderCost: 25,
        onHand: 10,
        maxQuantity: 2000,
        demand: { dailyMean: 5, dailySd: 2 },
      },
    }),
    freeText: ['name'],
  },
  {
    mutation: 'registerWebhook',
    argType: 'RegisterWebhookInput!',
    query: `mutation($i: RegisterWebhookInput!) { r: registerWebhook(input: $i) { id } }`,
    base: () => ({ url: 'http://127.0.0.1:9/fuzz', kinds: ['COMPETITOR_RESTOCK'], minLevel: 'ORANGE' }),
    // kinds is a set: a repeated kind is stored once.
    accepts: { kinds: [['COMPETITOR_RESTOCK', 'COMPETITOR_RESTOCK']] },
  },
  {
    mutation: 'createAlertRule',
    argType: 'CreateAlertRuleInput!',
    query: `mutation($i: CreateAlertRuleInput!) { r: createAlertRule(input: $i) { id } }`,
    base: () => ({
      name: 'Fuzz rule',
      kind: 'CONSUMPTION_DEVIATION',
      scope: { type: 'TIER', tier: 'CORE' },
      k: 2.5,
      debouncePeriods: 2,
      escalateAfterPeriods: 3,
      exclusions: [{ subjectId: 'FZ-1', from: iso(NOW - 24 * H), to: iso(NOW + 24 * H), reason: 'Prime Day', knownEvent: true }],
      quietHours: { startMinute: 1320, endMinute: 420, utcOffsetMinutes: 60 },
      enabled: true,
    }),
    freeText: ['name', 'exclusions[0].reason'],
    looseIds: ['exclusions[0].subjectId'],
  },
  {
    mutation: 'updateAlertRule',
    argType: 'UpdateAlertRuleInput!',
    query: `mutation($i: UpdateAlertRuleInput!) { r: updateAlertRule(input: $i) { id } }`,
    base: () => ({
      id: fuzzRuleId,
      name: 'Fuzz rule (edited)',
      scope: { type: 'COMPETITOR', competitorId: fuzzRuleCompetitor },
      selloutWithinHours: 12,
      escalateAfterPeriods: 2,
      exclusions: [{ from: iso(NOW), to: iso(NOW + 48 * H), reason: 'migration', knownEvent: false }],
    }),
    freeText: ['name', 'exclusions[0].reason'],
  },
  {
    mutation: 'recordPromotion',
    argType: 'RecordPromotionInput!',
    query: `mutation($i: RecordPromotionInput!) { r: recordPromotion(input: $i) { id } }`,
    // A fresh period on every call: the valid input is accepted on both transports (promotions of one sku may not overlap).
    base: () => {
      const start = NOW + (30 + 20 * promotionWindow++) * 24 * H;
      return {
        sku: 'FZ-PROMO',
        type: 'COUPON',
        start: day(start),
        end: day(start + 3 * 24 * H),
        discountPct: 15,
        quantity: 100,
        note: 'fuzz',
      };
    },
    freeText: ['note'],
    looseIds: ['sku'],
  },
  {
    mutation: 'updatePromotion',
    argType: 'UpdatePromotionInput!',
    query: `mutation($i: UpdatePromotionInput!) { r: updatePromotion(input: $i) { id } }`,
    base: () => ({ id: fuzzPromotionId, type: 'PRICE_DISCOUNT', discountPct: 10, quantity: 50, note: 'edited' }),
    freeText: ['note'],
  },
];

/** Id of the promotion updatePromotion's cases edit (created in beforeAll), and recordPromotion's next period. */
let fuzzPromotionId = '';
let promotionWindow = 0;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Id of the rule updateAlertRule's cases edit (created in beforeAll). */
let fuzzRuleId = '';
let fuzzRuleCompetitor = '';

interface Sent {
  status: number;
  data?: { r?: unknown } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

type Leaf = { path: (string | number)[]; type: GraphQLInputType };

/** Every leaf of a value, with its GraphQL input type, following the value's shape. */
function leaves(schema: GraphQLSchema, type: GraphQLInputType, value: unknown, path: (string | number)[] = []): Leaf[] {
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) {
    const out: Leaf[] = [{ path, type }];
    (value as unknown[]).forEach((v, i) => out.push(...leaves(schema, t.ofType, v, [...path, i])));
    return out;
  }
  if (isInputObjectType(t)) {
    const out: Leaf[] = path.length ? [{ path, type }] : [];
    for (const [k, f] of Object.entries(t.getFields())) {
      if (value && typeof value === 'object' && k in (value as object))
        out.push(...leaves(schema, f.type, (value as Record<string, unknown>)[k], [...path, k]));
      else if (isNonNullType(f.type) && f.defaultValue === undefined) out.push({ path: [...path, k], type: f.type });
    }
    return out;
  }
  return [{ path, type }];
}

const pathText = (p: (string | number)[]) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');

/** Hostile values for a leaf of this type. */
function hostile(type: GraphQLInputType, key: string, free: boolean, loose = false): unknown[] {
  const required = isNonNullType(type);
  const inner = required ? (type as { ofType: GraphQLInputType }).ofType : type;
  const named = getNamedType(type);
  const v: unknown[] = [];
  if (required) v.push(null);
  if (isListType(inner)) return [...v, 'not a list', 42];
  if (isInputObjectType(named)) return [...v, 'not an object', 7];
  if (isEnumType(named)) return [...v, 'BOGUS_VALUE', named.getValues()[0].value.toLowerCase(), 3];
  switch (named.name) {
    case 'Int':
      return [...v, -1, -2_147_483_648, 2_147_483_648, 1.5, INF, NEG_INF, '12', true];
    case 'Float':
      return [...v, -1, -1e15, 1e15, INF, NEG_INF, '1.5', false];
    case 'DateTime':
      return [
        ...v,
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
        '1970-01-01T00:00:00Z',
        '2026-02-30T00:00:00Z',
        'yesterday',
        1_700_000_000,
        '',
      ];
    case 'Boolean':
      return [...v, 'true', 1];
    case 'ID':
      return [...v, '', SQL, `00000000-0000-0000-0000-000000000000`, 123.5];
    default: // String
      if (key === 'date') return [...v, '2026-13-01', '2026-02-30', '1999-12-31', '9999-01-01', '01/02/2026', SQL, ''];
      if (free) return [...v, 'x'.repeat(100_000), 'a\u0000b'];
      if (loose) return [...v, '', '   ', 'x'.repeat(100_000), 'a\u0000b', 17];
      return [...v, '', '   ', SQL, HTML, 'x'.repeat(100_000), 'a\u0000b', 17];
  }
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
  return copy;
}

describeDatabase('bad-input fuzzing of every mutation', (databaseUrl) => {
  let s: TestServer;
  let schema: GraphQLSchema;
  const ws = transport('ws');
  /** One attempt over HTTP (raw JSON body) or the WebSocket (graphql-ws client; raw text through RawTextSocket). */
  const send = async (via: TransportName, query: string, input: unknown) => {
    if (via === 'ws') return ws.gql(s.url, s.apiKey, query, { i: input }) as Promise<Sent>;
    const body = JSON.stringify({ query, variables: { i: input } }).replace(/"__raw:([^"]*)__"/g, '$1');
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.apiKey}` },
      body,
    });
    return { status: res.status, ...(JSON.parse(await res.text()) as Omit<Sent, 'status'>) };
  };

  /** Waits until work started in the background by an accepted write (alert evaluation) has landed. */
  const settle = async () => {
    let prev = JSON.stringify(await databaseDigest(s, undefined, ['api_key']));
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const cur = JSON.stringify(await databaseDigest(s, undefined, ['api_key']));
      if (cur === prev) return;
      prev = cur;
    }
    throw new Error('the database kept changing for 5 s after the control write');
  };

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl, env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' } }); // webhooks point at loopback
    schema = buildClientSchema(await gqlOk<IntrospectionQuery>(s.url, s.apiKey, getIntrospectionQuery()));
    fuzzRuleCompetitor = (await gqlOk(s.url, s.apiKey, `mutation { upsertCompetitor(input: { asin: "B0FUZZBASE" }) { id } }`))
      .upsertCompetitor.id;
    fuzzRuleId = (
      await gqlOk(s.url, s.apiKey, `mutation { createAlertRule(input: { name: "Fuzz target", kind: SELLOUT_IMMINENT }) { id } }`)
    ).createAlertRule.id;
    await gqlOk(
      s.url,
      s.apiKey,
      `mutation { upsertProduct(input: { sku: "FZ-PROMO", name: "Fuzz promo", unitCost: 2, price: 5 }) { id } }`,
    );
    fuzzPromotionId = (
      await gqlOk(
        s.url,
        s.apiKey,
        `mutation { recordPromotion(input: { sku: "FZ-PROMO", type: OTHER, start: "2026-01-01", end: "2026-01-03" }) { id } }`,
      )
    ).recordPromotion.id;
  });
  afterAll(async () => {
    await ws.closeAll();
    await s?.stop();
  });

  it('covers every mutation that takes an input object or list (new ones must be added here)', () => {
    const withInput = Object.values(schema.getMutationType()!.getFields())
      .filter((f) => f.args.some((a) => a.name === 'input'))
      .map((f) => f.name);
    expect(withInput.filter((m) => !CASES.some((c) => c.mutation === m))).toEqual([]);
  });

  for (const via of TRANSPORTS)
    for (const c of CASES) {
      it(`${c.mutation} over ${via}: the valid input is accepted, then 40 hostile variants are refused naming the field and change nothing`, async () => {
        const okRun = await send(via, c.query, c.base());
        expect(okRun.errors, JSON.stringify(okRun.errors)).toBeUndefined();
        await settle();
        const field = schema.getMutationType()!.getFields()[c.mutation];
        const argType = field.args.find((a) => a.name === 'input')!.type;
        const all: { path: (string | number)[]; value: unknown }[] = [];
        for (const leaf of leaves(schema, argType, c.base())) {
          const key = String([...leaf.path].reverse().find((x) => typeof x === 'string') ?? '');
          const free = c.freeText?.includes(pathText(leaf.path)) ?? false;
          const loose = c.looseIds?.includes(pathText(leaf.path)) ?? false;
          for (const value of hostile(leaf.type, key, free, loose)) all.push({ path: leaf.path, value });
        }
        // Duplicates inside one batch and the empty batch.
        const base = c.base();
        if (Array.isArray(base)) all.push({ path: [], value: [...base, base[0]] }, { path: [], value: [] });
        const tiers = (base as { tiers?: unknown[] }).tiers;
        if (tiers) all.push({ path: ['tiers'], value: [tiers[0], tiers[0]] });
        const kinds = (base as { kinds?: unknown[] }).kinds;
        if (kinds) all.push({ path: ['kinds'], value: [kinds[0], kinds[0]] });
        const failures: string[] = [];
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...all), async ({ path, value }) => {
            const before = await databaseDigest(s, undefined, ['api_key']);
            const r = await send(via, c.query, setAt(c.base(), path, value));
            const label = `${c.mutation} ${pathText(path) || '(input)'} = ${JSON.stringify(value)?.slice(0, 60)}`;
            const isDup = path.length === 0 && Array.isArray(value) && value.length > (base as unknown[]).length;
            if (!r.errors?.length) {
              // Whatever was accepted may start background work (alert evaluation): let it land first.
              await settle();
              if (isDup && c.accepts?.['']?.includes('duplicate')) return; // documented contract
              if (path.length === 0 && Array.isArray(value) && value.length === 0) return; // an empty batch is a no-op
              if (c.accepts?.[pathText(path)]?.some((a) => JSON.stringify(a) === JSON.stringify(value))) return;
              failures.push(`${label}: accepted → ${JSON.stringify(r.data)}`);
              return;
            }
            const e = r.errors[0];
            const code = e.extensions?.code;
            const leafName = String([...path].reverse().find((x) => typeof x === 'string') ?? 'input');
            const named = String(e.extensions?.field ?? '') + ' ' + e.message;
            if (!['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(String(code)))
              failures.push(`${label}: code ${code}: ${e.message}`);
            // One shape whichever layer refused it: every BAD_USER_INPUT names the input path in
            // extensions.field (variable coercion included: "$i" … at "i[0].stock" becomes input[0].stock).
            else if (code === 'BAD_USER_INPUT' && !/^input\b/.test(String(e.extensions?.field ?? '')))
              failures.push(`${label}: BAD_USER_INPUT without an input path in extensions.field: ${JSON.stringify(e.extensions)}`);
            else if (!named.includes(leafName) && !named.includes('input'))
              failures.push(`${label}: error does not name ${leafName}: ${e.message}`);
            if (e.message.length > 2000) failures.push(`${label}: error message of ${e.message.length} characters`);
            const after = await databaseDigest(s, undefined, ['api_key']);
            if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${label}: database changed despite the error`);
          }),
          { numRuns: 40 },
        );
        expect(failures).toEqual([]);
      }, 60_000);
    }

  it('free-text fields store SQL and HTML verbatim (no injection, no mangling)', async () => {
    const title = `${SQL} ${HTML}`;
    await gqlOk(s.url, s.apiKey, `mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
      i: { asin: 'B0FUZZTEXT', title, brand: HTML },
    });
    const r = await gqlOk(
      s.url,
      s.apiKey,
      `{ competitor(asin: "B0FUZZTEXT") { title brand } competitors(search: "DROP TABLE") { totalCount } }`,
    );
    expect(r).toEqual({ competitor: { title, brand: HTML }, competitors: { totalCount: 1 } });
    expect(Number((await s.db.manager.query(`SELECT COUNT(*) AS n FROM competitor`))[0].n)).toBeGreaterThanOrEqual(3);
  });
});
