import { Field, ID, ObjectType } from 'type-graphql';
import { Column, PrimaryColumn } from 'typeorm';

/**
 * The two columns every tenant-owned row starts with: a UUID id (the GraphQL ID where the row is
 * exposed) and its workspace, which every query filters on.
 */
@ObjectType({ description: 'Base of tenant-owned rows (not part of the schema).' })
export abstract class WorkspaceOwned {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId!: string;
}
