import { Node } from '../../graphql/node';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { centsTransformer, numberTransformer } from '../../db/columns';
import { WorkspaceOwned } from '../../db/workspace-owned';

@ObjectType({ description: 'One stage of the lead time, in days.' })
export class LeadTimeStage {
  @Field(() => Float, { description: 'Mean days.' })
  mean!: number;

  @Field(() => Float, { description: 'Standard deviation, days.' })
  sd!: number;
}

/**
 * A supplier of own SKUs: lead time as procurement + shipping + inbound (each mean and sd in days;
 * independent stages, so core/replenishment/leadTime.ts adds their means and their variances),
 * on-time rate, fixed cost per order and all-units price tiers. Name unique per workspace,
 * case-insensitively.
 */
@ObjectType({ description: 'A supplier: lead-time components, reliability, order cost and price tiers.', implements: Node })
@Entity({ name: 'supplier' })
@Index(['workspaceId', 'nameKey'], { unique: true })
export class Supplier extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'Unique name in the workspace (case-insensitive).' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'name_key', type: 'varchar', length: 200 })
  nameKey!: string;

  @Column({ name: 'procurement_mean', type: 'double precision', transformer: numberTransformer })
  procurementMean!: number;

  @Column({ name: 'procurement_sd', type: 'double precision', transformer: numberTransformer })
  procurementSd!: number;

  @Column({ name: 'shipping_mean', type: 'double precision', transformer: numberTransformer })
  shippingMean!: number;

  @Column({ name: 'shipping_sd', type: 'double precision', transformer: numberTransformer })
  shippingSd!: number;

  @Column({ name: 'inbound_mean', type: 'double precision', transformer: numberTransformer })
  inboundMean!: number;

  @Column({ name: 'inbound_sd', type: 'double precision', transformer: numberTransformer })
  inboundSd!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Longest lead time seen, days (the "max lead time" of the max-minus-average safety stock); default L̄ + 3·σ_L.',
  })
  @Column({ name: 'max_lead_time_days', type: 'double precision', nullable: true, transformer: numberTransformer })
  maxLeadTimeDays!: number | null;

  @Field(() => Float, { description: 'Share of deliveries on time, 0–1.' })
  @Column({ name: 'on_time_rate', type: 'double precision', transformer: numberTransformer })
  onTimeRate!: number;

  @Field(() => Float, { nullable: true, description: 'Mean extra days of a late delivery (supplier comparison); default max(1, L̄/2).' })
  @Column({ name: 'late_delay_days', type: 'double precision', nullable: true, transformer: numberTransformer })
  lateDelayDays!: number | null;

  @Field(() => Float, { description: "Fixed cost per order (EOQ's K)." })
  // No `default` here (the migration has it): TypeORM would run the transformer's `from` over the
  // value it has just written and return 50 as 0.5.
  @Column({ name: 'order_cost_cents', type: 'integer', transformer: centsTransformer })
  orderCost!: number;

  @Field(() => Date, { description: 'When the supplier was stored.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Field(() => Date, { description: 'Last change.' })
  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  /** Price tiers sorted by minQuantity; attached by the service/loader, not a column. */
  tiers?: SupplierPriceTier[];
}

@ObjectType({ description: 'All-units price break: orders of at least minQuantity pay unitCost for every unit.' })
@Entity({ name: 'supplier_price_tier' })
@Index(['supplierId', 'minQuantity'], { unique: true })
export class SupplierPriceTier {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'supplier_id', type: 'varchar', length: 36 })
  supplierId!: string;

  @ManyToOne(() => Supplier, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Supplier;

  @Field(() => Int, { description: 'Orders of at least this many units get this price, units.' })
  @Column({ name: 'min_quantity', type: 'integer' })
  minQuantity!: number;

  @Field(() => Float, { description: 'Price per unit for every unit of such an order.' })
  @Column({ name: 'unit_cost_cents', type: 'integer', transformer: centsTransformer })
  unitCost!: number;
}
