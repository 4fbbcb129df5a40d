/**
 * The seller's own promotions through the real pipeline (HTTP → Apollo → services → core →
 * database), on SQLite and PostgreSQL: record / update / delete / list with field-named errors,
 * the measured lift of a past promotion (worked out by hand), the lift estimate of a planned one
 * (core's estimator over the same sales), the baseline forecast that leaves promotion days out, the
 * forecast with the planned lift, and the replenishment plan that uses the estimate unless a
 * hand-typed uplift overrides it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateLift, liftObservations, type PromotionPeriod } from '../../core/forecast/promotions';
import { describeDatabase } from '../helpers/database';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

/** The server's "today" is pinned to 2026-10-15 (UTC). */
const NOW = Date.UTC(2026, 9, 15, 12, 0, 0);
const DAY = 86_400_000;
const TODAY = Math.floor(NOW / DAY);
const iso = (offsetDays: number) => new Date(NOW + offsetDays * DAY).toISOString().slice(0, 10);

const RECORD = `mutation($input: RecordPromotionInput!) { recordPromotion(input: $input) {
  id sku type start end discountPct quantity note status } }`;
const UPDATE = `mutation($input: UpdatePromotionInput!) { updatePromotion(input: $input) { id type start end discountPct quantity note status } }`;
const LIST = `query($sku: String, $status: PromotionStatus, $first: Int, $after: String) {
  promotions(sku: $sku, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id sku type start end status } } } }`;

/**
 * Sales of 150 days before today: 18 / 22 units on alternate days (mean 20) outside promotions;
 * `promo` gives the units of promotion days.
 */
function sales(sku: string, promo: (k: number) => number | null) {
  return Array.from({ length: 150 }, (_, i) => {
    const k = i - 150; // day offset from today
    const p = promo(k);
    return { sku, date: iso(k), units: p ?? (k % 2 === 0 ? 18 : 22), inStock: true };
  });
}

