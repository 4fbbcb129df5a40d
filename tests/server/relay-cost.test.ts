/**
 * The complexity limit prices backward pages and node refetches like what they fetch: a connection
 * at `last` as at `first`, `nodes(ids)` at the number of ids (server/graphql/limits.ts).
 */
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { expect, it } from 'vitest';
import { operationCost } from '../../server/graphql/limits';

const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
const cost = (q: string, variables?: Record<string, unknown>) => operationCost(schema, parse(q), undefined, variables);

it('prices a backward page at its size, like a forward one', () => {
  const page = (args: string) => cost(`{ competitors(${args}) { edges { node { asin title } } } }`);
  expect(page('last: 500')).toBe(page('first: 500'));
  expect(page('last: 10')).toBe(page('first: 10'));
  expect(page('last: 500')).toBeGreaterThan(page('last: 10'));
  expect(cost(`query($n: Int) { competitors(last: $n) { edges { node { asin } } } }`, { n: 400 })).toBe(page('first: 400') - 400);
});

it('prices nodes(ids) at the number of ids (a variable, a literal list or the 100 most)', () => {
  const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Competitor { asin title } } }`;
  const one = cost(q, { ids: ['a'] });
  const hundred = cost(q, { ids: Array.from({ length: 100 }, (_, i) => `${i}`) });
  expect(hundred - 1).toBe(100 * (one - 1));
  expect(cost(`{ nodes(ids: ["a", "b", "c"]) { id } }`)).toBe(1 + 3 * 1);
  expect(cost(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`)).toBe(1 + 100); // unknown: priced at the most
  expect(cost(`{ node(id: "a") { id ... on Product { sku } } }`)).toBe(1 + 1 + 1);
});
