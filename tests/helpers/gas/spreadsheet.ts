/**
 * SpreadsheetApp over an in-memory grid. Shapes, bounds and error messages follow Apps Script
 * (setValues with the wrong shape, ranges outside the sheet, duplicate sheet names, writes from a
 * custom function), because those are the mistakes a bundle makes that only show up in Sheets.
 */
import { colToLetters, parseA1, toA1 } from './a1';
import { type ContextStack, GasError, denyInCustomFunction, requireAuth } from './context';

export type CellValue = number | string | boolean | Date;

interface Cell {
  v: CellValue;
  /** Formula text ("=REORDER_POINT(A2:A9,5)") for anchors. */
  f?: string;
  /** Set on cells filled by an array formula anchored elsewhere. */
  spillOf?: string;
  note?: string;
  numberFormat?: string;
}

const MAX_CELL_CHARS = 50_000;
const MAX_CELLS = 10_000_000;

function checkValue(v: unknown, where: string): CellValue {
  if (v === null) return '';
  if (typeof v === 'number') {
    // Sheets cannot hold NaN/Infinity: a script that writes them has a bug.
    if (!Number.isFinite(v)) throw new GasError(`Invalid value ${v} at ${where}: numbers must be finite.`);
    return v;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_CELL_CHARS) {
      throw new GasError(`Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`);
    }
    return v;
  }
  if (typeof v === 'boolean') return v;
  if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]') {
    const d = v as Date;
    if (Number.isNaN(d.getTime())) throw new GasError(`Invalid Date at ${where}.`);
    return new Date(d.getTime());
  }
  // Apps Script would store "[object Object]" or "undefined"; either is a bug in the caller.
  throw new GasError(`Cannot convert ${v === undefined ? 'undefined' : Object.prototype.toString.call(v)} to a cell value at ${where}.`);
}

function cloneValue(v: CellValue): CellValue {
  return v instanceof Date ? new Date(v.getTime()) : v;
}

function display(v: CellValue): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

export class EmbeddedChart {
  constructor(
    readonly chartId: number,
    readonly type: string,
    readonly ranges: Range[],
    readonly options: Record<string, unknown>,
    readonly position: { row: number; col: number; offsetX: number; offsetY: number },
  ) {}
  getChartId(): number {
    return this.chartId;
  }
  getRanges(): Range[] {
    return [...this.ranges];
  }
  getOptions(): { get(k: string): unknown } {
    return { get: (k: string) => this.options[k] };
  }
  getType(): string {
    return this.type;
  }
  modify(): EmbeddedChartBuilder {
    const b = new EmbeddedChartBuilder(this.ranges[0]!.getSheet(), this.chartId);
    b.setChartType(this.type);
    for (const r of this.ranges) b.addRange(r);
    for (const [k, v] of Object.entries(this.options)) b.setOption(k, v);
    return b.setPosition(this.position.row, this.position.col, this.position.offsetX, this.position.offsetY);
  }
}

export class EmbeddedChartBuilder {
  private type: string | null = null;
  private ranges: Range[] = [];
  private options: Record<string, unknown> = {};
  private position = { row: 1, col: 1, offsetX: 0, offsetY: 0 };
  constructor(
    private readonly sheet: Sheet,
    private readonly id?: number,
  ) {}
  addRange(range: Range): this {
    if (!(range instanceof Range)) throw new GasError('Invalid argument: range');
    this.ranges.push(range);
    return this;
  }
  setChartType(type: string): this {
    if (!Object.values(ChartType).includes(type as never)) throw new GasError(`Invalid argument: type (${type})`);
    this.type = type;
    return this;
  }
  asLineChart(): this {
    return this.setChartType(ChartType.LINE);
  }
  setOption(key: string, value: unknown): this {
    this.options[key] = value;
    return this;
  }
  setPosition(row: number, col: number, offsetX: number, offsetY: number): this {
    if (row < 1 || col < 1) throw new GasError('Invalid argument: position');
    this.position = { row, col, offsetX, offsetY };
    return this;
  }
  build(): EmbeddedChart {
    if (!this.type) throw new GasError('The chart type is not set.');
    if (this.ranges.length === 0) throw new GasError('A chart needs at least one data range.');
    return new EmbeddedChart(this.id ?? this.sheet.parent.nextChartId(), this.type, this.ranges, { ...this.options }, { ...this.position });
  }
}

