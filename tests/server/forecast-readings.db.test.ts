/**
 * What competitor forecasts read and hand to the worker pool (issue 13 item 5: a request of many
 * forecasts must not stall the event loop), against the real database and real worker threads:
 *  - ReadingsReader reads in chunks of N rows, yet gives every competitor exactly the points the
 *    one-statement points loader gives (toPoint), whatever N; a competitor is answered as soon as
 *    its last row is read; a competitor without readings gets none; an aborted budget stops it;
 *  - the `competitorSeries` task in a worker thread, on those columns, gives what the event loop
 *    computed before: the hourly series, the live deal (drain fit and sell-out ETA included), the
 *    baseline without the deal's hours, the provenance and the named source;
 *  - the request's run writes wait until its forecasts in flight have all reached them.
 * Run on SQLite and PostgreSQL.
 */
import { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SnapshotPoint } from '../../core/series/types';
import { provenanceOf } from '../../core/series/provenance';
import { pointsOf } from '../../server/modules/forecast/forecast.columns';
import { namedSource, whyNoStockSeries } from '../../server/modules/forecast/forecast.compute';
import { liveDealOf } from '../../server/modules/forecast/forecast.deal';
import { ReadingsReader, WriteBarrier } from '../../server/modules/forecast/forecast.loaders';
import { hourlyDemandSeries, withoutHours } from '../../server/modules/forecast/forecast.series';
import { createPointsLoader } from '../../server/modules/snapshot/snapshot.points';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;
const WINDOW = { from: NOW - 337 * HOUR, to: NOW + HOUR };
const RECORD_SNAPSHOTS = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;

/** Readings of the listings below: a live lightning deal, "999+" caps, missing stock, prices, sources. */
function readings(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const start = NOW - 3 * HOUR;
  let stock = 2000;
  for (let k = 7 * 24; k >= 1; k--) {
    rows.push({ asin: 'DEAL', capturedAt: new Date(start - k * HOUR).toISOString(), stock, price: 30, listPrice: 30, source: 'keepa' });
    stock -= k % 5 === 0 ? 2 : 1;
  }
  for (let j = 0; j <= 18; j++) {
    rows.push({
      asin: 'DEAL',
      capturedAt: new Date(start + j * 10 * MIN).toISOString(),
      stock: stock - 10 * j,
      price: 20,
      listPrice: 30,
      dealType: 'LIGHTNING',
      dealQuantity: 600,
      dealClaimedPercent: (100 * 10 * j) / 600,
      dealEndsAt: new Date(start + 12 * HOUR).toISOString(),
      // The newest readings name no source: the forecast names the newest one that does.
      source: j > 16 ? undefined : 'keepa',
    });
  }
  for (let k = 0; k < 60; k++) {
    const s = 1500 - 13 * k;
    const known = k % 11 !== 5;
    rows.push({
      asin: 'CAPPED',
      capturedAt: new Date(NOW - (60 - k) * 30 * MIN).toISOString(),
      stock: known ? Math.min(s, 999) : undefined,
      stockIsLowerBound: known && s > 999,
      price: k % 7 === 0 ? undefined : 12.34,
      bsr: k % 3 === 0 ? undefined : 1000 + k,
      source: k % 2 ? 'extension' : 'keepa',
    });
  }
  // OLD: readings only before the window (none in it).
  rows.push({ asin: 'OLD', capturedAt: new Date(NOW - 30 * 24 * HOUR).toISOString(), stock: 5, source: 'keepa' });
  return rows;
}

