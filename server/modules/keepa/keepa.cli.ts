/**
 * `restock-radar keepa sync [--workspace W] [--asin A,B…] [--marketplace M] [--days N] [--offers N]`
 * (docs/import.md, "Keepa connector"): polls the workspace's tracked listings through Keepa with the
 * configured key and stores the answers as `import --format keepa-json` would. A progress line per
 * request and per wait for tokens; exit 0 when done, 3 when some readings were rejected, 4 on a Keepa
 * error (bad key, quota, network: what was stored before it stays), 1 on other errors.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { Db } from '../../db/db';
import * as v from '../../graphql/validate';
import { compose } from '../../root';
import { KeepaError } from './keepa.client';
import type { KeepaSyncService, KeepaSyncSummary } from './keepa.service';
import { checkedFlag, integerFlag, usageError as fail } from '../../usage';

export const KEEPA_HELP = `  keepa sync [--workspace N] [--asin A,B…] [--marketplace M] [--days N] [--offers N]
                                Poll the workspace's tracked listings (default: the workspaces in
                                RESTOCK_RADAR_KEEPA_WORKSPACES) through
                                Keepa's /product API with RESTOCK_RADAR_KEEPA_KEY and store the answers as
                                a keepa-json import. --asin only these (untracked ones in --marketplace,
                                default US), --days history window (default 90; 0 = all), --offers 20–100
                                (offers' stock; costs 6 tokens per 10 offers), --max-listings N (default
                                10000), --max-wait-seconds N (default 900) before giving up on tokens.`;

const fmt = (n: number) => n.toLocaleString('en-US');

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      asin: { type: 'string', multiple: true },
      marketplace: { type: 'string' },
      days: { type: 'string' },
      offers: { type: 'string' },
      'max-listings': { type: 'string' },
      'max-wait-seconds': { type: 'string' },
    },
  });
  if (positionals[0] !== 'sync' || positionals.length > 1) fail(`keepa takes one action, "sync"; got ${positionals.join(' ') || 'none'}`);
  const asins =
    values.asin
      ?.flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter(Boolean) ?? null;
  const days = integerFlag('days', values.days, 0, 36_500) ?? 90;
  const offers = integerFlag('offers', values.offers, 20, 100) ?? 0;
  return {
    workspace: values.workspace ?? null,
    asins: asins ? asins.map((a, i) => checkedFlag(() => v.asin(`--asin[${i}]`, a))) : null,
    marketplace: values.marketplace ? checkedFlag(() => v.marketplace('--marketplace', values.marketplace)) : null,
    days: days === 0 ? null : days,
    offers: offers || null,
    maxListings: integerFlag('max-listings', values['max-listings'], 1, 1_000_000) ?? 10_000,
    maxWaitMs: (integerFlag('max-wait-seconds', values['max-wait-seconds'], 0, 86_400) ?? 900) * 1000,
  };
}

function report(s: KeepaSyncSummary, seconds: number): void {
  const st = s.stored;
  console.log(
    `Keepa sync: ${fmt(s.listings)} listing(s) in ${s.requests} request(s), ${fmt(s.tokensConsumed)} token(s) used` +
      `${s.tokensLeft === null ? '' : `, ${fmt(s.tokensLeft)} left`}, ${seconds.toFixed(1)} s.`,
  );
  console.log(
    `  ${fmt(st.rows)} readings: ${fmt(st.inserted)} inserted, ${fmt(st.duplicates)} already stored, ${fmt(st.merged)} merged, ` +
      `${fmt(st.conflicts)} conflicting value(s), ${fmt(st.rejected)} rejected, ${st.failedBatches} failed batch(es); ` +
      `${st.competitorsCreated} listing(s) created, ${st.listingsUpdated} title/brand(s) updated`,
  );
  if (s.empty) console.log(`  ${fmt(s.empty)} ASIN(s) without any history from Keepa, e.g. ${s.emptyExamples.slice(0, 5).join(', ')}`);
  for (const n of s.notes) console.log(`  ${n}`);
}

/** One workspace's sync with progress lines; the exit code it earns (0, 3 or 4). */
async function syncOne(
  keepa: KeepaSyncService,
  workspaceId: string,
  name: string,
  url: string,
  o: ReturnType<typeof parse>,
): Promise<number> {
  console.log(
    `Keepa sync of workspace "${name}" via ${url}: ${o.asins ? `${o.asins.length} ASIN(s)` : 'every tracked listing'}, ` +
      `${o.days === null ? 'whole histories' : `histories of the last ${o.days} day(s)`}${o.offers ? `, ${o.offers} offers with stock` : ''}…`,
  );
  const t0 = Date.now();
  try {
    const s = await keepa.sync(workspaceId, {
      ...o,
      onProgress: (p) =>
        console.log(
          `  ${p.marketplace}: ${fmt(p.asinsDone)}/${fmt(p.asinsTotal)} ASINs | ${fmt(p.readingsStored)} readings inserted` +
            (p.tokensLeft === null ? '' : ` | ${fmt(p.tokensLeft)} tokens left`),
        ),
      onWait: (w) =>
        console.log(
          `  waiting ${(w.ms / 1000).toFixed(1)} s for Keepa tokens (${w.reason}; ${w.tokensLeft} left, ${w.refillRate} per minute)`,
        ),
    });
    report(s, (Date.now() - t0) / 1000);
    return s.stored.rejected || s.stored.failedBatches ? 3 : 0;
  } catch (e) {
    if (!(e instanceof KeepaError)) throw e;
    const partial = (e as { partial?: KeepaSyncSummary }).partial;
    if (partial?.requests) report(partial, (Date.now() - t0) / 1000);
    console.error(`Keepa sync stopped (${e.kind}): ${e.message}`);
    return 4;
  }
}

export async function runKeepa(argv: string[]): Promise<number> {
  const o = parse(argv);
  const config = loadConfig();
  if (!config.keepa.key)
    fail('the Keepa connector is off: set RESTOCK_RADAR_KEEPA_KEY to your Keepa API key (docs/import.md, "Keepa connector")');
  const db = await Db.open(config.databaseUrl);
  try {
    const { services } = compose(db, { keepa: config.keepa });
    const names = o.workspace ? [o.workspace] : config.keepa.workspaces;
    if (!names.length) fail('keepa sync needs --workspace NAME (or RESTOCK_RADAR_KEEPA_WORKSPACES)');
    let code = 0;
    for (const name of names) {
      const ws = await services.workspaces.findByName(name);
      if (!ws) fail(`workspace "${name}" does not exist (create it with: apikey create --workspace ${name})`);
      code = Math.max(code, await syncOne(services.keepaSync, ws.id, name, config.keepa.url, o));
    }
    // Stored batches are evaluated for alerts as an API ingest's are; let that finish before closing.
    await services.alertEvaluator.idle();
    return code;
  } finally {
    await db.close();
  }
}
