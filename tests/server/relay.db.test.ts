/**
 * Relay conventions over the real server: every list pages forward (first/after) and backward
 * (last/before) to the same items in the same order, with PageInfo flags and cursors that agree;
 * bad paging arguments are BAD_USER_INPUT naming the argument; node(id)/nodes(ids) refetch every
 * Node type and never another workspace's object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../helpers/gql';
import { receiver, until } from '../helpers/receiver';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ARGS = '$first: Int, $after: String, $last: Int, $before: String';
const PASS = 'first: $first, after: $after, last: $last, before: $before';
const CONN = 'edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';

interface Conn {
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** A list under test: its query (taking the four paging variables) and where its connection sits in the answer. */
interface List {
  name: string;
  query: string;
  vars?: Record<string, unknown>;
  pick: (data: any) => Conn;
}

const pageOf = async (s: TestServer, key: string, list: List, paging: Record<string, unknown>): Promise<Conn> =>
  list.pick(await gqlOk(s.url, key, list.query, { ...list.vars, ...paging }));

/** Walks the list forward in pages of `size`, checking each page's PageInfo; returns the cursors in order. */
async function walkForward(s: TestServer, key: string, list: List, size: number, total: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page: Conn = await pageOf(s, key, list, { first: size, after });
    const cursors = page.edges.map((e) => e.cursor);
    expect(page.totalCount).toBe(total);
    expect(page.pageInfo.startCursor).toBe(cursors[0] ?? null);
    expect(page.pageInfo.endCursor).toBe(cursors.at(-1) ?? null);
    expect(page.pageInfo.hasPreviousPage).toBe(seen.length > 0);
    seen.push(...cursors);
    expect(page.pageInfo.hasNextPage).toBe(seen.length < total);
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error(`${list.name}: forward walk did not end`);
}

/** Walks the list backward from its end in pages of `size`; returns the cursors in list order. */
async function walkBackward(s: TestServer, key: string, list: List, size: number, total: number): Promise<string[]> {
  let seen: string[] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page: Conn = await pageOf(s, key, list, { last: size, before });
    const cursors = page.edges.map((e) => e.cursor);
    expect(page.totalCount).toBe(total);
    expect(page.pageInfo.startCursor).toBe(cursors[0] ?? null);
    expect(page.pageInfo.endCursor).toBe(cursors.at(-1) ?? null);
    expect(page.pageInfo.hasNextPage).toBe(seen.length > 0);
    seen = [...cursors, ...seen];
    expect(page.pageInfo.hasPreviousPage).toBe(seen.length < total);
    if (!page.pageInfo.hasPreviousPage) return seen;
    before = page.pageInfo.startCursor;
  }
  throw new Error(`${list.name}: backward walk did not end`);
}

