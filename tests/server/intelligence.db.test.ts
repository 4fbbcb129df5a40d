/**
 * The competitor-intelligence API end to end (real HTTP, real database), run on SQLite
 * and PostgreSQL (the database matrix, tests/helpers/database.ts).
 * Expected values are derived by hand from the series in intelligence.series.ts (the derivation
 * is in the comments) or, for bootstrap quantiles and Garwood bounds, computed by core/ on the
 * same points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeDeal, dealBaselineComparison, detectDeals } from '../../core/deals';
import { baseline as coreBaseline, poissonMeanInterval, velocity as coreVelocity } from '../../core/series';
import type { SnapshotPoint } from '../../core/series/types';
import { generateScenarios } from '../../core/sim';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { D, H, mainSeries, type Row, S, toPoints } from './intelligence.series';
import { describeDatabase } from '../helpers/database';

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

const DEAL_FIELDS = `id competitorId type status startedAt endedAt scheduledEndAt dealQuantity dealQuantityLower dealQuantityUpper dealQuantitySource
  unitsSold claimedPercent remainingUnits velocityPerHour peakVelocityPerHour sellOutEta { p10 p50 p90 } sellOutEtaReason sellOutProbability
  drainModel soldOutAt sellThroughRate durationHours peakPeriod { start end slopePerHour units } plateaus { start captures suspicious }
  curveShape firstQuarterShare strategy strategyReason discountPercent restockBatches { at quantity source } claimCurve { at units } percentMode
  explanation { formula text notes steps { label value } data { source newestAt ageHours stale } }`;
const RATE = `{ value lower upper }`;
const VELOCITY = `velocity { from to perHour ${RATE} perDay ${RATE} isLowerBoundOnly unitsMeasured unitsLowerBound measuredHours censoredHours
  unobservedHours restockUnits dispersion intervals { exact claims censored restock gap } explanation { formula notes text data { source newestAt ageHours stale } } }`;

/** A decaying drain that can never sell out: claimed % = 50·(1 − e^(−t/2)), captures every 15 min. */
function decaySeries(asin: string): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 48; i++) rows.push({ asin, capturedAt: iso(S - 48 * H + i * H), stock: 900 - i, source: 'test' });
  for (let i = 0; i <= 24; i++) {
    const c = 50 * (1 - Math.exp(-0.5 * (i / 4)));
    rows.push({
      asin,
      capturedAt: iso(S + i * 15 * MIN),
      stock: Math.round(852 - 2 * c),
      dealType: 'LIGHTNING',
      dealQuantity: 200,
      dealClaimedPercent: Math.round(c * 10) / 10,
      dealEndsAt: iso(S + 12 * H),
      source: 'test',
    });
  }
  return rows;
}

/** Points as the database gives them back: money in whole cents. */
function asStored(points: readonly SnapshotPoint[]): SnapshotPoint[] {
  const cents = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);
  return points.map((p) => ({ ...p, price: cents(p.price), listPrice: cents(p.listPrice), dealStartsAt: p.dealStartsAt ?? null }));
}

