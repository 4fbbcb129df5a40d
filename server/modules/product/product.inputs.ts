import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AbcClass, PurchaseOrderStatus } from './product.entity';

@InputType({ description: 'Creates a product or updates the one with the same sku. Omitted fields keep their value.' })
export class UpsertProductInput {
  @Field(() => String, { description: 'The SKU (case-sensitive): the product to update, or to create.' })
  sku!: string;

  @Field(() => String, { nullable: true, description: 'Required for a new product.' })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: 'Purchase price per unit (rounded to cents). Required for a new product.' })
  unitCost?: number | null;

  @Field(() => Float, { nullable: true, description: 'Selling price per unit (rounded to cents). Required for a new product.' })
  price?: number | null;

  @Field(() => AbcClass, { nullable: true, description: 'Default B for a new product.' })
  abcClass?: AbcClass | null;

  @Field(() => Int, { nullable: true, description: 'Units on hand (default 0 for a new product).' })
  onHand?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minimum order quantity (default 0 = none).' })
  moq?: number | null;

  @Field(() => Int, { nullable: true, description: 'Units per case (default 1).' })
  casePack?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most units the warehouse can hold; null clears it.' })
  storageLimit?: number | null;

  @Field(() => ID, { nullable: true, description: 'Links the supplier; null unlinks. Alternative: supplier (by name).' })
  supplierId?: string | null;

  @Field(() => String, { nullable: true, description: 'Links the supplier with this name (case-insensitive).' })
  supplier?: string | null;
}

@InputType({ description: 'Units of one SKU sold on one calendar day.' })
export class SalesInput {
  @Field(() => String, { description: 'An own SKU of this workspace.' })
  sku!: string;

  @Field(() => String, { description: 'ISO calendar day, YYYY-MM-DD.' })
  date!: string;

  @Field(() => Int, { description: 'Units sold that day, ≥ 0.' })
  units!: number;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'False when the SKU was out of stock (all or part of the day): the day is then left out of demand statistics.',
  })
  inStock!: boolean;
}

@ObjectType({ description: 'Outcome of a recordSales batch.' })
export class RecordSalesResult {
  @Field(() => Int, { description: 'Days stored for the first time.' })
  inserted!: number;

  @Field(() => Int, { description: 'Days that already existed and were overwritten with the new values.' })
  updated!: number;
}

@InputType({ description: 'An order placed with a supplier; it counts as in transit until received or cancelled.' })
export class RecordPurchaseOrderInput {
  @Field(() => String, { description: 'An own SKU of this workspace.' })
  sku!: string;

  @Field(() => Int, { description: 'Units ordered, ≥ 1.' })
  quantity!: number;

  @Field(() => Date, { description: 'Expected arrival. Plans use its UTC calendar day.' })
  expectedAt!: Date;

  @Field(() => ID, { nullable: true, description: "Default: the product's supplier." })
  supplierId?: string | null;

  @Field(() => String, { nullable: true, description: 'Supplier by name (alternative to supplierId).' })
  supplier?: string | null;

  @Field(() => String, { nullable: true, description: 'Your order number.' })
  reference?: string | null;
}

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on sku or name.' })
  search?: string | null;

  @Field(() => AbcClass, { nullable: true, description: 'Only products of this ABC class; omitted: all.' })
  abcClass?: AbcClass | null;
}

@ArgsType()
export class SalesArgs {
  @Field(() => String, { nullable: true, description: 'First day (inclusive), YYYY-MM-DD. Default: the 90 days ending with `to`.' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day (inclusive), YYYY-MM-DD. Default: today (UTC).' })
  to?: string | null;
}

@ArgsType()
export class OpenPurchaseOrdersArgs {
  @Field(() => Int, { nullable: true, description: 'At most this many, earliest expected first (1–500, default 100).' })
  first?: number | null;
}

@ArgsType()
export class PurchaseOrdersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only orders of this SKU; an unknown SKU gives an empty page.' })
  sku?: string | null;

  @Field(() => PurchaseOrderStatus, { nullable: true, description: 'Only orders with this status; omitted: all.' })
  status?: PurchaseOrderStatus | null;
}
