/** A tiny GraphQL-over-HTTP client for tests: real fetch against the real server. */
export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: Record<string, any> }[] | undefined;
}

export async function gql<T = Record<string, any>>(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResponse<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: { data?: T; errors?: GqlResponse<T>['errors'] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON response ${res.status}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, data: body.data ?? null, errors: body.errors };
}

/** Like gql but fails the test on any error, returning data. */
export async function gqlOk<T = Record<string, any>>(
  url: string,
  key: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const r = await gql<T>(url, key, query, variables);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}