describeDatabase('competitor intelligence', (databaseUrl) => {
  let s: TestServer;
  const ids: Record<string, string> = {};
  const record = async (key: string, rows: object[]) => {
    for (let i = 0; i < rows.length; i += 10_000) await gqlOk(s.url, key, RECORD, { input: rows.slice(i, i + 10_000) });
  };
  const setNow = (t: number) => {
    s.app.clock.now = () => t;
  };
  const competitor = async (asin: string, fields: string, key = s.apiKey) =>
    (await gqlOk(s.url, key, `{ competitor(asin: "${asin}") { id ${fields} } }`)).competitor;

  const main = mainSeries('B0INTEL001');
  const censored = mainSeries('B0INTELCEN', { censorAbove: 100 });
  const mainPts = toPoints(main);
  const mid = S + 5 * H + 10 * MIN;
  const after = S + 8 * D;
  /** startedAt: the first reading with the deal (S), its claims still 0 %. */
  const startedAt = S;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    await record(s.apiKey, [...main, ...censored, ...decaySeries('B0INTELDCY')]);
    for (const asin of ['B0INTEL001', 'B0INTELCEN', 'B0INTELDCY']) ids[asin] = (await competitor(asin, '')).id;
  }, 120_000);
  afterAll(async () => s?.stop());

  describe('during a lightning deal', () => {
    beforeAll(() => setNow(mid));

    it('activeDeal gives every figure, by hand and as core computes it', async () => {
      const c = await competitor('B0INTEL001', `activeDeal { ${DEAL_FIELDS} }`);
      const d = c.activeDeal;
      const cid = ids.B0INTEL001;
      expect(d).toMatchObject({
        id: `${cid}:LIGHTNING:${startedAt}`,
        competitorId: cid,
        type: 'LIGHTNING',
        status: 'LIVE',
        startedAt: iso(startedAt),
        endedAt: null,
        scheduledEndAt: iso(S + 12 * H),
        dealQuantity: 100,
        dealQuantitySource: 'GIVEN',
        // 5 h at 10 % of 100 per hour.
        unitsSold: 50,
        claimedPercent: 50,
        remainingUnits: 50,
        velocityPerHour: 10,
        peakVelocityPerHour: 10,
        soldOutAt: null,
        sellThroughRate: 0.5,
        // Elapsed E = S + 5 h − S = 5 h; at E/4 (S + 1.25 h) 12.5 of 50 units: f = 0.25 → STEADY (a linear drain).
        curveShape: 'STEADY',
        // Q = 100: not < 100 (test), not ≥ 300 nor ≥ 3 days of the 48/day baseline (144): standard.
        strategy: 'STANDARD_PROMO',
        percentMode: false,
      });
      expect(d.firstQuarterShare).toBeCloseTo(0.25, 6);
      expect(d.durationHours).toBeCloseTo(5, 10);
      // ETA: 50 left at 10/h from the reading at S + 5 h → about S + 10 h; quantiles from core's bootstrap.
      const core = activeDeal(
        detectDeals(
          mainPts.filter((p) => p.at <= mid),
          { now: mid },
        ),
      )!;
      const eta = core.sellOutEta!;
      expect(d.sellOutEta).toEqual({ p10: iso(eta.p10!), p50: iso(eta.p50!), p90: eta.p90 === null ? null : iso(eta.p90) });
      expect(Math.abs(Date.parse(d.sellOutEta.p50) - (S + 10 * H))).toBeLessThan(1.5 * H);
      expect(Date.parse(d.sellOutEta.p10)).toBeGreaterThanOrEqual(mid);
      expect(d.sellOutProbability).toBeCloseTo(core.sellOutProbability!, 12);
      expect(d.drainModel).toBe(core.drainModel);
      expect(d.claimCurve.at(-1)).toEqual({ at: iso(S + 5 * H), units: 50 });
      // Provenance: newest reading S + 5 h, 10 min old, from "test".
      expect(d.explanation.data).toEqual({ source: 'test', newestAt: iso(S + 5 * H), ageHours: 10 / 60, stale: false });
      expect(d.explanation.text).toContain('ETA P50');
    });

    it('deals, deal(id) and Query.deal agree with activeDeal; detection runs once over the history and once over the live episode', async () => {
      const before = s.app.services.intelligence.stats.dealDetections;
      const id = `${ids.B0INTEL001}:LIGHTNING:${startedAt}`;
      const r = await gqlOk(
        s.url,
        s.apiKey,
        `query($id: ID!) { competitor(asin: "B0INTEL001") { activeDeal { id unitsSold } deals(first: 5) { totalCount edges { cursor node { id status unitsSold } } }
          deal(id: $id) { id status unitsSold } } deal(id: $id) { id status } }`,
        { id },
      );
      // deals and deal(id) share one detection over the history; activeDeal reads its episode only.
      expect(s.app.services.intelligence.stats.dealDetections - before).toBe(2);
      expect(r.competitor.activeDeal).toEqual({ id, unitsSold: 50 });
      expect(r.competitor.deals.totalCount).toBe(1);
      expect(r.competitor.deals.edges[0].node).toEqual({ id, status: 'LIVE', unitsSold: 50 });
      expect(r.competitor.deal).toEqual({ id, status: 'LIVE', unitsSold: 50 });
      expect(r.deal).toEqual({ id, status: 'LIVE' });
    });

    it('velocity and dataStatus by hand', async () => {
      const c = await competitor(
        'B0INTEL001',
        `${VELOCITY} dataStatus { newestAt ageHours source stale staleAfterHours captureIntervalMinutes captures explanation { formula data { stale } } }`,
      );
      const v = c.velocity;
      // 336 hourly drops of 2 before the deal (672) + 5 deal hours of 10 (50) over 341 h.
      expect(v.unitsMeasured).toBe(722);
      expect(v.measuredHours).toBe(341);
      expect(v.isLowerBoundOnly).toBe(false);
      expect(v.perHour.value).toBeCloseTo(722 / 341, 12);
      expect(v.perDay.value).toBeCloseTo((722 / 341) * 24, 10);
      // φ = max(1, χ²/(m − 1)) = 1 here (χ² ≈ 149 over 340 intervals): the plain Garwood interval.
      expect(v.dispersion).toBe(1);
      const ci = poissonMeanInterval(722, 0.9);
      expect(v.perHour.lower).toBeCloseTo(ci.lower / 341, 10);
      expect(v.perHour.upper).toBeCloseTo(ci.upper / 341, 10);
      expect(v.intervals).toEqual({ exact: 341, claims: 0, censored: 0, restock: 0, gap: 0 });
      expect(v.from).toBe(iso(mid - 30 * D));
      expect(v.to).toBe(iso(mid));
      expect(v.explanation.data).toMatchObject({ source: 'test', newestAt: iso(S + 5 * H), stale: false });
      expect(c.dataStatus).toMatchObject({
        newestAt: iso(S + 5 * H),
        source: 'test',
        stale: false,
        // 4.5 × the 60 min median interval: the default DATA_STALE rule's factor for tier POTENTIAL (a listing
        // first seen in a capture), the same rule the alert applies.
        staleAfterHours: 4.5,
        captureIntervalMinutes: 60,
        // S − 14 d … S + 5 h hourly.
        captures: 14 * 24 + 6,
      });
      expect(c.dataStatus.ageHours).toBeCloseTo(10 / 60, 12);
    });

    it('a decaying drain that can never sell out has no ETA and says why', async () => {
      setNow(S + 6 * H + 5 * MIN);
      const d = (
        await competitor('B0INTELDCY', `activeDeal { status drainModel sellOutEta { p50 } sellOutEtaReason explanation { notes } }`)
      ).activeDeal;
      setNow(mid);
      expect(d.status).toBe('LIVE');
      expect(d.drainModel).toBe('DECAY');
      expect(d.sellOutEta).toBeNull();
      expect(d.sellOutEtaReason).toMatch(/never sells out/);
      expect(d.explanation.notes.join(' ')).toMatch(/never sells out/);
    });
  });

  describe('after the deal, the stockout and the restock', () => {
    beforeAll(() => setNow(after));
    const dealId = () => `${ids.B0INTEL001}:LIGHTNING:${startedAt}`;

    it('the deal sold out; no deal is active', async () => {
      const c = await competitor('B0INTEL001', `activeDeal { id } deals { totalCount edges { node { ${DEAL_FIELDS} } } }`);
      expect(c.activeDeal).toBeNull();
      expect(c.deals.totalCount).toBe(1);
      const d = c.deals.edges[0].node;
      expect(d).toMatchObject({
        id: dealId(),
        status: 'SOLD_OUT',
        // First reading at 100 % (S + 10 h); back-dating by 10 units left ÷ 10/h lands on it.
        soldOutAt: iso(S + 10 * H),
        endedAt: iso(S + 10 * H),
        unitsSold: 100,
        claimedPercent: 100,
        sellThroughRate: 1,
        sellOutEta: null,
        curveShape: 'STEADY',
      });
      expect(d.durationHours).toBeCloseTo(10, 10);
      expect(d.sellOutEtaReason).toMatch(/sold out/);
    });

    it('dealComparison: expected vs actual, lift, post-deal rate, recovery, forecast vs actual', async () => {
      const c = await competitor(
        'B0INTEL001',
        `dealComparison(dealId: "${dealId()}") { dealId baselineSufficient dealHours expectedUnits actualUnits actualUnitsSource actualDealUnits liftRatio
          incrementalUnits postPerDay postRatioToBaseline recoveryThreshold recoveredAt hoursToRecover
          baseline { coveredDays avgStock avgStockIsLowerBound dailyConsumption ${RATE} }
          forecastVsActual { forecastAt model predictedSoldOutAt { p10 p50 p90 } actualSoldOutAt errorHours predictedUnitsByEnd actualUnitsByEnd }
          explanation { formula data { source newestAt } } }`,
      );
      const x = c.dealComparison;
      // Baseline 2 units/h = 48/day; deal from S (0 % claimed at the first reading) to the sell-out at S + 10 h = 10 h.
      expect(x.dealHours).toBeCloseTo(10, 10);
      expect(x.expectedUnits).toBeCloseTo((48 * 10) / 24, 10); // 20
      // Stock fell 100 during the deal (128 at S, 28 at S + 10 h).
      expect(x.actualUnits).toBeCloseTo(100, 8);
      expect(x.actualUnitsSource).toBe('STOCK');
      expect(x.actualDealUnits).toBe(100);
      expect(x.liftRatio).toBeCloseTo(100 / 20, 8);
      expect(x.incrementalUnits).toBeCloseTo(80, 8);
      // After the deal: 2 units/h again (out-of-stock and restock hours left out).
      expect(x.postPerDay).toBeCloseTo(48, 8);
      expect(x.postRatioToBaseline).toBeCloseTo(1, 8);
      // Pre-deal average stock: readings 800 − 2k hold 1 h each (k = 0…335): 800 − 335.
      const avg = 465;
      expect(x.baseline.avgStock).toBeCloseTo(avg, 8);
      expect(x.recoveryThreshold).toBeCloseTo(0.8 * avg, 8);
      // First reading ≥ 372.4 after the sell-out: the restock to 500 at S + 72 h.
      expect(x.recoveredAt).toBe(iso(S + 72 * H));
      expect(x.hoursToRecover).toBeCloseTo(62, 10);
      expect(x.baselineSufficient).toBe(true);
      expect(x.baseline.dailyConsumption.value).toBeCloseTo(48, 8);
      const core = dealBaselineComparison(mainPts, detectDeals(mainPts, { now: after })[0], { now: after });
      const f = core.forecastVsActual!;
      expect(x.forecastVsActual).toMatchObject({
        forecastAt: iso(f.forecastAt),
        model: f.model,
        actualSoldOutAt: iso(S + 10 * H),
        predictedSoldOutAt: { p50: f.predictedSoldOutAt.p50 === null ? null : iso(f.predictedSoldOutAt.p50) },
      });
      expect(x.forecastVsActual.errorHours).toBeCloseTo(f.errorHours!, 10);
      // The comparison reads up to now (post-deal rate, recovery): its newest reading is the newest one.
      expect(x.explanation.data).toMatchObject({ source: 'test', newestAt: iso(S + 8 * D) });
    });

    it('restocks and stockout windows by hand', async () => {
      const c = await competitor(
        'B0INTEL001',
        `restocks { at earliestAt quantity quantityLowerBound quantityIsLowerBound kind confidence explanation { data { source } } }
         stockoutWindows { start end open durationHours opportunityUnits opportunityIsLowerBound baselinePerDay endedByRestockAt explanation { formula data { source } } }
         week: stockoutWindows(minDurationHours: 168) { start }
         long: stockoutWindows(minDurationHours: 48.5) { start }`,
      );
      // Exact 0 → exact 500 between S + 71 h and S + 72 h: 500 units (not 501: the half hour of
      // ordinary sales the readings cannot see is stated in the explanation, not added).
      expect(c.restocks).toEqual([
        {
          at: iso(S + 72 * H),
          earliestAt: iso(S + 71 * H),
          quantity: 500,
          quantityLowerBound: 500,
          quantityIsLowerBound: false,
          kind: 'FROM_ZERO',
          confidence: 0.95,
          explanation: { data: { source: 'test' } },
        },
      ]);
      // Out between S + 23.5 h (midway 2 → 0) and S + 71.5 h (midway 0 → 500): 48 h × 48/day = 96 units.
      expect(c.stockoutWindows).toHaveLength(1);
      expect(c.stockoutWindows[0]).toMatchObject({
        start: iso(S + 23.5 * H),
        end: iso(S + 71.5 * H),
        open: false,
        durationHours: 48,
        opportunityIsLowerBound: false,
        endedByRestockAt: iso(S + 72 * H),
      });
      expect(c.stockoutWindows[0].opportunityUnits).toBeCloseTo(96, 8);
      expect(c.stockoutWindows[0].baselinePerDay).toBeCloseTo(48, 8);
      expect(c.week).toEqual([]);
      expect(c.long).toEqual([]);
    });

    it('velocity over 30 days and the baseline', async () => {
      const c = await competitor(
        'B0INTEL001',
        `${VELOCITY} baseline { from to coveredDays avgStock dailyConsumption ${RATE} outOfStockHours restockCycle { restocks lastRestockAt } explanation { data { source } } }`,
      );
      const v = c.velocity;
      // Drops: 672 before the deal, 100 in it, 2 + 26 to zero, 240 after the restock = 1040 units;
      // hours: 336 + 10 + 14 + 47 (at zero) + 120 = 527; the restock hour is not counted.
      expect(v.unitsMeasured).toBe(1040);
      expect(v.measuredHours).toBe(527);
      expect(v.unobservedHours).toBe(1);
      expect(v.restockUnits).toBe(500);
      expect(v.intervals).toMatchObject({ exact: 527, restock: 1 });
      expect(v.perHour.value).toBeCloseTo(1040 / 527, 12);
      const core = coreVelocity(mainPts, { now: after, from: after - 30 * D, to: after });
      expect(v.perHour.lower).toBeCloseTo(core.perHour.lower, 12);
      expect(v.perHour.upper).toBeCloseTo(core.perHour.upper!, 12);
      const b = coreBaseline(mainPts, { now: after, days: 14 });
      expect(c.baseline).toMatchObject({
        from: iso(after - 14 * D),
        to: iso(after),
        coveredDays: 14,
        restockCycle: { restocks: 1, lastRestockAt: iso(S + 72 * H) },
      });
      expect(c.baseline.avgStock).toBeCloseTo(b.avgStock!, 10);
      // Deals and the 48 h at zero are left out: 2 units/h.
      expect(c.baseline.dailyConsumption.value).toBeCloseTo(48, 8);
      expect(c.baseline.outOfStockHours).toBeCloseTo(48, 8);
    });
  });

  describe('censored readings ("100+") are never shown as exact', () => {
    beforeAll(() => setNow(after));

    it('velocity, restock quantity and average stock become lower bounds', async () => {
      const c = await competitor(
        'B0INTELCEN',
        `${VELOCITY} restocks { quantity quantityLowerBound quantityIsLowerBound toLevel toLevelIsLowerBound kind explanation { notes } }
         baseline { avgStock avgStockLowerBound avgStockIsLowerBound consumptionIsLowerBound dailyConsumption ${RATE} }`,
      );
      const pts = toPoints(censored);
      const core = coreVelocity(pts, { now: after, from: after - 30 * D, to: after });
      expect(core.isLowerBoundOnly).toBe(true);
      expect(c.velocity.isLowerBoundOnly).toBe(true);
      expect(c.velocity.perHour.value).toBeNull();
      expect(c.velocity.perDay.value).toBeNull();
      expect(c.velocity.perHour.lower).toBeGreaterThan(0);
      expect(c.velocity.perHour.lower).toBeCloseTo(core.perHour.lower, 12);
      expect(c.velocity.unitsLowerBound).toBeCloseTo(core.unitsLowerBound, 10);
      expect(c.velocity.explanation.notes.join(' ')).toMatch(/lower bound/);
      // 0 → "100+": at least 100 units (+ half an hour of ordinary sales), never an exact count.
      expect(c.restocks).toHaveLength(1);
      expect(c.restocks[0]).toMatchObject({
        quantity: null,
        quantityIsLowerBound: true,
        toLevel: 100,
        toLevelIsLowerBound: true,
        kind: 'FROM_ZERO',
      });
      expect(c.restocks[0].quantityLowerBound).toBeGreaterThanOrEqual(100);
      const b = coreBaseline(pts, { now: after, days: 14 });
      expect(c.baseline.avgStock).toBeNull();
      expect(c.baseline.avgStockIsLowerBound).toBe(true);
      expect(c.baseline.avgStockLowerBound).toBeCloseTo(b.avgStock!, 10);
    });

    it('during the deal the unit figures come from claims, the velocity stays a bound', async () => {
      setNow(mid);
      const c = await competitor(
        'B0INTELCEN',
        `activeDeal { unitsSold velocityPerHour status } velocity { isLowerBoundOnly perHour { value lower } }`,
      );
      setNow(after);
      expect(c.activeDeal).toEqual({ unitsSold: 50, velocityPerHour: 10, status: 'LIVE' });
      expect(c.velocity.isLowerBoundOnly).toBe(true);
      expect(c.velocity.perHour.value).toBeNull();
    });
  });

  describe('scenarios from core/sim through the database', () => {
    it('deals over all pages equal core detection on the same points', async () => {
      const set = generateScenarios({ seed: 7, competitors: 3, days: 21, start: Date.UTC(2026, 9, 1) });
      const key = await s.newKey('sim');
      for (const sc of set.scenarios) {
        await record(
          key,
          sc.points.map((p) => ({
            asin: sc.meta.asin,
            marketplace: sc.meta.marketplace,
            capturedAt: iso(p.at),
            stock: p.stock,
            stockIsLowerBound: p.stockIsLowerBound,
            price: p.price,
            listPrice: p.listPrice ?? null,
            dealType: p.dealType,
            dealQuantity: p.dealQuantity,
            dealClaimedPercent: p.dealClaimedPercent,
            dealStartsAt: p.dealStartsAt ? iso(p.dealStartsAt) : null,
            dealEndsAt: p.dealEndsAt === null ? null : iso(p.dealEndsAt),
            bsr: p.bsr,
            source: p.source,
          })),
        );
      }
      setNow(set.now);
      for (const sc of set.scenarios) {
        const expected = detectDeals(asStored(sc.points), { now: set.now }).sort((a, b) => b.startedAt - a.startedAt);
        const seen: { id: string; status: string; unitsSold: number | null; dealQuantity: number | null }[] = [];
        let after: string | null = null;
        let cid = '';
        for (;;) {
          const r: any = await gqlOk(
            s.url,
            key,
            `query($a: String, $m: String) { competitor(asin: "${sc.meta.asin}", marketplace: $m) { id deals(first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status unitsSold dealQuantity } } } } }`,
            { a: after, m: sc.meta.marketplace },
          );
          cid = r.competitor.id;
          const page = r.competitor.deals;
          expect(page.totalCount).toBe(expected.length);
          seen.push(...page.edges.map((e: any) => e.node));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(seen.map((d) => d.id)).toEqual(expected.map((d) => `${cid}:${d.type}:${Math.round(d.startedAt)}`));
        expect(seen.map((d) => d.status)).toEqual(expected.map((d) => d.status));
        for (const [i, d] of seen.entries()) {
          if (expected[i].unitsSold === null) expect(d.unitsSold).toBeNull();
          else expect(d.unitsSold).toBeCloseTo(expected[i].unitsSold!, 6);
        }
      }
      setNow(after);
    }, 120_000);
  });

  describe('isolation, filters and validation', () => {
    beforeAll(() => setNow(after));
    const dealId = () => `${ids.B0INTEL001}:LIGHTNING:${startedAt}`;

    it('a deal id of another workspace behaves exactly like a missing one', async () => {
      const other = await s.newKey('other-intel');
      await record(other, mainSeries('B0INTEL001'));
      const mine = await gqlOk(s.url, s.apiKey, `query($id: ID!) { deal(id: $id) { id status } }`, { id: dealId() });
      expect(mine.deal).toEqual({ id: dealId(), status: 'SOLD_OUT' });
      const r = await gqlOk(
        s.url,
        other,
        `query($id: ID!, $cid: ID!) { deal(id: $id) { id } byId: competitor(id: $cid) { id }
           competitor(asin: "B0INTEL001") { id deals { edges { node { id } } } deal(id: $id) { id } dealComparison(dealId: $id) { dealId } } }`,
        { id: dealId(), cid: ids.B0INTEL001 },
      );
      expect(r.deal).toBeNull();
      expect(r.byId).toBeNull();
      expect(r.competitor.deal).toBeNull();
      expect(r.competitor.dealComparison).toBeNull();
      // The same series in the other workspace has its own deal id.
      expect(r.competitor.deals.edges.map((e: any) => e.node.id)).toEqual([`${r.competitor.id}:LIGHTNING:${startedAt}`]);
      expect(r.competitor.id).not.toBe(ids.B0INTEL001);
      const garbage = await gqlOk(
        s.url,
        s.apiKey,
        `{ deal(id: "nonsense") { id } competitor(asin: "B0INTEL001") { deal(id: "x:y:1") { id } } }`,
      );
      expect(garbage).toEqual({ deal: null, competitor: { deal: null } });
    });

    it('competitors(asins, marketplace) filters, bounded to 500 ASINs', async () => {
      const r = await gqlOk(
        s.url,
        s.apiKey,
        `{ competitors(asins: ["b0intel001", "B0INTELDCY", "B0NOTTHERE"], marketplace: "US") { totalCount edges { node { asin } } } }`,
      );
      expect(r.competitors.totalCount).toBe(2);
      expect(r.competitors.edges.map((e: any) => e.node.asin)).toEqual(['B0INTEL001', 'B0INTELDCY']);
      const none = await gqlOk(
        s.url,
        s.apiKey,
        `{ competitors(asins: ["B0INTEL001"], marketplace: "DE") { totalCount } empty: competitors(asins: []) { totalCount } }`,
      );
      expect(none).toEqual({ competitors: { totalCount: 0 }, empty: { totalCount: 0 } });
      const tooMany = await gql(s.url, s.apiKey, `query($a: [String!]) { competitors(asins: $a) { totalCount } }`, {
        a: Array.from({ length: 501 }, (_, i) => `B0${String(i).padStart(8, '0')}`),
      });
      expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asins' });
      const bad = await gql(s.url, s.apiKey, `{ competitors(asins: ["B0INTEL001", "not an asin"]) { totalCount } }`);
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asins[1]' });
    });

    it('rejects bad windows and arguments naming the field', async () => {
      const cases: [string, string][] = [
        [`velocity(from: "${iso(after - D)}", to: "${iso(after - 2 * D)}") { perHour { lower } }`, 'from'],
        [`velocity(from: "${iso(after - 200 * D)}") { perHour { lower } }`, 'from'],
        [`velocity(confidence: 1.5) { perHour { lower } }`, 'confidence'],
        [`deals(from: "${iso(after - 181 * D)}") { totalCount }`, 'from'],
        [`deals(after: "garbage") { totalCount }`, 'after'],
        [`deals(first: 501) { totalCount }`, 'first'],
        [`restocks(first: 0) { at }`, 'first'],
        [`stockoutWindows(minDurationHours: -1) { start }`, 'minDurationHours'],
        [`baseline(days: 0) { coveredDays }`, 'days'],
      ];
      for (const [field, name] of cases) {
        const r = await gql(s.url, s.apiKey, `{ competitor(asin: "B0INTEL001") { ${field} } }`);
        expect(r.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field: name });
      }
    });
  });

  describe('cost', () => {
    /** n competitors with 3 captures each, the newest showing a lightning deal (so detection runs). */
    const seed = async (key: string, n: number) => {
      const rows = [];
      for (let c = 0; c < n; c++) {
        const asin = `B0COST${String(c).padStart(4, '0')}`;
        for (let k = 0; k < 3; k++) {
          const deal = k === 2;
          rows.push({
            asin,
            capturedAt: iso(after - (3 - k) * H),
            stock: 200 - 5 * k,
            source: 'test',
            ...(deal ? { dealType: 'LIGHTNING', dealQuantity: 50, dealClaimedPercent: 10, dealEndsAt: iso(after + 4 * H) } : {}),
          });
        }
      }
      await record(key, rows);
    };
    const QUERY = `query($n: Int!) { competitors(first: $n) { edges { node { asin latestSnapshot { stock } activeDeal { id status unitsSold }
      velocity { perHour { value } } dataStatus { stale } restocks(first: 5) { at } stockoutWindows(first: 5) { start } } } } }`;

    it('competitors(first: 500) { latestSnapshot activeDeal velocity dataStatus restocks stockoutWindows } costs the same statements as 10', async () => {
      setNow(after);
      const small = await s.newKey('cost-small');
      const large = await s.newKey('cost-large');
      await seed(small, 10);
      await seed(large, 500);
      // Alert evaluation of those ingests runs after their responses: let it finish before counting.
      await s.app.services.alertEvaluator.idle();
      // Count this request's statements only: the webhook dispatcher polls its outbox every second
      // on the same connection, in transactions of its own.
      let counted = 0;
      const counter = s.db.counter;
      const log = counter.logQuery.bind(counter);
      counter.logQuery = (query: string) => {
        if (!/outbox|webhook|^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(query)) counted++;
        log(query);
      };
      const run = async (key: string, n: number) => {
        const before = counted;
        const t = performance.now();
        const data = await gqlOk(s.url, key, QUERY, { n });
        return { count: counted - before, ms: performance.now() - t, data };
      };
      try {
        const a = await run(small, 10);
        const b = await run(large, 500);
        expect(b.data.competitors.edges).toHaveLength(500);
        for (const e of b.data.competitors.edges) {
          expect(e.node.activeDeal).toMatchObject({ status: 'LIVE', unitsSold: 5 });
          // Two exact drops of 5 units, one hour apart each: 5 units/h.
          expect(e.node.velocity.perHour.value).toBeCloseTo(5, 12);
        }
        expect(b.count).toBe(a.count);
        // auth + page + latest (2) + tail + velocity facts (seeks, rows) + capture rhythm + live episodes (seeks, readings)
        // + restock facts (servable, events page, windows page)
        expect(b.count).toBeLessThanOrEqual(13);
        console.info(`[intelligence] 500 competitors: ${b.count} SQL statements, ${b.ms.toFixed(0)} ms (10: ${a.ms.toFixed(0)} ms)`);
      } finally {
        counter.logQuery = log;
      }
    }, 120_000);
  });
});
