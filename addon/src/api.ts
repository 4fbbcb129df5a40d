/**
 * The add-on's GraphQL client over UrlFetchApp (synchronous, like everything in Apps Script).
 * Errors come back as ApiError with the server's `extensions.code` so callers can show a short,
 * specific message (wrong key, unreachable server, bad input) instead of a stack trace.
 */
import type { Connection } from './settings';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
}

export interface GraphQLResponse<T> {
  data?: T;
  errors?: GraphQLErrorBody[];
}

export interface RequestStats {
  requests: number;
}
export const stats: RequestStats = { requests: 0 };

export function gql<T>(conn: Connection, query: string, variables: Record<string, unknown> = {}): T {
  return request<T>(conn, query, variables, () => false).data;
}

/**
 * Like gql, but errors whose path `accept` claims (a nullable field the server nulled, e.g. one
 * product's plan without a lead time) come back beside the data instead of failing the call.
 */
export function gqlPartial<T>(
  conn: Connection,
  query: string,
  variables: Record<string, unknown>,
  accept: (path: (string | number)[]) => boolean,
): { data: T; errors: GraphQLErrorBody[] } {
  return request<T>(conn, query, variables, accept);
}

function request<T>(
  conn: Connection,
  query: string,
  variables: Record<string, unknown>,
  accept: (path: (string | number)[]) => boolean,
): { data: T; errors: GraphQLErrorBody[] } {
  let res: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    stats.requests++;
    res = UrlFetchApp.fetch(conn.url, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify({ query, variables }),
      headers: { Authorization: `Bearer ${conn.apiKey}`, Accept: 'application/json' },
      muteHttpExceptions: true,
    });
  } catch (e) {
    throw new ApiError('NETWORK', `Cannot reach ${conn.url}: ${(e as Error).message}`);
  }
  const status = res.getResponseCode();
  const text = res.getContentText();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    if (status === 401 || status === 403) throw new ApiError('UNAUTHENTICATED', 'The API key was refused.');
    throw new ApiError('BAD_RESPONSE', `The server answered HTTP ${status} without GraphQL JSON (is ${conn.url} the /graphql endpoint?)`);
  }
  const errors = body.errors ?? [];
  const err = errors.find((e) => !(e.path && e.path.length > 0 && body.data && accept(e.path)));
  if (err) {
    const code = err.extensions?.code ?? (status === 401 ? 'UNAUTHENTICATED' : 'GRAPHQL_ERROR');
    if (code === 'UNAUTHENTICATED') throw new ApiError(code, 'The API key was refused.');
    throw new ApiError(code, err.message);
  }
  if (status >= 400 || body.data === undefined || body.data === null) {
    throw new ApiError(status === 401 ? 'UNAUTHENTICATED' : 'BAD_RESPONSE', `The server answered HTTP ${status} with no data.`);
  }
  return { data: body.data, errors };
}

export interface Page<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
}

/** The API's largest page: a connection's `first` above 500 is rejected (server/graphql/validate.ts MAX_PAGE). */
export const MAX_PAGE = 500;

/**
 * Walks a Relay connection to its end: `first` ≤ 500, then `after` the previous end cursor.
 * `field` names the connection in the query's data. A guard stops a server that never ends.
 */
export function paginate<N>(
  conn: Connection,
  query: string,
  field: string | ((data: Record<string, unknown>) => Page<N> | null | undefined),
  variables: Record<string, unknown> = {},
  opts: { pageSize?: number; maxPages?: number; partial?: boolean } = {},
): { nodes: N[]; totalCount: number; pages: number; rowErrors: Map<number, string> } {
  const name = typeof field === 'string' ? field : 'connection';
  const pick = typeof field === 'string' ? (d: Record<string, unknown>) => d[field] as Page<N> | undefined : field;
  const pageSize = Math.min(opts.pageSize ?? MAX_PAGE, MAX_PAGE);
  const maxPages = opts.maxPages ?? 400;
  const nodes: N[] = [];
  let after: string | null = null;
  let totalCount: number;
  let pages = 0;
  const rowErrors = new Map<number, string>();
  // A row's own nulled field (path: connection, "edges", i, "node", field…) stays that row's note.
  const rowPath = (p: (string | number)[]) =>
    opts.partial === true && typeof field === 'string' && p[0] === field && p[1] === 'edges' && typeof p[2] === 'number' && p.length > 4;
  for (;;) {
    const { data, errors } = gqlPartial<Record<string, unknown>>(conn, query, { ...variables, first: pageSize, after }, rowPath);
    const page = pick(data);
    if (!page) throw new ApiError('NOT_FOUND', `The answer has no ${name}.`);
    for (const e of errors) {
      const i = nodes.length + (e.path![2] as number);
      if (!rowErrors.has(i)) rowErrors.set(i, e.message);
    }
    pages++;
    totalCount = page.totalCount;
    for (const e of page.edges) nodes.push(e.node);
    if (!page.pageInfo.hasNextPage) break;
    if (!page.pageInfo.endCursor || page.pageInfo.endCursor === after)
      throw new ApiError('BAD_RESPONSE', `${name}: the server's cursor did not advance.`);
    if (pages >= maxPages) throw new ApiError('TOO_MANY_PAGES', `${name}: more than ${maxPages} pages; narrow the pull.`);
    after = page.pageInfo.endCursor;
  }
  return { nodes, totalCount, pages, rowErrors };
}
