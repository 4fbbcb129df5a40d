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

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export interface RequestStats {
  requests: number;
}
export const stats: RequestStats = { requests: 0 };

export function gql<T>(conn: Connection, query: string, variables: Record<string, unknown> = {}): T {
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
  const err = body.errors?.[0];
  if (err) {
    const code = err.extensions?.code ?? (status === 401 ? 'UNAUTHENTICATED' : 'GRAPHQL_ERROR');
    if (code === 'UNAUTHENTICATED') throw new ApiError(code, 'The API key was refused.');
    throw new ApiError(code, err.message);
  }
  if (status >= 400 || body.data === undefined || body.data === null) {
    throw new ApiError(status === 401 ? 'UNAUTHENTICATED' : 'BAD_RESPONSE', `The server answered HTTP ${status} with no data.`);
  }
  return body.data;
}

export interface Page<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
}

/** The API's page size limit (DESIGN §6). */
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
  opts: { pageSize?: number; maxPages?: number } = {},
): { nodes: N[]; totalCount: number; pages: number } {
  const name = typeof field === 'string' ? field : 'connection';
  const pick = typeof field === 'string' ? (d: Record<string, unknown>) => d[field] as Page<N> | undefined : field;
  const pageSize = Math.min(opts.pageSize ?? MAX_PAGE, MAX_PAGE);
  const maxPages = opts.maxPages ?? 400;
  const nodes: N[] = [];
  let after: string | null = null;
  let totalCount = 0;
  let pages = 0;
  for (;;) {
    const data = gql<Record<string, unknown>>(conn, query, { ...variables, first: pageSize, after });
    const page = pick(data);
    if (!page) throw new ApiError('NOT_FOUND', `The answer has no ${name}.`);
    pages++;
    totalCount = page.totalCount;
    for (const e of page.edges) nodes.push(e.node);
    if (!page.pageInfo.hasNextPage) break;
    if (!page.pageInfo.endCursor || page.pageInfo.endCursor === after) throw new ApiError('BAD_RESPONSE', `${name}: the server's cursor did not advance.`);
    if (pages >= maxPages) throw new ApiError('TOO_MANY_PAGES', `${name}: more than ${maxPages} pages; narrow the pull.`);
    after = page.pageInfo.endCursor;
  }
  return { nodes, totalCount, pages };
}
