import { GraphQLError } from 'graphql';

/**
 * Error codes integrators can switch on (listed in docs/api.md). FORBIDDEN is reserved: a foreign
 * row is reported exactly like a missing one (NOT_FOUND or null), so no resolver raises it.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

const STATUS: Record<ErrorCode, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * Invalid input. `field` is a path into the arguments ("input[3].capturedAt") so a client can point
 * at the offending value; nothing has been written when this is thrown.
 */
export function badInput(field: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field, ...extra } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: STATUS.UNAUTHENTICATED } } });
}
