/**
 * Competitor forecasts where stock is not observable and why forecasts are null, on a real server
 * (SQLite and PostgreSQL): every null path answers Competitor.forecastUnavailable with its reason;
 * a rank-only listing gets a daily RANK_MODEL forecast from the same calibration as Velocity, its
 * intervals widened by the model's (checked exactly on a constant rank with NAIVE); a badge-only
 * listing a MONTHLY_SOLD one; imported Keepa-like rank-only histories (tests/fixtures, and the public
 * example in ../shared/data/real when present) forecast too; and `asOf`: a forecast as of a past
 * instant equals the one a server holding only the data up to then makes at that instant.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationPairs, monthlyBucket } from '../../core/rank/demand';
import { fitRankSalesModel, unitsFromRank } from '../../core/rank/salesModel';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeWithSharedData, sharedPath } from '../helpers/shared';

const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The asOf of the comparisons: 20 hours before the server's now. */
const AS_OF = NOW - 20 * HOUR;
const units = (rank: number) => 2000 * rank ** -0.8;
const badge = (perMonth: number) => [1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 50].find((s) => perMonth >= s)!;
const CAL_RANKS = [100, 200, 400, 800, 1600, 3200, 6400];

interface Reading {
  asin: string;
  marketplace: string;
  capturedAt: string;
  stock?: number | null;
  stockIsLowerBound?: boolean;
  price?: number;
  bsr?: number;
  monthlySold?: number;
}

const at = (ms: number) => new Date(ms).toISOString();
const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;
const FIELDS = `model granularity source historyFrom historyTo exactPeriods missingPeriods censoredPeriods runId tracked
  points { step at value lower80 upper80 lower95 upper95 } explanation { inputs notes }`;

/** Seven listings of a marketplace with a badge and ranks around a centre, read in the 48 h before `end`. */
function calibration(tag: string, marketplace: string, end: number): Reading[] {
  const out: Reading[] = [];
  CAL_RANKS.forEach((r, i) => {
    for (let h = 0; h < 5; h++)
      out.push({
        asin: `B0CAL${tag}00${i}`,
        marketplace,
        capturedAt: at(end - (48 - 10 * h) * HOUR),
        bsr: Math.round(r * (0.9 + 0.05 * h)),
        monthlySold: badge(units(r) * 30),
      });
  });
  return out;
}

function readings(): Reading[] {
  const out: Reading[] = calibration('DE', 'DE', NOW);
  const day = (k: number, h = 6) => at(Date.UTC(2026, 9, 15 - k, h));
  for (let k = 0; k < 20; k++) out.push({ asin: 'B0RANKDE01', marketplace: 'DE', capturedAt: day(k), bsr: 500 });
  const varying = [700, 650, 1185, 293, 410, 520, 880, 610, 700, 1500, 480, 560, 590, 720, 640, 900, 530, 610, 770, 680];
  varying.forEach((r, k) => out.push({ asin: 'B0RANKDE02', marketplace: 'DE', capturedAt: day(k, 9), bsr: r }));
  for (let k = 0; k < 10; k++) out.push({ asin: 'B0MSOLD001', marketplace: 'DE', capturedAt: day(k), bsr: 900, monthlySold: 300 });
  for (let k = 0; k < 5; k++) out.push({ asin: 'B0RANKUK01', marketplace: 'UK', capturedAt: day(k), bsr: 500 });
  for (const k of [0, 1]) out.push({ asin: 'B0FEWDAYS1', marketplace: 'DE', capturedAt: day(k), bsr: 800 });
  for (let h = 0; h < 5; h++) out.push({ asin: 'B0NOSIG001', marketplace: 'DE', capturedAt: at(NOW - (10 - h) * HOUR), price: 20 });
  for (let h = 0; h < 5; h++) out.push({ asin: 'B0STALE001', marketplace: 'DE', capturedAt: at(NOW - 20 * DAY - h * HOUR), stock: 50 - h });
  out.push({ asin: 'B0ONE00001', marketplace: 'DE', capturedAt: at(NOW - 3 * HOUR), stock: 40 });
  for (const m of [5, 35]) out.push({ asin: 'B0SHORT001', marketplace: 'DE', capturedAt: at(NOW - 5 * HOUR + m * 60_000), stock: 40 });
  out.push({ asin: 'B0RESTK001', marketplace: 'DE', capturedAt: at(NOW - 10 * HOUR), stock: 5 });
  out.push({ asin: 'B0RESTK001', marketplace: 'DE', capturedAt: at(NOW - 7 * HOUR), stock: 60 });
  for (let h = 0; h <= 6; h++)
    out.push({ asin: 'B0CENS0001', marketplace: 'DE', capturedAt: at(NOW - (10 - h) * HOUR), stock: 999, stockIsLowerBound: true });
  for (let h = 0; h <= 72; h++)
    out.push({ asin: 'B0STOCK001', marketplace: 'DE', capturedAt: at(NOW - (72 - h) * HOUR), stock: 500 - h - (h % 5 === 0 ? 2 : 0) });
  return out;
}

