import { Node } from '../../graphql/node';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { centsTransformer } from '../../db/columns';
import { Supplier } from '../supplier/supplier.entity';
import { WorkspaceOwned } from '../../db/workspace-owned';

export enum AbcClass {
  A = 'A',
  B = 'B',
  C = 'C',
}
registerEnumType(AbcClass, {
  name: 'AbcClass',
  description: 'ABC class: A = high value / critical (its safety stock gets a 20 % larger buffer), B, C.',
  valuesConfig: {
    C: { description: 'Slow movers: lenient alert profile.' },
    B: { description: 'Middle class (the default).' },
    A: { description: 'Top sellers: strict alert profile and a 1.2× safety stock multiplier.' },
  },
});

export enum PurchaseOrderStatus {
  OPEN = 'OPEN',
  RECEIVED = 'RECEIVED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PurchaseOrderStatus, {
  name: 'PurchaseOrderStatus',
  description: 'OPEN orders are in transit.',
  valuesConfig: {
    CANCELLED: { description: 'Cancelled: no longer in transit.' },
    RECEIVED: { description: 'Received into stock.' },
    OPEN: { description: 'Placed and not yet received: counts as in transit.' },
  },
});

/** An own SKU. Unique by sku within a workspace (case-sensitive, as marketplaces treat SKUs). */
@ObjectType({ description: 'An own SKU with its stock, constraints and supplier.', implements: Node })
@Entity({ name: 'product' })
@Index(['workspaceId', 'sku'], { unique: true })
export class Product extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'The SKU, unique in the workspace (case-sensitive).' })
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Field(() => String, { description: 'Product name.' })
  @Column({ type: 'varchar', length: 500 })
  name!: string;

  @Field(() => Float, { description: "Purchase price per unit below the supplier's first price break." })
  @Column({ name: 'unit_cost_cents', type: 'integer', transformer: centsTransformer })
  unitCost!: number;

  @Field(() => Float, { description: 'Selling price per unit.' })
  @Column({ name: 'price_cents', type: 'integer', transformer: centsTransformer })
  price!: number;

  @Field(() => AbcClass, { description: 'ABC class: sets the alert profile and the safety stock multiplier.' })
  @Column({ name: 'abc_class', type: 'varchar', length: 1, default: 'B' })
  abcClass!: AbcClass;

  @Field(() => Int, { description: 'Units on hand now.' })
  @Column({ name: 'on_hand', type: 'integer', default: 0 })
  onHand!: number;

  @Field(() => Int, { description: 'Minimum order quantity (0 = none).' })
  @Column({ type: 'integer', default: 0 })
  moq!: number;

  @Field(() => Int, { description: 'Units per case: orders are whole cases.' })
  @Column({ name: 'case_pack', type: 'integer', default: 1 })
  casePack!: number;

  @Field(() => Int, { nullable: true, description: 'Most units the warehouse can hold for this SKU (null = no limit).' })
  @Column({ name: 'storage_limit', type: 'integer', nullable: true })
  storageLimit!: number | null;

  @Column({ name: 'supplier_id', type: 'varchar', length: 36, nullable: true })
  supplierId!: string | null;

  @ManyToOne(() => Supplier, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Supplier | null;

  @Field(() => Date, { description: 'When the product was stored.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Field(() => Date, { description: 'Last change.' })
  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

/** Units sold on one calendar day. Unique per (product, day): re-sending a day updates it. */
@Entity({ name: 'sales_day' })
@Index(['productId', 'saleDate'], { unique: true })
export class SalesDayRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Product;

  /** UTC midnight of the day. */
  @Column({ name: 'sale_date', type: Date })
  saleDate!: Date;

  @Column({ type: 'integer' })
  units!: number;

  @Column({ name: 'in_stock', type: 'boolean', default: true })
  inStock!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

@ObjectType({ description: 'Units sold on one calendar day.' })
export class SalesDay {
  @Field(() => String, { description: 'ISO calendar day, YYYY-MM-DD.' })
  date!: string;

  @Field(() => Int, { description: 'Units sold that day.' })
  units!: number;

  @Field(() => Boolean, { description: 'False when the SKU was out of stock that day: such days do not count as demand.' })
  inStock!: boolean;
}

/** A purchase order for one SKU. OPEN orders are the product's in-transit stock. */
@ObjectType({ description: 'A purchase order for one SKU; open orders are in transit.', implements: Node })
@Entity({ name: 'purchase_order' })
@Index(['productId', 'status', 'expectedAt'])
export class PurchaseOrder extends WorkspaceOwned implements Node {
  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Product;

  @Column({ name: 'supplier_id', type: 'varchar', length: 36, nullable: true })
  supplierId!: string | null;

  @ManyToOne(() => Supplier, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Supplier | null;

  @Field(() => Int, { description: 'Units ordered.' })
  @Column({ type: 'integer' })
  quantity!: number;

  @Field(() => Date, { description: 'Expected arrival; its UTC calendar day is what plans use.' })
  @Column({ name: 'expected_at', type: Date })
  expectedAt!: Date;

  @Field(() => PurchaseOrderStatus, { description: 'Open (in transit), received or cancelled.' })
  @Column({ type: 'varchar', length: 12, default: 'OPEN' })
  status!: PurchaseOrderStatus;

  @Field(() => String, { nullable: true, description: 'Your PO number or note.' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Field(() => Int, { nullable: true, description: 'Units received; null until received.' })
  @Column({ name: 'received_quantity', type: 'integer', nullable: true })
  receivedQuantity!: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was received; null until received.' })
  @Column({ name: 'received_at', type: Date, nullable: true })
  receivedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled; null unless cancelled.' })
  @Column({ name: 'cancelled_at', type: Date, nullable: true })
  cancelledAt!: Date | null;

  @Field(() => Date, { description: 'When the order was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;
}
