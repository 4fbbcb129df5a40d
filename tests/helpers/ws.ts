/**
 * GraphQL over WebSocket for tests: the `graphql-ws` client against the real server, answering in
 * the shape of gql() (helpers/gql.ts) so a suite can run the same cases over both transports.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, type GqlResponse } from './gql';

/**
 * A WebSocket whose outgoing text has `"__raw:…__"` strings replaced by their raw text, so a test
 * can send what JSON.stringify cannot write (e.g. `1e309`, which parses as Infinity on the server).
 */
class RawTextSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    const text = typeof data === 'string' ? data.replace(/"__raw:([^"]*)__"/g, '$1') : data;
    (super.send as (...a: unknown[]) => void)(text, ...rest);
  }
}

export interface WsSession {
  /** One operation; `errors` holds an `error` message's errors or the result's. */
  request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  client: Client;
  close(): Promise<void>;
}

/** A graphql-ws connection authenticated with `key` (connectionParams.authorization). */
export function wsSession(url: string, key: string | null, opts: { retryAttempts?: number } = {}): WsSession {
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: RawTextSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: opts.retryAttempts ?? 0,
    lazy: true,
  });
  return {
    client,
    request<T>(query: string, variables?: Record<string, unknown>) {
      return new Promise<GqlResponse<T>>((resolve, reject) => {
        let result: GqlResponse<T> = { status: 200, data: null, errors: undefined };
        client.subscribe<T>(
          { query, variables },
          {
            next: (v) => (result = { status: 200, data: (v.data ?? null) as T | null, errors: v.errors as GqlResponse<T>['errors'] }),
            error: (e) => {
              if (Array.isArray(e)) resolve({ status: 400, data: null, errors: e });
              else
                reject(
                  e instanceof Error
                    ? e
                    : new Error(
                        `socket closed: ${JSON.stringify({ code: (e as { code?: number }).code, reason: (e as { reason?: string }).reason })}`,
                      ),
                );
            },
            complete: () => resolve(result),
          },
        );
      });
    },
    close: () => client.dispose() as Promise<void>,
  };
}

export type TransportName = 'http' | 'ws';
export const TRANSPORTS: TransportName[] = ['http', 'ws'];

/**
 * gql() over the named transport. Over WebSocket one session per key is kept until `closeAll`;
 * an `error` message (refused before execution) is reported as status 400, a result as 200.
 */
export function transport(name: TransportName) {
  const sessions = new Map<string, WsSession>();
  return {
    name,
    gql<T = Record<string, any>>(
      url: string,
      key: string | null,
      query: string,
      variables?: Record<string, unknown>,
    ): Promise<GqlResponse<T>> {
      if (name === 'http') return gql<T>(url, key, query, variables);
      const id = `${url} ${key}`;
      let s = sessions.get(id);
      if (!s) sessions.set(id, (s = wsSession(url, key)));
      return s.request<T>(query, variables);
    },
    async gqlOk<T = Record<string, any>>(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
      const r = await this.gql<T>(url, key, query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    async closeAll() {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      sessions.clear();
    },
  };
}
export type Transport = ReturnType<typeof transport>;
