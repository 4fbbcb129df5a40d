/**
 * Snapshot retention (docs/operations.md, "Snapshot retention"): raw readings older than a cutoff are rolled up
 * in place, per competitor and UTC hour, so every reader of `snapshot` keeps working.
 *
 * For each hour entirely before the cutoff that holds more than one raw reading:
 *   - the hour's LAST reading is kept as it was and carries the roll-up: stock_min / stock_max /
 *     price_min_cents / price_max_cents over all the hour's readings, sample_count = how many;
 *   - readings that mark a CHANGE of state are kept verbatim (sample_count 0 = "raw reading kept
 *     by the roll-up, counted in its hour's roll-up row"): both ends of a stock rise, of a switch
 *     between exact / capped / unknown stock, into or out of stock 0, of a deal type, deal quantity
 *     or deal start/end change, a drop or 100 % of % claimed, and of a capture gap (> 12 h); also
 *     the series' first reading and every reading of a live LIGHTNING deal (its sub-hour curve:
 *     velocity now, peak, claim curve, plateaus; such deals last hours, so this costs little);
 *   - every other reading of the hour is deleted.
 * Why not only the last reading: between two readings core/ counts a stock fall as sales and a rise
 * as a restock (its interval excluded). Merging a rise into its neighbours' falls (cart reservations
 * make shown stock wobble by a few units all day) changed velocities by up to 64 % on the demo data
 * set. Between kept readings every removed reading was a fall or hold in the same state, so units
 * sold and measured time telescope exactly; restocks, stockouts and deal boundaries keep their
 * moments. docs/operations.md lists what still moves and by how much (measured by the tolerance test).
 *
 * Readings flagged as wrong stock (core/anomalies/flags.ts: a SPIKE such as a one-capture cart dip
 * 100 → 95 → 99) are left out, as velocity, restocks, stockouts and alerts leave them out: the flags
 * are computed on the readings as stored BEFORE the roll-up (wrongStockReadings, with each flag's
 * whole neighbourhood), and a flagged raw reading is deleted (kept only inside a live LIGHTNING
 * deal), marks no change, carries no roll-up and shapes no stock min/max (it still counts in
 * sample_count and, unless its price is flagged too, in the price range). Why: a flag depends on
 * the readings around it, which the roll-up removes; on the thinner series a kept dip is often no
 * longer flagged and velocity would count it as sales and a restock (2–15 % on the demo data set).
 *
 * Censored readings ("10+", "999+": real stock ≥ shown) never become exact figures:
 *   stock_min  = min of the shown values; exact only when an exact reading attains it (no censored
 *                reading shows less), else stock_min_is_lower_bound (the hour's real minimum ≥ it);
 *   stock_max  = max of the shown values; stock_max_is_lower_bound whenever any reading was
 *                censored (a "10+" may hide any number above 10).
 *
 * Idempotent: an hour without raw (sample_count null) rows is done; a raw row that reached a
 * rolled-up hour anyway (ingest skips them; a race on PostgreSQL) is folded in by the next run.
 * Work is chunked: one bounded transaction (db.write) per ≤ chunkRows rows of one competitor, so
 * SQLite ingest waits at most one chunk. Hours are grouped in SQL by their UTC hour on both databases.
 */
import { ANOMALY_NEIGHBOURHOOD, stockReadingFlags, wrongFields } from '../../../core/anomalies/flags';
import type { AnomalyField } from '../../../core/anomalies/detect';
import { DEFAULT_MAX_GAP_MS } from '../../../core/series/intervals';
import { HOUR_MS } from '../../../core/series/types';
import type { SnapshotFacts } from '../snapshot/snapshot.facts';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import { chunks, hourKeyStart, readTime, readTimeOrNull, type SqlParams } from '../../db/dialect';
import type { EntityManager } from 'typeorm';
import { toPoint } from '../snapshot/snapshot.points';

