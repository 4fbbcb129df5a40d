import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';

// The package's ESM build imports graphql/index.mjs, a second copy of graphql beside the CJS one
// type-graphql uses ("Cannot use GraphQLSchema from another module or realm"); its CJS build
// shares ours, so load that one.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof QueryComplexity;
type ComplexityEstimator = QueryComplexity.ComplexityEstimator;

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

/** A connection field costs its page size times its children: `first` multiplies. */
const pageEstimator: ComplexityEstimator = ({ args, field, childComplexity }) => {
  if (!getNamedType(field.type).name.endsWith('Connection')) return undefined;
  const first = typeof args.first === 'number' ? args.first : 50;
  return 1 + first * Math.max(1, childComplexity);
};

/** Rejects operations whose estimated cost exceeds `max` before any resolver runs. */
export function complexityLimit(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not coerce: execution reports them precisely (BAD_USER_INPUT, 400).
            return;
          }
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