describeDatabase('competitor forecast readings', (databaseUrl) => {
  let s: TestServer;
  let ids: string[];
  /** The points loader's answer (one statement, toPoint): what forecasts read before. */
  let reference: SnapshotPoint[][];

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    await gqlOk(s.url, s.apiKey, RECORD_SNAPSHOTS, { input: readings() });
    const byAsin = new Map<string, string>();
    const page = await gqlOk<any>(s.url, s.apiKey, `{ competitors(first: 10) { edges { node { id asin } } } }`);
    for (const e of page.competitors.edges) byAsin.set(e.node.asin, e.node.id);
    ids = ['DEAL', 'CAPPED', 'OLD'].map((a) => byAsin.get(a)!);
    const points = createPointsLoader(s.db);
    reference = await Promise.all(ids.map((competitorId) => points.load({ competitorId, ...WINDOW })));
    expect(reference.map((r) => r.length)).toEqual([187, 60, 0]);
  });
  afterAll(async () => s?.stop());

  /** The readings reader's statements (a chunk: ordered and limited; background work reads snapshots too). */
  const READINGS_SQL = /FROM snapshot[\s\S]*ORDER BY competitor_id, captured_at\s+LIMIT \d+$/;

  /** Runs `f` and returns the SQL of the statements sent meanwhile through any EntityManager that `match`. */
  const statementsOf = async <T>(match: RegExp, f: () => Promise<T>): Promise<{ value: T; sql: string[] }> => {
    const spy = vi.spyOn(EntityManager.prototype, 'query');
    try {
      const value = await f();
      return { value, sql: spy.mock.calls.map((c) => String(c[0])).filter((q) => match.test(q)) };
    } finally {
      spy.mockRestore();
    }
  };

  const readAll = async (chunk: number) => {
    const reader = new ReadingsReader(s.db, undefined, chunk);
    const { value: columns, sql } = await statementsOf(READINGS_SQL, () =>
      Promise.all(ids.map((competitorId) => reader.load({ competitorId, ...WINDOW }))),
    );
    return { columns, statements: sql.length };
  };

  it('gives every competitor the points toPoint gives, whatever the chunk size, one statement per chunk', async () => {
    for (const chunk of [1, 7, 60, 187, 247, 2000]) {
      const { columns, statements } = await readAll(chunk);
      expect(
        columns.map((c) => pointsOf(c)),
        `chunk ${chunk}`,
      ).toEqual(reference);
      // 247 rows in all: ⌈247 / chunk⌉ statements, one more when the last chunk comes back full.
      expect(statements, `chunk ${chunk}`).toBe(Math.floor(247 / chunk) + 1);
    }
  });

  it('answers a competitor as soon as its last row is read, and keeps only the readings up to `now`', async () => {
    const reader = new ReadingsReader(s.db, undefined, 50);
    const at: number[] = [];
    const { sql } = await statementsOf(READINGS_SQL, () =>
      Promise.all(
        ids.map((competitorId, i) =>
          reader.load({ competitorId, ...WINDOW }).then(() => (at[i] = vi.mocked(EntityManager.prototype.query).mock.calls.length)),
        ),
      ),
    );
    // 247 rows in chunks of 50: 5 statements. The listing read first (by id order) is answered
    // after its own chunks, before the last; the one without readings at the end.
    expect(sql).toHaveLength(5);
    expect(Math.min(...at.slice(0, 2))).toBeLessThan(Math.max(...at));
    const deal = await reader.load({ competitorId: ids[0], ...WINDOW });
    expect(pointsOf(deal, NOW - 2 * HOUR)).toEqual(reference[0].filter((p) => p.at <= NOW - 2 * HOUR));
  });

  it('stops reading when the request budget is spent, with the budget error', async () => {
    const budget = new AbortController();
    budget.abort(new Error('budget spent'));
    const reader = new ReadingsReader(s.db, budget.signal, 10);
    await expect(reader.load({ competitorId: ids[0], ...WINDOW })).rejects.toThrow('budget spent');
  });

  it('in a worker thread, gives what the event loop computed: series, live deal, baseline, provenance, source', async () => {
    const { columns } = await readAll(2000);
    for (const [i, points] of reference.entries()) {
      const got = await s.app.pool.run('competitorSeries', [columns[i], NOW]);
      const series = hourlyDemandSeries(points);
      const why = whyNoStockSeries(points, series);
      const newestAt = points.length ? points[points.length - 1].at : null;
      if (!series || why) {
        expect(got).toEqual({ s: null, live: null, baseline: null, prov: null, named: null, why, newestAt });
        expect(why).not.toBeNull();
        continue;
      }
      const live = await liveDealOf(points, NOW);
      const prov = provenanceOf(points, NOW);
      expect(got).toEqual({
        s: series,
        live,
        baseline: live?.drain ? withoutHours(series, live.drain.startedAt, live.drain.measuredAt) : null,
        prov,
        named: namedSource(points, prov),
        why: null,
        newestAt,
      });
    }
    const deal = await s.app.pool.run('competitorSeries', [columns[0], NOW]);
    expect(deal.live?.drain?.remainingUnits).toBeGreaterThan(0);
    expect(deal.baseline!.missing).toBeGreaterThan(deal.s!.missing);
    expect(deal.named).toMatchObject({ source: 'keepa' });
    expect(deal.named!.note).toContain('the newest reading that names its source');
  });

  it('writes the runs of a request once every forecast in flight has reached its write', async () => {
    const barrier = new WriteBarrier();
    const dispatched: string[] = [];
    const a = barrier.begin();
    const b = barrier.begin();
    barrier.schedule(() => dispatched.push('write'));
    a();
    a(); // idempotent: one forecast ending twice does not release the other's
    await new Promise((r) => setImmediate(r));
    expect(dispatched).toEqual([]);
    b();
    await new Promise((r) => setImmediate(r));
    expect(dispatched).toEqual(['write']);
    barrier.schedule(() => dispatched.push('now'));
    await new Promise((r) => setImmediate(r));
    expect(dispatched).toEqual(['write', 'now']);
  });

  describe('through GraphQL', () => {
    it('one request of many competitor forecasts reads each listing once and writes its runs in one transaction', async () => {
      await s.app.services.alertEvaluator.idle();
      // A page of listings: their forecasts ask for readings in the same tick (aliased top-level
      // lookups would on PostgreSQL, where each lookup answers in its own I/O callback, not).
      const q = `{ competitors(first: 10) { edges { node { asin
        f24: forecast(horizonHours: 24) { model runId } f48: forecast(horizonHours: 48) { model runId } } } } }`;
      const { value: data, sql } = await statementsOf(new RegExp(`${READINGS_SQL.source}|INSERT INTO forecast_run`), () =>
        gqlOk<any>(s.url, s.apiKey, q),
      );
      const byAsin = new Map<string, any>(data.competitors.edges.map((e: any) => [e.node.asin, e.node]));
      expect(byAsin.get('DEAL').f48.runId).not.toBeNull(); // 48 h is the tracked horizon: stored
      expect(byAsin.get('CAPPED').f48.runId).not.toBeNull();
      expect(byAsin.get('OLD').f48).toBeNull(); // no readings in the window
      expect(byAsin.get('DEAL').f24.runId).toBeNull();
      // One readings chunk for the three listings; one upsert of both stored runs.
      expect(sql.filter((q) => READINGS_SQL.test(q))).toHaveLength(1);
      expect(sql.filter((q) => /INSERT INTO forecast_run/.test(q))).toHaveLength(1);
    });
  });
});
