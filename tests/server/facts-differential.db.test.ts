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
    stock = Math.max(0, stock - Math.floor(rng.next() * rate * 2));
    if (stock < 15 && rng.next() < 0.3) stock += 200 + rng.int(0, 800);
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

describeDatabase('consumption facts, differential', (databaseUrl) => {
  let s: TestServer;
  let ids: string[] = [];
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
  }, 240_000);
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
});
