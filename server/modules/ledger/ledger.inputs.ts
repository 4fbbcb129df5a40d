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
});

@InputType({ description: 'A warehouse stock movement of an own SKU.' })
export class StockMovementInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => Int, { description: 'Signed units: RECEIPT/RETURN ≥ 0, SALE ≤ 0, ADJUSTMENT/TRANSFER either.' })
  quantity!: number;

  @Field(() => MovementType)
  type!: CoreMovementType;

  @Field(() => String, {
    nullable: true,
    description: 'Warehouse document id. Identifies the movement (per SKU); without it (at, type, quantity) does.',
  })
  reference?: string | null;
}

@InputType({ description: 'Units of an own SKU in one order, as the order system recorded them.' })
export class OrderSaleInput {
  @Field(() => String)
  sku!: string;

  @Field(() => String, { description: 'Identifies the sale (per SKU): re-sending it is a duplicate.' })
  orderId!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => Int)
  units!: number;
}

@InputType({ description: 'Stock of an own listing as the marketplace showed it, with the own deal shown then.' })
export class StockReadingInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'May be negative (oversold); null when unknown.' })
  stock?: number | null;

  @Field(() => Boolean, { defaultValue: false, description: 'True when the source caps stock ("10+", "999+").' })
  stockIsLowerBound!: boolean;

  @Field(() => String, { nullable: true })
  source?: string | null;

  @Field(() => DealType, { defaultValue: 'NONE', description: 'Own deal shown at this moment.' })
  dealType!: CoreDealType;

  @Field(() => Date, { nullable: true, description: 'When the own deal shown ends.' })
  dealEndsAt?: Date | null;
}

@InputType({ description: 'Own-SKU ledger entries from the three sources; at most 10,000 items in all, stored all or nothing.' })
export class RecordLedgerInput {
  @Field(() => [StockMovementInput], { defaultValue: [] })
  stockMovements!: StockMovementInput[];

  @Field(() => [OrderSaleInput], { defaultValue: [] })
  orderSales!: OrderSaleInput[];

  @Field(() => [StockReadingInput], { defaultValue: [] })
  stockReadings!: StockReadingInput[];
}

@ObjectType({ description: 'Rows stored and rows already present (skipped) for one ledger.' })
export class LedgerCount {
  @Field(() => Int)
  inserted!: number;

  @Field(() => Int, { description: 'Already stored (same reference/orderId/reading time): skipped, never changed.' })
  duplicates!: number;
}

@ObjectType({ description: 'Outcome of recordLedger.' })
export class RecordLedgerResult {
  @Field(() => LedgerCount)
  stockMovements!: LedgerCount;

  @Field(() => LedgerCount)
  orderSales!: LedgerCount;

  @Field(() => LedgerCount)
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
  @Field(() => String)
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
  @Field(() => ReconciliationCodeEnum)
  code!: ReconciliationCode;

  @Field(() => AlertLevelEnum)
  level!: 'RED';

  @Field(() => Date, { nullable: true })
  at!: Date | null;

  @Field(() => Float)
  expected!: number;

  @Field(() => Float)
  actual!: number;

  @Field(() => Float)
  difference!: number;

  @Field(() => Float)
  tolerance!: number;

  @Field(() => String)
  detail!: string;
}

@ObjectType({ description: 'The figures the reconciliation compared.' })
export class ReconciliationFigures {
  @Field(() => Date, { description: 'Time of the opening reading.' })
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => Int)
  openingStock!: number;

  @Field(() => Int, { nullable: true, description: 'Newest exact reading in the window (null: none after the opening one).' })
  closingStock!: number | null;

  @Field(() => Int)
  recordedSalesUnits!: number;

  @Field(() => Int)
  saleMovementUnits!: number;

  @Field(() => Int)
  netMovementUnits!: number;

  @Field(() => Int, { description: 'Opening stock + net movements.' })
  expectedClosingStock!: number;
}

@ObjectType({ description: 'Three-way reconciliation of an own SKU: order sales vs stock movements vs listing readings.' })
export class Reconciliation {
  @Field(() => String)
  sku!: string;

  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => AlertLevelEnum, { nullable: true, description: 'RED when anything was found, else null.' })
  level!: 'RED' | null;

  @Field(() => [ReconciliationFindingView])
  findings!: ReconciliationFindingView[];

  @Field(() => ReconciliationFigures)
  figures!: ReconciliationFigures;

  @Field(() => Float)
  toleranceAbsolute!: number;

  @Field(() => Float)
  toleranceRelative!: number;

  @Field(() => Explanation)
  explanation!: Explanation;
}
