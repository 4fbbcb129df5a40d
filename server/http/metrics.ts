import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for one server process (GET /metrics). */
export function createMetrics() {
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
      help: 'Snapshot rows received by recordSnapshots, by result.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
