import { afterAll, beforeAll, expect, it } from 'vitest';
import { anomalyFlags, stockReadingFlags, withoutAnomalousValues } from '../../core/anomalies/flags';
import { createRng } from '../../core/random';
import { activeDeal, detectDeals } from '../../core/deals';
import { dealRuns } from '../../core/series/dealRuns';
import { stockIntervals } from '../../core/series/intervals';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../core/series/types';
import { velocity } from '../../core/series/velocity';
import { addInterval, emptySums, velocityFromSums } from '../../core/series/velocitySums';
import { toPoint } from '../../server/modules/snapshot/snapshot.points';
import { completeStockout, detectRestocks, type StockoutFact, stockoutWindows } from '../../core/restock';
import { RESTOCK_OPTIONS, storedEvent } from '../../server/modules/facts/restocks.facts';
import { readTime, readTimeOrNull } from '../../server/db/dialect';
import { describeDatabase } from '../helpers/database';

/** Flags of `points` with none raised (the readings are already cleaned). */
const noFlags = (points: readonly SnapshotPoint[]) => anomalyFlags(points, {}, { from: Infinity, to: -Infinity });
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Differential test of the consumption facts on seeded random histories (censored readings, long
 * gaps, null stock, deals with and without a known end, restocks), sent through recordSnapshots as
 * out-of-order and re-sent batches, then partly rolled up by retention:
 *   incremental facts == facts rebuilt from the raw snapshots (kinds exact, totals within 1e-9);
 *   the API's velocity (served from the facts) == core's velocity() over the readings the on-demand
 *   path loads, [from − 12 h, min(to + 12 h, now)], within 1e-9 relative — for windows where no
 *   deal run straddles that load start. Where one does, the facts keep the run's whole history
 *   (the on-demand path cut it at the load start); those windows are checked against the same sums
 *   taken from core's stockIntervals over the whole history (docs/architecture.md, "Facts").
 */
const COMPETITORS = 5;
const NOW = Date.UTC(2026, 5, 30, 12);
const TOL = 1e-9;

type Input = Record<string, unknown> & { asin: string; capturedAt: string };

function history(seed: number, asin: string): Input[] {
  const rng = createRng(seed);
  const out: Input[] = [];
  let t = NOW - 28 * DAY_MS + rng.int(0, 3_600_000);
  let stock = 300 + rng.int(0, 700);
  let deal: { left: number; qty: number; claimed: number; endsAt: number | null } | null = null;
  // Captures left in a stockout (0, with the odd flap of one returned unit), then a restock.
  let outFor = 0;
  while (t < NOW) {
    const r = rng.next();
    if (!deal && r < 0.01)
      deal = {
        left: rng.int(6, 60),
        qty: 100 + rng.int(0, 200),
        claimed: 0,
        endsAt: rng.next() < 0.6 ? t + rng.int(6, 60) * 600_000 : null,
      };
    const rate = deal ? 4 : 1.2;
    if (outFor > 0) {
      stock = --outFor === 0 ? 200 + rng.int(0, 800) : rng.next() < 0.05 ? 1 : 0;
    } else {
      stock = Math.max(0, stock - Math.floor(rng.next() * rate * 2));
      const u = stock < 15 ? rng.next() : 1;
      if (u < 0.15) [stock, outFor] = [0, rng.int(3, 400)];
      else if (u < 0.45) stock += 200 + rng.int(0, 800);
    }
    const censored = rng.next() < 0.08;
    const missing = rng.next() < 0.02;
    if (deal) deal.claimed = Math.min(100, deal.claimed + rng.next() * 6);
    out.push({
      asin,
      capturedAt: new Date(t).toISOString(),
      stock: missing ? null : censored ? Math.min(stock, 999) : stock,
      stockIsLowerBound: !missing && censored,
      dealType: deal ? 'LIGHTNING' : 'NONE',
      dealQuantity: deal ? deal.qty : null,
      dealClaimedPercent: deal ? Math.round(deal.claimed * 10) / 10 : null,
      dealEndsAt: deal?.endsAt ? new Date(deal.endsAt).toISOString() : null,
      source: 'diff',
    });
    if (deal && --deal.left <= 0) deal = null;
    // Mostly 10-minute captures with jitter; now and then a gap longer than core's 12 h limit.
    t += rng.next() < 0.003 ? rng.int(13, 30) * HOUR_MS : 600_000 + rng.int(-60_000, 60_000);
  }
  return out;
}

