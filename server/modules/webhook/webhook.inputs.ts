import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { AlertKind, AlertLevel } from '../../../core/alerts/types';
import { AlertKindEnum, AlertLevelEnum } from '../alert/alert.entity';
import { Webhook } from './webhook.entity';

@InputType()
export class RegisterWebhookInput {
  @Field(() => String, { description: 'http(s) URL that receives POSTs.' })
  url!: string;

  @Field(() => [AlertKindEnum], { nullable: true, description: 'Alert kinds to deliver; omitted or empty = all.' })
  kinds?: AlertKind[] | null;

  @Field(() => AlertLevelEnum, { nullable: true, defaultValue: 'YELLOW' })
  minLevel!: AlertLevel;
}

@ObjectType({ description: 'A new webhook and its signing secret. The secret is shown only here, once.' })
export class RegisteredWebhook {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'HMAC-SHA256 key: X-RestockRadar-Signature = sha256=<hex HMAC of the raw body>.' })
  secret!: string;

  @Field(() => Webhook)
  webhook!: Webhook;
}

@ArgsType()
export class DeliveriesArgs {
  @Field(() => ID)
  webhookId!: string;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
