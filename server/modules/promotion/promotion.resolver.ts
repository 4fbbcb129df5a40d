import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Connection, type Page } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import type { PromotionType as CorePromotionType } from '../../../core/forecast/promotions';
import { parseDay } from '../product/days';
import type { PromotionService } from './promotion.service';
import { PromotionsArgs, RecordPromotionInput, UpdatePromotionInput } from './promotion.inputs';
import { MeasuredLift, Promotion, PromotionLiftEstimate, PromotionStatus } from './promotion.types';

export const PromotionConnection = Connection(Promotion, 'Promotion');

@Resolver(() => Promotion)
export class PromotionResolver {
  constructor(private readonly promotionService: PromotionService) {}

  @Query(() => PromotionConnection, { description: "The seller's own promotions, by first day then id." })
  promotions(@Args(() => PromotionsArgs) args: PromotionsArgs, @Ctx() ctx: Context): Promise<Page<Promotion>> {
    return this.promotionService.list(ctx.workspaceId, args);
  }

  @Mutation(() => Promotion, { description: 'Records a promotion period of an own product (it may not overlap another of the same sku).' })
  recordPromotion(
    @Arg('input', () => RecordPromotionInput, { description: 'The promotion period.' }) input: RecordPromotionInput,
    @Ctx() ctx: Context,
  ): Promise<Promotion> {
    return this.promotionService.record(ctx.workspaceId, input);
  }

  @Mutation(() => Promotion, { description: 'Changes a promotion; omitted fields keep their value.' })
  updatePromotion(
    @Arg('input', () => UpdatePromotionInput, { description: 'The promotion id and the fields to change.' }) input: UpdatePromotionInput,
    @Ctx() ctx: Context,
  ): Promise<Promotion> {
    return this.promotionService.update(ctx.workspaceId, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a promotion; false when no promotion has this id in the workspace.' })
  deletePromotion(@Arg('id', () => ID, { description: 'The promotion to delete.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.promotionService.delete(ctx.workspaceId, id);
  }

  @FieldResolver(() => MeasuredLift, {
    nullable: true,
    description: 'PAST promotions: the lift measured from the sales (null without 7 baseline days).',
  })
  measuredLift(@Root() p: Promotion, @Ctx() ctx: Context): Promise<MeasuredLift | null> {
    return this.promotionService.measured(p, ctx.loaders);
  }

  @FieldResolver(() => PromotionLiftEstimate, {
    nullable: true,
    description: "PLANNED and ACTIVE promotions: lift estimated from the workspace's past promotions (null without any).",
  })
  async liftEstimate(@Root() p: Promotion, @Ctx() ctx: Context): Promise<PromotionLiftEstimate | null> {
    if (p.status === PromotionStatus.PAST) return null;
    const period = {
      start: parseDay('start', p.start),
      end: parseDay('end', p.end),
      type: p.type as CorePromotionType,
      discountPct: p.discountPct,
    };
    const e = await this.promotionService.estimate(ctx.workspaceId, p.sku, period, ctx.loaders);
    return e ? this.promotionService.estimateType(e, p) : null;
  }
}
