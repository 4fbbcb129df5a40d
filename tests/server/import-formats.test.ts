/**
 * The export layouts, without a database: format detection from headers, the locale numbers of
 * Helium 10, what a file name supplies, and each mapper on the documented column names.
 */
import { describe, expect, it } from 'vitest';
import {
  dateFromFileName,
  detectFormat,
  fileDefaults,
  mapperFor,
  marketplaceFromFileName,
} from '../../server/modules/import/import.detect';
import { RowError } from '../../server/modules/import/import.formats';
import { localeNumber, marketplaceFromUrl } from '../../server/modules/import/import.helium10';
import { KEEPA_EPOCH_MS, keepaJsonRows, keepaMinuteToDate } from '../../server/modules/import/import.keepa-json';
import { createRng } from '../../core/random';

const split = (line: string) => line.split(',');

describe('detectFormat', () => {
  it.each([
    ['Time,Stock,Buy Box 🚚: Current,Sales Rank: Current', 'KEEPA'],
    ['"Image","Title","Sales Rank: Current","Reviews: Rating","Buy Box: Current","Buy Box: Stock","ASIN"', 'KEEPA_FINDER'],
    [',AMAZON,NEW,USED,SALES,LISTPRICE,COUNT_NEW', 'KEEPA_HISTORY'],
    [',Sales Rank', 'KEEPA_HISTORY'],
    ['"Display Order","Product Details","ASIN","URL","Price  USD","ASIN Sales","Recent Purchases"', 'HELIUM10_XRAY'],
    ['asin,capturedAt,stock', 'LONG'],
    ['asin;timestamp;stock;price', 'LONG'],
  ])('%s → %s', (header, format) => {
    const cells = header.includes(';') ? header.split(';') : split(header).map((h) => h.replace(/^"|"$/g, ''));
    const d = detectFormat(cells);
    expect(d.format).toBe(format);
    expect(d.why.length).toBeGreaterThan(10);
  });

  it('refuses a header it cannot place, naming the columns it saw', () => {
    expect(() => detectFormat(['sku', 'qty', 'when'])).toThrow(/cannot tell the format from the header \("sku", "qty", "when"\)/);
  });
});

describe('localeNumber (Helium 10)', () => {
  it.each([
    ['69,95', 69.95],
    ['26 511', 26511],
    ['366 714,82', 366714.82],
    ['4,8', 4.8],
    ['1,234', 1234],
    ['1,234.50', 1234.5],
    ['1.234,50', 1234.5],
    ['1.234.567', 1234567],
    ['12.5', 12.5],
    ['$1,299.00', 1299],
    ['26\u00a0511', 26511],
  ])('%s = %d', (raw, value) => expect(localeNumber('x', raw)).toBe(value));

  it('refuses text, naming the column', () => {
    expect(() => localeNumber('Price  USD', 'cheap')).toThrow(new RowError('Price  USD: "cheap" is not a number'));
  });

  it('reads back what en-US and de-DE formatting write (two decimals)', () => {
    const rng = createRng(7);
    const rnd = () => rng.next();
    for (let i = 0; i < 500; i++) {
      const v = Math.round(rnd() * 10 ** (1 + Math.floor(rnd() * 7))) / 100;
      for (const locale of ['en-US', 'de-DE', 'fr-FR']) {
        const text = v.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        expect(localeNumber('x', text), `${locale} ${text}`).toBeCloseTo(v, 9);
      }
    }
  });
});

describe('file names', () => {
  it('supply a marketplace token, an export date and an ASIN', () => {
    expect(marketplaceFromFileName('keepa_DE_computers_processors_new_100-1500_rating3.5_2026.csv')).toBe('DE');
    expect(marketplaceFromFileName('KeepaExport-2026-04-25-ProductFinder.csv')).toBeNull();
    expect(dateFromFileName('KeepaExport-2026-04-25-ProductFinder.csv')?.toISOString()).toBe('2026-04-25T00:00:00.000Z');
    expect(dateFromFileName('Helium_10_Xray_2026-08-21_excerpt.csv')?.toISOString()).toBe('2026-08-21T00:00:00.000Z');
    expect(dateFromFileName('report-2026-02-31.csv')).toBeNull();
    const d = fileDefaults('B07N52NLC3_timeseries_excerpt.csv', { asin: null, marketplace: null }, new Date('2026-01-02T03:04:05Z'));
    expect(d.asin).toBe('B07N52NLC3');
    expect(d.capturedAtDefault).toEqual({ at: new Date('2026-01-02T03:04:05Z'), from: "the file's modification time" });
    expect(d.notes).toEqual(['ASIN B07N52NLC3 from the file name (for rows without an ASIN column)']);
  });

  it('never override what was given', () => {
    const d = fileDefaults('keepa_DE_x_2026-04-25.csv', { asin: 'B0GIVEN001', marketplace: 'FR' }, null);
    expect(d).toMatchObject({ asin: 'B0GIVEN001', marketplace: 'FR', notes: [] });
    expect(d.capturedAtDefault?.from).toBe('the date in the file name');
  });

  it('marketplace from a listing URL', () => {
    expect(marketplaceFromUrl('https://www.amazon.com/dp/B0751CBXBT?psc=1')).toBe('US');
    expect(marketplaceFromUrl('https://www.amazon.co.uk/dp/B0751CBXBT')).toBe('UK');
    expect(marketplaceFromUrl('https://www.amazon.de/dp/B0751CBXBT')).toBe('DE');
    expect(marketplaceFromUrl('https://example.com/x')).toBeNull();
  });
});

