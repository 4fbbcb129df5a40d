import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
  visit,
} from 'graphql';
import type { Context } from './context';
import { MAX_PAGE } from './validate';

const tooBig = (message: string, extra: Record<string, unknown>) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 }, ...extra } });

/** Rejects operations nested deeper than `max` levels (introspection fields excluded). */
export function depthLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const depth = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, sel.selectionSet ? 1 + depth(sel.selectionSet, seen) : 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depth(sel.selectionSet, seen));
        } else {
          const name = sel.name.value;
          if (seen.has(name)) continue; // cycles are reported by graphql's own NoFragmentCycles rule
          deepest = Math.max(deepest, depth(fragments.get(name)?.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const d = depth(node.selectionSet, new Set());
        if (d > max) context.reportError(tooBig(`Query depth ${d} exceeds the limit of ${max}.`, { limit: max, actual: d }));
      },
    };
  };
}

/**
 * Extra cost of fields that compute much more than they return (models, simulations). Aliases
 * are priced one by one, so 1,000 aliases of one of these exceed the default limit of 100,000
 * while the add-on's 2,000 aliased lookups and 1,000 aliased plans stay well inside it.
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'Query.compareSuppliers': 200, // seeded Monte Carlo over lead-time outcomes
  'Query.profitabilityScenario': 100,
  'Query.skuPriorityMatrix': 500, // one demand model per product
  'Query.forecastAccuracy': 100,
  // A forecast fits and backtests several models (35–100 ms): about 100 per request fit the limit.
  'Competitor.forecast': 1000,
  'Product.forecast': 1000,
  'Product.forecastVsActual': 100,
};

/**
 * Estimated cost of an operation: every field costs 1 (plus its FIELD_WEIGHTS entry), and a
 * connection field costs its page size (`first`, default 50) times its children. Only `first` is
 * read from the variables, so a 10,000-item ingest batch is not coerced a second time just to
 * price the query.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): number {
  const op = getOperationAST(document, operationName);
  const root = op && schema.getRootType(op.operation);
  if (!op || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const pageSize = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    const v = !arg
      ? undefined
      : arg.value.kind === Kind.VARIABLE
        ? variables[arg.value.name.value]
        : arg.value.kind === Kind.INT
          ? Number(arg.value.value)
          : undefined;
    // Past 500 the resolver refuses the page naming `first`: a clearer answer than a complexity figure.
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.min(v, MAX_PAGE) : 50;
  };
  const cost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, seen: Set<string>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[sel.name.value] : undefined;
        const type = def ? getNamedType(def.type) : undefined;
        const children = sel.selectionSet ? cost(sel.selectionSet, type, seen) : 0;
        const own = 1 + (parent ? (FIELD_WEIGHTS[`${parent.name}.${sel.name.value}`] ?? 0) : 0);
        total += type?.name.endsWith('Connection') ? own + pageSize(sel) * Math.max(1, children) : own + children;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += cost(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        if (frag && !seen.has(frag.name.value)) {
          total += cost(frag.selectionSet, schema.getType(frag.typeCondition.name.value), new Set([...seen, frag.name.value]));
        }
      }
    }
    return total;
  };
  return cost(op.selectionSet, root, new Set());
}

/** Rejects operations whose estimated cost exceeds `max` before any resolver runs. */
export function complexityLimit(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = operationCost(schema, document, request.operationName, request.variables);
          if (cost > max) {
            throw tooBig(`Query complexity ${cost} exceeds the limit of ${max}: ask for smaller pages or fewer fields.`, {
              limit: max,
              actual: cost,
            });
          }
        },
      };
    },
  };
}

/**
 * Refuses U+0000 anywhere in the operation's strings (variables and literals). PostgreSQL cannot
 * store it in text and fails the whole statement, which would surface as an internal error; SQLite
 * would store it silently. Refusing it up front gives one clear answer on both databases.
 */
export function nulCharacterGuard(): ApolloServerPlugin {
  // The path of the first string holding U+0000, or null. Walked for every request, including
  // 10,000-item ingest batches, so the path text is only built for a hit (innermost key first).
  const hit = (v: unknown): (string | number)[] | null => {
    if (typeof v === 'string') return v.includes('\u0000') ? [] : null;
    if (v === null || typeof v !== 'object') return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const h = hit(v[i]);
        if (h) return (h.push(i), h);
      }
      return null;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const h = hit((v as Record<string, unknown>)[k]);
      if (h) return (h.push(k), h);
    }
    return null;
  };
  const find = (v: unknown): string | null => {
    const h = hit(v);
    if (!h) return null;
    let path = '';
    for (let j = h.length - 1; j >= 0; j--) {
      const k = h[j];
      path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    }
    return path;
  };
  const refuse = (field: string) =>
    new GraphQLError(`${field}: must not contain the NUL character (U+0000)`, {
      extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
    });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const inVariables = find(request.variables ?? {});
          if (inVariables !== null) throw refuse(inVariables);
          let literal: string | null = null;
          visit(document, {
            Argument(node) {
              if (!literal && find(literalStrings(node.value)) !== null) literal = node.name.value;
            },
          });
          if (literal !== null) throw refuse(literal);
        },
      };
    },
  };
}

/** The string literals inside an argument value (objects and lists walked). */
function literalStrings(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.LIST) return node.values.map(literalStrings);
  if (node.kind === Kind.OBJECT) return Object.fromEntries(node.fields.map((f) => [f.name.value, literalStrings(f.value)]));
  return null;
}

/** The error of a request past its time budget (`budgetMs`, RESTOCK_RADAR_TIME_BUDGET_MS). */
export function timeBudgetExceeded(budgetMs: number): GraphQLError {
  return new GraphQLError(
    `The request exceeded its time budget of ${budgetMs} ms and was stopped: ask for fewer forecasts, simulations or competitors per request.`,
    { extensions: { code: 'TIME_BUDGET_EXCEEDED', budgetMs } },
  );
}

/**
 * A per-request time budget (docs/operations.md, "Worker pool and time budget"). The clock starts
 * when the request does; at `budgetMs` the request's RequestBudget aborts, which drops its work
 * still queued in the worker pool (work already running there is ignored), fields that would start
 * after the deadline are refused, and the response becomes one TIME_BUDGET_EXCEEDED error with no
 * data: a partial answer of some forecasts and not others would read as complete. 0 = no budget.
 */
export function timeBudget(budgetMs: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const budget = contextValue.loaders.budget;
      budget.start(budgetMs, () => timeBudgetExceeded(budgetMs));
      return {
        async executionDidStart() {
          return {
            willResolveField() {
              if (budget.exceeded) throw budget.signal.reason;
            },
          };
        },
        async willSendResponse({ response }) {
          budget.stop();
          if (!budget.exceeded || response.body.kind !== 'single') return;
          const error = timeBudgetExceeded(budgetMs);
          response.body.singleResult.data = null;
          response.body.singleResult.errors = [{ message: error.message, extensions: error.extensions }];
        },
      };
    },
  };
}
