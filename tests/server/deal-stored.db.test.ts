import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeDeal, type Deal, detectDeals } from '../../core/deals';
import { createRng } from '../../core/random';
import { dealRuns } from '../../core/series/dealRuns';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../core/series/types';
import { toPoint } from '../../server/modules/snapshot/snapshot.points';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * `activeDeal` from the deal analysed at ingest (core/deals/stored.ts, kept in deal_episode.analysis)
 * equals core's detection over the whole history: seeded random listings (censored readings, null
 * stock, deals with and without a scheduled end) are sent up to a cut in shuffled, partly re-sent
 * batches; at each cut (early in a deal, its last reading, one and two readings after it) the API's
 * activeDeal at several `now`s at and after the newest reading — every figure, the ETA and the
 * explanation (steps, notes, provenance) — equals activeDeal(detectDeals(readings, { now })), with
 * no deal detection run by the request. With `asOf` before the newest reading the stored analysis
 * does not apply and the request detects over the episode's readings: equal too.
 */
const COMPETITORS = 3;
const START = Date.UTC(2026, 5, 1);

type Input = Record<string, unknown> & { asin: string; capturedAt: string };

function history(seed: number, asin: string): Input[] {
  const rng = createRng(seed);
  const out: Input[] = [];
  let t = START + rng.int(0, 3_600_000);
  let stock = 300 + rng.int(0, 700);
  let deal: { left: number; qty: number; claimed: number; endsAt: number | null } | null = null;
  for (let i = 0; i < 900; i++) {
    if (!deal && i > 100 && rng.next() < 0.02)
      deal = {
        left: rng.int(6, 40),
        qty: 100 + rng.int(0, 200),
        claimed: 0,
        endsAt: rng.next() < 0.6 ? t + rng.int(6, 60) * 600_000 : null,
      };
    stock = Math.max(0, stock - Math.floor(rng.next() * (deal ? 8 : 2.4)));
    if (stock < 15 && rng.next() < 0.3) stock += 200 + rng.int(0, 800);
    const censored = rng.next() < 0.08;
    const missing = rng.next() < 0.02;
    if (deal) deal.claimed = Math.min(100, deal.claimed + rng.next() * 6);
    out.push({
      asin,
      capturedAt: new Date(t).toISOString(),
      stock: missing ? null : censored ? Math.min(stock, 999) : stock,
      stockIsLowerBound: !missing && censored,
      price: deal ? 15 : 20,
      dealType: deal ? 'LIGHTNING' : 'NONE',
      dealQuantity: deal ? deal.qty : null,
      dealClaimedPercent: deal ? Math.round(deal.claimed * 10) / 10 : null,
      dealEndsAt: deal?.endsAt ? new Date(deal.endsAt).toISOString() : null,
      source: 'stored',
    });
    if (deal && --deal.left <= 0) deal = null;
    t += 600_000 + rng.int(-60_000, 60_000);
  }
  return out;
}

/** Shuffled chunks, a third sent twice. */
function batches(rows: Input[], rng: ReturnType<typeof createRng>): Input[][] {
  const chunks: Input[][] = [];
  for (let i = 0; i < rows.length;) {
    const n = rng.int(5, 300);
    chunks.push(rows.slice(i, i + n));
    i += n;
  }
  for (let i = chunks.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
  }
  return chunks.flatMap((c) => (rng.next() < 0.33 ? [c, c] : [c]));
}

const DEAL_FIELDS = `id status startedAt endedAt endInferred unitsSold claimedPercent dealQuantity remainingUnits velocityPerHour
  sellOutEta { p10 p50 p90 } sellOutEtaReason sellOutProbability drainModel curveShape strategy durationHours
  explanation { steps { label value } notes data { source newestAt ageHours stale } }`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function expectSame(api: Record<string, any>, ref: Deal, where: string): void {
  expect(api.status, where).toBe(ref.status);
  expect(api.id, where).toContain(`:${ref.type}:${Math.round(ref.startedAt)}`);
  expect(
    [api.startedAt, api.endedAt, api.endInferred, api.unitsSold, api.claimedPercent, api.dealQuantity, api.remainingUnits],
    where,
  ).toEqual([
    iso(ref.startedAt),
    iso(ref.endedAt),
    ref.endInferred,
    ref.unitsSold,
    ref.claimedPercent,
    ref.dealQuantity,
    ref.remainingUnits,
  ]);
  expect([api.sellOutEtaReason, api.drainModel, api.curveShape, api.strategy], where).toEqual([
    ref.sellOutEtaReason,
    ref.drainModel,
    ref.curveShape,
    ref.strategy,
  ]);
  expect(api.velocityPerHour, where).toBe(ref.velocityPerHour);
  expect(api.sellOutProbability, where).toBe(ref.sellOutProbability);
  expect(api.durationHours, where).toBe(ref.durationHours);
  const e = ref.sellOutEta;
  expect(api.sellOutEta, where).toEqual(
    e === null || (e.p10 === null && e.p50 === null && e.p90 === null) ? null : { p10: iso(e.p10), p50: iso(e.p50), p90: iso(e.p90) },
  );
  const ex = ref.explanation;
  expect(api.explanation.steps, where).toEqual(ex.steps.map((s) => ({ label: s.label, value: s.value === null ? null : String(s.value) })));
  expect(api.explanation.notes, where).toEqual(ex.notes);
  expect(api.explanation.data, where).toEqual({ ...ex.data, newestAt: ex.data!.newestAt });
}

