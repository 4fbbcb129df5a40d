/**
 * PropertiesService, CacheService, HtmlService, ScriptApp (triggers), Ui (menus, prompts, sidebars),
 * LockService, Utilities and Session for the emulator, each with the documented limits that a
 * real add-on runs into (property sizes, cache key/value/TTL limits, add-on trigger rules).
 */
import { type ContextStack, GasError, denyInCustomFunction, requireAuth } from './context';

// ---------------------------------------------------------------- PropertiesService
const PROP_VALUE_MAX = 9 * 1024;
const PROP_STORE_MAX = 500 * 1024;

export class Properties {
  private data = new Map<string, string>();
  constructor(
    private readonly ctx: ContextStack,
    readonly scope: 'script' | 'user' | 'document',
  ) {}
  private writable(what: string): void {
    denyInCustomFunction(this.ctx.current, `Properties.${what}`);
  }
  private size(): number {
    let n = 0;
    for (const [k, v] of this.data) n += k.length + v.length;
    return n;
  }
  getProperty(key: string): string | null {
    return this.data.get(String(key)) ?? null;
  }
  getProperties(): Record<string, string> {
    return Object.fromEntries(this.data);
  }
  getKeys(): string[] {
    return [...this.data.keys()];
  }
  setProperty(key: string, value: unknown): this {
    this.writable('setProperty');
    const v = String(value);
    if (v.length > PROP_VALUE_MAX) throw new GasError(`Argument too large: value (${v.length} > ${PROP_VALUE_MAX} characters)`);
    const before = this.data.get(String(key));
    this.data.set(String(key), v);
    if (this.size() > PROP_STORE_MAX) {
      if (before === undefined) this.data.delete(String(key));
      else this.data.set(String(key), before);
      throw new GasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
    return this;
  }
  setProperties(props: Record<string, unknown>, deleteAllOthers = false): this {
    this.writable('setProperties');
    if (deleteAllOthers) this.data.clear();
    for (const [k, v] of Object.entries(props)) this.setProperty(k, v);
    return this;
  }
  deleteProperty(key: string): this {
    this.writable('deleteProperty');
    this.data.delete(String(key));
    return this;
  }
  deleteAllProperties(): this {
    this.writable('deleteAllProperties');
    this.data.clear();
    return this;
  }
}

export function createPropertiesService(ctx: ContextStack) {
  const stores = { script: new Properties(ctx, 'script'), user: new Properties(ctx, 'user'), document: new Properties(ctx, 'document') };
  const guard = (what: string) => requireAuth(ctx.current, `PropertiesService.${what}`, ['LIMITED', 'FULL', 'CUSTOM_FUNCTION']);
  return {
    stores,
    service: {
      getScriptProperties: () => (guard('getScriptProperties'), stores.script),
      getUserProperties: () => (guard('getUserProperties'), stores.user),
      getDocumentProperties: () => (guard('getDocumentProperties'), stores.document),
    },
  };
}

// ---------------------------------------------------------------- CacheService
const CACHE_KEY_MAX = 250;
const CACHE_VALUE_MAX = 100 * 1024;
const CACHE_TTL_MAX = 21_600;
const CACHE_ITEMS_MAX = 1000;

export class Cache {
  private data = new Map<string, { v: string; exp: number }>();
  readonly stats = { gets: 0, hits: 0, puts: 0 };
  constructor(private readonly now: () => number) {}
  private checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) throw new GasError('Invalid argument: key');
    if (key.length > CACHE_KEY_MAX) throw new GasError(`Argument too large: key (${key.length} > ${CACHE_KEY_MAX} characters)`);
  }
  private live(key: string): string | null {
    const e = this.data.get(key);
    if (!e) return null;
    if (e.exp <= this.now()) {
      this.data.delete(key);
      return null;
    }
    return e.v;
  }
  get(key: string): string | null {
    this.checkKey(key);
    this.stats.gets++;
    const v = this.live(key);
    if (v !== null) this.stats.hits++;
    return v;
  }
  getAll(keys: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this.get(k);
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: string, expirationInSeconds = 600): void {
    this.checkKey(key);
    if (typeof value !== 'string') throw new GasError('Invalid argument: value must be a string');
    // Apps Script measures the value in bytes of its UTF-8 form.
    if (Buffer.byteLength(value, 'utf8') > CACHE_VALUE_MAX) throw new GasError('Argument too large: value');
    if (!(expirationInSeconds >= 1 && expirationInSeconds <= CACHE_TTL_MAX)) {
      throw new GasError(`Invalid argument: expirationInSeconds must be between 1 and ${CACHE_TTL_MAX}, got ${expirationInSeconds}`);
    }
    this.data.delete(key);
    this.data.set(key, { v: value, exp: this.now() + expirationInSeconds * 1000 });
    this.stats.puts++;
    // The real cache evicts when full; the oldest entries go first here.
    while (this.data.size > CACHE_ITEMS_MAX) this.data.delete(this.data.keys().next().value as string);
  }
  putAll(values: Record<string, string>, expirationInSeconds = 600): void {
    for (const [k, v] of Object.entries(values)) this.put(k, v, expirationInSeconds);
  }
  remove(key: string): void {
    this.checkKey(key);
    this.data.delete(key);
  }
  removeAll(keys: string[]): void {
    for (const k of keys) this.remove(k);
  }
  size(): number {
    return this.data.size;
  }
}

