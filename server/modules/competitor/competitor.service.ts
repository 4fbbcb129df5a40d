import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db } from '../../db/db';
import { isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { Competitor, CompetitorTier } from './competitor.entity';
import type { CompetitorsArgs, UpsertCompetitorInput } from './competitor.inputs';
import { asinKey, type CompetitorLookups, createCompetitorLookups } from './competitor.lookup';

/** Bound of the `asins` filter (the add-on batches a sheet's lookups into one request). */
export const MAX_ASINS = 500;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class CompetitorService {
  /** Batched lookups per request (keyed by the request's loaders object; dropped with it). */
  private readonly lookups = new WeakMap<object, CompetitorLookups>();

  constructor(private readonly db: Db) {}

  upsert(workspaceId: string, input: UpsertCompetitorInput): Promise<Competitor> {
    const asin = v.asin('input.asin', input.asin);
    const marketplace = v.marketplace('input.marketplace', input.marketplace);
    const title = v.optionalText('input.title', input.title, { max: 500 });
    const brand = v.optionalText('input.brand', input.brand, { max: 200 });
    return this.db.write(async (m) => {
      const existing = await m.findOne(Competitor, { where: { workspaceId, marketplace, asin } });
      if (existing) {
        if (input.title !== undefined) existing.title = title;
        if (input.brand !== undefined) existing.brand = brand;
        if (input.tier) existing.tier = input.tier;
        return m.save(existing);
      }
      return m.save(
        m.create(Competitor, {
          id: randomUUID(),
          workspaceId,
          asin,
          marketplace,
          title,
          brand,
          tier: input.tier ?? CompetitorTier.GENERAL,
        }),
      );
    });
  }

  /**
   * Sets title and brand of existing competitors from an import (a null leaves the stored value);
   * returns how many changed. Values longer than the columns are cut, not refused: they describe the
   * listing, and a long marketplace title must not reject its readings.
   */
  async updateDetails(
    workspaceId: string,
    details: { asin: string; marketplace: string; title: string | null; brand: string | null }[],
  ): Promise<number> {
    const cut = (s: string | null, max: number) => (s === null ? null : s.replaceAll('\u0000', '').slice(0, max).trim() || null);
    return this.db.write(async (m) => {
      let changed = 0;
      for (let i = 0; i < details.length; i += 500) {
        const chunk = details.slice(i, i + 500);
        const found = await m
          .createQueryBuilder(Competitor, 'c')
          .where('c.workspaceId = :ws', { ws: workspaceId })
          .andWhere('c.asin IN (:...asins)', { asins: [...new Set(chunk.map((d) => d.asin))] })
          .getMany();
        const byKey = new Map(found.map((c) => [`${c.marketplace}|${c.asin}`, c]));
        for (const d of chunk) {
          const c = byKey.get(`${d.marketplace}|${d.asin}`);
          const title = cut(d.title, 500) ?? c?.title ?? null;
          const brand = cut(d.brand, 200) ?? c?.brand ?? null;
          if (!c || (title === c.title && brand === c.brand)) continue;
          await m.update(Competitor, { id: c.id }, { title, brand });
          changed++;
        }
      }
      return changed;
    });
  }

  async list(workspaceId: string, args: CompetitorsArgs): Promise<Page<Competitor>> {
    if (args.asins && args.asins.length > MAX_ASINS)
      throw badInput('asins', `at most ${MAX_ASINS} ASINs per call, got ${args.asins.length}`);
    const asins = args.asins ? [...new Set(args.asins.map((a, i) => v.asin(`asins[${i}]`, a)))] : null;
    const marketplace = args.marketplace ? v.marketplace('marketplace', args.marketplace) : null;
    const search = args.search?.trim() ? v.text('search', args.search, { max: 100 }) : null;
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(Competitor, 'c').where('c.workspaceId = :ws', { ws: workspaceId });
      if (args.tier) qb.andWhere('c.tier = :tier', { tier: args.tier });
      if (asins) qb.andWhere(asins.length ? 'c.asin IN (:...asins)' : '1 = 0', { asins });
      if (marketplace) qb.andWhere('c.marketplace = :mk', { mk: marketplace });
      if (search) {
        qb.andWhere("(LOWER(c.asin) LIKE :q ESCAPE '\\' OR LOWER(c.title) LIKE :q ESCAPE '\\' OR LOWER(c.brand) LIKE :q ESCAPE '\\')", {
          q: `%${escapeLike(search.toLowerCase())}%`,
        });
      }
      return qb;
    };
    return keysetPage('competitors', args, base, [
      { column: 'c.asin', dir: 'ASC', value: (c) => c.asin, check: isText },
      { column: 'c.marketplace', dir: 'ASC', value: (c) => c.marketplace, check: isText },
    ]);
  }

  async byId(workspaceId: string, id: string): Promise<Competitor | null> {
    return this.db.manager.findOne(Competitor, { where: { workspaceId, id } });
  }

  async byAsin(workspaceId: string, asin: string, marketplace: string | null | undefined): Promise<Competitor | null> {
    return this.db.manager.findOne(Competitor, {
      where: { workspaceId, asin: v.asin('asin', asin), marketplace: v.marketplace('marketplace', marketplace) },
    });
  }

  /**
   * One competitor by id or by (asin, marketplace). `request` (the request's loaders object) batches
   * the request's lookups: one statement per kind however many aliases ask (competitor.lookup.ts).
   */
  async lookup(
    workspaceId: string,
    args: { id?: string | null; asin?: string | null; marketplace?: string | null },
    request?: object,
  ): Promise<Competitor | null> {
    if (args.id && args.asin) throw badInput('id', 'give either id or asin (+ marketplace), not both');
    if (!args.id && !args.asin) throw badInput('id', 'give id, or asin (+ marketplace)');
    if (!request) return args.id ? this.byId(workspaceId, args.id) : this.byAsin(workspaceId, args.asin!, args.marketplace);
    let l = this.lookups.get(request);
    if (!l) {
      l = createCompetitorLookups(this.db, workspaceId);
      this.lookups.set(request, l);
    }
    return args.id ? l.byId.load(args.id) : l.byAsin.load(asinKey(args.asin!, args.marketplace));
  }

  /**
   * Resolves (marketplace, asin) keys to competitor ids inside a write transaction, creating the
   * unknown ones with tier POTENTIAL. Returns the map and how many were created.
   */
  async resolveKeys(
    m: EntityManager,
    workspaceId: string,
    keys: { asin: string; marketplace: string }[],
  ): Promise<{ ids: Map<string, string>; created: number }> {
    const ids = new Map<string, string>();
    const wanted = new Map(keys.map((k) => [`${k.marketplace}|${k.asin}`, k]));
    const find = async (list: { asin: string }[]) => {
      for (let i = 0; i < list.length; i += 500) {
        const found = await m
          .createQueryBuilder(Competitor, 'c')
          .select(['c.id', 'c.asin', 'c.marketplace'])
          .where('c.workspaceId = :ws', { ws: workspaceId })
          .andWhere('c.asin IN (:...asins)', { asins: [...new Set(list.slice(i, i + 500).map((k) => k.asin))] })
          .getMany();
        for (const c of found) ids.set(`${c.marketplace}|${c.asin}`, c.id);
      }
    };
    const all = [...wanted.values()];
    await find(all);
    // In key order: two transactions creating overlapping ASINs then wait on each other in the same
    // order on PostgreSQL instead of deadlocking.
    const missing = all
      .filter((k) => !ids.has(`${k.marketplace}|${k.asin}`))
      .sort((a, b) => (a.marketplace === b.marketplace ? (a.asin < b.asin ? -1 : 1) : a.marketplace < b.marketplace ? -1 : 1));
    if (!missing.length) return { ids, created: 0 };
    const created = missing.map((k) =>
      m.create(Competitor, {
        id: randomUUID(),
        workspaceId,
        asin: k.asin,
        marketplace: k.marketplace,
        title: null,
        brand: null,
        tier: CompetitorTier.POTENTIAL,
      }),
    );
    // Chunked (SQLite allows 32,766 variables) and without reloading defaults we do not need.
    // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent transaction may create the same ASIN
    // between our SELECT and INSERT; its row wins and is read back below instead of failing the batch.
    for (let i = 0; i < created.length; i += 500) {
      await m
        .createQueryBuilder()
        .insert()
        .into(Competitor)
        .values(created.slice(i, i + 500))
        .orIgnore()
        .updateEntity(false)
        .execute();
    }
    await find(missing);
    const mine = new Set(created.map((c) => c.id));
    return { ids, created: missing.filter((k) => mine.has(ids.get(`${k.marketplace}|${k.asin}`)!)).length };
  }
}
