/**
 * CacheService wrapper for API lookups: JSON values, keys scoped to the API URL, entries that would
 * break Apps Script's limits (key 250 chars, value 100 KB) are simply not cached.
 */
const KEY_MAX = 250;
const VALUE_MAX = 100 * 1024;
export const LOOKUP_TTL_S = 300;

/** FNV-1a: a short, stable tag for the API URL inside cache keys. */
export function hashTag(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function cache(): GoogleAppsScript.Cache.Cache | null {
  return CacheService.getDocumentCache() ?? CacheService.getScriptCache();
}

export function cacheKey(scope: string, kind: string, id: string): string | null {
  const k = `rr:${hashTag(scope)}:${kind}:${id}`;
  return k.length <= KEY_MAX ? k : null;
}

export function getAllJson<T>(keys: string[]): Map<string, T> {
  const out = new Map<string, T>();
  const c = cache();
  if (!c || keys.length === 0) return out;
  const raw = c.getAll(keys);
  for (const [k, v] of Object.entries(raw)) {
    try {
      out.set(k, JSON.parse(v) as T);
    } catch {
      // a corrupt entry is a miss
    }
  }
  return out;
}

export function putAllJson(entries: Map<string, unknown>, ttlSeconds = LOOKUP_TTL_S): number {
  const c = cache();
  if (!c) return 0;
  const ok: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of entries) {
    const text = JSON.stringify(v);
    // UTF-8 size bound without Utilities: each UTF-16 unit is at most 3 bytes.
    if (text.length * 3 > VALUE_MAX && unescape(encodeURIComponent(text)).length > VALUE_MAX) continue;
    ok[k] = text;
    n++;
  }
  if (n) c.putAll(ok, ttlSeconds);
  return n;
}

/** Characters per chunk: 30,000 UTF-16 units are at most 90 KB of UTF-8, under the 100 KB value limit. */
const CHUNK_CHARS = 30_000;
/** Largest answer kept as one chunked entry (the cache holds about 1,000 items in all). */
const CHUNKED_MAX_CHARS = 100 * CHUNK_CHARS;

/** Stores a large JSON value as a header plus chunks; false when it is too large to be worth it. */
export function putChunked(key: string, value: unknown, ttlSeconds = LOOKUP_TTL_S): boolean {
  const c = cache();
  if (!c) return false;
  const text = JSON.stringify(value);
  if (text.length > CHUNKED_MAX_CHARS) return false;
  const n = Math.ceil(text.length / CHUNK_CHARS);
  const entries: Record<string, string> = { [key]: JSON.stringify({ n, len: text.length }) };
  for (let i = 0; i < n; i++) entries[`${key}:${i}`] = text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  c.putAll(entries, ttlSeconds);
  return true;
}

/** Reads a value stored by putChunked; null when any part is missing (evicted or expired). */
export function getChunked<T>(key: string): T | null {
  const c = cache();
  if (!c) return null;
  const head = c.get(key);
  if (!head) return null;
  try {
    const { n, len } = JSON.parse(head) as { n: number; len: number };
    const keys = Array.from({ length: n }, (_, i) => `${key}:${i}`);
    const parts = c.getAll(keys);
    const text = keys.map((k) => parts[k] ?? '').join('');
    return text.length === len ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

/** Up to this many ids, answers are cached per id (shared between formulas); above, per call. */
export const PER_ID_MAX = 100;

/**
 * Cache-first batched lookup. Small id sets are cached per id, so formulas share them. A large set
 * (a 1,000-row column) is cached as ONE chunked entry for that exact set: per-id entries would use
 * up the cache's ~1,000 items and two such columns would evict each other on every recalculation.
 */
export function cachedLookup<V>(
  scope: string,
  kind: string,
  ids: string[],
  fetch: (missing: string[]) => Map<string, V>,
): { found: Map<string, V>; cached: number; fetched: number; requests: number } {
  const unique = [...new Set(ids)].sort();
  const found = new Map<string, V>();
  const setKey = unique.length > PER_ID_MAX ? cacheKey(scope, `${kind}-set`, `${hashTag(unique.join('\n'))}-${unique.length}`) : null;
  if (setKey) {
    const hit = getChunked<[string, V][]>(setKey);
    if (hit && hit.length === unique.length) return { found: new Map(hit), cached: unique.length, fetched: 0, requests: 0 };
  }
  const ckeys = new Map(unique.map((id) => [id, cacheKey(scope, kind, id)]));
  const hits = getAllJson<{ v: V }>([...ckeys.values()].filter((k): k is string => k !== null));
  const missing: string[] = [];
  for (const id of unique) {
    const ck = ckeys.get(id);
    const hit = ck ? hits.get(ck) : undefined;
    if (hit) found.set(id, hit.v);
    else missing.push(id);
  }
  if (!missing.length) return { found, cached: unique.length, fetched: 0, requests: 0 };
  const fresh = fetch(missing);
  for (const id of missing) found.set(id, fresh.get(id) as V);
  if (setKey) putChunked(setKey, [...found.entries()]);
  else {
    const toCache = new Map<string, unknown>();
    for (const id of missing) {
      const ck = ckeys.get(id);
      if (ck) toCache.set(ck, { v: fresh.get(id) ?? null });
    }
    putAllJson(toCache);
  }
  return { found, cached: unique.length - missing.length, fetched: missing.length, requests: 1 };
}
