/** The shared request pipeline's pure steps (server/graphql/pipeline.ts, input-path.ts). */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coercionField, variableArgumentPath } from '../../server/graphql/input-path';
import { documentSizeError, maskError, withInputField, withoutSuggestions } from '../../server/graphql/pipeline';

const doc = parse(
  `mutation($i: [SnapshotInput!]!, $a: String) { recordSnapshots(input: $i) { inserted } c: competitors(search: "x", asins: ["y", $a]) { totalCount } }`,
);

describe('request pipeline steps', () => {
  it('names a variable by the argument it is passed as, through objects and lists', () => {
    expect(variableArgumentPath('i', doc)).toBe('input');
    expect(variableArgumentPath('a', doc)).toBe('asins[1]');
    expect(variableArgumentPath('nope', doc)).toBeNull();
    expect(variableArgumentPath('i', null)).toBeNull();
  });

  it('reads the input path of graphql-js coercion messages', () => {
    expect(coercionField('Variable "$i" got invalid value "x" at "i[3].stock"; Int cannot represent non-integer value: "x"', doc)).toBe(
      'input[3].stock',
    );
    expect(
      coercionField(
        'Variable "$i" got invalid value { stock: 1 } at "i[2]"; Field "asin" of required type "String!" was not provided.',
        doc,
      ),
    ).toBe('input[2].asin');
    expect(coercionField('Variable "$i" got invalid value { titel: "x" }; Field "titel" is not defined by type "X".', doc)).toBe(
      'input.titel',
    );
    expect(coercionField('Variable "$i" of required type "[SnapshotInput!]!" was not provided.', doc)).toBe('input');
    // A quoted path inside the value itself is escaped by graphql-js and not mistaken for the position.
    expect(coercionField('Variable "$i" got invalid value "at \\"i[9].x\\"; " at "i[1].stock"; bad', doc)).toBe('input[1].stock');
    expect(coercionField('Cannot query field "x"', doc)).toBeNull();
  });

  it('adds extensions.field to BAD_USER_INPUT only, keeping a field already named', () => {
    const coercion = {
      message: 'Variable "$i" got invalid value 1.5 at "i[0].stock"; Int cannot represent',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    expect(withInputField(coercion, doc).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input[0].stock' });
    const named = { message: 'input.asin: must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'input.asin' } };
    expect(withInputField(named, doc)).toBe(named);
    const other = { message: 'Variable "$i" x', extensions: { code: 'NOT_FOUND' } };
    expect(withInputField(other, doc)).toBe(other);
  });

  it('strips every "Did you mean" suggestion in production only, and masks internal errors', () => {
    const cases = [
      'Cannot query field "titel" on type "Competitor". Did you mean "title"?',
      'Value "COR" does not exist in "CompetitorTier" enum. Did you mean the enum value "CORE"?',
      'Variable "$i" got invalid value { titel: "x" }; Field "titel" is not defined by type "UpsertCompetitorInput". Did you mean "title", "tier", or "tiers"?',
    ];
    for (const message of cases) {
      expect(maskError({ message }, false, { production: true }).message).not.toMatch(/Did you mean/);
      expect(maskError({ message }, false, { production: false }).message).toBe(message);
    }
    expect(withoutSuggestions('A. Did you mean "b"? Then C.')).toBe('A. Then C.');
    expect(maskError({ message: 'secret stack', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, true, { production: false })).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('measures documents in UTF-8 bytes, comments included', () => {
    expect(documentSizeError('{ a }', 10)).toBeNull();
    expect(documentSizeError('# '.padEnd(11, 'x'), 10)?.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', limit: 10, actual: 11 });
    expect(documentSizeError('ééééé', 10)).toBeNull(); // 10 bytes
    expect(documentSizeError('éééééé', 10)?.extensions.actual).toBe(12);
    expect(documentSizeError(undefined, 10)).toBeNull();
  });
});
