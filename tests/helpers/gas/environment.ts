/**
 * An Apps Script runtime for tests: the services a Sheets editor add-on uses, wired to one in-memory
 * spreadsheet, plus a loader that runs a built Code.js in its own V8 context (node:vm) the way Apps
 * Script does (every top-level function becomes callable by name: menus, triggers, google.script.run,
 * and the formulas of the sheet for functions marked @customfunction).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { parseA1 } from './a1';
import { ContextStack, GasError, type AuthMode, type ExecContext, type RunKind } from './context';
import { parseFormula } from './formula';
import {
  Button,
  ButtonSet,
  createCacheService,
  createHtmlService,
  createLockService,
  createPropertiesService,
  createScriptApp,
  createUi,
  createUtilities,
  type UiLog,
  type MenuItem,
} from './services';
import { ChartType, Spreadsheet, type CellValue } from './spreadsheet';
import { SyncFetcher, createUrlFetchApp, type FetchRecord } from './urlfetch';

export const CUSTOM_FUNCTION_LIMIT_MS = 30_000;
export const EXECUTION_LIMIT_MS = 360_000;

export interface GasEnvOptions {
  /** Project files by name (Code.js, appsscript.json, Sidebar.html), or a folder to read them from. */
  project?: string | Map<string, string>;
  /** Clock for caches and triggers (default Date.now). */
  now?: () => number;
  /** Editor add-on rules (trigger limits). Default true. */
  isAddon?: boolean;
  /** Overrides the manifest's urlFetchWhitelist (undefined: use the manifest's). */
  whitelist?: string[];
}

export type CustomArg = CellValue | CellValue[][] | { range: string } | undefined;
export type CustomResult = { value: CellValue | CellValue[][]; ms: number } | { error: string; ms: number };

function readProject(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of readdirSync(dir)) files.set(f, readFileSync(join(dir, f), 'utf8'));
  return files;
}

/** Names Sheets offers as custom functions: a JSDoc block with @customfunction right above `function NAME(`. */
export function customFunctionNames(code: string): string[] {
  const out: string[] = [];
  const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*function\s+([A-Za-z_$][\w$]*)\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) if (/@customfunction\b/.test(m[1]!)) out.push(m[2]!);
  return out;
}

export class GasEnvironment {
  readonly ctx = new ContextStack();
  readonly now: () => number;
  readonly files: Map<string, string>;
  readonly manifest: Record<string, unknown> | null;
  readonly spreadsheet: Spreadsheet;
  readonly properties;
  readonly caches;
  readonly triggers;
  readonly uiLog: UiLog = { menus: [], alerts: [], prompts: [], sidebars: [], dialogs: [], answers: [] };
  readonly fetchLog: FetchRecord[] = [];
  readonly logs: string[] = [];
  readonly globals: Record<string, unknown>;
  private fetcher: SyncFetcher | null = null;
  private context: vm.Context | null = null;
  customFunctions: string[] = [];
  /** Moves the services' clock (cache expiry) forward without waiting. */
  clockOffsetMs = 0;
  advance(ms: number): this {
    this.clockOffsetMs += ms;
    return this;
  }

