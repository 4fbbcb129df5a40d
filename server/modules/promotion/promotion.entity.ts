import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from '../../db/workspace-owned';

/**
 * One promotion period of an own product (migration 1765400000000-Promotions). Days are the Date of
 * their UTC midnight, both ends inclusive; the GraphQL type is built by the service (promotion.types.ts).
 */
@Entity({ name: 'promotion' })
@Index('IDX_promotion_workspace_start', ['workspaceId', 'startDay', 'id'])
@Index('IDX_promotion_product_start', ['productId', 'startDay'])
export class PromotionRow extends WorkspaceOwned {
  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ name: 'start_day', type: Date })
  startDay!: Date;

  @Column({ name: 'end_day', type: Date })
  endDay!: Date;

  @Column({ name: 'discount_pct', type: 'double precision', nullable: true })
  discountPct!: number | null;

  @Column({ type: 'integer', nullable: true })
  quantity!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
