/**
 * The Keepa connector (docs/import.md, "Keepa connector"): polls a workspace's tracked listings
 * through Keepa's `/product` endpoint (keepa.client.ts) and stores each answer through the same path as
 * `import --format keepa-json` (ImportService.importKeepaDocument): a batch of readings is validated
 * whole, its facts maintained once, and readings Keepa sends again merge with the stored ones.
 *
 * Listings are read in keyset pages of (marketplace, asin), at most `maxListings` per run, grouped by
 * marketplace (one Keepa domain per request) and sent 100 ASINs at a time, fewer when the token
 * balance covers fewer.
 */
import type { Db } from '../../db/db';
import { KEEPA_DOMAINS } from '../import/import.keepa-json';
import type { ImportService, ImportSummary } from '../import/import.service';
import { type KeepaClient, type KeepaClientOptions, MAX_ASINS_PER_REQUEST } from './keepa.client';

/** Keepa domain id by marketplace code. */
export const KEEPA_DOMAIN_OF: Record<string, number> = Object.fromEntries(Object.entries(KEEPA_DOMAINS).map(([id, m]) => [m, Number(id)]));

const PAGE = 1_000;

export interface KeepaSyncOptions {
  /** Only these ASINs (tracked listings with them; untracked ones in `marketplace`). Default: every tracked listing. */
  asins?: readonly string[] | null;
  /** Marketplace of `asins` that are not tracked yet. Default US. */
  marketplace?: string | null;
  /** Histories of the last N days (Keepa `days`); null = whole history. */
  days: number | null;
  /** Live offers per product (20–100) for their stock; null = none (cheapest). */
  offers: number | null;
  /** At most this many listings per run. */
  maxListings: number;
  /** The longest single wait for Keepa tokens before the sync stops with QUOTA (client default 15 min). */
  maxWaitMs?: number;
  onProgress?: (p: KeepaProgress) => void;
  onWait?: KeepaClientOptions['onWait'];
}

export interface KeepaProgress {
  marketplace: string;
  asinsDone: number;
  asinsTotal: number;
  readingsStored: number;
  tokensLeft: number | null;
}

export interface KeepaSyncSummary {
  listings: number;
  requests: number;
  tokensConsumed: number;
  tokensLeft: number | null;
  /** ASINs Keepa answered without any history (unknown to it, or nothing in the `days` window), and up to 20 of them. */
  empty: number;
  emptyExamples: string[];
  /** Marketplaces Keepa has no domain for: their listings were skipped. */
  skippedMarketplaces: string[];
  /** Totals of the stored answers (ImportService's summary, summed). */
  stored: Pick<ImportSummary, 'rows' | 'inserted' | 'duplicates' | 'merged' | 'conflicts' | 'competitorsCreated' | 'listingsUpdated'> & {
    rejected: number;
    failedBatches: number;
  };
  notes: string[];
}

export type KeepaClientFactory = (opts: Pick<KeepaClientOptions, 'onWait' | 'maxWaitMs'>) => KeepaClient;

export class KeepaSyncService {
  constructor(
    private readonly db: Db,
    private readonly imports: ImportService,
    private readonly client: KeepaClientFactory | null,
  ) {}

  /** True when a Keepa key is configured (RESTOCK_RADAR_KEEPA_KEY). */
  get configured(): boolean {
    return this.client !== null;
  }

  /** The listings to poll, by marketplace: tracked ones (keyset pages), or the named ASINs. */
  async listings(
    workspaceId: string,
    opts: Pick<KeepaSyncOptions, 'asins' | 'marketplace' | 'maxListings'>,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const add = (m: string, a: string) => out.set(m, [...(out.get(m) ?? []), a]);
    const wanted = opts.asins ? new Set(opts.asins.map((a) => a.toUpperCase())) : null;
    let after: [string, string] = ['', ''];
    let n = 0;
    for (;;) {
      const q = this.db.params();
      const rows: { asin: string; marketplace: string }[] = await this.db.manager.query(
        `SELECT asin, marketplace FROM competitor WHERE workspace_id = ${q.add(workspaceId)}
           AND (marketplace > ${q.add(after[0])} OR (marketplace = ${q.add(after[0])} AND asin > ${q.add(after[1])}))
         ORDER BY marketplace, asin LIMIT ${PAGE}`,
        q.values,
      );
      for (const r of rows) {
        if (wanted && !wanted.has(r.asin.toUpperCase())) continue;
        if (n++ >= opts.maxListings) return out;
        add(r.marketplace, r.asin);
        wanted?.delete(r.asin.toUpperCase());
      }
      if (rows.length < PAGE) break;
      after = [rows[rows.length - 1].marketplace, rows[rows.length - 1].asin];
    }
    for (const a of wanted ?? []) if (n++ < opts.maxListings) add(opts.marketplace ?? 'US', a);
    return out;
  }

