/**
 * Keepa's `/product` endpoint (https://keepa.com/#!discuss/t/request-products/110) with its token
 * budget. A request is `GET {base}/product?key=K&domain=D&asin=A,B,…` (at most 100 ASINs) with
 * `history=1`, `rating=1` (RATING and COUNT_REVIEWS histories), `days=N` (histories limited to the last
 * N days) and optionally `offers=20…100` with `stock=1` (offers' stockCSV). Every answer, 200 or not,
 * carries the key's budget: `tokensLeft`, `refillIn` (ms until the next refill), `refillRate` (tokens
 * added per refill, one refill a minute) and `timestamp`; a 200 also `tokensConsumed` and `products`.
 *
 * Budget rules (docs/import.md, "Keepa connector"):
 *  - the balance is learnt first from `/token` (free of tokens), then from every answer;
 *  - a request is sent only while the balance is positive (Keepa runs a request as long as it is, and
 *    lets an expensive one take it below zero), and a batch is cut to the ASINs the balance covers at
 *    the estimated cost per ASIN (1, +1 for rating, +6 per page of 10 offers);
 *  - with the balance at t ≤ 0 the next token comes after k = ⌈(1 − t) / refillRate⌉ refills, i.e.
 *    wait = refillIn + (k − 1) · 60 s (the Python `keepa` client's time_to_refill, without its fudge);
 *  - HTTP 429 (NOT_ENOUGH_TOKEN) waits that long and retries; a wait longer than `maxWaitMs` stops the
 *    sync with a QUOTA error instead of sleeping for hours.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Keepa's limit of ASINs per `/product` request. */
export const MAX_ASINS_PER_REQUEST = 100;
const REFILL_PERIOD_MS = 60_000;
const NETWORK_RETRIES = 2;

export type KeepaErrorKind = 'BAD_KEY' | 'PAYMENT_REQUIRED' | 'QUOTA' | 'NETWORK' | 'REJECTED' | 'BAD_RESPONSE';

