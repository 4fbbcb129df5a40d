/**
 * A deal's analysis kept at ingest and finished per request (docs/architecture.md, "Facts").
 *
 * For a `now` at or after the newest reading N of the readings it is given, detectDeals' Deal of
 * the newest run depends on `now` in two ways only (detect.ts):
 *   regime   three comparisons: now < scheduled start (an announced deal is UPCOMING), now <
 *            scheduled end (LIVE; an expired deal's end), now ≤ inferred end (timing.ts inferredEnd:
 *            the scheduled end, else the type's longest run; a deal no capture saw end). Each flips
 *            once as `now` grows, so there are at most four regimes, and within one the status,
 *            end, duration, curve shape and every other figure are fixed;
 *   clamps   the data provenance (age = now − N, stale when the age exceeds staleAfterMs) with its
 *            stale note, and a LIVE deal's ETA quantiles max(now, last reading + hours_q) with the
 *            "should already have sold out" note when last reading + hours_P50 < now.
 * storeDeal runs detectDeals once per regime reachable from N (at N, at each threshold after N,
 * between consecutive thresholds and past the last) and keeps each Deal with its DealNowParts;
 * finishDeal picks the regime of `now` and re-applies the clamps: no detection over readings.
 * The result equals detectDeals(points, { now }) for every now ≥ N (tests/unit/deals/stored.test.ts,
 * tests/server/deal-stored.db.test.ts).
 */
import type { Explanation } from '../explain';
import { defaultStaleAfterMs, INTERVAL_GAPS, isoOrNull, staleNote, type ProvenanceResult } from '../series/provenance';
import { HOUR_MS, type SnapshotPoint } from '../series/types';
import { validateNow } from '../series/validate';
import { type Deal, type DealNowParts, type DetectDealsOptions, detectDealsWithParts, LATE_ETA_NOTE } from './detect';
import { inferredEnd } from './timing';

/** Version of this stored form; a reader rejects another (the facts' rules version rebuilds it). */
export const STORED_DEAL_VERSION = 1;

/** When the comparisons of `now` flip (epoch ms; null: no such time). */
export interface DealThresholds {
  /** Announced start: UPCOMING while now < it. */
  startsAt: number | null;
  /** Scheduled end: LIVE only while now < it. */
  endsAt: number | null;
  /** Inferred end (timing.ts): a deal still showing counts as ended once now > it. */
  unseenEndAt: number;
}

export interface StoredDealVariant {
  /** The regime (regimeKey). */
  key: string;
  deal: Deal;
  parts: DealNowParts;
}

export interface StoredDeal {
  version: number;
  /** The newest reading analysed (epoch ms) and its source: valid for any now ≥ it while no newer reading exists. */
  analysedTo: number;
  source: string | null;
  /** detectDeals' staleness limit for these readings (ms). */
  staleAfterMs: number;
  thresholds: DealThresholds;
  variants: StoredDealVariant[];
}

/** The regime of `now`: the three comparisons detect.ts makes, as a key. */
export function regimeKey(t: DealThresholds, now: number): string {
  const upcoming = t.startsAt === null || t.startsAt > now;
  const live = t.endsAt === null || t.endsAt > now;
  const unseen = now <= t.unseenEndAt;
  return `${upcoming ? 1 : 0}${live ? 1 : 0}${unseen ? 1 : 0}`;
}

function thresholdsOf(d: Deal): DealThresholds {
  return {
    startsAt: d.scheduledStartAt,
    endsAt: d.scheduledEndAt,
    unseenEndAt: inferredEnd(d.type, d.startedAt, d.lastSeenAt, d.scheduledEndAt),
  };
}

/** Moments ≥ n that reach every regime: n, each threshold after n, the midpoints between them, and past the last. */
function regimeProbes(t: DealThresholds, n: number): number[] {
  const xs = [...new Set([t.startsAt, t.endsAt, t.unseenEndAt].filter((x): x is number => x !== null && x > n))].sort((a, b) => a - b);
  const probes = [n];
  let prev = n;
  for (const x of xs) {
    probes.push((prev + x) / 2, x);
    prev = x;
  }
  probes.push(prev + HOUR_MS);
  return probes;
}

/**
 * The newest deal run of `points` analysed for every `now` ≥ its newest reading (see the header);
 * null when the readings show no deal run. `opts` are detectDeals' without `now`.
 */
