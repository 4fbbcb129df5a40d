import type { EntityManager } from 'typeorm';
import { DEAL_TYPES } from '../../../core/series/types';
import { toCents, toSqliteDatetime } from '../../db/columns';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import type { EventBus } from '../../events';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import type { CompetitorService } from '../competitor/competitor.service';
import { mergeResent } from './snapshot.merge';
import type { SnapshotFacts } from './snapshot.facts';
import { skipRolledUpHours } from './snapshot.rollups';
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
  monthlySold: number | null;
  estimatedMonthlySales: number | null;
  source: string | null;
}

const COLUMNS = [
  'competitor_id',
  'captured_at',
  'stock',
  'stock_is_lower_bound',
  'price_cents',
  'list_price_cents',
  'deal_type',
  'deal_quantity',
  'deal_claimed_percent',
  'deal_starts_at',
  'deal_ends_at',
  'bsr',
  'rating',
  'review_count',
  'offer_count',
  'monthly_sold',
  'est_monthly_sales',
  'source',
  // When the row arrived, from the injected clock (staleness is judged on arrival: core/series/provenance.ts).
  'ingested_at',
] as const;

const INT32 = 2_147_483_647;
const DEAL_WINDOW_MS = 30 * 86_400_000;

/*
 * Validation runs for every row of a 10,000-row batch, so each rule first accepts a well-formed
 * value inline and only otherwise calls the shared checker in validate.ts, which throws the
 * canonical BAD_USER_INPUT naming `input[i].field`. The accept conditions are exactly the
 * checkers' (a value they would refuse never takes the fast branch), and the field name is only
 * built on the error path. Rows from CSV imports come through here too, not only through GraphQL
 * coercion, so nothing is skipped because the scalar types "already" guarantee it.
 */
const at = (i: number, name: string) => `input[${i}].${name}`;

function int(i: number, name: string, x: number | null | undefined, min: number): number | null {
  if (x === null || x === undefined) return null;
  if (Number.isInteger(x) && x >= min && x <= INT32) return x;
  return v.finite(at(i, name), x, { min, max: INT32, integer: true });
}

function num(i: number, name: string, x: number | null | undefined, max: number): number | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number' && x >= 0 && x <= max) return x; // false for NaN and ±Infinity
  return v.finite(at(i, name), x, { min: 0, max });
}

function instant(i: number, name: string, d: Date, latest: number): Date {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (t >= v.MIN_TIME && t <= latest + v.FUTURE_SLACK_MS) return d;
  return v.instant(at(i, name), d, latest);
}

/** Validates one input; throws BAD_USER_INPUT naming `input[i].field`. */
function validate(s: SnapshotInput, i: number, now: number): Row & { asin: string; marketplace: string } {
  const asin = typeof s.asin === 'string' && v.ASIN_PATTERN.test(s.asin) ? s.asin.toUpperCase() : v.asin(at(i, 'asin'), s.asin);
  const m = s.marketplace;
  const marketplace = m === 'US' || (typeof m === 'string' && v.MARKETPLACE_PATTERN.test(m)) ? m : v.marketplace(at(i, 'marketplace'), m);
  const stock = int(i, 'stock', s.stock, 0);
  if (s.stockIsLowerBound && stock === null)
    throw badInput(at(i, 'stockIsLowerBound'), 'is true but stock is null: a lower bound needs a value');
  if (!DEAL_TYPES.includes(s.dealType)) throw badInput(at(i, 'dealType'), `must be one of ${DEAL_TYPES.join(', ')}`);
  const claimed = num(i, 'dealClaimedPercent', s.dealClaimedPercent, 100);
  const dealQuantity = int(i, 'dealQuantity', s.dealQuantity, 0);
  if (s.dealType === 'NONE' && (claimed !== null || dealQuantity !== null)) {
    throw badInput(at(i, 'dealType'), 'is NONE but deal quantity or % claimed is set');
  }
  const source = s.source === null || s.source === undefined ? null : s.source.trim();
  return {
    asin,
    marketplace,
    key: `${marketplace}|${asin}`,
    capturedAt: instant(i, 'capturedAt', s.capturedAt, now),
    stock,
    stockIsLowerBound: Boolean(s.stockIsLowerBound),
    priceCents: toCents(num(i, 'price', s.price, 10_000_000)),
    listPriceCents: toCents(num(i, 'listPrice', s.listPrice, 10_000_000)),
    dealType: s.dealType,
    dealQuantity,
    dealClaimedPercent: claimed,
    dealStartsAt: s.dealStartsAt ? instant(i, 'dealStartsAt', s.dealStartsAt, now + DEAL_WINDOW_MS) : null,
    dealEndsAt: s.dealEndsAt ? instant(i, 'dealEndsAt', s.dealEndsAt, now + DEAL_WINDOW_MS) : null,
    bsr: int(i, 'bsr', s.bsr, 1),
    rating: num(i, 'rating', s.rating, 5),
    reviewCount: int(i, 'reviewCount', s.reviewCount, 0),
    offerCount: int(i, 'offerCount', s.offerCount, 0),
    monthlySold: int(i, 'monthlySold', s.monthlySold, 0),
    estimatedMonthlySales: int(i, 'estimatedMonthlySales', s.estimatedMonthlySales, 0),
    source: source === null || source === '' ? null : source.length <= 40 ? source : v.optionalText(at(i, 'source'), source, { max: 40 }),
  };
}

