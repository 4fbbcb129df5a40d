import {
  type DocumentNode,
  Kind,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import { coercionField } from './input-path';
import { complexityError, depthLimit, nulCharacterError } from './limits';

/**
 * The one validation and execution pipeline of both transports (HTTP through Apollo, WebSocket
 * through graphql-ws). Each step is a function used by both, so the two cannot drift apart:
 *
 * 1. `documentSizeError`: the document's size in bytes (comments included) before parsing;
 * 2. `parseDocument`: the parser's token limit;
 * 3. `validationRules`: graphql's rules, the depth limit and, in production, no introspection;
 * 4. `operationError`: the complexity budget and the NUL guard, before any resolver runs;
 * 5. `clientError`: what a client sees of an error (internal errors masked, no "Did you mean"
 *    suggestions in production, `extensions.field` on every BAD_USER_INPUT).
 */
export interface PipelineConfig {
  production: boolean;
  maxDepth: number;
  maxTokens: number;
  maxDocumentBytes: number;
  maxComplexity: number;
}

const refused = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 }, ...extra } });

/**
 * Step 1. A document over `max` bytes (UTF-8) is refused before it is parsed: the token limit
 * does not count comments, so without this a 15 MB document of comments would be lexed whole.
 */
export function documentSizeError(query: unknown, max: number): GraphQLError | null {
  if (typeof query !== 'string') return null;
  // Each UTF-16 unit is at most 3 UTF-8 bytes: the exact count is only needed near the limit.
  if (query.length * 3 <= max) return null;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes <= max) return null;
  return refused(`Document of ${bytes} bytes exceeds the limit of ${max} bytes.`, 'GRAPHQL_PARSE_FAILED', { limit: max, actual: bytes });
}

/** Step 2. Parses with the token limit; a syntax error comes back as the error to send. */
export function parseDocument(query: unknown, cfg: PipelineConfig): DocumentNode | GraphQLError {
  if (typeof query !== 'string' || query === '') return refused('The request has no query document.', 'BAD_REQUEST');
  const tooBig = documentSizeError(query, cfg.maxDocumentBytes);
  if (tooBig) return tooBig;
  try {
    return parse(query, { maxTokens: cfg.maxTokens });
  } catch (e) {
    const err = e as GraphQLError;
    return new GraphQLError(err.message, {
      nodes: err.nodes,
      source: err.source,
      positions: err.positions,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  }
}

/**
 * Step 3. The validation rules beyond graphql's own: the depth limit and, in production, no
 * introspection (`__schema`, `__type`), so the schema is not mapped by strangers.
 */
export function validationRules(cfg: PipelineConfig): ValidationRule[] {
  return [depthLimit(cfg.maxDepth), ...(cfg.production ? [NoSchemaIntrospectionCustomRule] : [])];
}

/** Step 3 for transports that validate themselves (the WebSocket): graphql's rules plus ours. */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode, cfg: PipelineConfig): readonly GraphQLError[] {
  return validate(schema, document, [...specifiedRules, ...validationRules(cfg)]).map(
    (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } }),
  );
}

/** Step 4. The complexity budget, then the NUL guard; null when the operation may run. */
export function operationError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  cfg: PipelineConfig,
): GraphQLError | null {
  return (
    complexityError(schema, document, operationName, variables ?? {}, cfg.maxComplexity) ?? nulCharacterError(variables ?? {}, document)
  );
}

/** graphql-js's "Did you mean …?" hint, which would map the schema for a stranger. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * Step 5a. What the client sees of an error's text, on either transport: an internal error (one
 * that is not a GraphQLError of ours; the caller logs it) is masked as "Internal server error", and
 * in production no message carries a "Did you mean" suggestion (validation, variable coercion and
 * enum parsing alike).
 */
export function maskError(
  formatted: GraphQLFormattedError,
  internal: boolean,
  cfg: Pick<PipelineConfig, 'production'>,
): GraphQLFormattedError {
  if (internal) return { ...formatted, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  if (!cfg.production) return formatted;
  const message = withoutSuggestions(formatted.message);
  return message === formatted.message ? formatted : { ...formatted, message };
}

/**
 * Step 5b. A BAD_USER_INPUT without `extensions.field` (graphql-js's variable coercion) gets the
 * input path its message names, as the argument it was passed as (`input[3].stock`), so bad input
 * has one shape whichever layer found it.
 */
export function withInputField(formatted: GraphQLFormattedError, document: DocumentNode | null | undefined): GraphQLFormattedError {
  const ext = formatted.extensions;
  if (ext?.code !== 'BAD_USER_INPUT' || typeof ext.field === 'string') return formatted;
  const field = coercionField(formatted.message, document);
  return field ? { ...formatted, extensions: { ...ext, field } } : formatted;
}

/**
 * Step 5 for transports without Apollo (the WebSocket): the codes Apollo gives (BAD_USER_INPUT for
 * a variable that does not coerce, INTERNAL_SERVER_ERROR for anything without a code), then
 * maskError and withInputField. `internal` is reported so the caller can log it.
 */
export function formatError(
  e: GraphQLError,
  cfg: Pick<PipelineConfig, 'production'>,
  document: DocumentNode | null | undefined,
): { formatted: GraphQLFormattedError; internal: boolean } {
  const coercion = e.nodes?.length === 1 && e.nodes[0].kind === Kind.VARIABLE_DEFINITION;
  const { http: _http, ...extensions } = (e.extensions ?? {}) as Record<string, unknown>;
  const code = extensions.code ?? (coercion ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
  const original = e.path && e.originalError ? e.originalError : e;
  const internal = code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError);
  const json = { ...e.toJSON(), extensions: { ...extensions, code } };
  return { formatted: withInputField(maskError(json, internal, cfg), document), internal };
}
