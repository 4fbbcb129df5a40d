import { Node } from '../../graphql/node';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn, type ValueTransformer } from 'typeorm';
import { WorkspaceOwned } from '../../db/workspace-owned';

const jsonTransformer: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? v : JSON.stringify(v)),
  from: (v: string | null) => (v === null ? null : JSON.parse(v)),
};

/**
 * A named profitability scenario. The input is stored, not the result: reading it re-evaluates
 * against today's product data, so a scenario tied to a sku follows its sales.
 */
@ObjectType({ description: 'A saved profitability scenario; result is re-evaluated when read.', implements: Node })
@Entity({ name: 'profitability_scenario' })
@Index(['workspaceId', 'nameKey'], { unique: true })
export class SavedProfitabilityScenario extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'Unique name in the workspace (case-insensitive).' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'name_key', type: 'varchar', length: 200 })
  nameKey!: string;

  @Field(() => GraphQLJSONObject, { description: 'The ProfitabilityScenarioInput as saved.' })
  @Column({ type: 'text', transformer: jsonTransformer })
  input!: Record<string, unknown>;

  @Field(() => Date, { description: 'When it was first saved.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it was last saved.' })
  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
