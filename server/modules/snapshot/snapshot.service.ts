import type { EntityManager } from 'typeorm';
import { DEAL_TYPES } from '../../../core/series/types';
import { toCents, toSqliteDatetime } from '../../db/columns';
import type { Db } from '../../db/db';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import type { CompetitorService } from '../competitor/competitor.service';
import { skipRolledUpHours } from '../retention/retention.guard';
import type { RecordSnapshotsResult, SnapshotInput } from './snapshot.inputs';

export const MAX_BATCH = 10_000;

/** A validated row, in storage units (cents, epoch-free Dates), keyed by competitor. */
interface Row {
  key: string;
  capturedAt: Date;
  stock: number | null;
  stockIsLowerBound: boolean;
  priceCents: number | null;
  listPriceCents: number | null;
  dealType: string;
  dealQuantity: number | null;
  dealClaimedPercent: number | null;
  dealStartsAt: Date | null;
  dealEndsAt: Date | null;
  bsr: number | null;
  rating: number | null;
  reviewCount: number | null;
  offerCount: number | null;
  source: string | null;
}

const COLUMNS = [
  'competitor_id', 'captured_at', 'stock', 'stock_is_lower_bound', 'price_cents', 'list_price_cents', 'deal_type',
  'deal_quantity', 'deal_claimed_percent', 'deal_starts_at', 'deal_ends_at', 'bsr', 'rating', 'review_count', 'offer_count', 'source',
] as const;

const INT32 = 2_147_483_647;

/** Validates one input; throws BAD_USER_INPUT naming `input[i].field`. */
function validate(s: SnapshotInput, i: number, now: number): Row & { asin: string; marketplace: string } {
  const f = (name: string) => `input[${i}].${name}`;
  const asin = v.asin(f('asin'), s.asin);
  const marketplace = v.marketplace(f('marketplace'), s.marketplace);
  const stock = v.optionalFinite(f('stock'), s.stock, { min: 0, max: INT32, integer: true });
  if (s.stockIsLowerBound && stock === null) throw badInput(f('stockIsLowerBound'), 'is true but stock is null: a lower bound needs a value');
  if (!DEAL_TYPES.includes(s.dealType)) throw badInput(f('dealType'), `must be one of ${DEAL_TYPES.join(', ')}`);
  const claimed = v.optionalFinite(f('dealClaimedPercent'), s.dealClaimedPercent, { min: 0, max: 100 });
  const dealQuantity = v.optionalFinite(f('dealQuantity'), s.dealQuantity, { min: 0, max: INT32, integer: true });
  if (s.dealType === 'NONE' && (claimed !== null || dealQuantity !== null)) {
    throw badInput(f('dealType'), 'is NONE but deal quantity or % claimed is set');
  }
  return {
    asin,
    marketplace,
    key: `${marketplace}|${asin}`,
    capturedAt: v.instant(f('capturedAt'), s.capturedAt, now),
    stock,
    stockIsLowerBound: Boolean(s.stockIsLowerBound),
    priceCents: toCents(v.optionalFinite(f('price'), s.price, { min: 0, max: 10_000_000 })),
    listPriceCents: toCents(v.optionalFinite(f('listPrice'), s.listPrice, { min: 0, max: 10_000_000 })),
    dealType: s.dealType,
    dealQuantity,
    dealClaimedPercent: claimed,
    dealStartsAt: s.dealStartsAt ? v.instant(f('dealStartsAt'), s.dealStartsAt, now + 30 * 86_400_000) : null,
    dealEndsAt: s.dealEndsAt ? v.instant(f('dealEndsAt'), s.dealEndsAt, now + 30 * 86_400_000) : null,
    bsr: v.optionalFinite(f('bsr'), s.bsr, { min: 1, max: INT32, integer: true }),
    rating: v.optionalFinite(f('rating'), s.rating, { min: 0, max: 5 }),
    reviewCount: v.optionalFinite(f('reviewCount'), s.reviewCount, { min: 0, max: INT32, integer: true }),
    offerCount: v.optionalFinite(f('offerCount'), s.offerCount, { min: 0, max: INT32, integer: true }),
    source: v.optionalText(f('source'), s.source, { max: 40 }),
  };
}

