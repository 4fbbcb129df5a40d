import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';
import { type Explanation as CoreExplanation, renderExplanation } from '../../core/explain';

@ObjectType({ description: 'Where a competitor figure comes from and how old its newest reading is.' })
export class DataProvenance {
  @Field(() => String, { nullable: true, description: 'Source of the readings used (e.g. keepa, scraper); null when unknown or mixed.' })
  source!: string | null;

  @Field(() => Date, { nullable: true, description: 'Newest snapshot used.' })
  newestAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Age of the newest snapshot, in hours, at evaluation time.' })
  ageHours!: number | null;

  @Field(() => Boolean, { description: 'True when captures have stopped for longer than the listing usually goes without one.' })
  stale!: boolean;
}

@ObjectType({ description: 'One intermediate value of a computation.' })
export class ExplanationStep {
  @Field(() => String, { description: 'What this step computes, e.g. "safety stock".' })
  label!: string;

  @Field(() => String, { nullable: true, description: 'The value as text (numbers unrounded).' })
  value!: string | null;

  @Field(() => String, { nullable: true, description: 'Remark on this step (e.g. why a default applied); null when none.' })
  note!: string | null;
}

@ObjectType({ description: 'How a figure was computed: enough to redo it by hand.' })
export class Explanation {
  @Field(() => String, { description: 'Formula or method.' })
  formula!: string;

  @Field(() => GraphQLJSONObject, { description: 'Inputs by name.' })
  inputs!: Record<string, unknown>;

  @Field(() => [ExplanationStep], { description: 'The computation step by step, in order.' })
  steps!: ExplanationStep[];

  @Field(() => [String], { description: 'Caveats and assumptions that qualify the figure (e.g. censored data, defaults used).' })
  notes!: string[];

  @Field(() => DataProvenance, {
    nullable: true,
    description: 'Which data the figure was computed from; null when it used no stored readings.',
  })
  data!: DataProvenance | null;

  @Field(() => String, { description: 'The whole explanation as plain text.' })
  text!: string;
}

/** Maps core's explanation onto the GraphQL type. */
export function toExplanation(e: CoreExplanation): Explanation {
  return {
    formula: e.formula,
    inputs: e.inputs,
    steps: e.steps.map((s) => ({ label: s.label, value: s.value === null ? null : String(s.value), note: s.note ?? null })),
    notes: e.notes,
    data: e.data
      ? {
          source: e.data.source,
          newestAt: e.data.newestAt ? new Date(e.data.newestAt) : null,
          ageHours: e.data.ageHours,
          stale: e.data.stale,
        }
      : null,
    text: renderExplanation(e),
  };
}
