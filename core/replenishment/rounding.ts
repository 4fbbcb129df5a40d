/**
 * Turns a computed order quantity into one a supplier accepts: at least the MOQ, a whole number of
 * case packs, and (when a storage headroom is given) no more than fits.
 */
import { finite, nonNegative, positiveInteger } from './validate';

export interface OrderConstraints {
  /** Minimum order quantity (units). Default 0. */
  moq?: number;
  /** Units per case; orders are whole cases. Default 1. */
  casePack?: number;
  /** Most units that may be ordered (storage limit minus stock already held or inbound). */
  maxQuantity?: number;
}

export interface RoundedQuantity {
  /** Final orderable quantity (0 = no order). */
  quantity: number;
  /** The quantity before rounding. */
  raw: number;
  /** Raised to the MOQ. */
  raisedToMoq: boolean;
  /** Rounded up to whole case packs. */
  roundedToCasePack: boolean;
  /** Cut down to fit `maxQuantity`. */
  cappedByStorage: boolean;
  /** The cap left no orderable quantity (below MOQ or one case pack). */
  infeasible: boolean;
  notes: string[];
}

/**
 * Rounds up: q = ⌈max(raw, MOQ)/casePack⌉·casePack for raw > 0 (0 when nothing is needed); then, if
 * that exceeds maxQuantity, the largest multiple of casePack ≤ maxQuantity that is still ≥ MOQ
 * (0 and `infeasible` when none exists).
 */
export function roundOrderQuantity(raw: number, c: OrderConstraints = {}): RoundedQuantity {
  finite('quantity', raw);
  const moq = c.moq === undefined ? 0 : nonNegative('moq', c.moq);
  const casePack = c.casePack === undefined ? 1 : positiveInteger('casePack', c.casePack);
  const cap = c.maxQuantity === undefined ? Infinity : finite('maxQuantity', c.maxQuantity);
  const notes: string[] = [];
  const out: RoundedQuantity = {
    quantity: 0,
    raw,
    raisedToMoq: false,
    roundedToCasePack: false,
    cappedByStorage: false,
    infeasible: false,
    notes,
  };
  if (!(raw > 0)) {
    notes.push('no order needed (computed quantity ≤ 0)');
    return out;
  }
  let q = raw;
  if (q < moq) {
    q = moq;
    out.raisedToMoq = true;
    notes.push(`raised to MOQ ${moq}`);
  }
  // Snap float noise such as 300.00000000000006 to 300 so it does not cost an extra case.
  const snapped = Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, q) ? Math.round(q) : q;
  const cases = Math.max(Math.ceil(snapped / casePack), 1);
  const rounded = cases * casePack;
  if (rounded !== q) {
    out.roundedToCasePack = true;
    notes.push(`rounded up to ${cases} × case pack ${casePack} = ${rounded}`);
  }
  q = rounded;
  if (q > cap) {
    const fit = Math.floor(Math.max(cap, 0) / casePack + 1e-9) * casePack;
    out.cappedByStorage = true;
    if (fit >= moq && fit > 0) {
      notes.push(`capped by storage at ${fit} (room for ${Math.max(cap, 0)} units)`);
      q = fit;
    } else {
      notes.push(`storage room ${Math.max(cap, 0)} cannot take an order of at least MOQ ${moq} in cases of ${casePack}: no order fits`);
      out.infeasible = true;
      q = 0;
    }
  }
  out.quantity = q;
  return out;
}
