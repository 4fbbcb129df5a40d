/**
 * Per-request batching of the `competitor(id:)` / `competitor(asin:, marketplace:)` lookups: a request
 * with many aliased lookups (the add-on's sheet pulls, a 95-alias forecast request) costs one SQL
 * statement per kind (by id, by asin), not one per alias. Every key is scoped to the request's
 * workspace. A request's loaders live as long as its context's loaders object (a WeakMap key), so
 * nothing is cached across requests.
 */
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Db } from '../../db/db';
import * as v from '../../graphql/validate';
import { Competitor } from './competitor.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Most keys per statement (a request's aliases are bounded by the complexity limit well below this). */
const MAX_BATCH = 500;

export interface CompetitorLookups {
  byId: DataLoader<string, Competitor | null>;
  /** Keys `${marketplace}|${asin}`, already validated and normalized. */
  byAsin: DataLoader<string, Competitor | null>;
}

export function createCompetitorLookups(db: Db, workspaceId: string): CompetitorLookups {
  const byId = new DataLoader<string, Competitor | null>(
    async (ids) => {
      // An id that is not UUID-shaped names no competitor (and would be refused by PostgreSQL's uuid type).
      const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
      const rows = wanted.length ? await db.manager.find(Competitor, { where: { workspaceId, id: In(wanted) } }) : [];
      const found = new Map(rows.map((c) => [c.id, c]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
  const byAsin = new DataLoader<string, Competitor | null>(
    async (keys) => {
      const asins = [...new Set(keys.map((k) => k.slice(k.indexOf('|') + 1)))];
      const rows = await db.manager.find(Competitor, { where: { workspaceId, asin: In(asins) } });
      const found = new Map(rows.map((c) => [`${c.marketplace}|${c.asin}`, c]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
  return { byId, byAsin };
}

/** The asin lookup's key: (marketplace, asin) validated and normalized as CompetitorService.byAsin does. */
export function asinKey(asin: string, marketplace: string | null | undefined): string {
  return `${v.marketplace('marketplace', marketplace)}|${v.asin('asin', asin)}`;
}