export const ChartType = {
  AREA: 'AREA',
  BAR: 'BAR',
  COLUMN: 'COLUMN',
  COMBO: 'COMBO',
  LINE: 'LINE',
  SCATTER: 'SCATTER',
  TABLE: 'TABLE',
} as const;

export class Range {
  constructor(
    private readonly sheet: Sheet,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {}

  private get ctx() {
    return this.sheet.parent.ctx;
  }
  private write(what: string): void {
    denyInCustomFunction(this.ctx.current, what);
    requireAuth(this.ctx.current, what, ['LIMITED', 'FULL']);
  }
  private read(what: string): void {
    requireAuth(this.ctx.current, what, ['LIMITED', 'FULL', 'CUSTOM_FUNCTION']);
  }

  getSheet(): Sheet {
    return this.sheet;
  }
  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.col;
  }
  getNumRows(): number {
    return this.numRows;
  }
  getNumColumns(): number {
    return this.numCols;
  }
  getLastRow(): number {
    return this.row + this.numRows - 1;
  }
  getLastColumn(): number {
    return this.col + this.numCols - 1;
  }
  getA1Notation(): string {
    return toA1(this.row, this.col, this.numRows, this.numCols);
  }
  getValues(): CellValue[][] {
    this.read('Range.getValues');
    return this.sheet.readBlock(this.row, this.col, this.numRows, this.numCols, (c) => (c ? cloneValue(c.v) : ''));
  }
  getDisplayValues(): string[][] {
    this.read('Range.getDisplayValues');
    return this.sheet.readBlock(this.row, this.col, this.numRows, this.numCols, (c) => (c ? display(c.v) : ''));
  }
  getValue(): CellValue {
    return this.getValues()[0]![0]!;
  }
  getFormulas(): string[][] {
    this.read('Range.getFormulas');
    return this.sheet.readBlock(this.row, this.col, this.numRows, this.numCols, (c) => c?.f ?? '');
  }
  getFormula(): string {
    return this.getFormulas()[0]![0]!;
  }
  getNote(): string {
    return this.sheet.readBlock(this.row, this.col, 1, 1, (c) => c?.note ?? '')[0]![0]!;
  }
  getNumberFormats(): string[][] {
    return this.sheet.readBlock(this.row, this.col, this.numRows, this.numCols, (c) => c?.numberFormat ?? 'General');
  }

  setValues(values: unknown): this {
    this.write('Range.setValues');
    if (!Array.isArray(values))
      throw new GasError("The parameters (String) don't match the method signature for SpreadsheetApp.Range.setValues.");
    if (values.length !== this.numRows) {
      throw new GasError(
        `The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${this.numRows}.`,
      );
    }
    const checked: CellValue[][] = values.map((row: unknown, i) => {
      if (!Array.isArray(row))
        throw new GasError(`The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.`);
      if (row.length !== this.numCols) {
        throw new GasError(
          `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.numCols}.`,
        );
      }
      return row.map((v, j) => checkValue(v, toA1(this.row + i, this.col + j)));
    });
    this.sheet.parent.stats.setValuesCalls += 1;
    this.sheet.writeBlock(this.row, this.col, checked);
    return this;
  }
  setValue(value: unknown): this {
    if (this.numRows !== 1 || this.numCols !== 1) {
      // Apps Script fills the whole range with the value.
      return this.setValues(Array.from({ length: this.numRows }, () => Array.from({ length: this.numCols }, () => value)));
    }
    return this.setValues([[value]]);
  }
  setFormula(formula: string): this {
    this.write('Range.setFormula');
    if (typeof formula !== 'string') throw new GasError('Invalid argument: formula');
    this.sheet.writeBlock(this.row, this.col, [[formula.startsWith('=') ? formula : `=${formula}`]]);
    return this;
  }
  setFormulas(formulas: string[][]): this {
    this.write('Range.setFormulas');
    if (formulas.length !== this.numRows || formulas.some((r) => r.length !== this.numCols)) {
      throw new GasError('The number of rows or columns in the data does not match the range.');
    }
    this.sheet.writeBlock(this.row, this.col, formulas);
    return this;
  }
  clearContent(): this {
    this.write('Range.clearContent');
    this.sheet.writeBlock(
      this.row,
      this.col,
      Array.from({ length: this.numRows }, () => Array.from({ length: this.numCols }, () => '')),
    );
    return this;
  }
  setNote(note: string): this {
    this.write('Range.setNote');
    this.sheet.touch(this.row, this.col).note = String(note);
    return this;
  }
  setNumberFormat(fmt: string): this {
    this.write('Range.setNumberFormat');
    for (let i = 0; i < this.numRows; i++)
      for (let j = 0; j < this.numCols; j++) this.sheet.touch(this.row + i, this.col + j).numberFormat = fmt;
    return this;
  }
  setNumberFormats(fmts: string[][]): this {
    this.write('Range.setNumberFormats');
    if (fmts.length !== this.numRows || fmts.some((r) => r.length !== this.numCols)) {
      throw new GasError('The number of rows or columns in the data does not match the range.');
    }
    fmts.forEach((r, i) => r.forEach((f, j) => (this.sheet.touch(this.row + i, this.col + j).numberFormat = f)));
    return this;
  }
  // Formatting calls are accepted (they matter to people, not to the data) but still need write access.
  setFontWeight(_w: string | null): this {
    this.write('Range.setFontWeight');
    return this;
  }
  setBackground(_c: string | null): this {
    this.write('Range.setBackground');
    return this;
  }
  setWrap(_w: boolean): this {
    this.write('Range.setWrap');
    return this;
  }
  offset(rowOffset: number, colOffset: number, numRows = this.numRows, numCols = this.numCols): Range {
    return this.sheet.getRange(this.row + rowOffset, this.col + colOffset, numRows, numCols);
  }
}