describe('mappers', () => {
  const at = new Date('2026-04-25T00:00:00Z');

  it('Keepa Product Finder: title, brand, rating, a 1000 stock as a lower bound, no time column needed', () => {
    const header = [
      'Title',
      'Sales Rank: Current',
      'Reviews: Rating',
      'Buy Box: Current',
      'Buy Box: Stock',
      'ASIN',
      'Brand',
      'Bought in past month',
    ];
    const m = mapperFor('KEEPA_FINDER', header, { capturedAt: at, marketplace: 'DE' });
    const row = m.map(['Player', '712', '4.5', '84.63', '1000', 'B0F255TB93', 'Sony', '200']);
    expect(row).toMatchObject({
      asin: 'B0F255TB93',
      marketplace: 'DE',
      capturedAt: at,
      stock: 1000,
      stockIsLowerBound: true,
      price: 84.63,
      bsr: 712,
      rating: 4.5,
      monthlySold: 200,
      title: 'Player',
      brand: 'Sony',
    });
    expect(m.map(['Player', '712', '4.5', '84.63', '3', 'B0F255TB93', 'Sony', '']).stockIsLowerBound).toBe(false);
    expect(() => mapperFor('KEEPA_FINDER', header, {})).toThrow(/no time column .*--captured-at/);
  });

  it('keepa package history: the unnamed time column with its offset, SALES, COUNT_NEW, COUNT_REVIEWS, BUY_BOX_SHIPPING', () => {
    const header = split(',AMAZON,NEW,USED,SALES,LISTPRICE,COUNT_NEW,NEW_FBA,BUY_BOX_SHIPPING,COUNT_REVIEWS,RATING');
    const m = mapperFor('KEEPA_HISTORY', header, { asin: 'B07N52NLC3' });
    const row = m.map(split('2019-06-20 16:28:00-04:00,,9.99,11.95,60827.0,15.99,1.0,9.99,8.99,1.0,5.0'));
    expect(row).toMatchObject({
      asin: 'B07N52NLC3',
      capturedAt: new Date('2019-06-20T20:28:00Z'),
      price: 8.99,
      listPrice: 15.99,
      bsr: 60827,
      offerCount: 1,
      reviewCount: 1,
      rating: 5,
    });
    expect(m.ignored).toEqual(['USED', 'NEW_FBA']);
  });

  it('Helium 10 Xray: locale numbers, N/A, marketplace from the URL, sales signals', () => {
    const header = [
      'Product Details',
      'ASIN',
      'URL',
      'Brand',
      'Price  USD',
      'ASIN Sales',
      'Recent Purchases',
      'BSR',
      'Active Sellers',
      'Ratings',
      'Review Count',
    ];
    const m = mapperFor('HELIUM10_XRAY', header, { capturedAt: at });
    expect(
      m.map([
        'Mat',
        'B0751CBXBT',
        'https://www.amazon.com/dp/B0751CBXBT',
        'KILMAT',
        '69,95',
        '2 889',
        '4 000',
        '162',
        '1',
        '4,8',
        '26 511',
      ]),
    ).toMatchObject({
      asin: 'B0751CBXBT',
      marketplace: 'US',
      price: 69.95,
      estimatedMonthlySales: 2889,
      monthlySold: 4000,
      bsr: 162,
      offerCount: 1,
      rating: 4.8,
      reviewCount: 26511,
      source: 'helium10',
      title: 'Mat',
      brand: 'KILMAT',
    });
    const empty = m.map(['Mat', 'B0751CBXBT', 'https://www.amazon.de/dp/B0751CBXBT', 'K', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A']);
    expect(empty).toMatchObject({ marketplace: 'DE', price: null, bsr: null, rating: null, monthlySold: null });
  });
});

describe('Keepa API JSON', () => {
  const minute = (iso: string) => (Date.parse(iso) - KEEPA_EPOCH_MS) / 60_000;
  const t0 = minute('2026-03-01T00:00:00Z');

  it('keepaMinute 0 is 2011-01-01 UTC', () => {
    expect(keepaMinuteToDate(0).toISOString()).toBe('2011-01-01T00:00:00.000Z');
    expect(keepaMinuteToDate(2284199).toISOString()).toBe('2015-05-06T05:59:00.000Z');
  });

  it('a product: change points merged into one reading per instant, each series as of it; cents, tenths, triplets, −1', () => {
    const csv: unknown[] = [];
    csv[0] = [t0, 1999, t0 + 120, -1]; // AMAZON: 19.99 then out of stock
    csv[1] = [t0, 2099]; // NEW
    csv[3] = [t0 + 60, 1500, t0 + 120, 1185]; // SALES
    csv[11] = [t0, 4]; // COUNT_NEW
    csv[16] = [t0, 45]; // RATING in tenths
    csv[18] = [t0 + 60, 1899, 100]; // BUY_BOX_SHIPPING: price + shipping
    csv[2] = [t0, 999]; // USED: not used
    const r = keepaJsonRows(
      { products: [{ asin: 'B0JSON0001', domainId: 3, title: 'T', brand: 'B', csv, monthlySold: 200, lastUpdate: t0 + 120 }] },
      {},
    );
    expect(r.notes).toEqual(['B0JSON0001: csv[2] is not used']);
    // Before the buy box appears the price is Amazon's; then the buy box's 18.99 + 1.00 shipping.
    expect(r.rows.map((x) => [x.capturedAt.toISOString(), x.price, x.bsr, x.offerCount, x.rating, x.monthlySold, x.marketplace])).toEqual([
      ['2026-03-01T00:00:00.000Z', 19.99, null, 4, 4.5, null, 'DE'],
      ['2026-03-01T01:00:00.000Z', 19.99, 1500, 4, 4.5, null, 'DE'],
      ['2026-03-01T02:00:00.000Z', 19.99, 1185, 4, 4.5, 200, 'DE'],
    ]);
    expect(keepaJsonRows({ asin: 'B0JSON0009', csv: Object.assign([], { 18: [t0, 1899, 150] }) }, {}).rows[0].price).toBe(20.49);
    expect(r.rows[2]).toMatchObject({ title: 'T', brand: 'B', source: 'keepa' });
    expect(r.rows[0].title).toBeNull();
  });

  it("offers' stockCSV are summed as of each instant", () => {
    const r = keepaJsonRows(
      { asin: 'B0JSON0002', csv: [], offers: [{ stockCSV: [t0, 5, t0 + 60, 3] }, { stockCSV: [t0 + 30, 10] }, { offerId: 3 }] },
      {},
    );
    expect(r.rows.map((x) => [x.capturedAt.toISOString().slice(11, 16), x.stock])).toEqual([
      ['00:00', 5],
      ['00:30', 15],
      ['01:00', 13],
    ]);
  });

  it('a /lightningdeal response: live readings with % claimed and the deal window', () => {
    const r = keepaJsonRows(
      {
        lightningDeals: [
          {
            asin: 'B0JSON0003',
            domainId: 1,
            dealState: 'AVAILABLE',
            percentClaimed: 37,
            dealPrice: 1749,
            startTime: t0,
            endTime: t0 + 360,
            lastUpdate: t0 + 90,
          },
        ],
      },
      {},
    );
    expect(r.rows[0]).toMatchObject({
      asin: 'B0JSON0003',
      dealType: 'LIGHTNING',
      dealClaimedPercent: 37,
      price: 17.49,
      capturedAt: new Date('2026-03-01T01:30:00Z'),
      dealEndsAt: new Date('2026-03-01T06:00:00Z'),
    });
  });

  it('one history as { asin, csvIndex, pairs }; a trailing unpaired number is left out and said', () => {
    const r = keepaJsonRows({ asin: 'B00M0QVOOS', csvIndex: 11, name: 'COUNT_NEW', pairs: [2284199, 9, 2290895, 8, 2292208] }, {});
    expect(r.rows.map((x) => x.offerCount)).toEqual([9, 8]);
    expect(r.notes).toEqual(['the history ends in 1 unpaired number(s) (a truncated excerpt): left out']);
  });

  it('refuses what is not a Keepa document, naming the path', () => {
    expect(() => keepaJsonRows({ hello: 1 }, {})).toThrow(/not a Keepa API document/);
    expect(() => keepaJsonRows({ products: [{ asin: 'B0X0000001', csv: [[1, 'x']] }] }, {})).toThrow(
      /products\[0\]\.csv\[0\]\[0\]: Keepa histories hold numbers/,
    );
    expect(() => keepaJsonRows({ products: [{ csv: [] }] }, {})).toThrow(/products\[0\]\.asin/);
  });
});
