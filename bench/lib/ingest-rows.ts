/**
 * The rows bench/ingest.ts and bench/ingest-alerts.ts record: 100 listings captured every 5 minutes
 * in turn, a sawtooth stock, one listing in ten in a lightning deal, from `t0` (default 2026-01-01).
 */
export const INGEST_COMPETITORS = 100;
export const INGEST_STEP_MS = 300_000;

export function ingestRows(count: number, t0 = Date.UTC(2026, 0, 1)) {
  return Array.from({ length: count }, (_, i) => ({
    asin: `B0BENCH${String(i % INGEST_COMPETITORS).padStart(3, '0')}`,
    capturedAt: new Date(t0 + Math.floor(i / INGEST_COMPETITORS) * INGEST_STEP_MS).toISOString(),
    stock: 5000 - (i % 997),
    stockIsLowerBound: false,
    price: 19.99 + (i % 7),
    dealType: i % 10 === 0 ? 'LIGHTNING' : 'NONE',
    dealQuantity: i % 10 === 0 ? 500 : null,
    dealClaimedPercent: i % 10 === 0 ? i % 100 : null,
    bsr: 1000 + (i % 500),
    source: 'bench',
  }));
}