export class Sheet {
  private rows: (Cell | undefined)[][] = [];
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  hidden = false;
  charts: EmbeddedChart[] = [];

  constructor(
    readonly parent: Spreadsheet,
    private name: string,
    readonly sheetId: number,
  ) {}

  getName(): string {
    return this.name;
  }
  setName(name: string): this {
    this.parent.assertNameFree(name);
    this.name = name;
    return this;
  }
  getSheetId(): number {
    return this.sheetId;
  }
  getParent(): Spreadsheet {
    return this.parent;
  }
  getMaxRows(): number {
    return this.maxRows;
  }
  getMaxColumns(): number {
    return this.maxCols;
  }

  getRange(a: number | string, col?: number, numRows?: number, numCols?: number): Range {
    if (typeof a === 'string') {
      const ref = parseA1(a);
      if (ref.sheet !== undefined && ref.sheet !== this.name) throw new GasError('Range not found');
      const lastRow = ref.lastRow ?? this.maxRows;
      const lastCol = ref.lastCol ?? this.maxCols;
      return this.getRange(ref.row, ref.col, lastRow - ref.row + 1, lastCol - ref.col + 1);
    }
    const row = a;
    if (col === undefined)
      throw new GasError("The parameters (number) don't match the method signature for SpreadsheetApp.Sheet.getRange.");
    const nr = numRows ?? 1;
    const nc = numCols ?? 1;
    for (const [v, what] of [
      [row, 'row'],
      [col, 'column'],
      [nr, 'rows'],
      [nc, 'columns'],
    ] as const) {
      if (!Number.isInteger(v)) throw new GasError(`Invalid argument: ${what} must be an integer, got ${v}`);
    }
    if (row < 1) throw new GasError('The starting row of the range is too small.');
    if (col < 1) throw new GasError('The starting column of the range is too small.');
    if (nr < 1) throw new GasError('The number of rows in the range must be at least 1.');
    if (nc < 1) throw new GasError('The number of columns in the range must be at least 1.');
    if (row + nr - 1 > this.maxRows || col + nc - 1 > this.maxCols) {
      throw new GasError('The coordinates of the range are outside the dimensions of the sheet.');
    }
    return new Range(this, row, col, nr, nc);
  }

