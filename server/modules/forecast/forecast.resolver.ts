import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Competitor } from '../competitor/competitor.entity';
import { Product } from '../product/product.entity';
import {
  CompetitorForecastArgs,
  Forecast,
  ForecastAccuracyArgs,
  ForecastAccuracyReport,
  ForecastSubject,
  ForecastUnavailable,
  ForecastVsActualArgs,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_HORIZON_HOURS,
  MAX_HORIZON_DAYS,
  MAX_HORIZON_HOURS,
  ProductForecastArgs,
} from './forecast.types';
import type { CompetitorService } from '../competitor/competitor.service';
import type { ProductService } from '../product/product.service';
import type { ForecastService } from './forecast.service';

@Resolver(() => Product)
export class ProductForecastResolver {
  constructor(private readonly forecastService: ForecastService) {}

  @FieldResolver(() => Forecast, {
    nullable: true,
    description: `Daily demand forecast (1–${MAX_HORIZON_DAYS} days) starting the day after the last recorded sale, with 80/95 % intervals; stockout days are censored. The tracked configuration (AUTO, ${DEFAULT_HORIZON_DAYS} days) is stored as today's run; other models or horizons are ad hoc, never stored. Null without sales up to asOf (see forecastUnavailable).`,
  })
  forecast(@Root() p: Product, @Args(() => ProductForecastArgs) args: ProductForecastArgs, @Ctx() ctx: Context): Promise<Forecast | null> {
    return this.forecastService.productForecast(p, args, ctx.loaders.forecasts);
  }

  @FieldResolver(() => ForecastUnavailable, {
    nullable: true,
    description: 'Why `forecast` with the same arguments is null (NO_SALES, MODEL_FAILED); null when there is a forecast.',
  })
  forecastUnavailable(
    @Root() p: Product,
    @Args(() => ProductForecastArgs) args: ProductForecastArgs,
    @Ctx() ctx: Context,
  ): Promise<ForecastUnavailable | null> {
    return this.forecastService.productUnavailable(p, args, ctx.loaders.forecasts);
  }

  @FieldResolver(() => ForecastAccuracyReport, {
    description: 'Stored forecast runs of this product against the sales recorded since (the feedback loop).',
  })
  forecastVsActual(
    @Root() p: Product,
    @Args(() => ForecastVsActualArgs) args: ForecastVsActualArgs,
    @Ctx() ctx: Context,
  ): Promise<ForecastAccuracyReport> {
    return this.forecastService.accuracy(ctx.workspaceId, ForecastSubject.PRODUCT, p.id, args.days, ctx.loaders.forecasts);
  }
}

@Resolver(() => Competitor)
export class CompetitorForecastResolver {
  constructor(private readonly forecastService: ForecastService) {}

  @FieldResolver(() => Forecast, {
    nullable: true,
    description: `Hourly demand forecast (1–${MAX_HORIZON_HOURS} hours) from stock decreases over the last 14 days, with 80/95 % intervals; censored hours are lower bounds, capture gaps are missing; during a live deal the steps until the sell-out or the deal's end follow the deal's drain. The tracked configuration (AUTO, ${DEFAULT_HORIZON_HOURS} hours) is stored as today's run; other models or horizons are ad hoc, never stored. Where stock is not observable but the sales rank or a monthly-sold figure is, a daily forecast from rank-based demand (source RANK_MODEL or MONTHLY_SOLD, intervals widened by the rank → sales model's). Null when neither gives one: see forecastUnavailable.`,
  })
  forecast(
    @Root() c: Competitor,
    @Args(() => CompetitorForecastArgs) args: CompetitorForecastArgs,
    @Ctx() ctx: Context,
  ): Promise<Forecast | null> {
    return this.forecastService.competitorForecast(ctx.workspaceId, c, args, ctx.loaders.forecasts);
  }

  @FieldResolver(() => ForecastUnavailable, {
    nullable: true,
    description:
      'Why `forecast` with the same arguments is null (a reason and its sentence); null when there is a forecast. Computed once with `forecast` when both are asked.',
  })
  forecastUnavailable(
    @Root() c: Competitor,
    @Args(() => CompetitorForecastArgs) args: CompetitorForecastArgs,
    @Ctx() ctx: Context,
  ): Promise<ForecastUnavailable | null> {
    return this.forecastService.competitorUnavailable(ctx.workspaceId, c, args, ctx.loaders.forecasts);
  }
}

@Resolver()
export class ForecastAccuracyResolver {
  constructor(
    private readonly forecastService: ForecastService,
    private readonly productService: ProductService,
    private readonly competitorService: CompetitorService,
  ) {}

  @Query(() => ForecastAccuracyReport, {
    nullable: true,
    description: 'Forecast vs actual for a product or competitor by id; null when no such subject exists in this workspace.',
  })
  async forecastAccuracy(
    @Args(() => ForecastAccuracyArgs) args: ForecastAccuracyArgs,
    @Ctx() ctx: Context,
  ): Promise<ForecastAccuracyReport | null> {
    const { workspaceId } = ctx;
    const subject =
      args.subjectType === ForecastSubject.PRODUCT
        ? await this.productService.byId(workspaceId, args.subjectId)
        : await this.competitorService.byId(workspaceId, args.subjectId);
    if (!subject) return null;
    return this.forecastService.accuracy(workspaceId, args.subjectType, args.subjectId, args.days, ctx.loaders.forecasts);
  }
}
