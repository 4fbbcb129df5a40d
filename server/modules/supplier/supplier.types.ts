import { Field, Float, ObjectType } from 'type-graphql';
import { leadTime } from '../../../core/replenishment';
import { Explanation, toExplanation } from '../../graphql/explanation';
import type { Supplier } from './supplier.entity';

@ObjectType({ description: 'Total lead time = procurement + shipping + inbound: means add, variances add.' })
export class LeadTimeSummary {
  @Field(() => Float, { description: 'L̄, days.' })
  meanDays!: number;

  @Field(() => Float, { description: 'σ_L = √(Σ stage variances), days.' })
  sdDays!: number;

  @Field(() => Float, { description: 'σ_L², days².' })
  varianceDays!: number;

  @Field(() => Explanation, { description: 'How the stages combine.' })
  explanation!: Explanation;
}

export const leadTimeComponents = (s: Supplier) => ({
  procurement: { mean: s.procurementMean, sd: s.procurementSd },
  shipping: { mean: s.shippingMean, sd: s.shippingSd },
  inbound: { mean: s.inboundMean, sd: s.inboundSd },
});

export function leadTimeSummary(s: Supplier): LeadTimeSummary {
  const lt = leadTime(leadTimeComponents(s));
  return { meanDays: lt.mean, sdDays: lt.sd, varianceDays: lt.variance, explanation: toExplanation(lt.explanation) };
}
