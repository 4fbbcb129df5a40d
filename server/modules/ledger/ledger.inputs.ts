import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { type MovementType as CoreMovementType, RECONCILIATION_CODES, type ReconciliationCode } from '../../../core/anomalies';
import type { DealType as CoreDealType } from '../../../core/series/types';
import { AlertLevelEnum } from '../alert/alert.entity';
import { Explanation } from '../../graphql/explanation';
import { DealType } from '../snapshot/snapshot.entity';
import { MovementType } from './ledger.entity';

export const ReconciliationCodeEnum = Object.fromEntries(RECONCILIATION_CODES.map((c) => [c, c])) as { [K in ReconciliationCode]: K };
registerEnumType(ReconciliationCodeEnum, {
  name: 'ReconciliationCode',
  description:
    'NEGATIVE_STOCK: a reading below 0 (oversold). NEGATIVE_LEDGER_BALANCE: the movements take the balance below 0. SALES_VS_MOVEMENTS: order-system units ≠ units out by SALE movements. LEDGER_VS_SNAPSHOT: a reading disagrees with the ledger balance.',
  valuesConfig: {
    LEDGER_VS_SNAPSHOT: { description: 'Opening stock + net movements disagrees with the closing listing reading.' },
    SALES_VS_MOVEMENTS: { description: 'Order sales and SALE movements disagree.' },
    NEGATIVE_LEDGER_BALANCE: { description: 'Opening stock plus movements went below 0.' },
    NEGATIVE_STOCK: { description: 'A listing reading in the window showed negative stock (oversold).' },
  },
});

@InputType({ description: 'A warehouse stock movement of an own SKU.' })
export class StockMovementInput {
  @Field(() => String, { description: 'An own SKU of this workspace.' })
  sku!: string;

  @Field(() => Date, { description: 'When the movement happened.' })
  at!: Date;

  @Field(() => Int, { description: 'Signed units: RECEIPT/RETURN ≥ 0, SALE ≤ 0, ADJUSTMENT/TRANSFER either.' })
  quantity!: number;

  @Field(() => MovementType, { description: 'Kind of movement; sets the allowed sign of quantity.' })
  type!: CoreMovementType;

  @Field(() => String, {
    nullable: true,
    description: 'Warehouse document id. Identifies the movement (per SKU); without it (at, type, quantity) does.',
  })
  reference?: string | null;
}

@InputType({ description: 'Units of an own SKU in one order, as the order system recorded them.' })
export class OrderSaleInput {
  @Field(() => String, { description: 'An own SKU of this workspace.' })
  sku!: string;

  @Field(() => String, { description: 'Identifies the sale (per SKU): re-sending it is a duplicate.' })
  orderId!: string;

  @Field(() => Date, { description: 'When the order was placed.' })
  at!: Date;

  @Field(() => Int, { description: 'Units of the SKU in the order, ≥ 1.' })
  units!: number;
}

@InputType({ description: 'Stock of an own listing as the marketplace showed it, with the own deal shown then.' })
export class StockReadingInput {
  @Field(() => String, { description: 'An own SKU of this workspace.' })
  sku!: string;

  @Field(() => Date, { description: 'When the marketplace showed this stock.' })
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'May be negative (oversold); null when unknown.' })
  stock?: number | null;

  @Field(() => Boolean, { defaultValue: false, description: 'True when the source caps stock ("10+", "999+").' })
  stockIsLowerBound!: boolean;

  @Field(() => String, { nullable: true, description: 'Where the reading came from (e.g. seller-central).' })
  source?: string | null;

  @Field(() => DealType, { defaultValue: 'NONE', description: 'Own deal shown at this moment.' })
  dealType!: CoreDealType;

  @Field(() => Date, { nullable: true, description: 'When the own deal shown ends.' })
  dealEndsAt?: Date | null;
}

@InputType({ description: 'Own-SKU ledger entries from the three sources; at most 10,000 items in all, stored all or nothing.' })
export class RecordLedgerInput {
  @Field(() => [StockMovementInput], { defaultValue: [], description: 'Warehouse stock movements.' })
  stockMovements!: StockMovementInput[];

  @Field(() => [OrderSaleInput], { defaultValue: [], description: 'Order-system sales.' })
  orderSales!: OrderSaleInput[];

