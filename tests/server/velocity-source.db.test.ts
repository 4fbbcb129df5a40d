/**
 * Velocity.source on a real server (SQLite and PostgreSQL): STOCK and DEAL_CLAIMS from the consumption
 * facts, MONTHLY_SOLD from a listing's own "bought in past month" or a monthly sales estimate, RANK_MODEL
 * from its median sales rank through the power law calibrated on the workspace's listings of the
 * marketplace (badges and stock-measured rates), and null with the reason when nothing gives a figure.
 * Readings are seeded through recordSnapshots; the expected rank figure is recomputed with core/ from
 * the seeded values.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { calibrationPairs, median } from '../../core/rank/demand';
import { fitRankSalesModel, unitsFromRank } from '../../core/rank/salesModel';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

const HOUR = 3_600_000;
const units = (rank: number) => 2000 * rank ** -0.8;
const badge = (perMonth: number) => [1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 50].find((s) => perMonth >= s)!;

interface Reading {
  asin: string;
  marketplace: string;
  capturedAt: string;
  stock?: number | null;
  stockIsLowerBound?: boolean;
  price?: number;
  bsr?: number;
  monthlySold?: number;
  estimatedMonthlySales?: number;
  dealType?: string;
  dealQuantity?: number;
  dealClaimedPercent?: number;
}

describeDatabase('Velocity source', (databaseUrl) => {
  let s: TestServer;
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const readings: Reading[] = [];
  const calRanks = [100, 200, 400, 800, 1600, 3200, 6400];
  const rnkRanks = [179, 1185, 293, 410, 350];

  // Calibration: seven DE listings with a badge and ranks around a centre; one DE listing whose stock falls 1 an hour.
  calRanks.forEach((r, i) => {
    for (let h = 0; h < 5; h++)
      readings.push({
        asin: `B0CAL0000${i}`,
        marketplace: 'DE',
        capturedAt: at(48 - 10 * h),
        bsr: Math.round(r * (0.9 + 0.05 * h)),
        monthlySold: badge(units(r) * 30),
      });
  });
  for (let h = 0; h <= 48; h++) readings.push({ asin: 'B0STK00001', marketplace: 'DE', capturedAt: at(60 - h), stock: 500 - h, bsr: 150 });
  // A deal with capped stock ("999+"): only its claims measure sales.
  for (let h = 0; h <= 6; h++)
    readings.push({
      asin: 'B0DEAL0001',
      marketplace: 'DE',
      capturedAt: at(10 - h),
      stock: 999,
      stockIsLowerBound: true,
      dealType: 'LIGHTNING',
      dealQuantity: 200,
      dealClaimedPercent: 5 * h,
    });
  rnkRanks.forEach((r, h) => readings.push({ asin: 'B0RNK00001', marketplace: 'DE', capturedAt: at(40 - 8 * h), bsr: r }));
  // A long ranked history: its oldest 600 readings rank 100,000, its newest 500 rank 1,000 (only the newest 500 are read).
  for (let k = 0; k < 1100; k++)
    readings.push({ asin: 'B0LONG0001', marketplace: 'DE', capturedAt: at(600 - k * 0.5), bsr: k < 600 ? 100_000 : 1000 });
  readings.push({ asin: 'B0MSO00001', marketplace: 'DE', capturedAt: at(5), bsr: 700, monthlySold: 300 });
  readings.push({ asin: 'B0EST00001', marketplace: 'DE', capturedAt: at(5), bsr: 700, estimatedMonthlySales: 600 });
  readings.push({ asin: 'B0NONE0001', marketplace: 'DE', capturedAt: at(5), price: 20 });
  // A US listing with a rank but no US calibration.
  readings.push({ asin: 'B0USRANK01', marketplace: 'US', capturedAt: at(5), bsr: 500 });

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    for (let i = 0; i < readings.length; i += 500)
      await gqlOk(s.url, s.apiKey, `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`, {
        input: readings.slice(i, i + 500),
      });
  }, 120_000);
  afterAll(async () => s?.stop());

  const velocity = async (asin: string, marketplace = 'DE') =>
    (
      await gqlOk(
        s.url,
        s.apiKey,
        `query($asin: String!, $m: String!) { competitor(asin: $asin, marketplace: $m) { velocity(confidence: 0.8) {
           source confidence perDay { value lower upper } perHour { value } explanation { formula inputs notes } } } }`,
        { asin, m: marketplace },
      )
    ).competitor.velocity;

  it('keeps the stock path: STOCK from stock drops, DEAL_CLAIMS from claims alone', async () => {
    const stk = await velocity('B0STK00001');
    expect(stk.source).toBe('STOCK');
    expect(stk.perDay.value).toBeCloseTo(24, 6);
    const deal = await velocity('B0DEAL0001');
    expect(deal.source).toBe('DEAL_CLAIMS');
    // 5 % of 200 claimed an hour: 10 units an hour.
    expect(deal.perHour.value).toBeCloseTo(10, 6);
  });

  it("serves the listing's own monthly sold figure: the bucket midpoint with the bucket as interval", async () => {
    const v = await velocity('B0MSO00001');
    expect(v).toMatchObject({ source: 'MONTHLY_SOLD', confidence: 1 });
    expect(v.perDay.value).toBeCloseTo(350 / 30, 9);
    expect(v.perDay.lower).toBeCloseTo(10, 9);
    expect(v.perDay.upper).toBeCloseTo(400 / 30, 9);
    const e = await velocity('B0EST00001');
    expect(e).toMatchObject({ source: 'MONTHLY_SOLD', confidence: 0, perDay: { value: 20, lower: 20, upper: 20 } });
  });

  it('serves the rank model where only rank is known, with its interval, calibration sources and sample size', async () => {
    const v = await velocity('B0RNK00001');
    expect(v.source).toBe('RANK_MODEL');
    // The same fit by hand: each listing's median rank with its badge ÷ 30 (the seven, and B0MSO00001's 300),
    // and the stock listing's 24/day.
    const cal = calibrationPairs([
      ...calRanks.map((r, i) => ({
        ranks: readings.filter((x) => x.asin === `B0CAL0000${i}`).map((x) => x.bsr!),
        monthlySold: badge(units(r) * 30),
        stockPerDay: null,
      })),
      { ranks: [700], monthlySold: 300, stockPerDay: null },
      { ranks: [150], monthlySold: null, stockPerDay: 24 },
    ]);
    const expected = unitsFromRank(fitRankSalesModel(cal).model!, median(rnkRanks)!, 0.8);
    expect(v.perDay.value).toBeCloseTo(expected.unitsPerDay, 9);
    expect(v.perDay.lower).toBeCloseTo(expected.lower, 9);
    expect(v.perDay.upper).toBeCloseTo(expected.upper, 9);
    expect(v.perHour.value).toBeCloseTo(expected.unitsPerDay / 24, 9);
    expect(v.explanation.inputs).toMatchObject({
      medianRank: 350,
      rankReadings: 5,
      calibrationPairs: 9,
      calibrationSources: 'MONTHLY_SOLD 8, OBSERVED_STOCK 1',
      confidence: 0.8,
    });
  });

  it("reads a bounded number of a listing's newest rank readings, however long its history", async () => {
    const v = await velocity('B0LONG0001');
    expect(v.source).toBe('RANK_MODEL');
    expect(v.explanation.inputs).toMatchObject({ medianRank: 1000, rankReadings: 500 });
  });

  it('gives no figure, and says why, when nothing measures sales', async () => {
    const none = await velocity('B0NONE0001');
    expect(none).toMatchObject({ source: null, perDay: { value: null } });
    expect(none.explanation.notes).toContain('no figure: no stock, deal-claim, sales-rank or monthly-sold readings in the window');
    const us = await velocity('B0USRANK01', 'US');
    expect(us.source).toBeNull();
    expect(us.explanation.notes.join(' ')).toMatch(
      /no figure: sales rank is known \(median 500\) but no rank → sales model: 0 calibration pair/,
    );
  });

  it('serves a list of rank-only listings in the same number of SQL statements for 6 and 60 of them', async () => {
    const seedWorkspace = async (name: string, n: number) => {
      const key = await s.newKey(name);
      const input: Reading[] = [
        ...readings.filter((r) => r.asin.startsWith('B0CAL') || r.asin === 'B0STK00001'),
        ...Array.from({ length: n }, (_, i) => ({
          asin: `B0WIDE${String(i).padStart(4, '0')}`,
          marketplace: 'DE',
          capturedAt: at(3),
          bsr: 300 + 10 * i,
        })),
      ];
      await gqlOk(s.url, key, `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`, { input });
      return key;
    };
    const narrow = await seedWorkspace('narrow', 6);
    const wide = await seedWorkspace('wide', 60);
    await s.app.services.alertEvaluator.idle();
    let counted = 0;
    const counter = s.db.counter;
    const log = counter.logQuery.bind(counter);
    counter.logQuery = (query: string) => {
      if (!/outbox|webhook|alert|^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(query)) counted++;
      log(query);
    };
    const run = async (key: string) => {
      const before = counted;
      const d = await gqlOk(
        s.url,
        key,
        `{ competitors(marketplace: "DE", first: 100) { edges { node { asin velocity { source perDay { value } } } } } }`,
      );
      return { count: counted - before, nodes: d.competitors.edges.map((e: { node: unknown }) => e.node) };
    };
    try {
      const a = await run(narrow);
      const b = await run(wide);
      expect(b.nodes.filter((n: { velocity: { source: string } }) => n.velocity.source === 'RANK_MODEL')).toHaveLength(60);
      expect(a.nodes.filter((n: { velocity: { source: string } }) => n.velocity.source === 'RANK_MODEL')).toHaveLength(6);
      expect(b.count).toBe(a.count);
    } finally {
      counter.logQuery = log;
    }
  });
});
