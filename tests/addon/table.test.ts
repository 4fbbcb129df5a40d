/** The pull writer: one setValues, header + rows, planner columns preserved by key, layout clashes refused. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { STATUS_MISSING, type TableSpec, writeTable } from '../../addon/src/table';
import { stockCell, provenance } from '../../addon/src/format';
import { GasEnvironment } from '../helpers/gas';

interface Node {
  asin: string;
  stock: number | null;
  capped: boolean;
}

const spec: TableSpec<Node> = {
  sheetName: 'RR Test',
  key: (n) => n.asin,
  keyOfRow: (r) => String(r[0] ?? ''),
  statusColumn: 2,
  columns: [
    { header: 'ASIN', value: (n) => n.asin },
    { header: 'Stock', value: (n) => stockCell(n.stock, n.capped) },
    { header: 'Pull status', value: () => 'current' },
  ],
};

let env: GasEnvironment;
let restore: () => void;
beforeEach(() => {
  restore?.();
  env = new GasEnvironment();
  restore = env.installGlobals();
});
afterAll(() => restore?.());

describe('writeTable', () => {
  it('creates the named sheet and writes header + rows in one setValues call, growing the grid as needed', () => {
    const nodes = Array.from({ length: 1500 }, (_, i) => ({ asin: `A${i}`, stock: i, capped: false }));
    const r = writeTable(spec, nodes);
    expect(r).toMatchObject({ rows: 1500, added: 1500, updated: 0, missing: 0 });
    expect(env.spreadsheet.stats.setValuesCalls).toBe(1);
    const v = env.sheetValues('RR Test');
    expect(v[0]).toEqual(['ASIN', 'Stock', 'Pull status']);
    expect(v).toHaveLength(1501);
    expect(v[1500]).toEqual(['A1499', 1499, 'current']);
    expect(env.spreadsheet.getSheetByName('RR Test')!.getFrozenRows()).toBe(1);
  });

  it('keeps rows in place by key, appends new ones, marks vanished ones, never writes the planner’s columns', () => {
    writeTable(spec, [
      { asin: 'A', stock: 1, capped: false },
      { asin: 'B', stock: 2, capped: false },
      { asin: 'C', stock: 3, capped: false },
    ]);
    env.asUser((ss) =>
      ss
        .getSheetByName('RR Test')!
        .getRange('D1:D4')
        .setValues([['Note'], ['a-note'], ['b-note'], ['c-note']]),
    );
    const r = writeTable(spec, [
      { asin: 'C', stock: 999, capped: true },
      { asin: 'A', stock: 10, capped: false },
      { asin: 'D', stock: 4, capped: false },
    ]);
    expect(r).toMatchObject({ rows: 4, added: 1, updated: 2, missing: 1 });
    expect(env.sheetValues('RR Test')).toEqual([
      ['ASIN', 'Stock', 'Pull status', 'Note'],
      ['A', 10, 'current', 'a-note'],
      ['B', 2, STATUS_MISSING, 'b-note'],
      ['C', '≥999', 'current', 'c-note'],
      ['D', 4, 'current', ''],
    ]);
  });

  it('refuses to overwrite a same-named sheet with another layout', () => {
    env.asUser((ss) =>
      ss
        .insertSheet('RR Test')
        .getRange('A1:B1')
        .setValues([['Supplier', 'Phone']]),
    );
    expect(() => writeTable(spec, [{ asin: 'A', stock: 1, capped: false }])).toThrow(
      'Sheet "RR Test" has "Supplier" in column 1 where "ASIN" belongs',
    );
  });
});

describe('competitor figures', () => {
  it('show censored stock as a lower bound and say where a reading came from and how old it is', () => {
    expect(stockCell(999, true)).toBe('≥999');
    expect(stockCell(12, false)).toBe(12);
    expect(stockCell(null, false)).toBe('');
    const now = Date.parse('2025-01-02T12:00:00Z');
    expect(provenance('keepa', '2025-01-02T10:30:00Z', now)).toBe('keepa · 1.5 h old');
    expect(provenance(null, '2025-01-02T11:45:00Z', now)).toBe('unknown source · 15 min old');
    expect(provenance('scraper', '2024-12-29T12:00:00Z', now)).toBe('scraper · 4 d old');
  });
});
