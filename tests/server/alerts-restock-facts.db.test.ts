import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTime } from '../../server/db/dialect';
import { describeDatabase } from '../helpers/database';
import { gqlOk } from '../helpers/gql';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The COMPETITOR_RESTOCK alert and the API's `restocks` (served from the restock events kept at
 * ingest, server/modules/facts/restocks.facts.ts) report the same restock: same capture, same
 * rise, same levels — both use the causal threshold (RESTOCK_OPTIONS).
 */
const HOUR = 3_600_000;
const RECORD = `mutation($input: [SnapshotInput!]!) { recordSnapshots(input: $input) { inserted } }`;

describeDatabase('restock alert and API agree', (databaseUrl) => {
  let s: TestServer;
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  beforeAll(async () => {
    s = await startTestServer({ databaseUrl });
  });
  afterAll(async () => s?.stop());

  it('the alert and restocks name the same restock, kept as a fact', async () => {
    // 15 days hourly: a drain of 2–5 units an hour with a returned unit now and then, then +180 units.
    const stocks: number[] = [];
    let st = 900;
    for (let i = 0; i < 15 * 24; i++) {
      st -= 2 + ((i * 7) % 5 === 0 ? 3 : 0);
      if (i % 11 === 0) st += 1;
      stocks.push(i === 15 * 24 - 6 ? (st += 180) : st);
    }
    const start = t0 - (stocks.length - 1) * HOUR;
    const input = stocks.map((stock, i) => ({
      asin: 'B0AGREE001',
      capturedAt: new Date(start + i * HOUR).toISOString(),
      stock,
      price: 20,
    }));
    // In batches, as a scraper sends them.
    for (let i = 0; i < input.length; i += 48) {
      await gqlOk(s.url, s.apiKey, RECORD, { input: input.slice(i, i + 48) });
      await s.app.services.alertEvaluator.idle();
    }
    const data = await gqlOk(
      s.url,
      s.apiKey,
      `{ competitor(asin: "B0AGREE001", marketplace: "US") { id restocks(first: 10) { at earliestAt quantity fromLevel toLevel kind confidence } } }`,
    );
    const { id, restocks } = data.competitor;
    expect(restocks).toHaveLength(1);
    const r = restocks[0];
    const riseAt = start + (15 * 24 - 6) * HOUR;
    expect(r).toMatchObject({ at: new Date(riseAt).toISOString(), kind: 'JUMP' });
    expect(r.quantity).toBe(stocks[15 * 24 - 6] - stocks[15 * 24 - 7]);

    const alerts = await gqlOk(
      s.url,
      s.apiKey,
      `query($id: String) { alerts(subjectId: $id, kind: COMPETITOR_RESTOCK, first: 10) { edges { node { kind message explanation { text } } } } }`,
      { id },
    );
    const nodes = alerts.alerts.edges.map((e: { node: { message: string; explanation: { text: string } } }) => e.node);
    expect(nodes).toHaveLength(1);
    const detail = `+${r.quantity} units (${r.fromLevel} → ${r.toLevel})`;
    expect(`${nodes[0].message}\n${nodes[0].explanation.text}`).toContain(detail);

    // And the API read it from the kept facts.
    const q = s.db.params();
    const rows: { at: string | Date; kind: string }[] = await s.db.manager.query(
      `SELECT at, kind FROM restock_event WHERE competitor_id = ${q.add(id)} AND kind <> 'FLAP'`,
      q.values,
    );
    expect(rows.map((x) => [readTime(x.at), x.kind])).toEqual([[riseAt, 'JUMP']]);
  }, 120_000);
});
