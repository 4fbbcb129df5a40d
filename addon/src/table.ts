/**
 * Writes a pulled table into a named sheet in ONE setValues call (header + every row), keeping the
 * planner's own columns to the right intact: rows keep their place by key, so a note typed next to
 * an ASIN stays next to that ASIN after the next pull, and columns beyond ours are never written.
 */
import type { CellValue } from './cells';

export interface Column<N> {
  header: string;
  value: (node: N) => CellValue | null | undefined;
  /** Sheets number format for the column, e.g. "0.0" or "yyyy-mm-dd hh:mm". */
  format?: string;
}

export interface TableSpec<N> {
  sheetName: string;
  columns: Column<N>[];
  /** Stable identity of a row (e.g. marketplace:ASIN); also readable from the row's key columns. */
  key: (node: N) => string;
  /** Rebuilds the key from a row already in the sheet (its managed cells). */
  keyOfRow: (row: CellValue[]) => string;
  /** Column (0-based) that says whether the row came back in the latest pull. */
  statusColumn?: number;
}

export interface WriteResult {
  sheetName: string;
  rows: number;
  added: number;
  updated: number;
  missing: number;
  setValuesCalls: number;
}

export const STATUS_CURRENT = 'current';
export const STATUS_MISSING = 'not in last pull';

export function writeTable<N>(spec: TableSpec<N>, nodes: N[]): WriteResult {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getSheetByName(spec.sheetName) ?? ss.insertSheet(spec.sheetName);
  const width = spec.columns.length;
  const header = spec.columns.map((c) => c.header);
  if (sheet.getMaxColumns() < width) sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());

  const lastRow = sheet.getLastRow();
  let existing: CellValue[][] = [];
  if (lastRow >= 1) {
    const block = sheet.getRange(1, 1, lastRow, width).getValues() as CellValue[][];
    const oldHeader = block[0]!;
    // Refuse to write over a sheet of the same name laid out differently (the planner's own data).
    oldHeader.forEach((h, j) => {
      if (h !== '' && h !== header[j]) {
        throw new Error(
          `Sheet "${spec.sheetName}" has "${String(h)}" in column ${j + 1} where "${header[j]}" belongs. Rename that sheet (or its column) and pull again.`,
        );
      }
    });
    existing = block.slice(1);
  }

  const fresh = new Map<string, CellValue[]>();
  const order: string[] = [];
  for (const n of nodes) {
    const k = spec.key(n);
    if (fresh.has(k)) continue; // a key twice in one answer: keep the first
    fresh.set(
      k,
      spec.columns.map((c) => {
        const v = c.value(n);
        return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : v;
      }),
    );
    order.push(k);
  }

  let updated = 0;
  let missing = 0;
  const seen = new Set<string>();
  const rows: CellValue[][] = existing.map((old) => {
    const k = spec.keyOfRow(old);
    const next = k ? fresh.get(k) : undefined;
    if (next && !seen.has(k)) {
      seen.add(k);
      updated++;
      return next;
    }
    if (!k || old.every((v) => v === '')) return old;
    missing++;
    const kept = [...old];
    if (spec.statusColumn !== undefined) kept[spec.statusColumn] = STATUS_MISSING;
    return kept;
  });
  let added = 0;
  for (const k of order) {
    if (seen.has(k)) continue;
    rows.push(fresh.get(k)!);
    added++;
  }

  const total = rows.length + 1;
  if (sheet.getMaxRows() < total) sheet.insertRowsAfter(sheet.getMaxRows(), total - sheet.getMaxRows());
  sheet.getRange(1, 1, total, width).setValues([header, ...rows]);
  if (sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
  sheet.getRange(1, 1, 1, width).setFontWeight('bold');
  if (rows.length > 0) {
    spec.columns.forEach((c, j) => {
      if (c.format) sheet.getRange(2, j + 1, rows.length, 1).setNumberFormat(c.format);
    });
  }
  return { sheetName: spec.sheetName, rows: rows.length, added, updated, missing, setValuesCalls: 1 };
}