export interface RetentionOptions {
  /** Raw readings in hours that end at or before now − olderThanDays are rolled up. > 0. */
  olderThanDays: number;
  /** Epoch ms the age is measured from. Default: the server's clock. */
  now?: number;
  /** Count what would be rolled up; write nothing. */
  dryRun?: boolean;
  /** Only this workspace's competitors. Default: every workspace. */
  workspaceId?: string;
  /** Rows per transaction (bounded so SQLite ingest is never blocked for long). Default 5,000. */
  chunkRows?: number;
  /** Called after each competitor. */
  progress?: (p: RetentionProgress) => void;
}

export interface RetentionProgress {
  competitorsDone: number;
  competitors: number;
  hoursRolledUp: number;
  rowsDeleted: number;
}

export interface RetentionSummary {
  dryRun: boolean;
  /** Start of the first hour kept raw: hours before it are rolled up. */
  cutoff: Date;
  competitors: number;
  /** Competitors with at least one hour rolled up (or that would be, on a dry run). */
  competitorsRolledUp: number;
  hoursRolledUp: number;
  rowsBefore: number;
  /** On a dry run: what the table would hold afterwards. */
  rowsAfter: number;
  rowsDeleted: number;
  transactions: number;
  durationMs: number;
}

interface HourRow {
  hk: string;
  n: number | string;
}

interface StoredRow {
  id: number | string;
  captured_at: string | Date;
  stock: number | null;
  stock_is_lower_bound: number | boolean;
  price_cents: number | null;
  deal_type: string;
  deal_quantity: number | null;
  deal_claimed_percent: number | null;
  deal_starts_at: string | Date | null;
  deal_ends_at: string | Date | null;
  stock_min: number | null;
  stock_min_is_lower_bound: number | boolean | null;
  stock_max: number | null;
  stock_max_is_lower_bound: number | boolean | null;
  price_min_cents: number | null;
  price_max_cents: number | null;
  sample_count: number | null;
}

/**
 * Raw readings of a range whose stock value the shared anomaly flags (core/anomalies/flags.ts) say is
 * wrong: id → the fields a READING flag says are wrong (always including 'stock').
 */
export type WrongReadings = ReadonlyMap<number, ReadonlySet<AnomalyField>>;

/** The aggregate stored on the hour's kept row. */
export interface HourRollup {
  stockMin: number | null;
  stockMinIsLowerBound: boolean;
  stockMax: number | null;
  stockMaxIsLowerBound: boolean;
  priceMinCents: number | null;
  priceMaxCents: number | null;
  sampleCount: number;
}

const DAY_MS = 24 * HOUR_MS;
const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: number | boolean | null): boolean => v === true || v === 1 || (v as unknown) === '1';

/**
 * Merges the rows of one hour (raw readings and possibly an earlier roll-up) into one aggregate.
 * A roll-up row contributes its range with its own bound flags; a raw row its single reading; a
 * reading kept verbatim by an earlier roll-up nothing (its roll-up row already counts it).
 * A raw reading flagged as wrong (`wrong`: its id → the fields a READING flag says are wrong,
 * see wrongStockReadings) is counted in sample_count but its wrong values shape no min/max:
 * velocity, restocks and stockouts leave such a value out as if not captured, so the roll-up does too.
 */
