import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/db';
import { OutboxEntry } from '../modules/webhook/webhook.entity';

/** Prometheus metrics for one server process (GET /metrics). */
export function createMetrics(db: Db, snapshots: { readonly totals: { inserted: number; duplicates: number } }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'restock_radar_graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'restock_radar_graphql_request_seconds',
      help: 'GraphQL request latency by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ingestRows: new Counter({
      name: 'restock_radar_ingest_rows_total',
      help: 'Snapshot rows received by recordSnapshots (and imports), by result.',
      labelNames: ['result'] as const,
      registers: [registry],
      // The service counts; the counter reports its totals at each scrape.
      collect() {
        this.reset();
        this.inc({ result: 'inserted' }, snapshots.totals.inserted);
        this.inc({ result: 'duplicate' }, snapshots.totals.duplicates);
      },
    }),
    deliveries: new Counter({
      name: 'restock_radar_webhook_deliveries_total',
      help: 'Webhook delivery attempts by this process, by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    outbox: new Gauge({
      name: 'restock_radar_outbox_pending',
      help: 'Webhook deliveries waiting in the outbox (all processes).',
      registers: [registry],
      async collect() {
        this.set(await db.manager.count(OutboxEntry, { where: { status: 'PENDING' } }));
      },
    }),
    dbStatements: new Counter({
      name: 'restock_radar_db_statements_total',
      help: 'SQL statements this process sent to the database.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(db.counter.count);
      },
    }),
    dbRows: new Counter({
      name: 'restock_radar_db_rows_read_total',
      help: 'Rows the database returned to this process (SELECT results and RETURNING rows).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(db.counter.rows);
      },
    }),
    dbPool: new Gauge({
      name: 'restock_radar_db_connections',
      help: 'Database connections by state (PostgreSQL pool; SQLite has one connection).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const c = db.connections();
        this.set({ state: 'total' }, c.total);
        this.set({ state: 'idle' }, c.idle);
        this.set({ state: 'waiting' }, c.waiting);
      },
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
