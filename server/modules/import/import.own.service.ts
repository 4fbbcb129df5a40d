/**
 * Writes a parsed Amazon report (import.own.ts) for the workspace's own SKUs through the product and
 * ledger services, so every rule of theirs applies. A line of a SKU the workspace lacks is rejected with
 * its reason: a product needs its unit cost, which Amazon's reports do not carry. Interfaces name the
 * methods used of each service.
 */
import { DAY_MS } from '../../../core/series/types';
import type { Clock } from '../../clock';
import type { Page } from '../../graphql/connection';
import type { RecordLedgerInput, RecordLedgerResult } from '../ledger/ledger.inputs';
import type { PurchaseOrder } from '../product/product.entity';
import type {
  PurchaseOrdersArgs,
  RecordPurchaseOrderInput,
  RecordSalesResult,
  SalesInput,
  UpsertProductInput,
} from '../product/product.inputs';
import { type InventoryLine, type OrderLine, type OwnReport, parseOwnReport } from './import.own';

export interface OwnProductSink {
  bySku(workspaceId: string, sku: string): Promise<{ id: string } | null>;
  upsert(workspaceId: string, input: UpsertProductInput): Promise<unknown>;
  recordSales(workspaceId: string, input: SalesInput[]): Promise<RecordSalesResult>;
  listPurchaseOrders(workspaceId: string, args: PurchaseOrdersArgs): Promise<Page<PurchaseOrder>>;
  cancelPurchaseOrder(workspaceId: string, id: string): Promise<PurchaseOrder>;
  recordPurchaseOrder(workspaceId: string, input: RecordPurchaseOrderInput): Promise<PurchaseOrder>;
}

export interface OwnLedgerSink {
  record(workspaceId: string, input: RecordLedgerInput): Promise<RecordLedgerResult>;
  dailyOrderUnits(workspaceId: string, skus: readonly string[], from: Date, to: Date): Promise<Map<string, Map<string, number>>>;
}

/** The purchase order standing for what Amazon reports inbound; one per SKU, replaced on every import. */
export const INBOUND_REFERENCE = 'FBA inbound';
/** Amazon's reports give no arrival date for inbound units: they are expected this many days after the report. */
export const DEFAULT_INBOUND_DAYS = 10;
const LEDGER_BATCH = 10_000;

export interface OwnReportSummary {
  report: OwnReport;
  rows: number;
  orderLines: { inserted: number; duplicates: number };
  salesDays: number;
  productsUpdated: number;
  inboundOrders: number;
  skipped: { line: number; reason: string }[];
  rejected: { line: number; reason: string }[];
}

export class OwnReportImportService {
  constructor(
    private readonly products: OwnProductSink,
    private readonly ledger: OwnLedgerSink,
    private readonly clock: Clock,
  ) {}

  async importReport(
    workspaceId: string,
    text: string,
    opts: { report?: OwnReport | null; capturedAt?: Date | null; inboundDays?: number | null } = {},
  ): Promise<OwnReportSummary> {
    const parsed = parseOwnReport(text, opts.report);
    const summary: OwnReportSummary = {
      report: parsed.report,
      rows: parsed.orders.length + parsed.inventory.length + parsed.skipped.length + parsed.rejected.length,
      orderLines: { inserted: 0, duplicates: 0 },
      salesDays: 0,
      productsUpdated: 0,
      inboundOrders: 0,
      skipped: parsed.skipped,
      rejected: parsed.rejected,
    };
    if (parsed.report === 'ORDERS') await this.writeOrders(workspaceId, parsed.orders, summary);
    else await this.writeInventory(workspaceId, parsed.inventory, summary, opts);
    return summary;
  }

  /** The lines of SKUs the workspace has; the others are rejected, naming the SKU and what to do. */
  private async knownOnly<L extends { line: number; sku: string }>(
    workspaceId: string,
    lines: L[],
    summary: OwnReportSummary,
  ): Promise<L[]> {
    const known = new Map<string, boolean>();
    for (const sku of new Set(lines.map((l) => l.sku))) known.set(sku, (await this.products.bySku(workspaceId, sku)) !== null);
    for (const l of lines)
      if (!known.get(l.sku))
        summary.rejected.push({
          line: l.line,
          reason: `no product with sku "${l.sku}" in this workspace: create it with upsertProduct (its unit cost is not in Amazon's reports)`,
        });
    summary.rejected.sort((a, b) => a.line - b.line);
    return lines.filter((l) => known.get(l.sku));
  }

  /** Order lines into the ledger (idempotent by order id), then the touched days' sales from all stored lines. */
  private async writeOrders(workspaceId: string, lines: OrderLine[], summary: OwnReportSummary): Promise<void> {
    const orders = await this.knownOnly(workspaceId, lines, summary);
    if (!orders.length) return;
    for (let i = 0; i < orders.length; i += LEDGER_BATCH) {
      const r = await this.ledger.record(workspaceId, {
        stockMovements: [],
        stockReadings: [],
        orderSales: orders.slice(i, i + LEDGER_BATCH).map((o) => ({ sku: o.sku, orderId: o.orderId, at: o.at, units: o.units })),
      });
      summary.orderLines.inserted += r.orderSales.inserted;
      summary.orderLines.duplicates += r.orderSales.duplicates;
    }
    const days = orders.map((o) => Math.floor(o.at.getTime() / DAY_MS));
    const from = new Date(Math.min(...days) * DAY_MS);
    const to = new Date((Math.max(...days) + 1) * DAY_MS);
    const skus = [...new Set(orders.map((o) => o.sku))];
    const units = await this.ledger.dailyOrderUnits(workspaceId, skus, from, to);
    const touched = new Set(orders.map((o) => `${o.sku}|${o.at.toISOString().slice(0, 10)}`));
    const sales: SalesInput[] = [...touched].map((k) => {
      const [sku, date] = k.split('|');
      return { sku, date, units: units.get(sku)?.get(date) ?? 0, inStock: true };
    });
    for (let i = 0; i < sales.length; i += LEDGER_BATCH) await this.products.recordSales(workspaceId, sales.slice(i, i + LEDGER_BATCH));
    summary.salesDays = sales.length;
  }

  /** On hand per SKU, and one open "FBA inbound" purchase order standing for the reported inbound units. */
  private async writeInventory(
    workspaceId: string,
    all: InventoryLine[],
    summary: OwnReportSummary,
    opts: { capturedAt?: Date | null; inboundDays?: number | null },
  ): Promise<void> {
    const lines = await this.knownOnly(workspaceId, all, summary);
    const at = opts.capturedAt?.getTime() ?? this.clock.now();
    const expectedAt = new Date(at + (opts.inboundDays ?? DEFAULT_INBOUND_DAYS) * DAY_MS);
    for (const l of lines) {
      await this.products.upsert(workspaceId, { sku: l.sku, onHand: l.onHand, ...(l.price !== null ? { price: l.price } : {}) });
      summary.productsUpdated++;
      const open = await this.products.listPurchaseOrders(workspaceId, {
        sku: l.sku,
        status: 'OPEN' as PurchaseOrdersArgs['status'],
        first: 100,
      });
      for (const e of open.edges)
        if (e.node.reference === INBOUND_REFERENCE) await this.products.cancelPurchaseOrder(workspaceId, e.node.id);
      if (l.inbound > 0) {
        await this.products.recordPurchaseOrder(workspaceId, { sku: l.sku, quantity: l.inbound, expectedAt, reference: INBOUND_REFERENCE });
        summary.inboundOrders++;
      }
    }
  }
}
