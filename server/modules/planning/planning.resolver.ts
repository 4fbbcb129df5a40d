import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Product } from '../product/product.entity';
import {
  CompareSuppliersInput,
  EoqInput,
  ProfitabilityScenarioInput,
  ProfitabilityScenariosArgs,
  ReplenishmentPlanArgs,
  SaveProfitabilityScenarioInput,
  SkuPriorityMatrixArgs,
} from './planning.inputs';
import {
  EoqResult,
  MaxMinusAverageSafetyStock,
  PeakCoverageQuantityOption,
  PriorityMatrix,
  ProfitabilityScenarioResult,
  QuantityOptions,
  ReplenishmentPlan,
  SafetyStockOptions,
  SupplierComparison,
} from './planning.types';
import { SavedProfitabilityScenario } from './scenario.entity';
import type { PlanningService } from './planning.service';

export const SavedProfitabilityScenarioConnection = Connection(SavedProfitabilityScenario, 'SavedProfitabilityScenario');

@Resolver()
export class PlanningResolver {
  constructor(private readonly planningService: PlanningService) {}

  @Query(() => EoqResult, {
    description: 'Economic order quantity, with all-units price tiers when given: Q, tier, annual cost and the cost curve.',
  })
  eoq(@Arg('input', () => EoqInput, { description: 'Demand, costs and price tiers.' }) input: EoqInput): EoqResult {
    return this.planningService.eoq(input);
  }

  @Query(() => ProfitabilityScenarioResult, { description: 'Contribution per order quantity as a curve, with the best quantity.' })
  profitabilityScenario(
    @Arg('input', () => ProfitabilityScenarioInput, { description: 'The scenario to evaluate.' }) input: ProfitabilityScenarioInput,
    @Ctx() ctx: Context,
  ): Promise<ProfitabilityScenarioResult> {
    return this.planningService.scenario(ctx.workspaceId, input, ctx.loaders);
  }

  @Query(() => SavedProfitabilityScenarioConnection, { description: 'Saved scenarios, by name.' })
  profitabilityScenarios(
    @Args(() => ProfitabilityScenariosArgs) args: ProfitabilityScenariosArgs,
    @Ctx() ctx: Context,
  ): Promise<Page<SavedProfitabilityScenario>> {
    return this.planningService.listScenarios(ctx.workspaceId, args);
  }

  @Mutation(() => SavedProfitabilityScenario, {
    description: 'Saves a scenario under a name (replacing one of the same name, case-insensitive).',
  })
  saveProfitabilityScenario(
    @Arg('input', () => SaveProfitabilityScenarioInput, { description: 'Name and scenario; an existing name is overwritten.' })
    input: SaveProfitabilityScenarioInput,
    @Ctx() ctx: Context,
  ): Promise<SavedProfitabilityScenario> {
    return this.planningService.saveScenario(ctx.workspaceId, input, ctx.loaders);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a saved scenario; true when deleted (NOT_FOUND when this workspace has none with the id).',
  })
  deleteProfitabilityScenario(
    @Arg('id', () => ID, { description: 'Id of the saved scenario.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.planningService.deleteScenario(ctx.workspaceId, id);
  }

  @Query(() => SupplierComparison, {
    description: 'Two or more suppliers compared by seeded Monte Carlo over lead-time outcomes, with a recommendation.',
  })
  compareSuppliers(
    @Arg('input', () => CompareSuppliersInput, { description: 'The suppliers and the SKU or demand to compare them for.' })
    input: CompareSuppliersInput,
    @Ctx() ctx: Context,
  ): Promise<SupplierComparison> {
    return this.planningService.compareSuppliers(ctx.workspaceId, input, ctx.loaders);
  }

  @Query(() => PriorityMatrix, {
    description: "Profit contribution × stockout risk over the workspace's products: what to reorder first, what to pause.",
  })
  skuPriorityMatrix(@Args(() => SkuPriorityMatrixArgs) args: SkuPriorityMatrixArgs, @Ctx() ctx: Context): Promise<PriorityMatrix> {
    return this.planningService.priorityMatrix(ctx.workspaceId, args, ctx.loaders);
  }
}

@Resolver(() => SavedProfitabilityScenario)
export class SavedScenarioResolver {
  constructor(private readonly planningService: PlanningService) {}

  @FieldResolver(() => ProfitabilityScenarioResult, {
    nullable: true,
    description: 'Evaluated now, against current product data; null (with an error saying why) when the saved input no longer evaluates.',
  })
  result(@Root() s: SavedProfitabilityScenario, @Ctx() ctx: Context): Promise<ProfitabilityScenarioResult> {
    return this.planningService.evaluateSaved(s, ctx.loaders);
  }
}

@Resolver(() => Product)
export class ProductPlanResolver {
  constructor(private readonly planningService: PlanningService) {}

  @FieldResolver(() => ReplenishmentPlan, {
    nullable: true,
    description:
      'Replenishment plan as of today (UTC): safety stock by both rules, reorder point, order quantities, order-by date. Null (with an error naming the argument) when no lead time is known.',
  })
  replenishmentPlan(
    @Root() p: Product,
    @Args(() => ReplenishmentPlanArgs) args: ReplenishmentPlanArgs,
    @Ctx() ctx: Context,
  ): Promise<ReplenishmentPlan> {
    return this.planningService.plan(p, args, ctx.loaders);
  }
}

/** `SafetyStockOptions.brief`, the first name of `maxMinusAverage`: kept one release for existing clients. */
@Resolver(() => SafetyStockOptions)
export class SafetyStockOptionsAliasResolver {
  @FieldResolver(() => MaxMinusAverageSafetyStock, { deprecationReason: 'Use maxMinusAverage', description: 'Same as maxMinusAverage.' })
  brief(@Root() o: SafetyStockOptions): MaxMinusAverageSafetyStock {
    return o.maxMinusAverage;
  }
}

/** `QuantityOptions.brief`, the first name of `peakCoverage`: kept one release for existing clients. */
@Resolver(() => QuantityOptions)
export class QuantityOptionsAliasResolver {
  @FieldResolver(() => PeakCoverageQuantityOption, { deprecationReason: 'Use peakCoverage', description: 'Same as peakCoverage.' })
  brief(@Root() o: QuantityOptions): PeakCoverageQuantityOption {
    return o.peakCoverage;
  }
}
