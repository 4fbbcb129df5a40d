/**
 * One workspace with data of every kind, created through the public API (plus AlertService.apply
 * for alerts, the evaluator's entry point). Every string is tagged so a response can be scanned
 * for anything of this workspace.
 */
import { createHash } from 'node:crypto';
import { gqlOk } from '../../helpers/gql';
import type { TestServer } from '../../helpers/server';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface Seeded {
  workspaceId: string;
  tag: string;
  asin: string;
  sku: string;
  supplierName: string;
  ids: Record<'competitor' | 'deal' | 'product' | 'supplier' | 'purchaseOrder' | 'scenario' | 'alert' | 'webhook' | 'promotion', string>;
  /** Strings that must never appear in another workspace's responses. */
  markers: string[];
}

export async function seedWorkspace(s: TestServer, key: string, tag: string, now = Date.now()): Promise<Seeded> {
  const ok = (q: string, v?: Record<string, unknown>) => gqlOk(s.url, key, q, v);
  const asin = `B0${tag}SECRET`.slice(0, 10).toUpperCase();
  const sku = `SKU-${tag}-SECRET`;
  const supplierName = `Supplier ${tag} secret`;
  const comp = await ok(`mutation($i: UpsertCompetitorInput!) { upsertCompetitor(input: $i) { id } }`, {
    i: { asin, title: `Title ${tag} secret`, brand: `Brand ${tag}`, tier: 'CORE' },
  });
  const start = Math.floor((now - 30 * H) / H) * H;
  const rows: object[] = [];
  for (let i = 0; i < 24; i++) rows.push({ asin, capturedAt: iso(start + i * H), stock: 500 - i * 3, price: 19.99, source: `src-${tag}` });
  for (let i = 0; i < 6; i++) {
    rows.push({
      asin,
      capturedAt: iso(start + (24 + i) * H),
      stock: 420 - i * 20,
      price: 14.99,
      source: `src-${tag}`,
      dealType: 'LIGHTNING',
      dealQuantity: 200,
      dealClaimedPercent: 10 * (i + 1),
      dealEndsAt: iso(start + 40 * H),
    });
  }
  await ok(`mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: rows });
  const deals = await ok(`{ competitor(asin: "${asin}") { deals(first: 5) { edges { node { id } } } } }`);
  const deal = deals.competitor.deals.edges[0]?.node.id;
  if (!deal) throw new Error(`seed ${tag}: no deal detected`);
  const sup = await ok(`mutation($i: UpsertSupplierInput!) { upsertSupplier(input: $i) { id } }`, {
    i: {
      name: supplierName,
      procurement: { mean: 5, sd: 1 },
      shipping: { mean: 10, sd: 2 },
      inbound: { mean: 2, sd: 0 },
      orderCost: 50,
      tiers: [{ minQuantity: 100, unitCost: 4 }],
    },
  });
  const prod = await ok(`mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
    i: { sku, name: `Product ${tag} secret`, unitCost: 5, price: 20, onHand: 100, supplierId: sup.upsertSupplier.id },
  });
  const day = (d: number) => iso(now - d * 24 * H).slice(0, 10);
  await ok(`mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted } }`, {
    i: Array.from({ length: 40 }, (_, d) => ({ sku, date: day(d + 1), units: 5 + (d % 4), inStock: true })),
  });
  const po = await ok(`mutation($i: RecordPurchaseOrderInput!) { recordPurchaseOrder(input: $i) { id } }`, {
    i: { sku, quantity: 300, expectedAt: iso(now + 10 * 24 * H), reference: `PO-${tag}`, supplierId: sup.upsertSupplier.id },
  });
  // Own-SKU ledgers: a receipt, an order, and listing readings around them.
  await ok(`mutation($i: RecordLedgerInput!) { recordLedger(input: $i) { stockReadings { inserted } } }`, {
    i: {
      stockMovements: [
        { sku, at: iso(now - 30 * H), quantity: 20, type: 'RECEIPT', reference: `MV-${tag}` },
        { sku, at: iso(now - 20 * H), quantity: -3, type: 'SALE', reference: `MVS-${tag}` },
      ],
      orderSales: [{ sku, orderId: `ORD-${tag}`, at: iso(now - 20 * H), units: 3 }],
      stockReadings: [
        { sku, at: iso(now - 48 * H), stock: 100, source: `src-${tag}` },
        { sku, at: iso(now - 2 * H), stock: 117, source: `src-${tag}` },
      ],
    },
  });
  const sc = await ok(`mutation($i: SaveProfitabilityScenarioInput!) { saveProfitabilityScenario(input: $i) { id } }`, {
    i: { name: `Scenario ${tag} secret`, scenario: { sku, horizonDays: 60 } },
  });
  const wh = await ok(`mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id secret } }`, {
    i: { url: `http://127.0.0.1:9/hook-${tag}`, minLevel: 'YELLOW' },
  });
  const promo = await ok(`mutation($i: RecordPromotionInput!) { recordPromotion(input: $i) { id } }`, {
    i: {
      sku,
      type: 'COUPON',
      start: iso(now - 20 * 24 * H).slice(0, 10),
      end: iso(now - 18 * 24 * H).slice(0, 10),
      discountPct: 10,
      note: `Promo ${tag} secret`,
    },
  });
  // A forecast run of each subject (the tracked configuration, stored as today's run).
  await ok(`{ product(sku: "${sku}") { forecast { model } } competitor(asin: "${asin}") { forecast { model } } }`);
  const workspaceId: string = (
    await s.db.manager.query(`SELECT workspace_id AS w FROM competitor WHERE id = ${s.db.param(1)}`, [comp.upsertCompetitor.id])
  )[0].w;
  const [ev] = await s.app.services.alerts.apply(workspaceId, [
    {
      action: 'RAISE',
      kind: 'COMPETITOR_RESTOCK',
      level: 'ORANGE',
      subjectType: 'COMPETITOR',
      subjectId: comp.upsertCompetitor.id,
      subjectLabel: `${asin} — ${tag} secret`,
      title: `Restock ${tag} secret`,
      message: `+400 units ${tag} secret`,
      explanation: { formula: 'restock', inputs: { quantity: 400 }, steps: [], notes: [] },
      at: new Date(now - H),
    },
  ]);
  const ids = {
    competitor: comp.upsertCompetitor.id,
    deal,
    product: prod.upsertProduct.id,
    supplier: sup.upsertSupplier.id,
    purchaseOrder: po.recordPurchaseOrder.id,
    scenario: sc.saveProfitabilityScenario.id,
    alert: ev.alert.id,
    webhook: wh.registerWebhook.id,
    promotion: promo.recordPromotion.id,
  };
  return {
    workspaceId,
    tag,
    asin,
    sku,
    supplierName,
    ids,
    markers: [
      ...Object.values(ids),
      asin,
      sku,
      supplierName,
      `${tag} secret`,
      `hook-${tag}`,
      wh.registerWebhook.secret,
      `src-${tag}`,
      `PO-${tag}`,
      `MV-${tag}`,
      `MVS-${tag}`,
      `ORD-${tag}`,
    ],
  };
}

