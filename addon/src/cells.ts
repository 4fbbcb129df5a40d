/**
 * Array-aware plumbing shared by every custom function. Sheets passes a single cell as a value and
 * a range as a 2-D array; each function maps row by row, keeps blanks blank and turns a bad row
 * into a short `#BAD_INPUT: …` string for that cell only (never a stack trace).
 */
export type CellValue = number | string | boolean | Date;
export type Grid = CellValue[][];
export type Arg = CellValue | Grid | null | undefined;
export type Result = CellValue | Grid;

/** Dates from Sheets may come from another realm (tests) or as Apps Script's own; check by tag. */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

export function isGrid(v: unknown): v is Grid {
  return Array.isArray(v);
}

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** A cell error coming in from another formula ("#N/A", "#BAD_INPUT: …") passes through untouched. */
export function isErrorString(v: unknown): v is string {
  return typeof v === 'string' && /^#[A-Z0-9_/!?]+/.test(v.trim());
}

/** A user-facing input problem. Its message is what the cell shows after "#BAD_INPUT: ". */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const MAX_MESSAGE = 120;

/** Short, single-line, readable error text for a cell. */
export function errorCell(e: unknown, names: Record<string, string> = {}): string {
  const known = e instanceof InputError || e instanceof RangeError || e instanceof TypeError;
  let msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  // core speaks camelCase (leadTimeDays); the sheet's arguments are snake_case (lead_time_days).
  for (const [from, to] of Object.entries(names)) msg = msg.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
  // Input problems are the planner's to fix; anything else is ours, still shown short.
  return `${known ? '#BAD_INPUT' : '#ERROR'}: ${msg}`.slice(0, MAX_MESSAGE);
}

export interface NumberSpec {
  name: string;
  required?: boolean;
  /** Used when the cell is blank (optional arguments only). */
  default?: number;
  min?: number;
  /** Strict lower bound (value must be > gt). */
  gt?: number;
  max?: number;
  /** Strict upper bound (value must be < lt). */
  lt?: number;
  integer?: boolean;
}

/** Reads a number from a cell: numbers, numeric text ("12", "1,200", "95%"), nothing else. */
export function toNumber(v: CellValue, name: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError(`${name} must be a finite number`);
    return v;
  }
  if (typeof v === 'string') {
    const t = v.trim().replace(/,/g, '');
    const pct = t.endsWith('%');
    const n = Number(pct ? t.slice(0, -1) : t);
    if (t !== '' && Number.isFinite(n)) return pct ? n / 100 : n;
    throw new InputError(`${name} must be a number, got "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`);
  }
  if (typeof v === 'boolean') throw new InputError(`${name} must be a number, got ${v ? 'TRUE' : 'FALSE'}`);
  throw new InputError(`${name} must be a number, got a date`);
}

export function checkNumber(x: number, s: NumberSpec): number {
  if (s.min !== undefined && x < s.min) throw new InputError(`${s.name} must be ≥ ${s.min}, got ${x}`);
  if (s.gt !== undefined && !(x > s.gt)) throw new InputError(`${s.name} must be > ${s.gt}, got ${x}`);
  if (s.max !== undefined && x > s.max) throw new InputError(`${s.name} must be ≤ ${s.max}, got ${x}`);
  if (s.lt !== undefined && !(x < s.lt)) throw new InputError(`${s.name} must be < ${s.lt}, got ${x}`);
  if (s.integer && !Number.isInteger(x)) throw new InputError(`${s.name} must be a whole number, got ${x}`);
  return x;
}

export interface Shape {
  rows: number;
  cols: number;
}

/** The output shape: the common shape of every range argument (1×1 ranges count as single values). */
export function broadcastShape(args: Arg[], names: string[]): Shape | null {
  let shape: Shape | null = null;
  let owner = '';
  args.forEach((a, i) => {
    if (!isGrid(a)) return;
    const rows = a.length;
    const cols = rows ? a[0]!.length : 0;
    if (rows === 1 && cols === 1) return;
    if (!shape) {
      shape = { rows, cols };
      owner = names[i]!;
    } else if (shape.rows !== rows || shape.cols !== cols) {
      throw new InputError(`${names[i]} is ${rows}×${cols} but ${owner} is ${shape.rows}×${shape.cols}`);
    }
  });
  return shape;
}

function at(a: Arg, r: number, c: number): CellValue | undefined {
  if (isGrid(a)) {
    const row = a.length === 1 && a[0]!.length === 1 ? a[0]! : a[r]!;
    const v = a.length === 1 && a[0]!.length === 1 ? row[0] : row[c];
    return v === null ? undefined : v;
  }
  return a === null ? undefined : a;
}

export interface ArgSpec {
  name: string;
  required: boolean;
}

/**
 * Maps a per-row function over broadcast arguments. Rows whose required inputs are all blank come
 * back blank; an input that already holds an error string is passed through; anything thrown by the
 * row becomes that cell's error text.
 */
export function mapCells(
  specs: ArgSpec[],
  args: Arg[],
  row: (values: (CellValue | undefined)[]) => CellValue,
  names: Record<string, string> = {},
): Result {
  let shape: Shape | null;
  try {
    shape = broadcastShape(
      args,
      specs.map((s) => s.name),
    );
  } catch (e) {
    return errorCell(e, names);
  }
  const multi = (a: Arg) => isGrid(a) && !(a.length === 1 && a[0]!.length === 1);
  const allRequired = specs.map((s, i) => (s.required ? i : -1)).filter((i) => i >= 0);
  const rowRequired = allRequired.filter((i) => multi(args[i]));
  const one = (r: number, c: number): CellValue => {
    const values = specs.map((_s, i) => at(args[i], r, c));
    const passthrough = values.find((v) => isErrorString(v));
    if (passthrough !== undefined) return passthrough;
    // A blank row stays blank: judged on the required arguments that vary by row (a constant such
    // as a lead time typed once does not make an empty row "filled"), or on all required ones.
    const judged = rowRequired.length ? rowRequired : allRequired;
    if (judged.length && judged.every((i) => isBlank(values[i]))) return '';
    for (let i = 0; i < specs.length; i++) {
      if (specs[i]!.required && isBlank(values[i])) return `#BAD_INPUT: ${specs[i]!.name} is blank`;
    }
    try {
      const out = row(values.map((v) => (isBlank(v) ? undefined : v)));
      if (typeof out === 'number' && !Number.isFinite(out)) return Number.isNaN(out) ? '#NUM!' : out > 0 ? '∞' : '-∞';
      return out;
    } catch (e) {
      return errorCell(e, names);
    }
  };
  if (!shape) return one(0, 0);
  const { rows, cols } = shape as Shape;
  const out: Grid = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const line: CellValue[] = new Array(cols);
    for (let c = 0; c < cols; c++) line[c] = one(r, c);
    out[r] = line;
  }
  return out;
}

/** Parses a number argument per its spec (blank optional → default). */
export function num(v: CellValue | undefined, s: NumberSpec): number {
  if (v === undefined) {
    if (s.default === undefined) throw new InputError(`${s.name} is blank`);
    return s.default;
  }
  return checkNumber(toNumber(v, s.name), s);
}
