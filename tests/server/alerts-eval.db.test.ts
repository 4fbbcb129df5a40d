/**
 * Alert evaluation through the real pipeline: HTTP ingest (recordSnapshots, upsertProduct,
 * recordSales) into a running server, then exactly which alerts exist at which level. Covers the
 * rule API, restocks (flapping and censored series stay quiet), deal start, the scheduled
 * sell-out pass, safety stock, webhook delivery of an evaluated alert, and DATA_ERROR feedback.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiver, until } from '../helpers/receiver';
import { gql, gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';
import { describeDatabase } from '../helpers/database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted duplicates } }`;
const ALERTS = `query($subjectId: String, $kind: AlertKind) { alerts(subjectId: $subjectId, kind: $kind, first: 50) {
  totalCount edges { node { id kind level status subjectType subjectId title message explanation { formula } } } } }`;
const CREATE_RULE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) {
  id name kind enabled k escalateAfterPeriods selloutWithinHours minStockoutHours eventLevel
  scope { type tier abcClass subjectId } exclusions { id subjectId from to reason knownEvent } quietHours { startMinute endMinute utcOffsetMinutes }
  explanation { formula steps { label value note } } } }`;

interface Snap {
  asin: string;
  capturedAt: string;
  stock: number | null;
  stockIsLowerBound?: boolean;
  dealType?: string;
  dealQuantity?: number;
  dealClaimedPercent?: number;
  dealEndsAt?: string;
  price?: number;
}

/** Hourly captures ending `endHoursAgo` before `t0`, one per stock value. */
function series(asin: string, t0: number, stocks: (number | [number, Partial<Snap>])[], endHoursAgo = 0): Snap[] {
  const start = t0 - (endHoursAgo + stocks.length - 1) * HOUR;
  return stocks.map((s, i) => {
    const [stock, extra] = Array.isArray(s) ? s : [s, {}];
    return { asin, capturedAt: new Date(start + i * HOUR).toISOString(), stock, price: 20, ...extra };
  });
}

