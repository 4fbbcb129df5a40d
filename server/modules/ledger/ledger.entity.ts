import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MOVEMENT_TYPES, type MovementType as CoreMovementType } from '../../../core/anomalies';
import type { DealType as CoreDealType } from '../../../core/series/types';
import { Product } from '../product/product.entity';
import { DealType } from '../snapshot/snapshot.entity';

export const MovementType = Object.fromEntries(MOVEMENT_TYPES.map((t) => [t, t])) as { [K in CoreMovementType]: K };
registerEnumType(MovementType, {
  name: 'StockMovementType',
  description: 'RECEIPT and RETURN add units (quantity ≥ 0), SALE removes them (≤ 0), ADJUSTMENT and TRANSFER go either way.',
  valuesConfig: {
    TRANSFER: { description: 'Moved between warehouses (either sign).' },
    ADJUSTMENT: { description: 'Stock count correction (either sign).' },
    RETURN: { description: 'A customer return back into stock (quantity ≥ 0).' },
    SALE: { description: 'Goods shipped to a customer (quantity ≤ 0).' },
    RECEIPT: { description: 'Goods received (quantity ≥ 0).' },
  },
});

/**
 * The three own-SKU ledgers reconciled against each other after a deal: warehouse stock movements,
 * order-system sales and own-listing stock readings. Rows belong to a product (its workspace through
 * it, like snapshots through their competitor) and are immutable: a correction is a new ADJUSTMENT
 * movement, so re-sending a batch never changes what was stored.
 */
@ObjectType({ description: 'Base of own-SKU ledger rows (not part of the schema).' })
export abstract class ProductLedgerRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Product;

  @Field(() => Date, { description: 'When the movement happened.' })
  @Column({ type: Date })
  at!: Date;

  @CreateDateColumn({ name: 'ingested_at', type: Date })
  ingestedAt!: Date;
}

/** Warehouse stock movement. Idempotent by (product, dedupe key): the reference when given, else (at, type, quantity). */
@ObjectType({ description: 'One warehouse stock movement of an own SKU (signed quantity).' })
@Entity({ name: 'stock_movement' })
@Index(['productId', 'dedupeKey'], { unique: true })
@Index(['productId', 'at'])
export class StockMovementRow extends ProductLedgerRow {
  @Field(() => Int, { description: 'Signed units: + into stock, − out of it.' })
  @Column({ type: 'integer' })
  quantity!: number;

  @Field(() => MovementType, { description: 'Receipt, sale, return, adjustment or transfer.' })
  @Column({ type: 'varchar', length: 12 })
  type!: CoreMovementType;

  @Field(() => String, { nullable: true, description: 'Warehouse document / shipment id; a repeated reference is a duplicate.' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 120 })
  dedupeKey!: string;
}

/** Order-system sale line. Idempotent by (product, orderId). */
@ObjectType({ description: 'Units of an own SKU sold in one order, as the order system recorded it.' })
@Entity({ name: 'order_sale' })
@Index(['productId', 'orderId'], { unique: true })
@Index(['productId', 'at'])
export class OrderSaleRow extends ProductLedgerRow {
  @Field(() => String, { description: "The order system's order id." })
  @Column({ name: 'order_id', type: 'varchar', length: 100 })
  orderId!: string;

  @Field(() => Int, { description: 'Units of the SKU in the order.' })
  @Column({ type: 'integer' })
  units!: number;
}

/** Own-listing stock reading on the marketplace, with the own deal shown then. Idempotent by (product, at). */
@ObjectType({ description: 'Stock of an own listing as the marketplace showed it, and the own deal shown at that moment.' })
@Entity({ name: 'stock_reading' })
@Index(['productId', 'at'], { unique: true })
export class StockReadingRow extends ProductLedgerRow {
  @Field(() => Int, {
    nullable: true,
    description: 'Units available; negative when oversold; null when unknown. A floor when stockIsLowerBound.',
  })
  @Column({ type: 'integer', nullable: true })
  stock!: number | null;

  @Field(() => Boolean, { description: 'True when the source caps stock ("10+", "999+"): real stock ≥ stock.' })
  @Column({ name: 'stock_is_lower_bound', type: 'boolean', default: false })
  stockIsLowerBound!: boolean;

  @Field(() => String, { nullable: true, description: 'Where the reading came from; null when not given.' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  source!: string | null;

  @Field(() => DealType, { description: 'Own deal shown on the listing at this moment (NONE: no deal).' })
  @Column({ name: 'deal_type', type: 'varchar', length: 20, default: 'NONE' })
  dealType!: CoreDealType;

  @Field(() => Date, { nullable: true, description: 'When the own deal shown ends; null when none.' })
  @Column({ name: 'deal_ends_at', type: Date, nullable: true })
  dealEndsAt!: Date | null;
}
