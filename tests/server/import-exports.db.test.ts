/**
 * Real-world export layouts through the importSnapshotsCsv mutation of a real server, read back
 * through the API: Keepa Product Finder, the keepa package's history, Helium 10 Xray (fixtures written
 * from the documented column names, tests/fixtures/import), then every public example in
 * ../shared/data/real as it is (skipped without the shared folder). Both databases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeWithSharedData, sharedPath } from '../helpers/shared';

const FIX = 'tests/fixtures/import';
const IMPORT = `mutation($csv: String!, $fileName: String, $capturedAt: DateTime) {
  importSnapshotsCsv(csv: $csv, fileName: $fileName, capturedAt: $capturedAt) {
    rows inserted duplicates rejectedCount rejected { line reason } ignoredColumns format formatDetectedFrom capturedAt capturedAtFrom
    listingsUpdated notes } }`;

describeDatabase("importing sellers' exports as they are", (databaseUrl) => {
  let s: TestServer;
  const importFile = async (dir: string, name: string, vars: Record<string, unknown> = {}) =>
    (await gqlOk(s.url, s.apiKey, IMPORT, { csv: readFileSync(`${dir}/${name}`, 'utf8'), fileName: name, ...vars })).importSnapshotsCsv;
  const listing = async (asin: string, marketplace = 'US') =>
    (
      await gqlOk(
        s.url,
        s.apiKey,
        `query($asin: String!, $mk: String) { competitor(asin: $asin, marketplace: $mk) { marketplace title brand
          snapshots(first: 10) { totalCount edges { node { capturedAt stock stockIsLowerBound price listPrice bsr rating reviewCount offerCount monthlySold estimatedMonthlySales source } } } } }`,
        { asin, mk: marketplace },
      )
    ).competitor;

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  }, 120_000);
  afterAll(() => s?.stop());

  it('Keepa Product Finder: detected, DE from the file name, captured at the file-name date, title/brand/rating kept, 1000 a lower bound', async () => {
    const r = await importFile(FIX, 'keepa-finder_DE_2026-04-25.csv');
    expect(r).toMatchObject({ format: 'KEEPA_FINDER', rows: 4, inserted: 3, rejectedCount: 1, capturedAt: '2026-04-25T00:00:00.000Z' });
    expect(r.capturedAtFrom).toBe('the date in the file name');
    expect(r.formatDetectedFrom).toMatch(/no time column/);
    expect(r.notes).toContain('marketplace DE from the file name (for rows without a marketplace)');
    expect(r.rejected).toEqual([{ line: 5, reason: 'Sales Rank: Current: "abc" is not a number' }]);
    expect(r.ignoredColumns).toEqual(expect.arrayContaining(['Image', 'Categories: Tree', 'Product Codes: EAN']));
    expect(r.listingsUpdated).toBe(3);
    const a = await listing('B0FINDER01', 'DE');
    expect(a).toMatchObject({ marketplace: 'DE', title: 'Blu-ray Player A (Full HD, 1080p)', brand: 'Sony' });
    expect(a.snapshots.edges[0].node).toMatchObject({
      stock: 1000,
      stockIsLowerBound: true,
      price: 84.63,
      listPrice: 95,
      bsr: 712,
      rating: 4.5,
    });
    expect((await listing('B0FINDER02', 'DE')).snapshots.edges[0].node).toMatchObject({ stock: 3, stockIsLowerBound: false, rating: 4.2 });
    // New: Current is the price when there is no Buy Box.
    expect((await listing('B0FINDER03', 'DE')).snapshots.edges[0].node).toMatchObject({ stock: null, price: 119.99, bsr: null });
    expect(await listing('B0FINDER01', 'US')).toBeNull();
  });

  it('an explicit capturedAt wins over the file name', async () => {
    const r = await importFile(FIX, 'keepa-finder_DE_2026-04-25.csv', { capturedAt: '2026-04-26T08:00:00Z' });
    expect(r).toMatchObject({ inserted: 3, duplicates: 0, capturedAt: '2026-04-26T08:00:00.000Z', capturedAtFrom: 'given' });
  });

  it('keepa package history: unnamed time column with its offset; rank, offers, reviews, rating and prices stored', async () => {
    const r = await importFile(FIX, 'B0HIST0001_keepa-history.csv');
    expect(r).toMatchObject({
      format: 'KEEPA_HISTORY',
      rows: 4,
      inserted: 4,
      rejectedCount: 0,
      capturedAt: null,
      ignoredColumns: ['USED', 'NEW_FBA'],
    });
    expect(r.notes).toEqual(['ASIN B0HIST0001 from the file name (for rows without an ASIN column)']);
    const h = await listing('B0HIST0001');
    const byTime = Object.fromEntries(h.snapshots.edges.map((e: { node: { capturedAt: string } }) => [e.node.capturedAt, e.node]));
    expect(byTime['2019-06-20T20:28:00.000Z']).toMatchObject({
      price: 9.99,
      listPrice: 15.99,
      bsr: 60827,
      offerCount: 1,
      reviewCount: 1,
      rating: 5,
    });
    // No Buy Box: Amazon's price.
    expect(byTime['2019-06-22T14:02:00.000Z']).toMatchObject({ price: 8.99, bsr: 1185, offerCount: 2, rating: 4.5 });
  });

  it('Helium 10 Xray: locale numbers, N/A as no data, marketplace from the URL, sales signals stored', async () => {
    const r = await importFile(FIX, 'Helium_10_Xray_2026-08-21.csv');
    expect(r).toMatchObject({ format: 'HELIUM10_XRAY', rows: 4, inserted: 3, rejectedCount: 1, capturedAt: '2026-08-21T00:00:00.000Z' });
    expect(r.rejected[0]).toEqual({ line: 5, reason: 'Price  USD: "cheap" is not a number' });
    const a = await listing('B0HELIUM01');
    expect(a).toMatchObject({ title: 'Sound Deadening Mat, 36 sqft', brand: 'KILMAT' });
    expect(a.snapshots.edges[0].node).toMatchObject({
      price: 69.95,
      bsr: 162,
      rating: 4.8,
      reviewCount: 26511,
      offerCount: 1,
      monthlySold: 4000,
      estimatedMonthlySales: 2889,
      source: 'helium10',
    });
    expect((await listing('B0HELIUM02')).snapshots.edges[0].node).toMatchObject({ bsr: 1234, reviewCount: null, offerCount: 2 });
    expect((await listing('B0HELIUM03', 'DE')).snapshots.edges[0].node).toMatchObject({ price: null, bsr: null, monthlySold: null });
  });

  it('Keepa API JSON: told from the text, histories merged into readings, the deal endpoint too', async () => {
    const t0 = (Date.parse('2026-03-01T00:00:00Z') - Date.UTC(2011, 0, 1)) / 60_000;
    const doc = {
      products: [
        {
          asin: 'B0JSON0001',
          domainId: 2,
          title: 'Kettle',
          brand: 'Acme',
          csv: [[t0, 2999], null, null, [t0, 812, t0 + 60, 640], null, null, null, null, null, null, null, [t0, 3]],
          offers: [{ stockCSV: [t0, 40, t0 + 60, 31] }],
        },
      ],
    };
    const r = (await gqlOk(s.url, s.apiKey, IMPORT, { csv: JSON.stringify(doc) })).importSnapshotsCsv;
    expect(r).toMatchObject({ format: 'KEEPA_JSON', rows: 2, inserted: 2, rejectedCount: 0, listingsUpdated: 1 });
    const k = await listing('B0JSON0001', 'UK');
    expect(k).toMatchObject({ title: 'Kettle', brand: 'Acme' });
    expect(k.snapshots.edges.map((e: { node: object }) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ capturedAt: '2026-03-01T00:00:00.000Z', price: 29.99, bsr: 812, stock: 40, offerCount: 3 }),
        expect.objectContaining({ capturedAt: '2026-03-01T01:00:00.000Z', price: 29.99, bsr: 640, stock: 31, offerCount: 3 }),
      ]),
    );
    const bad = await gql(s.url, s.apiKey, IMPORT, { csv: '{"products": [{"asin": "B0JSON0002", "csv": [[1, "x"]]}]}' });
    expect(bad.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'csv' } });
    expect(bad.errors![0].message).toMatch(/products\[0\]\.csv\[0\]\[0\]: Keepa histories hold numbers/);
  });

  it('a header it cannot place is refused, naming the columns', async () => {
    const body = await gql(s.url, s.apiKey, IMPORT, { csv: 'sku,qty\nA,1\n' });
    expect(body.errors![0].message).toMatch(/cannot tell the format from the header \("sku", "qty"\)/);
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
  });

  describeWithSharedData(
    'every public example export',
    { file: 'data/real/README.md', origin: 'public seller exports (see its README)' },
    () => {
      it('imports as it is: format told from the header, rows stored, nothing rejected', async () => {
        const dir = sharedPath('data', 'real');
        const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
        expect(files.length).toBeGreaterThanOrEqual(5);
        const seen: Record<string, unknown> = {};
        for (const f of files) {
          const r = await importFile(dir, f, f.startsWith('keepa_DE') ? { capturedAt: '2026-03-15T00:00:00Z' } : {});
          seen[f] = { format: r.format, rows: r.rows, inserted: r.inserted, rejected: r.rejectedCount };
          expect(r.rejectedCount, `${f}: ${JSON.stringify(r.rejected.slice(0, 3))}`).toBe(0);
          expect(r.inserted, f).toBe(r.rows);
        }
        expect(seen).toMatchObject({
          'keepa_DE_computers_processors_new_100-1500_rating3.5_2026.csv': { format: 'KEEPA_FINDER', rows: 627 },
          'keepa_DE_electronics_bluray_panasonic-sony_new_50-1500_2026.csv': { format: 'KEEPA_FINDER', rows: 32 },
          'B07N52NLC3_timeseries_excerpt.csv': { format: 'KEEPA_HISTORY', rows: 86 },
          'B00006IX59_sales_rank_excerpt.csv': { format: 'KEEPA_HISTORY', rows: 42 },
          'Helium_10_Xray_2026-08-21_excerpt.csv': { format: 'HELIUM10_XRAY', rows: 7 },
        });
        const sony = await listing('B0F255TB93', 'DE');
        expect(sony.brand).toBe('Sony');
        expect(sony.snapshots.edges[0].node).toMatchObject({ stock: 1000, stockIsLowerBound: true, rating: 4.5 });
      });
    },
  );
});
