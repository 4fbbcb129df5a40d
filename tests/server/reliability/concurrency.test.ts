/**
 * SQLite under many parallel writers: ingest batches, product upserts, daily sales and alert
 * acknowledgements/resolutions, all at once over HTTP. Writes are serialized in-process (Db.write),
 * so no client may ever see SQLITE_BUSY or any other error, and every write must land.
 * SQLite only by nature: it checks the single-writer queue and SQLITE_BUSY, which PostgreSQL does
 * not have (its writers run concurrently on the pool; concurrent PostgreSQL writers are exercised by
 * the crash suite's parallel ingest and by outbox-two-processes.pg.test.ts). So it is not in the database matrix
 * (tests/helpers/database.ts) and runs in the "standalone" project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../../helpers/gql';
import { startTestServer, type TestServer } from '../../helpers/server';

const H = 3_600_000;

describe('parallel writers on SQLite', () => {
  let s: TestServer;
  let workspaceId: string;
  const alertIds: string[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    workspaceId = (await s.db.manager.query(`SELECT id FROM workspace WHERE name = 'test'`))[0].id;
    for (let i = 0; i < 40; i++) {
      const [e] = await s.app.services.alerts.apply(workspaceId, [
        {
          action: 'RAISE',
          kind: 'DATA_STALE',
          level: 'ORANGE',
          subjectType: 'COMPETITOR',
          subjectId: `c-${i}`,
          subjectLabel: `c-${i}`,
          title: 'stale',
          message: 'stale',
          explanation: { formula: 'f', inputs: {}, steps: [], notes: [] },
          at: new Date(Date.now() - H),
        },
      ]);
      alertIds.push(e.alert.id);
    }
  });
  afterAll(async () => s?.stop());

  it('240 concurrent mixed writes: zero errors, every write applied', async () => {
    const now = Date.now();
    const ops: (() => Promise<{ errors?: unknown[] }>)[] = [];
    for (let b = 0; b < 60; b++) {
      ops.push(() =>
        gql(s.url, s.apiKey, `mutation($i: [SnapshotInput!]!) { recordSnapshots(input: $i) { inserted } }`, {
          i: Array.from({ length: 200 }, (_, k) => ({
            asin: `B0PAR${b % 6}`,
            capturedAt: new Date(now - 100 * H + (b * 200 + k) * 1000).toISOString(),
            stock: 100 + k,
            source: `p${b}`,
          })),
        }),
      );
    }
    for (let p = 0; p < 60; p++) {
      ops.push(() =>
        gql(s.url, s.apiKey, `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
          i: { sku: `PAR-${p % 20}`, name: `n${p}`, unitCost: 1 + p, price: 50 + p, onHand: p },
        }),
      );
    }
    for (let d = 0; d < 60; d++) {
      ops.push(async () => {
        await gqlOk(s.url, s.apiKey, `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { id } }`, {
          i: { sku: `SALE-${d % 10}`, name: 'x', unitCost: 1, price: 2 },
        });
        return gql(s.url, s.apiKey, `mutation($i: [SalesInput!]!) { recordSales(input: $i) { inserted updated } }`, {
          i: Array.from({ length: 30 }, (_, k) => ({
            sku: `SALE-${d % 10}`,
            date: new Date(now - (k + 1 + (d % 3) * 30) * 24 * H).toISOString().slice(0, 10),
            units: k,
          })),
        });
      });
    }
    for (let a = 0; a < 60; a++) {
      const id = alertIds[a % alertIds.length];
      ops.push(() =>
        a < 40
          ? gql(s.url, s.apiKey, `mutation($id: ID!) { acknowledgeAlert(id: $id, cause: MARKETING) { status } }`, { id })
          : gql(s.url, s.apiKey, `mutation($id: ID!) { resolveAlert(id: $id) { status } }`, { id }),
      );
    }
    // Shuffle deterministically, then all in flight at once.
    const order = ops.map((_, i) => i).sort((x, y) => ((x * 7919) % 241) - ((y * 7919) % 241));
    const results = await Promise.all(order.map((i) => ops[i]()));
    const errors = results.flatMap((r) => r.errors ?? []);
    // Resolving an alert that is being acknowledged at the same moment is a legitimate state conflict,
    // never a database error; everything else must succeed.
    expect(JSON.stringify(errors)).not.toMatch(/SQLITE|BUSY|locked|INTERNAL/i);
    expect(errors.filter((e) => !/status|already|resolved/i.test(JSON.stringify(e))).slice(0, 3)).toEqual([]);
    const count = async (sql: string) => Number((await s.db.manager.query(sql))[0].n);
    expect(await count(`SELECT COUNT(*) AS n FROM snapshot`)).toBe(60 * 200);
    expect(await count(`SELECT COUNT(*) AS n FROM product WHERE sku LIKE 'PAR-%'`)).toBe(20);
    expect(await count(`SELECT COUNT(*) AS n FROM sales_day`)).toBe(10 * 90); // 10 SKUs × 90 distinct days
    expect(await count(`SELECT COUNT(*) AS n FROM alert WHERE status = 'RESOLVED'`)).toBe(20);
  }, 60_000);
});