/**
 * A stable digest of everything in the database that does not belong to `exceptWorkspace`:
 * every table, every row (rows with that workspace_id left out), sorted.
 */
export async function databaseDigest(s: TestServer, exceptWorkspace?: string, skipTables: string[] = []): Promise<Record<string, string>> {
  const tables: string[] =
    s.db.dialect === 'sqlite'
      ? (await s.db.manager.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map(
          (r: { name: string }) => r.name,
        )
      : (await s.db.manager.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`)).map(
          (r: { name: string }) => r.name,
        );
  const all: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables.sort()) if (!skipTables.includes(t)) all[t] = await s.db.manager.query(`SELECT * FROM "${t}"`);
  // Rows of the excepted workspace, and rows of child tables pointing at them (snapshot → competitor…).
  const theirs = new Set<string>();
  if (exceptWorkspace !== undefined) {
    theirs.add(String(exceptWorkspace));
    for (let pass = 0; pass < 3; pass++) {
      for (const rows of Object.values(all)) {
        for (const r of rows) {
          if (r.id === undefined || theirs.has(String(r.id))) continue;
          if (Object.entries(r).some(([k, v]) => k.endsWith('_id') && v !== null && theirs.has(String(v)))) theirs.add(String(r.id));
        }
      }
    }
  }
  const out: Record<string, string> = {};
  for (const [t, rows] of Object.entries(all)) {
    const kept = rows.filter(
      (r) => !Object.entries(r).some(([k, v]) => (k === 'id' || k.endsWith('_id')) && v !== null && theirs.has(String(v))),
    );
    out[t] = `${kept.length}:${hash(
      kept
        .map((r) => JSON.stringify(r, Object.keys(r).sort()))
        .sort()
        .join('\n'),
    )}`;
  }
  return out;
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}
