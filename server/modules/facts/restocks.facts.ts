/**
 * Restock events and stockout windows, maintained at ingest (docs/architecture.md, "Facts"): per
 * competitor, `restock_event` (core/restock/detect.ts, with the causal threshold RESTOCK_OPTIONS)
 * and `stockout_window` (core/restock/stockout.ts, before the duration filter), so `restocks` and
 * `stockoutWindows` read a page of rows, however long the history.
 *
 * What an event or window at reading time t depends on (the reach this maintenance bounds):
 *   flags      the stock flags of the readings (core/anomalies/flags.ts): a reading's flag looks
 *              forward to FLAG_REACH.ahead and back to FLAG_REACH.behind;
 *   threshold  T at a rise is learned from the falls in the THRESHOLD_DAYS before it
 *              (thresholdWindowMs: causal, later readings never move it);
 *   reference  the level a rise is measured from: the last exact reading before it (any exact
 *              reading resets the scan's reference, so it is synchronized by the first one read);
 *   deal batch consecutive live readings of the deal run (core/series/dealRuns.ts), complete when
 *              the read starts at or before the first reading of every run it overlaps;
 *   flap       a from-zero rise looks forward FLAP_MS for its return to 0;
 *   drafts     a rise joins the previous event only within JOIN_MS (flap 6 h, tranche 4 h) of that
 *              event's last activity (its last rise, or a flap's return to 0);
 *   windows    a window opens at the first 0 after stock, closes at the first reading of a
 *              non-flap restock of confidence ≥ 0.5; its baseline is velocity over the
 *              BASELINE_DAYS before its start (start ≥ first 0 − 12 h: changeInstant).
 *
 * Maintenance for a competitor whose readings changed from `since` on, in the writer's transaction:
 *   1. anchor   A = flagsTouchedFrom(since): no flag before A moves;
 *   2. restart  R = A, moved back (to a fixpoint) to the opening reading of every stored event
 *               whose last activity is ≥ R − JOIN_MS and to the first 0 of every stored window
 *               not closed before R. Then every event opened before R has all its candidates and
 *               its last activity before R − JOIN_MS (unchanged: they look forward at most FLAP_MS
 *               and their flags end before A), no rise from R on can join it, and the stockout scan
 *               is "in stock" at R; so the events opened and windows starting (first 0) from R on
 *               are exactly those a scan of the whole history finds from R on — PROVIDED the scan
 *               from R sees the same flags, thresholds, reference, deal runs and stockout state:
 *   3. context  readings from C0 on, where C_T = R − CONTEXT_MS (threshold window 14 d, baseline
 *               window 14 d + its 12 h edge before a start ≥ R − 12 h), moved back to the first
 *               reading of a deal episode open at C_T (complete runs), and C0 = the flag context
 *               of that (FLAG_REACH.behind): flags from C_T on are judged on their whole
 *               neighbourhood, T and the baselines read only readings from C_T on, the reference
 *               is synchronized by the first exact reading after C_T; the stockout scan uses the
 *               stored events before R and is "in stock" at R after its first 0 or event read;
 *   4. derive   detectRestockDrafts + stockoutFacts (core) over the readings from C0 on, with the
 *               flags judged only at the readings whose stock is wrong (restockFlags: same results);
 *   5. replace  events opened ≥ R and windows with first 0 ≥ R are deleted and the derived ones
 *               from R on inserted.
 * Caveat (stated, not hidden): the reference and a window's `startKnown` reach back further than
 * C_T only when no exact (resp. in-stock) reading lies in the 15 days before R.
 * Before step 3, mayChange (step 2½) stops batches that cannot start or end an event or window
 * (most in-order batches): they cost a few index seeks and the ~50 readings of R's flag context.
 * A batch that can change something costs its ~15 days of context (once per batch and competitor);
 * tests/server/facts-differential.db.test.ts checks incremental == rebuilt == core over the whole
 * history, tests/unit/restock/facts-reach.test.ts the restart bound on generated listings.
 */
import type { EntityManager } from 'typeorm';
import type { SnapshotFlag } from '../../../core/anomalies/detect';
import { flagReading, wrongStockReadings } from '../../../core/anomalies/flags';
import { detectRestockDrafts, type RestockDraftEvent, type RestockEvent, type RestockOptions } from '../../../core/restock/detect';
import { type StockoutFact, stockoutFacts } from '../../../core/restock/stockout';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import type { Db } from '../../db/db';
import { readTime, readTimeOrNull } from '../../db/dialect';
import { FLAG_REACH, flagsTouchedAt } from './consumption.facts';
import { exec, POINT_COLUMNS, read, readPoints } from './facts.sql';

/** Version of the rules that made restock events and stockout windows (core/restock, flags); bump on a rule change. */
export const RESTOCK_RULES = 1;

