import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The tenant: every row below hangs off one workspace and is invisible to the others. */
@Entity({ name: 'workspace' })
export class Workspace {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;
}
