import { PageArgs } from '../../graphql/connection';
import { ArgsType, Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import type { AlertKind, AlertLevel } from '../../../core/alerts/types';
import { AlertKindEnum, AlertLevelEnum } from '../alert/alert.entity';
import { Webhook } from './webhook.entity';

@InputType({ description: 'A receiver of alert deliveries.' })
export class RegisterWebhookInput {
  @Field(() => String, {
    description:
      'http(s) URL that receives POSTs. Its host must resolve to public addresses only, unless the operator allows it (RESTOCK_RADAR_WEBHOOK_ALLOW).',
  })
  url!: string;

  @Field(() => [AlertKindEnum], { nullable: true, description: 'Alert kinds to deliver; omitted or empty = all.' })
  kinds?: AlertKind[] | null;

  @Field(() => AlertLevelEnum, {
    nullable: true,
    defaultValue: 'YELLOW',
    description: 'Lowest level delivered (default YELLOW: every level).',
  })
  minLevel!: AlertLevel;
}

@ObjectType({ description: 'A webhook and its new signing secret. The secret is shown only here, once.' })
export class RegisteredWebhook {
  @Field(() => ID, { description: 'The webhook id.' })
  id!: string;

  @Field(() => String, {
    description:
      'Standard Webhooks secret `whsec_<base64 key>`: webhook-signature = v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>. The deprecated X-RestockRadar-Signature = sha256=<hex HMAC-SHA256 of the body keyed with this whole text>.',
  })
  secret!: string;

  @Field(() => Webhook, { description: 'The webhook as stored.' })
  webhook!: Webhook;
}

@ArgsType()
export class DeliveriesArgs extends PageArgs {
  @Field(() => ID, { description: 'The webhook whose attempts to list.' })
  webhookId!: string;
}

@ArgsType()
export class RotateWebhookSecretArgs {
  @Field(() => ID, { description: 'The webhook whose secret is replaced.' })
  id!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Hours the previous secret stays valid (deliveries signed with both), 0 to 720; default 24. 0 ends it at once.',
  })
  graceHours?: number | null;
}
