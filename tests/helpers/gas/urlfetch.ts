/**
 * UrlFetchApp with real, synchronous HTTP: a worker thread does the request while the calling
 * thread blocks on Atomics.wait, so the add-on's code runs unchanged (fetch returns a response,
 * it does not return a promise). The manifest's urlFetchWhitelist is enforced.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { type ContextStack, GasError } from './context';

const URL_MAX = 2 * 1024;
const RESPONSE_MAX = 50 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export interface FetchRecord {
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | undefined;
  status: number | null;
  ms: number;
  context: string;
}

export interface HTTPResponse {
  getResponseCode(): number;
  getContentText(charset?: string): string;
  getContent(): number[];
  getHeaders(): Record<string, string>;
  getAllHeaders(): Record<string, string>;
}

interface FetchParams {
  method?: string;
  headers?: Record<string, string>;
  payload?: string | Record<string, unknown>;
  contentType?: string;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
  validateHttpsCertificates?: boolean;
  escaping?: boolean;
}

export class SyncFetcher {
  private worker: Worker;
  private port: MessagePort;
  private seq = 0;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./fetch-worker.mjs', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
    this.worker.unref();
  }
  request(req: { url: string; method: string; headers: Record<string, string>; body?: string; followRedirects: boolean }) {
    const flag = new SharedArrayBuffer(4);
    const id = ++this.seq;
    this.worker.postMessage({ id, req: { ...req, timeoutMs: TIMEOUT_MS }, flag });
    const waited = Atomics.wait(new Int32Array(flag), 0, 0, TIMEOUT_MS + 5_000);
    if (waited === 'timed-out') throw new GasError(`Timeout: ${req.url}`);
    const msg = receiveMessageOnPort(this.port)?.message as
      | { id: number; ok: true; status: number; headers: Record<string, string>; body: string }
      | { id: number; ok: false; error: string }
      | undefined;
    if (!msg || msg.id !== id) throw new Error('emulator: fetch worker answered out of order');
    return msg;
  }
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Same matching as Apps Script: each entry is a URL prefix; a leading "*." matches subdomains. */
export function allowedByWhitelist(url: string, whitelist: string[] | undefined): boolean {
  if (!whitelist) return true;
  return whitelist.some((prefix) => {
    const m = /^(https?:\/\/)\*\.(.*)$/.exec(prefix);
    if (!m) return url.startsWith(prefix);
    const u = /^(https?:\/\/)([^/]+)(.*)$/.exec(url);
    if (!u || u[1] !== m[1]) return false;
    const rest = m[2]!;
    const slash = rest.indexOf('/');
    const domain = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '/' : rest.slice(slash);
    return u[2]!.endsWith(`.${domain}`) && (u[3] || '/').startsWith(path);
  });
}

function isLoopback(url: string): boolean {
  return /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(url);
}

export function createUrlFetchApp(ctx: ContextStack, opts: { whitelist?: string[]; log: FetchRecord[]; fetcher: () => SyncFetcher }) {
  const fetchOne = (url: string, params: FetchParams = {}): HTTPResponse => {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new GasError(`Invalid argument: ${url}`);
    if (url.length > URL_MAX) throw new GasError(`Limit Exceeded: URLFetch URL Length.`);
    // Apps Script fetches from Google's servers: plain http is only reachable here for loopback test servers.
    if (url.startsWith('http://') && !isLoopback(url))
      throw new GasError(`emulator: plain http is only allowed to loopback test servers: ${url}`);
    if (!allowedByWhitelist(url, opts.whitelist)) {
      throw new GasError(`Request failed because the URL is not in the manifest's urlFetchWhitelist: ${url}`);
    }
    const method = (params.method ?? 'get').toUpperCase();
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new GasError(`Invalid argument: method ${params.method}`);
    const headers: Record<string, string> = { 'User-Agent': 'Mozilla/5.0 (compatible; Google-Apps-Script; emulated)' };
    for (const [k, v] of Object.entries(params.headers ?? {})) {
      if (/^(host|content-length)$/i.test(k)) throw new GasError(`Attribute provided with invalid value: Header:${k}`);
      headers[k] = String(v);
    }
    let body: string | undefined;
    if (params.payload !== undefined && method !== 'GET') {
      if (typeof params.payload === 'string') {
        body = params.payload;
        headers['Content-Type'] = params.contentType ?? 'application/x-www-form-urlencoded';
      } else {
        body = new URLSearchParams(Object.entries(params.payload).map(([k, v]): [string, string] => [k, String(v)])).toString();
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
      }
    }
    const t0 = performance.now();
    const res = opts.fetcher().request({
      url,
      method,
      headers,
      body: body === undefined ? undefined : Buffer.from(body, 'utf8').toString('base64'),
      followRedirects: params.followRedirects ?? true,
    });
    const record: FetchRecord = {
      url,
      method,
      headers,
      payload: body,
      status: res.ok ? res.status : null,
      ms: performance.now() - t0,
      context: ctx.current.kind,
    };
    opts.log.push(record);
    if (!res.ok) throw new GasError(res.error);
    const bytes = Buffer.from(res.body, 'base64');
    if (bytes.length > RESPONSE_MAX) throw new GasError('Exceeded maximum response size for URL Fetch.');
    const text = bytes.toString('utf8');
    if (res.status >= 400 && !params.muteHttpExceptions) {
      throw new GasError(
        `Request failed for ${url} returned code ${res.status}. Truncated server response: ${text.slice(0, 100)}${text.length > 100 ? '...' : ''} (use muteHttpExceptions option to examine full response)`,
      );
    }
    const hdrs = Object.fromEntries(
      Object.entries(res.headers).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()), v]),
    );
    return {
      getResponseCode: () => res.status,
      getContentText: () => text,
      getContent: () => [...bytes].map((b) => (b > 127 ? b - 256 : b)),
      getHeaders: () => ({ ...hdrs }),
      getAllHeaders: () => ({ ...hdrs }),
    };
  };
  return {
    fetch: fetchOne,
    fetchAll: (requests: (string | (FetchParams & { url: string }))[]) =>
      requests.map((r) => (typeof r === 'string' ? fetchOne(r) : fetchOne(r.url, r))),
  };
}