describeDatabase('activeDeal from the stored deal analysis, differential', (databaseUrl) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  }, 60_000);
  afterAll(async () => s?.stop());

  const points = async (asin: string): Promise<SnapshotPoint[]> => {
    const q = s.db.params();
    const rows = await s.db.manager.query(
      `SELECT s.* FROM snapshot s JOIN competitor c ON c.id = s.competitor_id WHERE c.asin = ${q.add(asin)} ORDER BY s.captured_at`,
      q.values,
    );
    return rows.map(toPoint);
  };

  it('equals detection over the whole history at nows after the newest reading, and with asOf before it', async () => {
    const rng = createRng(31);
    let stored = 0;
    let live = 0;
    let asOfCompared = 0;
    for (let c = 0; c < COMPETITORS; c++) {
      const asin = `B0STORED${String(c).padStart(2, '0')}`;
      const rows = history(500 + c, asin);
      const all = rows.map((r) => Date.parse(r.capturedAt));
      const runs = dealRuns(rows.map((r, i) => ({ at: all[i], dealType: r.dealType, dealEndsAt: null, dealStartsAt: null }) as never));
      const cuts = [
        ...new Set(
          runs.slice(0, 4).flatMap((r) => {
            const last = r.indices[r.indices.length - 1];
            return [r.indices[2], last, last + 1, last + 2].filter((i) => i !== undefined && i < rows.length);
          }),
        ),
      ].sort((a, b) => a - b);
      expect(cuts.length).toBeGreaterThan(6);
      let sent = 0;
      for (const cut of cuts) {
        s.app.clock.now = () => all[cut] + 1;
        for (const b of batches(rows.slice(sent, cut + 1), rng))
          await gqlOk(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, { i: b });
        sent = cut + 1;
        const pts = await points(asin);
        expect(pts.length).toBe(cut + 1);
        const n = all[cut];
        for (const now of [n, n + 5 * 60_000, n + 3 * HOUR_MS, n + 2 * DAY_MS]) {
          s.app.clock.now = () => now;
          const before = s.app.services.intelligence.stats.dealDetections;
          const data = await gqlOk(
            s.url,
            s.apiKey,
            `query($a: [String!]!) { competitors(asins: $a, first: 1) { edges { node { activeDeal { ${DEAL_FIELDS} } } } } }`,
            {
              a: [asin],
            },
          );
          expect(s.app.services.intelligence.stats.dealDetections - before, 'no detection per request').toBe(0);
          const api = data.competitors.edges[0].node.activeDeal;
          const ref = activeDeal(detectDeals(pts, { now }));
          const where = `${asin} cut ${cut} now ${iso(now)}`;
          stored++;
          if (!ref) {
            expect(api, where).toBeNull();
            continue;
          }
          expectSame(api, ref, where);
          live++;
        }
        // asOf before the newest reading: detection over the episode's readings up to it.
        const asOf = all[cut - 1] + 30_000;
        const data = await gqlOk(
          s.url,
          s.apiKey,
          `query($a: [String!]!, $t: DateTime) { competitors(asins: $a, first: 1) { edges { node { activeDeal(asOf: $t) { ${DEAL_FIELDS} } } } } }`,
          { a: [asin], t: iso(asOf) },
        );
        const ref = activeDeal(
          detectDeals(
            pts.filter((p) => p.at <= asOf),
            { now: asOf },
          ),
        );
        const api = data.competitors.edges[0].node.activeDeal;
        if (ref) expectSame(api, ref, `${asin} cut ${cut} asOf ${iso(asOf)}`);
        else expect(api).toBeNull();
        asOfCompared++;
      }
    }
    expect(live, 'live deals compared').toBeGreaterThan(COMPETITORS * 4);
    console.info(`[deal-stored] ${stored} requests from the stored analysis (${live} with a live deal), ${asOfCompared} with asOf`);
  }, 600_000);
});
