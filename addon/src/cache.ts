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