  getLastRow(): number {
    for (let r = this.rows.length; r >= 1; r--) if (this.rows[r - 1]?.some((c) => c && c.v !== '')) return r;
    return 0;
  }
  getLastColumn(): number {
    let last = 0;
    for (const row of this.rows) if (row) for (let c = row.length; c > last; c--) if (row[c - 1] && row[c - 1]!.v !== '') last = c;
    return last;
  }
  getDataRange(): Range {
    return this.getRange(1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }

  insertRowsAfter(afterPosition: number, howMany: number): this {
    denyInCustomFunction(this.parent.ctx.current, 'Sheet.insertRowsAfter');
    if (afterPosition < 1 || afterPosition > this.maxRows || howMany < 1) throw new GasError('Those rows are out of bounds.');
    this.parent.assertCellBudget(howMany * this.maxCols);
    this.rows.splice(afterPosition, 0, ...Array.from({ length: howMany }, () => []));
    this.maxRows += howMany;
    return this;
  }
  insertColumnsAfter(afterPosition: number, howMany: number): this {
    denyInCustomFunction(this.parent.ctx.current, 'Sheet.insertColumnsAfter');
    if (afterPosition < 1 || afterPosition > this.maxCols || howMany < 1) throw new GasError('Those columns are out of bounds.');
    this.parent.assertCellBudget(howMany * this.maxRows);
    for (const row of this.rows)
      if (row && row.length > afterPosition) row.splice(afterPosition, 0, ...new Array<Cell | undefined>(howMany));
    this.maxCols += howMany;
    return this;
  }
  setFrozenRows(n: number): this {
    denyInCustomFunction(this.parent.ctx.current, 'Sheet.setFrozenRows');
    this.frozenRows = n;
    return this;
  }
  getFrozenRows(): number {
    return this.frozenRows;
  }
  hideSheet(): this {
    this.hidden = true;
    return this;
  }
  isSheetHidden(): boolean {
    return this.hidden;
  }
  activate(): this {
    this.parent.active = this;
    return this;
  }
  autoResizeColumns(_start: number, _n: number): this {
    return this;
  }
  clear(): this {
    denyInCustomFunction(this.parent.ctx.current, 'Sheet.clear');
    this.rows = [];
    return this;
  }
  newChart(): EmbeddedChartBuilder {
    return new EmbeddedChartBuilder(this);
  }
  insertChart(chart: EmbeddedChart): void {
    denyInCustomFunction(this.parent.ctx.current, 'Sheet.insertChart');
    if (!(chart instanceof EmbeddedChart)) throw new GasError('Invalid argument: chart');
    for (const r of chart.ranges)
      if (r.getSheet().parent !== this.parent) throw new GasError('Chart ranges must belong to this spreadsheet.');
    this.charts.push(chart);
  }
  updateChart(chart: EmbeddedChart): void {
    const i = this.charts.findIndex((c) => c.chartId === chart.chartId);
    if (i < 0) throw new GasError('Chart not found.');
    this.charts[i] = chart;
  }
  getCharts(): EmbeddedChart[] {
    return [...this.charts];
  }
  removeChart(chart: EmbeddedChart): void {
    this.charts = this.charts.filter((c) => c.chartId !== chart.chartId);
  }

  // ---- internal grid access (used by Range and the formula engine) ----
  touch(row: number, col: number): Cell {
    const r = (this.rows[row - 1] ??= []);
    return (r[col - 1] ??= { v: '' });
  }
  cell(row: number, col: number): Cell | undefined {
    return this.rows[row - 1]?.[col - 1];
  }
  readBlock<T>(row: number, col: number, nr: number, nc: number, f: (c: Cell | undefined) => T): T[][] {
    const out: T[][] = new Array(nr);
    for (let i = 0; i < nr; i++) {
      const src = this.rows[row - 1 + i];
      const line: T[] = new Array(nc);
      for (let j = 0; j < nc; j++) line[j] = f(src?.[col - 1 + j]);
      out[i] = line;
    }
    return out;
  }
  /** Strings starting with "=" become formulas, as with Apps Script's setValues. */
  writeBlock(row: number, col: number, values: CellValue[][]): void {
    for (let i = 0; i < values.length; i++) {
      const line = values[i]!;
      const r = (this.rows[row - 1 + i] ??= []);
      for (let j = 0; j < line.length; j++) {
        const v = line[j]!;
        const prev = r[col - 1 + j];
        const note = prev?.note;
        const numberFormat = prev?.numberFormat;
        if (typeof v === 'string' && v.startsWith('=') && v.length > 1) r[col - 1 + j] = { v: '', f: v, note, numberFormat };
        else r[col - 1 + j] = { v, note, numberFormat };
      }
    }
    this.parent.dirty = true;
  }
  /** Used by the formula engine to place array results without going through user permissions. */
  setComputed(row: number, col: number, v: CellValue, spillOf?: string): void {
    const c = this.touch(row, col);
    c.v = v;
    if (spillOf) c.spillOf = spillOf;
    else delete c.spillOf;
  }
  clearSpill(anchor: string): void {
    for (const r of this.rows)
      if (r)
        for (const c of r)
          if (c && c.spillOf === anchor) {
            c.v = '';
            delete c.spillOf;
          }
  }
  formulaCells(): { row: number; col: number; f: string }[] {
    const out: { row: number; col: number; f: string }[] = [];
    this.rows.forEach((r, i) => r?.forEach((c, j) => c?.f && out.push({ row: i + 1, col: j + 1, f: c.f })));
    return out;
  }
  cellCount(): number {
    return this.maxRows * this.maxCols;
  }
}

export class Spreadsheet {
  private sheets: Sheet[] = [];
  active: Sheet;
  private sheetSeq = 0;
  private chartSeq = 0;
  dirty = false;
  readonly stats = { setValuesCalls: 0 };
  readonly toasts: { message: string; title: string }[] = [];