  /** Polls the listings and stores the answers; throws KeepaError (bad key, quota, network) with what was stored so far in `partial`. */
  async sync(workspaceId: string, opts: KeepaSyncOptions): Promise<KeepaSyncSummary> {
    if (!this.client) throw new Error('the Keepa connector is off: set RESTOCK_RADAR_KEEPA_KEY to your Keepa API key');
    const client = this.client({ onWait: opts.onWait, maxWaitMs: opts.maxWaitMs });
    const summary = emptySummary();
    const groups = await this.listings(workspaceId, opts);
    try {
      for (const [marketplace, asins] of groups) {
        const domain = KEEPA_DOMAIN_OF[marketplace];
        if (domain === undefined) {
          summary.skippedMarketplaces.push(marketplace);
          summary.notes.push(`${asins.length} listing(s) in ${marketplace} skipped: Keepa has no domain for that marketplace`);
          continue;
        }
        await this.syncMarketplace(client, workspaceId, marketplace, domain, asins, opts, summary);
      }
    } catch (e) {
      throw Object.assign(e as Error, { partial: summary });
    }
    summary.tokensLeft = client.tokensNow();
    return summary;
  }

  private async syncMarketplace(
    client: KeepaClient,
    workspaceId: string,
    marketplace: string,
    domain: number,
    asins: string[],
    opts: KeepaSyncOptions,
    summary: KeepaSyncSummary,
  ): Promise<void> {
    let done = 0;
    while (done < asins.length) {
      await client.ready();
      const batch = asins.slice(done, done + client.affordable(Math.min(MAX_ASINS_PER_REQUEST, asins.length - done), opts));
      const { products, tokensConsumed } = await client.product({ domain, asins: batch, days: opts.days, offers: opts.offers });
      summary.requests++;
      summary.tokensConsumed += tokensConsumed ?? 0;
      const s = await this.imports.importKeepaDocument(workspaceId, { products }, { marketplace, source: 'keepa-api' });
      addStored(summary, s);
      const withHistory = new Set(emptyless(products));
      for (const a of batch) {
        if (withHistory.has(a.toUpperCase())) continue;
        summary.empty++;
        if (summary.emptyExamples.length < 20) summary.emptyExamples.push(`${marketplace}:${a}`);
      }
      done += batch.length;
      summary.listings += batch.length;
      opts.onProgress?.({
        marketplace,
        asinsDone: done,
        asinsTotal: asins.length,
        readingsStored: summary.stored.inserted,
        tokensLeft: client.tokensNow(),
      });
    }
  }
}

/** ASINs of the products that carry some history (a csv series, offers or monthlySold). */
function emptyless(products: unknown[]): string[] {
  return products
    .filter((p) => {
      const o = p as { csv?: unknown[]; offers?: unknown[]; monthlySold?: unknown };
      return (
        (Array.isArray(o.csv) && o.csv.some((x) => Array.isArray(x) && x.length)) ||
        (Array.isArray(o.offers) && o.offers.length) ||
        typeof o.monthlySold === 'number'
      );
    })
    .map((p) => String((p as { asin?: unknown }).asin ?? '').toUpperCase());
}

function emptySummary(): KeepaSyncSummary {
  return {
    listings: 0,
    requests: 0,
    tokensConsumed: 0,
    tokensLeft: null,
    empty: 0,
    emptyExamples: [],
    skippedMarketplaces: [],
    stored: {
      rows: 0,
      inserted: 0,
      duplicates: 0,
      merged: 0,
      conflicts: 0,
      competitorsCreated: 0,
      listingsUpdated: 0,
      rejected: 0,
      failedBatches: 0,
    },
    notes: [],
  };
}

function addStored(t: KeepaSyncSummary, s: ImportSummary): void {
  const x = t.stored;
  x.rows += s.rows;
  x.inserted += s.inserted;
  x.duplicates += s.duplicates;
  x.merged += s.merged;
  x.conflicts += s.conflicts;
  x.competitorsCreated += s.competitorsCreated;
  x.listingsUpdated += s.listingsUpdated;
  x.rejected += s.rejected.length;
  x.failedBatches += s.failedBatches.length;
  for (const n of s.notes) if (t.notes.length < 50) t.notes.push(n);
}