/** Own product sales: 90 days up to today, a weekly pattern. */
function sales(): { sku: string; date: string; units: number; inStock: boolean }[] {
  return Array.from({ length: 90 }, (_, k) => ({
    sku: 'OWN',
    date: at(Date.UTC(2026, 9, 15) - (89 - k) * DAY).slice(0, 10),
    units: 20 + ((k * 7) % 11),
    inStock: true,
  }));
}

async function seed(s: TestServer, rs: Reading[], ss: ReturnType<typeof sales>) {
  for (let i = 0; i < rs.length; i += 500) await gqlOk(s.url, s.apiKey, RECORD, { input: rs.slice(i, i + 500) });
  await gqlOk(s.url, s.apiKey, `mutation { upsertProduct(input: { sku: "OWN", name: "own", unitCost: 5, price: 12 }) { id } }`);
  await gqlOk(s.url, s.apiKey, `mutation { upsertProduct(input: { sku: "EMPTY", name: "empty", unitCost: 5, price: 12 }) { id } }`);
  await gqlOk(s.url, s.apiKey, `mutation { upsertCompetitor(input: { asin: "B0EMPTY001", marketplace: "DE" }) { id } }`);
  if (ss.length)
    await gqlOk(s.url, s.apiKey, `mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted } }`, { input: ss });
}

