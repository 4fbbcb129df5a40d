/**
 * In-memory Relay paging (arrayPage, used by Competitor.deals): every way of walking a sorted list
 * with ties gives the list back in order, with PageInfo flags that match where the page sits.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { arrayPage, isNumber, isText, type Page } from '../../server/graphql/connection';

interface Row {
  at: number;
  type: string;
}
/** Newest first, ties by type (the order of Competitor.deals). */
const sorted = (rows: Row[]) => [...rows].sort((a, b) => b.at - a.at || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
const compare = ([at, type]: unknown[], r: Row) => r.at - (at as number) || (type === r.type ? 0 : (type as string) < r.type ? -1 : 1);
const page = (all: Row[], args: Record<string, unknown>): Page<Row> =>
  arrayPage(
    'deals',
    args,
    all,
    (r) => [r.at, r.type],
    [isNumber, isText],
    compare,
    (r) => r,
  );
const flag = async (v: boolean | Promise<boolean>) => v;

const rowsArb = fc
  .uniqueArray(fc.record({ at: fc.constantFrom(0, 1.5, 2, 2.25, 3, 5), type: fc.constantFrom('A', 'B', 'C') }), {
    selector: (r) => `${r.at}|${r.type}`,
    maxLength: 15,
  })
  .map(sorted);

it('walks forward and backward to the whole list, flags agreeing with the position', async () => {
  await fc.assert(
    fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 4 }), async (all, size) => {
      let after: string | null = null;
      const forward: Row[] = [];
      for (;;) {
        const p = page(all, { first: size, after });
        expect(await flag(p.pageInfo.hasPreviousPage)).toBe(forward.length > 0 && all.length > 0);
        forward.push(...p.edges.map((e) => e.node));
        expect(await flag(p.pageInfo.hasNextPage)).toBe(forward.length < all.length);
        expect(await p.totalCount).toBe(all.length);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forward).toEqual(all);
      let before: string | null = null;
      let backward: Row[] = [];
      for (;;) {
        const p = page(all, { last: size, before });
        expect(await flag(p.pageInfo.hasNextPage)).toBe(backward.length > 0 && all.length > 0);
        backward = [...p.edges.map((e) => e.node), ...backward];
        expect(await flag(p.pageInfo.hasPreviousPage)).toBe(backward.length < all.length);
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(all);
    }),
  );
});

it('refuses cursors of another list and mixed directions, naming the argument', () => {
  const all = sorted([
    { at: 2, type: 'A' },
    { at: 1, type: 'B' },
  ]);
  const cursor = page(all, { first: 1 }).pageInfo.endCursor!;
  const foreign = arrayPage(
    'restocks',
    { first: 1 },
    all,
    (r) => [r.at, r.type],
    [isNumber, isText],
    compare,
    (r) => r,
  ).pageInfo.endCursor;
  const field = (args: Record<string, unknown>) => {
    try {
      page(all, args);
      return null;
    } catch (e) {
      return (e as { extensions: { field: string } }).extensions.field;
    }
  };
  expect(field({ after: foreign })).toBe('after');
  expect(field({ last: 1, before: foreign })).toBe('before');
  expect(field({ first: 1, last: 1 })).toBe('last');
  expect(field({ last: 1, after: cursor })).toBe('after');
  expect(field({ first: 1, before: cursor })).toBe('before');
  expect(field({ after: Buffer.from('["deals","x","A"]').toString('base64url') })).toBe('after');
  expect(field({ after: Buffer.from('["deals",1.5,"A"]').toString('base64url') })).toBeNull();
  expect(field({ last: 1, before: cursor })).toBeNull();
});