export function rollUpHour(rows: readonly StoredRow[], wrong: WrongReadings = new Map()): HourRollup {
  let exactMin: number | null = null;
  let censoredMin: number | null = null;
  let max: number | null = null;
  let anyCensoredMax = false;
  let priceMin: number | null = null;
  let priceMax: number | null = null;
  let sampleCount = 0;
  const lower = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.min(a, b));
  const upper = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));
  for (const r of rows) {
    const rolled = r.sample_count !== null && r.sample_count !== undefined;
    // A reading kept verbatim by an earlier roll-up (0) is already counted in its hour's roll-up row.
    if (rolled && Number(r.sample_count) === 0) continue;
    sampleCount += rolled ? Number(r.sample_count) : 1;
    const bad = rolled ? undefined : wrong.get(Number(r.id));
    const lo = bad?.has('stock') ? null : rolled ? num(r.stock_min) : num(r.stock);
    const hi = bad?.has('stock') ? null : rolled ? num(r.stock_max) : num(r.stock);
    const loCensored = rolled ? bool(r.stock_min_is_lower_bound) : bool(r.stock_is_lower_bound);
    const hiCensored = rolled ? bool(r.stock_max_is_lower_bound) : bool(r.stock_is_lower_bound);
    if (lo !== null) {
      if (loCensored) censoredMin = lower(censoredMin, lo);
      else exactMin = lower(exactMin, lo);
    }
    if (hi !== null) {
      max = upper(max, hi);
      if (hiCensored) anyCensoredMax = true;
    }
    if (bad?.has('price')) continue;
    priceMin = lower(priceMin, rolled ? num(r.price_min_cents) : num(r.price_cents));
    priceMax = upper(priceMax, rolled ? num(r.price_max_cents) : num(r.price_cents));
  }
  const stockMin = lower(exactMin, censoredMin);
  return {
    stockMin,
    // Exact only if an exact reading attains the minimum: every censored reading is ≥ its shown value.
    stockMinIsLowerBound: stockMin !== null && (exactMin === null || (censoredMin !== null && censoredMin < exactMin)),
    stockMax: max,
    stockMaxIsLowerBound: max !== null && anyCensoredMax,
    priceMinCents: priceMin,
    priceMaxCents: priceMax,
    sampleCount,
  };
}

/**
 * True when the step from reading p to the next reading q changes what core/ reads from the series
 * beyond a telescoping fall: then both are kept (see the header).
 */
export function marksChange(p: StoredRow, q: StoredRow): boolean {
  const ps = num(p.stock);
  const qs = num(q.stock);
  if ((ps === null) !== (qs === null)) return true;
  if (ps !== null && qs !== null && (qs > ps || (ps === 0) !== (qs === 0))) return true;
  if (bool(p.stock_is_lower_bound) !== bool(q.stock_is_lower_bound)) return true;
  if (readTime(q.captured_at) - readTime(p.captured_at) > DEFAULT_MAX_GAP_MS) return true;
  if (p.deal_type !== q.deal_type || num(p.deal_quantity) !== num(q.deal_quantity)) return true;
  if (
    readTimeOrNull(p.deal_starts_at) !== readTimeOrNull(q.deal_starts_at) ||
    readTimeOrNull(p.deal_ends_at) !== readTimeOrNull(q.deal_ends_at)
  )
    return true;
  const pc = num(p.deal_claimed_percent);
  const qc = num(q.deal_claimed_percent);
  if ((pc === null) !== (qc === null)) return true;
  if (pc !== null && qc !== null && (qc < pc || pc >= 100 !== qc >= 100)) return true;
  return false;
}

/** What one chunk did (or, on a dry run, would do). */
interface ChunkResult {
  hours: number;
  deleted: number;
}

const COLUMNS = `id, captured_at, stock, stock_is_lower_bound, price_cents, deal_type, deal_quantity, deal_claimed_percent, deal_starts_at,
  deal_ends_at, stock_min, stock_min_is_lower_bound, stock_max, stock_max_is_lower_bound, price_min_cents, price_max_cents, sample_count`;

/** The roll-up columns of a reading kept verbatim: sample_count 0, counted in its hour's roll-up row. */
const KEPT_VERBATIM = {
  stockMin: null,
  stockMinIsLowerBound: null,
  stockMax: null,
  stockMaxIsLowerBound: null,
  priceMinCents: null,
  priceMaxCents: null,
  sampleCount: 0,
};

/** Readings read each side of a range to find its nearest neighbour not flagged as wrong stock. */
const NEIGHBOUR_ROWS = 8;

