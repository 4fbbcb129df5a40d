import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Db } from '../db/db';
import type { Context } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';
import { documentSizeError, maskError, operationError, validationRules, withInputField } from '../graphql/pipeline';
import { timeBudget } from '../graphql/limits';
import { buildAppSchema } from '../graphql/schema';
import { compose, type ComposeOptions, type Root } from '../root';
import { log } from './log';
import { serveWebSockets } from './websocket';

/** The running server: the composition root's services and workers, plus the HTTP listener. */
export interface App extends Root {
  server: Server;
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

/**
 * Apollo with the steps of the shared pipeline (graphql/pipeline.ts, also run by the WebSocket):
 * token limit, validation rules (depth; introspection off in production), complexity and NUL
 * guard before any resolver, error masking and, in production, no suggestions in any error.
 */
async function startApollo(schema: GraphQLSchema, config: Config): Promise<ApolloServer<Context>> {
  const apollo = new ApolloServer<Context>({
    schema,
    // Introspection is refused by validationRules in production (the same rule the socket runs).
    introspection: true,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    validationRules: validationRules(config),
    parseOptions: { maxTokens: config.maxTokens },
    // A JSON array of operations is refused (400): one request = one operation, one complexity budget.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [pipelinePlugin(config), timeBudget(config.timeBudgetMs)],
    formatError(formatted, error) {
      const original = unwrapResolverError(error);
      const internal = formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError);
      if (internal) log('error', 'unhandled resolver error', { error: String(original), stack: (original as Error)?.stack });
      return maskError(formatted, internal, config);
    },
  });
  await apollo.start();
  return apollo;
}

/** The pipeline's operation checks (complexity, NUL guard) and input paths on Apollo's hooks. */
function pipelinePlugin(config: Config): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const refused = operationError(schema, document, request.operationName, request.variables, config);
          if (refused) throw refused;
        },
        async willSendResponse({ response, document }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          response.body.singleResult = { ...result, errors: result.errors!.map((e) => withInputField(e, document)) };
        },
      };
    },
  };
}

/** The workspace an `Authorization: Bearer <key>` header belongs to; UNAUTHENTICATED otherwise. */
async function authenticate(root: Root, header: string | undefined): Promise<string> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw unauthenticated('Missing API key: send "Authorization: Bearer <key>".');
  const workspaceId = await root.services.workspaces.authenticate(match[1]);
  if (!workspaceId) throw unauthenticated('Unknown or revoked API key.');
  return workspaceId;
}

/** Parses a POST body as JSON when it says it is JSON (Apollo answers the rest). */
async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = req.method === 'POST' ? await readBody(req, maxBytes) : '';
  if (req.method !== 'POST' || !/application\/json/i.test(req.headers['content-type'] ?? '')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

/** POST/GET /graphql: one operation through Apollo, with metrics and a request id. */
async function handleGraphql(
  root: Root,
  apollo: ApolloServer<Context>,
  config: Config,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const started = process.hrtime.bigint();
  const body = await readRequestBody(req, config.maxBodyBytes);
  const search = new URL(req.url ?? '/', 'http://x').search;
  const query = req.method === 'POST' ? (body as { query?: unknown })?.query : new URLSearchParams(search).get('query');
  const tooBig = documentSizeError(query, config.maxDocumentBytes);
  if (tooBig) return sendJson(res, 400, { errors: [{ message: tooBig.message, extensions: { ...tooBig.extensions, http: undefined } }] });
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  const operation = (body as { operationName?: string })?.operationName ?? 'anonymous';
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
    context: async () => ({
      workspaceId: await authenticate(root, req.headers.authorization),
      requestId,
      loaders: root.createLoaders(),
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
  root.metrics.requests.inc({ operation, outcome: res.statusCode < 400 ? 'ok' : 'error' });
  root.metrics.latency.observe({ operation }, seconds);
  log('debug', 'graphql', { requestId, operation, status: res.statusCode, ms: Math.round(seconds * 1000) });
}

/**
 * Idle keep-alive sockets stay open this long. Node's default (5 s) is barely above the idle timeout
 * of common clients (undici's fetch: 4 s), so on a loaded machine a client could reuse a socket the
 * moment the server closed it (ECONNRESET on a request that never arrived); load balancers idle out
 * at 60 s. The client closes first, as it should.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The HTTP routes: /graphql, /healthz, /metrics; errors become JSON with a status. */
function createHttpServer(root: Root, apollo: ApolloServer<Context>, config: Config): Server {
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, async (req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/graphql') return await handleGraphql(root, apollo, config, req, res, requestId);
      if (path === '/healthz' && req.method === 'GET') {
        await root.db.manager.query('SELECT 1');
        return sendJson(res, 200, { status: 'ok', database: root.db.dialect });
      }
      if (path === '/metrics' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': root.metrics.registry.contentType });
        return res.end(await root.metrics.registry.metrics());
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
  // Headers must be allowed to take longer than the keep-alive wait (Node's requirement).
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}

/** The server around an open database: the composition root's services behind HTTP and WebSocket. */
export async function createApp(db: Db, config: Config, opts: ComposeOptions = {}): Promise<App> {
  const root = compose(db, {
    ...opts,
    retentionScheduler: { olderThanDays: config.snapshotRetentionDays, ...opts.retentionScheduler },
    webhookAllow: opts.webhookAllow ?? config.webhookAllow,
    workers: config.workers,
    keepa: opts.keepa ?? config.keepa,
    workerNice: config.workerNice,
  });
  const schema = buildAppSchema(root.resolvers);
  const apollo = await startApollo(schema, config);
  const server = createHttpServer(root, apollo, config);
  const wsServer = serveWebSockets(root, server, schema, config);
  root.dispatcher.start();
  root.alertScheduler.start();
  root.retentionScheduler.start();
  root.keepaScheduler.start();

  return {
    ...root,
    server,
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
      await root.alertScheduler.stop();
      await root.retentionScheduler.stop();
      await root.keepaScheduler.stop();
      await root.dispatcher.stop();
      await wsServer.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      // Evaluations still queued behind the last ingests finish before the database closes.
      await root.services.alertEvaluator.idle();
      await root.pool.close();
    },
  };
}
