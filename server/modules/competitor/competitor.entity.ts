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
  valuesConfig: {
    POTENTIAL: { description: 'Listing seen in the data but not yet classified (the tier of competitors created by imports).' },
    GENERAL: { description: 'Regular competitor (the default for one created by upsertCompetitor).' },
    CORE: { description: 'Direct rival watched closely: alerts one level higher, stale sooner.' },
  },
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

  @Field(() => String, { nullable: true, description: 'Listing title as last imported or set; null when unknown.' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true, description: 'Brand as last imported or set; null when unknown.' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  brand!: string | null;

  @Field(() => CompetitorTier, { description: 'How closely this competitor is watched (alert levels, staleness).' })
  @Column({ type: 'varchar', length: 12 })
  tier!: CompetitorTier;

  @Field(() => Date, { description: 'When the competitor was first stored.' })
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Field(() => Date, { description: 'Last change of title, brand or tier.' })
  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