/** Rows per DELETE statement. */
const DELETE_CHUNK = 500;

/**
 * For each row of a range, whether it is kept verbatim: the series' first reading (it opens the
 * first interval), every reading of a live LIGHTNING deal (its sub-hour curve), and both ends of
 * every step that marksChange. `before`/`after` are the readings just outside the range.
 *
 * A reading flagged as wrong stock (`wrong`) is taken as not captured, as velocity, restocks and
 * stockouts take it: it is never kept as a change reading (only as part of a LIGHTNING deal's
 * curve, which deal figures read), and the steps are judged between its neighbours. Why: a cart
 * dip 100 → 95 → 99 whose 95 is flagged reads as 100 → 99 (one unit sold); keeping the 95 and
 * deleting the readings around it would leave it in a thinner neighbourhood where it is no longer
 * flagged, and velocity would count 5 sold and a restock instead.
 */
function keptReadings(before: StoredRow[], rows: StoredRow[], after: StoredRow[], wrong: WrongReadings): boolean[] {
  const isWrong = (r: StoredRow) => wrong.has(Number(r.id));
  const seq = [...before, ...rows.filter((r) => !isWrong(r)), ...after];
  const pos = new Map(seq.map((r, k) => [r, k]));
  return rows.map((r) => {
    if (r.deal_type === 'LIGHTNING') return true;
    const k = pos.get(r);
    if (k === undefined) return false;
    return k === 0 || marksChange(seq[k - 1], r) || (k + 1 < seq.length && marksChange(r, seq[k + 1]));
  });
}

/** Indexes into `rows` grouped by UTC hour, hours and rows in time order. */
function byUtcHour(rows: StoredRow[]): number[][] {
  const byHour = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const h = Math.floor(readTime(r.captured_at) / HOUR_MS);
    const list = byHour.get(h);
    if (list) list.push(i);
    else byHour.set(h, [i]);
  });
  return [...byHour.values()];
}

/** What to do with one range's rows: roll-up columns to set (each hour's roll-up on its last row, the kept-verbatim mark), rows to delete. */
interface RangePlan {
  hours: number;
  updates: { id: number; values: HourRollup | typeof KEPT_VERBATIM }[];
  doomed: number[];
}

/**
 * Plans the roll-up of a range: every hour with more than one row, at least one raw, is rolled up
 * onto its last row not flagged as wrong stock; readings that `kept` marks stay (marked once with
 * sample_count 0); the rest go. A raw reading flagged as wrong stock (not kept) goes also from an
 * hour that is not rolled up (its only reading, or all its readings flagged): the readings left
 * are what velocity read before, whose verdict on it a thinner neighbourhood could change.
 */
function planRange(rows: StoredRow[], kept: boolean[], wrong: WrongReadings): RangePlan {
  const plan: RangePlan = { hours: 0, updates: [], doomed: [] };
  for (const idx of byUtcHour(rows)) {
    const group = idx.map((i) => rows[i]);
    const raw = group.filter((r) => r.sample_count === null || r.sample_count === undefined);
    const last = idx.findLast((i) => !wrong.has(Number(rows[i].id)));
    if (group.length < 2 || raw.length === 0 || last === undefined) {
      // Not rolled up, but a raw reading flagged as wrong stock goes all the same (see keptReadings).
      for (const i of idx) if (wrong.has(Number(rows[i].id)) && !kept[i]) plan.doomed.push(Number(rows[i].id));
      continue;
    }
    plan.hours++;
    for (const i of idx) {
      const id = Number(rows[i].id);
      if (i === last) plan.updates.push({ id, values: rollUpHour(group, wrong) });
      // Kept verbatim; marked so a later run does not count it again.
      else if (kept[i]) {
        if (Number(rows[i].sample_count ?? -1) !== 0) plan.updates.push({ id, values: KEPT_VERBATIM });
      } else plan.doomed.push(id);
    }
  }
  return plan;
}

