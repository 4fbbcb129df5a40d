import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';
import { MAX_PAGE, pageSize } from './validate';

@ObjectType({ description: 'Where a page sits in its list (Relay PageInfo). Cursors are opaque: pass them back unchanged.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when the list has items after the last edge of this page.' })
  hasNextPage!: boolean | Promise<boolean>;

  @Field(() => Boolean, { description: 'True when the list has items before the first edge of this page.' })
  hasPreviousPage!: boolean | Promise<boolean>;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first edge (give it as `before` for the previous page); null on an empty page.',
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge (give it as `after` for the next page); null on an empty page.',
  })
  endCursor!: string | null;
}

/**
 * The four Relay paging arguments, shared by every connection field. Forward paging takes `first`
 * (and `after`), backward paging `last` (and `before`); the two cannot be mixed in one call.
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Forward paging: at most this many items, 1–${MAX_PAGE} (default 50).` })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Forward paging: start after this cursor (an `endCursor` or edge cursor of the same list). Null: from the start.',
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Backward paging: at most this many items, the ones just before \`before\` (or the list's end), 1–${MAX_PAGE}.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Backward paging: end before this cursor (a `startCursor` or edge cursor of the same list). Null: up to the end.',
  })
  before?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

/** A page of nodes. `totalCount` is a lazy getter so the COUNT query runs only when asked for. */
export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  readonly totalCount: number | Promise<number>;
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a ${name}Connection page, with its cursor.` })
  class EdgeType {
    @Field(() => node, { description: `The ${name} at this position of the list.` })
    node!: T;

    @Field(() => String, { description: 'Opaque position of this item in its list, for `after` or `before`.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay cursor connection).` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page in list order (also when paging backward).' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Cursors of this page and whether items exist before and after it.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the filters, across all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}

/**
 * Cursors are opaque to clients: base64url of the JSON array `[list, ...sort key]`. The list name
 * makes a cursor of another list (or a hand-made one) a clear BAD_USER_INPUT, not a silent jump.
 */
export function encodeCursor(list: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** One part of a list's sort key: checks a cursor value read back from JSON (false: not ours). */
export type KeyCheck = (v: unknown) => boolean;
export const isText: KeyCheck = (v) => typeof v === 'string';
export const isInt: KeyCheck = (v) => Number.isSafeInteger(v);
export const isNumber: KeyCheck = (v) => typeof v === 'number' && Number.isFinite(v);
export const isInstant: KeyCheck = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** The sort key in `cursor` when it is a cursor of `list`; BAD_USER_INPUT naming `field` otherwise. */
export function decodeCursor(list: string, cursor: string | null | undefined, checks: KeyCheck[], field: string): unknown[] | null {
  if (cursor === null || cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === checks.length + 1 && parsed[0] === list && checks.every((ok, i) => ok(parsed[i + 1])))
    return parsed.slice(1);
  throw badInput(field, `is not a cursor of this list (${list}): pass back a cursor this list returned`);
}

/** What one call asks for: `size` items after (forward) or before (backward) the cursor's key. */
export interface PageWindow {
  list: string;
  size: number;
  backward: boolean;
  /** Sort key the page starts after (forward) or ends before (backward); null: the list's start or end. */
  cursor: unknown[] | null;
}

/**
 * Reads the Relay arguments of `list`. Rules: `first`/`after` page forward, `last`/`before` backward;
 * mixing the two directions is refused naming the second argument; sizes are 1–500 (default 50).
 */
export function pageWindow(list: string, args: PageArgs, checks: KeyCheck[]): PageWindow {
  const given = (v: unknown) => v !== null && v !== undefined;
  if (given(args.first) && given(args.last)) throw badInput('last', 'give first (forward) or last (backward), not both');
  if (given(args.after) && given(args.before)) throw badInput('before', 'give after (forward) or before (backward), not both');
  if (given(args.first) && given(args.before)) throw badInput('before', 'pages backward: use it with last, not first');
  if (given(args.last) && given(args.after)) throw badInput('after', 'pages forward: use it with first, not last');
  const backward = given(args.last) || given(args.before);
  return backward
    ? { list, size: pageSize(args.last, 'last'), backward, cursor: decodeCursor(list, args.before, checks, 'before') }
    : { list, size: pageSize(args.first, 'first'), backward, cursor: decodeCursor(list, args.after, checks, 'after') };
}

/** Whether the list has a row beyond `key` in one direction (`inclusive`: the key's own row counts). */
export type Probe = (direction: 'next' | 'previous', key: unknown[], inclusive: boolean) => Promise<boolean>;

/**
 * Builds a page from up to `size + 1` rows fetched in paging direction (the extra row tells whether
 * more exist that way). Rows fetched backward arrive reversed and are put back in list order. The
 * flag for the other direction is asked of `probe` lazily (only when a client selects it): rows
 * beyond the page's first edge, or beyond the cursor itself (inclusive) on an empty page.
 */
export function toPage<T>(rows: T[], win: PageWindow, keyOf: (n: T) => unknown[], count: () => Promise<number>, probe?: Probe): Page<T> {
  const more = rows.length > win.size;
  const nodes = rows.slice(0, win.size);
  if (win.backward) nodes.reverse();
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(win.list, keyOf(node)) }));
  const start = edges.length ? keyOf(nodes[0]) : null;
  const end = edges.length ? keyOf(nodes[nodes.length - 1]) : null;
  let behind: Promise<boolean> | undefined;
  const lookBehind = (): Promise<boolean> => {
    if (!probe || !win.cursor) return Promise.resolve(false);
    const anchor = win.backward ? end : start;
    return (behind ??= probe(win.backward ? 'next' : 'previous', anchor ?? win.cursor, anchor === null));
  };
  const pageInfo: PageInfo = {
    startCursor: edges.length ? edges[0].cursor : null,
    endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    get hasNextPage() {
      return win.backward ? lookBehind() : more;
    },
    get hasPreviousPage() {
      return win.backward ? more : lookBehind();
    },
  };
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo,
    get totalCount() {
      return (total ??= count());
    },
  };
}

