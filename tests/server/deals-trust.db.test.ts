/**
 * Deal timing, whole units and discounts through the real API on both databases (issue 14, items
 * 1, 4, 5): startedAtEarliest/startedAtLatest/startUncertaintyHours, endInferred, integer quantities,
 * discountVsListPercent/discountVsPreDealPercent. Expected values by hand from the rows below.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { H, type Row, S } from './intelligence.series';

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;
const iso = (ms: number) => new Date(ms).toISOString();
const FIELDS = `status startedAt startedAtEarliest startedAtLatest startUncertaintyHours endedAt endInferred dealQuantity dealQuantityLower
  dealQuantityUpper dealQuantitySource unitsSold remainingUnits dealPrice listPrice preDealPrice discountPercent discountVsListPercent
  discountVsPreDealPercent explanation { notes }`;

/** A week of hourly readings at price 20 (list 25), then `deal` rows from S. */
function listing(asin: string, deal: Partial<Row>[]): Row[] {
  const rows: Row[] = [];
  for (let k = 7 * 24; k >= 1; k--) rows.push({ asin, capturedAt: iso(S - k * H), stock: 3000, price: 20, listPrice: 25, source: 'test' });
  deal.forEach((d, i) =>
    rows.push({
      asin,
      capturedAt: iso(S + (i * H) / 6),
      stock: 3000,
      price: 14,
      listPrice: 25,
      dealType: 'LIGHTNING',
      source: 'test',
      ...d,
    }),
  );
  return rows;
}

describeDatabase('deal timing, whole units and discounts', (databaseUrl) => {
  let s: TestServer;
  const deals = async (asin: string) =>
    (
      await gqlOk(s.url, s.apiKey, `{ competitor(asin: "${asin}") { deals(first: 5) { edges { node { ${FIELDS} } } } } }`)
    ).competitor.deals.edges.map((e: { node: unknown }) => e.node);

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    // Seen once, 10 % of 200 claimed, no scheduled end: started between S − 1 h and S.
    const once = listing('B0ONCE0001', [{ dealQuantity: 200, dealClaimedPercent: 10, stock: 2980 }]);
    // 17 units per 10 min against % claimed to 0.1 point: Q implied ≈ 563; 0 % at the first reading.
    const implied = listing(
      'B0IMPLIED1',
      Array.from({ length: 10 }, (_, i) => ({ stock: 3000 - 17 * i, dealClaimedPercent: Math.round((1000 * 17 * i) / 563) / 10 })),
    );
    await gqlOk(s.url, s.apiKey, RECORD, { input: [...once, ...implied] });
  }, 120_000);
  afterAll(async () => s?.stop());

  it('a deal seen once is LIVE within a lightning deal’s 12 h, then EXPIRED with an inferred end', async () => {
    s.app.clock.now = () => S + 3 * H;
    const [live] = await deals('B0ONCE0001');
    // One reading: no early rate, so midway between the previous capture (S − 1 h) and S.
    expect(live).toMatchObject({
      status: 'LIVE',
      startedAt: iso(S - H / 2),
      startedAtEarliest: iso(S - H),
      startedAtLatest: iso(S),
      startUncertaintyHours: 1,
      endedAt: null,
      endInferred: false,
      dealQuantity: 200,
      unitsSold: 20,
      remainingUnits: 180,
    });
    s.app.clock.now = () => S + 213 * H;
    const [gone] = await deals('B0ONCE0001');
    expect(gone).toMatchObject({ status: 'EXPIRED', endedAt: iso(S - H / 2 + 12 * H), endInferred: true });
    expect(gone.explanation.notes.join(' ')).toMatch(/longest a LIGHTNING deal runs.*inferred/);
  });

  it('implied quantities are whole units; the discount is given against list and pre-deal price', async () => {
    s.app.clock.now = () => S + 1.5 * H;
    const [d] = await deals('B0IMPLIED1');
    expect(d.dealQuantitySource).toBe('IMPLIED');
    for (const k of ['dealQuantity', 'dealQuantityLower', 'dealQuantityUpper', 'unitsSold', 'remainingUnits'])
      expect(Number.isInteger(d[k]), k).toBe(true);
    expect(Math.abs(d.dealQuantity - 563)).toBeLessThanOrEqual(2);
    expect(d.dealQuantityLower).toBeLessThanOrEqual(d.dealQuantity);
    expect(d.dealQuantityUpper).toBeGreaterThanOrEqual(d.dealQuantity);
    // Claims 0 % at the first reading: the start is that reading; under half a point (2.8 of 563
    // units) claimed means at most 2.8 ÷ 102 u/h ≈ 1.7 minutes earlier.
    expect(d).toMatchObject({ startedAt: iso(S), startedAtLatest: iso(S) });
    expect(S - Date.parse(d.startedAtEarliest)).toBeGreaterThan(60_000);
    expect(S - Date.parse(d.startedAtEarliest)).toBeLessThan(2 * 60_000);
    expect(d.startUncertaintyHours).toBeCloseTo((S - Date.parse(d.startedAtEarliest)) / H, 3);
    // 14 against list 25 → 44 %; against the pre-deal 20 → 30 %; discountPercent keeps the list reference.
    expect(d).toMatchObject({ dealPrice: 14, listPrice: 25, preDealPrice: 20 });
    expect(d.discountVsListPercent).toBeCloseTo(44, 9);
    expect(d.discountVsPreDealPercent).toBeCloseTo(30, 9);
    expect(d.discountPercent).toBeCloseTo(44, 9);
  });
});
