import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Connection, type Page, PageArgs } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { Webhook, WebhookDelivery } from './webhook.entity';
import { DeliveriesArgs, RegisteredWebhook, RegisterWebhookInput, RotateWebhookSecretArgs } from './webhook.inputs';
import type { WebhookService } from './webhook.service';

export const WebhookConnection = Connection(Webhook, 'Webhook');
export const WebhookDeliveryConnection = Connection(WebhookDelivery, 'WebhookDelivery');

@Resolver(() => Webhook)
export class WebhookResolver {
  constructor(private readonly webhookService: WebhookService) {}

  @Mutation(() => RegisteredWebhook, { description: 'Registers a receiver of signed alert deliveries; the secret is returned only here.' })
  async registerWebhook(
    @Arg('input', () => RegisterWebhookInput, { description: 'URL and filters.' }) input: RegisterWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<RegisteredWebhook> {
    const { webhook, secret } = await this.webhookService.register(ctx.workspaceId, input);
    return { id: webhook.id, secret, webhook };
  }

  @Mutation(() => RegisteredWebhook, {
    description:
      'Replaces a webhook’s signing secret, returned only here; the previous one stays valid for the grace period, during which every delivery carries both signatures.',
  })
  async rotateWebhookSecret(
    @Args(() => RotateWebhookSecretArgs) args: RotateWebhookSecretArgs,
    @Ctx() ctx: Context,
  ): Promise<RegisteredWebhook> {
    const { webhook, secret } = await this.webhookService.rotateSecret(ctx.workspaceId, args.id, args.graceHours);
    return { id: webhook.id, secret, webhook };
  }

  @Mutation(() => Boolean, { description: 'Deletes a webhook and drops its pending deliveries.' })
  deleteWebhook(@Arg('id', () => ID, { description: 'Id of the webhook.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.webhookService.remove(ctx.workspaceId, id);
  }

  @Query(() => WebhookConnection, { description: 'Webhooks of this workspace, in id order (stable from page to page).' })
  webhooks(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): Promise<Page<Webhook>> {
    return this.webhookService.list(ctx.workspaceId, args);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'Every delivery attempt of a webhook, newest first.' })
  webhookDeliveries(@Args(() => DeliveriesArgs) args: DeliveriesArgs, @Ctx() ctx: Context): Promise<Page<WebhookDelivery>> {
    return this.webhookService.deliveries(ctx.workspaceId, args.webhookId, args);
  }
}
