import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AsOfArgs } from './intelligence.inputs';

export enum AnomalyKind {
  IMPOSSIBLE_VALUE = 'IMPOSSIBLE_VALUE',
  SPIKE = 'SPIKE',
  CROSS_SIGNAL = 'CROSS_SIGNAL',
  ISOLATION_FOREST = 'ISOLATION_FOREST',
}
registerEnumType(AnomalyKind, {
  name: 'AnomalyKind',
  description:
    'Why a reading is flagged (docs/api.md, "Anomalies"): IMPOSSIBLE_VALUE (negative stock, price or BSR not > 0); SPIKE (a change beyond ±3σ, robust, undone by at least half right after: the value is wrong); CROSS_SIGNAL (a stock drop beyond −3σ without the rank response sales would cause); ISOLATION_FOREST (isolation score ≥ 0.65 on stock/price/rank changes, with no restock, sales or deal to explain it).',
  valuesConfig: {
    IMPOSSIBLE_VALUE: { description: 'A value that cannot be: negative stock, price or BSR not above 0. The value is left out.' },
    SPIKE: { description: 'Jump and revert: the reading is off from both neighbours by an outlier amount. The value is left out.' },
    CROSS_SIGNAL: { description: 'A large stock drop the rank does not confirm: the change is not taken as sales in alerts.' },
    ISOLATION_FOREST: { description: 'An unusual combination of stock, price and rank changes nothing explains.' },
  },
});

export enum AnomalyField {
  STOCK = 'STOCK',
  PRICE = 'PRICE',
  RANK = 'RANK',
}
registerEnumType(AnomalyField, {
  name: 'AnomalyField',
  description: 'The reading value a flag concerns (RANK: the best-seller rank).',
  valuesConfig: {
    RANK: { description: 'The best-seller rank (BSR).' },
    PRICE: { description: 'The price.' },
    STOCK: { description: 'The stock value.' },
  },
});

@ObjectType({
  description:
    'A reading flagged by the shared per-reading anomaly flags: the same verdict restocks, stockoutWindows, velocity and alerts honour.',
})
export class SnapshotAnomaly {
  @Field(() => Date, { description: 'Capture time of the flagged reading.' })
  capturedAt!: Date;

  @Field(() => [AnomalyKind], { description: 'Every detector that flagged the reading.' })
  kinds!: AnomalyKind[];

  @Field(() => [AnomalyField], { description: 'The values concerned.' })
  fields!: AnomalyField[];

  @Field(() => Boolean, {
    description:
      'True when the stock value is taken as wrong and left out of restocks, stockout windows, velocity and alerts, as if not captured.',
  })
  stockLeftOut!: boolean;

  @Field(() => String, {
    description: 'Human sentence: each reason with the values and thresholds it rests on, and what is done about it.',
  })
  explanation!: string;
}

@ArgsType()
export class AnomaliesArgs extends AsOfArgs {
  @Field(() => Date, {
    nullable: true,
    description: 'Flagged readings captured in [from, to). Default: to − 30 days; at most 180 days before now.',
  })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  to?: Date | null;

  @Field(() => Int, { nullable: true, description: 'At most this many, newest first: 1–500 (default 100).' })
  first?: number | null;
}
