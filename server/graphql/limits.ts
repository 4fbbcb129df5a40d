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
  valueFromASTUntyped,
  visit,
} from 'graphql';
import { variableArgumentPath } from './input-path';
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
 * Extra cost of fields that compute much more than they return, in points of 0.1 ms of server CPU
 * (bench/field-costs.ts on the demo data; the table is in docs/performance.md, "Field costs"), so
 * the default limit of 100,000 is about the default 10 s time budget of work on one thread. Every
 * field also costs 1, and aliases are priced one by one: 1,000 aliases of a forecast or supplier
 * comparison are refused, while the add-on's 2,000 aliased lookups and 1,000 aliased plans fit.
 * Competitor intelligence fields (velocity, deals, …) are not weighted here: their cost is the
 * history read that the fields of one competitor share, which the facts kept at ingest replace.
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'Query.compareSuppliers': 380, // 37.7 ms at the defaults (500 runs × 365 days × 2 suppliers); scaled by simulationWork
  'Query.profitabilityScenario': 40, // 3.8 ms: one inventory simulation per candidate quantity
  'Query.skuPriorityMatrix': 800, // 0.16 ms per product, priced at the default first: 500
  'Query.forecastAccuracy': 2, // 0.2 ms
  'Competitor.forecast': 190, // 19.4 ms: model fits and backtests
  'Competitor.forecastUnavailable': 190, // computes the forecast when asked without it (shared when both are asked)
  'Competitor.dealComparison': 340, // 33.9 ms
  'Product.forecast': 210, // 21.1 ms
  'Product.forecastUnavailable': 210, // as Product.forecast
  'Product.forecastVsActual': 1, // < 0.1 ms: stored runs against stored sales
  'Product.replenishmentPlan': 16, // 1.6 ms with the moving average (FORECAST: ARGUMENT_WEIGHTS)
};

/**
 * Extra weight of a field when one argument has one value, on top of FIELD_WEIGHTS: a plan with
 * demandSource FORECAST fits a forecast per product (measured like FIELD_WEIGHTS).
 */
export const ARGUMENT_WEIGHTS: Readonly<Record<string, { argument: string; value: string; weight: number }>> = {
  'Product.replenishmentPlan': { argument: 'demandSource', value: 'FORECAST', weight: 160 }, // 17.5 ms in all
};

/** Supplier-days a comparison simulates at its defaults (runs 500 × horizonDays 365 × 2 suppliers). */
const DEFAULT_SIMULATION_WORK = 500 * 365 * 2;

/**
 * A supplier comparison's cost grows with runs × horizonDays × suppliers (up to 13.7× the defaults
 * under MAX_SIMULATION_WORK): its weight is scaled by that work over the defaults' work, read from
 * the literal input or its variable (a value that is not a number counts as its default).
 */
export function simulationWork(field: FieldNode, variables: Record<string, unknown>): number {
  const arg = field.arguments?.find((a) => a.name.value === 'input');
  let input: Record<string, unknown> = {};
  if (arg?.value.kind === Kind.VARIABLE) input = (variables[arg.value.name.value] as Record<string, unknown>) ?? {};
  else if (arg?.value.kind === Kind.OBJECT) input = valueFromASTUntyped(arg.value, variables) as Record<string, unknown>;
  const num = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : typeof v === 'string' && Number(v) > 0 ? Number(v) : d);
  const suppliers = Array.isArray(input.suppliers) ? Math.max(2, input.suppliers.length) : 2;
  return (num(input.runs, 500) * num(input.horizonDays, 365) * suppliers) / DEFAULT_SIMULATION_WORK;
}

/** A field's extra weight: its FIELD_WEIGHTS entry plus its ARGUMENT_WEIGHTS entry when the argument matches. */
export function fieldWeight(key: string, field: FieldNode, variables: Record<string, unknown>): number {
  const base =
    key === 'Query.compareSuppliers' ? Math.round(FIELD_WEIGHTS[key] * simulationWork(field, variables)) : (FIELD_WEIGHTS[key] ?? 0);
  const byArg = ARGUMENT_WEIGHTS[key];
  if (!byArg) return base;
  const arg = field.arguments?.find((a) => a.name.value === byArg.argument);
  const value = !arg
    ? undefined
    : arg.value.kind === Kind.VARIABLE
      ? variables[arg.value.name.value]
      : arg.value.kind === Kind.ENUM || arg.value.kind === Kind.STRING
        ? arg.value.value
        : undefined;
  return value === byArg.value ? base + byArg.weight : base;
}