export function storeDeal(points: readonly SnapshotPoint[], opts: Omit<DetectDealsOptions, 'now'>): StoredDeal | null {
  if (!points.length) return null;
  const n = points[points.length - 1].at;
  const newest = (now: number) => detectDealsWithParts(points, { ...opts, now }).at(-1) ?? null;
  const first = newest(n);
  if (!first) return null;
  const thresholds = thresholdsOf(first.deal);
  const variants: StoredDealVariant[] = [];
  for (const at of regimeProbes(thresholds, n)) {
    const key = regimeKey(thresholds, at);
    if (variants.some((v) => v.key === key)) continue;
    const r = at === n ? first : newest(at);
    if (r) variants.push({ key, deal: r.deal, parts: r.parts });
  }
  return {
    version: STORED_DEAL_VERSION,
    analysedTo: n,
    source: points[points.length - 1].source,
    staleAfterMs: opts.staleAfterMs ?? defaultStaleAfterMs(points.slice(-(INTERVAL_GAPS + 1))),
    thresholds,
    variants,
  };
}

/** provenanceOf (series/provenance.ts) of the newest analysed reading, at `now`. */
function provenanceAt(s: StoredDeal, now: number): ProvenanceResult {
  const age = now - s.analysedTo;
  return {
    source: s.source,
    newestAt: isoOrNull(s.analysedTo),
    ageHours: age / HOUR_MS,
    stale: age > s.staleAfterMs,
    newestAtMs: s.analysedTo,
    staleAfterHours: s.staleAfterMs / HOUR_MS,
  };
}

/** Replaces (or removes, or inserts) the note at `at`. */
function setNote(notes: string[], at: number, shown: boolean, text: string | null): void {
  if (shown) notes.splice(at, 1);
  if (text !== null) notes.splice(at, 0, text);
}

/**
 * The stored deal as detectDeals reports it at `now` (≥ analysedTo): the regime's Deal with the
 * provenance and ETA clamps of `now` (see the header). Pure; reads no readings.
 */
export function finishDeal(s: StoredDeal, now: number): Deal {
  validateNow(now);
  if (s.version !== STORED_DEAL_VERSION) throw new RangeError(`stored deal version ${s.version}, expected ${STORED_DEAL_VERSION}`);
  if (now < s.analysedTo)
    throw new RangeError(
      `now (${isoOrNull(now)}) is before the newest analysed reading (${isoOrNull(s.analysedTo)}): detect over the readings instead`,
    );
  const key = regimeKey(s.thresholds, now);
  const v = s.variants.find((x) => x.key === key);
  if (!v) throw new RangeError(`stored deal has no variant for regime ${key} at ${isoOrNull(now)}`);
  const ex: Explanation = { ...v.deal.explanation, steps: [...v.deal.explanation.steps], notes: [...v.deal.explanation.notes] };
  const deal: Deal = { ...v.deal, explanation: ex };
  const e = v.parts.eta;
  if (e) {
    const toMs = (h: number | null) => (h === null ? null : Math.max(now, e.lastAt + h * HOUR_MS));
    deal.sellOutEta = { p10: toMs(e.hours.p10), p50: toMs(e.hours.p50), p90: toMs(e.hours.p90) };
    const q = [deal.sellOutEta.p10, deal.sellOutEta.p50, deal.sellOutEta.p90];
    for (let i = 0; i < 3; i++) ex.steps[e.stepAt + i] = { ...ex.steps[e.stepAt + i], value: isoOrNull(q[i]) };
    const late = e.hours.p50 !== null && e.lastAt + e.hours.p50 * HOUR_MS < now;
    setNote(ex.notes, e.lateNoteAt, e.lateNoteShown, late ? LATE_ETA_NOTE : null);
  }
  const prov = provenanceAt(s, now);
  ex.data = { source: prov.source, newestAt: prov.newestAt, ageHours: prov.ageHours, stale: prov.stale };
  setNote(ex.notes, v.parts.staleNoteAt, v.parts.staleNoteShown, staleNote(prov));
  return deal;
}

/** JSON for storage: non-finite numbers (JSON has none) kept as {"$n": "Infinity"}. */
export function encodeStoredDeal(s: StoredDeal): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $n: String(v) } : v));
}

export function decodeStoredDeal(text: string): StoredDeal {
  return JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && '$n' in v && Object.keys(v).length === 1 ? Number((v as { $n: string }).$n) : v,
  ) as StoredDeal;
}
