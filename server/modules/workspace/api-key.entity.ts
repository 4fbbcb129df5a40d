import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Workspace } from './workspace.entity';
import { WorkspaceOwned } from '../../db/workspace-owned';

/** An API key is stored only as its SHA-256 hash; `prefix` lets people tell keys apart. */
@Entity({ name: 'api_key' })
export class ApiKey extends WorkspaceOwned {
  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  label!: string;

  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;
}
