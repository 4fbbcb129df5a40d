import { Node } from '../../graphql/node';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from '../../db/workspace-owned';

export enum CompetitorTier {
  CORE = 'CORE',
  GENERAL = 'GENERAL',
  POTENTIAL = 'POTENTIAL',
}
registerEnumType(CompetitorTier, {
  name: 'CompetitorTier',
  description: 'How closely a listing is watched: sets capture expectations and alert strictness.',
});

/** A competitor listing on a marketplace, identified by (marketplace, ASIN) within a workspace. */
@ObjectType({ description: 'A competitor listing watched by this workspace.', implements: Node })
@Entity({ name: 'competitor' })
@Index(['workspaceId', 'marketplace', 'asin'], { unique: true })
export class Competitor extends WorkspaceOwned implements Node {
  @Field(() => String, { description: 'ASIN or marketplace listing id.' })
  @Column({ type: 'varchar', length: 40 })
  asin!: string;

  @Field(() => String, { description: 'Marketplace code, e.g. US, DE, JP.' })
  @Column({ type: 'varchar', length: 8 })
  marketplace!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  brand!: string | null;

  @Field(() => CompetitorTier)
  @Column({ type: 'varchar', length: 12 })
  tier!: CompetitorTier;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
