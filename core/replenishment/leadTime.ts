/**
 * Lead time as the sum of independent stages (procurement + shipping + inbound for a supplier):
 * means add, variances add.
 */
import { Explainer, type Explanation } from '../explain';
import { nonNegative, object } from './validate';

export interface MeanSd {
  mean: number;
  sd: number;
}

export interface LeadTimeComponents {
  procurement: MeanSd;
  shipping: MeanSd;
  inbound: MeanSd;
}

export interface LeadTimeResult {
  /** Days. */
  mean: number;
  sd: number;
  variance: number;
  stages: Record<string, MeanSd>;
  explanation: Explanation;
}

export function meanSd(name: string, v: unknown): MeanSd {
  const o = object(name, v);
  return { mean: nonNegative(`${name}.mean`, o.mean), sd: nonNegative(`${name}.sd`, o.sd) };
}

/** Any number of independent stages, e.g. { order_processing: {mean, sd}, transit: {...} }. */
export function leadTimeFromStages(stages: Record<string, MeanSd>): LeadTimeResult {
  const o = object('stages', stages);
  const names = Object.keys(o);
  if (names.length === 0) throw new RangeError('stages must name at least one stage');
  const checked: Record<string, MeanSd> = {};
  let mean = 0;
  let variance = 0;
  const ex = new Explainer('L̄ = Σ stage means; σ_L = √(Σ stage variances) (independent stages)');
  for (const n of names) {
    const s = meanSd(n, o[n]);
    checked[n] = s;
    mean += s.mean;
    variance += s.sd * s.sd;
    ex.input(`${n}.mean`, s.mean).input(`${n}.sd`, s.sd);
  }
  const sd = Math.sqrt(variance);
  ex.step('mean lead time L̄ (days)', mean).step('variance σ_L²', variance).step('sd σ_L (days)', sd);
  return { mean, sd, variance, stages: checked, explanation: ex.build() };
}

/** A supplier's three stages: procurement + shipping + inbound. */
export function leadTime(components: LeadTimeComponents): LeadTimeResult {
  const c = object('leadTime', components);
  return leadTimeFromStages({
    procurement: meanSd('procurement', c.procurement),
    shipping: meanSd('shipping', c.shipping),
    inbound: meanSd('inbound', c.inbound),
  });
}
