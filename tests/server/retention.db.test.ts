/**
 * Snapshot retention end to end (real HTTP, real database), run on SQLite and
 * PostgreSQL (the database matrix, tests/helpers/database.ts): the roll-up itself, its guarantees
 * (idempotence, dry run, no resurrection on re-sent batches, censored readings, workspace
 * isolation), the CLI in its own process, and the tolerance of every competitor figure computed
 * through the API before and after rolling up a realistic labelled data set (README "Snapshot
 * retention" states the tolerances measured here).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED, seedDemo } from '../../server/demo/seed';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const H = 3_600_000;
const D = 24 * H;
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;
const ROLLUP = `rollup { hourStart sampleCount stockMin stockMinIsLowerBound stockMax stockMaxIsLowerBound priceMin priceMax }`;
const SNAPSHOTS = `query($asin: String!) { competitor(asin: $asin) { snapshots(first: 500) { totalCount edges { node {
  capturedAt stock stockIsLowerBound price dealType ${ROLLUP} } } } } }`;

/**
 * Tolerances of the figures after rolling up everything older than 7 days of the demo data set
 * (36 competitors, 30 days, captures every 5–60 min, seed DEMO_SEED), chosen from the measured
 * differences (printed by the test, quoted in README "Snapshot retention") with a margin.
 */
export const TOLERANCE = {
  /** Velocity (units/hour; with censored readings the rate they bound it by) over ≥ 7-day windows. Measured ≤ 1.5 % (≤ 0.03 u/h). */
  velocityWeekRel: 0.01,
  /** Over a 1-day window (edges cut hour-long intervals pro rata). Measured ≤ 2.0 %. */
  velocityDayRel: 0.05,
  /** Absolute floor for slow sellers, units/hour. Measured ≤ 0.03. */
  velocityAbs: 0.05,
  /**
   * Ends of the velocity and consumption intervals: they widen with the dispersion of the
   * per-interval counts, which merging intervals re-estimates. Per figure (velocity window or
   * baseline): 90th percentile over competitors ≤ intervalP90Rel, each ≤ intervalMaxRel.
   * Measured: p90 ≤ 25 %, worst 93 % (the lower end of a 14-day baseline and a 1-day window).
   */
  intervalP90Rel: 0.35,
  intervalMaxRel: 0.95,
  /** Restocks: same count; each within this many hours. Measured 0 (their readings are kept). */
  restockHours: 0.25,
  /** Stockout windows: same count; start and end within this many hours. Measured 0. */
  stockoutHours: 0.25,
  /** Deals: same count, type and status; start, end and sold-out moment within this many hours. Measured 0. */
  dealHours: 0.25,
  /** Deal units sold, velocity now and peak velocity. Measured 0. */
  dealUnitsRel: 0.01,
  /** Baseline consumption per day (point) over 14 days. Measured ≤ 1.3 %. */
  baselineRel: 0.02,
  /** Baseline time-weighted average stock. Measured ≤ 0.22 %. */
  avgStockRel: 0.01,
} as const;

type Dump = Record<string, unknown>[];