export function createCacheService(now: () => number) {
  const caches = { script: new Cache(now), user: new Cache(now), document: new Cache(now) };
  return {
    caches,
    service: {
      getScriptCache: () => caches.script,
      getUserCache: () => caches.user,
      getDocumentCache: () => caches.document,
    },
  };
}

// ---------------------------------------------------------------- HtmlService
export class HtmlOutput {
  private title = '';
  width = 300;
  height = 500;
  constructor(private content: string) {}
  getContent(): string {
    return this.content;
  }
  setContent(c: string): this {
    this.content = c;
    return this;
  }
  append(c: string): this {
    this.content += c;
    return this;
  }
  setTitle(t: string): this {
    this.title = t;
    return this;
  }
  getTitle(): string {
    return this.title;
  }
  setWidth(w: number): this {
    this.width = w;
    return this;
  }
  setHeight(h: number): this {
    this.height = h;
    return this;
  }
  setSandboxMode(_m: unknown): this {
    return this;
  }
  setXFrameOptionsMode(_m: unknown): this {
    return this;
  }
  addMetaTag(_n: string, _c: string): this {
    return this;
  }
}

export function createHtmlService(files: Map<string, string>) {
  return {
    createHtmlOutput: (html = '') => new HtmlOutput(String(html)),
    createHtmlOutputFromFile: (filename: string) => {
      const name = filename.replace(/\.html$/, '');
      const text = files.get(`${name}.html`);
      if (text === undefined) throw new GasError(`No HTML file named ${name} was found.`);
      return new HtmlOutput(text);
    },
    SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
  };
}