/** Keeps the earliest changed capture time per competitor. */
function noteChange(changed: Map<string, number>, competitorId: string, at: number): void {
  const prev = changed.get(competitorId);
  if (prev === undefined || at < prev) changed.set(competitorId, at);
}

export class SnapshotService {
  /** Rows received since start, by outcome (exported as a Prometheus counter). */
  readonly totals = { inserted: 0, duplicates: 0 };
  private sqliteInsert: ReturnType<ReturnType<Db['sqlite']>['prepare']> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly competitors: CompetitorService,
    private readonly facts: SnapshotFacts,
  ) {}

  /**
   * Stores a batch all-or-nothing: every item is validated before anything is written, then
   * competitors are resolved and rows inserted in one transaction. Idempotent on
   * (competitor, capturedAt).
   */
  async record(workspaceId: string, input: SnapshotInput[], now = this.clock.now()): Promise<RecordSnapshotsResult> {
    if (input.length > MAX_BATCH) throw badInput('input', `at most ${MAX_BATCH} snapshots per call, got ${input.length}`);
    if (input.length === 0) return { inserted: 0, duplicates: 0, competitorsCreated: 0, merged: 0, conflicts: 0, conflictExamples: [] };
    const rows = input.map((s, i) => validate(s, i, now));
    // One entry per competitor named (a batch usually repeats each one many times).
    const named = new Map<string, { asin: string; marketplace: string }>();
    for (const r of rows) if (!named.has(r.key)) named.set(r.key, r);
    const asinOf = new Map<string, string>();
    let touched: string[] = [];
    const result = await this.db.write(async (m) => {
      const { ids, created } = await this.competitors.resolveKeys(m, workspaceId, [...named.values()]);
      for (const [key, id] of ids) asinOf.set(id, named.get(key)?.asin ?? key);
      // Retention: rows inside an already rolled-up hour are skipped (reported as duplicates).
      const fresh = await skipRolledUpHours(this.db, m, rows, ids);
      const resent: Row[] = [];
      const changed = new Map<string, number>();
      const inserted = await this.db.bulk(
        () => this.insertSqlite(fresh, ids, now, resent, changed),
        () => this.insertPostgres(m, fresh, ids, now, resent, changed),
      );
      const merge = resent.length ? await mergeResent(this.db, m, resent, ids, (cid, at) => noteChange(changed, cid, at)) : null;
      // Derived facts change with the readings, in this transaction, once per competitor.
      await this.facts.afterWrite(m, changed);
      touched = [...new Set(ids.values())];
      return {
        inserted,
        duplicates: rows.length - inserted,
        competitorsCreated: created,
        merged: merge?.merged ?? 0,
        conflicts: merge?.conflicts ?? 0,
        conflictExamples: (merge?.examples ?? []).map((c) => ({ ...c, asin: asinOf.get(c.competitorId) ?? '' })),
        changed: inserted > 0 || (merge?.merged ?? 0) > 0,
      };
    });
    this.totals.inserted += result.inserted;
    this.totals.duplicates += result.duplicates;
    // After commit, outside the transaction: a failing listener is logged, never fails the ingest.
    const { changed, ...outcome } = result;
    if (changed) await this.events.publish('snapshots.recorded', { workspaceId, competitorIds: touched });
    return outcome;
  }

  /**
   * SQLite fast path: one prepared statement on the raw connection, inside the transaction the
   * caller holds. Synchronous, so nothing can interleave with it.
   */
  private insertSqlite(rows: Row[], ids: Map<string, string>, now: number, resent: Row[], changed: Map<string, number>): number {
    const arrived = toSqliteDatetime(new Date(now));
    this.sqliteInsert ??= this.db
      .sqlite()
      .prepare(
        `INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (competitor_id, captured_at) DO NOTHING`,
      );
    const stmt = this.sqliteInsert;
    let inserted = 0;
    for (const r of rows) {
      const changes = stmt.run(
        ids.get(r.key),
        toSqliteDatetime(r.capturedAt),
        r.stock,
        r.stockIsLowerBound ? 1 : 0,
        r.priceCents,
        r.listPriceCents,
        r.dealType,
        r.dealQuantity,
        r.dealClaimedPercent,
        r.dealStartsAt ? toSqliteDatetime(r.dealStartsAt) : null,
        r.dealEndsAt ? toSqliteDatetime(r.dealEndsAt) : null,
        r.bsr,
        r.rating,
        r.reviewCount,
        r.offerCount,
        r.monthlySold,
        r.estimatedMonthlySales,
        r.source,
        arrived,
      ).changes;
      inserted += changes;
      if (changes) noteChange(changed, ids.get(r.key) as string, r.capturedAt.getTime());
      else resent.push(r);
    }
    return inserted;
  }

  /** PostgreSQL: multi-row INSERTs of 1,000 rows (19 parameters each, under the 65,535 limit). */
  private async insertPostgres(
    m: EntityManager,
    rows: Row[],
    ids: Map<string, string>,
    now: number,
    resent: Row[],
    changed: Map<string, number>,
  ): Promise<number> {
    const arrived = new Date(now);
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const base = params.length;
        params.push(
          ids.get(r.key),
          r.capturedAt,
          r.stock,
          r.stockIsLowerBound,
          r.priceCents,
          r.listPriceCents,
          r.dealType,
          r.dealQuantity,
          r.dealClaimedPercent,
          r.dealStartsAt,
          r.dealEndsAt,
          r.bsr,
          r.rating,
          r.reviewCount,
          r.offerCount,
          r.monthlySold,
          r.estimatedMonthlySales,
          r.source,
          arrived,
        );
        return `(${COLUMNS.map((_, j) => `$${base + j + 1}`).join(', ')})`;
      });
      const result: { competitor_id: string; captured_at: Date }[] = await m.query(
        `INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (competitor_id, captured_at) DO NOTHING RETURNING competitor_id, captured_at`,
        params,
      );
      for (const r of result) noteChange(changed, r.competitor_id, new Date(r.captured_at).getTime());
      inserted += result.length;
      if (result.length < chunk.length) {
        // Each returned key was inserted once, by the first row carrying it; any later row with it was skipped.
        const stored = new Set(result.map((x) => `${x.competitor_id}|${x.captured_at.getTime()}`));
        for (const r of chunk) {
          const key = `${ids.get(r.key)}|${r.capturedAt.getTime()}`;
          if (!stored.delete(key)) resent.push(r);
        }
      }
    }
    return inserted;
  }
}