  @Field(() => [StockReadingInput], { defaultValue: [], description: 'Own-listing stock readings.' })
  stockReadings!: StockReadingInput[];
}

@ObjectType({ description: 'Rows stored and rows already present (skipped) for one ledger.' })
export class LedgerCount {
  @Field(() => Int, { description: 'Rows stored.' })
  inserted!: number;

  @Field(() => Int, { description: 'Already stored (same reference/orderId/reading time): skipped, never changed.' })
  duplicates!: number;
}

@ObjectType({ description: 'Outcome of recordLedger.' })
export class RecordLedgerResult {
  @Field(() => LedgerCount, { description: 'What happened to the stock movements sent.' })
  stockMovements!: LedgerCount;

  @Field(() => LedgerCount, { description: 'What happened to the order sales sent.' })
  orderSales!: LedgerCount;

  @Field(() => LedgerCount, { description: 'What happened to the stock readings sent.' })
  stockReadings!: LedgerCount;
}

@ArgsType()
export class LedgerPageArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  to?: Date | null;
}

@ArgsType()
export class ReconciliationArgs {
  @Field(() => String, { description: 'The own SKU to reconcile.' })
  sku!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Window start; moved back to the newest exact reading at or before it (the opening stock). Default: to − 24 h.',
  })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Window end (inclusive). Default: now.' })
  to?: Date | null;
}

@ObjectType({ description: 'One discrepancy between the ledgers; every finding is RED.' })
export class ReconciliationFindingView {
  @Field(() => ReconciliationCodeEnum, { description: 'Which comparison failed.' })
  code!: ReconciliationCode;

  @Field(() => AlertLevelEnum, { description: 'Always RED.' })
  level!: 'RED';

  @Field(() => Date, {
    nullable: true,
    description:
      'When the discrepancy shows: the reading for stock findings, the window end for the sales totals; null when not tied to a moment.',
  })
  at!: Date | null;

  @Field(() => Float, { description: 'Figure one ledger implies, units.' })
  expected!: number;

  @Field(() => Float, { description: 'Figure the other ledger shows, units.' })
  actual!: number;

  @Field(() => Float, { description: 'actual − expected, units.' })
  difference!: number;

  @Field(() => Float, { description: 'Allowed difference here: max(absolute, relative × larger figure), units.' })
  tolerance!: number;

  @Field(() => String, { description: 'The finding in one sentence.' })
  detail!: string;
}

@ObjectType({ description: 'The figures the reconciliation compared.' })
export class ReconciliationFigures {
  @Field(() => Date, { description: 'Time of the opening reading.' })
  from!: Date;

  @Field(() => Date, { description: 'End of the window.' })
  to!: Date;

  @Field(() => Int, { description: 'Stock of the opening reading, units.' })
  openingStock!: number;

  @Field(() => Int, { nullable: true, description: 'Newest exact reading in the window (null: none after the opening one).' })
  closingStock!: number | null;

  @Field(() => Int, { description: 'Units in order sales in the window.' })
  recordedSalesUnits!: number;

  @Field(() => Int, { description: 'Units in SALE movements in the window (as a positive number).' })
  saleMovementUnits!: number;

  @Field(() => Int, { description: 'Sum of all signed movements in the window, units.' })
  netMovementUnits!: number;

  @Field(() => Int, { description: 'Opening stock + net movements.' })
  expectedClosingStock!: number;
}

@ObjectType({ description: 'Three-way reconciliation of an own SKU: order sales vs stock movements vs listing readings.' })
export class Reconciliation {
  @Field(() => String, { description: 'The SKU reconciled.' })
  sku!: string;

  @Field(() => Boolean, { description: 'True when no finding exceeded the tolerance.' })
  ok!: boolean;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'RED when anything was found, else null.' })
  level!: 'RED' | null;

  @Field(() => [ReconciliationFindingView], { description: 'Each discrepancy beyond the tolerance.' })
  findings!: ReconciliationFindingView[];

  @Field(() => ReconciliationFigures, { description: 'The totals compared.' })
  figures!: ReconciliationFigures;

  @Field(() => Float, { description: 'Units a figure may differ by without a finding.' })
  toleranceAbsolute!: number;

  @Field(() => Float, { description: 'Share of the larger figure a figure may differ by without a finding.' })
  toleranceRelative!: number;

  @Field(() => Explanation, { description: 'The comparisons step by step.' })
  explanation!: Explanation;
}
