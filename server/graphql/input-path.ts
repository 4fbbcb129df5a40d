import { type DocumentNode, Kind, type ValueNode, visit } from 'graphql';

/**
 * Input paths as errors name them (`input[3].stock`): the argument a value was passed as, then
 * object fields and list indexes. Resolvers' checks (validate.ts) name them this way; these
 * helpers give the same name to what graphql-js and the NUL guard report about variables.
 */
const PATH_TAIL = String.raw`((?:\.[A-Za-z_]\w*|\[\d+\])*)`;

/**
 * The input path of graphql-js's variable-coercion message: `Variable "$i" got invalid value …
 * at "i[0].stock"; …` becomes `input[0].stock` when `$i` is passed as the argument `input`
 * (the name a resolver's own checks use); a missing or undefined input field
 * (`Field "stock" of required type …`) is appended.
 */
export function coercionField(message: string, document?: DocumentNode | null): string | null {
  const head = /^Variable "\$([A-Za-z_]\w*)"/.exec(message);
  if (!head) return null;
  const name = head[1];
  const at = new RegExp(String.raw` at "${name}${PATH_TAIL}"; `).exec(message);
  let path = at?.[1] ?? '';
  const missing = /; Field "([A-Za-z_]\w*)" (?:of required type|is not defined by type)/.exec(message);
  if (missing) path += `.${missing[1]}`;
  return `${variableArgumentPath(name, document) ?? name}${path}`;
}

/** Where `$name` is used in the document: `input`, `input.items[2]`; null when unused. */
export function variableArgumentPath(name: string, document?: DocumentNode | null): string | null {
  if (!document) return null;
  let found: string | null = null;
  const within = (v: ValueNode, prefix: string): string | null => {
    if (v.kind === Kind.VARIABLE) return v.name.value === name ? prefix : null;
    if (v.kind === Kind.LIST) {
      for (const [i, item] of v.values.entries()) {
        const hit = within(item, `${prefix}[${i}]`);
        if (hit) return hit;
      }
    }
    if (v.kind === Kind.OBJECT) {
      for (const f of v.fields) {
        const hit = within(f.value, `${prefix}.${f.name.value}`);
        if (hit) return hit;
      }
    }
    return null;
  };
  visit(document, {
    Argument(node) {
      found ??= within(node.value, node.name.value);
    },
  });
  return found;
}
