/**
 * The aggregates the server is made of. Adding one = one folder under modules/ and one entry here:
 * its entities and migrations join the data source, its resolvers the schema.
 */
import type { NonEmptyArray } from 'type-graphql';
import { Competitor } from './competitor/competitor.entity';
import { CompetitorResolver } from './competitor/competitor.resolver';
import { Snapshot } from './snapshot/snapshot.entity';
import { SnapshotResolver } from './snapshot/snapshot.resolver';
import { ApiKey } from './workspace/api-key.entity';
import { Workspace } from './workspace/workspace.entity';
import { Init1764000000000 } from '../db/migrations/1764000000000-Init';

export const ENTITIES = [Workspace, ApiKey, Competitor, Snapshot];

/** Applied in this order (timestamps in the class names keep it explicit). */
export const MIGRATIONS = [Init1764000000000];

export const RESOLVERS: NonEmptyArray<Function> = [CompetitorResolver, SnapshotResolver];