describeDatabase('alert evaluation', (databaseUrl) => {
  let s: TestServer;
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - HOUR; // a whole hour in the past: captures are never "future"
  // Evaluation runs after the response: wait for it before looking at alerts.
  const ok = async (q: string, v?: Record<string, unknown>) => {
    const data = await gqlOk(s.url, s.apiKey, q, v);
    await s.app.services.alertEvaluator.idle();
    return data;
  };
  const alertsOf = async (subjectId: string) =>
    (await ok(ALERTS, { subjectId })).alerts.edges.map((e: { node: Record<string, unknown> }) => e.node) as Record<string, any>[];
  const competitorId = async (asin: string): Promise<string> =>
    (await ok(`query($a: String!) { competitor(asin: $a, marketplace: "US") { id } }`, { a: asin })).competitor.id;

  beforeAll(async () => {
    s = await startTestServer({
      databaseUrl,
      env: { RESTOCK_RADAR_WEBHOOK_ALLOW: '127.0.0.1' },
      dispatcher: { pollMs: 25, backoffMs: () => 30 },
    });
  });
  afterAll(async () => s?.stop());

  describe('alert rules', () => {
    it('gives a new workspace one default rule per kind', async () => {
      const r = await ok(`{ alertRules(first: 50) { totalCount edges { node { kind enabled scope { type } k } } } }`);
      expect(r.alertRules.totalCount).toBe(10);
      expect(r.alertRules.edges.map((e: any) => e.node.kind).sort()).toEqual([
        'COMPETITOR_DEAL_STARTED',
        'COMPETITOR_RESTOCK',
        'COMPETITOR_STOCKOUT',
        'CONSUMPTION_DEVIATION',
        'CONSUMPTION_RATE',
        'DATA_STALE',
        'RECONCILIATION_MISMATCH',
        'REORDER_POINT_REACHED',
        'SAFETY_STOCK_BREACH',
        'SELLOUT_IMMINENT',
      ]);
      expect(r.alertRules.edges.every((e: any) => e.node.enabled && e.node.scope.type === 'ALL' && e.node.k === null)).toBe(true);
    });

    it('creates, updates and deletes a rule with typed fields; errors name the field', async () => {
      const created = await ok(CREATE_RULE, {
        input: {
          name: 'Core listings: tighter band',
          kind: 'CONSUMPTION_DEVIATION',
          scope: { type: 'TIER', tier: 'CORE' },
          k: 1.5,
          escalateAfterPeriods: 2,
          exclusions: [{ from: '2026-07-15T00:00:00Z', to: '2026-07-17T00:00:00Z', reason: 'Prime Day', knownEvent: true }],
          quietHours: { startMinute: 1320, endMinute: 420, utcOffsetMinutes: 60 },
        },
      });
      const rule = created.createAlertRule;
      expect(rule).toMatchObject({
        kind: 'CONSUMPTION_DEVIATION',
        enabled: true,
        k: 1.5,
        escalateAfterPeriods: 2,
        scope: { type: 'TIER', tier: 'CORE', abcClass: null, subjectId: null },
        exclusions: [{ subjectId: null, reason: 'Prime Day', knownEvent: true, from: '2026-07-15T00:00:00.000Z' }],
        quietHours: { startMinute: 1320, endMinute: 420, utcOffsetMinutes: 60 },
      });
      // k 1.5 × STANDARD 1 + 0 feedback, shown in the rule's explanation.
      expect(rule.explanation.steps.find((x: any) => x.label === 'k')).toMatchObject({ value: '1.5' });

      const upd = await ok(
        `mutation($input: UpdateAlertRuleInput!) { updateAlertRule(input: $input) { id k escalateAfterPeriods enabled exclusions { id } } }`,
        {
          input: { id: rule.id, k: null, enabled: false, exclusions: [] },
        },
      );
      expect(upd.updateAlertRule).toEqual({ id: rule.id, k: null, escalateAfterPeriods: 2, enabled: false, exclusions: [] });
      expect((await ok(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: rule.id })).deleteAlertRule).toBe(true);
      const gone = await gql(s.url, s.apiKey, `mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: rule.id });
      expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');

      for (const [input, field] of [
        [{ name: 'x', kind: 'COMPETITOR_RESTOCK', k: 2 }, 'input.k'],
        [{ name: 'x', kind: 'CONSUMPTION_DEVIATION', k: 0.1 }, 'input.k'],
        [{ name: 'x', kind: 'SAFETY_STOCK_BREACH', scope: { type: 'TIER', tier: 'CORE' } }, 'input.scope.type'],
        [{ name: 'x', kind: 'COMPETITOR_RESTOCK', scope: { type: 'TIER' } }, 'input.scope.tier'],
        [{ name: 'x', kind: 'COMPETITOR_RESTOCK', scope: { type: 'COMPETITOR', competitorId: 'nope' } }, 'input.scope.competitorId'],
        [{ name: 'x', kind: 'SELLOUT_IMMINENT', selloutWithinHours: 0 }, 'input.selloutWithinHours'],
        [
          {
            name: 'x',
            kind: 'COMPETITOR_STOCKOUT',
            exclusions: [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z', reason: 'r' }],
          },
          'input.exclusions[0].to',
        ],
        [{ name: 'x', kind: 'DATA_STALE', quietHours: { startMinute: 1440, endMinute: 0 } }, 'input.quietHours.startMinute'],
        [{ name: ' ', kind: 'DATA_STALE' }, 'input.name'],
      ] as const) {
        const res = await gql(s.url, s.apiKey, CREATE_RULE, { input });
        expect(res.errors?.[0].extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      const other = await s.newKey('rules-other');
      const foreign = await gql(s.url, other, `mutation($id: ID!) { deleteAlertRule(id: $id) }`, {
        id: (await ok(`{ alertRules(first: 1) { edges { node { id } } } }`)).alertRules.edges[0].node.id,
      });
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('competitor alerts from ingest', () => {
    it('a restock fires COMPETITOR_RESTOCK once, delivered to a webhook; flapping 0 ↔ 1 and censored 999+ stay quiet', async () => {
      const hook = await receiver();
      try {
        const reg = await ok(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id secret } }`, {
          input: { url: hook.url, kinds: ['COMPETITOR_RESTOCK'], minLevel: 'YELLOW' },
        });
        // Restock: sells down 40 → 0 over a day, out for 8 h, then 300 arrive and sell slowly.
        const down = Array.from({ length: 21 }, (_, i) => 40 - 2 * i);
        const out = Array.from({ length: 8 }, () => 0);
        const up = Array.from({ length: 12 }, (_, i) => 300 - 2 * i);
        const all = series('B0RESTOCK', t0, [...down, ...out, ...up]);
        // Two batches, like a scraper sending as it goes; the second is resent (idempotent, no new alert).
        const cut = down.length + out.length;
        await ok(RECORD, { input: all.slice(0, cut) });
        expect(await alertsOf(await competitorId('B0RESTOCK'))).toEqual([]);
        await ok(RECORD, { input: all.slice(cut) });
        expect((await ok(RECORD, { input: all.slice(cut) })).recordSnapshots).toEqual({ inserted: 0, duplicates: up.length });

        // Flapping: at 0 with single units coming back and going again within the hour.
        const flap = series('B0FLAP', t0, [...Array.from({ length: 12 }, (_, i) => 24 - 2 * i), 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]);
        // Censored: the source caps stock at 999 ("999+") the whole time.
        const censored = series(
          'B0CENSORED',
          t0,
          Array.from({ length: 40 }, () => [999, { stockIsLowerBound: true }] as [number, Partial<Snap>]),
        );
        await ok(RECORD, { input: [...flap, ...censored] });

        const restockId = await competitorId('B0RESTOCK');
        const alerts = await alertsOf(restockId);
        expect(alerts.map((a) => [a.kind, a.level])).toEqual([['COMPETITOR_RESTOCK', 'YELLOW']]);
        // Raised at the 300 capture, resolved at the next (the event is over); one alert, not one per capture.
        expect(alerts[0].status).toBe('RESOLVED');
        expect(alerts[0].message).toMatch(/YELLOW/);
        expect(await alertsOf(await competitorId('B0FLAP'))).toEqual([]);
        expect(await alertsOf(await competitorId('B0CENSORED'))).toEqual([]);

        // The webhook registered beforehand received it, signed with its secret.
        await until(() => hook.got.length >= 1);
        await new Promise((r) => setTimeout(r, 150));
        const raised = hook.got.map((g) => ({ g, body: JSON.parse(g.body) })).filter((x) => x.body.event === 'RAISED');
        expect(raised).toHaveLength(1);
        const { g, body } = raised[0];
        expect(g.headers['x-restockradar-signature']).toBe(
          `sha256=${createHmac('sha256', reg.registerWebhook.secret).update(g.body).digest('hex')}`,
        );
        expect(body).toMatchObject({ kind: 'COMPETITOR_RESTOCK', level: 'YELLOW', alert: { id: alerts[0].id, subjectId: restockId } });
        await ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: reg.registerWebhook.id });
      } finally {
        await hook.close();
      }
    });

    it('a deal start fires COMPETITOR_DEAL_STARTED; a fast drain fires SELLOUT_IMMINENT from the scheduled pass only', async () => {
      // 10 h without a deal, then a lightning deal of 200 units claimed at 15 %/h for 4 h (60 %).
      const ends = new Date(t0 + 6 * HOUR).toISOString();
      const before = Array.from({ length: 10 }, (_, i) => 500 - i);
      const deal = Array.from({ length: 5 }, (_, i): [number, Partial<Snap>] => [
        490 - 30 * i,
        { dealType: 'LIGHTNING', dealQuantity: 200, dealClaimedPercent: 15 * i, dealEndsAt: ends, price: 14 },
      ]);
      const comp = await ok(
        `mutation { upsertCompetitor(input: { asin: "B0DEAL", marketplace: "US", title: "Deal board", tier: GENERAL }) { id } }`,
      );
      await ok(RECORD, { input: series('B0DEAL', t0, [...before, ...deal]) });
      const id = await competitorId('B0DEAL');
      expect(id).toBe(comp.upsertCompetitor.id);
      const alerts = await alertsOf(id);
      expect(alerts.map((a) => [a.kind, a.level, a.status])).toEqual([['COMPETITOR_DEAL_STARTED', 'YELLOW', 'OPEN']]);

      // 40 % left at 30 units/h: sells out in under 3 h, inside the RED edge (48 h / 4). The first
      // pass raises at the kind's base level; RED needs 3 consecutive passes (escalateAfter 3).
      const selloutOf = async () => (await alertsOf(id)).filter((a) => a.kind === 'SELLOUT_IMMINENT').map((a) => [a.level, a.status]);
      await s.app.alertScheduler.runOnce(t0 + 5 * 60_000);
      expect(await selloutOf()).toEqual([['YELLOW', 'OPEN']]);
      await s.app.alertScheduler.runOnce(t0 + 10 * 60_000);
      expect(await selloutOf()).toEqual([['YELLOW', 'OPEN']]);
      await s.app.alertScheduler.runOnce(t0 + 15 * 60_000);
      expect(await selloutOf()).toEqual([['RED', 'OPEN']]);
      const [sellout] = (await alertsOf(id)).filter((a) => a.kind === 'SELLOUT_IMMINENT');
      expect(sellout.explanation.formula).toMatch(/sell-out imminent/);
      expect(sellout.message).toMatch(/^RED: ETA [\d.]+ h ≤ 12 h$/);
    });
  });

  describe('noise control', () => {
    const restockSeries = (asin: string) =>
      series(asin, t0, [...Array.from({ length: 11 }, (_, i) => 20 - 2 * i), 0, 0, 0, ...Array.from({ length: 10 }, (_, i) => 250 - i)]);

    it('an exclusion window (known event) on one competitor keeps its restock quiet; another competitor still alerts', async () => {
      const excl = await ok(`mutation { upsertCompetitor(input: { asin: "B0EXCL", marketplace: "US", tier: GENERAL }) { id } }`);
      const rule = await ok(CREATE_RULE, {
        input: {
          name: 'Warehouse move',
          kind: 'COMPETITOR_RESTOCK',
          scope: { type: 'COMPETITOR', competitorId: excl.upsertCompetitor.id },
          exclusions: [
            {
              from: new Date(t0 - 3 * DAY).toISOString(),
              to: new Date(t0 + DAY).toISOString(),
              reason: 'warehouse move',
              knownEvent: true,
            },
          ],
        },
      });
      expect(rule.createAlertRule.scope).toEqual({ type: 'COMPETITOR', tier: null, abcClass: null, subjectId: excl.upsertCompetitor.id });
      await ok(`mutation { upsertCompetitor(input: { asin: "B0NOEXCL", marketplace: "US", tier: GENERAL }) { id } }`);
      await ok(RECORD, { input: [...restockSeries('B0EXCL'), ...restockSeries('B0NOEXCL')] });
      expect(await alertsOf(excl.upsertCompetitor.id)).toEqual([]);
      expect((await alertsOf(await competitorId('B0NOEXCL'))).map((a) => [a.kind, a.level])).toEqual([['COMPETITOR_RESTOCK', 'YELLOW']]);
    });

    it('a one-capture glitch (481 → 12 → 479) is an anomaly: the "restock" after it does not alert', async () => {
      // Restock detection alone sees 12 → 479 as a jump (confidence 0.95); core/anomalies flags the
      // 12 as a spike (jump and revert), so the period ending at 479 must not alert.
      const glitch = series('B0GLITCH', t0, [...Array.from({ length: 20 }, (_, i) => 500 - i), 12, 479, 478, 477, 476]);
      await ok(`mutation { upsertCompetitor(input: { asin: "B0GLITCH", marketplace: "US", tier: GENERAL }) { id } }`);
      await ok(RECORD, { input: glitch });
      expect(await alertsOf(await competitorId('B0GLITCH'))).toEqual([]);
    });

    it('quiet hours hold a non-RED raise until the scheduled pass after they end', async () => {
      const q = await ok(`mutation { upsertCompetitor(input: { asin: "B0QUIET", marketplace: "US", tier: GENERAL }) { id } }`);
      const minute = Math.floor((Date.now() % DAY) / 60_000);
      await ok(CREATE_RULE, {
        input: {
          name: 'Night',
          kind: 'COMPETITOR_RESTOCK',
          scope: { type: 'COMPETITOR', competitorId: q.upsertCompetitor.id },
          quietHours: { startMinute: (minute + 1440 - 5) % 1440, endMinute: (minute + 60) % 1440, utcOffsetMinutes: 0 },
        },
      });
      // The restock is still under way (its last captures are within the active window).
      await ok(RECORD, { input: series('B0QUIET', t0, [12, 10, 8, 6, 4, 2, 0, 0, 0, 240, 239, 238]) });
      expect(await alertsOf(q.upsertCompetitor.id)).toEqual([]);
      await s.app.alertScheduler.runOnce(Date.now() + 3.5 * HOUR);
      // Released by the pass; the same pass finds nothing arrived for 3.5 h against a 1 h interval (≥ 3×): stale.
      expect((await alertsOf(q.upsertCompetitor.id)).map((a) => [a.kind, a.level, a.status]).sort()).toEqual([
        ['COMPETITOR_RESTOCK', 'YELLOW', 'OPEN'],
        ['DATA_STALE', 'YELLOW', 'OPEN'],
      ]);
    });
  });

  describe('own SKU alerts', () => {
    const day = (offset: number) => new Date(Math.floor(Date.now() / DAY) * DAY + offset * DAY).toISOString().slice(0, 10);

    it('on hand falling below safety stock fires RED SAFETY_STOCK_BREACH', async () => {
      const sup = await ok(`mutation($input: UpsertSupplierInput!) { upsertSupplier(input: $input) { id } }`, {
        input: { name: 'Alert Supplier', procurement: { mean: 5, sd: 1 }, shipping: { mean: 3, sd: 1 }, inbound: { mean: 1, sd: 0.5 } },
      });
      const upsert = (onHand: number) =>
        ok(`mutation($input: UpsertProductInput!) { upsertProduct(input: $input) { sku onHand } }`, {
          input: { sku: 'SS-1', name: 'Safety stock SKU', unitCost: 4, price: 10, onHand, supplierId: sup.upsertSupplier.id },
        });
      await upsert(1000);
      await ok(`mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted } }`, {
        input: Array.from({ length: 30 }, (_, i) => ({ sku: 'SS-1', date: day(i - 30), units: [8, 12, 10, 9, 11][i % 5], inStock: true })),
      });
      expect((await alertsOf('SS-1')).filter((a) => a.kind === 'SAFETY_STOCK_BREACH')).toEqual([]);
      const plan = await ok(`{ product(sku: "SS-1") { replenishmentPlan { safetyStock reorderPoint } } }`);
      const ss = plan.product.replenishmentPlan.safetyStock;
      expect(ss).toBeGreaterThan(5);
      await upsert(Math.floor(ss / 2));
      const alerts = await alertsOf('SS-1');
      expect(alerts.filter((a) => a.kind === 'SAFETY_STOCK_BREACH').map((a) => [a.level, a.status])).toEqual([['RED', 'OPEN']]);
      // Well below the reorder point as well.
      expect(alerts.filter((a) => a.kind === 'REORDER_POINT_REACHED').map((a) => a.level)).toEqual(['YELLOW']);
      // Back above safety stock (with the hysteresis margin): resolved.
      await upsert(1000);
      expect((await alertsOf('SS-1')).filter((a) => a.status !== 'RESOLVED')).toEqual([]);
    });

    it('DATA_ERROR acknowledgements widen the consumption band, visibly', async () => {
      await ok(`mutation($input: UpsertProductInput!) { upsertProduct(input: $input) { sku } }`, {
        input: { sku: 'CD-1', name: 'Deviation SKU', unitCost: 2, price: 5, onHand: 500 },
      });
      const units = (i: number) => (i === 20 || i === 21 || i === 27 || i === 28 ? 40 : [9, 11, 10, 8, 12, 10, 10][i % 7]);
      const sales = (from: number, to: number) =>
        ok(`mutation($input: [SalesInput!]!) { recordSales(input: $input) { inserted } }`, {
          input: Array.from({ length: to - from }, (_, j) => ({
            sku: 'CD-1',
            date: day(from + j - 40),
            units: units(from + j),
            inStock: true,
          })),
        });
      const ack = (id: string) => ok(`mutation($id: ID!) { acknowledgeAlert(id: $id, cause: DATA_ERROR) { status cause } }`, { id });
      const open = async () => (await alertsOf('CD-1')).filter((a) => a.kind === 'CONSUMPTION_DEVIATION' && a.status !== 'RESOLVED');

      await sales(0, 22); // 20 ordinary days, then two days of 40: raised after 2 consecutive days
      const first = await open();
      expect(first.map((a) => a.level)).toEqual(['YELLOW']);
      await ack(first[0].id);
      await sales(22, 29); // resolves after 2 clear days, re-arms after 3, then 2 more days of 40
      const second = await open();
      expect(second).toHaveLength(1);
      expect(second[0].id).not.toBe(first[0].id);
      await ack(second[0].id);

      const st = await ok(`{ alertSubjectStates(subjectType: PRODUCT, subjectId: "CD-1", kind: CONSUMPTION_DEVIATION) {
        kind k kBoost history adjustments { parameter before after alertIds explanation { notes } } explanation { steps { label value note } } } }`);
      const [state] = st.alertSubjectStates;
      expect(state.kBoost).toBe(0.5);
      expect(state.k).toBe(2.5);
      expect(state.adjustments).toHaveLength(1);
      expect(state.adjustments[0]).toMatchObject({ parameter: 'k', before: 2, after: 2.5 });
      expect(state.adjustments[0].alertIds).toHaveLength(2);
      expect(state.adjustments[0].explanation.notes.join(' ')).toMatch(/widened from ±2σ to ±2.5σ/);
      expect(state.explanation.steps.find((x: any) => x.label === 'k').note).toMatch(/0.5 \(DATA_ERROR feedback\)/);
    });
  });
});
