import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Node } from '../../graphql/node';
import { MAX_NODE_IDS, type NodeService } from './node.service';

/** Relay refetching: `node(id)` and `nodes(ids)` over every type that implements Node. */
@Resolver()
export class NodeResolver {
  constructor(private readonly nodeService: NodeService) {}

  @Query(() => Node, {
    nullable: true,
    description: 'The object with this id in your workspace (any Node type), or null when your workspace has none with it.',
  })
  async node(
    @Arg('id', () => ID, { description: 'An id a Node returned (a UUID).' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Node | null> {
    return (await this.nodeService.byIds(ctx.workspaceId, [id], () => 'id'))[0];
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `The objects with these ids in your workspace, in the order asked, null for each id your workspace has no object with (at most ${MAX_NODE_IDS} ids).`,
  })
  nodes(
    @Arg('ids', () => [ID], { description: `Ids Nodes returned (UUIDs), at most ${MAX_NODE_IDS}; repeats are answered again.` })
    ids: string[],
    @Ctx() ctx: Context,
  ): Promise<(Node | null)[]> {
    return this.nodeService.byIds(ctx.workspaceId, ids, (i) => (i < 0 ? 'ids' : `ids[${i}]`));
  }
}
