import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Product } from '../product/product.entity';
import { OrderSaleRow, StockMovementRow, StockReadingRow } from './ledger.entity';
import { LedgerPageArgs, Reconciliation, ReconciliationArgs, RecordLedgerInput, RecordLedgerResult } from './ledger.inputs';
import type { LedgerService } from './ledger.service';

export const StockMovementConnection = Connection(StockMovementRow, 'StockMovement');
export const OrderSaleConnection = Connection(OrderSaleRow, 'OrderSale');
export const StockReadingConnection = Connection(StockReadingRow, 'StockReading');

@Resolver(() => Product)
export class LedgerResolver {
  constructor(private readonly ledgerService: LedgerService) {}

  @Mutation(() => RecordLedgerResult, {
    description:
      'Stores own-SKU ledger entries (warehouse movements, order-system sales, own-listing stock readings): at most 10,000 in all, all or nothing, idempotent. Ledgers are then reconciled (alert RECONCILIATION_MISMATCH).',
  })
  recordLedger(
    @Arg('input', () => RecordLedgerInput, { description: 'Movements, order sales and readings to store.' }) input: RecordLedgerInput,
    @Ctx() ctx: Context,
  ): Promise<RecordLedgerResult> {
    return this.ledgerService.record(ctx.workspaceId, input);
  }

  @Query(() => Reconciliation, {
    nullable: true,
    description:
      'Three-way reconciliation of an own SKU over a window (at most 92 days), with the tolerance its alert rule uses; null for an unknown SKU.',
  })
  reconciliation(@Args(() => ReconciliationArgs) args: ReconciliationArgs, @Ctx() ctx: Context): Promise<Reconciliation | null> {
    return this.ledgerService.reconciliation(ctx.workspaceId, args);
  }

  @FieldResolver(() => StockMovementConnection, { description: 'Warehouse stock movements in [from, to), oldest first.' })
  stockMovements(@Root() p: Product, @Args(() => LedgerPageArgs) args: LedgerPageArgs): Promise<Page<StockMovementRow>> {
    return this.ledgerService.page(StockMovementRow, 'stockMovements', p.id, args);
  }

  @FieldResolver(() => OrderSaleConnection, { description: 'Order-system sales in [from, to), oldest first.' })
  orderSales(@Root() p: Product, @Args(() => LedgerPageArgs) args: LedgerPageArgs): Promise<Page<OrderSaleRow>> {
    return this.ledgerService.page(OrderSaleRow, 'orderSales', p.id, args);
  }

  @FieldResolver(() => StockReadingConnection, { description: 'Own-listing stock readings in [from, to), oldest first.' })
  stockReadings(@Root() p: Product, @Args(() => LedgerPageArgs) args: LedgerPageArgs): Promise<Page<StockReadingRow>> {
    return this.ledgerService.page(StockReadingRow, 'stockReadings', p.id, args);
  }
}