export class SnapshotService {
  /** Post-commit hook (the alert evaluator): competitors that received new snapshots. */
  afterRecord: ((workspaceId: string, competitorIds: string[]) => Promise<void>) | null = null;
  /** Rows received since start, by outcome (exported as a Prometheus counter). */
  readonly totals = { inserted: 0, duplicates: 0 };
  private sqliteInsert: ReturnType<ReturnType<Db['sqlite']>['prepare']> | null = null;

  constructor(
    private readonly db: Db,
    private readonly competitors: CompetitorService,
  ) {}

  /**
   * Stores a batch all-or-nothing: every item is validated before anything is written, then
   * competitors are resolved and rows inserted in one transaction. Idempotent on
   * (competitor, capturedAt).
   */
  async record(workspaceId: string, input: SnapshotInput[], now = Date.now()): Promise<RecordSnapshotsResult> {
    if (input.length > MAX_BATCH) throw badInput('input', `at most ${MAX_BATCH} snapshots per call, got ${input.length}`);
    if (input.length === 0) return { inserted: 0, duplicates: 0, competitorsCreated: 0 };
    const rows = input.map((s, i) => validate(s, i, now));
    let touched: string[] = [];
    const result = await this.db.write(async (m) => {
      const { ids, created } = await this.competitors.resolveKeys(m, workspaceId, rows);
      // Retention: rows inside an already rolled-up hour are skipped (reported as duplicates).
      const fresh = await skipRolledUpHours(this.db, m, rows, ids);
      const inserted = this.db.dialect === 'sqlite' ? this.insertSqlite(fresh, ids) : await this.insertPostgres(m, fresh, ids);
      touched = [...new Set(ids.values())];
      return { inserted, duplicates: rows.length - inserted, competitorsCreated: created };
    });
    this.totals.inserted += result.inserted;
    this.totals.duplicates += result.duplicates;
    // After commit, outside the transaction: a failing listener is logged by it, never fails the ingest.
    if (result.inserted > 0 && this.afterRecord) await this.afterRecord(workspaceId, touched).catch(() => undefined);
    return result;
  }

  /**
   * SQLite fast path: one prepared statement on the raw connection, inside the transaction the
   * caller holds. Synchronous, so nothing can interleave with it.
   */
  private insertSqlite(rows: Row[], ids: Map<string, string>): number {
    this.sqliteInsert ??= this.db
      .sqlite()
      .prepare(
        `INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (competitor_id, captured_at) DO NOTHING`,
      );
    const stmt = this.sqliteInsert;
    let inserted = 0;
    for (const r of rows) {
      inserted += stmt.run(
        ids.get(r.key), toSqliteDatetime(r.capturedAt), r.stock, r.stockIsLowerBound ? 1 : 0, r.priceCents, r.listPriceCents, r.dealType,
        r.dealQuantity, r.dealClaimedPercent, r.dealStartsAt ? toSqliteDatetime(r.dealStartsAt) : null,
        r.dealEndsAt ? toSqliteDatetime(r.dealEndsAt) : null, r.bsr, r.rating, r.reviewCount,
        r.offerCount, r.source,
      ).changes;
    }
    return inserted;
  }

  /** PostgreSQL: multi-row INSERTs of 1,000 rows (15 parameters each, under the 65,535 limit). */
  private async insertPostgres(m: EntityManager, rows: Row[], ids: Map<string, string>): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const base = params.length;
        params.push(
          ids.get(r.key), r.capturedAt, r.stock, r.stockIsLowerBound, r.priceCents, r.listPriceCents, r.dealType, r.dealQuantity,
          r.dealClaimedPercent, r.dealStartsAt, r.dealEndsAt, r.bsr, r.rating, r.reviewCount, r.offerCount, r.source,
        );
        return `(${COLUMNS.map((_, j) => `$${base + j + 1}`).join(', ')})`;
      });
      const result: unknown[] = await m.query(
        `INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (competitor_id, captured_at) DO NOTHING RETURNING id`,
        params,
      );
      inserted += result.length;
    }
    return inserted;
  }
}
