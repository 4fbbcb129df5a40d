/**
 * The demo workspace: a deterministic labelled scenario set from core/sim (lightning deals that
 * sell out or expire, decaying and steady drains, plateaus, restock batches, stockouts, censored
 * "10+"/"999+" readings, capture gaps), shifted so that it ends at the moment of seeding and looks
 * live. Loaded through the same services as the API, so it obeys every ingest rule.
 */
import { createRng } from '../../core/random';
import { generateScenarios } from '../../core/sim';
import { DAY_MS, HOUR_MS } from '../../core/series/types';
import type { Db } from '../db/db';
import { compose, type Services } from '../root';
import { Competitor, type CompetitorTier } from '../modules/competitor/competitor.entity';
import type { SnapshotInput } from '../modules/snapshot/snapshot.inputs';
import { AbcClass } from '../modules/product/product.entity';
import type { SalesInput } from '../modules/product/product.inputs';
import type { RecordLedgerInput } from '../modules/ledger/ledger.inputs';
import { MAX_BATCH } from '../modules/snapshot/snapshot.service';

/**
 * The demo's seed: chosen because its last hours hold live lightning deals (draining and about to
 * sell out) and announced ones, so every deal figure has something to show right after start.
 */
export const DEMO_SEED = 2026;

export interface DemoOptions {
  workspace: string;
  seed: number;
  competitors?: number;
  days?: number;
  /** End of the demo period (epoch ms); default now. */
  now?: number;
  progress?: (message: string) => void;
}

export interface DemoResult {
  key: string;
  competitors: number;
  snapshots: number;
  products: number;
}

export async function seedDemo(db: Db, opts: DemoOptions): Promise<DemoResult> {
  const count = opts.competitors ?? 36;
  const days = opts.days ?? 21;
  const { services, clock } = compose(db);
  const end = Math.floor((opts.now ?? clock.now()) / HOUR_MS) * HOUR_MS;
  const { workspaces, competitors, snapshots } = services;

  const existing = await workspaces.findByName(opts.workspace);
  if (existing && (await db.manager.count(Competitor, { where: { workspaceId: existing.id } })) > 0) {
    throw new Error(`workspace "${opts.workspace}" already has competitors; load the demo into a new workspace (--workspace NAME)`);
  }
  const { key, workspace } = await workspaces.createKey(opts.workspace, 'demo');
  const set = generateScenarios({ seed: opts.seed, competitors: count, days, start: end - days * 24 * HOUR_MS });
  opts.progress?.(`generated ${set.scenarios.length} competitors over ${days} days (seed ${opts.seed})`);

  let stored = 0;
  let batch: SnapshotInput[] = [];
  const flush = async () => {
    if (!batch.length) return;
    stored += (await snapshots.record(workspace.id, batch, end)).inserted;
    batch = [];
  };
  for (const [i, { meta, points }] of set.scenarios.entries()) {
    await competitors.upsert(workspace.id, {
      asin: meta.asin,
      marketplace: meta.marketplace,
      title: meta.title,
      brand: meta.brand,
      tier: meta.tier as CompetitorTier,
    });
    for (const p of points) {
      batch.push({
        asin: meta.asin,
        marketplace: meta.marketplace,
        capturedAt: new Date(p.at),
        stock: p.stock,
        stockIsLowerBound: p.stockIsLowerBound,
        price: p.price,
        listPrice: p.listPrice ?? null,
        dealType: p.dealType,
        dealQuantity: p.dealQuantity,
        dealClaimedPercent: p.dealClaimedPercent,
        dealStartsAt: p.dealStartsAt ? new Date(p.dealStartsAt) : null,
        dealEndsAt: p.dealEndsAt === null ? null : new Date(p.dealEndsAt),
        bsr: p.bsr,
        source: p.source,
      });
      if (batch.length === MAX_BATCH) await flush();
    }
    if ((i + 1) % 12 === 0 || i === set.scenarios.length - 1)
      opts.progress?.(`loaded ${i + 1}/${set.scenarios.length} competitors (${stored + batch.length} snapshots)`);
  }
  await flush();
  const products = await seedProducts(services, workspace.id, opts.seed, end);
  opts.progress?.(`loaded ${products} products with 120 days of sales, 2 suppliers and open purchase orders`);
  const ledgerRows = await seedLedgers(services, workspace.id, end);
  opts.progress?.(`loaded ${ledgerRows} ledger rows for 2 SKUs with a past own deal (one oversold)`);
  // Alert evaluation runs after each ingest: let it finish so the demo starts with its alerts in place.
  await services.alertEvaluator.idle();
  return { key, competitors: set.scenarios.length, snapshots: stored, products };
}

