import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { type Context, createLoaders, createServices, type Services } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';
import { complexityLimit, depthLimit, nulCharacterGuard } from '../graphql/limits';
import { buildAppSchema } from '../graphql/schema';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type DispatcherOptions, WebhookDispatcher } from '../modules/webhook/webhook.dispatcher';
import { type AlertSchedulerOptions, AlertScheduler } from '../modules/alert-eval/alert.scheduler';
import { type RetentionSchedulerOptions, RetentionScheduler } from '../modules/retention/retention.scheduler';
import { log } from './log';
import { createMetrics, type Metrics } from './metrics';

export interface App {
  server: Server;
  services: Services;
  metrics: Metrics;
  dispatcher: WebhookDispatcher;
  /** Scheduled pass of the time-based alert kinds (SELLOUT_IMMINENT, DATA_STALE). */
  alertScheduler: AlertScheduler;
  /** Daily snapshot retention pass (config.snapshotRetentionDays; 0 = off). */
  retentionScheduler: RetentionScheduler;
  /** Listens and resolves with the base URL (http://host:port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the body up to `limit` bytes. Past the limit the rest is drained and discarded so the
 * client still receives the 413 (closing mid-upload would surface as a socket error instead);
 * a body 4× over the limit is cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > 4 * limit) req.destroy();
    });
    req.on('end', () =>
      size > limit ? reject(new HttpError(413, `request body exceeds ${limit} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export interface AppOptions {
  dispatcher?: DispatcherOptions;
  alertScheduler?: AlertSchedulerOptions;
  retentionScheduler?: Partial<RetentionSchedulerOptions>;
}

export async function createApp(db: Db, config: Config, opts: AppOptions = {}): Promise<App> {
  const services = createServices(db);
  const metrics = createMetrics(services, db);
  const schema = await buildAppSchema();
  const dispatcher = new WebhookDispatcher(db, {
    ...opts.dispatcher,
    onDelivery: (d) => {
      metrics.deliveries.inc({ outcome: d.ok ? 'ok' : 'failed' });
      opts.dispatcher?.onDelivery?.(d);
    },
  });
  services.alerts.dispatcher = dispatcher;
  const alertScheduler = new AlertScheduler(services.alertEvaluator, opts.alertScheduler);
  const retentionScheduler = new RetentionScheduler(services.retention, {
    olderThanDays: config.snapshotRetentionDays,
    ...opts.retentionScheduler,
  });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    // No "Did you mean …" field suggestions in production either: they would map the schema.
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    validationRules: [depthLimit(config.maxDepth)],
    parseOptions: { maxTokens: config.maxTokens },
    // A JSON array of operations is refused (400): one request = one operation, one complexity budget.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [complexityLimit(config.maxComplexity), nulCharacterGuard()],
    formatError(formatted, error) {
      const original = unwrapResolverError(error);
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError)) {
        log('error', 'unhandled resolver error', { error: String(original), stack: (original as Error)?.stack });
        return { ...formatted, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
  await apollo.start();

  async function authenticate(header: string | undefined): Promise<string> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw unauthenticated('Missing API key: send "Authorization: Bearer <key>".');
    const workspaceId = await services.workspaces.authenticate(match[1]);
    if (!workspaceId) throw unauthenticated('Unknown or revoked API key.');
    return workspaceId;
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const started = process.hrtime.bigint();
    const raw = req.method === 'POST' ? await readBody(req, config.maxBodyBytes) : '';
    let body: unknown = raw;
    if (req.method === 'POST' && /application\/json/i.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const operation = (body as { operationName?: string })?.operationName ?? 'anonymous';
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://x').search, body },
      context: async () => ({
        workspaceId: await authenticate(req.headers.authorization),
        requestId,
        services,
        loaders: createLoaders(services),
      }),
    });
    res.statusCode = result.status ?? 200;
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.setHeader('x-request-id', requestId);
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.requests.inc({ operation, outcome: res.statusCode < 400 ? 'ok' : 'error' });
    metrics.latency.observe({ operation }, seconds);
    log('debug', 'graphql', { requestId, operation, status: res.statusCode, ms: Math.round(seconds * 1000) });
  }

  const server = createServer(async (req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/graphql') return await graphql(req, res, requestId);
      if (path === '/healthz' && req.method === 'GET') {
        await db.manager.query('SELECT 1');
        return sendJson(res, 200, { status: 'ok', database: db.dialect });
      }
      if (path === '/metrics' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        return res.end(await metrics.registry.metrics());
      }
      sendJson(res, 404, { error: `no route for ${req.method} ${path}; the API is POST /graphql` });
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) log('error', 'request failed', { requestId, path, error: String(e), stack: (e as Error).stack });
      if (!res.headersSent)
        sendJson(res, status, { errors: [{ message: status === 500 ? 'Internal server error' : (e as Error).message }] });
      else res.end();
    }
  });

  // Subscriptions (graphql-ws) share the port and path; the key travels in connectionParams.
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const wsServer = useServer<{ authorization?: string }, { workspaceId?: string }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.workspaceId = await authenticate(ctx.connectionParams?.authorization);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => ({ workspaceId: ctx.extra.workspaceId!, requestId: randomUUID(), services, loaders: createLoaders(services) }),
    },
    wss,
  );
  dispatcher.start();
  alertScheduler.start();
  retentionScheduler.start();

  return {
    server,
    services,
    metrics,
    dispatcher,
    alertScheduler,
    retentionScheduler,
    listen(port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${actual}`);
        });
      });
    },
    async close() {
      await alertScheduler.stop();
      await retentionScheduler.stop();
      await dispatcher.stop();
      await wsServer.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      // Evaluations still queued behind the last ingests finish before the database closes.
      await services.alertEvaluator.idle();
    },
  };
}