export class KeepaError extends Error {
  constructor(
    readonly kind: KeepaErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenStatus {
  tokensLeft: number;
  /** Ms until the next refill, as of `receivedAt` (local clock). */
  refillIn: number;
  /** Tokens added per refill (one a minute). */
  refillRate: number;
  receivedAt: number;
}

export interface ProductRequest {
  /** Keepa domain id (1 com, 2 co.uk, 3 de, …). */
  domain: number;
  asins: readonly string[];
  /** Histories limited to the last N days (Keepa `days`); null = the whole history. */
  days: number | null;
  /** Live offers to read (20–100; Keepa `offers`, with `stock=1` for their stock); null = none. */
  offers: number | null;
}

export interface KeepaClientOptions {
  key: string;
  /** Default https://api.keepa.com (RESTOCK_RADAR_KEEPA_URL; tests use a fake on 127.0.0.1). */
  baseUrl: string;
  /** The longest single wait for tokens before giving up with QUOTA. Default 15 minutes. */
  maxWaitMs?: number;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
  /** Told before every wait for tokens. */
  onWait?: (w: { ms: number; tokensLeft: number; refillRate: number; reason: string }) => void;
}

/** Estimated tokens per ASIN of a request (Keepa's documented costs). */
export function costPerAsin(r: Pick<ProductRequest, 'offers'>): number {
  return 1 + 1 + (r.offers ? 6 * Math.ceil(r.offers / 10) : 0);
}

/** Ms until the balance is positive again: refillIn + (k − 1) refills, k = ⌈(1 − t) / rate⌉. */
export function waitForTokensMs(s: Pick<TokenStatus, 'tokensLeft' | 'refillIn' | 'refillRate'>): number {
  if (s.tokensLeft > 0) return 0;
  if (!(s.refillRate > 0)) return Infinity;
  const k = Math.ceil((1 - s.tokensLeft) / s.refillRate);
  return Math.max(0, s.refillIn) + (k - 1) * REFILL_PERIOD_MS;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export class KeepaClient {
  /** The budget as of the last answer (null before the first). */
  status: TokenStatus | null = null;
  private readonly maxWaitMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: KeepaClientOptions) {
    if (!opts.key) throw new KeepaError('BAD_KEY', 'no Keepa key: set RESTOCK_RADAR_KEEPA_KEY');
    this.maxWaitMs = opts.maxWaitMs ?? 15 * 60_000;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** The balance now, from the last answer plus the refills since (an estimate; Keepa's answer corrects it). */
  tokensNow(now = Date.now()): number | null {
    const s = this.status;
    if (!s) return null;
    const elapsed = now - s.receivedAt;
    const refills = elapsed < s.refillIn ? 0 : 1 + Math.floor((elapsed - s.refillIn) / REFILL_PERIOD_MS);
    return s.tokensLeft + refills * s.refillRate;
  }

  /** How many of `wanted` ASINs the balance covers now (at least 1 when it is positive or unknown). */
  affordable(wanted: number, r: Pick<ProductRequest, 'offers'>): number {
    const t = this.tokensNow();
    if (t === null) return Math.min(wanted, MAX_ASINS_PER_REQUEST);
    return Math.max(1, Math.min(wanted, MAX_ASINS_PER_REQUEST, Math.floor(t / costPerAsin(r))));
  }

  /** Waits until the balance (as last told, plus refills since) is positive. */
  async ready(now = Date.now()): Promise<void> {
    if (!this.status) await this.send('token', new URLSearchParams({ key: this.opts.key }));
    const t = this.tokensNow(now);
    if (t === null || t > 0) return;
    const s = this.status!;
    const elapsed = now - s.receivedAt;
    const refillIn = elapsed < s.refillIn ? s.refillIn - elapsed : REFILL_PERIOD_MS - ((elapsed - s.refillIn) % REFILL_PERIOD_MS);
    await this.waitFor({ tokensLeft: t, refillIn, refillRate: s.refillRate }, 'no tokens left');
  }

  /** One `/product` request; waits for tokens first when the balance is spent, and after a 429. */
  async product(r: ProductRequest): Promise<{ products: unknown[]; tokensConsumed: number | null }> {
    if (r.asins.length < 1 || r.asins.length > MAX_ASINS_PER_REQUEST)
      throw new RangeError(`a Keepa product request takes 1 to ${MAX_ASINS_PER_REQUEST} ASINs, got ${r.asins.length}`);
    for (let attempt = 0; ; attempt++) {
      await this.ready();
      const res = await this.send('product', this.productQuery(r));
      if (res.status === 429) {
        if (attempt >= 5) throw new KeepaError('QUOTA', `Keepa answered 429 (not enough tokens) ${attempt + 1} times in a row`);
        await this.waitFor(this.status ?? { tokensLeft: 0, refillIn: REFILL_PERIOD_MS, refillRate: 1 }, 'Keepa answered 429');
        continue;
      }
      const products = (res.body as { products?: unknown }).products;
      if (!Array.isArray(products)) throw new KeepaError('BAD_RESPONSE', 'Keepa answered 200 without a products array');
      return { products, tokensConsumed: num((res.body as { tokensConsumed?: unknown }).tokensConsumed) };
    }
  }

  private async waitFor(s: Pick<TokenStatus, 'tokensLeft' | 'refillIn' | 'refillRate'>, reason: string): Promise<void> {
    const ms = waitForTokensMs(s);
    if (ms > this.maxWaitMs)
      throw new KeepaError(
        'QUOTA',
        `Keepa token budget spent (${s.tokensLeft} tokens left, ${s.refillRate} per minute): the next token comes in ` +
          `${Math.ceil(ms / 1000)} s, longer than the ${Math.round(this.maxWaitMs / 1000)} s this sync waits; run it again later`,
      );
    this.opts.onWait?.({ ms, tokensLeft: s.tokensLeft, refillRate: s.refillRate, reason });
    await sleep(ms);
  }

  /** The `/product` query of a request. */
  private productQuery(r: ProductRequest): URLSearchParams {
    const q = new URLSearchParams({ key: this.opts.key, domain: String(r.domain), asin: r.asins.join(','), history: '1', rating: '1' });
    if (r.days !== null) q.set('days', String(r.days));
    if (r.offers !== null) {
      q.set('offers', String(r.offers));
      q.set('stock', '1');
    }
    return q;
  }

  /** Sends a request; records the budget of any JSON answer; maps failures to KeepaError kinds. */
  private async send(path: 'product' | 'token', q: URLSearchParams): Promise<{ status: number; body: unknown }> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/${path}?${q}`;
    const res = await this.fetchRetrying(url);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new KeepaError('BAD_RESPONSE', `Keepa answered ${res.status} with a body that is not JSON`);
    }
    this.record(body);
    if (res.ok || res.status === 429) return { status: res.status, body };
    throw this.failure(res.status, body);
  }

  /**
   * GET with up to NETWORK_RETRIES more tries, a second apart, on a network failure (a kept-alive socket the
   * server closed meanwhile resets the next request; the request reads only, so sending it again is safe).
   */
  private async fetchRetrying(url: string): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { 'accept-encoding': 'gzip' } });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (e as Error).message;
        if (attempt >= NETWORK_RETRIES) throw new KeepaError('NETWORK', `cannot reach Keepa at ${this.opts.baseUrl}: ${why}`);
        await sleep(1000);
      }
    }
  }

  private record(body: unknown): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const tokensLeft = num(b.tokensLeft);
    if (tokensLeft === null) return;
    this.status = { tokensLeft, refillIn: num(b.refillIn) ?? REFILL_PERIOD_MS, refillRate: num(b.refillRate) ?? 0, receivedAt: Date.now() };
  }

  /** Status codes as the Python keepa client names them (400 REQUEST_REJECTED, 402 PAYMENT_REQUIRED, …). */
  private failure(status: number, body: unknown): KeepaError {
    const e = (body as { error?: { message?: unknown; type?: unknown } } | null)?.error;
    const said = e ? `: ${String(e.message ?? e.type ?? '')}` : '';
    if (status === 401 || status === 403 || (status === 400 && /key/i.test(said)))
      return new KeepaError('BAD_KEY', `Keepa refused the key (${status}${said}); check RESTOCK_RADAR_KEEPA_KEY`);
    if (status === 402)
      return new KeepaError('PAYMENT_REQUIRED', `Keepa answered 402 PAYMENT_REQUIRED${said}: the key's subscription has no API access`);
    return new KeepaError('REJECTED', `Keepa answered ${status}${status === 400 ? ' REQUEST_REJECTED' : ''}${said}`);
  }
}