export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly facts: SnapshotFacts,
  ) {}

  private async countRows(workspaceId: string | undefined): Promise<number> {
    const q = this.db.params();
    const rows: { n: number | string }[] = workspaceId
      ? await this.db.manager.query(
          `SELECT COUNT(*) AS n FROM snapshot s JOIN competitor c ON c.id = s.competitor_id WHERE c.workspace_id = ${q.add(workspaceId)}`,
          q.values,
        )
      : await this.db.manager.query('SELECT COUNT(*) AS n FROM snapshot');
    return Number(rows[0].n);
  }

  /** The competitors a run covers, by id. */
  private competitorIds(workspaceId: string | undefined): Promise<{ id: string }[]> {
    const q = this.db.params();
    return workspaceId
      ? this.db.manager.query(`SELECT id FROM competitor WHERE workspace_id = ${q.add(workspaceId)} ORDER BY id`, q.values)
      : this.db.manager.query('SELECT id FROM competitor ORDER BY id');
  }

  /** A competitor's candidate hours before the cutoff: more than one row, at least one of them raw. */
  private candidateHours(competitorId: string, cutoff: number): Promise<HourRow[]> {
    const q = this.db.params();
    const hour = this.db.sql.utcHourKey('captured_at');
    return this.db.manager.query(
      `SELECT ${hour} AS hk, COUNT(*) AS n FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at < ${q.add(new Date(cutoff))}
        GROUP BY ${hour} HAVING COUNT(*) > 1 AND SUM(CASE WHEN sample_count IS NULL THEN 1 ELSE 0 END) > 0 ORDER BY hk`,
      q.values,
    );
  }

  async run(opts: RetentionOptions): Promise<RetentionSummary> {
    const started = Date.now();
    if (!(Number.isFinite(opts.olderThanDays) && opts.olderThanDays > 0)) {
      throw new RangeError(`olderThanDays must be a number > 0, got ${opts.olderThanDays}`);
    }
    const chunkRows = opts.chunkRows ?? 5000;
    if (!Number.isInteger(chunkRows) || chunkRows < 2) throw new RangeError(`chunkRows must be an integer ≥ 2, got ${chunkRows}`);
    const now = opts.now ?? this.clock.now();
    // Whole hours only: an hour straddling the cutoff stays raw until it is entirely older.
    const cutoff = Math.floor((now - opts.olderThanDays * DAY_MS) / HOUR_MS) * HOUR_MS;
    const competitors = await this.competitorIds(opts.workspaceId);
    const rowsBefore = await this.countRows(opts.workspaceId);
    const summary: RetentionSummary = {
      dryRun: Boolean(opts.dryRun),
      cutoff: new Date(cutoff),
      competitors: competitors.length,
      competitorsRolledUp: 0,
      hoursRolledUp: 0,
      rowsBefore,
      rowsAfter: rowsBefore,
      rowsDeleted: 0,
      transactions: 0,
      durationMs: 0,
    };
    for (const [i, { id }] of competitors.entries()) {
      await this.rollUpCompetitor(id, cutoff, chunkRows, Boolean(opts.dryRun), summary);
      opts.progress?.({
        competitorsDone: i + 1,
        competitors: competitors.length,
        hoursRolledUp: summary.hoursRolledUp,
        rowsDeleted: summary.rowsDeleted,
      });
    }
    summary.rowsAfter = opts.dryRun ? rowsBefore - summary.rowsDeleted : await this.countRows(opts.workspaceId);
    summary.durationMs = Date.now() - started;
    return summary;
  }

  /**
   * Rolls up one competitor's candidate hours in runs of ≤ chunkRows rows per transaction (an hour
   * is never split). The wrong-stock flags of every run are computed first, on the readings as
   * stored before this pass touches any of them (see wrongStockReadings).
   */
  private async rollUpCompetitor(id: string, cutoff: number, chunkRows: number, dryRun: boolean, summary: RetentionSummary): Promise<void> {
    const hours = await this.candidateHours(id, cutoff);
    if (hours.length) summary.competitorsRolledUp++;
    const ranges: { from: number; to: number }[] = [];
    let chunk: HourRow[] = [];
    let rows = 0;
    const close = () => {
      if (!chunk.length) return;
      // Contiguous ranges: every reading from the first candidate hour to the last is judged.
      const from = ranges.length ? ranges[ranges.length - 1].to : hourKeyStart(chunk[0].hk);
      ranges.push({ from, to: Math.min(cutoff, hourKeyStart(chunk[chunk.length - 1].hk) + HOUR_MS) });
      chunk = [];
      rows = 0;
    };
    for (const h of hours) {
      if (rows > 0 && rows + Number(h.n) > chunkRows) close();
      chunk.push(h);
      rows += Number(h.n);
    }
    close();
    const wrong = new Map<number, ReadonlySet<AnomalyField>>();
    for (const { from, to } of ranges) for (const [k, v] of await this.wrongStockReadings(id, from, to)) wrong.set(k, v);
    for (const { from, to } of ranges) {
      const done = dryRun
        ? await this.rollUpRange(this.db.manager, id, from, to, true, wrong)
        : await this.db.write((m) => this.rollUpRange(m, id, from, to, false, wrong));
      if (!dryRun) summary.transactions++;
      summary.hoursRolledUp += done.hours;
      summary.rowsDeleted += done.deleted;
      // Let queued writers (ingest) take the connection between chunks.
      await new Promise((r) => setImmediate(r));
    }
    // Derived facts follow the rolled-up readings: re-derived once per competitor from its first
    // rolled-up hour (not per chunk, which would re-derive the rest of the history each time).
    if (hours.length && !dryRun) {
      const since = hourKeyStart(hours[0].hk);
      await this.db.write((m) => this.facts.afterWrite(m, new Map([[id, since]])));
    }
  }

  /**
   * The raw readings of [from, to) whose STOCK value the shared anomaly flags say is wrong
   * (core/anomalies/flags.ts stockReadingFlags, the very verdicts velocity, restocks and stockouts
   * honour), judged on the readings as stored now, with the whole neighbourhood a flag depends on:
   * back ANOMALY_NEIGHBOURHOOD.maxSpan × before readings (≤ 14 days) and on maxSpan × after
   * readings (≤ 48 h). Computed before the roll-up removes neighbours, because on the thinner
   * rolled-up series the same reading may no longer be flagged (a cart dip 100 → 95 → 99 would
   * then count as 5 units sold and a restock). Read outside the roll-up's transactions: a reading
   * stored meanwhile is taken as unflagged.
   */
  private async wrongStockReadings(competitorId: string, from: number, to: number): Promise<WrongReadings> {
    const N = ANOMALY_NEIGHBOURHOOD;
    const select = async (
      where: (q: SqlParams) => string,
      order: string,
    ): Promise<(Parameters<typeof toPoint>[0] & { id: number | string; sample_count: number | null })[]> => {
      const q = this.db.params();
      return this.db.manager.query(
        `SELECT id, competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, list_price_cents, deal_type, deal_quantity,
                deal_claimed_percent, deal_starts_at, deal_ends_at, bsr, source, sample_count
           FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND ${where(q)} ORDER BY ${order}`,
        q.values,
      );
    };
    const at = (t: number, q: SqlParams) => q.add(new Date(t));
    const before = await select(
      (q) => `captured_at < ${at(from, q)} AND captured_at >= ${at(from - N.beforeMs, q)}`,
      `captured_at DESC LIMIT ${N.maxSpan * N.before}`,
    );
    const rows = await select((q) => `captured_at >= ${at(from, q)} AND captured_at < ${at(to, q)}`, 'captured_at');
    const after = await select(
      (q) => `captured_at >= ${at(to, q)} AND captured_at <= ${at(to + N.afterMs, q)}`,
      `captured_at LIMIT ${N.maxSpan * N.after}`,
    );
    const all = [...before.reverse(), ...rows, ...after];
    const flags = stockReadingFlags(all.map(toPoint), {}, { from, to: to - 1 });
    const out = new Map<number, ReadonlySet<AnomalyField>>();
    flags.forEach((f, i) => {
      const fields = wrongFields(f);
      if (fields.has('stock') && all[i].sample_count === null) out.set(Number(all[i].id), fields);
    });
    return out;
  }

  /**
   * One competitor's readings of [from, to) and the nearest one before and after not flagged as
   * wrong stock (whether a reading marks a change depends on both neighbours; a flagged reading is
   * taken as not captured). Read inside the transaction: what is rolled up is exactly what is deleted.
   */
  private async readRange(m: EntityManager, competitorId: string, from: number, to: number, wrong: WrongReadings) {
    const select = async (where: (q: SqlParams) => string, order: string): Promise<StoredRow[]> => {
      const q = this.db.params();
      return m.query(
        `SELECT ${COLUMNS} FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND ${where(q)} ORDER BY ${order}`,
        q.values,
      );
    };
    // A few readings each side; the nearest one not flagged (else the nearest one).
    const nearest = (list: StoredRow[]) =>
      list
        .filter((r) => !wrong.has(Number(r.id)))
        .slice(0, 1)
        .concat(list)
        .slice(0, 1);
    const before = nearest(await select((q) => `captured_at < ${q.add(new Date(from))}`, `captured_at DESC LIMIT ${NEIGHBOUR_ROWS}`));
    const rows = await select((q) => `captured_at >= ${q.add(new Date(from))} AND captured_at < ${q.add(new Date(to))}`, 'captured_at');
    const after = nearest(await select((q) => `captured_at >= ${q.add(new Date(to))}`, `captured_at LIMIT ${NEIGHBOUR_ROWS}`));
    return { before, rows, after };
  }

  /** Stores an hour's roll-up (or the kept-verbatim mark) on one row. */
  private async setRollup(m: EntityManager, id: number, v: HourRollup | typeof KEPT_VERBATIM): Promise<void> {
    const q = this.db.params();
    await m.query(
      `UPDATE snapshot SET stock_min = ${q.add(v.stockMin)}, stock_min_is_lower_bound = ${q.add(v.stockMinIsLowerBound)},
              stock_max = ${q.add(v.stockMax)}, stock_max_is_lower_bound = ${q.add(v.stockMaxIsLowerBound)},
              price_min_cents = ${q.add(v.priceMinCents)}, price_max_cents = ${q.add(v.priceMaxCents)}, sample_count = ${q.add(v.sampleCount)}
        WHERE id = ${q.add(id)}`,
      q.values,
    );
  }

  /**
   * Rolls up every hour of [from, to) of one competitor that holds more than one row, at least one
   * raw, in the caller's transaction (or only counts, on a dry run).
   */
  private async rollUpRange(
    m: EntityManager,
    competitorId: string,
    from: number,
    to: number,
    dryRun: boolean,
    wrong: WrongReadings,
  ): Promise<ChunkResult> {
    const { before, rows, after } = await this.readRange(m, competitorId, from, to, wrong);
    const plan = planRange(rows, keptReadings(before, rows, after, wrong), wrong);
    if (!dryRun) {
      for (const { id, values } of plan.updates) await this.setRollup(m, id, values);
      for (const ids of chunks(plan.doomed, DELETE_CHUNK)) {
        const q = this.db.params();
        await m.query(`DELETE FROM snapshot WHERE id IN (${q.list(ids)})`, q.values);
      }
    }
    return { hours: plan.hours, deleted: plan.doomed.length };
  }
}