/** The pre-restock window T is learned from (days). */
export const THRESHOLD_DAYS = 14;
/** Baseline before a stockout window (days), as stockoutWindows' default. */
export const BASELINE_DAYS = 14;
/** The restock options of the API, the alerts and the facts: T from the 14 days before each rise. */
export const RESTOCK_OPTIONS: RestockOptions = { thresholdWindowMs: THRESHOLD_DAYS * DAY_MS };
/** detectRestocks' default floor of T (the cheap exit's rise test). */
const MIN_JUMP_UNITS = 5;
/** A rise joins the previous event within this of its last activity (max of the flap and merge windows). */
export const JOIN_MS = 6 * HOUR_MS;
/** Readings before the restart that the thresholds and baselines read (14 d; 14 d + 12 h edge + 12 h start offset). */
export const CONTEXT_MS = Math.max(THRESHOLD_DAYS, BASELINE_DAYS) * DAY_MS + 24 * HOUR_MS;
/** A deal run may be continued this long after its last reading or scheduled end (dealRuns). */
const CONTINUE_MS = 12 * HOUR_MS;

/**
 * Restock facts of another rule version, or none while the readings show a stockout or a restock
 * interval (after the upgrade that added the tables); `rules` the current version (a constant, inlined: SQLite's placeholders are positional).
 */
export function staleRestocksSql(rules: number): string {
  return `(EXISTS (SELECT 1 FROM restock_event r WHERE r.competitor_id = c.id AND r.rules <> ${rules})
        OR EXISTS (SELECT 1 FROM stockout_window w WHERE w.competitor_id = c.id AND w.rules <> ${rules})
        OR (NOT EXISTS (SELECT 1 FROM restock_event r WHERE r.competitor_id = c.id)
            AND NOT EXISTS (SELECT 1 FROM stockout_window w WHERE w.competitor_id = c.id)
            AND EXISTS (SELECT 1 FROM consumption_fact f WHERE f.competitor_id = c.id AND f.kind = 'RESTOCK')))`;
}

/** An event as stored: the core event without its provenance (attached when read). */
export type StoredEvent = RestockEvent;

/** The event without `explanation.data`, which depends on when and over what it was computed. */
export function storedEvent(e: RestockEvent): StoredEvent {
  const { data: _data, ...explanation } = e.explanation;
  return { ...e, explanation: explanation as RestockEvent['explanation'] };
}

/** A window's fact without the provenance parts that depend on the computation (stale, ageHours; restated when read). */
export function storedWindow(f: StockoutFact): StockoutFact {
  const endedBy = f.window.endedBy ? storedEvent(f.window.endedBy) : null;
  return { window: { ...f.window, endedBy }, baseline: { ...f.baseline, data: { ...f.baseline.data, ageHours: null, stale: false } } };
}

const ms = (r: { t: string | Date | null } | undefined): number => (r ? (readTimeOrNull(r.t) ?? Infinity) : Infinity);

/** Step 2: the restart R, moved back to a fixpoint (each round one statement). */
async function restart(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  let r = await flagsTouchedAt(db, m, competitorId, since);
  for (;;) {
    const q = db.params();
    const [row]: { e: string | Date | null; w: string | Date | null }[] = await read(
      db,
      m,
      `SELECT (SELECT MIN(opened_at) FROM restock_event WHERE competitor_id = ${q.add(competitorId)} AND opened_at < ${q.add(new Date(r))}
                 AND last_activity_at >= ${q.add(new Date(r - JOIN_MS))}) AS e,
              (SELECT MIN(first_zero_at) FROM stockout_window WHERE competitor_id = ${q.add(competitorId)} AND first_zero_at < ${q.add(new Date(r))}
                 AND (end_reading_at IS NULL OR end_reading_at >= ${q.add(new Date(r))})) AS w`,
      q.values,
    );
    const next = Math.min(r, ms({ t: row.e }), ms({ t: row.w }));
    if (next === r) return r;
    r = next;
  }
}