/**
 * Estimated cost of an operation: every field costs 1 (plus its FIELD_WEIGHTS entry), and a
 * connection field costs its page size (`first` or `last`, default 50) times its children. Only the
 * page size is read from the variables, so a 10,000-item ingest batch is not coerced a second time just to
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
    const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
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
  // `nodes(ids)` refetches one object per id: priced like a page of that many (at most 100).
  const idCount = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'ids');
    const v = !arg
      ? undefined
      : arg.value.kind === Kind.VARIABLE
        ? variables[arg.value.name.value]
        : valueFromASTUntyped(arg.value, variables);
    return Array.isArray(v) ? Math.min(Math.max(v.length, 1), 100) : typeof v === 'string' ? 1 : 100;
  };
  const cost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, seen: Set<string>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[sel.name.value] : undefined;
        const type = def ? getNamedType(def.type) : undefined;
        const children = sel.selectionSet ? cost(sel.selectionSet, type, seen) : 0;
        const own = 1 + (parent ? fieldWeight(`${parent.name}.${sel.name.value}`, sel, variables) : 0);
        const many = type?.name.endsWith('Connection') ? pageSize(sel) : parent === root && sel.name.value === 'nodes' ? idCount(sel) : 0;
        total += many ? own + many * Math.max(1, children) : own + children;
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

/** The error for an operation whose estimated cost exceeds `max`, or null when it fits. */
export function complexityError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  max: number,
): GraphQLError | null {
  const cost = operationCost(schema, document, operationName, variables);
  if (cost <= max) return null;
  return tooBig(`Query complexity ${cost} exceeds the limit of ${max}: ask for smaller pages or fewer fields.`, {
    limit: max,
    actual: cost,
  });
}

/** Rejects operations whose estimated cost exceeds `max` before any resolver runs. */
export function complexityLimit(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const e = complexityError(schema, document, request.operationName, request.variables ?? {}, max);
          if (e) throw e;
        },
      };
    },
  };
}

/**
 * The path of the first string holding U+0000, or null. Walked for every request, including
 * 10,000-item ingest batches, so the path text is only built for a hit (innermost key first).
 */
function nulHit(v: unknown): (string | number)[] | null {
  if (typeof v === 'string') return v.includes('\u0000') ? [] : null;
  if (v === null || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const h = nulHit(v[i]);
      if (h) return (h.push(i), h);
    }
    return null;
  }
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const h = nulHit((v as Record<string, unknown>)[k]);
    if (h) return (h.push(k), h);
  }
  return null;
}

/** `[key, 3]` (innermost first) appended to `head`: `head[3].key`. */
function nulPath(head: string, h: (string | number)[]): string {
  let path = head;
  for (let j = h.length - 1; j >= 0; j--) {
    const k = h[j];
    path = typeof k === 'number' ? `${path}[${k}]` : `${path}.${k}`;
  }
  return path;
}

/**
 * Refuses U+0000 anywhere in the operation's strings (variables and literals). PostgreSQL cannot
 * store it in text and fails the whole statement, which would surface as an internal error; SQLite
 * would store it silently. Refusing it up front gives one clear answer on both databases. The
 * error names the input path as a resolver would (`input.title`), whether the string came as a
 * variable or a literal.
 */
export function nulCharacterError(variables: Record<string, unknown>, document: DocumentNode): GraphQLError | null {
  const refuse = (field: string) =>
    new GraphQLError(`${field}: must not contain the NUL character (U+0000)`, {
      extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
    });
  const inVariables = nulHit(variables);
  if (inVariables?.length) {
    const name = String(inVariables.pop());
    return refuse(nulPath(variableArgumentPath(name, document) ?? name, inVariables));
  }
  let literal: string | null = null;
  visit(document, {
    Argument(node) {
      if (literal) return;
      const h = nulHit(literalStrings(node.value));
      if (h) literal = nulPath(node.name.value, h);
    },
  });
  return literal === null ? null : refuse(literal);
}

/** The NUL guard as an Apollo plugin (nulCharacterError after the operation is resolved). */
export function nulCharacterGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const e = nulCharacterError(request.variables ?? {}, document);
          if (e) throw e;
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