// ---------------------------------------------------------------- ScriptApp
export const AuthModeEnum = { NONE: 'NONE', LIMITED: 'LIMITED', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', FULL: 'FULL' } as const;
export const EventType = { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_CHANGE: 'ON_CHANGE' } as const;

export class Trigger {
  constructor(
    readonly id: string,
    readonly handler: string,
    readonly eventType: string,
    readonly everyMs: number,
  ) {}
  getUniqueId(): string {
    return this.id;
  }
  getHandlerFunction(): string {
    return this.handler;
  }
  getEventType(): string {
    return this.eventType;
  }
  getTriggerSource(): string {
    return 'SPREADSHEETS';
  }
}

export function createScriptApp(ctx: ContextStack, opts: { isAddon: boolean; onCreate: () => void }) {
  const triggers: Trigger[] = [];
  let seq = 0;
  const guard = (what: string) => {
    denyInCustomFunction(ctx.current, `ScriptApp.${what}`);
    requireAuth(ctx.current, `ScriptApp.${what}`, ['FULL']);
  };
  const newTrigger = (handler: string) => {
    guard('newTrigger');
    let everyMs = 0;
    const create = () => {
      if (!everyMs) throw new GasError('The trigger has no schedule: call everyHours(), everyDays() or similar before create().');
      // Documented add-on rules: time-driven at most once per hour, one trigger of each type per user per document.
      if (opts.isAddon && everyMs < 3_600_000)
        throw new GasError('Add-ons can only create time-based triggers that run at most once per hour.');
      if (opts.isAddon && triggers.some((t) => t.eventType === EventType.CLOCK)) {
        throw new GasError('This add-on has created too many time-based triggers in this document for this Google user account.');
      }
      const t = new Trigger(`trigger-${++seq}`, handler, EventType.CLOCK, everyMs);
      triggers.push(t);
      opts.onCreate();
      return t;
    };
    const clock = {
      everyMinutes: (n: number) => {
        if (![1, 5, 10, 15, 30].includes(n)) throw new GasError('Invalid argument: minutes must be one of 1, 5, 10, 15 or 30');
        everyMs = n * 60_000;
        return clock;
      },
      everyHours: (n: number) => {
        if (![1, 2, 4, 6, 8, 12].includes(n)) throw new GasError('Invalid argument: hours must be one of 1, 2, 4, 6, 8 or 12');
        everyMs = n * 3_600_000;
        return clock;
      },
      everyDays: (n: number) => {
        everyMs = n * 86_400_000;
        return clock;
      },
      create,
    };
    return {
      timeBased: () => clock,
      forSpreadsheet: () => ({
        onOpen: () => ({
          create: () => {
            throw new GasError('Only time-driven triggers are emulated.');
          },
        }),
      }),
    };
  };
  return {
    triggers,
    service: {
      AuthMode: AuthModeEnum,
      EventType,
      newTrigger,
      getProjectTriggers: () => (guard('getProjectTriggers'), [...triggers]),
      getUserTriggers: (_doc: unknown) => (guard('getUserTriggers'), [...triggers]),
      deleteTrigger: (t: Trigger) => {
        guard('deleteTrigger');
        const i = triggers.findIndex((x) => x.id === t.getUniqueId());
        if (i < 0) throw new GasError('Trigger not found.');
        triggers.splice(i, 1);
      },
      getOAuthToken: () => 'emulated-oauth-token',
      getScriptId: () => 'emulated-script-id',
    },
  };
}

// ---------------------------------------------------------------- Ui
export const ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;
export const Button = { CLOSE: 'CLOSE', OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO' } as const;

export interface MenuItem {
  caption: string;
  functionName?: string;
  submenu?: MenuItem[];
  separator?: boolean;
}

export interface UiLog {
  menus: { name: string; addon: boolean; items: MenuItem[] }[];
  alerts: { title: string; prompt: string; buttons: string }[];
  prompts: { title: string; prompt: string }[];
  sidebars: HtmlOutput[];
  dialogs: { html: HtmlOutput; title: string }[];
  /** Scripted answers for prompts and alerts, consumed in order. */
  answers: { text?: string; button: string }[];
}

export function createUi(ctx: ContextStack, log: UiLog) {
  const guard = (what: string) => {
    if (ctx.current.kind === 'customFunction' || ctx.current.kind === 'timeTrigger') {
      throw new GasError(`Cannot call ${what} from this context.`);
    }
  };
  const interactive = (what: string) => {
    guard(what);
    // Simple triggers cannot open dialogs (they run without a user-visible session).
    if (ctx.current.kind === 'simpleTrigger') throw new GasError(`Cannot call ${what} from a simple trigger.`);
  };
  const makeMenu = (name: string, addon: boolean) => {
    const items: MenuItem[] = [];
    const menu = {
      addItem(caption: string, functionName: string) {
        if (typeof functionName !== 'string' || !functionName) throw new GasError('Invalid argument: functionName');
        items.push({ caption, functionName });
        return menu;
      },
      addSeparator() {
        items.push({ caption: '', separator: true });
        return menu;
      },
      addSubMenu(sub: { __items: MenuItem[]; __name: string }) {
        items.push({ caption: sub.__name, submenu: sub.__items });
        return menu;
      },
      addToUi() {
        log.menus = log.menus.filter((m) => m.name !== name);
        log.menus.push({ name, addon, items });
      },
      __items: items,
      __name: name,
    };
    return menu;
  };
  const takeAnswer = (kind: string, title: string) => {
    const a = log.answers.shift();
    if (!a) throw new Error(`emulator: the script opened a ${kind} "${title}" but the test queued no answer`);
    return a;
  };
  return {
    ButtonSet,
    Button,
    createAddonMenu: () => (guard('Ui.createAddonMenu'), makeMenu('Restock Radar', true)),
    createMenu: (name: string) => (guard('Ui.createMenu'), makeMenu(name, false)),
    alert(a: string, b?: string, c?: string) {
      interactive('Ui.alert');
      const isButtonSet = (x: string | undefined) => x !== undefined && Object.values(ButtonSet).includes(x as never);
      // alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons)
      const entry =
        c !== undefined
          ? { title: a, prompt: b ?? '', buttons: c }
          : isButtonSet(b)
            ? { title: '', prompt: a, buttons: b! }
            : { title: '', prompt: a, buttons: ButtonSet.OK };
      log.alerts.push(entry);
      // An OK-only alert is informational: the user can only press OK.
      if (entry.buttons === ButtonSet.OK) return Button.OK;
      return takeAnswer('alert', entry.title || entry.prompt).button;
    },
    prompt(a: string, b?: string, c?: string) {
      interactive('Ui.prompt');
      const title = b === undefined ? '' : a;
      const prompt = b === undefined ? a : c === undefined && Object.values(ButtonSet).includes(b as never) ? a : b;
      log.prompts.push({ title, prompt });
      const ans = takeAnswer('prompt', title || prompt);
      return { getResponseText: () => ans.text ?? '', getSelectedButton: () => ans.button };
    },
    showSidebar(html: HtmlOutput) {
      interactive('Ui.showSidebar');
      if (!(html instanceof HtmlOutput)) throw new GasError('Invalid argument: userInterface');
      log.sidebars.push(html);
    },
    showModalDialog(html: HtmlOutput, title: string) {
      interactive('Ui.showModalDialog');
      log.dialogs.push({ html, title });
    },
  };
}

// ---------------------------------------------------------------- Lock, Utilities, Session, Logger
export function createLockService() {
  let held = false;
  const lock = {
    tryLock: (_ms: number) => (held ? false : (held = true)),
    waitLock: (_ms: number) => {
      if (held) throw new GasError('Lock timeout: another process was holding the lock for too long.');
      held = true;
    },
    releaseLock: () => {
      held = false;
    },
    hasLock: () => held,
  };
  return { getDocumentLock: () => lock, getScriptLock: () => lock, getUserLock: () => lock };
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function createUtilities() {
  return {
    /** Supports the patterns add-ons use: yyyy MM dd HH mm ss, in UTC or a fixed "GMT±hh:mm" zone. */
    formatDate(date: Date, timeZone: string, format: string): string {
      const m = /^(?:GMT|UTC)([+-])(\d{1,2}):?(\d{2})?$/.exec(timeZone);
      const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
      if (!m && !['UTC', 'Etc/UTC', 'GMT'].includes(timeZone)) throw new GasError(`emulator: time zone ${timeZone} not supported`);
      const d = new Date(date.getTime() + offsetMin * 60_000);
      return format
        .replace(/yyyy/g, String(d.getUTCFullYear()))
        .replace(/MM/g, pad(d.getUTCMonth() + 1))
        .replace(/dd/g, pad(d.getUTCDate()))
        .replace(/HH/g, pad(d.getUTCHours()))
        .replace(/mm/g, pad(d.getUTCMinutes()))
        .replace(/ss/g, pad(d.getUTCSeconds()));
    },
    sleep(ms: number) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    },
    base64Encode: (s: string) => Buffer.from(s, 'utf8').toString('base64'),
    getUuid: () => crypto.randomUUID(),
  };
}