  constructor(opts: GasEnvOptions = {}) {
    const base = opts.now ?? Date.now;
    this.now = () => base() + this.clockOffsetMs;
    this.files = typeof opts.project === 'string' ? readProject(opts.project) : (opts.project ?? new Map());
    const manifestText = this.files.get('appsscript.json');
    this.manifest = manifestText ? (JSON.parse(manifestText) as Record<string, unknown>) : null;
    const whitelist = opts.whitelist ?? (this.manifest?.urlFetchWhitelist as string[] | undefined);
    this.spreadsheet = new Spreadsheet(this.ctx);
    const props = createPropertiesService(this.ctx);
    this.properties = props.stores;
    const cache = createCacheService(() => this.now());
    this.caches = cache.caches;
    const script = createScriptApp(this.ctx, { isAddon: opts.isAddon ?? true, onCreate: () => {} });
    this.triggers = script.triggers;
    const ui = createUi(this.ctx, this.uiLog);
    const ss = this.spreadsheet;
    const ctx = this.ctx;
    const log = (...a: unknown[]) => {
      this.logs.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
    };
    const activeGuard = () => {
      if (ctx.current.authMode === 'NONE') throw new GasError('You do not have permission to call SpreadsheetApp.getActiveSpreadsheet.');
    };
    this.globals = {
      SpreadsheetApp: {
        getActiveSpreadsheet: () => (activeGuard(), ss),
        getActive: () => (activeGuard(), ss),
        getActiveSheet: () => (activeGuard(), ss.getActiveSheet()),
        getUi: () => {
          if (ctx.current.kind === 'customFunction' || ctx.current.kind === 'timeTrigger')
            throw new GasError('Cannot call SpreadsheetApp.getUi() from this context.');
          return ui;
        },
        flush: () => {},
        openById: () => {
          throw new GasError(
            'Specified permissions are not sufficient to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
          );
        },
      },
      Charts: { ChartType },
      PropertiesService: props.service,
      CacheService: cache.service,
      HtmlService: createHtmlService(this.files),
      ScriptApp: script.service,
      UrlFetchApp: createUrlFetchApp(ctx, { whitelist, log: this.fetchLog, fetcher: () => (this.fetcher ??= new SyncFetcher()) }),
      LockService: createLockService(),
      Utilities: createUtilities(),
      Session: { getScriptTimeZone: () => ss.getSpreadsheetTimeZone(), getActiveUser: () => ({ getEmail: () => 'planner@example.com' }) },
      Logger: { log: (...a: unknown[]) => log(...a) },
      console: { log, info: log, warn: log, error: log },
    };
  }

  /** Puts the services on globalThis so modules of the add-on can be tested in Node directly. */
  installGlobals(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): () => void {
    const saved = new Map<string, unknown>();
    for (const [k, v] of Object.entries(this.globals)) {
      if (k === 'console') continue;
      saved.set(k, target[k]);
      target[k] = v;
    }
    return () => {
      for (const [k, v] of saved) {
        if (v === undefined) delete target[k];
        else target[k] = v;
      }
    };
  }

  /** Loads Code.js (or the given source) into a fresh V8 context, as Apps Script does on each run. */
  load(code = this.files.get('Code.js')): this {
    if (!code) throw new Error('emulator: no Code.js in the project');
    const sandbox: Record<string, unknown> = { ...this.globals };
    this.context = vm.createContext(sandbox, { name: 'Apps Script' });
    new vm.Script(code, { filename: 'Code.js' }).runInContext(this.context, { timeout: 30_000 });
    this.customFunctions = customFunctionNames(code);
    return this;
  }

  private fn(name: string): (...args: unknown[]) => unknown {
    if (!this.context) throw new Error('emulator: load() the project first');
    const f = (this.context as Record<string, unknown>)[name];
    if (typeof f !== 'function') throw new GasError(`Script function not found: ${name}`);
    return f as (...args: unknown[]) => unknown;
  }

  /** Copies host values into the script's realm so `instanceof Array/Date` behave as in Apps Script. */
  toRealm<T>(value: T): T {
    if (!this.context) return value;
    // Plain arrays, Dates and plain objects are rebuilt in the script's realm; service objects
    // (a Spreadsheet in an event's `source`) pass through as they are.
    const clone = vm.runInContext(
      `(function (P) { return function clone(v){ if (Array.isArray(v)) return v.map(clone);
        if (Object.prototype.toString.call(v) === '[object Date]') return new Date(v.getTime());
        if (v && typeof v === 'object' && Object.getPrototypeOf(v) === P) { var o = {}; for (var k in v) o[k] = clone(v[k]); return o; }
        return v; }; })`,
      this.context,
    )(Object.prototype) as (v: T) => T;
    return clone(value);
  }

