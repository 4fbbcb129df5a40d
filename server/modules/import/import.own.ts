/**
 * The seller's own SKUs from Amazon's reports (docs/import.md, "Own SKUs from Amazon reports"), tab- or
 * comma-separated as Seller Central writes them:
 *  - the All Orders report (order lines → ledger order sales, idempotent by order id; the days they touch
 *    → daily sales recomputed from every stored order line, so overlapping reports agree);
 *  - the Manage FBA Inventory report (fulfillable + reserved → on hand; inbound working + shipped +
 *    receiving → one open purchase order "FBA inbound", replaced on each import);
 *  - the Restock Inventory report (Available → on hand; Inbound → the same purchase order).
 */
import { parse } from 'csv-parse/sync';
import { norm, parseInstant, RowError } from './import.formats';

export type OwnReport = 'ORDERS' | 'FBA_INVENTORY' | 'RESTOCK';

/** The documented column names of each report (normalised: case, spaces, punctuation ignored). */
export const OWN_REPORT_COLUMNS = {
  ORDERS: { order: 'amazon-order-id', at: 'purchase-date', status: 'order-status', sku: 'sku', quantity: 'quantity', name: 'product-name' },
  FBA_INVENTORY: {
    sku: 'sku',
    name: 'product-name',
    price: 'your-price',
    fulfillable: 'afn-fulfillable-quantity',
    reserved: 'afn-reserved-quantity',
    working: 'afn-inbound-working-quantity',
    shipped: 'afn-inbound-shipped-quantity',
    receiving: 'afn-inbound-receiving-quantity',
  },
  RESTOCK: { sku: 'Merchant SKU', name: 'Product Name', available: 'Available', inbound: 'Inbound', price: 'Price' },
} as const;

export interface OrderLine {
  line: number;
  orderId: string;
  at: Date;
  sku: string;
  units: number;
  name: string | null;
}

export interface InventoryLine {
  line: number;
  sku: string;
  name: string | null;
  price: number | null;
  onHand: number;
  inbound: number;
}

export interface ParsedOwnReport {
  report: OwnReport;
  orders: OrderLine[];
  inventory: InventoryLine[];
  /** Lines left out on purpose (cancelled orders, zero quantities), with why. */
  skipped: { line: number; reason: string }[];
  rejected: { line: number; reason: string }[];
}

/** Which report a header is, from its documented columns. */
export function detectOwnReport(header: string[]): OwnReport {
  const names = new Set(header.map(norm));
  const has = (cols: Record<string, string>, keys: string[]) => keys.every((k) => names.has(norm(cols[k])));
  if (has(OWN_REPORT_COLUMNS.ORDERS, ['order', 'at', 'sku', 'quantity'])) return 'ORDERS';
  if (has(OWN_REPORT_COLUMNS.FBA_INVENTORY, ['sku', 'fulfillable'])) return 'FBA_INVENTORY';
  if (has(OWN_REPORT_COLUMNS.RESTOCK, ['sku', 'available'])) return 'RESTOCK';
  throw new RowError(
    `not an Amazon report this import knows (All Orders: amazon-order-id, purchase-date, sku, quantity; Manage FBA Inventory: sku, afn-fulfillable-quantity; Restock Inventory: Merchant SKU, Available); the header starts ${header
      .slice(0, 5)
      .map((h) => `"${h}"`)
      .join(', ')}`,
  );
}

const count = (col: string, raw: string | undefined): number => {
  const t = (raw ?? '').trim().replace(/,/g, '');
  if (t === '') return 0;
  const v = Number(t);
  if (!Number.isInteger(v) || v < 0) throw new RowError(`${col}: "${raw}" is not a whole number ≥ 0`);
  return v;
};
const money = (raw: string | undefined): number | null => {
  const v = Number((raw ?? '').trim().replace(/[^0-9.]/g, ''));
  return (raw ?? '').trim() && Number.isFinite(v) && v > 0 ? v : null;
};

/** Reads a report's text (tab- or comma-separated, header first) into lines, each bad line with its reason. */
export function parseOwnReport(text: string, report?: OwnReport | null): ParsedOwnReport {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  const delimiter = firstLine.split('\t').length > firstLine.split(',').length ? '\t' : ',';
  const records: string[][] = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  if (!records.length) throw new RowError('the report is empty: a header row is required');
  const header = records[0].map((h) => h.trim());
  const kind = report ?? detectOwnReport(header);
  const at = new Map(header.map((h, i) => [norm(h), i]));
  const cols = OWN_REPORT_COLUMNS[kind] as Record<string, string>;
  const get = (r: string[], key: string) => {
    const i = at.get(norm(cols[key] ?? ''));
    return i === undefined ? undefined : r[i]?.trim();
  };
  const out: ParsedOwnReport = { report: kind, orders: [], inventory: [], skipped: [], rejected: [] };
  records.slice(1).forEach((r, k) => {
    const line = k + 2;
    try {
      if (kind === 'ORDERS') orderLine(r, line, get, out);
      else out.inventory.push(inventoryLine(r, line, kind, get));
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      out.rejected.push({ line, reason: e.message });
    }
  });
  return out;
}

type Get = (r: string[], key: string) => string | undefined;

function orderLine(r: string[], line: number, get: Get, out: ParsedOwnReport): void {
  const c = OWN_REPORT_COLUMNS.ORDERS;
  const status = `${get(r, 'status') ?? ''}`.toLowerCase();
  const units = count(c.quantity, get(r, 'quantity'));
  if (status.startsWith('cancel')) return void out.skipped.push({ line, reason: 'cancelled order' });
  if (units === 0) return void out.skipped.push({ line, reason: 'quantity 0' });
  const sku = get(r, 'sku');
  const orderId = get(r, 'order');
  if (!sku) throw new RowError(`${c.sku}: empty`);
  if (!orderId) throw new RowError(`${c.order}: empty`);
  out.orders.push({ line, orderId, sku, units, at: parseInstant(c.at, get(r, 'at') ?? ''), name: get(r, 'name') || null });
}

function inventoryLine(r: string[], line: number, kind: 'FBA_INVENTORY' | 'RESTOCK', get: Get): InventoryLine {
  const sku = get(r, 'sku');
  if (!sku) throw new RowError(`${kind === 'RESTOCK' ? 'Merchant SKU' : 'sku'}: empty`);
  if (kind === 'RESTOCK') {
    const c = OWN_REPORT_COLUMNS.RESTOCK;
    return {
      line,
      sku,
      name: get(r, 'name') || null,
      price: money(get(r, 'price')),
      onHand: count(c.available, get(r, 'available')),
      inbound: count(c.inbound, get(r, 'inbound')),
    };
  }
  const c = OWN_REPORT_COLUMNS.FBA_INVENTORY;
  const n = (key: keyof typeof c) => count(c[key], get(r, key));
  return {
    line,
    sku,
    name: get(r, 'name') || null,
    price: money(get(r, 'price')),
    onHand: n('fulfillable') + n('reserved'),
    inbound: n('working') + n('shipped') + n('receiving'),
  };
}
