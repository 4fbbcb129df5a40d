import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * The Relay Node interface. Node ids are the ids the API already issues (UUIDs, unique across
 * every type), not type-prefixed: existing clients keep passing them to `competitor(id:)`,
 * `updateAlertRule(input: {id})` and the like, and `node(id)` finds the type by looking the id up.
 * The default resolveType picks the implementing class by `instanceof` (rows are entity instances).
 */
@InterfaceType({
  description: 'An object with a stable id that `node(id)` and `nodes(ids)` refetch, within the caller’s workspace only.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Stable id of the object (a UUID), unique across all Node types; pass it to node(id).' })
  id!: string;
}
