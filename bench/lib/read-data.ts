/**
 * The read benchmark's data set: `competitors` listings × `snapshots` captures 10 minutes apart
 * ending at `now`, written straight into the snapshot table (SQLite: one prepared statement on the
 * raw handle; PostgreSQL: 1,000-row INSERTs), so generation costs seconds, not the API's time.
 *
 * Each listing drains at its own rate (Poisson-like units per capture) and is restocked when it runs
 * low; 8 % of readings are censored ("999+": stock capped at 999 and flagged as a lower bound), 1 %
 * have no stock figure; 10 % of listings have a lightning deal live for the last 6 hours (claimed %
 * rising), and a third had a 4-hour deal three days earlier. Seeded: the same arguments give the
 * same rows.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createRng, type Rng } from '../../core/random';
import { HOUR_MS } from '../../core/series/types';
import { toSqliteDatetime } from '../../server/db/columns';
import type { Db } from '../../server/db/db';

export const CAPTURE_MS = 10 * 60_000;

const COLUMNS = [
  'competitor_id',
  'captured_at',
  'stock',
  'stock_is_lower_bound',
  'price_cents',
  'deal_type',
  'deal_quantity',
  'deal_claimed_percent',
  'deal_ends_at',
  'bsr',
  'source',
] as const;

type Row = [string, Date, number | null, boolean, number, string, number | null, number | null, Date | null, number, string];

/** Poisson draw by inversion (small means). */
function poisson(rng: Rng, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** One listing's rows, oldest first. */
export function listingRows(id: string, c: number, snapshots: number, now: number, rng: Rng): Row[] {
  const rate = 0.2 + rng.next() * 3; // units per 10 minutes
  const liveDeal = c % 10 === 0;
  const pastDeal = c % 3 === 1;
  const liveFrom = snapshots - 36;
  const pastFrom = snapshots - 3 * 144;
  let stock = 500 + rng.int(0, 2500);
  const rows: Row[] = [];
  for (let i = 0; i < snapshots; i++) {
    const at = now - (snapshots - 1 - i) * CAPTURE_MS;
    const inLive = liveDeal && i >= liveFrom;
    const inPast = pastDeal && i >= pastFrom && i < pastFrom + 24;
    const deal = inLive || inPast;
    stock -= poisson(rng, deal ? rate * 4 : rate);
    if (stock < 20) stock += 1000 + rng.int(0, 2000);
    const k = deal ? (inLive ? i - liveFrom : i - pastFrom) : 0;
    const endsAt = inLive ? now + HOUR_MS : inPast ? now - (snapshots - pastFrom - 24) * CAPTURE_MS : null;
    const r = rng.next();
    const censored = r < 0.08;
    const missing = r >= 0.08 && r < 0.09;
    rows.push([
      id,
      new Date(at),
      missing ? null : censored ? Math.min(stock, 999) : stock,
      censored,
      1999 + (c % 100),
      deal ? 'LIGHTNING' : 'NONE',
      deal ? 300 : null,
      deal ? Math.min(100, (k + 1) * 2.5) : null,
      endsAt === null ? null : new Date(endsAt),
      1000 + c,
      'bench',
    ]);
  }
  return rows;
}

/** Inserts the competitors and their snapshots; returns the competitor ids in page order. */
export async function generateReadData(
  db: Db,
  workspaceId: string,
  opts: { competitors: number; snapshots: number; now: number; seed?: number },
): Promise<string[]> {
  const rng = createRng(opts.seed ?? 13);
  const ids: string[] = [];
  for (let c = 0; c < opts.competitors; c++) {
    const id = randomUUID();
    ids.push(id);
    const rows = listingRows(id, c, opts.snapshots, opts.now, rng);
    const asin = `B0READ${String(c).padStart(4, '0')}`;
    if (db.dialect === 'sqlite') insertSqlite(db, workspaceId, id, asin, rows);
    else await db.write((m) => insertPostgres(m, workspaceId, id, asin, rows));
  }
  return ids;
}

function insertSqlite(db: Db, workspaceId: string, id: string, asin: string, rows: Row[]): void {
  const h = db.sqlite();
  const insC = h.prepare(`INSERT INTO competitor (id, workspace_id, asin, marketplace, tier) VALUES (?, ?, ?, 'US', 'GENERAL')`);
  const insS = h.prepare(`INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  h.transaction(() => {
    insC.run(id, workspaceId, asin);
    for (const r of rows)
      insS.run(r[0], toSqliteDatetime(r[1]), r[2], r[3] ? 1 : 0, r[4], r[5], r[6], r[7], r[8] ? toSqliteDatetime(r[8]) : null, r[9], r[10]);
  })();
}

async function insertPostgres(m: EntityManager, workspaceId: string, id: string, asin: string, rows: Row[]): Promise<void> {
  await m.query(`INSERT INTO competitor (id, workspace_id, asin, marketplace, tier) VALUES ($1, $2, $3, 'US', 'GENERAL')`, [
    id,
    workspaceId,
    asin,
  ]);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => {
      const base = params.length;
      params.push(...r);
      return `(${COLUMNS.map((_, j) => `$${base + j + 1}`).join(', ')})`;
    });
    await m.query(`INSERT INTO snapshot (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}
