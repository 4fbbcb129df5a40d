import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type ExecutionArgs, getOperationAST, GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config';
import type { Context } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';
import { timeBudgetExceeded } from '../graphql/limits';
import { formatError, operationError, parseDocument, validateDocument } from '../graphql/pipeline';
import type { Root } from '../root';
import { log } from './log';

/** Close code for a connection whose API key was revoked while it was open (graphql-ws's Forbidden). */
export const CLOSE_KEY_REVOKED = CloseCode.Forbidden;

interface Connection {
  key: string;
  socket: WebSocket;
}

/** Per-connection state graphql-ws keeps in `ctx.extra` beside the socket. */
type SocketExtra = {
  connection?: Connection;
  workspaceId?: string;
};

const keyOf = (header: unknown): string | null => /^Bearer\s+(\S+)$/i.exec(typeof header === 'string' ? header : '')?.[1] ?? null;

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's port and path. Every operation type is
 * served, each through the same pipeline as HTTP (graphql/pipeline.ts: document size, tokens,
 * validation with the depth limit and production switches, complexity, NUL guard, error
 * masking), plus per-connection limits: operations open at once, message size, the time allowed
 * before connection_init, and a key check at every operation and every `wsReauthMs` that closes
 * the sockets of a revoked key.
 */
export function serveWebSockets(root: Root, server: Server, schema: GraphQLSchema, config: Config) {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: config.wsMaxMessageBytes });
  const open = new Set<Connection>();
  const revoked = (c: Connection) => c.socket.close(CLOSE_KEY_REVOKED, 'Forbidden: the API key was revoked');
  const handle = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema,
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        const key = keyOf(ctx.connectionParams?.authorization);
        const workspaceId = key ? await root.services.workspaces.authenticate(key) : null;
        if (!key || !workspaceId) return false;
        ctx.extra.workspaceId = workspaceId;
        ctx.extra.connection = { key, socket: ctx.extra.socket };
        open.add(ctx.extra.connection);
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.connection) open.delete(ctx.extra.connection);
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        if (Object.keys(ctx.subscriptions).length > config.wsMaxOperations) {
          return [
            new GraphQLError(`At most ${config.wsMaxOperations} operations may be open on one connection.`, {
              extensions: { code: 'TOO_MANY_OPERATIONS', limit: config.wsMaxOperations },
            }),
          ];
        }
        const connection = ctx.extra.connection!;
        if (!(await root.services.workspaces.authenticate(connection.key))) {
          // The error goes out first, then the socket closes.
          setImmediate(() => revoked(connection));
          return [unauthenticated('Unknown or revoked API key.')];
        }
        const document = parseDocument(payload.query, config);
        if (document instanceof GraphQLError) return [document];
        const invalid = validateDocument(schema, document, config);
        if (invalid.length) return invalid;
        const refused = operationError(schema, document, payload.operationName, payload.variables, config);
        if (refused) return [refused];
        const contextValue: Context = { workspaceId: ctx.extra.workspaceId!, requestId: randomUUID(), loaders: root.createLoaders() };
        // Queries and mutations get the HTTP path's time budget (pool work past it is dropped and its
        // fields fail with TIME_BUDGET_EXCEEDED); a subscription lives as long as its client wants.
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription')
          contextValue.loaders.budget.start(config.timeBudgetMs, () => timeBudgetExceeded(config.timeBudgetMs));
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map((e) => clientFacing(e, config, args.document)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => clientFacing(e, config, null)),
    },
    wss,
  );
  const recheck = setInterval(async () => {
    try {
      for (const c of open) if (!(await root.services.workspaces.authenticate(c.key))) revoked(c);
    } catch (e) {
      log('warn', 'websocket key check failed', { error: String(e) });
    }
  }, config.wsReauthMs);
  recheck.unref();
  return {
    async dispose() {
      clearInterval(recheck);
      await handle.dispose();
    },
  };
}

function clientFacing(e: GraphQLError, config: Config, document: ExecutionArgs['document'] | null) {
  const { formatted, internal } = formatError(e, config, document);
  if (internal) log('error', 'unhandled resolver error', { error: String(e.originalError ?? e), stack: (e.originalError ?? e).stack });
  return formatted;
}
