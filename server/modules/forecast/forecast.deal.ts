/**
 * A competitor's live deal as its forecast needs it (no I/O): deal detection on the
 * forecast's own readings (core/deals `detectDeals`, `activeDeal`), the deal's drain fit and
 * sell-out ETA as a core/forecast LiveDrain, and the sentences the explanation gives.
 */
import { activeDeal, type Deal, detectDeals } from '../../../core/deals';
import { type DrainStops, type LiveDrain } from '../../../core/forecast/dealdrain';
import { isoOrNull, round } from '../../../core/series/provenance';
import type { SnapshotPoint } from '../../../core/series/types';

/** The live deal, the drain the forecast follows (null when it cannot) and why not. */
export interface LiveDealRead {
  deal: Deal;
  drain: LiveDrain | null;
  /** Why the drain is not followed (quantity unknown, no fit), when `drain` is null. */
  reason: string | null;
}

/**
 * The deal live at `now`, if any. Detection runs only when one of the two newest readings shows a
 * deal badge (a deal missing from one capture may still be live), as `Competitor.activeDeal` does.
 */
export async function liveDealOf(
  points: readonly SnapshotPoint[],
  now: number,
  /** Deal detection; the server passes the worker pool's, so the bootstrap runs off the event loop. */
  detect: (points: readonly SnapshotPoint[], now: number) => Promise<Deal[]> = async (p, t) => detectDeals(p, { now: t }),
): Promise<LiveDealRead | null> {
  const tail = points.slice(-2);
  if (!tail.some((p) => p.dealType !== 'NONE')) return null;
  const deal = activeDeal(await detect(points, now));
  if (!deal) return null;
  if (deal.percentMode || deal.remainingUnits === null)
    return { deal, drain: null, reason: 'the deal quantity is unknown, so its drain cannot be put in units' };
  if (!deal.drainFit) return { deal, drain: null, reason: deal.sellOutEtaReason ?? 'no drain fit for the deal yet' };
  const curve = deal.claimCurve;
  return {
    deal,
    drain: {
      startedAt: deal.startedAt,
      measuredAt: curve.length ? curve[curve.length - 1].at : deal.lastSeenAt,
      remainingUnits: deal.remainingUnits,
      fit: deal.drainFit,
      scheduledEndAt: deal.scheduledEndAt,
      sellOut: deal.sellOutEta ?? { p10: null, p50: null, p90: null },
    },
    reason: null,
  };
}

const iso = (ms: number) => (Number.isFinite(ms) ? isoOrNull(ms) : 'never');

/** The explanation's inputs for a live deal (times as ISO strings). */
export function dealInputs(read: LiveDealRead): Record<string, string | number | null> {
  const d = read.deal;
  return {
    dealType: d.type,
    dealStartedAt: isoOrNull(d.startedAt),
    dealScheduledEndAt: isoOrNull(d.scheduledEndAt),
    dealRemainingUnits: d.remainingUnits === null ? null : round(d.remainingUnits, 2),
    dealSellOutP50: isoOrNull(d.sellOutEta?.p50 ?? null),
  };
}

/** What the forecast did with the live deal, in words. */
export function dealNotes(read: LiveDealRead, stops: DrainStops | null, drainUnits: number, masked: number, model: string): string[] {
  const d = read.deal;
  const head = `A live deal (${d.type}) since ${isoOrNull(d.startedAt)}`;
  if (!read.drain || !stops)
    return [`${head}: its drain is not followed because ${read.reason}; the forecast is the ${model} model over the whole history.`];
  const dr = read.drain;
  const rate =
    d.drainFit?.model === 'DECAY'
      ? `decaying from ${round(d.drainFit.r0, 2)} u/h (k = ${round(d.drainFit.k, 4)}/h)`
      : `${round(d.velocityPerHour ?? 0, 2)} u/h now`;
  const end = stops.p50;
  const eta = d.sellOutEta;
  const q = (ms: number | null | undefined) => (ms === null || ms === undefined ? "not before the deal's end" : iso(ms));
  const how =
    eta?.p50 !== null && eta?.p50 !== undefined && end.stop === eta.p50
      ? `then the deal sells out (P50; P10 ${q(eta.p10)}, P90 ${q(eta.p90)})`
      : dr.scheduledEndAt !== null && end.stop === dr.scheduledEndAt
        ? `then the deal ends (its scheduled end) before selling out`
        : `then the units run out at the fitted rate (the deal names no end)`;
  return [
    `${head}: ${round(dr.remainingUnits, 2)} units left at ${isoOrNull(dr.measuredAt)}, draining at ${rate} (${d.drainFit?.model} drain fit, core/deals).`,
    `The steps up to ${iso(end.stop)} follow the drain (${round(drainUnits, 1)} units in all): ${how}. The 80 %/95 % bounds take the P10 and P90 sell-out scenarios with Poisson claim noise.`,
    `After that the post-deal baseline: ${model} fitted on the history with the ${masked} deal hour(s) left out as missing (the deal's demand is not the listing's everyday demand).`,
  ];
}