/** An empty page (e.g. a filter that matches nothing by construction). */
export function emptyPage<T>(win: PageWindow): Page<T> {
  return toPage<T>(
    [],
    win,
    () => [],
    async () => 0,
  );
}

/** One column of a list's sort order: SQL expression, natural direction, the row's value and the cursor check. */
export interface SortKey<T> {
  column: string;
  dir: 'ASC' | 'DESC';
  value: (row: T) => string | number;
  check: KeyCheck;
  /** Cursor JSON value → query parameter (default: as is). */
  param?: (v: unknown) => unknown;
}

/** ISO instant in the cursor, a Date in the query. */
export const instantKey = <T>(column: string, dir: 'ASC' | 'DESC', value: (row: T) => Date): SortKey<T> => ({
  column,
  dir,
  value: (r) => value(r).toISOString(),
  check: isInstant,
  param: (v) => new Date(String(v)),
});

/**
 * Adds "row comes after `key` in `direction`" to `qb` for a multi-column sort:
 * (c1 ≻ k1) OR (c1 = k1 AND c2 ≻ k2) OR …, where ≻ is > for an ascending column read forward.
 */
function whereBeyond<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  keys: SortKey<T>[],
  key: unknown[],
  forward: boolean,
  inclusive: boolean,
): void {
  const p = (i: number) => `pg_k${i}`;
  const params = Object.fromEntries(keys.map((k, i) => [p(i), k.param ? k.param(key[i]) : key[i]]));
  const terms = keys.map((k, i) => {
    const gt = (k.dir === 'ASC') === forward ? '>' : '<';
    const op = inclusive && i === keys.length - 1 ? `${gt}=` : gt;
    const eq = keys.slice(0, i).map((e, j) => `${e.column} = :${p(j)}`);
    return `(${[...eq, `${k.column} ${op} :${p(i)}`].join(' AND ')})`;
  });
  qb.andWhere(`(${terms.join(' OR ')})`, params);
}

/** Orders `qb` by the keys, in natural order (forward) or reversed. */
function orderBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, keys: SortKey<T>[], forward: boolean): SelectQueryBuilder<T> {
  keys.forEach((k, i) => {
    const dir = forward ? k.dir : k.dir === 'ASC' ? 'DESC' : 'ASC';
    if (i === 0) qb.orderBy(k.column, dir);
    else qb.addOrderBy(k.column, dir);
  });
  return qb;
}

/**
 * One page of a keyset-paginated SQL list, either direction. `base()` builds the filtered query
 * (a fresh builder per call); `keys` is the list's total order (its last key must be unique).
 * Statements: one for the page, plus a COUNT for `totalCount` and an EXISTS-like probe for the
 * flag of the direction not paged, each only when selected.
 */
export async function keysetPage<T extends ObjectLiteral>(
  list: string,
  args: PageArgs,
  base: () => SelectQueryBuilder<T>,
  keys: SortKey<T>[],
): Promise<Page<T>> {
  const win = pageWindow(
    list,
    args,
    keys.map((k) => k.check),
  );
  const qb = base();
  if (win.cursor) whereBeyond(qb, keys, win.cursor, !win.backward, false);
  const rows = await orderBy(qb, keys, !win.backward)
    .limit(win.size + 1)
    .getMany();
  const keyOf = (r: T) => keys.map((k) => k.value(r));
  const probe: Probe = async (direction, key, inclusive) => {
    const q = base();
    whereBeyond(q, keys, key, direction === 'next', inclusive);
    return (await q.select('1').limit(1).getRawMany()).length > 0;
  };
  return toPage(rows, win, keyOf, () => base().getCount(), probe);
}

/**
 * One page of a list already in memory and sorted in list order, either direction: the same rules
 * and cursors as `keysetPage`, with `compare(key, row)` < 0 when `key` sorts before the row.
 */
export function arrayPage<T, R = T>(
  list: string,
  args: PageArgs,
  all: T[],
  keyOf: (row: T) => unknown[],
  checks: KeyCheck[],
  compare: (key: unknown[], row: T) => number,
  toNode: (row: T) => R,
): Page<R> {
  const win = pageWindow(list, args, checks);
  const c = win.cursor;
  const rows = !win.backward
    ? (c ? all.filter((r) => compare(c, r) < 0) : all).slice(0, win.size + 1)
    : (c ? all.filter((r) => compare(c, r) > 0) : all).slice(-(win.size + 1)).reverse();
  const probe: Probe = async (direction, key, inclusive) =>
    all.some((r) => {
      const d = compare(key, r);
      return direction === 'next' ? d < 0 || (inclusive && d === 0) : d > 0 || (inclusive && d === 0);
    });
  const keyed = rows.map((row) => ({ row, node: toNode(row) }));
  const page = toPage(
    keyed,
    win,
    (k) => keyOf(k.row),
    async () => all.length,
    probe,
  );
  return {
    edges: page.edges.map((e) => ({ node: e.node.node, cursor: e.cursor })),
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}