/** The demo's own SKUs: the kitchenware a seller of those competitors' categories would carry. */
const PRODUCTS = [
  {
    sku: 'RR-BOARD-XL',
    name: 'Bamboo cutting board XL',
    abc: 'A',
    cost: 6.4,
    price: 24.99,
    daily: 38,
    moq: 200,
    pack: 20,
    supplier: 'Ningbo Homeware',
  },
  {
    sku: 'RR-KNIFE-8',
    name: '8" chef\'s knife',
    abc: 'A',
    cost: 9.1,
    price: 39.99,
    daily: 22,
    moq: 100,
    pack: 10,
    supplier: 'Ningbo Homeware',
  },
  {
    sku: 'RR-PEELER',
    name: 'Y-peeler, 2 pack',
    abc: 'B',
    cost: 1.2,
    price: 8.99,
    daily: 15,
    moq: 500,
    pack: 50,
    supplier: 'Shenzhen Kitchen Co',
  },
  {
    sku: 'RR-GARLIC',
    name: 'Stainless garlic press',
    abc: 'B',
    cost: 2.8,
    price: 14.99,
    daily: 9,
    moq: 200,
    pack: 25,
    supplier: 'Shenzhen Kitchen Co',
  },
  {
    sku: 'RR-SCALE',
    name: 'Digital kitchen scale',
    abc: 'B',
    cost: 5.5,
    price: 21.99,
    daily: 7,
    moq: 100,
    pack: 10,
    supplier: 'Shenzhen Kitchen Co',
  },
  {
    sku: 'RR-MAT-SET',
    name: 'Silicone baking mats, set of 3',
    abc: 'C',
    cost: 3.1,
    price: 16.99,
    daily: 3,
    moq: 100,
    pack: 20,
    supplier: 'Ningbo Homeware',
  },
  {
    sku: 'RR-SHARPEN',
    name: 'Knife sharpener',
    abc: 'C',
    cost: 2.2,
    price: 11.99,
    daily: 1.2,
    moq: 100,
    pack: 20,
    supplier: 'Ningbo Homeware',
  },
  {
    sku: 'RR-TIMER',
    name: 'Magnetic kitchen timer',
    abc: 'C',
    cost: 0.9,
    price: 6.99,
    daily: 0.4,
    moq: 200,
    pack: 50,
    supplier: 'Shenzhen Kitchen Co',
  },
] as const;

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

async function seedProducts(services: Services, workspaceId: string, seed: number, end: number): Promise<number> {
  const rng = createRng(seed ^ 0x5eed);
  await services.suppliers.upsert(workspaceId, {
    name: 'Ningbo Homeware',
    procurement: { mean: 12, sd: 3 },
    shipping: { mean: 24, sd: 5 },
    inbound: { mean: 4, sd: 1.5 },
    onTimeRate: 0.82,
    orderCost: 180,
  });
  await services.suppliers.upsert(workspaceId, {
    name: 'Shenzhen Kitchen Co',
    procurement: { mean: 7, sd: 1 },
    shipping: { mean: 5, sd: 1 },
    inbound: { mean: 2, sd: 0.5 },
    onTimeRate: 0.96,
    orderCost: 120,
  });
  const today = Math.floor(end / DAY_MS) * DAY_MS;
  const sales: SalesInput[] = [];
  for (const [i, p] of PRODUCTS.entries()) {
    // Weekly pattern (weekend peak), a slow trend, noise; a few out-of-stock days (sales 0, flagged).
    const outStart = 40 + i * 9;
    let sold90 = 0;
    for (let d = 120; d >= 1; d--) {
      const day = today - d * DAY_MS;
      const dow = new Date(day).getUTCDay();
      const weekly = dow === 0 || dow === 6 ? 1.35 : 0.86;
      const trend = 1 + (120 - d) * 0.002;
      const out = d <= 120 - outStart && d > 120 - outStart - (i % 3 === 0 ? 3 : 0);
      const mean = p.daily * weekly * trend;
      const units = out ? 0 : Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
      if (d <= 90) sold90 += units;
      sales.push({ sku: p.sku, date: isoDay(day), units, inStock: !out });
    }
    await services.products.upsert(workspaceId, {
      sku: p.sku,
      name: p.name,
      unitCost: p.cost,
      price: p.price,
      abcClass: AbcClass[p.abc],
      // Some SKUs are comfortable, some near or below their reorder point (so plans differ).
      onHand: Math.round((sold90 / 90) * [55, 12, 30, 8, 45, 70, 20, 200][i]),
      moq: p.moq,
      casePack: p.pack,
      storageLimit: Math.round(p.daily * 150),
      supplier: p.supplier,
    });
  }
  await services.products.recordSales(workspaceId, sales);
  await services.products.recordPurchaseOrder(workspaceId, {
    sku: 'RR-KNIFE-8',
    quantity: 600,
    expectedAt: new Date(today + 9 * DAY_MS),
    supplier: 'Ningbo Homeware',
    reference: 'PO-1042',
  });
  await services.products.recordPurchaseOrder(workspaceId, {
    sku: 'RR-PEELER',
    quantity: 1000,
    expectedAt: new Date(today + 4 * DAY_MS),
    supplier: 'Shenzhen Kitchen Co',
    reference: 'PO-1043',
  });
  return PRODUCTS.length;
}