/** Batches in an order that exercises late and re-sent data: shuffled chunks, a third sent twice. */
function batches(rows: Input[], seed: number): Input[][] {
  const rng = createRng(seed);
  const chunks: Input[][] = [];
  for (let i = 0; i < rows.length;) {
    const n = rng.int(50, 900);
    chunks.push(rows.slice(i, i + n));
    i += n;
  }
  for (let i = chunks.length - 1; i > 0; i--) {
    if (rng.next() < 0.5) continue; // keep half the chunks in place: in-order appends too
    const j = rng.int(0, i);
    [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
  }
  return chunks.flatMap((c) => (rng.next() < 0.33 ? [c, c] : [c]));
}

const near = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b));

/** Differences between two JSON-like values, numbers within TOL (paths named). */
function deepDiff(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!near(a, b)) out.push(`${path}: ${a} vs ${b}`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b && !(a === undefined && b === null) && !(a === null && b === undefined))
    out.push(`${path}: ${String(a)} vs ${String(b)}`);
  return out;
}

describeDatabase('consumption facts, differential', (databaseUrl) => {
  let s: TestServer;
  let ids: string[] = [];
  /** Restock events and stockout windows as maintained incrementally, before any rebuild. */
  let incremental: Awaited<ReturnType<typeof restockFacts>>[] = [];
  const restockFacts = async (id: string) => {
    const q = s.db.params();
    const events: Record<string, unknown>[] = await s.db.manager.query(
      `SELECT at, opened_at, last_activity_at, kind, confidence, event, rules FROM restock_event WHERE competitor_id = ${q.add(id)} ORDER BY at`,
      q.values,
    );
    const w = s.db.params();
    const windows: Record<string, unknown>[] = await s.db.manager.query(
      `SELECT first_zero_at, start_at, end_at, end_reading_at, duration_h, fact, rules FROM stockout_window WHERE competitor_id = ${w.add(id)} ORDER BY first_zero_at`,
      w.values,
    );
    const time = (v: unknown) => readTimeOrNull(v as string | Date | null);
    return {
      events: events.map((e) => ({
        at: readTime(e.at as string),
        openedAt: time(e.opened_at),
        lastActivityAt: time(e.last_activity_at),
        kind: e.kind,
        confidence: Number(e.confidence),
        event: JSON.parse(String(e.event)),
        rules: Number(e.rules),
      })),
      windows: windows.map((x) => ({
        firstZeroAt: time(x.first_zero_at),
        startAt: time(x.start_at),
        endAt: time(x.end_at),
        endReadingAt: time(x.end_reading_at),
        durationH: x.duration_h === null ? null : Number(x.duration_h),
        fact: JSON.parse(String(x.fact)) as StockoutFact,
        rules: Number(x.rules),
      })),
    };
  };
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    for (let c = 0; c < COMPETITORS; c++) {
      const asin = `B0DIFF${String(c).padStart(4, '0')}`;
      for (const b of batches(history(100 + c, asin), 200 + c))
        await gqlOk(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: b });
    }
    // Retention: readings older than 21 days rolled up (the facts follow, in the same pass).
    await s.app.services.retention.run({ olderThanDays: 21, now: NOW });
    await s.app.services.alertEvaluator.idle();
    ids = (await s.db.manager.query(`SELECT id FROM competitor ORDER BY asin`)).map((r: { id: string }) => r.id);
    incremental = await Promise.all(ids.map(restockFacts));
  }, 480_000);
  afterAll(async () => s?.stop());

  const facts = async (id: string) => {
    const q = s.db.params();
    return s.db.manager.query(`SELECT * FROM consumption_fact WHERE competitor_id = ${q.add(id)} ORDER BY at`, q.values);
  };
  const points = async (id: string): Promise<SnapshotPoint[]> => {
    const q = s.db.params();
    const rows = await s.db.manager.query(`SELECT * FROM snapshot WHERE competitor_id = ${q.add(id)} ORDER BY captured_at`, q.values);
    return rows.map(toPoint);
  };

  const episodes = async (id: string) => {
    const q = s.db.params();
    const rows = await s.db.manager.query(`SELECT * FROM deal_episode WHERE competitor_id = ${q.add(id)} ORDER BY first_seen_at`, q.values);
    return rows.map(({ id: _, ...r }: Record<string, unknown>) => ({
      ...r,
      context: r.context === null ? null : JSON.parse(String(r.context)),
    }));
  };

  it('incremental facts and deal episodes equal those rebuilt from the raw snapshots', async () => {
    const before = await Promise.all(ids.map(facts));
    const episodesBefore = await Promise.all(ids.map(episodes));
    const rebuilt = await s.app.services.facts.rebuild();
    expect(rebuilt.competitors).toBe(COMPETITORS);
    expect(await Promise.all(ids.map(episodes))).toEqual(episodesBefore);
    expect(episodesBefore.flat().length).toBeGreaterThan(COMPETITORS * 5);
    const after = await Promise.all(ids.map(facts));
    const mismatches: string[] = [];
    for (const [c, rows] of before.entries()) {
      expect(rows.length).toBeGreaterThan(1000);
      expect(after[c].length).toBe(rows.length);
      for (const [i, r] of rows.entries()) {
        const b = after[c][i];
        for (const key of Object.keys(r)) {
          if (key === 'id') continue;
          const same =
            typeof r[key] === 'number' || typeof b[key] === 'number'
              ? near(Number(r[key]), Number(b[key]))
              : String(b[key]) === String(r[key]);
          if (!same) mismatches.push(`competitor ${c}, fact ${i}, ${key}: ${r[key]} incremental vs ${b[key]} rebuilt`);
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 60_000);

  it("the API's velocity equals core's on-demand computation over random windows", async () => {
    const rng = createRng(7);
    let compared = 0;
    let restated = 0;
    for (const [c, id] of ids.entries()) {
      // The readings as velocity sees them: wrong stock values left out by the shared anomaly flags,
      // judged with their full neighbourhood (the facts are; an on-demand load would cut it at its start).
      const raw = await points(id);
      const all = withoutAnomalousValues(raw, stockReadingFlags(raw));
      const runs = dealRuns(all);
      for (let k = 0; k < 6; k++) {
        const to = k === 0 ? NOW : NOW - rng.int(0, 20 * 24) * HOUR_MS - rng.int(0, 3_599_999);
        const from = to - (k === 0 ? 30 * DAY_MS : rng.int(1, 30 * 24) * HOUR_MS + rng.int(0, 3_599_999));
        const data = await gqlOk(
          s.url,
          s.apiKey,
          `query($a: [String!]!, $f: DateTime, $t: DateTime) { competitors(asins: $a, first: 1) { edges { node { velocity(from: $f, to: $t) {
            perHour { value lower upper } unitsMeasured unitsLowerBound dealUnits measuredHours censoredHours unobservedHours restockUnits dispersion isLowerBoundOnly
            intervals { exact claims censored restock gap } } } } } }`,
          { a: [`B0DIFF${String(c).padStart(4, '0')}`], f: new Date(from).toISOString(), t: new Date(to).toISOString() },
        );
        const api = data.competitors.edges[0].node.velocity;
        const loadFrom = from - 12 * HOUR_MS;
        const loadTo = Math.min(to + 12 * HOUR_MS, NOW);
        const straddled = runs.some((r) => all[r.indices[0]].at < loadFrom && all[r.indices[r.indices.length - 1]].at >= loadFrom);
        let ref;
        if (!straddled) {
          const loaded = all.filter((p) => p.at >= loadFrom && p.at <= loadTo);
          ref = velocity(loaded, { now: NOW, from, to, confidence: 0.9, anomalies: noFlags(loaded) });
          compared++;
        } else {
          // Restated: intervals classified over the whole history, counted as the on-demand path would.
          const sums = emptySums();
          for (const iv of stockIntervals(all, { runs })) if (iv.start >= loadFrom && iv.end <= loadTo) addInterval(sums, iv, from, to);
          ref = velocityFromSums(sums, 0.9);
          restated++;
        }
        const where = `competitor ${c}, window ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`;
        expect(api.intervals, where).toEqual({
          exact: ref.intervalCounts.EXACT,
          claims: ref.intervalCounts.CLAIMS,
          censored: ref.intervalCounts.CENSORED,
          restock: ref.intervalCounts.RESTOCK,
          gap: ref.intervalCounts.GAP,
        });
        expect(api.isLowerBoundOnly, where).toBe(ref.isLowerBoundOnly);
        for (const [a, b] of [
          [api.perHour.value, ref.perHour.value],
          [api.perHour.lower, ref.perHour.lower],
          [api.perHour.upper, ref.perHour.upper],
          [api.unitsMeasured, ref.unitsMeasured],
          [api.unitsLowerBound, ref.unitsLowerBound],
          [api.dealUnits, ref.dealUnits],
          [api.measuredHours, ref.measuredHours],
          [api.censoredHours, ref.censoredHours],
          [api.unobservedHours, ref.unobservedHours],
          [api.restockUnits, ref.restockUnits],
          [api.dispersion, ref.dispersion],
        ] as [number | null, number | null][])
          expect(near(a, b), `${where}: ${a} vs ${b}`).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(COMPETITORS * 3);
    expect(restated, 'windows whose load start cuts a deal run (the restated branch is exercised)').toBeGreaterThan(0);
    console.info(
      `[facts] ${compared} windows equal to the on-demand computation, ${restated} to the restated one (deal run across the load start)`,
    );
  }, 120_000);

  it("activeDeal, served from the live episode, equals core's detection over the whole history", async () => {
    let compared = 0;
    try {
      for (const [c, id] of ids.entries()) {
        const raw = await points(id);
        const moments = dealRuns(raw)
          .filter((r) => raw[r.indices[0]].at > NOW - 20 * DAY_MS && r.indices.length >= 4)
          .flatMap((r) => [raw[r.indices[2]].at, raw[r.indices[r.indices.length - 1]].at + 60_000]);
        for (const now of moments.slice(0, 8)) {
          s.app.clock.now = () => now;
          const ref = activeDeal(
            detectDeals(
              raw.filter((p) => p.at <= now),
              { now },
            ),
          );
          const data = await gqlOk(
            s.url,
            s.apiKey,
            `query($a: [String!]!) { competitors(asins: $a, first: 1) { edges { node { activeDeal {
              id status unitsSold claimedPercent dealQuantity velocityPerHour strategy preDealPrice discountVsPreDealPercent sellOutEta { p50 } } } } } }`,
            { a: [`B0DIFF${String(c).padStart(4, '0')}`] },
          );
          const api = data.competitors.edges[0].node.activeDeal;
          const where = `competitor ${c} at ${new Date(now).toISOString()}`;
          if (!ref) {
            expect(api, where).toBeNull();
            continue;
          }
          expect(api, where).toMatchObject({
            status: ref.status,
            unitsSold: ref.unitsSold,
            claimedPercent: ref.claimedPercent,
            dealQuantity: ref.dealQuantity,
            strategy: ref.strategy,
            preDealPrice: ref.preDealPrice,
          });
          expect(api.id, where).toContain(`:${ref.type}:${Math.round(ref.startedAt)}`);
          expect(near(api.velocityPerHour, ref.velocityPerHour), where).toBe(true);
          expect(near(api.discountVsPreDealPercent, ref.discountVsPreDealPercent), where).toBe(true);
          const p50 = ref.sellOutEta?.p50 ?? null;
          expect(api.sellOutEta?.p50 ?? null, where).toBe(p50 === null ? null : new Date(p50).toISOString());
          compared++;
        }
      }
    } finally {
      s.app.clock.now = () => NOW;
    }
    expect(compared).toBeGreaterThan(COMPETITORS * 2);
  }, 120_000);

  it("restock events and stockout windows: incremental == rebuilt == core's detection over the whole history", async () => {
    await s.app.services.facts.rebuild();
    const rebuilt = await Promise.all(ids.map(restockFacts));
    expect(deepDiff(incremental, rebuilt).slice(0, 5)).toEqual([]);
    const counts = { events: 0, flaps: 0, windows: 0, open: 0, long: 0 };
    for (const [c, id] of ids.entries()) {
      const raw = await points(id);
      const events = detectRestocks(raw, { now: NOW, ...RESTOCK_OPTIONS }).map(storedEvent);
      expect(
        deepDiff(
          rebuilt[c].events.map((e) => e.event),
          events,
          `competitor ${c} events`,
        ).slice(0, 5),
      ).toEqual([]);
      const windows = stockoutWindows(raw, { now: NOW, minDurationHours: 0, restock: RESTOCK_OPTIONS });
      const stored = rebuilt[c].windows.map((w) => completeStockout(w.fact, { now: NOW, minH: 0, baselineDays: 14 })!);
      // Provenance `stale` is restated when read (server/modules/facts/restocks.read.ts); the rest must agree.
      const noStale = (w: (typeof windows)[number]) => ({
        ...w,
        endedBy: w.endedBy ? storedEvent(w.endedBy) : null,
        explanation: { ...w.explanation, data: { ...w.explanation.data, stale: null } },
      });
      expect(deepDiff(stored.map(noStale), windows.map(noStale), `competitor ${c} windows`).slice(0, 5)).toEqual([]);
      counts.events += events.length;
      counts.flaps += events.filter((e) => e.kind === 'FLAP').length;
      counts.windows += windows.length;
      counts.open += windows.filter((w) => w.open).length;
      counts.long += windows.filter((w) => w.durationHours >= 24).length;
    }
    console.info(`[facts] restock facts equal core's detection: ${JSON.stringify(counts)}`);
    expect(counts.events).toBeGreaterThan(COMPETITORS * 5);
    expect(counts.flaps).toBeGreaterThan(0);
    expect(counts.windows).toBeGreaterThan(COMPETITORS * 2);
    expect(counts.long).toBeGreaterThan(0);
  }, 120_000);

  it("restocks and stockoutWindows, served from the facts, equal core's on-demand detection (and asOf falls back to it)", async () => {
    const EXPLAIN = `explanation { formula inputs steps { label value note } notes data { source newestAt ageHours } }`;
    const query = `query($a: [String!]!, $f: DateTime, $m: Float!, $asOf: DateTime) { competitors(asins: $a, first: 1) { edges { node {
      restocks(from: $f, first: 500, includeFlaps: true, asOf: $asOf) { at earliestAt quantity quantityLowerBound fromLevel toLevel toLevelIsLowerBound kind confidence transitions ${EXPLAIN} }
      stockoutWindows(from: $f, minDurationHours: $m, first: 500, asOf: $asOf) { start end open durationHours opportunityUnits opportunityLower opportunityUpper
        opportunityIsLowerBound baselinePerDay endedByRestockAt ${EXPLAIN} } } } } }`;
    const from = NOW - 30 * DAY_MS;
    let compared = 0;
    for (const [c, id] of ids.entries()) {
      const raw = await points(id);
      for (const [now, minH] of [
        [NOW, 0],
        [NOW, 24],
        [NOW - 5 * DAY_MS - 7 * 60_000, 0],
      ]) {
        const seen = raw.filter((p) => p.at <= now);
        const events = detectRestocks(seen, { now, ...RESTOCK_OPTIONS }).filter((e) => e.at >= from && e.at < now);
        const windows = stockoutWindows(seen, { now, minDurationHours: minH, restock: RESTOCK_OPTIONS }).filter(
          (w) => w.start < now && (w.end ?? now) >= from,
        );
        const asOf = now === NOW ? null : new Date(now).toISOString();
        const data = await gqlOk(s.url, s.apiKey, query, {
          a: [`B0DIFF${String(c).padStart(4, '0')}`],
          f: new Date(from).toISOString(),
          m: minH,
          asOf,
        });
        const api = data.competitors.edges[0].node;
        const where = `competitor ${c} as of ${new Date(now).toISOString()}, minDurationHours ${minH}`;
        const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());
        const step = (e: { explanation: { steps: { label: string; value: unknown; note?: string | null }[] } }) =>
          e.explanation.steps.map((x) => x.label);
        expect(
          deepDiff(
            api.restocks.map((r: Record<string, unknown>) => ({ ...r, explanation: (r.explanation as { notes: string[] }).notes })),
            [...events].reverse().map((e) => ({
              at: iso(e.at),
              earliestAt: iso(e.earliestAt),
              quantity: e.toLevelIsLowerBound ? null : e.quantity,
              quantityLowerBound: e.quantity,
              fromLevel: e.fromLevel,
              toLevel: e.toLevel,
              toLevelIsLowerBound: e.toLevelIsLowerBound,
              kind: e.kind,
              confidence: e.confidence,
              transitions: e.transitions,
              explanation: e.explanation.notes,
            })),
            where,
          ).slice(0, 5),
        ).toEqual([]);
        expect(api.restocks.map(step), where).toEqual([...events].reverse().map(step));
        // The newest reading as of now is the provenance of every event.
        const newest = seen[seen.length - 1];
        for (const r of api.restocks) expect(r.explanation.data.newestAt, where).toBe(iso(newest.at));
        expect(
          deepDiff(
            api.stockoutWindows.map((w: Record<string, unknown>) => ({ ...w, explanation: (w.explanation as { notes: string[] }).notes })),
            [...windows].reverse().map((w) => ({
              start: iso(w.start),
              end: iso(w.end),
              open: w.open,
              durationHours: w.durationHours,
              opportunityUnits: w.opportunityIsLowerBound ? null : w.opportunityUnits,
              opportunityLower: w.opportunityLower,
              opportunityUpper: w.opportunityUpper,
              opportunityIsLowerBound: w.opportunityIsLowerBound,
              baselinePerDay: w.opportunityIsLowerBound ? null : w.baselinePerDay,
              endedByRestockAt: iso(w.endedBy?.at),
              explanation: w.explanation.notes,
            })),
            where,
          ).slice(0, 5),
        ).toEqual([]);
        for (const [i, w] of [...windows].reverse().entries())
          expect(api.stockoutWindows[i].explanation.data.newestAt, where).toBe(w.explanation.data?.newestAt ?? null);
        compared += api.restocks.length + api.stockoutWindows.length;
      }
    }
    expect(compared).toBeGreaterThan(COMPETITORS * 5);
  }, 120_000);
});