describeDatabase('competitor forecasts without stock, null reasons and asOf', (databaseUrl) => {
  let s: TestServer;
  let then: TestServer;
  const q = (srv: TestServer, query: string, variables?: Record<string, unknown>) => gqlOk(srv.url, srv.apiKey, query, variables);
  const competitor = async (asin: string, args = 'horizonHours: 48', marketplace = 'DE', srv = s) =>
    (
      await q(
        srv,
        `query($a: String!, $m: String) { competitor(asin: $a, marketplace: $m) { forecast(${args}) { ${FIELDS} }
          forecastUnavailable(${args}) { reason message newestAt } } }`,
        { a: asin, m: marketplace },
      )
    ).competitor;

  beforeAll(async () => {
    [s, then] = await Promise.all([startTestServer({ databaseUrl }), startTestServer({ databaseUrl })]);
    s.app.clock.now = () => NOW;
    then.app.clock.now = () => AS_OF;
    await seed(s, readings(), sales());
    // The server "then": only what had been captured (or a day that had begun) by AS_OF.
    await seed(
      then,
      readings().filter((r) => Date.parse(r.capturedAt) <= AS_OF),
      sales().filter((x) => Date.parse(x.date) < AS_OF),
    );
  }, 180_000);
  afterAll(async () => Promise.all([s?.stop(), then?.stop()]));

  it('says why a forecast is null, on every null path', async () => {
    const cases: [string, string, string][] = [
      ['B0EMPTY001', 'DE', 'NO_READINGS'],
      ['B0STALE001', 'DE', 'STALE'],
      ['B0NOSIG001', 'DE', 'NO_STOCK_SIGNAL'],
      ['B0ONE00001', 'DE', 'TOO_FEW_READINGS'],
      ['B0SHORT001', 'DE', 'SPAN_TOO_SHORT'],
      ['B0RESTK001', 'DE', 'NO_MEASURED_HOURS'],
      ['B0CENS0001', 'DE', 'CENSORED_ONLY'],
      ['B0RANKUK01', 'UK', 'RANK_MODEL_UNCALIBRATED'],
      ['B0FEWDAYS1', 'DE', 'TOO_FEW_RANK_DAYS'],
    ];
    for (const [asin, mk, reason] of cases) {
      const c = await competitor(asin, 'horizonHours: 48', mk);
      expect(c.forecast, asin).toBeNull();
      expect(c.forecastUnavailable, asin).toMatchObject({ reason });
      expect(c.forecastUnavailable.message.length, asin).toBeGreaterThan(10);
    }
    expect((await competitor('B0STALE001')).forecastUnavailable.newestAt).toBe(at(NOW - 20 * DAY));
    expect((await competitor('B0RANKUK01', undefined, 'UK')).forecastUnavailable.message).toContain('calibration pair');
    const own = (await q(s, `{ product(sku: "EMPTY") { forecast { model } forecastUnavailable { reason message } } }`)).product;
    expect(own).toMatchObject({ forecast: null, forecastUnavailable: { reason: 'NO_SALES' } });
  });

  it('keeps the stock forecast (source STOCK, hourly) and gives no reason when there is a forecast', async () => {
    const c = await competitor('B0STOCK001');
    expect(c.forecast).toMatchObject({ source: 'STOCK', granularity: 'HOUR', tracked: true });
    expect(c.forecastUnavailable).toBeNull();
  });

  it('forecasts a rank-only listing from the rank model, with the model interval widening the forecast (exact on a constant rank)', async () => {
    // The marketplace's listings with a badge: the seven calibration listings and B0MSOLD001 (rank 900, 300+).
    const pairs = calibrationPairs([
      ...CAL_RANKS.map((r) => ({
        ranks: [0, 1, 2, 3, 4].map((h) => Math.round(r * (0.9 + 0.05 * h))),
        monthlySold: badge(units(r) * 30),
        stockPerDay: null,
      })),
      { ranks: [900], monthlySold: 300, stockPerDay: null },
    ]);
    const m = fitRankSalesModel(pairs).model!;
    const c = await competitor('B0RANKDE01', 'horizonHours: 72, model: NAIVE');
    expect(c.forecastUnavailable).toBeNull();
    const f = c.forecast;
    expect(f).toMatchObject({ source: 'RANK_MODEL', granularity: 'DAY', historyTo: '2026-10-15', runId: null, tracked: false });
    expect(f.points).toHaveLength(3);
    expect(f.points[0].at).toBe('2026-10-16');
    const e80 = unitsFromRank(m, 500, 0.8);
    const e95 = unitsFromRank(m, 500, 0.95);
    for (const p of f.points) {
      expect(p.value).toBeCloseTo(e80.unitsPerDay, 9);
      expect(p.lower80).toBeCloseTo(e80.lower, 9);
      expect(p.upper80).toBeCloseTo(e80.upper, 9);
      expect(p.lower95).toBeCloseTo(e95.lower, 9);
      expect(p.upper95).toBeCloseTo(e95.upper, 9);
    }
    expect(f.explanation.inputs).toMatchObject({ calibrationPairs: m.n, source: 'RANK_MODEL' });
    expect(f.explanation.notes.join(' ')).toContain('same model and calibration as Velocity RANK_MODEL');
  });

  it('uses the same calibration as Velocity RANK_MODEL and nests its intervals on a varying rank', async () => {
    const r = (
      await q(
        s,
        `{ competitor(asin: "B0RANKDE02", marketplace: "DE") { forecast { ${FIELDS} }
           velocity(confidence: 0.8) { source explanation { inputs steps { label value } } } } }`,
      )
    ).competitor;
    expect(r.velocity.source).toBe('RANK_MODEL');
    expect(r.forecast.source).toBe('RANK_MODEL');
    expect(r.forecast.explanation.inputs.calibrationPairs).toBe(r.velocity.explanation.inputs.calibrationPairs);
    const alpha = r.velocity.explanation.steps.find((x: { label: string }) => x.label === 'α').value;
    expect(Number(r.forecast.explanation.inputs.alpha)).toBeCloseTo(Number(alpha), 9);
    expect(r.forecast.exactPeriods).toBe(20);
    for (const p of r.forecast.points) {
      expect(p.lower95).toBeLessThanOrEqual(p.lower80 + 1e-12);
      expect(p.lower80).toBeLessThanOrEqual(p.value);
      expect(p.upper80).toBeGreaterThanOrEqual(p.value);
      expect(p.upper95).toBeGreaterThanOrEqual(p.upper80 - 1e-12);
      // Wider than the model's interval alone around the point (the forecast's own spread compounds it).
      expect(p.upper80 / p.value).toBeGreaterThan(1.05);
    }
  });

  it('forecasts a badge-only listing from "bought in past month" (MONTHLY_SOLD), the bucket as the interval', async () => {
    const f = (await competitor('B0MSOLD001', 'horizonHours: 24, model: NAIVE')).forecast;
    const b = monthlyBucket(300);
    expect(f).toMatchObject({ source: 'MONTHLY_SOLD', granularity: 'DAY' });
    expect(f.points[0].value).toBeCloseTo(b.mid / 30, 9);
    expect(f.points[0].lower80).toBeCloseTo(b.lower / 30, 9);
    expect(f.points[0].upper95).toBeCloseTo(b.upper / 30, 9);
  });

  it('batches aliased competitor(id:|asin:) and product(sku:) lookups: one statement per kind, for 3 or 12 aliases', async () => {
    const ids = (await q(s, `{ competitors(first: 12) { edges { node { id asin marketplace } } } }`)).competitors.edges.map(
      (e: { node: { id: string; asin: string; marketplace: string } }) => e.node,
    );
    expect(ids.length).toBe(12);
    const lookups = (n: number) =>
      '{ ' +
      ids
        .slice(0, n)
        .map(
          (c: { id: string; asin: string; marketplace: string }, i: number) =>
            `i${i}: competitor(id: "${c.id}") { asin } a${i}: competitor(asin: "${c.asin}", marketplace: "${c.marketplace}") { id } p${i}: product(sku: "OWN") { sku }`,
        )
        .join(' ') +
      ' none: competitor(id: "00000000-0000-4000-8000-000000000000") { id } bad: competitor(id: "x") { id } }';
    let counted = 0;
    const counter = s.db.counter;
    const log = counter.logQuery.bind(counter);
    counter.logQuery = (query: string) => {
      if (!/outbox|webhook|alert|^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(query)) counted++;
      log(query);
    };
    try {
      const run = async (n: number) => {
        const before = counted;
        const d = await q(s, lookups(n));
        return { d, statements: counted - before };
      };
      const few = await run(3);
      const many = await run(12);
      expect(many.statements).toBe(few.statements);
      expect(many.statements).toBeLessThanOrEqual(4);
      ids.forEach((c: { id: string; asin: string }, i: number) => {
        expect(many.d[`i${i}`]).toEqual({ asin: c.asin });
        expect(many.d[`a${i}`]).toEqual({ id: c.id });
        expect(many.d[`p${i}`]).toEqual({ sku: 'OWN' });
      });
      expect(many.d.none).toBeNull();
      expect(many.d.bad).toBeNull();
    } finally {
      counter.logQuery = log;
    }
  });

  describe('asOf', () => {
    const same = (a: Record<string, unknown>, b: Record<string, unknown>) => {
      const pick = ({
        model,
        granularity,
        source,
        historyFrom,
        historyTo,
        exactPeriods,
        missingPeriods,
        censoredPeriods,
        points,
      }: any) => ({
        model,
        granularity,
        source,
        historyFrom,
        historyTo,
        exactPeriods,
        missingPeriods,
        censoredPeriods,
        points,
      });
      expect(pick(a)).toEqual(pick(b));
    };

    it('a competitor forecast as of a past instant equals the one made then on the data up to then (stock and rank)', async () => {
      for (const asin of ['B0STOCK001', 'B0RANKDE02']) {
        const past = (await competitor(asin, `horizonHours: 48, asOf: "${at(AS_OF)}"`)).forecast;
        const made = (await competitor(asin, 'horizonHours: 48', 'DE', then)).forecast;
        expect(past, asin).not.toBeNull();
        same(past, made);
        expect(past.runId, 'a past forecast is ad hoc').toBeNull();
        expect(past.explanation.notes.join(' ')).toContain(`As of ${at(AS_OF)}`);
      }
      const now = (await competitor('B0STOCK001')).forecast;
      expect(now.historyTo).not.toBe((await competitor('B0STOCK001', `asOf: "${at(AS_OF)}"`)).forecast.historyTo);
    });

    it('a product forecast as of a past instant equals the one made then on the sales up to then', async () => {
      const field = (asOf: string) => `{ product(sku: "OWN") { forecast(horizonDays: 14${asOf}) { ${FIELDS} } } }`;
      const past = (await q(s, field(`, asOf: "${at(AS_OF)}"`))).product.forecast;
      const made = (await q(then, field(''))).product.forecast;
      same(past, made);
      expect(past.historyTo).toBe('2026-10-14');
      expect((await q(s, field(''))).product.forecast.historyTo).toBe('2026-10-15');
    });
  });

  it('forecasts an imported Keepa history with the sales rank only (tests/fixtures)', async () => {
    const cal = calibration('US', 'US', NOW);
    await q(s, RECORD, { input: cal });
    const name = 'B0RANKFX01_keepa-history.csv';
    const imp = (
      await q(s, `mutation($csv: String!, $f: String) { importSnapshotsCsv(csv: $csv, fileName: $f) { inserted format } }`, {
        csv: readFileSync(`tests/fixtures/import/${name}`, 'utf8'),
        f: name,
      })
    ).importSnapshotsCsv;
    expect(imp).toMatchObject({ inserted: 25, format: 'KEEPA_HISTORY' });
    const c = await competitor('B0RANKFX01', 'horizonHours: 48', 'US');
    expect(c.forecastUnavailable).toBeNull();
    expect(c.forecast).toMatchObject({ source: 'RANK_MODEL', granularity: 'DAY', historyTo: '2026-10-14' });
    expect(c.forecast.explanation.notes.join(' ')).toContain('Stock is not observable (NO_STOCK_SIGNAL');
  });

  describeWithSharedData(
    'a public Keepa sales-rank export',
    { file: 'data/real/B00006IX59_sales_rank_excerpt.csv', origin: 'public Keepa sales-rank history (see its README)' },
    () => {
      it('forecasts it as of its last day from the rank model calibrated then', async () => {
        const end = Date.UTC(2024, 4, 31, 12);
        await q(s, RECORD, { input: calibration('OL', 'US', end) });
        const name = 'B00006IX59_sales_rank_excerpt.csv';
        await q(s, `mutation($csv: String!, $f: String) { importSnapshotsCsv(csv: $csv, fileName: $f) { inserted } }`, {
          csv: readFileSync(sharedPath('data', 'real', name), 'utf8'),
          f: name,
        });
        const c = await competitor('B00006IX59', `horizonHours: 168, asOf: "${at(end)}"`, 'US');
        expect(c.forecastUnavailable).toBeNull();
        expect(c.forecast).toMatchObject({ source: 'RANK_MODEL', granularity: 'DAY', historyTo: '2024-05-31' });
        expect(c.forecast.points).toHaveLength(7);
        expect(c.forecast.exactPeriods).toBeGreaterThanOrEqual(40);
      });
    },
  );
});