describeDatabase('Relay paging and Node refetch', (databaseUrl) => {
  let s: TestServer;
  let other: string;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const ids: Record<string, string[]> = {};
  const lists: List[] = [];
  const now = Date.now();

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl, env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' }, dispatcher: { pollMs: 25 } });
    other = await s.newKey('other');
    hook = await receiver();
    const ok = (q: string, v?: Record<string, unknown>) => gqlOk(s.url, s.apiKey, q, v);
    const wsId: string = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
    const seven = Array.from({ length: 7 }, (_, i) => i);
    ids.Competitor = [];
    for (const i of seven)
      ids.Competitor.push(
        (await ok(`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, { i: { asin: `B0PAGE00${i}` } }))
          .upsertCompetitor.id,
      );
    await ok(`mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, {
      i: Array.from({ length: 8 }, (_, h) => ({ asin: 'B0PAGE003', capturedAt: iso(now - (10 - h) * H), stock: 100 - h, price: 9.99 })),
    });
    ids.Supplier = [];
    for (const i of seven)
      ids.Supplier.push(
        (
          await ok(`mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id } }`, {
            i: {
              name: `Supplier ${i}`,
              procurement: { mean: 5, sd: 1 },
              shipping: { mean: 10, sd: 2 },
              inbound: { mean: 2, sd: 0 },
              orderCost: 50,
            },
          })
        ).upsertSupplier.id,
      );
    ids.Product = [];
    for (const i of seven)
      ids.Product.push(
        (
          await ok(`mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
            i: { sku: `SKU-${i}`, name: `P${i}`, unitCost: 5, price: 20, onHand: 50 },
          })
        ).upsertProduct.id,
      );
    // Purchase orders and stock movements with equal times: the id breaks the tie in both directions.
    ids.PurchaseOrder = [];
    for (const i of seven)
      ids.PurchaseOrder.push(
        (
          await ok(`mutation($i: RecordPurchaseOrderInput!) { recordPurchaseOrder(input: $i) { id } }`, {
            i: { sku: 'SKU-0', quantity: 10 + i, expectedAt: iso(now + (10 + (i % 3)) * 24 * H) },
          })
        ).recordPurchaseOrder.id,
      );
    await ok(`mutation($i: RecordLedgerInput!) { recordLedger(input: $i) { stockReadings { inserted } } }`, {
      i: {
        stockMovements: seven.map((i) => ({
          sku: 'SKU-1',
          at: iso(now - (5 + (i % 2)) * H),
          quantity: i + 1,
          type: 'RECEIPT',
          reference: `MV-${i}`,
        })),
      },
    });
    ids.SavedProfitabilityScenario = [];
    for (const i of seven)
      ids.SavedProfitabilityScenario.push(
        (
          await ok(`mutation($i: SaveProfitabilityScenarioInput!) { saveProfitabilityScenario(input: $i) { id } }`, {
            i: { name: `Scenario ${i}`, scenario: { sku: 'SKU-2', horizonDays: 30 } },
          })
        ).saveProfitabilityScenario.id,
      );
    ids.Webhook = [];
    for (const i of seven)
      ids.Webhook.push(
        (
          await ok(`mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }`, {
            i: { url: i === 0 ? hook.url : `${hook.url}-${i}`, kinds: i === 0 ? [] : ['DATA_STALE'] },
          })
        ).registerWebhook.id,
      );
    // Seven alerts, two pairs opened at the same instant; each is delivered to webhook 0.
    const events = await s.app.services.alerts.apply(
      wsId,
      seven.map((i) => ({
        action: 'RAISE' as const,
        kind: 'COMPETITOR_RESTOCK' as const,
        level: 'YELLOW' as const,
        subjectType: 'COMPETITOR' as const,
        subjectId: `page-${i}`,
        subjectLabel: `page ${i}`,
        title: 'Competitor restocked',
        message: `+${i} units`,
        explanation: { formula: 'restock', inputs: {}, steps: [], notes: [] },
        at: new Date(now - H * Math.floor(i / 2)),
      })),
    );
    ids.Alert = events.map((e) => e.alert.id);
    await until(() => hook.got.length >= 7, 20_000);
    await until(
      async () =>
        (
          await ok(`query($id: ID!) { webhookDeliveries(webhookId: $id, first: 500) { edges { node { ok } } } }`, { id: ids.Webhook[0] })
        ).webhookDeliveries.edges.filter((e: any) => e.node.ok).length === 7,
      20_000,
    );
    ids.AlertRuleRow = (await ok(`{ alertRules(first: 500) { edges { node { id } } } }`)).alertRules.edges.map((e: any) => e.node.id);

    const top = (field: string, args = '') => ({
      name: field,
      query: `query(${ARGS}) { l: ${field}(${PASS}${args}) { ${CONN} } }`,
      pick: (d: any) => d.l,
    });
    lists.push(
      top('competitors'),
      top('products'),
      top('suppliers'),
      top('alerts'),
      top('alertRules'),
      top('webhooks'),
      top('purchaseOrders'),
      top('profitabilityScenarios'),
      {
        name: 'webhookDeliveries',
        query: `query(${ARGS}, $id: ID!) { l: webhookDeliveries(webhookId: $id, ${PASS}) { ${CONN} } }`,
        vars: { id: ids.Webhook[0] },
        pick: (d) => d.l,
      },
      {
        name: 'snapshots',
        query: `query(${ARGS}) { competitor(asin: "B0PAGE003") { l: snapshots(${PASS}) { ${CONN} } } }`,
        pick: (d) => d.competitor.l,
      },
      {
        name: 'stockMovements',
        query: `query(${ARGS}) { product(sku: "SKU-1") { l: stockMovements(${PASS}) { ${CONN} } } }`,
        pick: (d) => d.product.l,
      },
    );
  });
  afterAll(async () => {
    await hook?.close();
    await s?.stop();
  });

  describe('paging', () => {
    it('every list walks forward and backward to the same items as one big page, with consistent PageInfo', async () => {
      for (const list of lists) {
        const all = await pageOf(s, s.apiKey, list, { first: 500 });
        const total = all.totalCount;
        expect(total, list.name).toBeGreaterThanOrEqual(5);
        const cursors = all.edges.map((e) => e.cursor);
        expect(cursors.length, list.name).toBe(total);
        expect(all.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: cursors[0], endCursor: cursors.at(-1) });
        for (const size of [2, 3]) {
          expect(await walkForward(s, s.apiKey, list, size, total), `${list.name} forward by ${size}`).toEqual(cursors);
          expect(await walkBackward(s, s.apiKey, list, size, total), `${list.name} backward by ${size}`).toEqual(cursors);
        }
        // The page just before an item's cursor ends right before it, also from the middle of the list.
        const mid = await pageOf(s, s.apiKey, list, { last: 2, before: cursors[3] });
        expect(
          mid.edges.map((e) => e.cursor),
          list.name,
        ).toEqual(cursors.slice(1, 3));
        expect(mid.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
        // Past the end: an empty page that still knows what lies before it.
        const end = await pageOf(s, s.apiKey, list, { first: 2, after: cursors.at(-1) });
        expect(end).toMatchObject({
          edges: [],
          pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
        });
      }
    });

    it('lists keep their documented order whichever way they are paged', async () => {
      const asins = (d: any) => d.competitors.edges.map((e: any) => e.node.asin);
      const q = `query(${ARGS}) { competitors(${PASS}) { edges { node { asin } } } }`;
      const forward = asins(await gqlOk(s.url, s.apiKey, q, { first: 3 }));
      const backward = asins(await gqlOk(s.url, s.apiKey, q, { last: 3 }));
      expect(forward).toEqual(['B0PAGE000', 'B0PAGE001', 'B0PAGE002']);
      expect(backward).toEqual(['B0PAGE004', 'B0PAGE005', 'B0PAGE006']);
      const opened = (d: any) => d.alerts.edges.map((e: any) => Date.parse(e.node.openedAt));
      const alerts = opened(await gqlOk(s.url, s.apiKey, `{ alerts(last: 7) { edges { node { openedAt } } } }`));
      expect(alerts).toEqual([...alerts].sort((a, b) => b - a)); // newest first, also when paged from the end
    });

    it('refuses bad paging arguments naming the argument, on every list', async () => {
      const foreign = (await pageOf(s, s.apiKey, lists[1], { first: 1 })).pageInfo.endCursor; // a products cursor
      const cases: [Record<string, unknown>, string][] = [
        [{ first: 2, last: 2 }, 'last'],
        [{ after: 'x', before: 'y' }, 'before'],
        [{ first: 2, before: foreign }, 'before'],
        [{ last: 2, after: foreign }, 'after'],
        [{ last: 0 }, 'last'],
        [{ last: 501 }, 'last'],
        [{ first: 501 }, 'first'],
        [{ before: 'not-a-cursor' }, 'before'],
        [{ last: 1, before: Buffer.from('["competitors"]').toString('base64url') }, 'before'],
      ];
      for (const list of lists)
        for (const [paging, field] of [...cases, [{ after: list.name === 'products' ? 'eA' : foreign }, 'after'] as const]) {
          const r = await gql(s.url, s.apiKey, list.query, { ...list.vars, ...paging });
          expect(r.errors?.[0].extensions, `${list.name} ${JSON.stringify(paging)}`).toMatchObject({ code: 'BAD_USER_INPUT', field });
        }
    });
  });

  describe('Node', () => {
    const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;
    const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Competitor { asin } ... on Product { sku } } }`;

    it('node(id) refetches every Node type of the workspace', async () => {
      for (const [type, list] of Object.entries(ids)) {
        for (const id of list.slice(0, 2)) {
          expect((await gqlOk(s.url, s.apiKey, NODE, { id })).node, type).toEqual({ __typename: type, id });
        }
      }
      const all = Object.values(ids).flat();
      expect(all.length).toBeGreaterThan(50);
      const got = (await gqlOk(s.url, s.apiKey, NODES, { ids: all.slice(0, 100) })).nodes;
      expect(got.map((n: any) => n?.id)).toEqual(all.slice(0, 100));
      expect(got[0]).toEqual({ __typename: 'Competitor', id: ids.Competitor[0], asin: 'B0PAGE000' });
    });

    it('another workspace gets null for every id, exactly like an id that never existed', async () => {
      const all = Object.values(ids).flat();
      for (const [type, list] of Object.entries(ids)) {
        expect((await gqlOk(s.url, other, NODE, { id: list[0] })).node, type).toBeNull();
      }
      const missing = '00000000-0000-4000-8000-000000000000';
      const r = await gqlOk(s.url, other, NODES, { ids: [...all, missing] });
      expect(r.nodes).toEqual(Array(all.length + 1).fill(null));
      expect((await gqlOk(s.url, s.apiKey, NODE, { id: missing })).node).toBeNull();
    });

    it('nodes(ids) costs at most one statement per Node type, however many ids', async () => {
      // The lookups by id: other statements of the process (the webhook dispatcher polls every 25 ms) are not counted.
      const lookups = async (list: string[]) => {
        const seen: string[] = [];
        const log = s.db.counter.logQuery.bind(s.db.counter);
        s.db.counter.logQuery = (q: string) => {
          if (/"id" IN \(/.test(q)) seen.push(q);
          log(q);
        };
        try {
          await gqlOk(s.url, s.apiKey, NODES, { ids: list });
        } finally {
          s.db.counter.logQuery = log;
        }
        return seen.length;
      };
      const all = Object.values(ids).flat();
      const one = await lookups([ids.SavedProfitabilityScenario[0]]); // a type looked in last
      const many = await lookups([...all, ...all].slice(0, 100));
      expect(one).toBe(8); // one IN (…) per Node type
      expect(many).toBe(8);
      expect(await lookups([ids.Competitor[0]])).toBe(1); // found in the first type looked in: no more lookups
    });

    it('refuses malformed ids and more than 100 ids naming the argument', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        [NODE, { id: 'B0PAGE000' }, 'id'],
        [NODES, { ids: [ids.Competitor[0], 'nope'] }, 'ids[1]'],
        [NODES, { ids: Array(101).fill(ids.Competitor[0]) }, 'ids'],
      ];
      for (const [q, v, field] of cases) {
        const r = await gql(s.url, s.apiKey, q, v);
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });
  });
});
