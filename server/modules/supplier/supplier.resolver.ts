import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { LeadTimeStage, Supplier, SupplierPriceTier } from './supplier.entity';
import { SupplierLookupArgs, SuppliersArgs, UpsertSupplierInput } from './supplier.inputs';
import { LeadTimeSummary, leadTimeSummary } from './supplier.types';
import type { SupplierService } from './supplier.service';

export const SupplierConnection = Connection(Supplier, 'Supplier');

@Resolver(() => Supplier)
export class SupplierResolver {
  constructor(private readonly supplierService: SupplierService) {}

  @Query(() => SupplierConnection, { description: 'Suppliers of this workspace, ordered by name.' })
  suppliers(@Args(() => SuppliersArgs) args: SuppliersArgs, @Ctx() ctx: Context): Promise<Page<Supplier>> {
    return this.supplierService.list(ctx.workspaceId, args);
  }

  @Query(() => Supplier, { nullable: true, description: 'One supplier by id or by name (case-insensitive).' })
  supplier(@Args(() => SupplierLookupArgs) args: SupplierLookupArgs, @Ctx() ctx: Context): Promise<Supplier | null> {
    return this.supplierService.lookup(ctx.workspaceId, args);
  }

  @Mutation(() => Supplier, { description: 'Creates or updates a supplier (by id, else by name).' })
  upsertSupplier(
    @Arg('input', () => UpsertSupplierInput, { description: 'The supplier; omitted fields keep their value.' }) input: UpsertSupplierInput,
    @Ctx() ctx: Context,
  ): Promise<Supplier> {
    return this.supplierService.upsert(ctx.workspaceId, input);
  }

  @FieldResolver(() => LeadTimeStage, { description: 'Order processing / production, days.' })
  procurement(@Root() s: Supplier): LeadTimeStage {
    return { mean: s.procurementMean, sd: s.procurementSd };
  }

  @FieldResolver(() => LeadTimeStage, { description: 'Transport, days.' })
  shipping(@Root() s: Supplier): LeadTimeStage {
    return { mean: s.shippingMean, sd: s.shippingSd };
  }

  @FieldResolver(() => LeadTimeStage, { description: 'Receiving, QC, labelling and shelving, days.' })
  inbound(@Root() s: Supplier): LeadTimeStage {
    return { mean: s.inboundMean, sd: s.inboundSd };
  }

  @FieldResolver(() => LeadTimeSummary, { description: 'The three stages combined.' })
  leadTime(@Root() s: Supplier): LeadTimeSummary {
    return leadTimeSummary(s);
  }

  @FieldResolver(() => [SupplierPriceTier], { description: 'All-units price breaks, smallest first.' })
  tiers(@Root() s: Supplier, @Ctx() ctx: Context): Promise<SupplierPriceTier[]> {
    return ctx.loaders.suppliers.tiers.load(s.id);
  }
}