/**
 * Own-SKU ledgers (warehouse movements, order-system sales, listing readings every 4 h) for two
 * SKUs with a past own lightning deal. RR-BOARD-XL's deal, five days ago, reconciles cleanly.
 * RR-PEELER's, ending a day ago, sold 55 units with 48 on hand: the listing shows −7 after the deal and
 * the ledger agrees, so the reconciliation is RED (NEGATIVE_STOCK, NEGATIVE_LEDGER_BALANCE) and
 * stays open until stock is received.
 */
async function seedLedgers(services: Services, workspaceId: string, end: number): Promise<number> {
  const input: RecordLedgerInput = { stockMovements: [], orderSales: [], stockReadings: [] };
  const ledger = (sku: string, from: number, opening: number, deal: { start: number; hourly: number[] }) => {
    let stock = opening;
    let order = 0;
    const sell = (at: number, units: number) => {
      order += 1;
      stock -= units;
      input.orderSales.push({ sku, orderId: `${sku}-${order}`, at: new Date(at), units });
      input.stockMovements.push({ sku, at: new Date(at), quantity: -units, type: 'SALE', reference: `WMS-${sku}-${order}` });
    };
    const read = (at: number, dealEndsAt: number | null) =>
      input.stockReadings.push({
        sku,
        at: new Date(at),
        stock,
        stockIsLowerBound: false,
        source: 'sp-api',
        dealType: dealEndsAt ? 'LIGHTNING' : 'NONE',
        dealEndsAt: dealEndsAt ? new Date(dealEndsAt) : null,
      });
    const dealEnd = deal.start + deal.hourly.length * HOUR_MS;
    input.stockMovements.push({ sku, at: new Date(from - HOUR_MS), quantity: opening, type: 'RECEIPT', reference: `ASN-${sku}` });
    for (let t = from; t <= end - 2 * HOUR_MS; t += 4 * HOUR_MS) {
      if (t === deal.start) {
        // The deal: a reading every hour while it runs, the units of each hour sold after it.
        deal.hourly.forEach((units, h) => {
          read(t + h * HOUR_MS, dealEnd);
          sell(t + h * HOUR_MS + 30 * 60_000, units);
        });
        read(dealEnd, null);
        t = dealEnd;
        continue;
      }
      read(t, null);
      if (stock > 0) sell(t + HOUR_MS, Math.min(stock, 2));
    }
  };
  ledger('RR-BOARD-XL', end - 8 * DAY_MS, 240, { start: end - 5 * DAY_MS, hourly: [30, 26, 20, 14] });
  ledger('RR-PEELER', end - 4 * DAY_MS, 80, { start: end - DAY_MS - 4 * HOUR_MS, hourly: [18, 16, 12, 7] });
  const r = await services.ledger.record(workspaceId, input, end);
  return r.stockMovements.inserted + r.orderSales.inserted + r.stockReadings.inserted;
}
