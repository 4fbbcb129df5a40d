/**
 * A local stand-in for Keepa's `/product` API on 127.0.0.1, replaying its documented shapes
 * (https://keepa.com/#!discuss/t/request-products/110, and the Python `keepa` client's handling):
 * every answer carries `timestamp`, `tokensLeft`, `refillIn` (ms to the next refill), `refillRate`
 * (tokens per refill) and `tokenFlowReduction`; a 200 adds `tokensConsumed`, `processingTimeInMs` and
 * `products` (one product object per requested ASIN, `csv` histories of [keepaMinute, value], offers'
 * `stockCSV` when `offers`/`stock` are asked); `/token` answers the budget alone (free); an unknown key gets 400 with `error`; a request while
 * the balance is ≤ 0 gets 429 (NOT_ENOUGH_TOKEN) with the budget. A request runs while the balance is
 * positive and may take it below zero, as Keepa's does. Refills come every `refillPeriodMs` (a
 * minute at Keepa; short here so tests do not wait).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const KEEPA_EPOCH_MS = Date.UTC(2011, 0, 1);
export const keepaMinute = (ms: number): number => Math.floor((ms - KEEPA_EPOCH_MS) / 60_000);

export interface FakeProduct {
  asin: string;
  domainId: number;
  title?: string;
  brand?: string;
  /** csv[i] histories as flat [keepaMinute, value, …] lists. */
  csv: Record<number, number[]>;
  monthlySold?: number;
  lastUpdate?: number;
  /** Per offer, its stock history [keepaMinute, stock, …] (returned only with offers/stock). */
  offerStock?: number[][];
}

export interface FakeKeepaOptions {
  key: string;
  tokens: number;
  refillRate: number;
  refillPeriodMs: number;
}

export interface FakeRequest {
  status: number;
  domain: number;
  asins: string[];
  params: Record<string, string>;
  tokensBefore: number;
}

export class FakeKeepa {
  readonly products = new Map<string, FakeProduct>();
  readonly requests: FakeRequest[] = [];
  /** Spends the whole balance just before the next `/product` request, as another client of the same key would. */
  drainBeforeNextProduct = false;
  /** `/token` requests (free: the balance only). */
  tokenRequests = 0;
  private server: Server | null = null;
  private tokens: number;
  /** Start of the current refill period; null = refills start with the next request. */
  private lastRefill: number | null = null;
  url = '';

  constructor(readonly opts: FakeKeepaOptions) {
    this.tokens = opts.tokens;
  }

  add(p: FakeProduct): void {
    this.products.set(`${p.domainId}|${p.asin}`, p);
  }

  /** Resets the balance; refills start again with the next request (so a test sees the balance it set). */
  setTokens(n: number): void {
    this.tokens = n;
    this.lastRefill = null;
  }

  private refill(): number {
    const now = Date.now();
    if (this.lastRefill === null) this.lastRefill = now;
    const periods = Math.floor((now - this.lastRefill) / this.opts.refillPeriodMs);
    if (periods > 0) {
      this.tokens += periods * this.opts.refillRate;
      this.lastRefill += periods * this.opts.refillPeriodMs;
    }
    return this.opts.refillPeriodMs - (now - this.lastRefill);
  }

  private budget(refillIn: number) {
    return { timestamp: Date.now(), tokensLeft: this.tokens, refillIn, refillRate: this.opts.refillRate, tokenFlowReduction: 0 };
  }

  private product(p: FakeProduct | undefined, asin: string, domain: number, params: URLSearchParams) {
    if (!p) return { asin, domainId: domain, csv: null, title: null };
    const days = params.get('days') ? Number(params.get('days')) : null;
    const since = days === null ? -Infinity : keepaMinute(Date.now() - days * 86_400_000);
    // Keepa keeps the last point before the window (the value still active), then those inside it.
    const limit = (list: number[]) => {
      const pairs: number[][] = [];
      for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
      const firstIn = pairs.findIndex(([t]) => t >= since);
      const from = firstIn < 0 ? pairs.length - 1 : Math.max(0, firstIn - 1);
      return pairs.slice(Math.max(0, from)).flat();
    };
    const csv: (number[] | null)[] = [];
    for (let i = 0; i <= 18; i++) csv.push(p.csv[i] ? limit(p.csv[i]) : null);
    const out: Record<string, unknown> = {
      asin: p.asin,
      domainId: p.domainId,
      title: p.title ?? null,
      brand: p.brand ?? null,
      csv,
      lastUpdate: p.lastUpdate ?? keepaMinute(Date.now()),
    };
    if (p.monthlySold !== undefined) out.monthlySold = p.monthlySold;
    if (params.get('offers') && p.offerStock)
      out.offers = p.offerStock.map((s, i) => ({
        sellerId: `S${i}`,
        offerCSV: [],
        ...(params.get('stock') === '1' ? { stockCSV: limit(s) } : {}),
      }));
    return out;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const refillIn = this.refill();
      const params = Object.fromEntries(u.searchParams);
      if (u.pathname === '/token') {
        this.tokenRequests++;
        return params.key === this.opts.key
          ? send(200, this.budget(refillIn))
          : send(400, { ...this.budget(refillIn), tokensLeft: 0, error: { type: 'invalidKey', message: 'Invalid key' } });
      }
      if (u.pathname !== '/product') return send(404, { error: { type: 'notFound', message: `no ${u.pathname}` } });
      const asins = (params.asin ?? '').split(',').filter(Boolean);
      const domain = Number(params.domain);
      const record = (status: number) => this.requests.push({ status, domain, asins, params, tokensBefore: this.tokens });
      if (params.key !== this.opts.key) {
        record(400);
        return send(400, { ...this.budget(refillIn), tokensLeft: 0, error: { type: 'invalidKey', message: 'Invalid key' } });
      }
      if (asins.length < 1 || asins.length > 100) {
        record(400);
        return send(400, { ...this.budget(refillIn), error: { type: 'invalidParameter', message: 'asin: 1 to 100 ASINs' } });
      }
      if (this.drainBeforeNextProduct) {
        this.drainBeforeNextProduct = false;
        this.tokens = 0;
      }
      if (this.tokens <= 0) {
        record(429);
        return send(429, this.budget(refillIn));
      }
      record(200);
      const offers = params.offers ? 6 * Math.ceil(Number(params.offers) / 10) : 0;
      const cost = asins.length * (1 + (params.rating === '1' ? 1 : 0) + offers);
      this.tokens -= cost;
      send(200, {
        ...this.budget(refillIn),
        tokensConsumed: cost,
        processingTimeInMs: 3,
        products: asins.map((a) => this.product(this.products.get(`${domain}|${a}`), a, domain, u.searchParams)),
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
