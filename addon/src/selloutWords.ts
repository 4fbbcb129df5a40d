/**
 * One wording for a live deal's sell-out, shared by SELLOUT_ETA("ASIN") and the sidebar, read from
 * what the API answers about the deal (docs/api.md, Deal and SellOutEta):
 *
 *   no activeDeal, or a deal that is not LIVE      NO_LIVE_DEAL
 *   no sellOutEta and no drainModel                NO_DATA         no drain could be fitted yet (deal
 *                                                                  quantity unknown, too few readings):
 *                                                                  the API's sellOutEtaReason
 *   the quantile is a moment T                     SELLS_OUT       "sells out ≈ T"
 *   the quantile is null, the deal has an end E    NOT_BEFORE_END  at that quantile the deal does not
 *                                                                  sell out before it ends (SellOutEta:
 *                                                                  a null quantile means exactly this)
 *   the quantile is null, no scheduled end         NEVER           the drain never sells out at the
 *                                                                  current pace: demand fades first
 *
 * Pure: no Apps Script service, so the custom function (Code.js) and the sidebar's data use it alike.
 */
export type EtaQuantile = 'p10' | 'p50' | 'p90';

/** The Deal fields the wording reads (DealFields.graphql, CompetitorHistory.graphql). */
export interface DealEtaFacts {
  status: string;
  scheduledEndAt: string | null;
  drainModel: string | null;
  sellOutEta: { p10: string | null; p50: string | null; p90: string | null } | null;
  sellOutEtaReason: string | null;
}

export type SelloutCase =
  | { kind: 'NO_LIVE_DEAL' }
  | { kind: 'NO_DATA'; reason: string }
  | { kind: 'SELLS_OUT'; at: number }
  | { kind: 'NOT_BEFORE_END'; endsAt: number }
  | { kind: 'NEVER' };

/** Maps the API's answer for one quantile to its case (table above). */
export function selloutCase(deal: DealEtaFacts | null, q: EtaQuantile): SelloutCase {
  if (!deal || deal.status !== 'LIVE') return { kind: 'NO_LIVE_DEAL' };
  if (!deal.sellOutEta && (deal.drainModel ?? null) === null)
    return { kind: 'NO_DATA', reason: deal.sellOutEtaReason ?? 'no drain fitted yet' };
  const at = deal.sellOutEta?.[q] ?? null;
  if (at !== null) return { kind: 'SELLS_OUT', at: Date.parse(at) };
  if (deal.scheduledEndAt !== null) return { kind: 'NOT_BEFORE_END', endsAt: Date.parse(deal.scheduledEndAt) };
  return { kind: 'NEVER' };
}

/** "12-03 22:34 UTC": month-day hour:minute, the moments a live deal spans. */
export function utcText(t: number): string {
  return `${new Date(t).toISOString().slice(5, 16).replace('T', ' ')} UTC`;
}

/** The words of one case, without the quantile. */
export function selloutPhrase(c: SelloutCase): string {
  switch (c.kind) {
    case 'NO_LIVE_DEAL':
      return 'no live deal';
    case 'NO_DATA':
      return `no sell-out ETA yet: ${c.reason}`;
    case 'SELLS_OUT':
      return `sells out ≈ ${utcText(c.at)}`;
    case 'NOT_BEFORE_END':
      return `does not sell out before the deal ends (${utcText(c.endsAt)})`;
    case 'NEVER':
      return 'never sells out at the current pace: demand fades first';
  }
}

/** A quantile's words as a cell or list item: "P90 does not sell out before the deal ends (…)". */
export function quantilePhrase(c: SelloutCase, q: EtaQuantile): string {
  return c.kind === 'NO_LIVE_DEAL' || c.kind === 'NO_DATA' ? selloutPhrase(c) : `${q.toUpperCase()} ${selloutPhrase(c)}`;
}

/**
 * The sidebar's sell-out line: "sells out ≈ T50 (P10 T10 – P90 T90)" when every quantile is a
 * moment; one phrase when all three are the same case without a moment; else each quantile's words.
 */
export function selloutLine(deal: DealEtaFacts | null): string {
  const [c10, c50, c90] = (['p10', 'p50', 'p90'] as const).map((q) => selloutCase(deal, q)) as [SelloutCase, SelloutCase, SelloutCase];
  if (c10.kind === 'SELLS_OUT' && c50.kind === 'SELLS_OUT' && c90.kind === 'SELLS_OUT')
    return `sells out ≈ ${utcText(c50.at)} (P10 ${utcText(c10.at)} – P90 ${utcText(c90.at)})`;
  if (c10.kind !== 'SELLS_OUT' && c10.kind === c50.kind && c50.kind === c90.kind) return selloutPhrase(c50);
  return [quantilePhrase(c50, 'p50'), quantilePhrase(c10, 'p10'), quantilePhrase(c90, 'p90')].join(' · ');
}