describeDatabase('snapshot retention', (databaseUrl) => {
  let s: TestServer;
  // Fixed clock: data in January 2026, figures and roll-ups evaluated as of NOW.
  const NOW = Date.UTC(2026, 1, 1);
  const T0 = Date.UTC(2026, 0, 10);

  const dump = async (asinPrefix = ''): Promise<Dump> => {
    const rows: Record<string, unknown>[] = await s.db.manager.query(
      `SELECT c.workspace_id, c.asin, s.captured_at, s.stock, s.stock_is_lower_bound, s.price_cents, s.deal_type, s.stock_min, s.stock_min_is_lower_bound,
              s.stock_max, s.stock_max_is_lower_bound, s.price_min_cents, s.price_max_cents, s.sample_count
         FROM snapshot s JOIN competitor c ON c.id = s.competitor_id WHERE c.asin LIKE ${s.db.param(1)} ORDER BY c.asin, s.captured_at`,
      [`${asinPrefix}%`],
    );
    // One shape on both dialects: ISO instants, booleans as 0/1.
    const norm = (v: unknown) =>
      v instanceof Date
        ? v.toISOString()
        : typeof v === 'boolean'
          ? Number(v)
          : typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:/.test(v)
            ? new Date(`${v.replace(' ', 'T')}Z`).toISOString()
            : v;
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])));
  };
  const workspaceId = async (name: string): Promise<string> => (await s.app.services.workspaces.findByName(name))!.id;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  }, 120_000);
  afterAll(async () => s?.stop());

  /** 15-minute readings of one listing over `hours` hours from T0: stock drains by 1–3 a reading, price wobbles. */
  const series = (asin: string, hours: number, start = T0) =>
    Array.from({ length: hours * 4 }, (_, i) => ({
      asin,
      capturedAt: iso(start + i * 15 * MIN),
      stock: 1000 - 2 * i - (i % 3),
      price: 20 + (i % 4) * 0.25,
      source: 'test',
    }));

  describe('roll-up', () => {
    let key: string;
    let ws: string;
    const rows = series('B0RETBASIC', 48);

    beforeAll(async () => {
      key = await s.newKey('basic');
      ws = await workspaceId('basic');
      await gqlOk(s.url, key, RECORD, { input: rows });
    });

    it('keeps one row per old UTC hour without a change of state: the hour’s last reading, with min/max/count, shown on Snapshot.rollup', async () => {
      // Cutoff NOW − (NOW − T0 − 24 h): the first 24 hours are older, the last 24 stay raw.
      const days = (NOW - T0 - 24 * H) / D;
      const sum = await s.app.services.retention.run({ olderThanDays: days, now: NOW, workspaceId: ws, chunkRows: 10 });
      // The series' first reading is kept too (it opens the first interval).
      expect(sum).toMatchObject({
        hoursRolledUp: 24,
        rowsBefore: 192,
        rowsAfter: 192 - 24 * 3 + 1,
        rowsDeleted: 71,
        competitorsRolledUp: 1,
        dryRun: false,
      });
      expect(sum.cutoff.toISOString()).toBe(iso(T0 + 24 * H));
      // chunkRows 10 = two hours (8 rows) per transaction: bounded transactions.
      expect(sum.transactions).toBe(12);
      const data = await gqlOk(s.url, key, SNAPSHOTS, { asin: 'B0RETBASIC' });
      const [first, ...nodes] = data.competitor.snapshots.edges.map((e: { node: Record<string, any> }) => e.node);
      expect(data.competitor.snapshots.totalCount).toBe(1 + 24 + 96);
      expect(first).toMatchObject({ capturedAt: rows[0].capturedAt, stock: rows[0].stock, rollup: null });
      for (let h = 0; h < 24; h++) {
        const hour = rows.slice(4 * h, 4 * h + 4);
        const last = hour[3];
        expect(nodes[h]).toEqual({
          capturedAt: last.capturedAt,
          stock: last.stock,
          stockIsLowerBound: false,
          price: last.price,
          dealType: 'NONE',
          rollup: {
            hourStart: iso(T0 + h * H),
            sampleCount: 4,
            stockMin: Math.min(...hour.map((r) => r.stock)),
            stockMinIsLowerBound: false,
            stockMax: Math.max(...hour.map((r) => r.stock)),
            stockMaxIsLowerBound: false,
            priceMin: Math.min(...hour.map((r) => r.price)),
            priceMax: Math.max(...hour.map((r) => r.price)),
          },
        });
      }
      // Newer hours stay raw.
      expect(nodes.slice(24).every((n: { rollup: unknown }) => n.rollup === null)).toBe(true);
      expect(nodes[24].capturedAt).toBe(rows[96].capturedAt);
    });

    it('is idempotent: a second run changes nothing', async () => {
      const before = await dump('B0RETBASIC');
      const days = (NOW - T0 - 24 * H) / D;
      const sum = await s.app.services.retention.run({ olderThanDays: days, now: NOW, workspaceId: ws });
      expect(sum).toMatchObject({ hoursRolledUp: 0, rowsDeleted: 0, transactions: 0, rowsBefore: 121, rowsAfter: 121 });
      expect(await dump('B0RETBASIC')).toEqual(before);
    });

    it('a dry run counts what it would do and writes nothing', async () => {
      const before = await dump('B0RETBASIC');
      const days = (NOW - T0 - 36 * H) / D;
      const sum = await s.app.services.retention.run({ olderThanDays: days, now: NOW, workspaceId: ws, dryRun: true });
      expect(sum).toMatchObject({ dryRun: true, hoursRolledUp: 12, rowsDeleted: 36, rowsBefore: 121, rowsAfter: 85, transactions: 0 });
      expect(await dump('B0RETBASIC')).toEqual(before);
    });

    it('a re-sent old batch neither duplicates nor resurrects rows; late rows in raw hours are kept', async () => {
      const before = await dump('B0RETBASIC');
      const again = await gqlOk(s.url, key, RECORD, { input: rows });
      expect(again.recordSnapshots).toEqual({ inserted: 0, duplicates: rows.length });
      // A reading never seen before, inside a rolled-up hour: skipped as well.
      const late = { asin: 'B0RETBASIC', capturedAt: iso(T0 + 5 * H + 7 * MIN), stock: 1, source: 'test' };
      expect((await gqlOk(s.url, key, RECORD, { input: [late] })).recordSnapshots).toEqual({ inserted: 0, duplicates: 1 });
      expect(await dump('B0RETBASIC')).toEqual(before);
      // Inside a raw (not rolled-up) hour a new reading is stored as usual.
      const fresh = { asin: 'B0RETBASIC', capturedAt: iso(T0 + 30 * H + 7 * MIN), stock: 900, source: 'test' };
      expect((await gqlOk(s.url, key, RECORD, { input: [fresh] })).recordSnapshots).toEqual({ inserted: 1, duplicates: 0 });
    });

    it('folds a late raw row into an already rolled-up hour (if one slipped in) without losing its extremes', async () => {
      // Simulates a reading that raced a roll-up on PostgreSQL: written directly, next to the rolled row.
      // A plausible reading (a new low of 975 and high of 21.00 after 976 at 20.75): one the shared
      // anomaly flags call wrong (e.g. stock 5 at 99.99) would be left out like any flagged reading.
      const cid: { id: string }[] = await s.db.manager.query(`SELECT id FROM competitor WHERE asin = ${s.db.param(1)}`, ['B0RETBASIC']);
      const at = new Date(T0 + 2 * H + 50 * MIN);
      await s.db.write((m) =>
        m.query(
          `INSERT INTO snapshot (competitor_id, captured_at, stock, stock_is_lower_bound, price_cents, deal_type) VALUES (${[1, 2, 3, 4, 5, 6].map((i) => s.db.param(i)).join(', ')})`,
          [
            cid[0].id,
            s.db.dialect === 'sqlite' ? at.toISOString().replace('T', ' ').slice(0, 23) : at,
            975,
            s.db.dialect === 'sqlite' ? 0 : false,
            2100,
            'NONE',
          ],
        ),
      );
      const days = (NOW - T0 - 24 * H) / D;
      const sum = await s.app.services.retention.run({ olderThanDays: days, now: NOW, workspaceId: ws });
      expect(sum).toMatchObject({ hoursRolledUp: 1, rowsDeleted: 1 });
      const hour = rows.slice(8, 12);
      const row = (await dump('B0RETBASIC')).filter((r) => String(r.captured_at).startsWith(iso(T0 + 2 * H).slice(0, 13)));
      expect(row).toHaveLength(1);
      expect(row[0]).toMatchObject({
        stock: 975,
        sample_count: 5,
        stock_min: 975,
        stock_max: Math.max(...hour.map((r) => r.stock)),
        price_max_cents: 2100,
      });
    });
  });

  it('keeps the readings around a change of state, so velocity, restocks and stockouts read the same', async () => {
    const key = await s.newKey('changes');
    const at = (h: number, m: number) => iso(T0 + h * H + m * MIN);
    const r = (h: number, m: number, stock: number, extra: object = {}) => ({
      asin: 'B0RETCHG01',
      capturedAt: at(h, m),
      stock,
      price: 10,
      source: 'test',
      ...extra,
    });
    const deal = { dealType: 'LIGHTNING', dealQuantity: 100, dealEndsAt: at(6, 0) };
    const input = [
      // Hour 0: falls only → one row. Hour 1: a rise (restock) between :15 and :30 → both kept.
      r(0, 0, 50),
      r(0, 15, 48),
      r(0, 30, 47),
      r(0, 45, 45),
      r(1, 0, 44),
      r(1, 15, 42),
      r(1, 30, 90),
      r(1, 45, 88),
      // Hour 2: sells out at :30 (first 0 kept), back at 3:15 (rise kept).
      r(2, 0, 5),
      r(2, 15, 2),
      r(2, 30, 0),
      r(2, 45, 0),
      r(3, 0, 0),
      r(3, 15, 60),
      r(3, 30, 59),
      r(3, 45, 58),
      // Hour 4: a lightning deal from :30 → every deal reading kept, the last plain one before it too.
      r(4, 0, 58),
      r(4, 15, 57),
      r(4, 30, 50, { ...deal, dealClaimedPercent: 7 }),
      r(4, 45, 40, { ...deal, dealClaimedPercent: 17 }),
      r(5, 0, 30, { ...deal, dealClaimedPercent: 27 }),
      r(5, 15, 20, { ...deal, dealClaimedPercent: 37 }),
      // The newest readings stay raw (within the age limit of the run below).
      r(30, 0, 15),
      r(30, 15, 14),
    ];
    await gqlOk(s.url, key, RECORD, { input });
    const FIG = `query($from: DateTime!, $to: DateTime!) { competitor(asin: "B0RETCHG01") {
      velocity(from: $from, to: $to) { perHour { value } unitsMeasured measuredHours }
      restocks(from: $from, to: $to, first: 50) { at earliestAt }
      stockoutWindows(from: $from, to: $to, minDurationHours: 0.5) { start end }
      snapshots(first: 100) { edges { node { capturedAt rollup { sampleCount } } } } } }`;
    s.app.clock.now = () => T0 + 31 * H;
    try {
      const vars = { from: iso(T0), to: iso(T0 + 31 * H) };
      const before = (await gqlOk(s.url, key, FIG, vars)).competitor;
      const sum = await s.app.services.retention.run({ olderThanDays: 1, now: T0 + 31 * H, workspaceId: await workspaceId('changes') });
      expect(sum).toMatchObject({ hoursRolledUp: 6, rowsDeleted: 6 });
      const after = (await gqlOk(s.url, key, FIG, vars)).competitor;
      const kept = after.snapshots.edges.map((e: any) => [e.node.capturedAt.slice(11, 16), e.node.rollup?.sampleCount ?? null]);
      expect(kept).toEqual(
        [
          ['00:00', 0],
          ['00:45', 4],
          ['01:15', 0],
          ['01:30', 0],
          ['01:45', 4],
          ['02:15', 0],
          ['02:30', 0],
          ['02:45', 4],
          ['03:00', 0],
          ['03:15', 0],
          ['03:45', 4],
          ['04:15', 0],
          ['04:30', 0],
          ['04:45', 4],
          ['05:00', 0],
          ['05:15', 2],
          ['06:00', null],
          ['06:15', null],
        ].map(([t, n]) => [t, n === 0 ? null : n]),
      );
      const { snapshots: _b, ...figuresBefore } = before;
      const { snapshots: _a, ...figuresAfter } = after;
      expect(figuresAfter).toEqual(figuresBefore);
      expect(before.restocks).toHaveLength(2);
      expect(before.stockoutWindows).toHaveLength(1);
    } finally {
      s.app.clock.now = () => Date.now();
    }
  });

  it('leaves readings flagged as wrong stock (computed on the raw readings) out of the roll-up, as velocity does', async () => {
    // 15-minute readings over 72 h draining 0–2 a reading, with one-capture cart dips of 20 units
    // (100 → 80 → 99): the shared anomaly flags mark each dip a SPIKE, so velocity reads 100 → 99.
    const key = await s.newKey('flagged');
    const input: { asin: string; capturedAt: string; stock: number; price: number; source: string }[] = [];
    const dips = new Set<number>();
    for (let i = 0, stock = 1000; i < 4 * 72; i++) {
      stock -= i % 3;
      // Some dips mid-hour (:30), some on the hour's last reading (:45).
      const dip = i % 24 === 10 || i % 48 === 23;
      if (dip) dips.add(T0 + i * 15 * MIN);
      input.push({
        asin: 'B0RETFLAG1',
        capturedAt: iso(T0 + i * 15 * MIN),
        stock: dip ? stock - 20 : stock,
        price: 10 + (i % 4),
        source: 'test',
      });
    }
    await gqlOk(s.url, key, RECORD, { input });
    const FIG = `query($from: DateTime!, $to: DateTime!, $w: DateTime!) { competitor(asin: "B0RETFLAG1") {
      all: velocity(from: $from, to: $to) { perHour { value } unitsMeasured measuredHours }
      old: velocity(from: $from, to: $w) { perHour { value } unitsMeasured measuredHours }
      restocks(from: $from, to: $to, first: 50) { at }
      snapshots(first: 500) { edges { node { capturedAt stock ${ROLLUP} } } } } }`;
    const now = T0 + 72 * H;
    s.app.clock.now = () => now;
    try {
      // The window ends on a kept reading (46:45): an edge inside a rolled-up hour would cut its interval pro rata.
      const vars = { from: iso(T0), to: iso(now), w: iso(T0 + 46 * H + 45 * MIN) };
      const before = (await gqlOk(s.url, key, FIG, vars)).competitor;
      expect(before.restocks).toEqual([]);
      // Cutoff T0 + 48 h: the first 48 hours are rolled up.
      const sum = await s.app.services.retention.run({ olderThanDays: 1, now, workspaceId: await workspaceId('flagged') });
      expect(sum.hoursRolledUp).toBe(48);
      const after = (await gqlOk(s.url, key, FIG, vars)).competitor;
      const nodes = after.snapshots.edges.map((e: any) => e.node);
      const old = nodes.filter((n: any) => Date.parse(n.capturedAt) < T0 + 48 * H);
      // No flagged reading survives as a change reading or roll-up carrier: the series' first reading + one row per hour.
      expect(old.filter((n: any) => dips.has(Date.parse(n.capturedAt)))).toEqual([]);
      expect(old).toHaveLength(1 + 48);
      for (const n of old.slice(1)) {
        const hour = input.filter((r) => Math.floor(Date.parse(r.capturedAt) / H) === Math.floor(Date.parse(n.capturedAt) / H));
        const good = hour.filter((r) => !dips.has(Date.parse(r.capturedAt)));
        // The hour's carrier is its last unflagged reading; the flagged value shapes no min/max but is counted.
        expect(n.capturedAt).toBe(good[good.length - 1].capturedAt);
        expect(n.rollup).toMatchObject({
          sampleCount: hour.length,
          stockMin: Math.min(...good.map((r) => r.stock)),
          stockMax: Math.max(...good.map((r) => r.stock)),
          priceMin: Math.min(...hour.map((r) => r.price)),
        });
      }
      expect(after.restocks).toEqual([]);
      for (const w of ['all', 'old'] as const) {
        expect(after[w].unitsMeasured).toBeCloseTo(before[w].unitsMeasured, 9);
        expect(after[w].measuredHours).toBeCloseTo(before[w].measuredHours, 9);
        expect(after[w].perHour.value).toBeCloseTo(before[w].perHour.value, 9);
      }
    } finally {
      s.app.clock.now = () => Date.now();
    }
  });

  it('never presents a censored ("10+", "999+") reading as exact', async () => {
    const key = await s.newKey('censored');
    const at = (h: number, m: number) => iso(T0 + h * H + m * MIN);
    const r = (h: number, m: number, stock: number | null, lb = false) => ({
      asin: 'B0RETCENS1',
      capturedAt: at(h, m),
      stock,
      stockIsLowerBound: lb,
      source: 'test',
    });
    await gqlOk(s.url, key, RECORD, {
      input: [
        // Hour 0: an exact reading attains the minimum → exact min; a censored one → max is a bound.
        r(0, 0, 999, true),
        r(0, 15, 50),
        r(0, 30, 999, true),
        r(0, 45, 40),
        // Hour 1: the smallest shown value is censored ("10+") → min is a bound; so is max.
        r(1, 0, 10, true),
        r(1, 15, 12),
        r(1, 30, 10, true),
        r(1, 45, 15),
        // Hour 2: exact only.
        r(2, 0, 30),
        r(2, 30, 20),
        // Hour 3: censored only.
        r(3, 0, 10, true),
        r(3, 30, 10, true),
        // Hour 4: stock unknown throughout.
        r(4, 0, null),
        r(4, 30, null),
        // Hour 5: an exact reading equal to a censored one: the minimum is exact.
        r(5, 0, 10, true),
        r(5, 30, 10),
      ],
    });
    await s.app.services.retention.run({ olderThanDays: 1, now: NOW, workspaceId: await workspaceId('censored') });
    const nodes = (await gqlOk(s.url, key, SNAPSHOTS, { asin: 'B0RETCENS1' })).competitor.snapshots.edges.map((e: { node: any }) => e.node);
    // Readings that switch between exact, capped and unknown stock are kept verbatim (raw); the roll-up sits on each hour's last one.
    expect(nodes).toHaveLength(16);
    const view = nodes
      .filter((n: any) => n.rollup !== null)
      .map((n: any) => [
        n.stock,
        n.stockIsLowerBound,
        n.rollup.stockMin,
        n.rollup.stockMinIsLowerBound,
        n.rollup.stockMax,
        n.rollup.stockMaxIsLowerBound,
        n.rollup.sampleCount,
      ]);
    expect(view).toEqual([
      [40, false, 40, false, 999, true, 4],
      [15, false, 10, true, 15, true, 4],
      [20, false, 20, false, 30, false, 2],
      [10, true, 10, true, 10, true, 2],
      [null, false, null, false, null, false, 2],
      [10, false, 10, false, 10, true, 2],
    ]);
  });

  it('rolls up one workspace without touching another’s rows (same ASIN in both)', async () => {
    const keyA = await s.newKey('iso-a');
    const keyB = await s.newKey('iso-b');
    await gqlOk(s.url, keyA, RECORD, { input: series('B0RETISO01', 6) });
    await gqlOk(s.url, keyB, RECORD, { input: series('B0RETISO01', 6) });
    const before = await dump('B0RETISO01');
    const sum = await s.app.services.retention.run({ olderThanDays: 1, now: NOW, workspaceId: await workspaceId('iso-a') });
    expect(sum).toMatchObject({ competitors: 1, hoursRolledUp: 6, rowsBefore: 24, rowsAfter: 7 });
    const after = await dump('B0RETISO01');
    expect(after).toHaveLength(24 + 7);
    const countB = (await gqlOk(s.url, keyB, SNAPSHOTS, { asin: 'B0RETISO01' })).competitor.snapshots;
    expect(countB.totalCount).toBe(24);
    expect(countB.edges.every((e: any) => e.node.rollup === null)).toBe(true);
    const wsB = await workspaceId('iso-b');
    expect(after.filter((r) => r.workspace_id === wsB)).toEqual(before.filter((r) => r.workspace_id === wsB));
    // Workspace B's re-sent batch is stored as duplicates (its hours were never rolled up).
    expect((await gqlOk(s.url, keyB, RECORD, { input: series('B0RETISO01', 6) })).recordSnapshots).toEqual({ inserted: 0, duplicates: 24 });
  });

  it('the server’s scheduled pass uses SNAPSHOT_RETENTION_DAYS', async () => {
    const key = await s.newKey('scheduled');
    await gqlOk(s.url, key, RECORD, { input: series('B0RETSCHED', 3) });
    expect(s.app.retentionScheduler.opts.olderThanDays).toBe(90);
    // T0 is 22 days before NOW: inside 90 days, nothing to do.
    const first = await s.app.retentionScheduler.runOnce(NOW);
    expect(first?.rowsDeleted ?? -1).toBeGreaterThanOrEqual(0);
    expect((await dump('B0RETSCHED')).length).toBe(12);
    const later = await s.app.retentionScheduler.runOnce(T0 + 91 * D);
    expect(later?.hoursRolledUp).toBeGreaterThanOrEqual(3);
    expect((await dump('B0RETSCHED')).length).toBe(4);
  });

  it('CLI: dry run, then the roll-up, with progress and a summary; a second run does nothing', async () => {
    const key = await s.newKey('cli-ws');
    const start = Math.floor((Date.now() - 10 * D) / H) * H;
    await gqlOk(s.url, key, RECORD, { input: series('B0RETCLI01', 4, start) });
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'retention', ...args], {
        env: { ...process.env, DATABASE_URL: s.databaseUrl, RESTOCK_RADAR_QUIET: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const dry = run(['--older-than-days', '3', '--workspace', 'cli-ws', '--dry-run']);
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/competitors 1\/1 \| would roll up 4 hours, 11 rows removed/);
    expect(dry.out).toMatch(/Dry run \(nothing written\): would roll up 4 hours of 1\/1 competitors/);
    expect(dry.out).toMatch(/Snapshot rows: 16 before, 5 after \(predicted\) \(11 removed, 68\.8 %\)/);
    expect((await dump('B0RETCLI01')).length).toBe(16);
    const real = run(['--older-than-days', '3', '--workspace', 'cli-ws']);
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/Rolled up 4 hours of 1\/1 competitors/);
    expect(real.out).toMatch(/Snapshot rows: 16 before, 5 after \(11 removed, 68\.8 %\)/);
    expect((await dump('B0RETCLI01')).length).toBe(5);
    const again = run(['--older-than-days', '3', '--workspace', 'cli-ws']);
    expect(again.out).toMatch(/Rolled up 0 hours/);
    const bad = run(['--older-than-days', '0']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--older-than-days must be an integer from 1/);
    const unknown = run(['--workspace', 'nope', '--older-than-days', '3']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/workspace "nope" does not exist/);
  }, 120_000);

  describe('tolerance on the demo data set', () => {
    const TNOW = Date.UTC(2026, 2, 1);
    const ROLLUP_DAYS = 7;
    const CUT = TNOW - ROLLUP_DAYS * D;
    let key: string;
    let before: any[];
    let after: any[];
    let rows: { before: number; after: number; oldBefore: number; oldAfter: number };
    /** Rows of the rolled-up period (older than the cutoff): the long-run storage saving. */
    const olderRows = async () => {
      const r: { n: number | string }[] = await s.db.manager.query(
        `SELECT COUNT(*) AS n FROM snapshot s JOIN competitor c ON c.id = s.competitor_id JOIN workspace w ON w.id = c.workspace_id
          WHERE w.name = 'tolerance' AND s.captured_at < ${s.db.param(1)}`,
        [s.db.dialect === 'sqlite' ? iso(CUT).replace('T', ' ').slice(0, 23) : new Date(CUT)],
      );
      return Number(r[0].n);
    };
    const WINDOWS = {
      w21: [TNOW - 28 * D, CUT],
      w7a: [TNOW - 14 * D, CUT],
      w7b: [TNOW - 21 * D, TNOW - 14 * D],
      d1: [TNOW - 10 * D, TNOW - 9 * D],
      all: [TNOW - 28 * D, TNOW],
    } as const;
    const V = `{ perHour { value lower upper } isLowerBoundOnly unitsMeasured unitsLowerBound measuredHours censoredHours }`;
    const FIGURES = `query($id: ID!, $c: DateTime!, $now: DateTime!, ${Object.keys(WINDOWS)
      .map((w) => `$${w}f: DateTime!, $${w}t: DateTime!`)
      .join(', ')}, $b1: DateTime!, $b2: DateTime!) {
      competitor(id: $id) { asin
        ${Object.keys(WINDOWS)
          .map((w) => `${w}: velocity(from: $${w}f, to: $${w}t) ${V}`)
          .join('\n')}
        restocks(from: $c, to: $now, first: 100) { at quantityLowerBound kind }
        stockoutWindows(from: $c, to: $now, first: 100, minDurationHours: 6) { start end open }
        deals(from: $c, to: $now, first: 100) { edges { node { type status startedAt endedAt soldOutAt unitsSold claimedPercent velocityPerHour peakVelocityPerHour } } }
        b1: baseline(days: 14, to: $b1) { avgStock avgStockLowerBound dailyConsumption { value lower upper } }
        b2: baseline(days: 14, to: $b2) { avgStock avgStockLowerBound dailyConsumption { value lower upper } }
      } }`;
    const vars = {
      c: iso(TNOW - 28 * D),
      now: iso(TNOW),
      b1: iso(CUT),
      b2: iso(TNOW - 12 * D),
      ...Object.fromEntries(
        Object.entries(WINDOWS).flatMap(([w, [f, t]]) => [
          [`${w}f`, iso(f)],
          [`${w}t`, iso(t)],
        ]),
      ),
    };
    /**
     * Client and server share this process, and seeding (or spawnSync above) blocks its event loop for
     * seconds: a pooled keep-alive socket the server closed meanwhile can be picked for the next
     * request. Such a transport error (never a GraphQL error) is retried once on a new socket.
     */
    const ask = async (query: string, variables?: Record<string, unknown>) => {
      try {
        return await gqlOk(s.url, key, query, variables);
      } catch (e) {
        if (!(e instanceof TypeError) || !/fetch failed/.test(e.message)) throw e;
        return gqlOk(s.url, key, query, variables);
      }
    };
    const figures = async () => {
      const list = await ask(`{ competitors(first: 100) { edges { node { id asin } } } }`);
      const ids = list.competitors.edges.map((e: any) => e.node).sort((a: any, b: any) => (a.asin < b.asin ? -1 : 1));
      const out = [];
      for (const { id } of ids) out.push((await ask(FIGURES, { ...vars, id })).competitor);
      return out;
    };

    beforeAll(async () => {
      s.app.clock.now = () => TNOW;
      key = (await seedDemo(s.db, { workspace: 'tolerance', seed: DEMO_SEED, competitors: 36, days: 30, now: TNOW })).key;
      before = await figures();
      const oldBefore = await olderRows();
      const sum = await s.app.services.retention.run({
        olderThanDays: ROLLUP_DAYS,
        now: TNOW,
        workspaceId: await workspaceId('tolerance'),
      });
      rows = { before: sum.rowsBefore, after: sum.rowsAfter, oldBefore, oldAfter: await olderRows() };
      after = await figures();
    }, 600_000);
    afterAll(() => {
      s.app.clock.now = () => Date.now();
    });

    it('keeps every competitor figure within the stated tolerance, and shrinks storage', () => {
      // The point figure: units/hour, or with censored readings the rate the readings bound it by from below.
      const rate = (v: any) => v.perHour.value ?? v.unitsLowerBound / Math.max(1e-9, v.measuredHours + v.censoredHours);
      const seen: Record<string, number[]> = {};
      const note = (k: string, x: number) => (seen[k] ??= []).push(x);
      const hours = (a: string | null, b: string | null) =>
        a === null && b === null ? 0 : a === null || b === null ? Infinity : Math.abs(Date.parse(a) - Date.parse(b)) / H;
      const rel = (a: number | null, b: number | null, floor: number) =>
        a === null && b === null ? 0 : a === null || b === null ? Infinity : Math.abs(a - b) / Math.max(Math.abs(a), floor);
      expect(after.map((c) => c.asin)).toEqual(before.map((c) => c.asin));
      const counts = { restocks: 0, stockouts: 0, deals: 0 };
      // Every violation is collected (and printed with the measured worst cases) before failing.
      const failures: string[] = [];
      const check = (ok: boolean, what: string) => {
        if (!ok) failures.push(what);
      };
      for (const [i, b] of before.entries()) {
        const a = after[i];
        for (const w of Object.keys(WINDOWS)) {
          check(a[w].isLowerBoundOnly === b[w].isLowerBoundOnly, `${b.asin} ${w} censoring`);
          const d = Math.abs(rate(a[w]) - rate(b[w]));
          const r = d / Math.max(Math.abs(rate(b[w])), 1e-9);
          if (Math.abs(rate(b[w])) >= 0.5) note(`velocity ${w} rel (≥ 0.5 u/h)`, r);
          note(`velocity ${w} abs u/h`, d);
          // The interval's ends also depend on the dispersion of per-interval counts, which merging intervals changes.
          for (const end of ['lower', 'upper'] as const) {
            const x = rel(b[w].perHour[end], a[w].perHour[end], TOLERANCE.velocityAbs);
            note(`velocity ${w} interval ${end} rel`, x);
            check(x <= TOLERANCE.intervalMaxRel, `${b.asin} velocity ${w} ${end}: ${b[w].perHour[end]} → ${a[w].perHour[end]}`);
          }
          const tol = w === 'd1' ? TOLERANCE.velocityDayRel : TOLERANCE.velocityWeekRel;
          check(d <= TOLERANCE.velocityAbs || r <= tol, `${b.asin} velocity ${w}: ${rate(b[w])} → ${rate(a[w])}`);
        }
        check(a.restocks.length === b.restocks.length, `${b.asin} restocks ${b.restocks.length} → ${a.restocks.length}`);
        if (a.restocks.length !== b.restocks.length) continue;
        counts.restocks += b.restocks.length;
        for (const [j, r] of b.restocks.entries()) {
          note('restock at h', hours(r.at, a.restocks[j].at));
          check(hours(r.at, a.restocks[j].at) <= TOLERANCE.restockHours, `${b.asin} restock ${r.at} → ${a.restocks[j].at}`);
        }
        check(
          a.stockoutWindows.length === b.stockoutWindows.length,
          `${b.asin} stockouts ${b.stockoutWindows.length} → ${a.stockoutWindows.length}`,
        );
        if (a.stockoutWindows.length !== b.stockoutWindows.length) continue;
        counts.stockouts += b.stockoutWindows.length;
        for (const [j, w] of b.stockoutWindows.entries()) {
          const x = a.stockoutWindows[j];
          note('stockout start h', hours(w.start, x.start));
          note('stockout end h', hours(w.end, x.end));
          check(
            Math.max(hours(w.start, x.start), hours(w.end, x.end)) <= TOLERANCE.stockoutHours,
            `${b.asin} stockout ${w.start}–${w.end} → ${x.start}–${x.end}`,
          );
        }
        const bd = b.deals.edges.map((e: any) => e.node);
        const ad = a.deals.edges.map((e: any) => e.node);
        const sig = (l: any[]) => l.map((d: any) => `${d.type}/${d.status}`).join(',');
        check(sig(ad) === sig(bd), `${b.asin} deals ${sig(bd)} → ${sig(ad)}`);
        if (sig(ad) !== sig(bd)) continue;
        counts.deals += bd.length;
        for (const [j, d] of bd.entries()) {
          const x = ad[j];
          const dh = Math.max(hours(d.startedAt, x.startedAt), hours(d.endedAt, x.endedAt), hours(d.soldOutAt, x.soldOutAt));
          note('deal start h', hours(d.startedAt, x.startedAt));
          note('deal end h', hours(d.endedAt, x.endedAt));
          note('deal soldOut h', hours(d.soldOutAt, x.soldOutAt));
          note('deal unitsSold rel', rel(d.unitsSold, x.unitsSold, 1));
          note('deal velocity/h rel', rel(d.velocityPerHour, x.velocityPerHour, 1));
          note('deal peak velocity/h rel', rel(d.peakVelocityPerHour, x.peakVelocityPerHour, 1));
          // A live lightning deal's readings are kept verbatim, so its sub-hour curve figures hold too.
          check(
            rel(d.velocityPerHour, x.velocityPerHour, 1) <= TOLERANCE.dealUnitsRel &&
              rel(d.peakVelocityPerHour, x.peakVelocityPerHour, 1) <= TOLERANCE.dealUnitsRel,
            `${b.asin} deal ${d.startedAt} velocity ${d.velocityPerHour}/${d.peakVelocityPerHour} → ${x.velocityPerHour}/${x.peakVelocityPerHour}`,
          );
          check(dh <= TOLERANCE.dealHours, `${b.asin} deal ${d.startedAt}: ${JSON.stringify(d)} → ${JSON.stringify(x)}`);
          check(
            rel(d.unitsSold, x.unitsSold, 1) <= TOLERANCE.dealUnitsRel,
            `${b.asin} deal ${d.startedAt} units ${d.unitsSold} → ${x.unitsSold}`,
          );
        }
        for (const k of ['b1', 'b2']) {
          const c = rel(b[k].dailyConsumption.value, a[k].dailyConsumption.value, 1);
          const st = rel(b[k].avgStock ?? b[k].avgStockLowerBound, a[k].avgStock ?? a[k].avgStockLowerBound, 1);
          note(`baseline ${k} consumption rel`, c);
          note(`baseline ${k} avgStock rel`, st);
          for (const end of ['lower', 'upper'] as const) {
            const x = rel(b[k].dailyConsumption[end], a[k].dailyConsumption[end], 1);
            note(`baseline ${k} consumption interval ${end} rel`, x);
            check(
              x <= TOLERANCE.intervalMaxRel,
              `${b.asin} baseline ${k} ${end}: ${b[k].dailyConsumption[end]} → ${a[k].dailyConsumption[end]}`,
            );
          }
          check(
            c <= TOLERANCE.baselineRel && st <= TOLERANCE.avgStockRel,
            `${b.asin} baseline ${k}: ${JSON.stringify(b[k])} → ${JSON.stringify(a[k])}`,
          );
        }
      }
      console.log(
        `retention tolerance (${s.db.dialect}): rows ${rows.before} → ${rows.after} (${((100 * (rows.before - rows.after)) / rows.before).toFixed(1)} % fewer); ` +
          `rolled-up period ${rows.oldBefore} → ${rows.oldAfter} (${((100 * (rows.oldBefore - rows.oldAfter)) / rows.oldBefore).toFixed(1)} % fewer); ` +
          `${counts.restocks} restocks, ${counts.stockouts} stockout windows, ${counts.deals} deals compared\n` +
          Object.entries(seen)
            .map(([k, xs]) => {
              const sorted = [...xs].sort((x, y) => x - y);
              const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))].toFixed(4);
              return `  ${k}: max ${q(1)}, p90 ${q(0.9)}, median ${q(0.5)} (n ${xs.length})`;
            })
            .join('\n'),
      );
      for (const [k, xs] of Object.entries(seen)) {
        if (!k.includes('interval')) continue;
        const sorted = [...xs].sort((x, y) => x - y);
        const p90 = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))];
        check(p90 <= TOLERANCE.intervalP90Rel, `${k}: p90 ${p90}`);
      }
      if (failures.length) console.log(`outside tolerance:\n  ${failures.join('\n  ')}`);
      expect(failures).toEqual([]);
      expect(counts.deals).toBeGreaterThan(10);
      expect(counts.restocks).toBeGreaterThan(10);
      expect(rows.oldAfter).toBeLessThan(rows.oldBefore * 0.6);
      expect(rows.before - rows.after).toBe(rows.oldBefore - rows.oldAfter);
    });
  });
});
