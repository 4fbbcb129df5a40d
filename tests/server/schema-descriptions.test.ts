/**
 * Every type, field, argument, input field and enum value of the built schema has a description
 * (issue 16): walks the schema the server runs, not the emitted file, so a field added without one
 * fails here before the schema lint sees it.
 */
import { type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { expect, it } from 'vitest';
import { ResolverContainer } from '../../server/graphql/container';
import { buildAppSchema } from '../../server/graphql/schema';

/** The schema coordinates (Type, Type.field, Type.field(arg), Enum.VALUE) that have no description. */
function undescribed(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  const blank = (d: string | null | undefined) => !d?.trim();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (blank(type.description)) out.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) out.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (blank(arg.description)) out.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (blank(field.description)) out.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (blank(value.description)) out.push(`${type.name}.${value.name}`);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (blank(directive.description)) out.push(`@${directive.name}`);
    for (const arg of directive.args) if (blank(arg.description)) out.push(`@${directive.name}(${arg.name}:)`);
  }
  return out;
}

it('describes every type, field, argument, input field and enum value', () => {
  expect(undescribed(buildAppSchema(new ResolverContainer()))).toEqual([]);
});
