import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { Supplier } from '../supplier/supplier.entity';
import { epochDayOf, isoOfDay, parseDay } from './days';
import { Product, PurchaseOrder, SalesDay } from './product.entity';
import {
  OpenPurchaseOrdersArgs,
  ProductsArgs,
  PurchaseOrdersArgs,
  RecordPurchaseOrderInput,
  RecordSalesResult,
  SalesArgs,
  SalesInput,
  UpsertProductInput,
} from './product.inputs';
import type { Clock } from '../../clock';
import { type ProductService, sku as skuOf } from './product.service';

export const ProductConnection = Connection(Product, 'Product');
export const PurchaseOrderConnection = Connection(PurchaseOrder, 'PurchaseOrder');

/** Longest span `Product.sales` returns in one call. */
export const MAX_SALES_SPAN_DAYS = 1000;

@Resolver(() => Product)
export class ProductResolver {
  constructor(
    private readonly productService: ProductService,
    private readonly clock: Clock,
  ) {}

  @Query(() => ProductConnection, { description: 'Own products of this workspace, ordered by sku.' })
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: Context): Promise<Page<Product>> {
    return this.productService.list(ctx.workspaceId, args);
  }

  @Query(() => Product, { nullable: true, description: 'One product by SKU; null when this workspace has none.' })
  product(
    @Arg('sku', () => String, { description: 'The SKU (case-sensitive).' }) sku: string,
    @Ctx() ctx: Context,
  ): Promise<Product | null> {
    return ctx.loaders.products.bySku.load(`${ctx.workspaceId}|${skuOf('sku', sku)}`);
  }

  @Mutation(() => Product, { description: 'Creates a product or updates the one with the same SKU.' })
  upsertProduct(
    @Arg('input', () => UpsertProductInput, { description: 'The product; omitted fields keep their value.' }) input: UpsertProductInput,
    @Ctx() ctx: Context,
  ): Promise<Product> {
    return this.productService.upsert(ctx.workspaceId, input);
  }

  @Mutation(() => RecordSalesResult, {
    description: 'Stores up to 10,000 daily sales, all or nothing. Re-sending a (sku, date) overwrites that day.',
  })
  recordSales(
    @Arg('input', () => [SalesInput], { description: 'Daily sales, at most 10,000 per call.' }) input: SalesInput[],
    @Ctx() ctx: Context,
  ): Promise<RecordSalesResult> {
    return this.productService.recordSales(ctx.workspaceId, input);
  }

  @FieldResolver(() => Supplier, { nullable: true, description: 'The linked supplier; null when none is linked.' })
  supplier(@Root() p: Product, @Ctx() ctx: Context): Promise<Supplier | null> | null {
    return p.supplierId ? ctx.loaders.suppliers.byId.load(p.supplierId) : null;
  }

  @FieldResolver(() => Int, { description: 'Units on open purchase orders.' })
  async inTransit(@Root() p: Product, @Ctx() ctx: Context): Promise<number> {
    const open = await ctx.loaders.products.openPurchaseOrders.load(p.id);
    return open.reduce((s, o) => s + o.quantity, 0);
  }

  @FieldResolver(() => [PurchaseOrder], { description: 'Open purchase orders, earliest expected arrival first.' })
  async openPurchaseOrders(
    @Root() p: Product,
    @Args(() => OpenPurchaseOrdersArgs) args: OpenPurchaseOrdersArgs,
    @Ctx() ctx: Context,
  ): Promise<PurchaseOrder[]> {
    const first = v.pageSize(args.first, 'first', 100);
    return (await ctx.loaders.products.openPurchaseOrders.load(p.id)).slice(0, first);
  }

  @FieldResolver(() => [SalesDay], {
    description: `Recorded sales days in [from, to], oldest first (at most ${MAX_SALES_SPAN_DAYS} days per call).`,
  })
  async sales(@Root() p: Product, @Args(() => SalesArgs) args: SalesArgs, @Ctx() ctx: Context): Promise<SalesDay[]> {
    const today = epochDayOf(this.clock.now());
    const to = args.to ? parseDay('to', args.to) : today;
    const from = args.from ? parseDay('from', args.from) : to - 89;
    if (from > to) throw badInput('from', `must not be after to (${isoOfDay(to)})`);
    if (to - from + 1 > MAX_SALES_SPAN_DAYS)
      throw badInput('from', `the range may span at most ${MAX_SALES_SPAN_DAYS} days, got ${to - from + 1}`);
    const rows = await ctx.loaders.products.sales.load({ productId: p.id, from, to });
    return rows.map((r) => ({ date: isoOfDay(r.day), units: r.units, inStock: r.inStock }));
  }
}

@Resolver(() => PurchaseOrder)
export class PurchaseOrderResolver {
  constructor(private readonly productService: ProductService) {}

  @Query(() => PurchaseOrderConnection, { description: 'Purchase orders, earliest expected arrival first.' })
  purchaseOrders(@Args(() => PurchaseOrdersArgs) args: PurchaseOrdersArgs, @Ctx() ctx: Context): Promise<Page<PurchaseOrder>> {
    return this.productService.listPurchaseOrders(ctx.workspaceId, args);
  }

  @Mutation(() => PurchaseOrder, { description: 'Records an order placed with a supplier; it is in transit until received or cancelled.' })
  recordPurchaseOrder(
    @Arg('input', () => RecordPurchaseOrderInput, { description: 'The order.' }) input: RecordPurchaseOrderInput,
    @Ctx() ctx: Context,
  ): Promise<PurchaseOrder> {
    return this.productService.recordPurchaseOrder(ctx.workspaceId, input);
  }

  @Mutation(() => PurchaseOrder, {
    description: 'Marks an open order received and adds the units (default: the ordered quantity) to on hand.',
  })
  receivePurchaseOrder(
    @Arg('id', () => ID, { description: 'Id of an open purchase order.' }) id: string,
    @Arg('quantity', () => Int, { nullable: true, description: 'Units received; omitted: the quantity ordered.' }) quantity: number | null,
    @Ctx() ctx: Context,
  ): Promise<PurchaseOrder> {
    return this.productService.receivePurchaseOrder(ctx.workspaceId, id, quantity);
  }

  @Mutation(() => PurchaseOrder, { description: 'Cancels an open order: it no longer counts as in transit.' })
  cancelPurchaseOrder(
    @Arg('id', () => ID, { description: 'Id of an open purchase order.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<PurchaseOrder> {
    return this.productService.cancelPurchaseOrder(ctx.workspaceId, id);
  }

  @FieldResolver(() => String, { description: "The product's sku." })
  async sku(@Root() o: PurchaseOrder, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.products.byId.load(o.productId))!.sku;
  }

  @FieldResolver(() => Supplier, { nullable: true, description: 'The supplier ordered from; null when none was linked.' })
  supplier(@Root() o: PurchaseOrder, @Ctx() ctx: Context): Promise<Supplier | null> | null {
    return o.supplierId ? ctx.loaders.suppliers.byId.load(o.supplierId) : null;
  }

  @FieldResolver(() => String, { description: 'UTC calendar day of expectedAt, YYYY-MM-DD: the arrival day plans use.' })
  expectedDate(@Root() o: PurchaseOrder): string {
    return isoOfDay(epochDayOf(o.expectedAt.getTime()));
  }
}