  /** Runs a global function the way Apps Script would for the given entry point. */
  run(name: string, args: unknown[] = [], opts: { authMode?: AuthMode; kind?: RunKind } = {}): unknown {
    const kind = opts.kind ?? 'direct';
    const limitMs = kind === 'customFunction' || kind === 'simpleTrigger' ? CUSTOM_FUNCTION_LIMIT_MS : EXECUTION_LIMIT_MS;
    const ec: ExecContext = { authMode: opts.authMode ?? 'FULL', kind, startedAt: performance.now(), limitMs };
    const f = this.fn(name);
    return this.ctx.run(ec, () => {
      const out = f(...this.toRealm(args));
      const ms = performance.now() - ec.startedAt;
      if (ms > limitMs) throw new GasError(`Exceeded maximum execution time (${Math.round(ms)} ms > ${limitMs} ms)`);
      return out;
    });
  }

  /** Simple trigger onOpen; LIMITED when the add-on is enabled in this document, NONE when only installed. */
  open(authMode: 'NONE' | 'LIMITED' = 'LIMITED'): void {
    this.run('onOpen', [{ authMode, source: authMode === 'NONE' ? undefined : this.spreadsheet }], { authMode, kind: 'simpleTrigger' });
  }

  menuItems(): MenuItem[] {
    const flat = (items: MenuItem[]): MenuItem[] => items.flatMap((i) => (i.submenu ? flat(i.submenu) : [i]));
    return this.uiLog.menus.flatMap((m) => flat(m.items)).filter((i) => !i.separator);
  }

  /** Clicks an add-on menu item by (a prefix of) its caption. */
  clickMenu(caption: string): unknown {
    const item = this.menuItems().find((i) => i.caption === caption || i.caption.startsWith(caption));
    if (!item?.functionName)
      throw new Error(
        `emulator: no menu item "${caption}" (have: ${this.menuItems()
          .map((i) => i.caption)
          .join(', ')})`,
      );
    return this.run(item.functionName, [], { authMode: 'FULL', kind: 'menu' });
  }

  /** Queues what the user types/clicks in the next prompt or confirmation. */
  answer(text: string | undefined, button: string = Button.OK): this {
    this.uiLog.answers.push({ text, button });
    return this;
  }

  /** A call from the sidebar through google.script.run. Functions ending in "_" are private in Apps Script. */
  callFromClient(name: string, args: unknown[] = []): unknown {
    if (name.endsWith('_')) throw new GasError(`Script function not found: ${name}`);
    const out = this.run(name, args, { authMode: 'FULL', kind: 'sidebar' });
    // google.script.run serialises results; functions, Dates-as-objects etc. must survive JSON-like cloning.
    return structuredClone(out);
  }

  private rangeValue(ref: string, defaultSheet: string): CellValue | CellValue[][] {
    const parsed = parseA1(ref);
    const sheet = this.spreadsheet.getSheetByName(parsed.sheet ?? defaultSheet);
    if (!sheet) throw new GasError(`Range not found: ${ref}`);
    const local = ref.includes('!') ? ref.slice(ref.lastIndexOf('!') + 1) : ref;
    const values = this.ctx.run({ authMode: 'FULL', kind: 'direct', startedAt: 0, limitMs: Infinity }, () =>
      sheet.getRange(local).getValues(),
    );
    // Sheets passes a single cell as a plain value and any larger range as a 2-D array.
    return values.length === 1 && values[0]!.length === 1 ? values[0]![0]! : values;
  }

  /** Calls a custom function as a formula cell would: ranges become values, runs with the custom-function limits. */
  callCustomFunction(name: string, args: CustomArg[], sheetName = this.spreadsheet.getActiveSheet().getName()): CustomResult {
    if (!this.customFunctions.includes(name)) throw new Error(`emulator: ${name} is not marked @customfunction in Code.js`);
    const values = args.map((a) =>
      a && typeof a === 'object' && !Array.isArray(a) && !(a instanceof Date) ? this.rangeValue(a.range, sheetName) : a,
    );
    const t0 = performance.now();
    try {
      const out = this.run(name, values, { authMode: 'CUSTOM_FUNCTION', kind: 'customFunction' });
      const ms = performance.now() - t0;
      return { value: validateResult(out, name), ms };
    } catch (e) {
      return { error: `#ERROR! ${(e as Error).message}`, ms: performance.now() - t0 };
    }
  }