/** Step 3: C0 for the readings from `from` on (a deal run open at `from` read whole, plus flag context), and the readings from there on. */
async function contextReadings(db: Db, m: EntityManager, competitorId: string, from: number): Promise<SnapshotPoint[]> {
  let c = from;
  const e = db.params();
  const [ep]: { t: string | Date | null }[] = await read(
    db,
    m,
    `SELECT MIN(first_seen_at) AS t FROM deal_episode WHERE competitor_id = ${e.add(competitorId)} AND first_seen_at < ${e.add(new Date(c))}
      AND (last_seen_at >= ${e.add(new Date(c - CONTINUE_MS))} OR deal_ends_at >= ${e.add(new Date(c - CONTINUE_MS))})`,
    e.values,
  );
  c = Math.min(c, ms(ep));
  const q = db.params();
  const [stop]: { t: string | Date }[] = await read(
    db,
    m,
    `SELECT captured_at AS t FROM snapshot WHERE competitor_id = ${q.add(competitorId)} AND captured_at <= ${q.add(new Date(c))}
      AND stock IS NOT NULL AND stock_is_lower_bound = ${q.add(false)} ORDER BY captured_at DESC LIMIT 1 OFFSET ${FLAG_REACH.behind.exact - 1}`,
    q.values,
  );
  const b = db.params();
  const [nth]: { t: string | Date }[] = await read(
    db,
    m,
    `SELECT captured_at AS t FROM snapshot WHERE competitor_id = ${b.add(competitorId)} AND captured_at < ${b.add(new Date(c))}
      ORDER BY captured_at DESC LIMIT 1 OFFSET ${FLAG_REACH.behind.readings - 1}`,
    b.values,
  );
  const c0 = Math.max(c - FLAG_REACH.behind.ms, stop ? readTime(stop.t) + 1 : -Infinity, nth ? readTime(nth.t) : -Infinity);
  const a = db.params();
  return readPoints(
    db,
    m,
    `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${a.add(competitorId)} AND captured_at >= ${a.add(new Date(c0))} ORDER BY captured_at`,
    a.values,
  );
}

/**
 * Step 2½, the cheap exit: false when nothing from R on can be an event or a window and nothing is
 * stored from R on, judged on the readings from the flag context of R (~50 readings): no exact 0
 * (no window opens, none is open: step 2), no reading rising from the lowest exact level before it
 * by 1 from 0 or by minJumpUnits (5) otherwise (cleaning wrong readings only removes levels, so a
 * cleaned rise from its reference ≥ that lowest level is a raw one too), and no live deal's
 * quantity growing (nor a deal quantity without one before it in the context). Most in-order batches of a draining listing stop here.
 */
async function mayChange(db: Db, m: EntityManager, competitorId: string, r: number): Promise<boolean> {
  const q = db.params();
  const [stored]: { n: unknown }[] = await read(
    db,
    m,
    `SELECT (EXISTS (SELECT 1 FROM restock_event WHERE competitor_id = ${q.add(competitorId)} AND opened_at >= ${q.add(new Date(r))})
          OR EXISTS (SELECT 1 FROM stockout_window WHERE competitor_id = ${q.add(competitorId)} AND first_zero_at >= ${q.add(new Date(r))})) AS n`,
    q.values,
  );
  if (stored.n === true || Number(stored.n) > 0) return true;
  const pts = await contextReadings(db, m, competitorId, r);
  let low = Infinity;
  let quantity = Infinity;
  for (const p of pts) {
    if (p.at >= r && p.stock !== null) {
      if (p.stock === 0 && !p.stockIsLowerBound) return true;
      // No exact level read before it (none in the flag context): its reference is older, so maybe.
      if (low === Infinity || (low === 0 && p.stock > 0) || p.stock - low >= MIN_JUMP_UNITS) return true;
    }
    if (p.at >= r && p.dealQuantity !== null && (quantity === Infinity || p.dealQuantity > quantity)) return true;
    if (p.stock !== null && !p.stockIsLowerBound) low = Math.min(low, p.stock);
    if (p.dealQuantity !== null) quantity = Math.min(quantity, p.dealQuantity);
  }
  return false;
}

/**
 * The flags detectRestockDrafts and stockoutFacts need, judged only where they matter: the full flag
 * (flagReading, as stockReadingFlags gives it) at every reading whose stock value is wrong
 * (wrongStockReadings: exactly stockReadingFlags' stock READING verdicts, at a fraction of its cost),
 * an unflagged flag elsewhere. Restock detection, the stockout scan and the baseline velocity read
 * only the stock values left after withoutAnomalousValues (no price, BSR or sales-scope reason) and
 * note the reasons of the wrong stock readings (anomalyNote), so their results are the same as with
 * stockReadingFlags (tests/unit/restock/facts-flags.test.ts checks it on generated listings).
 */
export function restockFlags(pts: readonly SnapshotPoint[]): SnapshotFlag[] {
  const wrong = wrongStockReadings(pts);
  return pts.map((p, i) =>
    wrong[i]
      ? flagReading(pts, i)
      : { index: i, at: p.at, anomalous: false, reasons: [], isolationScore: null, z: { stock: null, price: null, rank: null } },
  );
}