describeDatabase('promotions', (databaseUrl) => {
  let s: TestServer;
  const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => gqlOk<T>(s.url, s.apiKey, query, variables);
  const bad = async (query: string, variables: Record<string, unknown>, field: string) => {
    const r = await gql(s.url, s.apiKey, query, variables);
    expect(r.errors, `expected an error on ${field}`).toBeDefined();
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  };
  const rows = async () => Number((await s.db.manager.query('SELECT COUNT(*) AS n FROM promotion'))[0].n);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
    s.app.clock.now = () => NOW;
    await ok(
      `mutation { upsertSupplier(input: { name: "acme", procurement: { mean: 10 }, shipping: { mean: 4 }, inbound: { mean: 1 } }) { id } }`,
    );
    for (const sku of ['SKU-P', 'SKU-Q']) {
      await ok(`mutation($input: UpsertProductInput!) { upsertProduct(input: $input) { id } }`, {
        input: { sku, name: sku, unitCost: 5, price: 12, onHand: 400, supplier: 'acme' },
      });
    }
    // SKU-P: a coupon 20 % on days −90 … −84 sold 30/day. SKU-Q: a discount 20 % on −60 … −54 sold 32/day,
    // a lightning deal 30 % on −30 sold 50.
    const recordSales = `mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted } }`;
    await ok(recordSales, { input: sales('SKU-P', (k) => (k >= -90 && k <= -84 ? 30 : null)) });
    await ok(recordSales, { input: sales('SKU-Q', (k) => (k >= -60 && k <= -54 ? 32 : k === -30 ? 50 : null)) });
  });
  afterAll(async () => s?.stop());

  describe('recording', () => {
    it('records past, running and planned promotions; status follows today', async () => {
      const past = (
        await ok(RECORD, { input: { sku: 'SKU-P', type: 'COUPON', start: iso(-90), end: iso(-84), discountPct: 20, note: ' spring ' } })
      ).recordPromotion;
      expect(past).toMatchObject({
        sku: 'SKU-P',
        type: 'COUPON',
        start: iso(-90),
        end: iso(-84),
        discountPct: 20,
        quantity: null,
        note: 'spring',
        status: 'PAST',
      });
      ids.pastP = past.id;
      ids.pastQ = (
        await ok(RECORD, { input: { sku: 'SKU-Q', type: 'PRICE_DISCOUNT', start: iso(-60), end: iso(-54), discountPct: 20 } })
      ).recordPromotion.id;
      const ld = (
        await ok(RECORD, { input: { sku: 'SKU-Q', type: 'LIGHTNING_DEAL', start: iso(-30), end: iso(-30), discountPct: 30, quantity: 60 } })
      ).recordPromotion;
      expect(ld).toMatchObject({ quantity: 60, status: 'PAST' });
      ids.ldQ = ld.id;
      const running = (await ok(RECORD, { input: { sku: 'SKU-Q', type: 'OTHER', start: iso(0), end: iso(2) } })).recordPromotion;
      expect(running.status).toBe('ACTIVE');
      ids.runningQ = running.id;
      const planned = (await ok(RECORD, { input: { sku: 'SKU-P', type: 'COUPON', start: iso(5), end: iso(11), discountPct: 20 } }))
        .recordPromotion;
      expect(planned.status).toBe('PLANNED');
      ids.plannedP = planned.id;
      expect(await rows()).toBe(5);
    });

    it('rejects bad input naming the field and writes nothing', async () => {
      const base = { sku: 'SKU-P', type: 'COUPON', start: iso(20), end: iso(25) };
      await bad(RECORD, { input: { ...base, sku: 'NOPE' } }, 'input.sku');
      await bad(RECORD, { input: { ...base, start: '2026-13-01' } }, 'input.start');
      await bad(RECORD, { input: { ...base, end: iso(19) } }, 'input.end');
      await bad(RECORD, { input: { ...base, end: iso(20 + 400) } }, 'input.end');
      await bad(RECORD, { input: { ...base, discountPct: 100 } }, 'input.discountPct');
      await bad(RECORD, { input: { ...base, discountPct: -1 } }, 'input.discountPct');
      await bad(RECORD, { input: { ...base, quantity: 0 } }, 'input.quantity');
      await bad(RECORD, { input: { ...base, note: 'x'.repeat(201) } }, 'input.note');
      await bad(RECORD, { input: { ...base, start: iso(8), end: iso(9) } }, 'input.start'); // overlaps the planned coupon
      expect(await rows()).toBe(5);
    });

    it('updates (omitted fields kept, null clears) and deletes', async () => {
      const u = (await ok(UPDATE, { input: { id: ids.pastP, note: null, quantity: 500 } })).updatePromotion;
      expect(u).toMatchObject({ type: 'COUPON', start: iso(-90), end: iso(-84), discountPct: 20, quantity: 500, note: null });
      await bad(UPDATE, { input: { id: ids.pastP, end: iso(-95) } }, 'input.end');
      await bad(UPDATE, { input: { id: ids.pastP, start: iso(4), end: iso(6) } }, 'input.start'); // would overlap the planned coupon
      await bad(UPDATE, { input: { id: ids.pastP, type: null } }, 'input.type');
      await bad(UPDATE, { input: { id: '00000000-0000-0000-0000-000000000000', note: 'x' } }, 'input.id');
      await bad(UPDATE, { input: { id: 'not-an-id', note: 'x' } }, 'input.id');
      const extra = (await ok(RECORD, { input: { sku: 'SKU-P', type: 'OTHER', start: iso(40), end: iso(41) } })).recordPromotion.id;
      expect((await ok(`mutation { deletePromotion(id: "${extra}") }`)).deletePromotion).toBe(true);
      expect((await ok(`mutation { deletePromotion(id: "${extra}") }`)).deletePromotion).toBe(false);
      expect(await rows()).toBe(5);
    });

    it('lists by first day with cursors, by sku and by status', async () => {
      const p1 = (await ok(LIST, { first: 2 })).promotions;
      expect(p1.totalCount).toBe(5);
      expect(p1.edges.map((e: any) => e.node.start)).toEqual([iso(-90), iso(-60)]);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      const p2 = (await ok(LIST, { first: 10, after: p1.pageInfo.endCursor })).promotions;
      expect(p2.edges.map((e: any) => e.node.start)).toEqual([iso(-30), iso(0), iso(5)]);
      expect(p2.pageInfo.hasNextPage).toBe(false);
      expect((await ok(LIST, { sku: 'SKU-Q' })).promotions.totalCount).toBe(3);
      expect((await ok(LIST, { status: 'PLANNED' })).promotions.edges.map((e: any) => e.node.id)).toEqual([ids.plannedP]);
      expect((await ok(LIST, { status: 'ACTIVE' })).promotions.edges.map((e: any) => e.node.id)).toEqual([ids.runningQ]);
      expect((await ok(LIST, { status: 'PAST' })).promotions.totalCount).toBe(3);
      await bad(LIST, { first: 0 }, 'first');
      await bad(LIST, { after: 'garbage' }, 'after');
      await bad(LIST, { sku: 'NOPE' }, 'sku');
    });
  });

  describe('lift', () => {
    it('measures a past promotion against the 28 days before it', async () => {
      const r = await ok(
        `{ promotions(sku: "SKU-P", status: PAST) { edges { node { measuredLift { lift promoMean baselineMean promoDays baselineDays stockoutDays } liftEstimate { lift } } } } }`,
      );
      const m = r.promotions.edges[0].node;
      // Baseline: days −118 … −91, 14 × 18 + 14 × 22 = 560 units over 28 days = 20/day; promotion 30/day.
      expect(m.measuredLift).toEqual({
        lift: expect.any(Number),
        promoMean: 30,
        baselineMean: 20,
        promoDays: 7,
        baselineDays: 28,
        stockoutDays: 0,
      });
      expect(m.measuredLift.lift).toBeCloseTo(30.5 / 20.5 - 1, 12);
      expect(m.liftEstimate).toBeNull();
    });

    it('measures a page of promotions in a fixed number of statements', async () => {
      const q = (first: number) => `{ promotions(status: PAST, first: ${first}) { edges { node { measuredLift { lift } } } } }`;
      const count = async (first: number) => {
        const before = s.db.counter.count;
        const r = await ok(q(first));
        expect(r.promotions.edges).toHaveLength(first);
        return s.db.counter.count - before;
      };
      expect(await count(3)).toBe(await count(1));
    });

    it("estimates a planned promotion's lift from the workspace's past promotions, as core does", async () => {
      const r = await ok(
        `{ promotions(status: PLANNED) { edges { node { measuredLift { lift } liftEstimate { lift medianLift lower80 upper80 lower95 upper95 sameSku workspace skuWeight explanation { formula steps { label value } } } } } } }`,
      );
      const e = r.promotions.edges[0].node.liftEstimate;
      expect(r.promotions.edges[0].node.measuredLift).toBeNull();
      // The same observations through core: the three past promotions over the same sales.
      const mk = (sku: string, promo: (k: number) => number | null) =>
        sales(sku, promo).map((d, i) => ({ day: TODAY - 150 + i, units: d.units, inStock: true }));
      const p = (start: number, end: number, type: PromotionPeriod['type'], discountPct: number): PromotionPeriod => ({
        start: TODAY + start,
        end: TODAY + end,
        type,
        discountPct,
      });
      const obs = liftObservations(
        [
          {
            sku: 'SKU-P',
            group: null,
            sales: mk('SKU-P', (k) => (k >= -90 && k <= -84 ? 30 : null)),
            promotions: [p(-90, -84, 'COUPON', 20)],
          },
          {
            sku: 'SKU-Q',
            group: null,
            sales: mk('SKU-Q', (k) => (k >= -60 && k <= -54 ? 32 : k === -30 ? 50 : null)),
            promotions: [p(-60, -54, 'PRICE_DISCOUNT', 20), p(-30, -30, 'LIGHTNING_DEAL', 30)],
          },
        ],
        TODAY,
      );
      expect(obs).toHaveLength(3);
      const want = estimateLift(obs, { sku: 'SKU-P', group: null, type: 'COUPON', depth: 0.2 })!;
      expect(e.lift).toBeCloseTo(want.lift, 12);
      expect(e.lower95).toBeCloseTo(want.lower95, 12);
      expect(e).toMatchObject({ sameSku: 1, workspace: 2 });
      expect(e.lower95).toBeLessThan(e.lower80);
      expect(e.lower80).toBeLessThan(e.medianLift);
      expect(e.medianLift).toBeLessThan(e.upper80);
      expect(e.upper80).toBeLessThan(e.upper95);
      expect(e.explanation.steps.map((x: any) => x.label)).toContain('predicted log-lift ℓ̂');
    });
  });

  describe('forecast and plan', () => {
    const FC = `{ product(sku: "SKU-P") { forecast(horizonDays: 20) { points { at value lower80 upper95 } explanation { notes } } } }`;

    it('forecasts the baseline without the past promotion days and adds the planned lift on its days', async () => {
      const f = (await ok(FC)).product.forecast;
      expect(f.explanation.notes.join('\n')).toMatch(/7 day\(s\) inside the seller's past promotions are left out/);
      expect(f.explanation.notes.join('\n')).toMatch(/Planned promotion COUPON .* forecast = baseline × \(1 \+ lift\)/);
      const lift = (await ok(`{ promotions(status: PLANNED) { edges { node { liftEstimate { lift } } } } }`)).promotions.edges[0].node
        .liftEstimate.lift;
      // Remove the planned promotion: the same baseline, without the lift.
      await ok(UPDATE, { input: { id: ids.plannedP, start: iso(300), end: iso(301) } });
      const b = (await ok(FC)).product.forecast;
      await ok(UPDATE, { input: { id: ids.plannedP, start: iso(5), end: iso(11) } });
      f.points.forEach((p: any, i: number) => {
        const inPromo = p.at >= iso(5) && p.at <= iso(11);
        expect(p.value).toBeCloseTo(b.points[i].value * (inPromo ? 1 + lift : 1), 9);
      });
      expect(f.points.some((p: any) => p.at >= iso(5) && p.at <= iso(11))).toBe(true);
    });

    it('plans with the estimated uplift of the planned promotion, and the hand-typed uplift overrides it', async () => {
      const PLAN = (args: string) =>
        `{ product(sku: "SKU-P") { replenishmentPlan(${args}) { leadTimeDemandMean demand { mean } explanation { inputs notes } } } }`;
      const withEstimate = (await ok(PLAN('serviceLevel: 0.95'))).product.replenishmentPlan;
      // The moving average leaves the 7 coupon days out: 83 days of 18 / 22 around 20, not pulled up by 30s.
      expect(withEstimate.demand.mean).toBeLessThan(20.1);
      expect(withEstimate.explanation.notes.join('\n')).toMatch(/Uplift: planned promotion COUPON .* raises demand by the estimated/);
      const override = (
        await ok(PLAN('serviceLevel: 0.95, demandUplift: 0.1, upliftStart: "' + iso(5) + '", upliftEnd: "' + iso(11) + '"'))
      ).product.replenishmentPlan;
      expect(override.explanation.notes.join('\n')).toMatch(/hand-typed demandUplift \+10\.0 % is used \(an override\)/);
      await ok(UPDATE, { input: { id: ids.plannedP, start: iso(300), end: iso(301) } });
      const none = (await ok(PLAN('serviceLevel: 0.95'))).product.replenishmentPlan;
      await ok(UPDATE, { input: { id: ids.plannedP, start: iso(5), end: iso(11) } });
      // Lead time 15 days covers days 5 … 11: the estimated lift (> 10 %) raises lead-time demand above the override's.
      expect(withEstimate.leadTimeDemandMean).toBeGreaterThan(override.leadTimeDemandMean);
      expect(override.leadTimeDemandMean).toBeGreaterThan(none.leadTimeDemandMean);
      expect(withEstimate.leadTimeDemandMean).toBeGreaterThan(none.leadTimeDemandMean);
    });
  });
});