  /** Evaluates every `=CUSTOM(…)` formula in the spreadsheet and spills array results, like Sheets. */
  recalculate(): { cells: number; ms: number } {
    const t0 = performance.now();
    let cells = 0;
    for (const sheet of this.spreadsheet.getSheets()) {
      for (const { row, col, f } of sheet.formulaCells()) {
        const anchor = `${sheet.getName()}!${row},${col}`;
        sheet.clearSpill(anchor);
        const parsed = parseFormula(f);
        let result: CellValue | CellValue[][];
        if (!parsed || !this.customFunctions.includes(parsed.name)) result = '#NAME?';
        else {
          const args: CustomArg[] = parsed.args.map((a) =>
            a.kind === 'range' ? { range: a.ref } : a.kind === 'empty' ? undefined : a.value,
          );
          const r = this.callCustomFunction(parsed.name, args, sheet.getName());
          result = 'error' in r ? r.error : r.value;
        }
        cells++;
        if (!Array.isArray(result)) {
          sheet.setComputed(row, col, result);
          continue;
        }
        // An array result needs empty cells to spill into.
        const blocked = result.some((line, i) =>
          line.some((_v, j) => {
            if (i === 0 && j === 0) return false;
            const c = sheet.cell(row + i, col + j);
            return (
              row + i > sheet.maxRows ||
              col + j > sheet.maxCols ||
              (c !== undefined && (c.f !== undefined || (c.v !== '' && c.spillOf !== anchor)))
            );
          }),
        );
        if (blocked) {
          sheet.setComputed(row, col, '#REF! Array result was not expanded because it would overwrite data.');
          continue;
        }
        result.forEach((line, i) =>
          line.forEach((v, j) => sheet.setComputed(row + i, col + j, v, i === 0 && j === 0 ? undefined : anchor)),
        );
      }
    }
    return { cells, ms: performance.now() - t0 };
  }

  /** Fires every time-driven trigger once, as the scheduler would. */
  fireTimeTriggers(): unknown[] {
    return this.triggers.map((t) =>
      this.run(t.getHandlerFunction(), [{ authMode: 'FULL', triggerUid: t.getUniqueId() }], { authMode: 'FULL', kind: 'timeTrigger' }),
    );
  }

  /** A sheet's full data range as values (for assertions). */
  sheetValues(name: string): CellValue[][] {
    const sheet = this.spreadsheet.getSheetByName(name);
    if (!sheet) throw new Error(`emulator: no sheet named ${name}`);
    return this.ctx.run({ authMode: 'FULL', kind: 'direct', startedAt: 0, limitMs: Infinity }, () => sheet.getDataRange().getValues());
  }

  /** Test-side writes (the planner typing), not subject to the running script's permissions. */
  asUser<T>(fn: (ss: Spreadsheet) => T): T {
    return this.ctx.run({ authMode: 'FULL', kind: 'direct', startedAt: 0, limitMs: Infinity }, () => fn(this.spreadsheet));
  }

  async dispose(): Promise<void> {
    await this.fetcher?.close();
    this.fetcher = null;
  }
}

function validCell(v: unknown): v is CellValue {
  return (
    (typeof v === 'number' && Number.isFinite(v)) ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    Object.prototype.toString.call(v) === '[object Date]'
  );
}

/** What Sheets accepts back from a custom function: a value, or a rectangular 2-D array of values. */
function validateResult(out: unknown, name: string): CellValue | CellValue[][] {
  if (out === undefined || out === null) return '';
  if (!Array.isArray(out)) {
    if (!validCell(out)) throw new GasError(`${name} returned an invalid value: ${String(out)}`);
    return out;
  }
  const rows = out.map((r) => (Array.isArray(r) ? r : [r]));
  const width = rows[0]?.length ?? 0;
  if (rows.length === 0 || width === 0) throw new GasError(`${name} returned an empty array`);
  return rows.map((r, i) => {
    if (r.length !== width) throw new GasError(`${name} returned a ragged array (row ${i + 1} has ${r.length} cells, row 1 has ${width})`);
    return r.map((v: unknown) => {
      if (v === null || v === undefined) return '';
      if (!validCell(v)) throw new GasError(`${name} returned an invalid value in row ${i + 1}: ${String(v)}`);
      return v;
    });
  });
}

export { Button, ButtonSet };