/** Restock events and stockout windows of `pts` (the whole history, or the context from C0), as core derives them. */
export function deriveRestockFacts(
  pts: readonly SnapshotPoint[],
  r = -Infinity,
  keptEvents: readonly RestockEvent[] = [],
): { events: RestockDraftEvent[]; windows: StockoutFact[] } {
  const scanFrom = r - CONTEXT_MS;
  if (!pts.length) return { events: [], windows: [] };
  const flags = restockFlags(pts);
  const events = detectRestockDrafts(pts, { ...RESTOCK_OPTIONS, anomalies: flags }).filter((d) => d.openedAt >= r);
  // Before the restart the stored events (all before r: step 2), which the scan from C0 cannot all know.
  const ending = [...keptEvents, ...events.map((d) => d.event)];
  const windows = stockoutFacts(
    pts,
    { now: pts[pts.length - 1].at, minDurationHours: 0, baselineDays: BASELINE_DAYS, anomalies: flags, restock: RESTOCK_OPTIONS },
    ending,
    // In stock at R; from C_T on the flags are exact, so the scan is in step with the whole history's by R.
    scanFrom,
  );
  return { events, windows };
}

function eventRow(competitorId: string, d: RestockDraftEvent): unknown[] {
  const e = storedEvent(d.event);
  return [
    competitorId,
    new Date(e.at),
    new Date(d.openedAt),
    new Date(d.lastActivityAt),
    e.kind,
    e.confidence,
    JSON.stringify(e),
    RESTOCK_RULES,
  ];
}

function windowRow(competitorId: string, f: StockoutFact): unknown[] {
  const w = f.window;
  return [
    competitorId,
    new Date(w.firstZeroAt),
    new Date(Math.floor(w.start)),
    w.end === null ? null : new Date(Math.floor(w.end)),
    w.endedBy ? new Date(w.endedBy.at) : null,
    w.end === null ? null : Math.max(0, (w.end - w.start) / HOUR_MS),
    JSON.stringify(storedWindow(f)),
    RESTOCK_RULES,
  ];
}

/** Events stored at or after `from` and before `to` (the stockout scan's events before the restart). */
async function storedEvents(db: Db, m: EntityManager, competitorId: string, from: number, to: number): Promise<RestockEvent[]> {
  const q = db.params();
  const rows: { event: string }[] = await read(
    db,
    m,
    `SELECT event FROM restock_event WHERE competitor_id = ${q.add(competitorId)} AND at >= ${q.add(new Date(from))} AND at < ${q.add(new Date(to))} ORDER BY at`,
    q.values,
  );
  return rows.map((r) => JSON.parse(r.event) as RestockEvent);
}

/** Steps 1–5 for one competitor: its events and windows from the restart on (`since` −Infinity: all). Returns the rows written. */
export async function maintainRestocks(db: Db, m: EntityManager, competitorId: string, since: number): Promise<number> {
  const full = !Number.isFinite(since);
  const r = full ? -Infinity : await restart(db, m, competitorId, since);
  if (!full && !(await mayChange(db, m, competitorId, r))) return 0;
  const q = db.params();
  const pts = full
    ? await readPoints(
        db,
        m,
        `SELECT ${POINT_COLUMNS} FROM snapshot WHERE competitor_id = ${q.add(competitorId)} ORDER BY captured_at`,
        q.values,
      )
    : await contextReadings(db, m, competitorId, r - CONTEXT_MS);
  const kept = full || !pts.length ? [] : await storedEvents(db, m, competitorId, pts[0].at, r);
  const { events, windows } = deriveRestockFacts(pts, r, kept);
  const evRows = events.map((d) => eventRow(competitorId, d));
  const winRows = windows.filter((f) => f.window.firstZeroAt >= r).map((f) => windowRow(competitorId, f));
  for (const table of ['restock_event', 'stockout_window']) {
    const d = db.params();
    const col = table === 'restock_event' ? 'opened_at' : 'first_zero_at';
    await exec(
      db,
      m,
      `DELETE FROM ${table} WHERE competitor_id = ${d.add(competitorId)}${full ? '' : ` AND ${col} >= ${d.add(new Date(r))}`}`,
      d.values,
    );
  }
  if (evRows.length)
    await db.insertRows(m, { table: 'restock_event', columns: EVENT_COLUMNS, conflict: ['competitor_id', 'at'] }, evRows, 200);
  if (winRows.length)
    await db.insertRows(
      m,
      { table: 'stockout_window', columns: WINDOW_COLUMNS, conflict: ['competitor_id', 'first_zero_at'] },
      winRows,
      200,
    );
  return evRows.length + winRows.length;
}

export const EVENT_COLUMNS = ['competitor_id', 'at', 'opened_at', 'last_activity_at', 'kind', 'confidence', 'event', 'rules'] as const;
export const WINDOW_COLUMNS = [
  'competitor_id',
  'first_zero_at',
  'start_at',
  'end_at',
  'end_reading_at',
  'duration_h',
  'fact',
  'rules',
] as const;