  constructor(
    readonly ctx: ContextStack,
    readonly id = 'ss-emulated',
    private name = 'Untitled spreadsheet',
    private timeZone = 'Etc/UTC',
  ) {
    this.active = this.addSheet('Sheet1');
  }

  nextChartId(): number {
    return ++this.chartSeq;
  }
  private addSheet(name: string, index?: number): Sheet {
    const s = new Sheet(this, name, this.sheetSeq++);
    if (index === undefined) this.sheets.push(s);
    else this.sheets.splice(index, 0, s);
    return s;
  }
  assertNameFree(name: string): void {
    if (this.sheets.some((s) => s.getName().toLowerCase() === name.toLowerCase())) {
      throw new GasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
  }
  assertCellBudget(extra: number): void {
    const total = this.sheets.reduce((n, s) => n + s.cellCount(), 0) + extra;
    if (total > MAX_CELLS)
      throw new GasError(`This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`);
  }

  getId(): string {
    return this.id;
  }
  getName(): string {
    return this.name;
  }
  getSpreadsheetTimeZone(): string {
    return this.timeZone;
  }
  getSheets(): Sheet[] {
    return [...this.sheets];
  }
  getSheetByName(name: string): Sheet | null {
    return this.sheets.find((s) => s.getName() === name) ?? null;
  }
  getActiveSheet(): Sheet {
    return this.active;
  }
  setActiveSheet(sheet: Sheet): Sheet {
    this.active = sheet;
    return sheet;
  }
  insertSheet(nameOrIndex?: string | number, index?: number): Sheet {
    denyInCustomFunction(this.ctx.current, 'Spreadsheet.insertSheet');
    requireAuth(this.ctx.current, 'Spreadsheet.insertSheet', ['LIMITED', 'FULL']);
    let name: string;
    if (typeof nameOrIndex === 'string') name = nameOrIndex;
    else {
      index = nameOrIndex;
      let n = this.sheets.length + 1;
      while (this.sheets.some((s) => s.getName() === `Sheet${n}`)) n++;
      name = `Sheet${n}`;
    }
    if (!name.trim()) throw new GasError('Invalid argument: sheet name');
    this.assertNameFree(name);
    this.assertCellBudget(1000 * 26);
    const s = this.addSheet(name, index);
    this.active = s;
    return s;
  }
  deleteSheet(sheet: Sheet): void {
    if (this.sheets.length === 1) throw new GasError("You can't remove all the sheets in a document.");
    this.sheets = this.sheets.filter((s) => s !== sheet);
    if (this.active === sheet) this.active = this.sheets[0]!;
  }
  getRange(a1: string): Range {
    const ref = parseA1(a1);
    const sheet = ref.sheet === undefined ? this.active : this.getSheetByName(ref.sheet);
    if (!sheet) throw new GasError('Range not found');
    return sheet.getRange(a1.includes('!') ? a1.slice(a1.lastIndexOf('!') + 1) : a1);
  }
  toast(message: string, title = '', _timeoutSeconds?: number): void {
    this.toasts.push({ message: String(message), title: String(title) });
  }
}

export { colToLetters };
